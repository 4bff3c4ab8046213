#!/usr/bin/env bash
# Benchmark: wall-clock time of the AHWA-LoRA study's single-layer sweep
# (configs/studies/ahwa-lora.yaml, part "layers", without the end-to-end model runs) with two
# worker processes, into a fresh directory. Goal (issue 4): under 60 s with -j 2.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
aimcsim="${AIMCSIM_BUILD_DIR:-$root/build}/aimcsim"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
cd "$root"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
/usr/bin/time -f '%e' -o "$out/time" "$aimcsim" sweep configs/studies/ahwa-lora.yaml \
  --out "$out/study" -j 2 --only layers >"$out/log" 2>&1 || { cat "$out/log" >&2; exit 1; }
read -r wall <"$out/time"
points=$(($(wc -l <"$out/study/results.csv") - 1))
failed=$(awk -F, 'NR > 1 && $8 == "failed"' "$out/study/results.csv" | wc -l)
echo "aimcsim sweep ahwa-lora.yaml --only layers -j 2: $points points ($failed failed:" \
  "chunk does not fit the TCDM), wall-clock $wall s (goal < 60 s)"
