#!/usr/bin/python3
"""Summarises an AHWA-LoRA study sweep (configs/studies/ahwa-lora.yaml) for a reader.

Usage: study-report.py DIR [--trace TRACE.json [--trace-title TEXT]]

Reads DIR/results.csv (written by `aimcsim sweep`) and writes
  DIR/summary.md            (also printed): per-layer overhead best/worst per shape x t_int,
                            TCDM footprint per shape x chunk against the capacity, MobileBERT
                            end to end per t_int x chunk, the energy side (LoRA's energy
                            overhead per shape x t_int and end to end) and the platform
                            trade-off (latency, energy, area, Pareto front);
  DIR/overhead_vs_tint.png  per-layer overhead against t_int, one panel per layer shape;
  DIR/tcdm_vs_chunk.png     TCDM footprint against chunk, one panel per layer shape;
  DIR/pareto.png            latency against energy of the platform points (part 'platforms',
                            else every end-to-end point), colour = area, Pareto front drawn;
  DIR/timeline.png          with --trace: a Gantt chart of the hybrid run in a trace-event
                            file (`aimcsim layer --trace` or `aimcsim run --trace`).
Standard library and matplotlib only. The plots are deterministic: fixed sizes, dpi and
metadata, no timestamps.
"""

import argparse
import csv
import json
import math
import os
import re
import sys

REQUIRED_COLUMNS = [
    "point", "part", "layer.shape", "aimc.t_int", "lora.rank", "chunk", "strategy", "status",
    "chunk_used", "t_analog_ns", "t_hybrid_ns", "overhead", "tcdm_peak_bytes",
    "tcdm_capacity_bytes", "layer_overhead_min", "layer_overhead_max", "e_analog_nj",
    "e_hybrid_nj", "energy_overhead", "area_mm2", "pareto", "error",
]
PLATFORM_PART = "platforms"  # the study part that sweeps platform configurations
PERIPHERY_PARTS = ("periphery", "periphery-mobilebert")  # the tile-periphery comparison
PIPELINE_PART = "pipelines"  # MobileBERT under each pipeline mode (HARP's taxonomy)
STRATEGY_ORDER = ["serial", "parallel", "pipelined"]
REFERENCE_OVERHEAD = 0.04  # the per-layer overhead AHWA-LoRA reports (Li et al. 2026)
FIGURE_DPI = 120


class ReportError(Exception):
    """A problem with the input that the user has to fix; printed as one line, exit 2."""


# ---------------------------------------------------------------- reading and parsing

def read_results(directory):
    path = os.path.join(directory, "results.csv")
    if not os.path.isfile(path):
        raise ReportError(f"{path}: no such file (run `aimcsim sweep SPEC --out {directory}` first)")
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        columns = reader.fieldnames or []
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise ReportError(f"{path}: missing column(s) {', '.join(missing)}")
        rows = list(reader)
    for line, row in enumerate(rows, start=2):
        try:
            parse_row(row)
        except ValueError as e:
            raise ReportError(f"{path}:{line}: {e}") from None
    return rows


