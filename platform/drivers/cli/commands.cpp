#include "platform/drivers/cli/commands.h"
#include "platform/experiments/cost_report.h"

#include "models/sim/checked.h"
#include "models/sim/errors.h"
#include "models/sim/input.h"
#include "platform/experiments/adapter_experiment.h"
#include "platform/experiments/chunk_search.h"
#include "platform/experiments/generation_experiment.h"
#include "platform/experiments/layer_experiment.h"
#include "platform/experiments/model_experiment.h"
#include "platform/drivers/output.h"
#include "platform/assembly/runtime.h"
#include "platform/experiments/trace.h"
#include "workloads/hf_import.h"
#include "workloads/pipeline/mode.h"
#include "workloads/safetensors.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace aimcsim::platform {
namespace {

bool one_of(const std::string& v, const std::vector<std::string>& choices) {
  return std::find(choices.begin(), choices.end(), v) != choices.end();
}

using json = nlohmann::ordered_json;

// The platform file with --set overrides, then extra_sets, under the command's limits.
LoadedPlatform load_platform(const PlatformOptions& o, const std::string& name,
                             const std::vector<std::string>& extra_sets = {}) {
  std::vector<std::string> overrides = o.sets;
  overrides.insert(overrides.end(), extra_sets.begin(), extra_sets.end());
  return platform::load_platform(o.platform, overrides, name, o.limits);
}

// A --json FILE and the effective configuration beside it.
void declare_json(OutputSet& outputs, const std::string& json_path) {
  if (json_path.empty()) return;
  outputs.file("--json", json_path);
  outputs.file("--json", config_path_for(json_path));
}
void stage_json(OutputSet& outputs, const std::string& json_path, const std::string& json,
                const sim::Config& config) {
  if (json_path.empty()) return;
  outputs.set(json_path, json);
  outputs.set(config_path_for(json_path), config.effective_yaml());
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

// What the platform's models accepted without modelling it, one line each on stderr.
void print_notes(const sim::Config& config) {
  for (const auto& note : config.notes()) std::cerr << "aimcsim: note: " << note << "\n";
}

std::string percent(double fraction) {
  return fmt::format("{:+.1f}%", fraction * 100.0);
}

ValueRequest value_request(const ValueOptions& o) {
  ValueRequest r;
  r.on = o.functional;
  r.ideal = o.ideal;
  r.seed = o.seed;
  r.weights = o.weights.empty() ? "" : resolve_input_path(o.weights);
  r.adapter = o.adapter.empty() ? "" : resolve_input_path(o.adapter);
  r.tensor = o.tensor;
  r.values_out = o.values_out;
  r.validate();
  return r;
}

// --values-out FILE: declared before anything runs, written with the other outputs.
void declare_values(OutputSet& outputs, const ValueRequest& r) {
  if (!r.values_out.empty()) outputs.file("--values-out", r.values_out);
}
void stage_values(OutputSet& outputs, const ValueRequest& r,
                  const std::optional<ValueReport>& report) {
  if (!r.values_out.empty() && report)
    outputs.set(r.values_out, workloads::safetensors_bytes(report->tensors));
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
  add_pair_costs(j, o.cost_analog, o.cost_hybrid);
  if (o.values) {
    json f = o.values->json()["output"];
    f["seed"] = r.values.seed;
    f["weights"] = r.values.weights.empty() ? "synthetic" : r.values.weights;
    f["ideal"] = r.values.ideal;
    j["functional"] = f;
  }
  j["stats_hybrid"] = o.stats_hybrid;
  return j;
}

}  // namespace

int layer_command(const LayerOptions& o) {
  LayerRequest request;
  request.spec = layer_spec(o.d_in, o.d_out, o.rank, o.tokens, o.precision);
  request.strategy = o.strategy;
  request.chunk = o.chunk;
  request.keep_graphs = !o.trace.empty();
  request.keep_stats = true;  // layer --json carries every statistic
  request.values = value_request(o.values);
  workloads::PipelineStrategy::make(o.strategy);  // reject a bad name before building
  OutputSet outputs;  // every output path is checked before anything runs
  declare_json(outputs, o.json);
  if (!o.trace.empty()) outputs.file("--trace", o.trace);
  declare_values(outputs, request.values);
  LoadedPlatform p = load_platform(o.platform, "platform");
  print_notes(p.config);
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
  std::cout << "\n" << cost_table(out.cost_analog, out.cost_hybrid);
  if (out.values) std::cout << values_summary(*out.values, request.values);
  stage_json(outputs, o.json, layer_json(request, out).dump(2) + "\n", p.config);
  stage_values(outputs, request.values, out.values);
  if (!o.trace.empty()) {
    const std::vector<TracedRun> runs{{"fully-analog", &out.analog_graph, &out.analog},
                                      {"hybrid", &out.hybrid_graph, &out.hybrid}};
    outputs.set(o.trace, trace_events(runs).dump() + "\n");
  }
  outputs.commit();
  if (!o.json.empty())
    std::cout << fmt::format("\nwrote {} and {}\n", o.json, config_path_for(o.json));
  if (!o.trace.empty())
    std::cout << fmt::format("{}wrote {}\n", o.json.empty() ? "\n" : "", o.trace);
  return 0;
}

int kernel_command(const KernelOptions& o) {
  const cluster::Precision precision = precision_of(o.precision);
  cluster::Kernel kernel;
  if (!cluster::parse_kernel(o.kernel, kernel))
    throw sim::UserError(
        fmt::format("kernel '{}': expected gemm or one of the core kernels", o.kernel));
  if (o.engine != "redmule" && o.engine != "cores")
    throw sim::UserError(fmt::format("--engine '{}': expected redmule or cores", o.engine));
  const bool is_gemm = kernel == cluster::Kernel::gemm;
  if (!is_gemm && o.engine == "redmule")
    throw sim::UserError(fmt::format(
        "kernel {} runs on the worker cores: use --engine cores (RedMulE runs gemm only)",
        o.kernel));
  if (is_gemm && (o.m == 0 || o.n == 0 || o.k == 0))
    throw sim::UserError("--m, --n and --k must be positive integers");
  if (!is_gemm && o.elements == 0)
    throw sim::UserError("--elements must be a positive integer, got 0");
  if (!is_gemm && o.elements % o.rows != 0)
    throw sim::UserError(
        fmt::format("--elements {} is not a multiple of --rows {}", o.elements, o.rows));
  OutputSet outputs;
  declare_json(outputs, o.json);

  LoadedPlatform p = load_platform(o.platform, "platform");
  print_notes(p.config);
  cluster::SnitchCluster& cl = p.platform->cluster(0);
  // The command times a job on operands already in the TCDM: they must fit it.
  const char* what = "the kernel's operand bytes";
  const std::uint64_t eb = cluster::element_bytes(precision);
  const std::uint64_t operands =
      is_gemm
          ? sim::mul(sim::add(sim::add(sim::mul(o.m, o.n, what), sim::mul(o.n, o.k, what), what),
                              sim::mul(o.m, o.k, what), what),
                     eb, what)
          : cluster::WorkerCores::operand_bytes(kernel, o.elements, o.rows, precision);
  if (operands > cl.tcdm().size())
    throw sim::UserError(fmt::format(
        "kernel {}: its operands take {} bytes ({}), more than the TCDM's {} bytes; the kernel "
        "runs on operands already in the TCDM: use smaller sizes or --set "
        "cluster.tcdm.size=SIZE",
        o.kernel, operands,
        is_gemm ? fmt::format("X {}x{}, W {}x{}, Z {}x{} of {} B", o.m, o.n, o.n, o.k, o.m, o.k, eb)
                : fmt::format("{} elements of {} B with its other operands", o.elements, eb),
        cl.tcdm().size()));

  workloads::Task task;
  std::uint64_t setup = 0;
  std::uint64_t bytes = 0;
  json redmule_terms;
  const cluster::GemmOp op = o.op == "matmul" ? cluster::GemmOp::matmul : cluster::GemmOp::gemm;
  if (o.engine == "redmule") {
    task = workloads::Task::gemm(0, o.m, o.n, o.k, precision, op);
    const auto c = cl.redmule().cost(o.m, o.n, o.k, precision, op);
    setup = c.setup_cycles();
    bytes = c.tcdm_bytes;
    redmule_terms = {{"program", c.program_cycles},
                     {"tiler", c.tiler_cycles},
                     {"preload", c.preload_cycles},
                     {"tiles", c.tile_cycles},
                     {"drain", c.drain_cycles},
                     {"tile_count", c.tiles},
                     {"beats", c.beats}};
  } else {
    if (o.op != "gemm")
      throw sim::UserError("--op matmul is a RedMulE operation: use it with --engine redmule");
    task = is_gemm ? workloads::Task::core_gemm(0, o.m, o.n, o.k, precision)
                   : workloads::Task::kernel_task(0, kernel, o.elements, o.rows, precision);
    const auto c = is_gemm ? cl.cores().gemm_cost(o.m, o.n, o.k, precision)
                           : cl.cores().kernel_cost(kernel, o.elements, o.rows, precision);
    setup = c.setup_cycles;
    bytes = c.tcdm_bytes;
  }
  workloads::TaskGraph graph;
  graph.add(task);
  p.platform->reset_stats();
  const RunResult r = run_graph(*p.platform, graph);
  const std::uint64_t cycles = r.makespan_ps() / cl.period().ps;

  json j;
  j["kernel"] = o.kernel;
  j["engine"] = o.engine;
  j["precision"] = o.precision;
  if (o.engine == "redmule") {
    j["op"] = o.op;
    j["cycle_terms"] = redmule_terms;
  }
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
  const RunCost cost = p.platform->cost();
  sim::Attojoules dynamic = 0;
  for (const auto& u : cost.units) dynamic += u.dynamic_aj;
  j["energy_dynamic_pj"] = sim::to_pj(dynamic);  // the engine's events and its TCDM traffic
  j["energy_nj"] = energy_per_unit_nj(cost);     // per unit type, leakage over the job included
  if (is_gemm) {
    const double fmas =
        static_cast<double>(o.m) * static_cast<double>(o.n) * static_cast<double>(o.k);
    j["fmas_per_cycle"] = fmas / static_cast<double>(cycles);
    if (o.engine == "redmule")
      j["utilisation"] = fmas / (static_cast<double>(cycles) *
                                 static_cast<double>(precision == cluster::Precision::fp8
                                                         ? cl.redmule().fp8_fmas_per_cycle()
                                                         : cl.redmule().fmas_per_cycle()));
  }
  std::cout << fmt::format("kernel {} on {} ({}): {} cycles = {} setup + {} compute ({:.1f} ns)\n",
                           o.kernel, o.engine, o.precision, cycles, setup, cycles - setup,
                           r.makespan_ps() / 1000.0);
  std::cout << fmt::format(
      "  {:.1f} pJ dynamic (engine and TCDM), {:.1f} pJ with the platform's "
      "leakage over the job\n",
      sim::to_pj(dynamic), sim::to_pj(cost.total_aj()));
  if (o.engine == "redmule")
    std::cout << fmt::format(
        "  {}: program {} + tiler {} + preload {} + {} tiles {} + drain {} cycles; {} TCDM "
        "beats\n",
        o.op, redmule_terms["program"].get<std::uint64_t>(),
        redmule_terms["tiler"].get<std::uint64_t>(), redmule_terms["preload"].get<std::uint64_t>(),
        redmule_terms["tile_count"].get<std::uint64_t>(),
        redmule_terms["tiles"].get<std::uint64_t>(), redmule_terms["drain"].get<std::uint64_t>(),
        redmule_terms["beats"].get<std::uint64_t>());
  if (j.contains("utilisation"))
    std::cout << fmt::format("  {:.2f} FMA/cycle, array utilisation {:.1f}%\n",
                             j["fmas_per_cycle"].get<double>(),
                             j["utilisation"].get<double>() * 100.0);
  stage_json(outputs, o.json, j.dump(2) + "\n", p.config);
  outputs.commit();
  return 0;
}

int study_command(const StudyOptions& o) {
  const std::vector<std::pair<std::uint64_t, std::uint64_t>> shapes{
      {128, 128}, {512, 128}, {128, 512}};  // MobileBERT's static layer shapes
  for (const auto& set : o.platform.sets)
    if (set.rfind("aimc.t_int=", 0) == 0)
      throw sim::UserError(
          fmt::format("--set {}: the study sweeps aimc.t_int itself; give its values with --t-int "
                      "(e.g. --t-int 1000ns)",
                      set));
  if (o.t_ints.empty()) throw sim::UserError("--t-int: expected at least one time");
  for (std::size_t i = 0; i < o.t_ints.size(); ++i)
    for (std::size_t k = 0; k < i; ++k)
      if (o.t_ints[i] == o.t_ints[k])
        throw sim::UserError(fmt::format("--t-int {} is given twice", o.t_ints[i]));
  OutputSet outputs;
  declare_json(outputs, o.json);
  // One platform per t_int, all in one elaboration.
  std::vector<LoadedPlatform> platforms;
  for (std::size_t i = 0; i < o.t_ints.size(); ++i)
    platforms.push_back(load_platform(o.platform, fmt::format("platform_tint_{}", i),
                                      {"aimc.t_int=" + o.t_ints[i]}));
  print_notes(platforms.front().config);

  std::cout << fmt::format(
      "layer study on {}: rank {}, {} tokens, chunk = fastest that fits the TCDM\n\n",
      o.platform.platform, o.rank, o.tokens);
  std::cout << fmt::format("{:<10}{:>7}  {:<10}{:>6}{:>13}{:>13}{:>10}{:>11}{:>13}\n", "shape",
                           "t_int", "strategy", "chunk", "analog ns", "hybrid ns", "overhead",
                           "TCDM KiB", "energy ovh");
  json rows = json::array();
  for (const auto& [d_in, d_out] : shapes) {
    for (std::size_t ti = 0; ti < o.t_ints.size(); ++ti) {
      const std::string t_int = sim::Time::parse(o.t_ints[ti]).str();
      for (const auto& strategy : workloads::PipelineStrategy::names()) {
        LayerRequest r;
        r.spec = layer_spec(d_in, d_out, o.rank, o.tokens, "fp16");
        r.strategy = strategy;
        const LayerOutcome out = run_layer(*platforms[ti].platform, r);
        std::cout << fmt::format(
            "{:<10}{:>7}  {:<10}{:>6}{:>13.1f}{:>13.1f}{:>10}{:>11.1f}{:>13}\n",
            fmt::format("{}->{}", d_in, d_out), t_int, strategy, out.chunk, out.t_analog_ns(),
            out.t_hybrid_ns(), percent(out.overhead()), out.tcdm_peak_bytes / 1024.0,
            out.cost_analog.total_aj() > 0
                ? percent(energy_overhead(out.cost_analog, out.cost_hybrid))
                : std::string("n/a"));
        json row = layer_json(r, out);
        row.erase("stats_hybrid");
        row["t_int"] = t_int;
        rows.push_back(row);
      }
    }
  }
  stage_json(outputs, o.json, rows.dump(2) + "\n", platforms.front().config);
  outputs.commit();
  if (!o.json.empty()) std::cout << fmt::format("\nwrote {}\n", o.json);
  return 0;
}

namespace {

// --chunk N: a positive number of tokens.
std::uint64_t positive_chunk(const std::string& text) {
  std::uint64_t n = 0;
  const bool digits = !text.empty() && text.size() <= 12 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  if (digits) n = std::stoull(text);
  if (n == 0)
    throw sim::UserError(
        fmt::format("--chunk '{}': expected a positive number of tokens or search", text));
  return n;
}

// The pipeline mode of --pipeline, or of the retired --schedule (an alias), or xb-pipe.
std::string pipeline_of(const RunOptions& o) {
  std::string from_schedule;
  if (!o.schedule.empty()) {
    from_schedule = workloads::PipelineMode::from_schedule(o.schedule);
    if (from_schedule.empty())
      throw sim::UserError(fmt::format(
          "--schedule '{}': expected streaming (= --pipeline xb-pipe) or layer-by-layer "
          "(= --pipeline il-par)",
          o.schedule));
  }
  if (o.pipeline.empty()) return from_schedule.empty() ? "xb-pipe" : from_schedule;
  const std::string mode = workloads::PipelineMode::make(o.pipeline)->name();
  if (!from_schedule.empty() && from_schedule != mode)
    throw sim::UserError(
        fmt::format("--schedule {} means --pipeline {}, but --pipeline says {}: give one of them",
                    o.schedule, from_schedule, o.pipeline));
  return mode;
}

}  // namespace

int run_command(const RunOptions& o) {
  // Every option is checked before anything is built or simulated.
  ModelRequest request;
  // Several named adapters: the first is the main report's; --requests is their sequence.
  std::vector<workloads::TaskAdapter> adapters;
  std::vector<std::string> requests;
  if (workloads::names_tasks(o.lora)) {
    adapters = workloads::parse_adapters(o.lora);
    request.lora = adapters.front().lora;
    if (o.requests.empty()) {
      for (const auto& a : adapters) requests.push_back(a.task);
    } else {
      namespace fs = std::filesystem;
      std::error_code ec;
      const bool file =
          o.requests.find(',') == std::string::npos && fs::is_regular_file(o.requests, ec);
      requests = workloads::parse_requests(
          file ? sim::read_input_file(o.requests, "--requests") : o.requests, adapters,
          file ? o.requests : "--requests '" + o.requests + "'");
    }
  } else {
    request.lora = o.lora.empty() ? workloads::LoraSpec{} : workloads::LoraSpec::parse(o.lora);
    if (!o.requests.empty())
      throw sim::UserError(
          "--requests needs named adapters: --lora 'task=NAME,rank=...;task=NAME2,...'");
  }
  if (o.generate > 0 && !adapters.empty())
    throw sim::UserError(
        "--generate with named adapters: give one of them (generation runs one adapter)");
  if (o.phase != "prefill" && o.phase != "decode")
    throw sim::UserError(fmt::format("--phase '{}': expected prefill or decode", o.phase));
  request.schedule.pipeline = pipeline_of(o);
  request.schedule.attention = o.attention;
  request.schedule.kv_block = o.kv_block;
  workloads::PipelineStrategy::make(o.strategy);
  request.strategy = o.strategy;
  request.schedule.seq = o.seq;
  request.schedule.batch = o.batch;
  request.schedule.decode = o.phase == "decode";
  const bool search = o.chunk == "search";
  if (!search && !o.chunk.empty()) request.chunk = positive_chunk(o.chunk);
  if (!o.objective.empty() && !search)
    throw sim::UserError("--objective chooses what --chunk search minimises: give --chunk search");
  const Objective objective = parse_objective(o.objective.empty() ? "latency" : o.objective);
  if (o.pack_tiles && !o.packing.empty() && o.packing != "diagonal")
    throw sim::UserError(fmt::format(
        "--pack-tiles packs diagonally but --packing says '{}': give one of them", o.packing));
  request.packing = o.pack_tiles ? "diagonal" : o.packing;
  if (!request.packing.empty() && !one_of(request.packing, workloads::packing_names()))
    throw sim::UserError(
        fmt::format("--packing '{}': expected none, diagonal or dense", request.packing));
  request.tier_policy = o.tier_policy;
  if (!request.tier_policy.empty() && !one_of(request.tier_policy, workloads::tier_policy_names()))
    throw sim::UserError(
        fmt::format("--tier-policy '{}': expected latency, area or balance", request.tier_policy));
  request.policy.clusters_per_layer = static_cast<unsigned>(o.lora_clusters);
  request.keep_graphs = !o.trace.empty();
  request.model = workloads::load_model(o.model);
  request.validate();
  const ValueRequest values = value_request(o.values);  // its errors before anything runs
  if (o.values.functional && o.generate > 0)
    throw sim::UserError(
        "--functional computes a prefill's values; --generate's decode steps would need the KV "
        "cache's values: give one of them");
  if (o.values.functional && !adapters.empty())
    throw sim::UserError(
        "--functional with named adapters: values are computed for one adapter; run each task "
        "alone with --lora rank=...");
  if (!o.values.tensor.empty())
    throw sim::UserError(
        "--tensor names the layer command's weight tensor; run matches every "
        "linear by its Hugging Face name");
  if (o.out.empty()) throw sim::UserError("--out DIR is required");
  if (o.trace_pipeline && o.trace.empty())
    throw sim::UserError("--trace-pipeline details the trace: give --trace FILE with it");
  OutputSet outputs;
  outputs.directory("--out", o.out);
  outputs.file("--out", o.out + "/config.yaml");
  outputs.file("--out", o.out + "/report.json");
  if (!o.trace.empty()) outputs.file("--trace", o.trace);
  declare_values(outputs, values);

  std::optional<ChunkSearchOutcome> searched;
  if (search) {  // in worker processes, before this one builds a platform
    searched = search_chunks([&o] { return load_platform(o.platform, "platform"); }, request,
                             objective, o.jobs ? o.jobs : std::thread::hardware_concurrency());
    const ChunkCandidate& w = searched->tried[searched->winner];
    request.chunk = w.chunk;
    request.chunk_by_shape = w.by_shape;
  }
  request.values = values;  // after the search: its candidates time only
  LoadedPlatform p = load_platform(o.platform, "platform");
  print_notes(p.config);
  if (o.generate > 0) check_generation(*p.platform, request, o.generate);
  const ModelOutcome outcome = run_model(*p.platform, request);
  json report = model_report(request, outcome, *p.platform, o.platform.platform);
  std::string summary = model_summary(request, outcome, *p.platform);
  if (outcome.values) {
    json f = outcome.values->json();
    f["seed"] = request.values.seed;
    f["weights"] = request.values.weights.empty() ? "synthetic" : request.values.weights;
    f["adapter"] = request.values.adapter.empty() ? "synthetic" : request.values.adapter;
    f["ideal"] = request.values.ideal;
    report["functional"] = f;
    summary += values_summary(*outcome.values, request.values);
  }
  stage_values(outputs, values, outcome.values);
  if (!adapters.empty()) {
    for (const auto& a : adapters) a.lora.check_against(request.model);
    const AdapterOutcome multi = run_adapters(*p.platform, request, adapters, requests, outcome);
    report["adapters"] = adapters_report(multi);
    summary += adapters_summary(multi);
  }
  if (searched) {
    report["chunk_search"] = chunk_search_report(*searched);
    summary = chunk_search_summary(*searched) + summary;
  }
  if (o.generate > 0) {
    const GenerationOutcome g = run_generation(*p.platform, request, outcome, o.generate);
    report["generation"] = generation_report(g);
    summary += generation_summary(g);
  }
  const std::string run_yaml = fmt::format(
      "run:\n  model: {}\n  lora: {}\n  seq: {}\n  batch: {}\n  phase: {}\n  strategy: {}\n"
      "  pipeline: {}\n  chunk: {}\n  packing: {}\n  tier_policy: {}\n  lora_clusters: {}\n"
      "  generate: {}\n",
      o.model, request.lora.str(), o.seq, o.batch, o.phase, o.strategy, request.schedule.pipeline,
      o.chunk.empty() ? "auto" : o.chunk, workloads::to_string(outcome.policy.packing),
      workloads::to_string(outcome.policy.tier_policy), o.lora_clusters, o.generate);
  outputs.set(o.out + "/config.yaml", p.config.effective_yaml() + run_yaml);
  outputs.set(o.out + "/report.json", report.dump(2) + "\n");
  if (!o.trace.empty()) {
    const std::vector<TracedRun> runs{
        {"fully-analog", &outcome.analog.graph, &outcome.analog_run, &outcome.analog.ops},
        {"hybrid", &outcome.hybrid.graph, &outcome.hybrid_run, &outcome.hybrid.ops}};
    outputs.set(o.trace, trace_events(runs, {o.trace_pipeline}).dump() + "\n");
  }
  std::cout << summary;
  outputs.commit();
  std::cout << fmt::format("\nwrote {0}/report.json and {0}/config.yaml\n", o.out);
  if (!o.trace.empty()) std::cout << fmt::format("wrote {}\n", o.trace);
  return 0;
}

int import_command(const ImportOptions& o) {
  OutputSet outputs;
  if (!o.out.empty()) outputs.file("--out", o.out);
  const workloads::ModelDescription m = workloads::import_hf_config(o.config_json);
  const std::string text = workloads::to_yaml(
      m, fmt::format("{}: derived from {} by `aimcsim import`.\n"
                     "Operators over per-token tensors; see workloads/model_description.h.",
                     m.name, o.config_json));
  if (o.out.empty()) {
    std::cout << text;
  } else {
    outputs.set(o.out, text);
    outputs.commit();
  }
  return 0;
}

int list_models_command() {
  std::cout << fmt::format("{:<24}{:<16}{}\n", "type", "family", "description");
  for (const auto& [type, entry] : sim::ModelRegistry::instance().entries())
    std::cout << fmt::format("{:<24}{:<16}{}\n", type, entry.family, entry.description);
  return 0;
}

int list_params_command() {
  LoadedPlatform p = load_platform("configs/platforms/reference.yaml", {}, "platform");
  std::cout << fmt::format("{:<40} {:<18} {}\n", "parameter", "default", "description");
  for (const auto& param : p.config.params())
    std::cout << fmt::format("{:<40} {:<18} {}\n", param.path, param.value, param.description);
  return 0;
}

}  // namespace aimcsim::platform
