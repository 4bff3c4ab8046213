// The Pareto front of (latency, energy, area): dominated points are off it, trade-offs and
// exact ties are on it, whatever the input order.
#include "platform/drivers/sweep/pareto.h"

#include <gtest/gtest.h>

namespace aimcsim::sweep {
namespace {

TEST(Pareto, KeepsTradeOffsAndTiesAndDropsDominatedPoints) {
  const std::vector<Objectives> points{
      {10, 5, 1},  // fast, mid energy, small: on
      {20, 2, 1},  // slower but cheaper: on
      {20, 5, 1},  // dominated by both above
      {10, 5, 1},  // a tie with the first: on
      {5, 9, 3},   // fastest: on
      {5, 9, 4},   // dominated by the previous (larger)
      {30, 2, 1},  // dominated by {20, 2, 1}
  };
  const std::vector<bool> expected{true, true, false, true, true, false, false};
  EXPECT_EQ(pareto_front(points), expected);
  // The same points reversed give the same marks, reversed.
  std::vector<Objectives> reversed(points.rbegin(), points.rend());
  std::vector<bool> marks = pareto_front(reversed);
  EXPECT_EQ(std::vector<bool>(marks.rbegin(), marks.rend()), expected);
  EXPECT_TRUE(pareto_front({}).empty());
}

}  // namespace
}  // namespace aimcsim::sweep
