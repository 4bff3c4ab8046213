#!/usr/bin/env bash
# Benchmark: wall-clock time of one `aimcsim layer` run of 512->128, rank 8, 64 tokens (the
# issue's goal: under 50 ms on the 2-core reference machine). Prints min / median / max over
# N runs (default 20), each a fresh process, chunk chosen by the tool.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
cd "$root"
runs="${1:-20}"
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  build/aimcsim layer --d-in 512 --d-out 128 --rank 8 --tokens 64 >/dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }
echo "aimcsim layer 512->128 rank 8, 64 tokens: $runs runs, wall-clock" \
  "min $(ms "${sorted[0]}") ms, median $(ms "${sorted[$((runs / 2))]}") ms," \
  "max $(ms "${sorted[$((runs - 1))]}") ms (goal < 50 ms)"
