#include "platform/assembly/platform.h"

#include "models/sim/checked.h"
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
  sim::ConfigNode groups = root.child("cluster_groups");
  const std::vector<std::string> names = groups.keys();
  constexpr std::uint64_t kMaxClusters = 64;
  const auto add_group = [&](const std::string& name, sim::ConfigNode node, std::uint64_t n) {
    group_names_.push_back(name);
    for (std::uint64_t i = 0; i < n; ++i) {
      group_of_.push_back(static_cast<unsigned>(group_names_.size() - 1));
      clusters_.push_back(registry.create<cluster::SnitchCluster>(
          fmt::format("cluster{}", clusters_.size()).c_str(), node, "cluster", "snitch_cluster"));
    }
  };
  if (names.empty()) {
    add_group("cluster", cluster_node,
              root.get<std::uint64_t>("clusters", 1, "number of RISC-V clusters", 1, kMaxClusters));
  } else {
    if (root.given("clusters"))
      throw sim::ConfigError(
          fmt::format("{}: give either clusters (identical clusters) or cluster_groups, not both",
                      root.where("clusters")));
    std::uint64_t total = 0;
    for (const auto& name : names) {
      sim::ConfigNode g = groups.child(name);
      const auto n = g.get<std::uint64_t>("count", 0, "clusters in the group", 1, kMaxClusters);
      if (n == 0)
        throw sim::ConfigError(fmt::format("{}: expected a count of 1 to {} clusters",
                                           g.where("count"), kMaxClusters));
      total += n;
      if (total > kMaxClusters)
        throw sim::ConfigError(fmt::format("{}: the groups have {} clusters, more than {}",
                                           groups.where(name), total, kMaxClusters));
      add_group(name, g.with_defaults(cluster_node), n);
    }
  }
  const auto count = clusters_.size();
  const std::string placement = root.get_choice(
      "cluster_placement", "auto", {"auto", "round_robin", "earliest"},
      "digital work per cluster: round robin, or where it is estimated to finish earliest "
      "(auto: earliest with cluster_groups)");
  place_earliest_ = placement == "earliest" || (placement == "auto" && group_names_.size() > 1);
  l2_ = registry.create<interconnect::L2Memory>("l2", root.child("l2"), "memory", "l2_memory");
  using Role = interconnect::L2Memory::Role;
  // A level is present when its section has any key (in the file or by --set).
  if (!root.child("sram").keys().empty())
    sram_ = std::make_unique<interconnect::L2Memory>("sram", root.child("sram"), Role::sram);
  if (!root.child("dram").keys().empty())
    dram_ = std::make_unique<interconnect::L2Memory>("dram", root.child("dram"), Role::dram);
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
  unsigned next = workloads::Endpoint::cluster(static_cast<unsigned>(count)).index;
  if (sram_) add("sram", *sram_, workloads::Endpoint{static_cast<std::uint16_t>(next++)});
  if (dram_) add("dram", *dram_, workloads::Endpoint{static_cast<std::uint16_t>(next++)});
  // Every period divides 10^12 ps (Frequency), so their common multiple does too.
  std::vector<sim::Time> periods = net_->periods();
  periods.push_back(aimc_->period());
  periods.push_back(l2_->period());
  for (auto* m : {sram_.get(), dram_.get()})
    if (m) periods.push_back(m->period());
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
  const std::string resolved = resolve_input_path(file);
  LoadedPlatform p{sim::Config::load(resolved), nullptr};
  for (const auto& s : overrides) p.config.set(s);
  // A preset is looked up next to the platform file first, then as any other input.
  const std::filesystem::path platform_dir = std::filesystem::path(resolved).parent_path();
  p.config.apply_presets([&](const std::string& tech) {
    std::error_code ec;
    const std::filesystem::path beside = platform_dir / tech;
    if (!std::filesystem::path(tech).is_absolute() && !platform_dir.empty() &&
        std::filesystem::exists(beside, ec))
      return beside.string();
    return resolve_input_path(tech);
  });
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
  if (sram_) sram_->reset_stats();
  if (dram_) dram_->reset_stats();
  net_->reset_stats();
}

