#!/usr/bin/env bash
# Configures (once) and builds aimcsim into build/. Quiet unless something fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${AIMCSIM_BUILD_DIR:-$root/build}"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >"$build.configure.log" 2>&1 ||
    { cat "$build.configure.log" >&2; exit 1; }
fi
cmake --build "$build" -j "$(nproc)" 2>&1 | grep -vE '^\[ *[0-9]+%\]|^-- |Consolidate compiler' || true
test "${PIPESTATUS[0]}" -eq 0
