#!/usr/bin/env bash
# Builds azpol's engine (real OPA plus kubectl's manifest reader, engine/*.go) twice:
#   engine/dist/native/azpol-engine   native binary for this machine (the fast path)
#   engine/dist/engine.wasm.gz        js/wasm build, the fallback when no native binary fits
# Needs Go >= 1.24 (wasm_exec.js lives in $GOROOT/lib/wasm since 1.24); modules come from the
# Go module proxy; compiled packages stay in the Go build cache, so rebuilds take seconds.
# AZPOL_ENGINE_WASM_ONLY=1 skips the native build (to test the fallback as a user without it).
set -euo pipefail
cd "$(dirname "$0")/../engine"
if ! command -v go >/dev/null 2>&1; then
  echo "build-engine: Go is not installed; install Go >= 1.24 (https://go.dev/dl) and rerun 'npm run build:engine'" >&2
  exit 1
fi
mkdir -p dist/native
stamp=dist/.source-hash
source_hash=$(bash ../scripts/engine-source-hash.sh)
ldflags="-s -w -X main.sourceHash=$source_hash"
hash=$( (echo "$source_hash"; go version; echo "${AZPOL_ENGINE_WASM_ONLY:-}"; echo cgo-off) | sha256sum | cut -d' ' -f1)
native_ok=1
[[ -n "${AZPOL_ENGINE_WASM_ONLY:-}" || -x dist/native/azpol-engine ]] || native_ok=0
if [[ -f dist/engine.wasm.gz && -f dist/wasm_exec.cjs && -f dist/source.sha256 && $native_ok == 1 && -f $stamp && "$(cat $stamp)" == "$hash" && "${FORCE:-}" != 1 ]]; then
  echo "build-engine: up to date"
  exit 0
fi
if [[ -z "${AZPOL_ENGINE_WASM_ONLY:-}" ]]; then
  echo "build-engine: compiling the native engine with OPA, kubectl's reader and Gatekeeper's client and CEL driver (first build ~2-4 min, then the Go build cache)" >&2
  # with the flags of the per-platform packages (scripts/build-engine-packages.sh: cgo off, static),
  # so the tests run the binary users get, and this platform's package build is only a link from
  # the Go build cache (about 2 minutes less on a machine whose caches are cold)
  CGO_ENABLED=0 go build -trimpath -ldflags="$ldflags" -o dist/native/azpol-engine .
else
  rm -f dist/native/azpol-engine
fi
echo "build-engine: compiling the js/wasm engine" >&2
GOOS=js GOARCH=wasm go build -trimpath -ldflags="$ldflags" -o dist/engine.wasm .
gzip -9 -f dist/engine.wasm
cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" dist/wasm_exec.cjs
echo "$source_hash" > dist/source.sha256
echo "$hash" > "$stamp"
ls -l dist/engine.wasm.gz dist/native/ >&2