def duration_ns(text):
    """'128ns', '0.5us', '250ps' -> nanoseconds."""
    m = re.fullmatch(r"\s*([0-9.]+)\s*(ps|ns|us|ms|s)\s*", text)
    if not m:
        raise ValueError(f"t_int '{text}' is not a duration with a unit")
    scale = {"ps": 1e-3, "ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}[m.group(2)]
    return float(m.group(1)) * scale


def number(text):
    return float(text) if text not in ("", None) else None


def parse_row(row):
    """Adds typed fields (prefixed with '_') to a CSV row."""
    row["_ok"] = row["status"] == "ok"
    row["_t_int"] = duration_ns(row["aimc.t_int"]) if row["aimc.t_int"] else None
    row["_rank"] = int(row["lora.rank"]) if row["lora.rank"] else None
    row["_auto"] = row["chunk"] == "auto"
    row["_chunk"] = int(row["chunk"]) if row["chunk"] not in ("", "auto") else None
    row["_chunk_used"] = int(row["chunk_used"]) if row["chunk_used"] else None
    for key in ("t_analog_ns", "t_hybrid_ns", "overhead", "tcdm_peak_bytes",
                "tcdm_capacity_bytes", "layer_overhead_min", "layer_overhead_max",
                "e_analog_nj", "e_hybrid_nj", "energy_overhead", "area_mm2"):
        row["_" + key] = number(row[key])
    for key in ("clusters", "tops_per_w", "avg_power_w"):
        row["_" + key] = number(row.get(key))
    row["_pareto"] = row["pareto"] == "1"


def unique_in_order(values):
    seen = []
    for v in values:
        if v not in seen:
            seen.append(v)
    return seen


def strategy_key(s):
    return STRATEGY_ORDER.index(s) if s in STRATEGY_ORDER else len(STRATEGY_ORDER)


# ---------------------------------------------------------------- formatting

def pct(fraction):
    if fraction is None:
        return "–"
    return f"{fraction * 100:+.1f} %"


def kib(n_bytes):
    return f"{n_bytes / 1024:.1f}"


def us(ns):
    return f"{ns / 1000:.1f}"


def ns_label(t):
    return f"{t:g} ns"


def table(header, rows, align=None):
    align = align or ["l"] * len(header)
    rule = {"l": ":--", "r": "--:", "c": ":-:"}
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join(rule[a] for a in align) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def config_label(row):
    """'pipelined, r8, chunk 32' ('auto' marks a chunk the tool chose itself)."""
    chunk = f"chunk {row['_chunk_used']}" + (" (auto)" if row["_auto"] else "")
    return f"{row['strategy']}, r{row['_rank']}, {chunk}"


def choose(rows, worst=False):
    """The row with the lowest (or highest) overhead; on ties an explicitly swept chunk wins
    over 'auto', then lower rank, smaller chunk, simpler strategy — so the pick is stable."""
    if not rows:
        return None
    sign = -1 if worst else 1
    return min(rows, key=lambda r: (sign * r["_overhead"], r["_auto"], r["_rank"],
                                    r["_chunk_used"], strategy_key(r["strategy"])))


# ---------------------------------------------------------------- summary sections

def capacity_of(rows):
    caps = sorted({r["_tcdm_capacity_bytes"] for r in rows if r["_tcdm_capacity_bytes"]})
    return caps[-1] if caps else None


def tokens_of(directory):
    """The layer parts' token count from DIR/spec.yaml (the effective spec lists it in base),
    or None when it is swept or absent."""
    try:
        with open(os.path.join(directory, "spec.yaml"), encoding="utf-8") as f:
            found = set(re.findall(r"^\s+layer\.tokens: (\d+)$", f.read(), re.MULTILINE))
    except OSError:
        return None
    return found.pop() if len(found) == 1 else None


def tokens_label(tokens):
    return f"{tokens} tokens" if tokens else "tokens as in spec.yaml"


def section_overhead(layers, tokens):
    shapes = unique_in_order(r["layer.shape"] for r in layers)
    t_ints = sorted({r["_t_int"] for r in layers})
    ranks = sorted({r["_rank"] for r in layers})
    high_rank = ranks[-1] if len(ranks) > 1 else None
    low_rank = ranks[0]
    header = ["layer", "t_int", "ok points", f"fastest vs fastest (r{low_rank})", "best",
              "best configuration"]
    if high_rank is not None:
        header += [f"best at rank {high_rank}", "configuration"]
    header += ["worst", "worst configuration"]
    body = []
    for shape in shapes:
        for t in t_ints:
            group = [r for r in layers if r["layer.shape"] == shape and r["_t_int"] == t]
            ok = [r for r in group if r["_ok"]]
            best, worst = choose(ok), choose(ok, worst=True)
            fastest_hybrid = min((r["_t_hybrid_ns"] for r in ok if r["_rank"] == low_rank),
                                 default=None)
            fastest_analog = min((r["_t_analog_ns"] for r in ok), default=None)
            versus = (fastest_hybrid / fastest_analog - 1
                      if fastest_hybrid and fastest_analog else None)
            line = [shape, ns_label(t), f"{len(ok)} of {len(group)}", pct(versus),
                    pct(best and best["_overhead"]), best and config_label(best) or "–"]
            if high_rank is not None:
                best_high = choose([r for r in ok if r["_rank"] == high_rank])
                line += [pct(best_high and best_high["_overhead"]),
                         best_high and config_label(best_high) or "–"]
            line += [pct(worst and worst["_overhead"]), worst and config_label(worst) or "–"]
            body.append(line)
    align = ["l", "r", "r", "r", "r", "l"] + (["r", "l"] if high_rank is not None else []) + ["r", "l"]
    return ("## Per-layer overhead\n\n"
            f"Overhead of the hybrid layer over the fully-analog one ({tokens_label(tokens)}). "
            "'best' and 'worst' are t_hybrid / t_analog − 1 of one point, whose fully-analog "
            "run has the same chunk and strategy (pipelined double-buffers the analog baseline "
            "too, so its baseline is faster), over the points that fit the TCDM for each layer "
            "shape and t_int, with rank, chunk (tokens per LoRA job; '(auto)' = a chunk the tool "
            "chose itself) and strategy varying. 'fastest vs fastest' compares the fastest "
            "hybrid point with the fastest fully-analog point of any chunk and strategy.\n\n"
            + table(header, body, align))


def strategy_groups(layers):
    """Strategies whose footprint is the same at every (shape, rank, chunk) share a column."""
    strategies = sorted({r["strategy"] for r in layers}, key=strategy_key)

    def footprints(s):
        return {(r["layer.shape"], r["_rank"], r["_chunk"]): r["_tcdm_peak_bytes"]
                for r in layers if r["strategy"] == s and not r["_auto"]}

    groups = []
    for s in strategies:
        for g in groups:
            if footprints(g[0]) == footprints(s):
                g.append(s)
                break
        else:
            groups.append([s])
    return groups


def section_tcdm(layers):
    capacity = capacity_of(layers)
    swept = [r for r in layers if not r["_auto"] and r["_tcdm_peak_bytes"] is not None]
    shapes = unique_in_order(r["layer.shape"] for r in swept)
    chunks = sorted({r["_chunk"] for r in swept})
    ranks = sorted({r["_rank"] for r in swept})
    groups = strategy_groups(swept)
    columns = [(rank, g) for rank in ranks for g in groups]
    header = ["layer", "chunk"] + [f"r{rank} {', '.join(g)}" for rank, g in columns]
    body = []
    for shape in shapes:
        for chunk in chunks:
            line = [shape, str(chunk)]
            for rank, g in columns:
                # max over t_int (the footprint does not depend on it; max is the safe reading)
                sizes = [r["_tcdm_peak_bytes"] for r in swept
                         if r["layer.shape"] == shape and r["_chunk"] == chunk
                         and r["_rank"] == rank and r["strategy"] in g]
                if not sizes:
                    line.append("–")
                    continue
                size = max(sizes)
                over = capacity is not None and size > capacity
                line.append(f"{kib(size)} ✗" if over else kib(size))
            body.append(line)
        # the largest chunk that fits, as the simulator reports it for chunks that do not
        line = [shape, "largest that fits"]
        for rank, g in columns:
            fits = set()
            for r in layers:
                m = re.search(r"largest chunk that fits is (\d+)", r["error"])
                if (m and r["layer.shape"] == shape and r["_rank"] == rank
                        and r["strategy"] in g):
                    fits.add(int(m.group(1)))
            line.append(f"**{min(fits)}**" if fits else "≥ " + str(chunks[-1]))
        body.append(line)
    cap_text = f"{kib(capacity)} KiB" if capacity else "the TCDM capacity"
    return ("## TCDM footprint\n\n"
            f"Working set in the cluster's TCDM (KiB) of one LoRA job per layer shape, chunk, "
            f"rank and strategy, against the TCDM capacity of {cap_text} (✗ = does not fit, "
            "the point fails); the last row per shape is the largest chunk that fits.\n\n"
            + table(header, body, ["l", "r"] + ["r"] * len(columns)))


def section_model(model_rows):
    t_ints = sorted({r["_t_int"] for r in model_rows})
    chunks = unique_in_order(r["chunk"] for r in model_rows)
    header = ["t_int", "chunk", "fully-analog (µs)", "hybrid (µs)", "end-to-end overhead",
              "per-layer min", "per-layer max", "TCDM peak (KiB)"]
    body = []
    for t in t_ints:
        for chunk in chunks:
            for r in model_rows:
                if r["_t_int"] != t or r["chunk"] != chunk:
                    continue
                if not r["_ok"]:
                    body.append([ns_label(t), chunk, "failed", "", "", "", "", r["error"][:80]])
                    continue
                peak = r["_tcdm_peak_bytes"]
                cap = r["_tcdm_capacity_bytes"]
                peak_text = kib(peak) if peak is not None else "–"
                if peak is not None and cap and peak > cap:
                    peak_text += f" ✗ > {kib(cap)}"
                body.append([ns_label(t), chunk, us(r["_t_analog_ns"]), us(r["_t_hybrid_ns"]),
                             pct(r["_overhead"]), pct(r["_layer_overhead_min"]),
                             pct(r["_layer_overhead_max"]), peak_text])
    fastest = []
    for t in t_ints:
        ok = [r for r in model_rows if r["_t_int"] == t and r["_ok"]]
        if not ok:
            continue
        a = min(ok, key=lambda r: r["_t_analog_ns"])
        h = min(ok, key=lambda r: r["_t_hybrid_ns"])
        fastest.append([ns_label(t), f"{us(a['_t_analog_ns'])} (chunk {a['chunk']})",
                        f"{us(h['_t_hybrid_ns'])} (chunk {h['chunk']})",
                        pct(h["_t_hybrid_ns"] / a["_t_analog_ns"] - 1)])
    parts = unique_in_order(r["part"] for r in model_rows)
    return (f"## {', '.join(parts)} end to end\n\n"
            "Latency of the whole model (fully-analog vs hybrid) and its end-to-end overhead per "
            "t_int and chunk (tokens per LoRA job; 'auto' = per layer the fastest that fits), "
            "beside the smallest and largest overhead of its individual layers and the peak "
            "TCDM use per cluster (✗ = above the TCDM capacity).\n\n"
            + table(header, body, ["r", "r", "r", "r", "r", "r", "r", "r"])
            + "\n\nThe fastest hybrid run against the fastest fully-analog run per t_int (the "
            "overhead of one chunk setting above can look small only because that setting also "
            "slows the fully-analog run):\n\n"
            + table(["t_int", "fastest fully-analog (µs)", "fastest hybrid (µs)", "overhead"],
                    fastest, ["r", "r", "r", "r"]))


def uj(nj):
    return f"{nj / 1000:.1f}" if nj is not None else "–"


def section_energy(layers, model_rows):
    """LoRA's energy overhead per layer shape and t_int (at each group's lowest-latency point,
    so the same configurations as the latency table's 'best'), and end to end."""
    shapes = unique_in_order(r["layer.shape"] for r in layers)
    t_ints = sorted({r["_t_int"] for r in layers})
    body = []
    for shape in shapes:
        for t in t_ints:
            ok = [r for r in layers if r["layer.shape"] == shape and r["_t_int"] == t and r["_ok"]]
            best = choose(ok)
            cheapest = min(ok, key=lambda r: (r["_energy_overhead"], r["_auto"], r["_rank"],
                                              r["_chunk_used"], strategy_key(r["strategy"])),
                           default=None)
            body.append([shape, ns_label(t),
                         pct(best and best["_overhead"]),
                         pct(best and best["_energy_overhead"]),
                         best and f"{best['_e_analog_nj']:.0f} → {best['_e_hybrid_nj']:.0f}" or "–",
                         pct(cheapest and cheapest["_energy_overhead"]),
                         cheapest and config_label(cheapest) or "–"])
    text = ("## What it costs: energy\n\n"
            "LoRA's energy overhead (E_hybrid / E_analog − 1, leakage over the run included) "
            "beside its latency overhead, at each shape and t_int's best-latency point, and the "
            "configuration with the smallest energy overhead.\n\n"
            + table(["layer", "t_int", "latency overhead", "energy overhead",
                     "energy (nJ) analog → hybrid", "least energy overhead", "configuration"],
                    body, ["l", "r", "r", "r", "r", "r", "l"]))
    if model_rows:
        mb = []
        for r in model_rows:
            if not r["_ok"]:
                continue
            mb.append([r["part"], ns_label(r["_t_int"]), r["chunk"] or "auto",
                       uj(r["_e_analog_nj"]), uj(r["_e_hybrid_nj"]), pct(r["_energy_overhead"]),
                       pct(r["_overhead"])])
        text += ("\n\nEnd to end (µJ per inference):\n\n"
                 + table(["part", "t_int", "chunk", "fully-analog (µJ)", "hybrid (µJ)",
                          "energy overhead", "latency overhead"], mb,
                         ["l", "r", "r", "r", "r", "r", "r"]))
    return text


def section_platforms(rows):
    body = []
    for r in rows:
        if not r["_ok"]:
            continue
        body.append([f"{r['_clusters']:.0f}" if r["_clusters"] is not None else "–",
                     ns_label(r["_t_int"]), us(r["_t_hybrid_ns"]), uj(r["_e_hybrid_nj"]),
                     f"{r['_area_mm2']:.2f}", pct(r["_overhead"]), pct(r["_energy_overhead"]),
                     "✓" if r["_pareto"] else ""])
    return ("## What it costs: the platform trade-off\n\n"
            "MobileBERT end to end (hybrid) on platforms of 1…N clusters and three t_int: "
            "latency, energy and area, and whether the point is on the Pareto front of the "
            "three (✓; pareto.png).\n\n"
            + table(["clusters", "t_int", "latency (µs)", "energy (µJ)", "area (mm²)",
                     "latency overhead", "energy overhead", "Pareto"], body,
                    ["r", "r", "r", "r", "r", "r", "r", "c"]))


def periphery_name(path):
    return os.path.splitext(os.path.basename(path))[0] if path else "–"


def section_periphery(rows):
    """Per layer shape (or MobileBERT) and t_int: the overhead under each periphery preset."""
    presets = unique_in_order(r["periphery"] for r in rows)
    keyed = {}
    for r in rows:
        if r["_ok"]:
            what = r["layer.shape"] or "MobileBERT"
            keyed[(what, r["_t_int"], r["periphery"])] = r
    body = []
    for what in unique_in_order(r["layer.shape"] or "MobileBERT" for r in rows):
        for t_int in unique_in_order(r["_t_int"] for r in rows):
            cells = [what.replace("->", "→"), ns_label(t_int)]
            for p in presets:
                r = keyed.get((what, t_int, p))
                cells += ([us(r["_t_analog_ns"]), pct(r["_overhead"])] if r else ["–", "–"])
            body.append(cells)
    header = ["layer", "t_int"]
    for p in presets:
        header += [f"{periphery_name(p)}: analog µs", f"{periphery_name(p)}: overhead"]
    return ("## The tile periphery\n\n"
            "The same points under each tile-periphery preset (configs/periphery/): the "
            "reference's (nmpu: HERMES' 2-ns ADC read-out and IBM's NMPU, 7 ns for 512 "
            "columns) and IBM HARP's (134 ns of post-processing for 512 columns at 500 MHz). "
            "Single layers: 128 tokens, rank 8, parallel, the fastest chunk; MobileBERT: seq "
            "128, rank 8, defaults.\n\n"
            + table(header, body, ["l", "r"] + ["r"] * (2 * len(presets))))


def section_pipelines(rows):
    """MobileBERT end to end per pipeline mode, t_int and chunk."""
    body = []
    for r in rows:
        label = [r.get("pipeline", "–"), ns_label(r["_t_int"]), r["chunk"]]
        if not r["_ok"]:
            body.append(label + ["failed", "", "", r["error"][:80]])
            continue
        body.append(label + [us(r["_t_analog_ns"]), us(r["_t_hybrid_ns"]), pct(r["_overhead"]),
                             uj(r["_e_hybrid_nj"])])
    ok = [r for r in rows if r["_ok"]]
    closest = min(ok, key=lambda r: abs(r["_overhead"] - REFERENCE_OVERHEAD)) if ok else None
    note = ""
    if closest:
        note = (f"\n\nClosest to the paper's 4 %: {closest.get('pipeline')} at "
                f"{ns_label(closest['_t_int'])}, chunk {closest['chunk']}: "
                f"{pct(closest['_overhead'])} ({us(closest['_t_hybrid_ns'])} µs hybrid).")
    return ("## Pipeline modes\n\n"
            "MobileBERT end to end (seq 128, rank 8, one cluster) under each of HARP's pipeline "
            "modes (`--pipeline`; README: pipeline modes), per t_int and chunk ('auto' = per "
            "layer the fastest alone; 32 = what `run --chunk search` picks at most of these "
            "points).\n\n"
            + table(["pipeline", "t_int", "chunk", "fully-analog (µs)", "hybrid (µs)",
                     "overhead", "hybrid energy (µJ)"], body,
                    ["l", "r", "r", "r", "r", "r", "r"]) + note)


def summary(directory, rows):
    layers = [r for r in rows if r["part"] == "layers"]
    platforms = [r for r in rows if r["part"] == PLATFORM_PART]
    periphery = [r for r in rows if r["part"] in PERIPHERY_PARTS]
    pipelines = [r for r in rows if r["part"] == PIPELINE_PART]
    model_rows = [r for r in rows
                  if r["part"] not in ("layers", PLATFORM_PART, PIPELINE_PART) + PERIPHERY_PARTS]
    n_ok = sum(r["_ok"] for r in layers)
    source = os.path.join(directory, "results.csv")
    relative = os.path.relpath(source)
    shown = relative if not relative.startswith("..") else source  # no machine path if avoidable
    out = ["# AHWA-LoRA study summary", "",
           f"From `{shown}`: {len(rows)} points — "
           f"{len(layers)} single-layer points ({n_ok} ok, {len(layers) - n_ok} failed because "
           f"the chunk does not fit the TCDM), {len(model_rows)} end-to-end model points"
           + (f", {len(platforms)} platform points" if platforms else "")
           + (f", {len(periphery)} periphery points" if periphery else "")
           + (f", {len(pipelines)} pipeline-mode points" if pipelines else "") + ".", ""]
    if layers:
        out += [section_overhead(layers, tokens_of(directory)), "", section_tcdm(layers), ""]
    if model_rows:
        out += [section_model(model_rows), ""]
    if layers:
        out += [section_energy(layers, model_rows), ""]
    if platforms:
        out += [section_platforms(platforms), ""]
    if periphery:
        out += [section_periphery(periphery), ""]
    if pipelines:
        out += [section_pipelines(pipelines), ""]
    return "\n".join(out)


# ---------------------------------------------------------------- plots

def pyplot():
    import matplotlib
    matplotlib.use("Agg")
    matplotlib.rcParams.update({
        "svg.hashsalt": "aimcsim-study",
        "font.size": 9,
        "axes.grid": True,
        "grid.alpha": 0.3,
    })
    import matplotlib.pyplot as plt
    return plt


def save(fig, path):
    # no Software/creation-time metadata: the same input gives byte-identical files
    fig.savefig(path, dpi=FIGURE_DPI, metadata={"Software": None})


STRATEGY_COLOURS = {"serial": "tab:red", "parallel": "tab:blue", "pipelined": "tab:green"}


def plot_overhead(layers, path, tokens=None):
    plt = pyplot()
    from matplotlib.ticker import FuncFormatter, FixedLocator
    shapes = unique_in_order(r["layer.shape"] for r in layers)
    ranks = sorted({r["_rank"] for r in layers})
    strategies = sorted({r["strategy"] for r in layers}, key=strategy_key)
    t_ints = sorted({r["_t_int"] for r in layers})
    styles = ["-", "--", ":", "-."]
    fig, axes = plt.subplots(1, len(shapes), figsize=(4.2 * len(shapes), 4.4), sharey=True,
                             squeeze=False)
    for ax, shape in zip(axes[0], shapes):
        for si, strategy in enumerate(strategies):
            for ri, rank in enumerate(ranks):
                xs, ys = [], []
                for t in t_ints:
                    best = choose([r for r in layers if r["_ok"] and r["layer.shape"] == shape
                                   and r["strategy"] == strategy and r["_rank"] == rank
                                   and r["_t_int"] == t])
                    if best:
                        xs.append(t)
                        ys.append(max(best["_overhead"] * 100, 1e-3))
                ax.plot(xs, ys, styles[ri % len(styles)], marker="o" if ri == 0 else "s",
                        markersize=4, color=STRATEGY_COLOURS.get(strategy, f"C{si}"),
                        label=f"{strategy}, rank {rank}", alpha=1.0 if ri == 0 else 0.75)
        ax.axhline(REFERENCE_OVERHEAD * 100, color="black", linewidth=1, linestyle=(0, (4, 3)))
        ax.text(t_ints[0], REFERENCE_OVERHEAD * 100 * 1.25, "4 % (AHWA-LoRA, per layer)",
                fontsize=8, va="bottom")
        ax.set_xscale("log", base=2)
        ax.xaxis.set_major_locator(FixedLocator(t_ints))
        ax.xaxis.set_minor_locator(FixedLocator([]))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.set_title(f"layer {shape}")
        ax.set_xlabel("AIMC integration time t_int (ns)")
    axes[0][0].set_ylabel("per-layer overhead, best over chunk (%, log)")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(strategies) * len(ranks) // 2 or 1,
               frameon=False, fontsize=8)
    fig.suptitle(f"Hybrid vs fully-analog latency per layer ({tokens_label(tokens)}): "
                 "t_hybrid / t_analog − 1, best chunk per point")
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    save(fig, path)
    plt.close(fig)


