package main

// One request/response API for both builds of the engine: the native binary reads requests
// as lines of JSON on stdin (main_native.go), the js/wasm build takes them through one JS
// function (main.go). Requests:
//
//	{"op":"version"}                                         → {"version","gatekeeper","goos","goarch","source"}
//	{"op":"compile","rego","libs","version"}                 → {"template": id, "precompiled"?: true} | {"error"}
//	{"op":"precompile","templates":[{rego,libs,version}…]}   → {"started": n} (precompile.go)
//	{"op":"evaluate","template":id,"inputs":[{review,parameters}…],"timeoutMs","maxSteps"} → {"results":[{violations,error,cost}…]}
//	{"op":"release","template":id}                           → {}
//	{"op":"readManifests","text"}                            → ManifestRead
//	{"op":"gatorRead","text","all"}                          → {"objects":[…]} | {"error"} (gator_reader.go)
//	{"op":"regexMatch","pattern","texts"}                    → {"matches":[bool…]} | {"error"}
//	{"op":"gkPrepare","constraintTemplate","constraint","engines"} → {"handle"} | {"error","schemaError"}
//	{"op":"gkReview","handle","items":[{object|request,namespace,generated}…]} → {"results":[…]}
//	{"op":"gkRelease","handle"}                              → {}
//	{"op":"expand","expansions":[ExpansionTemplate…],"object"} → {"resultants":[…]} | {"error"}
//	{"op":"mutate","mutators":[…],"expansions":[…],"object","namespace"} → {"object","resultants":[…]} | {} | {"error"} (mutation_native.go)
//	{"op":"kustomize","dir"}                                 → {"yaml"} | {"error"} (kustomize_native.go)
//	{"op":"strictValidate","objects":[…]}                     → {"results":[[reason…]…]} | {"error"} (strict_validate_native.go)
//
// The gk*, expand and mutate ops run Gatekeeper's own code and exist in the native build only
// ("gatekeeper" in the version answer says whether this build has them).
//
// Each request may carry an "id", echoed in its response, so the native side can answer
// out of order while it works on several batches at once.

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
)

type request struct {
	ID       int64           `json:"id"`
	Op       string          `json:"op"`
	Rego     string          `json:"rego"`
	Libs     []string        `json:"libs"`
	Version  string          `json:"version"`
	Template int             `json:"template"`
	Inputs   json.RawMessage `json:"inputs"`
	Text     string          `json:"text"`
	YAML     bool            `json:"yaml"`
	// TimeoutMs bounds each evaluation (native build; the wasm runtime cannot interrupt one).
	TimeoutMs int64 `json:"timeoutMs"`
	// MaxSteps stops each evaluation after that many evaluation steps (eval_cost.go; 0 = none)
	MaxSteps uint64 `json:"maxSteps"`
	// regexMatch: a Go regexp (RE2, what gator's message assertions use) and texts to try
	Pattern string   `json:"pattern"`
	Texts   []string `json:"texts"`
	// strictValidate: the objects as JSON
	Objects []json.RawMessage `json:"objects"`
	// Gatekeeper's own client (gatekeeper_native.go): a prepared template+constraint handle, the
	// items to review, and for expand the ExpansionTemplates and the object
	Handle     int             `json:"handle"`
	Items      json.RawMessage `json:"items"`
	Expansions json.RawMessage `json:"expansions"`
	Object     map[string]any  `json:"object"`
	// gatorRead: every "\n---" part (a case's objects) rather than the whole text as one object
	All bool `json:"all"`
	// kustomize: the folder holding the kustomization (as `kubectl apply -k <dir>`)
	Dir string `json:"dir"`
	// precompile: compile requests to start ahead of time
	Templates []CompileRequest `json:"templates"`
}

type registry struct {
	mu        sync.Mutex
	templates map[int]*Template
	next      int
}

var engine = &registry{templates: map[int]*Template{}, next: 1}

