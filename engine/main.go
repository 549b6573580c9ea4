//go:build js && wasm

package main

import "syscall/js"

// The js/wasm build: the fallback engine when no native binary is present. The JS side calls
// one global function with a JSON request string and gets a JSON response string (api.go).
func main() {
	js.Global().Set("__azpolEngine", js.ValueOf(map[string]any{
		"call": js.FuncOf(func(_ js.Value, args []js.Value) any {
			return string(handle([]byte(args[0].String()), 1))
		}),
		"version": js.ValueOf(opaVersion()),
	}))
	select {}
}
