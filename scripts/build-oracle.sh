#!/usr/bin/env bash
# Builds the test oracle (oracle/*.go: distribution/reference + k8s.io/cli-runtime) natively.
# Output: oracle/dist/oracle. Only the differential tests use it; azpol never ships it.
# The first build downloads k8s.io modules through the Go module proxy and compiles them
# (about 1.5 min on 2 cores); later builds come from the Go build cache in seconds.
set -euo pipefail
cd "$(dirname "$0")/../oracle"
if ! command -v go >/dev/null 2>&1; then
  echo "build-oracle: Go is not installed; install Go >= 1.24 and rerun 'npm run build:oracle'" >&2
  exit 1
fi
mkdir -p dist
stamp=dist/.source-hash
hash=$( (cat go.mod go.sum *.go; go version) | sha256sum | cut -d' ' -f1)
if [[ -x dist/oracle && -f $stamp && "$(cat $stamp)" == "$hash" && "${FORCE:-}" != 1 ]]; then
  echo "build-oracle: up to date"
  exit 0
fi
echo "build-oracle: compiling the distribution/reference + cli-runtime oracle (first build ~1.5 min)" >&2
go build -trimpath -o dist/oracle .
echo "$hash" > "$stamp"
