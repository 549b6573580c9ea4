#!/usr/bin/env bash
# Builds azpol's Rego engine (real OPA, engine/*.go) to WebAssembly for Node.
# Output: engine/dist/engine.wasm.gz and engine/dist/wasm_exec.cjs (Go's JS glue).
# Needs Go >= 1.24 (wasm_exec.js lives in $GOROOT/lib/wasm since 1.24); modules come from the Go proxy.
set -euo pipefail
cd "$(dirname "$0")/../engine"
if ! command -v go >/dev/null 2>&1; then
  echo "build-engine: Go is not installed; install Go >= 1.24 (https://go.dev/dl) and rerun 'npm run build:engine'" >&2
  exit 1
fi
mkdir -p dist
stamp=dist/.source-hash
hash=$( (cat go.mod go.sum *.go; go version) | sha256sum | cut -d' ' -f1)
if [[ -f dist/engine.wasm.gz && -f dist/wasm_exec.cjs && -f $stamp && "$(cat $stamp)" == "$hash" && "${FORCE:-}" != 1 ]]; then
  echo "build-engine: up to date"
  exit 0
fi
echo "build-engine: compiling OPA engine to js/wasm (first build downloads modules; ~1 min)" >&2
GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o dist/engine.wasm .
gzip -9 -f dist/engine.wasm
cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" dist/wasm_exec.cjs
echo "$hash" > "$stamp"
ls -l dist/engine.wasm.gz >&2
