#include "platform/platform.h"

#include "workloads/task_graph.h"

#include <filesystem>
#include <numeric>
#include <stdexcept>

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
  // In the order workloads::Endpoint numbers them (the runtime indexes endpoints directly).
  const auto add = [&](const std::string& name, interconnect::EndpointMemory& memory,
                       workloads::Endpoint expected) {
    if (net_->add_endpoint(name, memory) != expected.index)
      throw std::logic_error("platform: endpoint " + name + " out of order");
  };
  add("l2", *l2_, workloads::Endpoint::l2());
  add("aimc", *tile_buffers_, workloads::Endpoint::aimc());
  for (std::uint64_t i = 0; i < count; ++i)
    add(fmt::format("cluster{}", i), clusters_[i]->tcdm(),
        workloads::Endpoint::cluster(static_cast<unsigned>(i)));
  // Every period divides 10^12 ps (Frequency), so their common multiple does too.
  std::vector<sim::Time> periods = net_->periods();
  periods.push_back(aimc_->period());
  periods.push_back(l2_->period());
  for (const auto& c : clusters_) periods.push_back(c->period());
  for (const auto& t : periods) run_alignment_ps_ = std::lcm(run_alignment_ps_, t.ps);
}

std::string resolve_input_path(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (path.empty() || fs::path(path).is_absolute() || fs::exists(path, ec)) return path;
  const fs::path in_tree = fs::path(AIMCSIM_SOURCE_DIR) / path;
  return fs::exists(in_tree, ec) ? in_tree.lexically_normal().string() : path;
}

LoadedPlatform load_platform(const std::string& file, const std::vector<std::string>& overrides,
                             const std::string& name, const Limits& limits) {
  LoadedPlatform p{sim::Config::load(resolve_input_path(file)), nullptr};
  for (const auto& s : overrides) p.config.set(s);
  p.platform = std::make_unique<Platform>(name.c_str(), p.config);
  p.config.check_all_read();
  p.platform->set_limits(limits);
  return p;
}

void Platform::set_limits(const Limits& limits) {
  limits_ = limits;
  aimc_->set_max_tiles(limits.tiles);
}

void check_work(const Limits& limits, std::uint64_t done, std::uint64_t estimate,
                const std::string& what, const std::string& detail) {
  if (estimate <= limits.tasks && done <= limits.tasks - estimate) return;
  throw sim::UserError(fmt::format(
      "{}: simulating it takes an estimated {} tasks ({}){}, more than the limit of {} tasks "
      "per command; --max-tasks N raises the limit (time grows with the tasks, memory with the "
      "largest graph, about {} bytes a task)",
      what, estimate, detail,
      done ? fmt::format(" after {} already simulated", done) : std::string(), limits.tasks,
      Limits::kBytesPerTask));
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