func (r *registry) get(id int) (*Template, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.templates[id]
	return t, ok
}

// evaluateInputs evaluates a batch; workers > 1 spreads it over goroutines (native build).
func evaluateInputs(t *Template, inputs []ast.Value, workers int, timeout time.Duration, maxSteps uint64) []EvalResult {
	out := make([]EvalResult, len(inputs))
	if workers <= 1 || len(inputs) < 2 {
		for i, in := range inputs {
			out[i] = t.Evaluate(in, timeout, maxSteps)
		}
		return out
	}
	var wg sync.WaitGroup
	next := make(chan int, len(inputs))
	for i := range inputs {
		next <- i
	}
	close(next)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = t.Evaluate(inputs[i], timeout, maxSteps)
			}
		}()
	}
	wg.Wait()
	return out
}

func handle(raw []byte, workers int) []byte {
	var req request
	if err := json.Unmarshal(raw, &req); err != nil {
		return encode(map[string]any{"error": "bad request: " + err.Error()})
	}
	reply := func(v map[string]any) []byte {
		if req.ID != 0 {
			v["id"] = req.ID
		}
		return encode(v)
	}
	switch req.Op {
	case "version":
		v := buildInfo()
		v["version"] = opaVersion()
		v["gatekeeper"] = gatekeeperAvailable
		v["kustomize"] = kustomizeAvailable
		return reply(v)
	case "compile":
		compile := CompileRequest{Rego: req.Rego, Libs: req.Libs, Version: req.Version}
		t, ahead, err := claimPrecompiled(compile)
		if !ahead {
			t, err = Compile(compile)
		}
		if err != nil {
			return reply(map[string]any{"error": err.Error()})
		}
		engine.mu.Lock()
		id := engine.next
		engine.next++
		engine.templates[id] = t
		engine.mu.Unlock()
		if ahead {
			// said for tests and --debug traces; the answer is the same either way
			return reply(map[string]any{"template": id, "precompiled": true})
		}
		return reply(map[string]any{"template": id})
	case "precompile":
		return reply(map[string]any{"started": precompile(req.Templates)})
	case "evaluate":
		t, ok := engine.get(req.Template)
		if !ok {
			return reply(map[string]any{"error": "unknown template id"})
		}
		inputs, err := parseInputs(string(req.Inputs))
		if err != nil {
			return reply(map[string]any{"error": err.Error()})
		}
		return reply(map[string]any{"results": evaluateInputs(t, inputs, workers, time.Duration(req.TimeoutMs)*time.Millisecond, req.MaxSteps)})
	case "release":
		engine.mu.Lock()
		delete(engine.templates, req.Template)
		engine.mu.Unlock()
		return reply(map[string]any{})
	case "regexMatch":
		re, err := regexp.Compile(req.Pattern)
		if err != nil {
			return reply(map[string]any{"error": err.Error()})
		}
		matches := make([]bool, len(req.Texts))
		for i, t := range req.Texts {
			matches[i] = re.MatchString(t)
		}
		return reply(map[string]any{"matches": matches})
	case "gkPrepare":
		return reply(gkPrepare(raw))
	case "gkReview":
		return reply(gkReview(req.Handle, req.Items))
	case "gkRelease":
		gkRelease(req.Handle)
		return reply(map[string]any{})
	case "expand":
		return reply(gkExpand(req.Expansions, req.Object))
	case "mutate":
		return reply(gkMutate(raw))
	case "gatorRead":
		return reply(gatorRead(req.Text, req.All))
	case "kustomize":
		return reply(kustomizeBuild(req.Dir))
	case "strictValidate":
		return reply(strictValidate(req.Objects))
	case "readManifests":
		read := ReadManifests(req.Text, req.YAML)
		return reply(map[string]any{"objects": read.Objects, "problems": read.Problems})
	default:
		return reply(map[string]any{"error": fmt.Sprintf("unknown op %q", req.Op)})
	}
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"error": err.Error()})
	}
	return b
}
