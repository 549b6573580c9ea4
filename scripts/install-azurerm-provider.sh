#!/usr/bin/env bash
# Builds the real hashicorp/azurerm Terraform provider from its source on the Go module proxy and
# installs it as a filesystem mirror, so `terraform init` finds it offline (npm run check:azurerm,
# test/e2e/terraform-azurerm.e2e.test.ts).
#
# Version: the provider's release tags (v4.x, v5.x) are not valid Go module versions (its module
# path has no /v4 or /v5 suffix), so the proxy refuses them (403 "not available") and lists no
# versions; it serves pseudo-versions of commits only. We pin the main-branch commit fae580791926
# of 2026-08-24, whose CHANGELOG.md heads with "5.2.0 (August 20, 2026)" and has no unreleased
# section yet, and install it under the provider version 5.2.0 (stamped into the binary with
# version.ProviderVersion). AZURERM_MODULE_VERSION / AZURERM_PROVIDER_VERSION override both.
#
# Cost: the provider is ~3,000 Go packages; on a shared 2-core machine a build with a partly warm Go
# build cache took 1,107 s (README "Terraform with the real provider"), a cold one over 2 hours at
# nice 19 under load. The finished mirror is reused from the cache directory below (the script then
# returns at once); the Go build cache keeps rebuilds shorter.
set -euo pipefail
module_version=${AZURERM_MODULE_VERSION:-v1.44.1-0.20260824201233-fae580791926}
provider_version=${AZURERM_PROVIDER_VERSION:-5.2.0}
cache="${AZPOL_CI_CACHE:-$HOME/.cache/azpol-ci}"
mirror="$cache/azurerm-mirror-${provider_version}"
platform="$(go env GOOS)_$(go env GOARCH)"
dir="$mirror/registry.terraform.io/hashicorp/azurerm/${provider_version}/${platform}"
binary="$dir/terraform-provider-azurerm_v${provider_version}"
if [[ -x "$binary" ]]; then
  echo "$mirror"
  exit 0
fi
echo "building terraform-provider-azurerm ${module_version} (as ${provider_version}) from the Go module proxy; the first build is long on 2 cores" >&2
export GOFLAGS=-mod=mod GOTOOLCHAIN=local
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
GOBIN="$work" go install -trimpath -buildvcs=false \
  -ldflags "-s -w -X github.com/hashicorp/terraform-provider-azurerm/version.ProviderVersion=${provider_version}" \
  "github.com/hashicorp/terraform-provider-azurerm@${module_version}"
mkdir -p "$dir"
mv "$work/terraform-provider-azurerm" "$binary"
echo "built in $(( $(date +%s) - start )) s: $binary" >&2
echo "$mirror"
