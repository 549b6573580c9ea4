#!/usr/bin/env bash
# Cross-compiles the native engine into the per-platform packages npm/engine-<platform>-<arch>/bin/
# (npm/README.md): Go builds every target from any host, with cgo off (a static binary that needs
# no libc of a given version), -trimpath (no build-machine paths) and -s -w (stripped), stamped
# with the engine's source hash (engine/version.go) for azpol's version handshake.
# The binaries are cached under $AZPOL_CI_CACHE (default ~/.cache/azpol-ci) keyed by the source
# hash and the Go version, so CI compiles only when engine/ changes. Cold, the five builds cost
# about 2-3 CPU-minutes each on top of the module download (see the timing this prints).
#   scripts/build-engine-packages.sh [platform ...]   e.g. linux-x64 (default: all five)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v go >/dev/null || { echo "build-engine-packages: Go >= 1.24 is needed (https://go.dev/dl)" >&2; exit 1; }
source_hash=$(bash scripts/engine-source-hash.sh)
key=$(printf '%s %s' "$source_hash" "$(go version)" | sha256sum | cut -c1-16)
cache="${AZPOL_CI_CACHE:-$HOME/.cache/azpol-ci}/engine-packages/$key"
all=(linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64)
wanted=("${@:-${all[@]}}")
for name in "${wanted[@]}"; do
  case $name in
    linux-x64) goos=linux goarch=amd64 ;;
    linux-arm64) goos=linux goarch=arm64 ;;
    darwin-x64) goos=darwin goarch=amd64 ;;
    darwin-arm64) goos=darwin goarch=arm64 ;;
    win32-x64) goos=windows goarch=amd64 ;;
    *) echo "build-engine-packages: unknown platform $name (one of ${all[*]})" >&2; exit 2 ;;
  esac
  exe=""; [[ $goos == windows ]] && exe=.exe
  cached="$cache/$name/azpol-engine$exe"
  if [[ ! -f $cached ]]; then
    start=$SECONDS
    mkdir -p "$cache/$name"
    # CPU seconds as well as wall time: the cold cost on an idle machine is about CPU / cores
    timer=(); [[ -x /usr/bin/time ]] && timer=(/usr/bin/time -f "%U %S" -o "$cache/$name/cpu")
    (cd engine && CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch "${timer[@]}" nice -n 10 go build -trimpath -ldflags="-s -w -X main.sourceHash=$source_hash" -o "$cached.tmp" .)
    mv "$cached.tmp" "$cached"
    cpu=""; [[ -f "$cache/$name/cpu" ]] && cpu=", $(awk '{printf "%.0f", $1 + $2}' "$cache/$name/cpu") CPU-s"
    echo "build-engine-packages: compiled $name in $((SECONDS - start)) s wall$cpu" >&2
  fi
  mkdir -p "npm/engine-$name/bin"
  rm -f "npm/engine-$name/bin/"azpol-engine*
  cp "$cached" "npm/engine-$name/bin/azpol-engine$exe"
  echo "npm/engine-$name/bin/azpol-engine$exe ($(du -h "$cached" | cut -f1), source $source_hash)"
done
