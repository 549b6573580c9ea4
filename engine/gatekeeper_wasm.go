//go:build js

package main

// The js/wasm build does not link Gatekeeper's client, its k8scel (CEL) driver or the expander:
// they would add ~18 MB gzipped (measured for GK v3.19.1) and gator's reader does not build for
// js. Every such request gets an error that says so, and azpol reports it per template or test.

import "encoding/json"

const gatekeeperAvailable = false

const noGatekeeper = "this needs Gatekeeper's own code (the CEL driver or the expander), which only the native azpol engine links; the js/wasm engine is in use (install Go so npm builds the native engine, or set AZPOL_ENGINE_PATH)"

func gkPrepare(json.RawMessage) map[string]any { return map[string]any{"error": noGatekeeper} }

func gkReview(int, json.RawMessage) map[string]any { return map[string]any{"error": noGatekeeper} }

func gkRelease(int) {}

func gkExpand(json.RawMessage, map[string]any) map[string]any {
	return map[string]any{"error": noGatekeeper}
}

// mutation needs Gatekeeper's pkg/mutation, linked only into the native engine
func gkMutate(json.RawMessage) map[string]any {
	return map[string]any{"error": "mutation needs the native engine: " + noGatekeeper}
}
