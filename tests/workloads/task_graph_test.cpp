// The compact task graph (workloads/task_graph.h): flat dependencies, shared lists as joins,
// names only on request, and the backstop on its size.
#include "workloads/task_graph.h"

#include "models/sim/errors.h"

#include <gtest/gtest.h>

namespace aimcsim::workloads {
namespace {

Task transfer(std::uint64_t bytes) {
  return Task::dma(0, Endpoint::l2(), Endpoint::cluster(0), bytes);
}

TEST(TaskGraph, DependenciesAreKeptInOrderInOneArray) {
  TaskGraph g;
  const TaskId a = g.add(transfer(1));
  const TaskId b = g.add(transfer(2));
  const TaskId c = g.add(transfer(3), {b, a});
  EXPECT_EQ(g.dep_list(c), (std::vector<TaskId>{b, a}));
  EXPECT_TRUE(g.dep_list(a).empty());
  EXPECT_EQ(g.edges(), 2u);
  EXPECT_EQ(g.task(c).bytes(), 3u);
  EXPECT_EQ(to_string(g.task(c).dst), "cluster0");
}

TEST(TaskGraph, ALaterDependencyIsALogicError) {
  TaskGraph g;
  g.add(transfer(1));
  EXPECT_THROW(g.add(transfer(1), {1}), std::logic_error);
}

TEST(TaskGraph, SharedListsOfMoreThanTwoBecomeOneJoin) {
  TaskGraph g;
  std::vector<TaskId> three;
  for (int i = 0; i < 3; ++i) three.push_back(g.add(transfer(1)));
  EXPECT_EQ(g.shared({three[0], three[1]}), (std::vector<TaskId>{0, 1}));  // short: as is
  const std::vector<TaskId> joined = g.shared(three);
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(g.task(joined[0]).kind, TaskKind::join);
  EXPECT_EQ(g.dep_list(joined[0]), three);
}

TEST(TaskGraph, NamesAreBuiltOnlyWhenKept) {
  int built = 0;
  const auto name = [&] {
    ++built;
    return std::string("x to TCDM");
  };
  TaskGraph plain;
  plain.add(transfer(1), {}, name);
  EXPECT_EQ(built, 0);
  EXPECT_EQ(plain.name(0), "dma 0");
  TaskGraph named(true);
  named.add(transfer(1), {}, name);
  EXPECT_EQ(built, 1);
  EXPECT_EQ(named.name(0), "x to TCDM");
}

TEST(TaskGraph, MoreTasksThanItsLimitIsAUserError) {
  TaskGraph g;
  g.set_max_tasks(2);
  g.add(transfer(1));
  g.add(transfer(1));
  EXPECT_THROW(g.add(transfer(1)), sim::UserError);
  EXPECT_EQ(g.size(), 2u);
}

}  // namespace
}  // namespace aimcsim::workloads
