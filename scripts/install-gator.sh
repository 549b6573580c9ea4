#!/usr/bin/env bash
# Installs the real gator CLI from the Go module proxy, pinned to the Gatekeeper version the
# AKS Azure Policy add-on runs (src/core/addon-version.ts: add-on 1.16.1 runs Gatekeeper 3.20.1,
# which links OPA v1.7.1 - the same OPA azpol's engine links). test/addon-version.test.ts keeps
# the two versions below equal to that constant. An installed gator of another version is
# replaced: `go version -m` names the Gatekeeper module it was built from (gator --version says
# "devel" for a go install build, but names the OPA it links).
set -euo pipefail
version=${GATOR_VERSION:-v3.20.1}
opa=opa/v1.7.1
bin="$(go env GOPATH)/bin/gator"
if [[ -x "$bin" ]] && "$bin" --version 2>/dev/null | grep -q "$opa" && go version -m "$bin" | grep -Eq "^\s+mod\s+github.com/open-policy-agent/gatekeeper/v3\s+$version\s"; then
  echo "gator $version already installed at $bin"
  exit 0
fi
echo "installing gator $version (compiles Gatekeeper; a few minutes on 2 cores)" >&2
# -trimpath as in scripts/build-engine.sh, so the packages gator shares with azpol's engine
# (same Gatekeeper, OPA and Kubernetes versions) come from the Go build cache.
GOFLAGS="-buildvcs=false -trimpath" go install "github.com/open-policy-agent/gatekeeper/v3/cmd/gator@${version}"
"$bin" --version
