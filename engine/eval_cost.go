package main

// A deterministic measure of what one evaluation costs, so `azpol test` can say that Gatekeeper's
// webhook would run out of time (3 s, and the AKS add-on then admits the object undecided)
// without timing anything: a loaded machine must not change a verdict.
//
// Two counts, each a fixed function of the template and the input:
//   - steps: the evaluation steps of OPA's topdown evaluator. Before every expression it
//     evaluates (each expression of each body, again on each backtrack) evalExpr asks the query's
//     Cancel whether to stop (open-policy-agent/opa v1.7.1 v1/topdown/eval.go, evalExpr; child
//     evaluations share the parent's Cancel), and so do the builtins that loop (numbers.range,
//     net.cidr_expand). stepCounter is that Cancel, and counts the questions. It costs one
//     increment per step, where a QueryTracer doubled the evaluation time (measured on the registry
//     templates: 8.4 s → 16.5-18.6 s for 4,000 workloads).
//   - inputNodes / inputBytes: the size of the input document. Gatekeeper converts the whole review
//     into an OPA value once per template before any Rego runs (frameworks constraint
//     pkg/client/drivers/rego/driver.go: toParsedInput → ast.InterfaceToValue, inside the time it
//     reports as templateRunTimeNS), and that costs in proportion to the object's size.
// A builtin's own work on one large value (a regex over a long string) is one step: the measure
// counts evaluation, not the bytes a builtin reads.
// src/core/webhook-budget.ts turns the counts into seconds of Gatekeeper time (calibrated
// against gator, scripts/calibrate-webhook-budget.ts) and decides.

import (
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"
)

// EvalCost is the deterministic cost of one evaluation.
type EvalCost struct {
	Steps      uint64 `json:"steps"`
	InputNodes uint64 `json:"inputNodes"`
	InputBytes uint64 `json:"inputBytes"`
	// Stopped: the step limit was reached and the evaluation was cancelled (Steps is the limit)
	Stopped bool `json:"stopped,omitempty"`
}

// stepCounter is the evaluation's Cancel: it counts the steps, says "stop" past its limit (the
// verdict, over the webhook's budget, is known then, so the rest would be wasted work; where it
// stops is deterministic too), and still stops when cancelled from outside (the wall-clock last
// resort, from another goroutine).
type stepCounter struct {
	steps   uint64
	limit   uint64
	limited bool
	stop    atomic.Bool
}

func (c *stepCounter) Cancel() { c.stop.Store(true) }

func (c *stepCounter) Cancelled() bool {
	c.steps++
	if c.limit > 0 && c.steps > c.limit {
		c.limited = true
		return true
	}
	return c.stop.Load()
}

// inputSize counts the values in an input document and the bytes of its strings (keys included),
// about the size of its JSON.
func inputSize(v ast.Value) (nodes, bytes uint64) {
	var walk func(ast.Value)
	walk = func(v ast.Value) {
		nodes++
		switch x := v.(type) {
		case ast.String:
			bytes += uint64(len(x)) + 2
		case ast.Number:
			bytes += uint64(len(x))
		case ast.Boolean, ast.Null:
			bytes += 4
		case *ast.Array:
			bytes += 2
			x.Foreach(func(t *ast.Term) { bytes++; walk(t.Value) })
		case ast.Object:
			bytes += 2
			x.Foreach(func(k, t *ast.Term) {
				bytes++
				if s, ok := k.Value.(ast.String); ok {
					bytes += uint64(len(s)) + 3
				} else {
					walk(k.Value)
				}
				walk(t.Value)
			})
		case ast.Set:
			bytes += 2
			x.Foreach(func(t *ast.Term) { bytes++; walk(t.Value) })
		}
	}
	walk(v)
	return nodes, bytes
}
