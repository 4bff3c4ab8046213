#!/usr/bin/env bash
# Installs what is missing, builds, and runs the default jobs on the reference platform:
# the AHWA-LoRA study (scripts/reproduce-study.sh: MobileBERT's layer shapes x t_int x rank x
# chunk x pipeline strategy, and MobileBERT end to end per t_int and chunk; report and plots
# in out/study/), then MobileBERT end to end (seq 128, LoRA rank 8 on every static linear),
# whose report goes to out/mobilebert/.
# Extra arguments replace the default job and go straight to build/aimcsim.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
cd "$root"
if [ $# -gt 0 ]; then
  exec build/aimcsim "$@"
fi
scripts/reproduce-study.sh out/study
echo
exec build/aimcsim run --platform configs/platforms/reference.yaml --model mobilebert \
  --out out/mobilebert
