#include "platform/commands.h"

#include "models/sim/errors.h"
#include "platform/layer_experiment.h"
#include "platform/model_experiment.h"
#include "platform/output.h"
#include "platform/runtime.h"
#include "platform/trace.h"
#include "workloads/hf_import.h"

#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace aimcsim::platform {
namespace {

using json = nlohmann::ordered_json;

// The platform file with --set overrides, then extra_sets.
LoadedPlatform load_platform(const PlatformOptions& o, const std::string& name,
                             const std::vector<std::string>& extra_sets = {}) {
  std::vector<std::string> overrides = o.sets;
  overrides.insert(overrides.end(), extra_sets.begin(), extra_sets.end());
  return platform::load_platform(o.platform, overrides, name);
}

cluster::Precision precision_of(const std::string& text) {
  cluster::Precision p;
  if (!cluster::parse_precision(text, p))
    throw sim::UserError(fmt::format("--precision '{}': expected fp16 or fp8", text));
  return p;
}

workloads::LayerSpec layer_spec(std::uint64_t d_in, std::uint64_t d_out, std::uint64_t rank,
                                std::uint64_t tokens, const std::string& precision) {
  workloads::LayerSpec s;
  s.d_in = d_in;
  s.d_out = d_out;
  s.rank = rank;
  s.tokens = tokens;
  s.precision = precision_of(precision);
  s.validate();
  return s;
}

std::string percent(double fraction) {
  return fmt::format("{:+.1f}%", fraction * 100.0);
}

json layer_json(const LayerRequest& r, const LayerOutcome& o) {
  json j;
  j["d_in"] = r.spec.d_in;
  j["d_out"] = r.spec.d_out;
  j["rank"] = r.spec.rank;
  j["tokens"] = r.spec.tokens;
  j["precision"] = cluster::to_string(r.spec.precision);
  j["strategy"] = r.strategy;
  j["chunk"] = o.chunk;
  j["chunk_chosen"] = o.chunk_chosen;
  j["tiles"] = o.tiles;
  j["t_analog_ns"] = o.t_analog_ns();
  j["t_hybrid_ns"] = o.t_hybrid_ns();
  j["overhead"] = o.overhead();
  j["tcdm_peak_bytes"] = o.tcdm_peak_bytes;
  j["tcdm_buffers"] = o.tcdm_breakdown;
  j["busy_ns"] = {{"analog", o.busy_analog}, {"hybrid", o.busy_hybrid}};
  j["stats_hybrid"] = o.stats_hybrid;
  return j;
}

}  // namespace

int layer_command(const LayerOptions& o) {
  LayerRequest request;
  request.spec = layer_spec(o.d_in, o.d_out, o.rank, o.tokens, o.precision);
  request.strategy = o.strategy;
  request.chunk = o.chunk;
  workloads::PipelineStrategy::make(o.strategy);  // reject a bad name before building
  LoadedPlatform p = load_platform(o.platform, "platform");
  const LayerOutcome out = run_layer(*p.platform, request);

  std::cout << fmt::format("layer {}->{}  rank {}  {} tokens  {}  strategy {}  on {}\n", o.d_in,
                           o.d_out, o.rank, o.tokens, o.precision, o.strategy, o.platform.platform);
  if (out.chunk_chosen) {
    std::string tried;
    for (auto c : out.tried) tried += (tried.empty() ? "" : ",") + std::to_string(c);
    std::cout << fmt::format("chunk {} tokens per LoRA job (chosen: fastest of {} that fit)\n",
                             out.chunk, tried);
  } else {
    std::cout << fmt::format("chunk {} tokens per LoRA job\n", out.chunk);
  }
  std::cout << fmt::format("tiles {}   TCDM {:.1f} of {:.0f} KiB ({})\n\n", out.tiles,
                           out.tcdm_peak_bytes / 1024.0,
                           p.platform->cluster(0).tcdm().size() / 1024.0, out.tcdm_breakdown);
  std::cout << fmt::format("{:<20}{:>14}{:>14}\n", "", "fully-analog", "hybrid");
  std::cout << fmt::format("{:<20}{:>14.1f}{:>14.1f}\n", "latency (ns)", out.t_analog_ns(),
                           out.t_hybrid_ns());
  for (const auto& [unit, ns] : out.busy_hybrid.items())
    std::cout << fmt::format("{:<20}{:>14.1f}{:>14.1f}\n", "busy " + unit + " (ns)",
                             out.busy_analog[unit].get<double>(), ns.get<double>());
  std::cout << fmt::format("{:<20}{:>14}{:>14}\n", "overhead", "", percent(out.overhead()));
  if (!o.json.empty()) {
    write_result(o.json, layer_json(request, out).dump(2) + "\n", p.config);
    std::cout << fmt::format("\nwrote {} and {}\n", o.json, config_path_for(o.json));
  }
  if (!o.trace.empty()) {
    const std::vector<TracedRun> runs{{"fully-analog", &out.analog_graph, &out.analog},
                                      {"hybrid", &out.hybrid_graph, &out.hybrid}};
    write_file(o.trace, trace_events(runs).dump() + "\n");
    std::cout << fmt::format("{}wrote {}\n", o.json.empty() ? "\n" : "", o.trace);
  }
  return 0;
}

