#!/usr/bin/env bash
# Benchmark: wall-clock time and peak memory of the functional co-simulation (`run
# --functional`: values through both mapped runs and an FP32 reference), seq 128, on the
# default platform, beside the same run without values. Goal (issue 14): MobileBERT under 30 s
# and 2 GiB. Usage: scripts/bench-functional.sh [model ...] (default: mobilebert bert-base)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
cd "$root"
models=("$@")
[ ${#models[@]} -eq 0 ] && models=(mobilebert bert-base)
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
printf '%-12s %12s %14s %14s %16s %12s\n' model timing_s timing_MiB functional_s functional_MiB \
  output_error
for m in "${models[@]}"; do
  /usr/bin/time -f '%e %M' -o "$out/t0" build/aimcsim run --model "$m" --seq 128 \
    --out "$out/$m.0" >/dev/null
  /usr/bin/time -f '%e %M' -o "$out/t1" build/aimcsim run --model "$m" --seq 128 --functional \
    --out "$out/$m.1" >/dev/null
  read -r w0 k0 <"$out/t0"
  read -r w1 k1 <"$out/t1"
  error=$(/usr/bin/python3 -c 'import json,sys
print("%.3e" % json.load(open(sys.argv[1]))["functional"]["output"]["rel_rms_error"])' \
    "$out/$m.1/report.json")
  printf '%-12s %12s %14d %14s %16d %12s\n' "$m" "$w0" $((k0 / 1024)) "$w1" $((k1 / 1024)) "$error"
done
