#!/usr/bin/env bash
# Release step: cross-compiles the native engine into npm/engine-<platform>-<arch>/bin/ (see
# npm/README.md). Go builds every target from any host; nothing here runs in CI or npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."
for target in linux/amd64/linux-x64 linux/arm64/linux-arm64 darwin/amd64/darwin-x64 darwin/arm64/darwin-arm64 windows/amd64/win32-x64; do
  IFS=/ read -r goos goarch name <<< "$target"
  exe=""; [[ $goos == windows ]] && exe=.exe
  mkdir -p "npm/engine-$name/bin"
  (cd engine && CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch go build -trimpath -ldflags="-s -w" -o "../npm/engine-$name/bin/azpol-engine$exe" .)
  echo "built npm/engine-$name/bin/azpol-engine$exe"
done