int kernel_command(const KernelOptions& o) {
  const cluster::Precision precision = precision_of(o.precision);
  if (o.engine != "redmule" && o.engine != "cores")
    throw sim::UserError(fmt::format("--engine '{}': expected redmule or cores", o.engine));
  if (o.kernel != "gemm" && o.engine == "redmule")
    throw sim::UserError(fmt::format(
        "kernel {} runs on the worker cores: use --engine cores (RedMulE runs gemm only)",
        o.kernel));
  const bool is_gemm = o.kernel == "gemm";
  if (is_gemm && (o.m == 0 || o.n == 0 || o.k == 0))
    throw sim::UserError("--m, --n and --k must be positive integers");
  if (!is_gemm && o.elements == 0)
    throw sim::UserError("--elements must be a positive integer, got 0");

  LoadedPlatform p = load_platform(o.platform, "platform");
  cluster::SnitchCluster& cl = p.platform->cluster(0);
  workloads::Task task;
  task.name = o.kernel;
  task.precision = precision;
  std::uint64_t setup = 0;
  std::uint64_t bytes = 0;
  if (o.engine == "redmule") {
    task.kind = workloads::TaskKind::gemm_redmule;
    const auto c = cl.redmule().cost(o.m, o.n, o.k, precision);
    setup = c.setup_cycles;
    bytes = c.tcdm_bytes;
  } else {
    task.kind = workloads::TaskKind::core_kernel;
    task.kernel = o.kernel;
    if (!is_gemm && o.elements % o.rows != 0)
      throw sim::UserError(
          fmt::format("--elements {} is not a multiple of --rows {}", o.elements, o.rows));
    const auto c = is_gemm ? cl.cores().gemm_cost(o.m, o.n, o.k, precision)
                           : cl.cores().kernel_cost(o.kernel, o.elements, o.rows, precision);
    setup = c.setup_cycles;
    bytes = c.tcdm_bytes;
  }
  task.m = o.m;
  task.n = o.n;
  task.k = o.k;
  task.elements = o.elements;
  task.rows = o.rows;
  workloads::TaskGraph graph;
  graph.add(task);
  p.platform->reset_stats();
  const RunResult r = run_graph(*p.platform, graph);
  const std::uint64_t cycles = r.makespan_ps() / cl.period().ps;

  json j;
  j["kernel"] = o.kernel;
  j["engine"] = o.engine;
  j["precision"] = o.precision;
  if (is_gemm) {
    j["m"] = o.m;
    j["n"] = o.n;
    j["k"] = o.k;
  } else {
    j["elements"] = o.elements;
  }
  j["cycles"] = cycles;
  j["setup_cycles"] = setup;
  j["compute_cycles"] = cycles - setup;
  j["time_ns"] = r.makespan_ps() / 1000.0;
  j["tcdm_bytes"] = bytes;
  if (is_gemm) {
    const double fmas = static_cast<double>(o.m * o.n * o.k);
    j["fmas_per_cycle"] = fmas / static_cast<double>(cycles);
    if (o.engine == "redmule")
      j["utilisation"] = fmas / static_cast<double>(cycles * cl.redmule().fmas_per_cycle());
  }
  std::cout << fmt::format("kernel {} on {} ({}): {} cycles = {} setup + {} compute ({:.1f} ns)\n",
                           o.kernel, o.engine, o.precision, cycles, setup, cycles - setup,
                           r.makespan_ps() / 1000.0);
  if (j.contains("utilisation"))
    std::cout << fmt::format("  {:.2f} FMA/cycle, array utilisation {:.1f}%\n",
                             j["fmas_per_cycle"].get<double>(),
                             j["utilisation"].get<double>() * 100.0);
  if (!o.json.empty()) write_result(o.json, j.dump(2) + "\n", p.config);
  return 0;
}

