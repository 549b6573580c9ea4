//go:build js

package main

import "encoding/json"

// The js/wasm build does not link client-go's scheme (it would double the module); azpol says
// strict validation was not done rather than pretend it was.

const strictValidateAvailable = false

func strictValidate([]json.RawMessage) map[string]any {
	return map[string]any{"error": "strict field validation (what the API server rejects) needs the native engine; build it with Go ('npm run build:engine')"}
}
