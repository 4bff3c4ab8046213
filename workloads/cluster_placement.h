// Which cluster runs each unit of digital work (a layer's LoRA jobs, an element-wise chunk, an
// attention head group).
//   identical clusters  round robin: unit u of an operator on cluster (base + u) mod n, base
//                       moving on by one per operator (spreads consecutive operators)
//   cluster groups      earliest finish: the cluster whose estimated busy time plus the unit's
//                       estimated compute time (RedMulE or core closed forms, from the platform)
//                       is least; the chosen cluster's busy time grows by it
// The estimate counts compute only (the DMA engines and links are alike in every group) and
// ignores dependencies: it is list scheduling on expected load, not a simulation.
#pragma once

#include "workloads/task_graph.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace aimcsim::workloads {

// Estimated picoseconds a compute task (gemm_redmule, core_kernel) takes on the cluster it
// names; empty for identical clusters.
using ComputeEstimate = std::function<std::uint64_t(const Task&)>;

class ClusterPlacer {
 public:
  // load_ps: the clusters' busy time estimated so far (empty: all idle).
  // group_of: each cluster's group (identical clusters estimate alike; empty: one group).
  ClusterPlacer(unsigned clusters, ComputeEstimate estimate, std::vector<unsigned> group_of = {},
                std::vector<std::uint64_t> load_ps = {});

  bool earliest() const { return static_cast<bool>(estimate_); }
  // The cluster for unit `unit` of the current operator; work(k) gives the unit's compute
  // tasks as they would run on cluster k (only called when placing by earliest finish).
  // Clusters in `taken` are skipped (a unit spread over several distinct clusters).
  unsigned place(std::uint64_t unit, const std::function<std::vector<Task>(unsigned)>& work,
                 const std::vector<unsigned>& taken = {});
  // Round robin: the cluster of unit `unit` without placing it (for reports).
  unsigned round_robin(std::uint64_t unit) const {
    return static_cast<unsigned>((base_ + unit) % clusters_);
  }
  void next_operator() { base_ = (base_ + 1) % clusters_; }
  std::uint64_t estimate_ps(const std::vector<Task>& tasks) const;
  const std::vector<std::uint64_t>& load_ps() const { return load_; }

 private:
  unsigned clusters_;
  ComputeEstimate estimate_;
  std::vector<unsigned> group_of_;
  std::vector<std::uint64_t> load_;
  unsigned base_ = 0;
};

}  // namespace aimcsim::workloads
