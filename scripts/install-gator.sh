#!/usr/bin/env bash
# Installs the real gator CLI from the Go module proxy, pinned to the Gatekeeper version the
# AKS Azure Policy add-on runs (3.19.1, OPA v1.3.0 - the same OPA azpol's engine links).
set -euo pipefail
version=${GATOR_VERSION:-v3.19.1}
bin="$(go env GOPATH)/bin/gator"
if [[ -x "$bin" ]] && "$bin" --version 2>/dev/null | grep -q "opa/v1.3.0"; then
  echo "gator already installed at $bin"
  exit 0
fi
echo "installing gator $version (compiles Gatekeeper; a few minutes on 2 cores)" >&2
GOFLAGS=-buildvcs=false go install "github.com/open-policy-agent/gatekeeper/v3/cmd/gator@${version}"
"$bin" --version
