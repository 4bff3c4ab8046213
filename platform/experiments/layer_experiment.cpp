#include "platform/experiments/layer_experiment.h"

#include "models/sim/checked.h"
#include "models/sim/errors.h"

#include <fmt/format.h>

namespace aimcsim::platform {

workloads::LayerTarget layer_target(Platform& platform, std::uint64_t first_tile) {
  workloads::LayerTarget t;
  t.tile_rows = platform.aimc().rows();
  t.tile_cols = platform.aimc().cols();
  t.tile_output_bytes = platform.aimc().output_bytes();
  t.first_tile = first_tile;
  // Working sets must fit every cluster they may be placed on: the smallest TCDM.
  t.tcdm_capacity = platform.cluster(0).tcdm().size();
  for (unsigned k = 1; k < platform.cluster_count(); ++k)
    t.tcdm_capacity = std::min(t.tcdm_capacity, platform.cluster(k).tcdm().size());
  t.tcdm_stride = platform.cluster(0).tcdm().bytes_per_cycle();
  return t;
}

nlohmann::ordered_json busy_per_cluster(Platform& platform) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (unsigned i = 0; i < platform.cluster_count(); ++i) {
    auto& c = platform.cluster(i);
    out.push_back({{"cluster", i},
                   {"group", platform.cluster_groups()[platform.cluster_group(i)]},
                   {"redmule", c.has_redmule()},
                   {"busy_ns",
                    {{"dma", c.dma().stats().value("busy_time")},
                     {"redmule", c.redmule().stats().value("busy_time")},
                     {"cores", c.cores().stats().value("busy_time")}}}});
  }
  return out;
}

nlohmann::ordered_json busy_per_unit(Platform& platform) {
  nlohmann::ordered_json busy;
  busy["aimc"] = platform.aimc().stats().value("busy_time");
  double redmule = 0, cores = 0, dma = 0;
  for (unsigned i = 0; i < platform.cluster_count(); ++i) {
    redmule += platform.cluster(i).redmule().stats().value("busy_time");
    cores += platform.cluster(i).cores().stats().value("busy_time");
    dma += platform.cluster(i).dma().stats().value("busy_time");
  }
  busy["redmule"] = redmule;
  busy["cores"] = cores;
  busy["dma"] = dma;
  busy["l2"] = platform.l2().stats().value("busy_time");
  if (platform.sram()) busy["sram"] = platform.sram()->stats().value("busy_time");
  if (platform.dram()) busy["dram"] = platform.dram()->stats().value("busy_time");
  return busy;
}

namespace {

RunResult measured_run(Platform& platform, const workloads::TaskGraph& graph,
                       bool record_energy = false) {
  platform.reset_stats();
  return run_graph(platform, graph, record_energy);
}

nlohmann::ordered_json all_stats(Platform& platform) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto* g : platform.stat_groups()) j[g->name()] = g->dump_json();
  return j;
}

}  // namespace

LayerOutcome run_layer(Platform& platform, const LayerRequest& request) {
  const auto strategy = workloads::PipelineStrategy::make(request.strategy);
  workloads::LayerTarget target = layer_target(platform);
  target.clusters = request.clusters;
  target.lora_weights_resident = request.lora_resident;
  const workloads::LayerCompiler compiler(request.spec, target, *strategy);
  const bool lora = request.spec.rank > 0;
  const std::string what = fmt::format("layer {}->{}", request.spec.d_in, request.spec.d_out);
  LayerOutcome out;
  out.tiles = compiler.tiles();
  platform.aimc().require_tiles(compiler.tiles(), what);
  // Run alone, the layer's tiles are the only ones holding weights of what runs (with power
  // gating the others leak nothing), whatever else the platform holds.
  platform.aimc().set_workload_tiles(compiler.tiles());
  if (request.chunk > request.spec.tokens)
    throw sim::UserError(
        fmt::format("{}: --chunk {} is more than the {} tokens: a chunk holds at most all of them",
                    what, request.chunk, request.spec.tokens));

  // The chunks to simulate, and the work that takes, before any of it is done.
  std::vector<std::uint64_t> candidates;
  if (request.chunk == 0) {
    const std::uint64_t largest = compiler.largest_fitting_chunk(lora);
    if (largest == 0) compiler.compile(1, lora);  // throws the TCDM message
    for (std::uint64_t c = 1; c < largest; c *= 2) candidates.push_back(c);
    candidates.push_back(largest);
  }
  {
    const char* count = "the task count of a layer";
    std::uint64_t search = 0;
    for (auto c : candidates) search = sim::add(search, compiler.task_count(c, lora), count);
    // The final two runs take at most as many tasks as the smallest chunk they may use.
    const std::uint64_t final_chunk = request.chunk ? request.chunk : 1;
    const std::uint64_t final_runs = sim::add(compiler.task_count(final_chunk, lora),
                                              compiler.task_count(final_chunk, false), count);
    check_work(platform.limits(), platform.tasks_simulated(), sim::add(search, final_runs, count),
               what,
               fmt::format("{} tokens; {} chunk candidates: {} tasks, the two final runs: at "
                           "most {}",
                           request.spec.tokens, candidates.size(), search, final_runs));
  }

  out.chunk = request.chunk;
  if (out.chunk == 0) {
    std::uint64_t best_ps = UINT64_MAX;
    for (auto c : candidates) {  // ties keep the larger chunk: fewer, longer jobs
      const std::uint64_t t = measured_run(platform, compiler.compile(c, lora)).makespan_ps();
      if (t <= best_ps) {
        best_ps = t;
        out.chunk = c;
      }
    }
    out.tried = candidates;
    out.chunk_chosen = true;
  }

  const workloads::TcdmPlan plan = compiler.tcdm_plan(out.chunk, lora);
  if (!plan.fits()) compiler.compile(out.chunk, lora);  // throws the TCDM message
  out.tcdm_peak_bytes = plan.bytes();
  out.tcdm_breakdown = plan.breakdown();

  // One graph at a time: kept only when the caller traces them (or computes their values).
  const bool values = request.values.on;
  workloads::TaskGraph analog = compiler.compile(out.chunk, false, request.keep_graphs, values);
  out.analog = measured_run(platform, analog, request.keep_graphs);
  out.busy_analog = busy_per_unit(platform);
  out.cost_analog = platform.cost();
  if (!values) {
    if (request.keep_graphs) out.analog_graph = std::move(analog);
    analog = workloads::TaskGraph();
  }
  workloads::TaskGraph hybrid = compiler.compile(out.chunk, lora, request.keep_graphs, values);
  out.hybrid = measured_run(platform, hybrid, request.keep_graphs);
  out.busy_hybrid = busy_per_unit(platform);
  out.cost_hybrid = platform.cost();
  if (request.keep_stats) out.stats_hybrid = all_stats(platform);
  if (values) {
    out.values = layer_values(platform, request.values, request.spec, analog, hybrid);
    if (request.keep_graphs) out.analog_graph = std::move(analog);
  }
  if (request.keep_graphs) out.hybrid_graph = std::move(hybrid);
  if (!request.keep_graphs) {
    out.analog.tasks = {};
    out.hybrid.tasks = {};
  }
  return out;
}

}  // namespace aimcsim::platform
