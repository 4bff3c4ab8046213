#!/usr/bin/env bash
# Rewrites tests/regression/goldens.jsonl from a fresh sweep of tests/regression/scenarios.yaml.
# Run it when a change of the simulated numbers is intended, and commit the goldens with it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${AIMCSIM_BUILD_DIR:-$root/build}"
goldens="$root/tests/regression/goldens.jsonl"
"$root/scripts/build.sh"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && "$build/aimcsim" sweep tests/regression/scenarios.yaml --out "$tmp/sweep" \
  -j "$(nproc)") >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }
[ -f "$goldens" ] && cp "$goldens" "$tmp/old" || : >"$tmp/old"
cp "$tmp/sweep/results.jsonl" "$goldens"
echo "wrote tests/regression/goldens.jsonl: $(wc -l <"$goldens") scenarios" \
  "($(grep -c '"status":"failed"' "$goldens" || true) of them failed points)"
# Rows are in point order, one per line: compare the previous goldens line by line.
awk 'FILENAME == ARGV[1] { old[FNR] = $0; n = FNR; next }
     { m = FNR; if (old[FNR] != $0) { c++; match($0, /"point":[0-9]+/)
                                      p = p " " substr($0, RSTART + 8, RLENGTH - 8) } }
     END { if (!n) { print "no previous goldens"; exit }
           if (n != m) print "the previous goldens had " n " rows"
           if (c) print c " row(s) differ from the previous goldens, points:" p
           else print "no change from the previous goldens" }' "$tmp/old" "$goldens"