def plot_tcdm(layers, path):
    plt = pyplot()
    from matplotlib.ticker import FuncFormatter, FixedLocator
    swept = [r for r in layers if not r["_auto"] and r["_tcdm_peak_bytes"] is not None]
    shapes = unique_in_order(r["layer.shape"] for r in swept)
    ranks = sorted({r["_rank"] for r in swept})
    chunks = sorted({r["_chunk"] for r in swept})
    groups = strategy_groups(swept)
    capacity = capacity_of(layers)
    fig, axes = plt.subplots(1, len(shapes), figsize=(4.2 * len(shapes), 4.4), sharey=True,
                             squeeze=False)
    for ax, shape in zip(axes[0], shapes):
        for gi, g in enumerate(groups):
            for ri, rank in enumerate(ranks):
                xs, ys, over = [], [], []
                for c in chunks:
                    sizes = [r["_tcdm_peak_bytes"] for r in swept
                             if r["layer.shape"] == shape and r["_chunk"] == c
                             and r["_rank"] == rank and r["strategy"] in g]
                    if sizes:
                        xs.append(c)
                        ys.append(max(sizes) / 1024)
                        over.append(capacity is not None and max(sizes) > capacity)
                colour = STRATEGY_COLOURS.get(g[-1], f"C{gi}")
                ax.plot(xs, ys, "-" if ri == 0 else "--", color=colour,
                        alpha=1.0 if ri == 0 else 0.75,
                        label=f"{' / '.join(g)}, rank {rank}")
                ax.scatter([x for x, o in zip(xs, over) if not o],
                           [y for y, o in zip(ys, over) if not o], marker="o", s=14,
                           color=colour, zorder=3)
                ax.scatter([x for x, o in zip(xs, over) if o], [y for y, o in zip(ys, over) if o],
                           marker="x", s=30, color=colour, zorder=3)
        if capacity:
            ax.axhline(capacity / 1024, color="black", linewidth=1.2)
            ax.text(chunks[0], capacity / 1024 * 1.1, f"TCDM capacity {kib(capacity)} KiB",
                    fontsize=8, va="bottom")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log", base=2)
        ax.xaxis.set_major_locator(FixedLocator(chunks))
        ax.xaxis.set_minor_locator(FixedLocator([]))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.set_title(f"layer {shape}")
        ax.set_xlabel("chunk (tokens per LoRA job)")
    axes[0][0].set_ylabel("TCDM working set (KiB, log)")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(handles), frameon=False, fontsize=8)
    fig.suptitle("TCDM footprint of one LoRA job vs chunk size (× = does not fit: point fails)")
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    save(fig, path)
    plt.close(fig)


