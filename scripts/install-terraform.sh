#!/usr/bin/env bash
# Builds the real Terraform CLI from its source on the Go module proxy, for the tests that run
# terraform fmt, validate and plan on azpol's main.tf (test/terraform-*.test.ts).
#
# `go install github.com/hashicorp/terraform@vX` is refused (its go.mod has replace directives),
# and the module zip leaves out the nested modules those directives point at: the remote-state
# backends azurerm, consul, cos, gcs, kubernetes, oss, pg, s3 (and internal/legacy, which only
# they use). So the source is copied, those backends are taken out of the backend registry
# (internal/backend/init/init.go) and go.mod, and the rest is built unchanged: the language,
# fmt, validate, plan and the local, http, inmem, remote and cloud backends are Terraform's own.
# Cached: ~/.cache/azpol-ci/terraform-<version>/terraform; the Go build cache keeps rebuilds short.
set -euo pipefail
version=${TERRAFORM_VERSION:-v1.11.4}
dest="${AZPOL_CI_CACHE:-$HOME/.cache/azpol-ci}/terraform-${version}"
if [[ -x "$dest/terraform" ]]; then
  echo "terraform already built at $dest/terraform"
  exit 0
fi
echo "building terraform ${version} from the Go module proxy (first build a few minutes on 2 cores)" >&2
export GOFLAGS=-mod=mod GOTOOLCHAIN=local
src=$(cd "$(mktemp -d)" && go mod download -json "github.com/hashicorp/terraform@${version}" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src/." "$work"
chmod -R u+w "$work"
cd "$work"
# godebug settings this Go toolchain no longer knows (tlskyber was removed in Go 1.26)
for setting in $(sed -n 's/^godebug \([a-z0-9]*\)=.*/\1/p' go.mod); do
  go mod edit -dropgodebug="$setting"
done
missing=(azure consul cos gcs kubernetes oss pg s3)
for b in "${missing[@]}"; do
  go mod edit -dropreplace="github.com/hashicorp/terraform/internal/backend/remote-state/$b" \
    -droprequire="github.com/hashicorp/terraform/internal/backend/remote-state/$b"
done
go mod edit -dropreplace=github.com/hashicorp/terraform/internal/legacy -droprequire=github.com/hashicorp/terraform/internal/legacy
init=internal/backend/init/init.go
for alias in backendAzure backendConsul backendCos backendGCS backendKubernetes backendOSS backendPg backendS3; do
  sed -i "/^\s*${alias} \"/d; /return ${alias}\.New()/d" "$init"
done
mkdir -p "$dest"
go build -trimpath -buildvcs=false -o "$dest/terraform" .
"$dest/terraform" version
