// Assembles a platform from its configuration through the model registry: the AIMC tile
// array, the clusters, the interconnect with one endpoint per L2/tile array/cluster, and the
// completion queue that drives them. Wiring only: every timing decision lives in models/.
// Clusters: `clusters: N` identical ones configured by `cluster:`, or groups of them,
//   cluster_groups:
//     mace: {count: 12}                              # as `cluster:` says
//     pmca: {count: 20, redmule: {present: false}}   # `cluster:` but for these keys
// each group's keys falling back to `cluster:`'s; clusters are numbered group by group.
#pragma once

#include "models/aimc/aimc_tile_array.h"
#include "models/cluster/snitch_cluster.h"
#include "models/interconnect/interconnect.h"
#include "models/interconnect/l2_memory.h"
#include "models/sim/completion_queue.h"
#include "models/sim/config.h"

#include <memory>
#include <string>
#include <vector>

namespace aimcsim::platform {

// How much work a command may ask of a platform (README "Limits"); flags raise them.
struct Limits {
  std::uint64_t tasks = 50000000;  // tasks simulated by one command, in all its runs (--max-tasks)
  std::uint64_t tiles = aimc::AimcTileArray::kDefaultMaxTiles;  // tiles a workload may need
  // Memory per task of the largest graph, compiler and runtime together (measured: 712 MiB
  // peak for LLaMA-3.1-8B at seq 512, whose hybrid graph has 3.35 M tasks; README).
  static constexpr std::uint64_t kBytesPerTask = 220;
  // Multiply-accumulates the functional co-simulation may do (--max-functional-macs): its
  // tile MVMs (with read noise, twice), digital GEMMs and FP32 references, per command.
  std::uint64_t functional_macs = 200000000000;
  // Memory the functional co-simulation may hold for weights, programmed tiles and tensors.
  std::uint64_t functional_bytes = std::uint64_t{8} << 30;
};

// Throws a UserError when a run of `estimate` tasks, after `done` already simulated, would
// pass the task limit; what names the work and detail says where the estimate comes from.
void check_work(const Limits& limits, std::uint64_t done, std::uint64_t estimate,
                const std::string& what, const std::string& detail);

// The energy, power and area of one unit type (every instance of it) over the last run.
struct UnitCost {
  const char* unit = "";  // aimc, redmule, cores, tcdm, dma, interconnect, l2
  sim::Attojoules dynamic_aj = 0, static_aj = 0;
  unsigned __int128 static_power_uw = 0, area_nm2 = 0, used_area_nm2 = 0;
  sim::Attojoules total_aj() const { return sim::add_energy(dynamic_aj, static_aj); }
};

// What a run cost, per unit type in a fixed order, and the operations it did.
struct RunCost {
  std::vector<UnitCost> units;
  std::uint64_t ops = 0;  // 2 x (weight MACs on tiles + RedMulE FMAs) + core FP operations
  sim::Attojoules total_aj() const;
  sim::Attojoules analog_aj() const;   // the AIMC tiles (with their ADCs)
  sim::Attojoules digital_aj() const;  // everything else
  unsigned __int128 area_nm2() const;
  unsigned __int128 used_area_nm2() const;
  unsigned __int128 static_power_uw() const;
};

class Platform : public sc_core::sc_module {
 public:
  // Reads every parameter from config (defaults where absent). Call
  // config.check_all_read() after building to reject unknown keys.
  Platform(const sc_core::sc_module_name& name, sim::Config& config);

  aimc::AimcTileArray& aimc() { return *aimc_; }
  cluster::SnitchCluster& cluster(unsigned i) { return *clusters_.at(i); }
  unsigned cluster_count() const { return static_cast<unsigned>(clusters_.size()); }
  // The cluster groups' names in order ("cluster" without cluster_groups) and each cluster's.
  const std::vector<std::string>& cluster_groups() const { return group_names_; }
  unsigned cluster_group(unsigned i) const { return group_of_.at(i); }
  // cluster_placement: whether digital work goes where it is estimated to finish earliest
  // (auto: with cluster groups) or round robin (workloads/cluster_placement.h).
  bool place_earliest() const { return place_earliest_; }
  interconnect::Interconnect& net() { return *net_; }
  interconnect::L2Memory& l2() { return *l2_; }
  // The optional levels below L2 (`sram:` and `dram:` sections; null when absent), endpoints
  // after the clusters' in that order.
  interconnect::L2Memory* sram() { return sram_.get(); }
  interconnect::L2Memory* dram() { return dram_.get(); }
  sim::CompletionQueue& events() { return *events_; }
  unsigned endpoint(const std::string& name) const { return net_->endpoint(name); }
  // Endpoints are numbered as workloads::Endpoint numbers them: l2, aimc, cluster0, ...
  unsigned endpoint_count() const {
    return 2 + cluster_count() + (sram_ ? 1 : 0) + (dram_ ? 1 : 0);
  }

  void reset_stats();
  // Ends a run that took span_ps: charges every unit's leakage over it and records which
  // instances the run used. Called by run_graph.
  void close_run(std::uint64_t span_ps);
  // What the last run cost (after close_run).
  RunCost cost();

  const Limits& limits() const { return limits_; }
  void set_limits(const Limits& limits);
  // Tasks simulated on this platform so far (every run_graph adds its graph's size).
  std::uint64_t tasks_simulated() const { return tasks_simulated_; }
  void count_simulated(std::uint64_t tasks) { tasks_simulated_ += tasks; }
  void reset_work() { tasks_simulated_ = 0; }
  // Runs start on a multiple of this (1 us and every clock period of the platform), so that a
  // run sees the same cycle grid whatever ran before it on this platform.
  std::uint64_t run_alignment_ps() const { return run_alignment_ps_; }
  // Every component's statistics, in hierarchy order.
  std::vector<const sim::StatGroup*> stat_groups() const;

 private:
  std::unique_ptr<sim::CompletionQueue> events_;
  std::unique_ptr<aimc::AimcTileArray> aimc_;
  std::vector<std::unique_ptr<cluster::SnitchCluster>> clusters_;
  std::vector<std::string> group_names_;
  std::vector<unsigned> group_of_;
  bool place_earliest_ = false;
  std::unique_ptr<interconnect::L2Memory> l2_, sram_, dram_;
  std::unique_ptr<interconnect::LineRateBuffer> tile_buffers_;
  std::unique_ptr<interconnect::Interconnect> net_;
  Limits limits_;
  std::uint64_t tasks_simulated_ = 0;
  std::uint64_t run_alignment_ps_ = 1000000;
};

// A platform with the configuration it was built from (kept for the effective YAML).
struct LoadedPlatform {
  sim::Config config;
  std::unique_ptr<Platform> platform;
};

// Loads a platform file, applies "path.to.key=value" overrides in order, builds the platform
// as module `name` and rejects keys nothing read (sim::UserError naming file, key and line).
// A relative file is looked up in the current directory, then in the source tree (so the
// default configs/platforms/reference.yaml is found from anywhere).
LoadedPlatform load_platform(const std::string& file, const std::vector<std::string>& overrides,
                             const std::string& name, const Limits& limits = {});

// The file to open for a relative input path: as given when it exists, else the same path in
// the source tree when that exists, else as given (so that errors name what the user wrote).
std::string resolve_input_path(const std::string& path);

}  // namespace aimcsim::platform
