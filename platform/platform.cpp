#include "platform/platform.h"

#include <fmt/format.h>

namespace aimcsim::platform {

Platform::Platform(const sc_core::sc_module_name& name, sim::Config& config) : sc_module(name) {
  auto& registry = sim::ModelRegistry::instance();
  sim::ConfigNode root = config.root();
  events_ = std::make_unique<sim::CompletionQueue>("events");
  aimc_ =
      registry.create<aimc::AimcTileArray>("aimc", root.child("aimc"), "aimc", "pcm_tile_array");
  sim::ConfigNode cluster_node = root.child("cluster");
  const auto count = root.get<std::uint64_t>("clusters", 1, "number of RISC-V clusters", 1, 64);
  for (std::uint64_t i = 0; i < count; ++i)
    clusters_.push_back(registry.create<cluster::SnitchCluster>(
        fmt::format("cluster{}", i).c_str(), cluster_node, "cluster", "snitch_cluster"));
  l2_ = registry.create<interconnect::L2Memory>("l2", root.child("l2"), "memory", "l2_memory");
  tile_buffers_ =
      std::make_unique<interconnect::LineRateBuffer>("tile_buffers", root.child("aimc"));
  net_ = registry.create<interconnect::Interconnect>("interconnect", root.child("interconnect"),
                                                     "interconnect", "crossbar_interconnect");
  net_->add_endpoint("l2", *l2_);
  net_->add_endpoint("aimc", *tile_buffers_);
  for (std::uint64_t i = 0; i < count; ++i)
    net_->add_endpoint(fmt::format("cluster{}", i), clusters_[i]->tcdm());
}

LoadedPlatform load_platform(const std::string& file, const std::vector<std::string>& overrides,
                             const std::string& name) {
  LoadedPlatform p{sim::Config::load(file), nullptr};
  for (const auto& s : overrides) p.config.set(s);
  p.platform = std::make_unique<Platform>(name.c_str(), p.config);
  p.config.check_all_read();
  return p;
}

void Platform::reset_stats() {
  aimc_->reset_stats();
  for (auto& c : clusters_) c->reset_stats();
  l2_->reset_stats();
  net_->reset_stats();
}

std::vector<const sim::StatGroup*> Platform::stat_groups() const {
  std::vector<const sim::StatGroup*> groups{&aimc_->stats()};
  for (const auto& c : clusters_) groups.push_back(&c->stats());
  groups.push_back(&net_->stats());
  groups.push_back(&l2_->stats());
  return groups;
}

}  // namespace aimcsim::platform
