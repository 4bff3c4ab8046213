#!/usr/bin/env bash
# Benchmark: wall-clock time and peak memory of whole-model runs (`aimcsim run`, hybrid and
# fully-analog, per-layer runs included), seq 128, on the default platform. Goals (issue 3):
# MobileBERT under 2 s; LLaMA-3.1-8B (32 blocks) under 120 s and 4 GiB. The other models
# show how the cost grows with model size. Usage: scripts/bench-model.sh [model ...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
cd "$root"
models=("$@")
[ ${#models[@]} -eq 0 ] && models=(mobilebert gpt2 bert-base bert-large llama-3.1-8b)
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
printf '%-14s %8s %10s %12s %10s %9s\n' model linears tiles tasks wall_s peak_MiB
for m in "${models[@]}"; do
  lora=""
  [ "$m" = llama-3.1-8b ] && lora="--lora rank=16"  # the AHWA-LoRA study's rank for LLaMA
  /usr/bin/time -f '%e %M' -o "$out/time" build/aimcsim run --model "$m" $lora --seq 128 \
    --out "$out/$m" >/dev/null
  read -r wall kib <"$out/time"
  # linears, tiles, tasks (analog + hybrid) from the report
  stats=$(awk -F': ' '
    /"static_linears"/ { gsub(/,/, "", $2); l = $2 }
    /"tiles": [0-9]+,?$/ { gsub(/,/, "", $2); t = $2 }  # the last one: totals
    /"analog": [0-9]+,?$/ && !a { gsub(/,/, "", $2); a = $2 }
    /"hybrid": [0-9]+,?$/ && !h { gsub(/,/, "", $2); h = $2 }
    END { print l, t, a + h }' "$out/$m/report.json")
  read -r linears tiles tasks <<<"$stats"
  printf '%-14s %8s %10s %12s %10s %9d\n' "$m" "$linears" "$tiles" "$tasks" "$wall" \
    $((kib / 1024))
done
