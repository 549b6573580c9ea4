#!/usr/bin/env bash
# Installs the real Azure CLI from PyPI into a cached venv, for the e2e test that runs the az
# commands azpol's README and create.sh give against the fake ARM (test/e2e/az-cli.e2e.test.ts).
# Cached: ~/.cache/azpol-ci/azure-cli-<version>/ (about 1 GB; pip's wheel cache keeps reinstalls short).
set -euo pipefail
version=${AZURE_CLI_VERSION:-2.91.0}
venv="${AZPOL_CI_CACHE:-$HOME/.cache/azpol-ci}/azure-cli-${version}"
if [[ -x "$venv/bin/az" ]] && "$venv/bin/python" -c "import azure.cli.core" 2>/dev/null; then
  echo "azure-cli ${version} already installed at $venv"
  exit 0
fi
python3 -m venv --help >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq python3-venv; }
echo "installing azure-cli ${version} from PyPI into $venv (a few minutes the first time)" >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "azure-cli==${version}"
AZURE_CONFIG_DIR=$(mktemp -d) AZURE_CORE_COLLECT_TELEMETRY=false "$venv/bin/az" version --output json | head -5
