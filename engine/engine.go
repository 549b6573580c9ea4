// Package main is azpol's Rego engine: real OPA, wired the way Gatekeeper's
// Rego driver wires a ConstraintTemplate (open-policy-agent/frameworks,
// constraint/pkg/client/drivers/rego), compiled to WebAssembly for Node.
//
// The matching layer (kinds, namespaces, label selectors) lives in TypeScript;
// this file only compiles templates and evaluates `violation`.
package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// hookModule mirrors the frameworks driver's hook (drivers/rego/rego.go,
// hookModuleRego, Apache-2.0): it requires `msg` and defaults `details` to {}.
// Input already holds {review, parameters}, so no `with input as` is needed.
const hookModule = `package hooks

violation[response] {
	data.template.violation[r]
	response := {"details": object.get(r, "details", {}), "msg": r.msg}
}
`

// Template is one compiled ConstraintTemplate target.
type Template struct {
	query rego.PreparedEvalQuery
}

// CompileRequest is the JSON the TypeScript side sends.
type CompileRequest struct {
	Rego    string   `json:"rego"`
	Libs    []string `json:"libs"`
	Version string   `json:"version"` // "v1" selects Rego v1; anything else is v0, as in the frameworks driver
}

// Violation is one result of the `violation` rule.
type Violation struct {
	Msg     string `json:"msg"`
	Details any    `json:"details"`
}

// EvalResult is the outcome for one review: violations, or the error text that
// Gatekeeper would surface as a violation message.
type EvalResult struct {
	Violations []Violation `json:"violations"`
	Error      string      `json:"error,omitempty"`
	TimedOut   bool        `json:"timedOut,omitempty"`
	// ExternalData: the template called external_data, which azpol cannot answer offline
	ExternalData bool `json:"externalData,omitempty"`
	// Cost: what the evaluation cost, deterministically (eval_cost.go)
	Cost *EvalCost `json:"cost,omitempty"`
}

func regoVersion(v string) ast.RegoVersion {
	if v == "v1" {
		return ast.RegoV1
	}
	return ast.RegoV0
}

// Compile parses and compiles a template's Rego and its libs.
func Compile(req CompileRequest) (*Template, error) {
	version := regoVersion(req.Version)
	opts := ast.ParserOptions{RegoVersion: version, ProcessAnnotation: true}

	main, err := ast.ParseModuleWithOpts("template.rego", req.Rego, opts)
	if err != nil {
		return nil, err
	}
	if main == nil {
		return nil, fmt.Errorf("template rego is empty")
	}
	// The driver moves the template's package to data.template (rewriteModulePackage).
	main.Package.Path = ast.Ref{ast.DefaultRootDocument.Copy(), ast.StringTerm("template")}
	if !definesRule(main, "violation") {
		return nil, fmt.Errorf("invalid ConstraintTemplate: missing required rule \"violation\"")
	}

	modules := map[string]*ast.Module{"template.rego": main}
	for i, src := range req.Libs {
		name := fmt.Sprintf("lib_%d.rego", i)
		lib, err := ast.ParseModuleWithOpts(name, src, opts)
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(lib.Package.Path.String(), "data.lib.") {
			return nil, fmt.Errorf("invalid lib %d: package %s must be under data.lib", i, lib.Package.Path)
		}
		modules[name] = lib
	}
	hook, err := ast.ParseModuleWithOpts("hooks.rego", hookModule, ast.ParserOptions{RegoVersion: ast.RegoV0})
	if err != nil {
		return nil, err
	}
	modules["hooks.rego"] = hook

	compiler := ast.NewCompiler().WithCapabilities(externalDataCapabilities())
	if compiler.Compile(modules); compiler.Failed() {
		return nil, compiler.Errors
	}
	query, err := rego.New(
		rego.Compiler(compiler),
		rego.Store(inmem.New()),
		rego.Query("data.hooks.violation[result]"),
		externalDataFunction(),
	).PrepareForEval(context.Background())
	if err != nil {
		return nil, err
	}
	return &Template{query: query}, nil
}

func definesRule(m *ast.Module, name string) bool {
	for _, r := range m.Rules {
		if r.Head.Name.String() == name || (len(r.Head.Reference) > 0 && r.Head.Reference[0].Value.String() == name) {
			return true
		}
	}
	return false
}

// Evaluate runs `violation` for one input document {review, parameters}, already parsed
// into an OPA value (parsing straight to ast.Value skips a Go-map round trip per object).
// maxSteps > 0 stops the evaluation after that many evaluation steps (eval_cost.go): the
// deterministic bound; timeout is a wall-clock last resort only.
func (t *Template) Evaluate(input ast.Value, timeout time.Duration, maxSteps uint64) EvalResult {
	ctx := context.Background()
	counter := &stepCounter{limit: maxSteps}
	var timedOut atomic.Bool
	if timeout > 0 {
		timer := time.AfterFunc(timeout, func() {
			timedOut.Store(true)
			counter.Cancel()
		})
		defer timer.Stop()
	}
	nodes, bytes := inputSize(input)
	externalData := false
	ctx = withExternalDataMark(ctx, &externalData)
	rs, err := t.query.Eval(ctx, rego.EvalParsedInput(input), rego.EvalExternalCancel(counter))
	cost := &EvalCost{Steps: counter.steps, InputNodes: nodes, InputBytes: bytes}
	if counter.limited {
		cost.Steps, cost.Stopped = maxSteps, true
		return EvalResult{Violations: []Violation{}, Cost: cost}
	}
	if externalData {
		return EvalResult{Violations: []Violation{}, ExternalData: true, Cost: cost}
	}
	if err != nil && timedOut.Load() {
		return EvalResult{Violations: []Violation{}, Error: fmt.Sprintf("evaluation timed out after %s (azpol --eval-timeout)", timeout), TimedOut: true, Cost: cost}
	}
	if err != nil {
		return EvalResult{Violations: []Violation{}, Error: err.Error(), Cost: cost}
	}
	out := make([]Violation, 0, len(rs))
	for _, r := range rs {
		raw, ok := r.Bindings["result"].(map[string]any)
		if !ok {
			continue
		}
		msg, ok := raw["msg"].(string)
		if !ok {
			return EvalResult{Violations: []Violation{}, Error: "violation msg must be a string", Cost: cost}
		}
		out = append(out, Violation{Msg: msg, Details: raw["details"]})
	}
	// Same order whatever the set iteration order was (the client sorts results too).
	sort.SliceStable(out, func(i, j int) bool { return out[i].Msg < out[j].Msg })
	return EvalResult{Violations: out, Cost: cost}
}

// parseInputs reads a JSON array of input documents as OPA values (numbers stay exact).
func parseInputs(s string) ([]ast.Value, error) {
	v, err := ast.ValueFromReader(strings.NewReader(s))
	if err != nil {
		return nil, err
	}
	arr, ok := v.(*ast.Array)
	if !ok {
		return nil, fmt.Errorf("inputs must be an array")
	}
	out := make([]ast.Value, 0, arr.Len())
	arr.Foreach(func(t *ast.Term) { out = append(out, t.Value) })
	return out, nil
}
