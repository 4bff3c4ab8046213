#!/usr/bin/env bash
# Installs what is missing, builds, and runs the default study: the MobileBERT layer
# shapes x t_int x pipeline strategies on the reference platform (rank 8, 64 tokens).
# Extra arguments replace the default job and go straight to build/aimcsim.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
cd "$root"
if [ $# -gt 0 ]; then
  exec build/aimcsim "$@"
fi
exec build/aimcsim study --platform configs/platforms/reference.yaml
