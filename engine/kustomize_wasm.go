//go:build js

package main

// The js/wasm build has no file system to read a kustomization from; azpol says so.

const kustomizeAvailable = false

func kustomizeBuild(string) map[string]any {
	return map[string]any{"error": "reading a kustomization needs the native engine (the js/wasm engine has no file system); build it with Go ('npm run build:engine')"}
}
