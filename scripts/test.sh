#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite through CTest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
cd "${AIMCSIM_BUILD_DIR:-$root/build}"
ctest --output-on-failure -j "$(nproc)" "$@"
