#!/usr/bin/env bash
# Benchmark: aimcsim against the floor of its own kernel. Runs a whole-model `aimcsim run`
# (default MobileBERT, seq 128), reads how many timed events the SystemC kernel processed
# from its summary, then runs build/bench_kernel_limit (tests/bench/kernel_limit.cpp: one
# SC_METHOD re-notifying one event, nothing else) for exactly that many events. Both are whole
# processes, timed over N runs each (default 10); prints the medians and their ratio (issue 9's
# goal: at most 5x), and the instruction counts under callgrind when valgrind is installed
# (repeatable whatever else the machine does).
# Usage: scripts/bench-kernel-limit.sh [RUNS] [aimcsim run options...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${AIMCSIM_BUILD_DIR:-$root/build}"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
cd "$root"
runs="${1:-10}"
[ $# -gt 0 ] && shift
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--model mobilebert --seq 128)
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

median_ms() {  # command...: the median wall time of $runs runs, in ms
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    times+=($(((end - start) / 1000)))
  done
  local sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  awk -v us="${sorted[$((runs / 2))]}" 'BEGIN { printf "%.1f", us / 1000 }'
}

"$build/aimcsim" run "${args[@]}" --out "$out/run" >"$out/summary"
events=$(sed -n 's/.* \([0-9]*\) kernel events in all.*/\1/p' "$out/summary")
tasks=$(sed -n 's/.*; \([0-9]*\) tasks and [0-9]* kernel events in all.*/\1/p' "$out/summary")
[ -n "$events" ] || { echo "bench-kernel-limit: no event count in the summary" >&2; exit 1; }
aimcsim_ms=$(median_ms "$build/aimcsim" run "${args[@]}" --out "$out/run")
kernel_ms=$(median_ms "$build/bench_kernel_limit" "$events")
echo "aimcsim run ${args[*]}: $tasks tasks, $events kernel events"
echo "  wall-clock median of $runs: aimcsim $aimcsim_ms ms, bare SystemC kernel $kernel_ms ms," \
  "ratio $(awk -v a="$aimcsim_ms" -v k="$kernel_ms" 'BEGIN { printf "%.1f", a / k }')x (goal <= 5x)"
if command -v valgrind >/dev/null; then
  count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/.*refs: *\([0-9,]*\).*/\1/p' | tr -d ,; }
  a=$(count "$build/aimcsim" run "${args[@]}" --out "$out/run")
  k=$(count "$build/bench_kernel_limit" "$events")
  echo "  instructions (callgrind): aimcsim $a, bare kernel $k," \
    "ratio $(awk -v a="$a" -v k="$k" 'BEGIN { printf "%.1f", a / k }')x"
fi
