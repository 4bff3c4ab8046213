#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite: the CTest suite on the
# release build, the same suite on an AddressSanitizer + UndefinedBehaviorSanitizer build
# (build-asan/), and every libFuzzer harness briefly over its regression inputs and seed
# corpus (build-fuzz/, scripts/fuzz.sh). CI runs exactly this (.ci/run).
#
#   scripts/test.sh              everything (about 20 minutes from a clean clone, 2 cores)
#   scripts/test.sh --quick      the release suite only
#   scripts/test.sh --sanitize   the sanitizer suite only
#   scripts/test.sh --fuzz       the fuzzers only
#   scripts/test.sh [MODE] -- ARGS   ARGS go to ctest (e.g. -- -R Regression)
#
# Environment: AIMCSIM_BUILD_DIR (default build/), AIMCSIM_ASAN_BUILD_DIR (build-asan/),
# AIMCSIM_FUZZ_SECONDS (seconds per harness, default 20).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mode=all
ctest_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick ;;
    --sanitize) mode=sanitize ;;
    --fuzz) mode=fuzz ;;
    --) shift; ctest_args=("$@"); break ;;
    *) ctest_args+=("$1") ;;  # as before: bare arguments go to ctest
  esac
  shift
done
"$root/scripts/setup.sh"

run_suite() {  # build dir, description
  echo "== $2"
  (cd "$1" && ctest --output-on-failure -j "$(nproc)" ${ctest_args[@]+"${ctest_args[@]}"})
}

if [ "$mode" = all ] || [ "$mode" = quick ]; then
  "$root/scripts/build.sh"
  run_suite "${AIMCSIM_BUILD_DIR:-$root/build}" "release build: the CTest suite"
fi

if [ "$mode" = all ] || [ "$mode" = sanitize ]; then
  asan="${AIMCSIM_ASAN_BUILD_DIR:-$root/build-asan}"
  # Every sanitizer finding fails its test: UB aborts instead of printing and going on.
  flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
  AIMCSIM_BUILD_DIR="$asan" "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS=$flags" "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined"
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  run_suite "$asan" "AddressSanitizer + UndefinedBehaviorSanitizer build: the CTest suite"
fi

if [ "$mode" = all ] || [ "$mode" = fuzz ]; then
  echo "== libFuzzer harnesses: regression inputs, then ${AIMCSIM_FUZZ_SECONDS:-20} s each"
  "$root/scripts/fuzz.sh" "${AIMCSIM_FUZZ_SECONDS:-20}"
fi
