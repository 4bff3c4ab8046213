#!/usr/bin/env bash
# Configures (once) and builds aimcsim into build/ (or $AIMCSIM_BUILD_DIR). Quiet unless
# something fails; exits non-zero when CMake or the compiler fails. Extra arguments go to the
# first configure (e.g. -DCMAKE_BUILD_TYPE=RelWithDebInfo).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${AIMCSIM_BUILD_DIR:-$root/build}"
if [ ! -f "$build/CMakeCache.txt" ]; then
  if ! cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release "$@" >"$build.configure.log" 2>&1; then
    cat "$build.configure.log" >&2
    rm -f "$build/CMakeCache.txt"  # configure again next time
    exit 1
  fi
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! cmake --build "$build" -j "$(nproc)" >"$log" 2>&1; then
  grep -vE '^\[ *[0-9]+%\]|^-- |Consolidate compiler' "$log" >&2 || true
  echo "build.sh: the build failed" >&2
  exit 1
fi
grep -vE '^\[ *[0-9]+%\]|^-- |Consolidate compiler|^gmake|^make' "$log" || true
