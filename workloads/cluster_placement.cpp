#include "workloads/cluster_placement.h"

#include "models/sim/checked.h"

#include <algorithm>
#include <map>

namespace aimcsim::workloads {

ClusterPlacer::ClusterPlacer(unsigned clusters, ComputeEstimate estimate,
                             std::vector<unsigned> group_of, std::vector<std::uint64_t> load_ps)
    : clusters_(clusters),
      estimate_(std::move(estimate)),
      group_of_(std::move(group_of)),
      load_(std::move(load_ps)) {
  load_.resize(clusters_, 0);
  group_of_.resize(clusters_, 0);
}

std::uint64_t ClusterPlacer::estimate_ps(const std::vector<Task>& tasks) const {
  std::uint64_t ps = 0;
  for (const auto& t : tasks) ps = sim::add(ps, estimate_(t), "an estimate of a cluster's work");
  return ps;
}

unsigned ClusterPlacer::place(std::uint64_t unit,
                              const std::function<std::vector<Task>(unsigned)>& work,
                              const std::vector<unsigned>& taken) {
  if (!estimate_) return round_robin(unit);
  unsigned best = 0;
  std::uint64_t best_end = UINT64_MAX, best_cost = 0;
  std::map<unsigned, std::uint64_t> group_cost;  // clusters of a group cost alike
  for (unsigned k = 0; k < clusters_; ++k) {
    if (std::find(taken.begin(), taken.end(), k) != taken.end()) continue;
    auto it = group_cost.find(group_of_[k]);
    if (it == group_cost.end()) it = group_cost.emplace(group_of_[k], estimate_ps(work(k))).first;
    const std::uint64_t cost = it->second;
    const std::uint64_t end = sim::add(load_[k], cost, "an estimate of a cluster's work");
    if (end < best_end) {
      best = k;
      best_end = end;
      best_cost = cost;
    }
  }
  load_[best] += best_cost;
  return best;
}

}  // namespace aimcsim::workloads
