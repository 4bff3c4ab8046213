#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz, clang) in build-fuzz/ and runs each of them.
#
#   scripts/fuzz.sh [SECONDS] [HARNESS...]      # default: 30 s each, every harness
#   FUZZ_HARNESSES="fuzz_units fuzz_set" scripts/fuzz.sh 60
#   FUZZ_KEEP_GOING=1 scripts/fuzz.sh 300       # collect several crashes per harness (-fork=1)
#
# Each harness first replays its regression inputs (tests/fuzz/regressions/HARNESS/*), then
# fuzzes for SECONDS on a copy of its seed corpus (tests/fuzz/corpus/HARNESS, left unchanged).
# Crashing inputs go to build-fuzz/artifacts/HARNESS/, full logs to build-fuzz/logs/.
# Prints one line per harness and exits 1 if any harness crashed. See tests/fuzz/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build-fuzz"
FUZZ="$ROOT/tests/fuzz"
ALL=(fuzz_units fuzz_set fuzz_platform_yaml fuzz_model_description fuzz_hf_config
  fuzz_sweep_spec)

SECONDS_EACH="${1:-30}"
[[ $# -gt 0 ]] && shift
if [[ ! "$SECONDS_EACH" =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS] [HARNESS...]   (harnesses: ${ALL[*]})" >&2
  exit 2
fi
if [[ $# -gt 0 ]]; then
  HARNESSES=("$@")
elif [[ -n "${FUZZ_HARNESSES:-}" ]]; then
  read -r -a HARNESSES <<<"$FUZZ_HARNESSES"
else
  HARNESSES=("${ALL[@]}")
fi
for h in "${HARNESSES[@]}"; do
  if [[ ! " ${ALL[*]} " =~ " $h " ]]; then
    echo "fuzz.sh: unknown harness '$h'; expected one of: ${ALL[*]}" >&2
    exit 2
  fi
done

CXX_FUZZ="${CXX_FUZZ:-clang++}"
if ! command -v "$CXX_FUZZ" >/dev/null; then
  echo "fuzz.sh: $CXX_FUZZ not found; install clang (and libclang-rt-dev for libFuzzer)" >&2
  exit 2
fi
if [[ ! -f "$BUILD/CMakeCache.txt" ]]; then
  cmake -S "$FUZZ" -B "$BUILD" -DCMAKE_CXX_COMPILER="$CXX_FUZZ" >/dev/null
fi
cmake --build "$BUILD" -j "$(nproc)" -- --no-print-directory >"$BUILD/build.log" 2>&1 || {
  tail -40 "$BUILD/build.log" >&2
  echo "fuzz.sh: build failed; see $BUILD/build.log" >&2
  exit 2
}

dict_of() {
  case "$1" in
    fuzz_units) echo units.dict ;;
    fuzz_set | fuzz_platform_yaml) echo yaml_platform.dict ;;
    fuzz_model_description) echo yaml_model.dict ;;
    fuzz_hf_config) echo json_hf.dict ;;
    fuzz_sweep_spec) echo yaml_sweep.dict ;;
  esac
}

# SystemC never forgets an object's name, nor some process data, after the object is
# destroyed, so every platform built leaves ~45 KB reachable behind. libFuzzer's per-input leak
# check then scans the whole, growing heap after every input (quadratic: 25 exec/s after a
# minute instead of ~60); those two harnesses run without it (nothing is unreachable anyway).
extra_args_of() {
  case "$1" in
    fuzz_set | fuzz_platform_yaml) echo -detect_leaks=0 ;;
  esac
}

# Undefined behaviour halts (the harnesses are built with -fno-sanitize-recover too).
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