# ---------------------------------------------------------------- timeline

UNIT_ORDER = ["aimc", "interconnect", "dma", "redmule", "cores"]


def read_trace(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as e:
        raise ReportError(f"{path}: {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise ReportError(f"{path}: not JSON ({e})") from None
    events = data.get("traceEvents") if isinstance(data, dict) else data
    if not isinstance(events, list):
        raise ReportError(f"{path}: no traceEvents list")
    return events


def unit_rank(name):
    for i, key in enumerate(UNIT_ORDER):
        if key in name:
            return i
    return len(UNIT_ORDER)


def plot_timeline(trace_path, path, title=None, process="hybrid"):
    events = read_trace(trace_path)
    processes = {e["pid"]: e["args"]["name"] for e in events
                 if e.get("ph") == "M" and e.get("name") == "process_name"}
    pid = next((p for p, n in processes.items() if n == process), None)
    if pid is None:
        raise ReportError(f"{trace_path}: no process named '{process}' "
                          f"(has: {', '.join(sorted(processes.values())) or 'none'})")
    threads, thread_order = {}, {}
    for e in events:
        if e.get("ph") == "M" and e.get("pid") == pid:
            if e.get("name") == "thread_name":
                threads[e["tid"]] = e["args"]["name"]
            elif e.get("name") == "thread_sort_index":
                thread_order[e["tid"]] = e["args"]["sort_index"]
    spans = [e for e in events if e.get("ph") == "X" and e.get("pid") == pid]
    if not spans:
        raise ReportError(f"{trace_path}: process '{process}' has no events")
    # where the other run (the fully-analog baseline) ends, for reference
    others = {p: max((e["ts"] + e["dur"] for e in events
                      if e.get("ph") == "X" and e.get("pid") == p), default=None)
              for p in processes if p != pid}

    # one row per unit, its lanes ("aimc tiles #2") as sub-rows
    units = {}
    for tid in sorted({e["tid"] for e in spans}, key=lambda t: (thread_order.get(t, t), t)):
        name = threads.get(tid, f"track {tid}")
        base = re.sub(r" #\d+$", "", name)
        units.setdefault(base, []).append(tid)
    unit_names = sorted(units, key=lambda u: (unit_rank(u), list(units).index(u)))

    def chunk_of(name):
        m = re.search(r"chunk (\d+)", name)
        return int(m.group(1)) if m else None

    def op_of(name):
        return re.sub(r"^.*?chunk \d+ ", "", name).replace(" to ", "→")

    chunks = sorted({c for c in (chunk_of(e["name"]) for e in spans) if c is not None})
    colour_by_chunk = 0 < len(chunks) <= 20
    cats = sorted({e.get("cat", "") for e in spans})

    plt = pyplot()
    from matplotlib.patches import Patch
    end = max(e["ts"] + e["dur"] for e in spans)
    start = min(e["ts"] for e in spans)
    fig, ax = plt.subplots(figsize=(12, 1.2 + 0.75 * len(unit_names)))
    cmap = plt.get_cmap("tab20" if len(chunks) > 10 else "tab10")
    labels = []
    by_tid = {}
    for e in sorted(spans, key=lambda e: (e["ts"], e["dur"], e["name"])):
        by_tid.setdefault(e["tid"], []).append(e)
    # outlines help when the bars are few and wide; with thousands they would be all ink
    outline = {"edgecolors": "black", "linewidth": 0.4} if len(spans) <= 300 else {}
    for row, unit in enumerate(unit_names):
        lanes = units[unit]
        lane_height = 0.8 / len(lanes)
        for li, tid in enumerate(lanes):
            y0 = row - 0.4 + li * lane_height
            bars = {}  # colour index -> [(start, duration)]: one collection per colour
            for e in by_tid[tid]:
                c = chunk_of(e["name"])
                if colour_by_chunk and c is not None:
                    colour = chunks.index(c)
                else:
                    colour = cats.index(e.get("cat", ""))
                bars.setdefault(colour, []).append((e["ts"], e["dur"]))
                label = op_of(e["name"])
                # label bars wide enough to hold the text (≈ 0.6 % of the span per char)
                if lane_height >= 0.35 and e["dur"] > (end - start) * 0.0065 * (len(label) + 2):
                    ax.text(e["ts"] + e["dur"] / 2, y0 + lane_height / 2, label, ha="center",
                            va="center", fontsize=7, clip_on=True)
            for colour, xranges in sorted(bars.items()):
                ax.broken_barh(xranges, (y0 + 0.04 * lane_height, 0.92 * lane_height),
                               facecolors=cmap(colour % cmap.N), **outline)
        lane_note = f"\n({len(lanes)} lanes)" if len(lanes) > 1 else ""
        labels.append(unit + lane_note)
    ax.set_yticks(range(len(unit_names)))
    ax.set_yticklabels(labels)
    ax.set_ylim(len(unit_names) - 0.5, -0.5)
    ax.set_xlim(min(start, 0), end * 1.02)
    ax.set_xlabel("time (µs)")
    ax.grid(axis="y", visible=False)
    handles = []
    ax.axvline(end, color="black", linewidth=1)
    handles.append(plt.Line2D([], [], color="black", linewidth=1,
                              label=f"{process} done: {end:.1f} µs"))
    for p, other_end in sorted(others.items()):
        if other_end is not None:
            ax.axvline(other_end, color="grey", linewidth=1, linestyle="--")
            handles.append(plt.Line2D([], [], color="grey", linewidth=1, linestyle="--",
                                      label=f"{processes[p]} done: {other_end:.1f} µs"))
    if colour_by_chunk:
        handles += [Patch(facecolor=cmap(i % cmap.N), edgecolor="black", linewidth=0.4,
                          label=f"chunk {c}") for i, c in enumerate(chunks)]
    else:
        handles += [Patch(facecolor=cmap(i % cmap.N), label=c or "(none)")
                    for i, c in enumerate(cats)]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8,
              frameon=False)
    what = title or os.path.basename(trace_path)
    ax.set_title(f"{process} run, {what}: one row per unit, one bar per task"
                 + (" (colour = token chunk)" if colour_by_chunk else ""))
    fig.tight_layout()
    save(fig, path)
    plt.close(fig)


def plot_pareto(rows, path):
    """Latency against energy, colour = area, the Pareto front joined and ringed."""
    plt = pyplot()
    ok = [r for r in rows if r["_ok"]]
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    xs = [r["_t_hybrid_ns"] / 1000 for r in ok]
    ys = [r["_e_hybrid_nj"] / 1000 for r in ok]
    areas = [r["_area_mm2"] for r in ok]
    sc = ax.scatter(xs, ys, c=areas, cmap="viridis", s=36, zorder=3)
    front = sorted((r for r in ok if r["_pareto"]), key=lambda r: r["_t_hybrid_ns"])
    ax.scatter([r["_t_hybrid_ns"] / 1000 for r in front], [r["_e_hybrid_nj"] / 1000 for r in front],
               s=110, facecolors="none", edgecolors="tab:red", linewidths=1.2, zorder=4,
               label="Pareto front (latency, energy, area)")
    ax.plot([r["_t_hybrid_ns"] / 1000 for r in front], [r["_e_hybrid_nj"] / 1000 for r in front],
            color="tab:red", linewidth=0.8, zorder=2)
    for r, x, y in zip(ok, xs, ys):
        label = []
        if r["_clusters"] is not None:
            label.append(f"{r['_clusters']:.0f}c")
        if r["_t_int"] is not None:
            label.append(f"{r['_t_int']:g}ns")
        ax.annotate(" ".join(label), (x, y), textcoords="offset points", xytext=(4, 3),
                    fontsize=7)
    fig.colorbar(sc, ax=ax, label="area (mm²)")
    ax.set_xlabel("hybrid latency (µs)")
    ax.set_ylabel("hybrid energy (µJ)")
    parts = ", ".join(unique_in_order(r["part"] for r in ok))
    ax.set_title(f"What a configuration costs ({parts})")
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    save(fig, path)
    plt.close(fig)


# ---------------------------------------------------------------- main

def main(argv):
    parser = argparse.ArgumentParser(
        description="Summarise an AHWA-LoRA study sweep: summary.md and plots in DIR.")
    parser.add_argument("dir", help="sweep output directory holding results.csv")
    parser.add_argument("--trace", help="trace-event JSON of one layer (aimcsim layer --trace)")
    parser.add_argument("--trace-title", help="what the trace shows, for the timeline's title "
                        "(default: the file name)")
    args = parser.parse_args(argv)
    try:
        rows = read_results(args.dir)
        text = summary(args.dir, rows)
        with open(os.path.join(args.dir, "summary.md"), "w", encoding="utf-8") as f:
            f.write(text)
        print(text)
        layers = [r for r in rows if r["part"] == "layers"]
        written = [os.path.join(args.dir, "summary.md")]
        if layers:
            plot_overhead(layers, os.path.join(args.dir, "overhead_vs_tint.png"),
                          tokens_of(args.dir))
            plot_tcdm(layers, os.path.join(args.dir, "tcdm_vs_chunk.png"))
            written += [os.path.join(args.dir, n) for n in ("overhead_vs_tint.png",
                                                            "tcdm_vs_chunk.png")]
        costed = ([r for r in rows if r["part"] == PLATFORM_PART]
                  or [r for r in rows if r["part"] not in ("layers",) + PERIPHERY_PARTS])
        if costed:
            plot_pareto(costed, os.path.join(args.dir, "pareto.png"))
            written.append(os.path.join(args.dir, "pareto.png"))
        if args.trace:
            plot_timeline(args.trace, os.path.join(args.dir, "timeline.png"), args.trace_title)
            written.append(os.path.join(args.dir, "timeline.png"))
        print("wrote " + ", ".join(written), file=sys.stderr)
    except ReportError as e:
        print(f"study-report: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