int study_command(const StudyOptions& o) {
  const std::vector<std::pair<std::uint64_t, std::uint64_t>> shapes{
      {128, 128}, {512, 128}, {128, 512}};  // MobileBERT's static layer shapes
  const std::vector<std::string> t_ints{"128ns", "256ns", "512ns"};
  // One platform per t_int, all in one elaboration.
  std::vector<LoadedPlatform> platforms;
  for (const auto& t : t_ints)
    platforms.push_back(load_platform(o.platform, "platform_tint_" + t, {"aimc.t_int=" + t}));

  std::cout << fmt::format(
      "layer study on {}: rank {}, {} tokens, chunk = fastest that fits the TCDM\n\n",
      o.platform.platform, o.rank, o.tokens);
  std::cout << fmt::format("{:<10}{:>7}  {:<10}{:>6}{:>13}{:>13}{:>10}{:>11}\n", "shape", "t_int",
                           "strategy", "chunk", "analog ns", "hybrid ns", "overhead", "TCDM KiB");
  json rows = json::array();
  for (const auto& [d_in, d_out] : shapes) {
    for (std::size_t ti = 0; ti < t_ints.size(); ++ti) {
      for (const auto& strategy : workloads::PipelineStrategy::names()) {
        LayerRequest r;
        r.spec = layer_spec(d_in, d_out, o.rank, o.tokens, "fp16");
        r.strategy = strategy;
        const LayerOutcome out = run_layer(*platforms[ti].platform, r);
        std::cout << fmt::format("{:<10}{:>7}  {:<10}{:>6}{:>13.1f}{:>13.1f}{:>10}{:>11.1f}\n",
                                 fmt::format("{}->{}", d_in, d_out), t_ints[ti], strategy,
                                 out.chunk, out.t_analog_ns(), out.t_hybrid_ns(),
                                 percent(out.overhead()), out.tcdm_peak_bytes / 1024.0);
        json row = layer_json(r, out);
        row.erase("stats_hybrid");
        row["t_int"] = t_ints[ti];
        rows.push_back(row);
      }
    }
  }
  if (!o.json.empty()) {
    write_result(o.json, rows.dump(2) + "\n", platforms.front().config);
    std::cout << fmt::format("\nwrote {}\n", o.json);
  }
  return 0;
}

int run_command(const RunOptions& o) {
  // Every option is checked before anything is built or simulated.
  ModelRequest request;
  request.lora = o.lora.empty() ? workloads::LoraSpec{} : workloads::LoraSpec::parse(o.lora);
  if (o.phase != "prefill" && o.phase != "decode")
    throw sim::UserError(fmt::format("--phase '{}': expected prefill or decode", o.phase));
  if (o.schedule != "streaming" && o.schedule != "layer-by-layer")
    throw sim::UserError(
        fmt::format("--schedule '{}': expected streaming or layer-by-layer", o.schedule));
  workloads::PipelineStrategy::make(o.strategy);
  request.strategy = o.strategy;
  request.schedule.seq = o.seq;
  request.schedule.batch = o.batch;
  request.schedule.decode = o.phase == "decode";
  request.schedule.streaming = o.schedule == "streaming";
  request.chunk = o.chunk;
  request.policy.pack_tiles = o.pack_tiles;
  request.policy.clusters_per_layer = static_cast<unsigned>(o.lora_clusters);
  request.model = workloads::load_model(o.model);
  request.lora.check_against(request.model);
  if (o.out.empty()) throw sim::UserError("--out DIR is required");

  LoadedPlatform p = load_platform(o.platform, "platform");
  const ModelOutcome outcome = run_model(*p.platform, request);
  const json report = model_report(request, outcome, *p.platform, o.platform.platform);

  std::error_code ec;
  std::filesystem::create_directories(o.out, ec);
  if (ec)
    throw sim::UserError(
        fmt::format("--out {}: cannot create the directory: {}", o.out, ec.message()));
  const std::string run_yaml = fmt::format(
      "run:\n  model: {}\n  lora: {}\n  seq: {}\n  batch: {}\n  phase: {}\n  strategy: {}\n"
      "  schedule: {}\n  chunk: {}\n  pack_tiles: {}\n  lora_clusters: {}\n",
      o.model, request.lora.str(), o.seq, o.batch, o.phase, o.strategy, o.schedule, o.chunk,
      o.pack_tiles, o.lora_clusters);
  write_file(o.out + "/config.yaml", p.config.effective_yaml() + run_yaml);
  write_file(o.out + "/report.json", report.dump(2) + "\n");
  if (!o.trace.empty()) {
    const std::vector<TracedRun> runs{
        {"fully-analog", &outcome.analog.graph, &outcome.analog_run, &outcome.analog.ops},
        {"hybrid", &outcome.hybrid.graph, &outcome.hybrid_run, &outcome.hybrid.ops}};
    write_file(o.trace, trace_events(runs).dump() + "\n");
  }
  std::cout << model_summary(request, outcome, *p.platform);
  std::cout << fmt::format("\nwrote {0}/report.json and {0}/config.yaml\n", o.out);
  if (!o.trace.empty()) std::cout << fmt::format("wrote {}\n", o.trace);
  return 0;
}

int import_command(const ImportOptions& o) {
  const workloads::ModelDescription m = workloads::import_hf_config(o.config_json);
  const std::string text = workloads::to_yaml(
      m, fmt::format("{}: derived from {} by `aimcsim import`.\n"
                     "Operators over per-token tensors; see workloads/model_description.h.",
                     m.name, o.config_json));
  if (o.out.empty())
    std::cout << text;
  else
    write_file(o.out, text);
  return 0;
}

int list_models_command() {
  std::cout << fmt::format("{:<24}{:<16}{}\n", "type", "family", "description");
  for (const auto& [type, entry] : sim::ModelRegistry::instance().entries())
    std::cout << fmt::format("{:<24}{:<16}{}\n", type, entry.family, entry.description);
  return 0;
}

}  // namespace aimcsim::platform
