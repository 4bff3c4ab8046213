// The runtime (platform/assembly/runtime.h): dependencies through join tasks, exact times.
#include "fixture.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace aimcsim::test {
namespace {

using workloads::TaskId;
using workloads::TaskKind;

TEST(Runtime, AJoinCompletesWithItsLastInputAndReleasesItsDependents) {
  TestPlatform p;
  workloads::TaskGraph g;
  // Three streams from the tile array to L2 (they share the links and queue on them).
  const TaskId a = g.add(transfer_task(TaskKind::stream, "aimc", "l2", 4096));
  const TaskId b = g.add(transfer_task(TaskKind::stream, "aimc", "l2", 8192));
  const TaskId c = g.add(transfer_task(TaskKind::stream, "aimc", "l2", 12288));
  const std::vector<TaskId> joined = g.shared({a, b, c});
  ASSERT_EQ(g.task(joined[0]).kind, TaskKind::join);
  // A DMA after all three: starts when the last has landed.
  const TaskId d = g.add(transfer_task(TaskKind::dma, "l2", "cluster0", 4096), joined);
  const double end = p.run_ns(g);
  const double last_input = std::max({p.task_ns(a), p.task_ns(b), p.task_ns(c)});
  EXPECT_EQ(p.task_ns(joined[0]), last_input);  // the join takes no time
  EXPECT_EQ(p.last.tasks[d].ready_ps, p.last.tasks[joined[0]].end_ps);
  EXPECT_EQ(end, last_input + 5 + 10 + 2 * 2 + 1 + 64);  // then the DMA's own closed form
}

}  // namespace
}  // namespace aimcsim::test
