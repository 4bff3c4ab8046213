#include "platform/layer_experiment.h"

#include "models/sim/errors.h"

#include <fmt/format.h>

namespace aimcsim::platform {

workloads::LayerTarget layer_target(Platform& platform, std::uint64_t first_tile) {
  workloads::LayerTarget t;
  t.tile_rows = platform.aimc().rows();
  t.tile_cols = platform.aimc().cols();
  t.tile_output_bytes = platform.aimc().output_bytes();
  t.first_tile = first_tile;
  t.tcdm_capacity = platform.cluster(0).tcdm().size();
  t.tcdm_stride = platform.cluster(0).tcdm().bytes_per_cycle();
  return t;
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
  return busy;
}

namespace {

RunResult measured_run(Platform& platform, const workloads::TaskGraph& graph) {
  platform.reset_stats();
  return run_graph(platform, graph);
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
  LayerOutcome out;
  out.tiles = compiler.tiles();
  platform.aimc().require_tiles(compiler.tiles(),
                                fmt::format("layer {}->{}", request.spec.d_in, request.spec.d_out));

  out.chunk = request.chunk;
  if (out.chunk == 0) {
    const std::uint64_t largest = compiler.largest_fitting_chunk(lora);
    if (largest == 0) compiler.compile(1, lora);  // throws the TCDM message
    std::vector<std::uint64_t> candidates;
    for (std::uint64_t c = 1; c < largest; c *= 2) candidates.push_back(c);
    candidates.push_back(largest);
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
  out.chunk = std::min(out.chunk, request.spec.tokens);

  out.hybrid_graph = compiler.compile(out.chunk, lora);
  out.analog_graph = compiler.compile(out.chunk, false);
  const workloads::TcdmPlan plan = compiler.tcdm_plan(out.chunk, lora);
  out.tcdm_peak_bytes = plan.bytes();
  out.tcdm_breakdown = plan.breakdown();

  out.analog = measured_run(platform, out.analog_graph);
  out.busy_analog = busy_per_unit(platform);
  out.hybrid = measured_run(platform, out.hybrid_graph);
  out.busy_hybrid = busy_per_unit(platform);
  out.stats_hybrid = all_stats(platform);
  return out;
}

}  // namespace aimcsim::platform