# The first error line a crashing input produces when replayed, quoted values elided.
signature() {
  local sig
  sig="$(cd "$WORK" && "$BUILD/$1" $(extra_args_of "$1") "$2" 2>&1 |
    grep -m1 -E "what\(\)|invariant failed|ERROR: (AddressSanitizer|LeakSanitizer)|runtime error|ERROR: libFuzzer" |
    sed -E "s/^ *(\*\*\* )?//; s/'[^']*'/'…'/g" | cut -c1-160 || true)"
  echo "${sig:-(does not reproduce)}"
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/aimcsim-fuzz.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$BUILD/logs"

failed=0
printf '%-24s %12s  %s\n' harness executions result
for h in "${HARNESSES[@]}"; do
  bin="$BUILD/$h"
  artifacts="$BUILD/artifacts/$h"
  mkdir -p "$artifacts" "$WORK/$h/corpus" "$WORK/$h/run"
  log="$BUILD/logs/$h.log"
  : >"$log"

  # Regression inputs: each must now be handled (a clear error or success), not crash.
  regressions="$FUZZ/regressions/$h"
  replay_failed=0
  if [[ -d "$regressions" ]] && compgen -G "$regressions/*" >/dev/null; then
    bad=()
    for f in "$regressions"/*; do
      if ! (cd "$WORK/$h/run" && "$bin" $(extra_args_of "$h") "$f") >>"$log" 2>&1; then bad+=("$f"); fi
    done
    if [[ ${#bad[@]} -gt 0 ]]; then
      for f in "${bad[@]}"; do
        printf '%-24s %12s  %s\n' "$h" - "FINDING (regression) ${f#"$ROOT"/}: $(signature "$h" "$f")"
      done
      failed=1
      replay_failed=1
    fi
  fi

  if [[ "$SECONDS_EACH" -gt 0 ]]; then
    if [[ -d "$FUZZ/corpus/$h" ]]; then cp -r "$FUZZ/corpus/$h/." "$WORK/$h/corpus/"; fi
    args=(-max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -max_len=4096 -timeout=10
      -print_final_stats=1 -artifact_prefix="$artifacts/"
      -dict="$FUZZ/dict/$(dict_of "$h")" $(extra_args_of "$h"))
    if [[ -n "${FUZZ_KEEP_GOING:-}" ]]; then args+=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1); fi
    marker="$WORK/$h/started"
    touch "$marker"
    status=0
    (cd "$WORK/$h/run" && "$bin" "${args[@]}" "$WORK/$h/corpus") >>"$log" 2>&1 || status=$?
    execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 |
      grep -o '[0-9]*$' || true)"
    if [[ -z "$execs" ]]; then # fork mode prints no final stats: the last status line
      execs="$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)"
    fi
    mapfile -t crashes < <(find "$artifacts" -maxdepth 1 -type f -newer "$marker" | sort)
    if [[ $status -ne 0 || ${#crashes[@]} -gt 0 ]]; then
      failed=1
      if [[ ${#crashes[@]} -eq 0 ]]; then
        printf '%-24s %12s  %s\n' "$h" "${execs:-?}" \
          "FINDING (exit status $status, no artifact; see ${log#"$ROOT"/})"
      fi
      # One line per distinct error (quoted values elided), with one example input.
      declare -A example=() count=()
      for c in "${crashes[@]}"; do
        sig="$(signature "$h" "$c")"
        count["$sig"]=$((${count["$sig"]:-0} + 1))
        example["$sig"]="${example["$sig"]:-$c}"
      done
      for sig in "${!count[@]}"; do
        n=""
        [[ ${count["$sig"]} -gt 1 ]] && n=" (${count["$sig"]} inputs)"
        printf '%-24s %12s  %s\n' "$h" "${execs:-?}" \
          "FINDING ${example["$sig"]#"$ROOT"/}$n: $sig"
      done
      unset example count
    else
      printf '%-24s %12s  %s\n' "$h" "${execs:-?}" ok
    fi
  elif [[ $replay_failed -eq 0 ]]; then
    printf '%-24s %12s  %s\n' "$h" 0 "ok (regressions only)"
  fi
done
exit "$failed"
