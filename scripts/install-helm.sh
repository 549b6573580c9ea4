#!/usr/bin/env bash
# Builds the real Helm CLI from its source on the Go module proxy (helm.sh/helm/v3/cmd/helm, pinned),
# for the tests that render charts before and after `azpol fix` (test/e2e/fix-helm.e2e.test.ts).
# Helm 3.16 is what rendered the real charts azpol fix is measured on. Helm's go.mod has no replace
# directives, so `go install module@version` builds it unchanged.
# Cached: ~/.cache/azpol-ci/helm-<version>/helm; the Go build cache keeps rebuilds short.
set -euo pipefail
version=${HELM_VERSION:-v3.16.4}
dest="${AZPOL_CI_CACHE:-$HOME/.cache/azpol-ci}/helm-${version}"
if [[ -x "$dest/helm" ]]; then
  echo "helm already built at $dest/helm"
  exit 0
fi
echo "building helm ${version} from the Go module proxy (first build a few minutes on 2 cores)" >&2
mkdir -p "$dest"
GOFLAGS="-mod=mod -trimpath -buildvcs=false" GOTOOLCHAIN=local GOBIN="$dest" go install "helm.sh/helm/v3/cmd/helm@${version}"
"$dest/helm" version --short
