#!/usr/bin/env bash
# Reproduces the AHWA-LoRA latency study (configs/studies/ahwa-lora.yaml) from scratch:
# installs what is missing, builds, runs the sweep (single layers, then MobileBERT end to
# end), traces one pipelined layer, and writes the report: summary.md (also printed),
# overhead_vs_tint.png, tcdm_vs_chunk.png and timeline.png.
# Usage: scripts/reproduce-study.sh [OUT_DIR]   (default: $AIMCSIM_STUDY_OUT or out/study in the repository)
# Results already in OUT_DIR are discarded, so every number comes from the current build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
aimcsim="${AIMCSIM_BUILD_DIR:-$root/build}/aimcsim"
out="${1:-${AIMCSIM_STUDY_OUT:-$root/out/study}}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"  # absolute: the commands below run from the repository root
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
cd "$root"
rm -f "$out"/{results.csv,results.jsonl,spec.yaml,platform.yaml}
"$aimcsim" sweep configs/studies/ahwa-lora.yaml --out "$out" -j "$(nproc)"
echo
# 512->128 at chunk 32 fits the TCDM double-buffered (107 of 128 KiB) and gives four chunks:
# the tiles' MVM of one chunk overlaps RedMulE's LoRA GEMMs of the previous one.
"$aimcsim" layer --platform configs/platforms/reference.yaml --d-in 512 --d-out 128 \
  --rank 8 --tokens 128 --strategy pipelined --chunk 32 --set aimc.t_int=128ns \
  --trace "$out/layer-trace.json"
echo
/usr/bin/python3 scripts/study-report.py "$out" --trace "$out/layer-trace.json" \
  --trace-title "512->128, rank 8, 128 tokens, t_int 128 ns, pipelined, chunk 32"
echo
echo "study outputs in $out:"
ls -l "$out"
