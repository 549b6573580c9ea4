package main

import (
	"runtime"

	"github.com/open-policy-agent/opa/v1/version"
)

func opaVersion() string { return version.Version }

// sourceHash is the SHA-256 of the engine's sources (go.mod, go.sum, *.go), stamped at build time
// with -ldflags "-X main.sourceHash=..." by scripts/build-engine.sh and
// scripts/build-engine-packages.sh (scripts/engine-source-hash.sh computes it). azpol compares it
// with the hash its own package was built with, so an engine from another release is refused.
var sourceHash = "unstamped"

// buildInfo is what the version handshake reports besides OPA's version: the platform the binary
// was built for (Go's names) and the sources it was built from.
func buildInfo() map[string]any {
	return map[string]any{"goos": runtime.GOOS, "goarch": runtime.GOARCH, "source": sourceHash}
}
