// Cluster placement: round robin for identical clusters, earliest estimated finish for groups.
#include "workloads/cluster_placement.h"

#include <gtest/gtest.h>

namespace aimcsim::workloads {
namespace {

std::vector<Task> one_gemm(unsigned k) {
  return {Task::gemm(k, 1, 1, 1, cluster::Precision::fp16)};
}

TEST(ClusterPlacer, RoundRobinMovesOnPerOperator) {
  ClusterPlacer p(3, nullptr);
  EXPECT_FALSE(p.earliest());
  EXPECT_EQ(p.place(0, one_gemm), 0u);
  EXPECT_EQ(p.place(4, one_gemm), 1u);
  p.next_operator();
  EXPECT_EQ(p.place(0, one_gemm), 1u);
  EXPECT_EQ(p.place(2, one_gemm), 0u);
}

TEST(ClusterPlacer, EarliestFinishByHand) {
  // Clusters 0 and 1 (group 0) take 10 ps a GEMM, cluster 2 (group 1) 25 ps.
  const std::vector<unsigned> group{0, 0, 1};
  ClusterPlacer p(3, [&](const Task& t) -> std::uint64_t { return group[t.cluster] ? 25 : 10; },
                  group, {0, 0, 5});
  // Ends (first least wins ties): 10,10,30 -> 0; 20,10,30 -> 1; 20,20,30 -> 0;
  // 30,20,30 -> 1; 30,30,30 -> 0; 40,30,30 -> 1; 40,40,30 -> 2.
  std::vector<unsigned> got;
  for (int u = 0; u < 7; ++u) got.push_back(p.place(u, one_gemm));
  EXPECT_EQ(got, (std::vector<unsigned>{0, 1, 0, 1, 0, 1, 2}));
  EXPECT_EQ(p.load_ps(), (std::vector<std::uint64_t>{30, 30, 30}));
  // A unit spread over distinct clusters skips the ones it already has: 1 (40) over 2 (55).
  EXPECT_EQ(p.place(7, one_gemm, {0}), 1u);
}

}  // namespace
}  // namespace aimcsim::workloads
