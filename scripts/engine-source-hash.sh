#!/usr/bin/env bash
# Prints the SHA-256 of the engine's sources (engine/go.mod, go.sum and *.go, in byte order of their
# names). The engine binaries are stamped with it (engine/version.go) and azpol ships it in
# engine/dist/source.sha256, so the version handshake can tell an engine built from other sources.
set -euo pipefail
cd "$(dirname "$0")/../engine"
export LC_ALL=C
for f in go.mod go.sum $(ls -- *.go | sort); do
  printf '%s\n' "$f"
  cat -- "$f"
done | sha256sum | cut -d' ' -f1
