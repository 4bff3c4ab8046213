// Assembles a platform from its configuration through the model registry: the AIMC tile
// array, the clusters, the interconnect with one endpoint per L2/tile array/cluster, and the
// completion queue that drives them. Wiring only: every timing decision lives in models/.
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

class Platform : public sc_core::sc_module {
 public:
  // Reads every parameter from config (defaults where absent). Call
  // config.check_all_read() after building to reject unknown keys.
  Platform(const sc_core::sc_module_name& name, sim::Config& config);

  aimc::AimcTileArray& aimc() { return *aimc_; }
  cluster::SnitchCluster& cluster(unsigned i) { return *clusters_.at(i); }
  unsigned cluster_count() const { return static_cast<unsigned>(clusters_.size()); }
  interconnect::Interconnect& net() { return *net_; }
  interconnect::L2Memory& l2() { return *l2_; }
  sim::CompletionQueue& events() { return *events_; }
  unsigned endpoint(const std::string& name) const { return net_->endpoint(name); }

  void reset_stats();
  // Every component's statistics, in hierarchy order.
  std::vector<const sim::StatGroup*> stat_groups() const;

 private:
  std::unique_ptr<sim::CompletionQueue> events_;
  std::unique_ptr<aimc::AimcTileArray> aimc_;
  std::vector<std::unique_ptr<cluster::SnitchCluster>> clusters_;
  std::unique_ptr<interconnect::L2Memory> l2_;
  std::unique_ptr<interconnect::LineRateBuffer> tile_buffers_;
  std::unique_ptr<interconnect::Interconnect> net_;
};

// A platform with the configuration it was built from (kept for the effective YAML).
struct LoadedPlatform {
  sim::Config config;
  std::unique_ptr<Platform> platform;
};

// Loads a platform file, applies "path.to.key=value" overrides in order, builds the platform
// as module `name` and rejects keys nothing read (sim::UserError naming file, key and line).
LoadedPlatform load_platform(const std::string& file, const std::vector<std::string>& overrides,
                             const std::string& name);

}  // namespace aimcsim::platform