namespace {

// Calls f(unit type, book) for every energy book of the platform, in the order of RunCost.
template <class F>
void for_each_book(Platform& p, F f) {
  f("aimc", p.aimc().energy());
  f("aimc", p.aimc().adc_energy());
  for (unsigned i = 0; i < p.cluster_count(); ++i) f("redmule", p.cluster(i).redmule().energy());
  for (unsigned i = 0; i < p.cluster_count(); ++i) f("cores", p.cluster(i).cores().energy());
  for (unsigned i = 0; i < p.cluster_count(); ++i) f("tcdm", p.cluster(i).tcdm().energy());
  for (unsigned i = 0; i < p.cluster_count(); ++i) f("dma", p.cluster(i).dma().energy());
  for (sim::EnergyBook* book : p.net().energy_books()) f("interconnect", *book);
  f("l2", p.l2().energy());
  if (p.sram()) f("sram", p.sram()->energy());
  if (p.dram()) f("dram", p.dram()->energy());
}

}  // namespace

void Platform::close_run(std::uint64_t span_ps) {
  aimc_->count_instances();
  for_each_book(*this, [span_ps](const char*, sim::EnergyBook& book) { book.close_run(span_ps); });
}

RunCost Platform::cost() {
  RunCost c;
  for_each_book(*this, [&c](const char* unit, sim::EnergyBook& book) {
    if (c.units.empty() || std::string(c.units.back().unit) != unit) c.units.push_back({unit});
    UnitCost& u = c.units.back();
    u.dynamic_aj = sim::add_energy(u.dynamic_aj, book.dynamic_aj());
    u.static_aj = sim::add_energy(u.static_aj, book.static_aj());
    u.static_power_uw += book.static_power_uw();
    u.area_nm2 += book.area_nm2();
    u.used_area_nm2 += book.used_area_nm2();
  });
  const char* what = "the operations of a run";
  std::uint64_t macs = aimc_->macs();
  for (const auto& cl : clusters_) macs = sim::add(macs, cl->redmule().fmas(), what);
  c.ops = sim::mul(2, macs, what);
  for (const auto& cl : clusters_) c.ops = sim::add(c.ops, cl->cores().flops(), what);
  return c;
}

sim::Attojoules RunCost::total_aj() const {
  sim::Attojoules sum = 0;
  for (const auto& u : units) sum = sim::add_energy(sum, u.total_aj());
  return sum;
}

sim::Attojoules RunCost::analog_aj() const {
  sim::Attojoules sum = 0;
  for (const auto& u : units)
    if (std::string(u.unit) == "aimc") sum += u.total_aj();
  return sum;
}

sim::Attojoules RunCost::digital_aj() const {
  return total_aj() - analog_aj();
}

unsigned __int128 RunCost::area_nm2() const {
  unsigned __int128 sum = 0;
  for (const auto& u : units) sum += u.area_nm2;
  return sum;
}

unsigned __int128 RunCost::used_area_nm2() const {
  unsigned __int128 sum = 0;
  for (const auto& u : units) sum += u.used_area_nm2;
  return sum;
}

unsigned __int128 RunCost::static_power_uw() const {
  unsigned __int128 sum = 0;
  for (const auto& u : units) sum += u.static_power_uw;
  return sum;
}

std::vector<const sim::StatGroup*> Platform::stat_groups() const {
  std::vector<const sim::StatGroup*> groups{&aimc_->stats()};
  for (const auto& c : clusters_) groups.push_back(&c->stats());
  groups.push_back(&net_->stats());
  groups.push_back(&l2_->stats());
  for (auto* m : {sram_.get(), dram_.get()})
    if (m) groups.push_back(&m->stats());
  return groups;
}

}  // namespace aimcsim::platform
