// One layer, twice on the same platform and schedule: the fully-analog baseline and the
// hybrid (tiles + digital LoRA branch). Picks the chunk (token parallelism) when asked to.
#pragma once

#include "platform/assembly/platform.h"
#include "platform/assembly/runtime.h"
#include "platform/experiments/value_experiment.h"
#include "workloads/layer_compiler.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace aimcsim::platform {

struct LayerRequest {
  workloads::LayerSpec spec;
  std::string strategy = "parallel";
  std::uint64_t chunk = 0;            // 0: the fastest chunk that fits the TCDM
  std::vector<unsigned> clusters{0};  // chunks round-robin over these clusters
  bool lora_resident = true;          // false: LoRA weights are loaded from L2 first
  bool keep_graphs = false;           // keep the graphs and per-task timings (for traces)
  bool keep_stats = false;            // dump every statistic of the hybrid run (layer --json)
  ValueRequest values;                // --functional
};

struct LayerOutcome {
  std::uint64_t chunk = 0;
  bool chunk_chosen = false;         // picked by the tool
  std::vector<std::uint64_t> tried;  // chunks simulated when picking
  std::uint64_t tiles = 0;
  workloads::TaskGraph analog_graph, hybrid_graph;  // what ran (with keep_graphs)
  RunResult analog, hybrid;                         // per-task timings only with keep_graphs
  std::uint64_t tcdm_peak_bytes = 0;                // hybrid working set
  std::string tcdm_breakdown;
  nlohmann::ordered_json busy_analog, busy_hybrid;  // ns per unit
  nlohmann::ordered_json stats_hybrid;  // every statistic of the hybrid run (keep_stats)
  RunCost cost_analog, cost_hybrid;     // energy, power and area of both runs
  std::optional<ValueReport> values;    // with --functional
  double t_analog_ns() const { return analog.makespan_ps() / 1000.0; }
  double t_hybrid_ns() const { return hybrid.makespan_ps() / 1000.0; }
  double overhead() const {
    return static_cast<double>(hybrid.makespan_ps()) / static_cast<double>(analog.makespan_ps()) -
           1.0;
  }
};

LayerOutcome run_layer(Platform& platform, const LayerRequest& request);

// One layer, fully-analog and hybrid, in isolation (a spec with rank 0 has no LoRA branch:
// both runs are the same).
workloads::LayerTarget layer_target(Platform& platform, std::uint64_t first_tile = 0);

// Busy time in ns per unit type, from the platform's statistics since the last reset.
nlohmann::ordered_json busy_per_unit(Platform& platform);
// Per cluster: its group and the busy ns of its DMA, RedMulE and worker cores.
nlohmann::ordered_json busy_per_cluster(Platform& platform);

}  // namespace aimcsim::platform
