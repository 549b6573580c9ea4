#!/usr/bin/env bash
# Installs Microsoft's SARIF Multitool (npm @microsoft/sarif-multitool-linux, a self-contained
# binary plus the official sarif-2.1.0.json schema) into ~/.cache/azpol-ci, so the tests can
# validate `azpol test --format sarif` with the validator code-scanning tools are built on.
# Not a devDependency: the package is Linux-only and would break `npm ci` elsewhere.
set -euo pipefail
version=${SARIF_MULTITOOL_VERSION:-5.7.0}
dir="${XDG_CACHE_HOME:-$HOME/.cache}/azpol-ci/sarif-multitool-$version"
if [[ -x "$dir/package/Sarif.Multitool" ]]; then
  echo "sarif multitool already installed at $dir"
  exit 0
fi
mkdir -p "$dir"
cd "$dir"
npm pack --silent "@microsoft/sarif-multitool-linux@$version" >/dev/null
tar xzf microsoft-sarif-multitool-linux-"$version".tgz
rm -f microsoft-sarif-multitool-linux-"$version".tgz
chmod +x package/Sarif.Multitool
echo "installed $dir/package/Sarif.Multitool"
