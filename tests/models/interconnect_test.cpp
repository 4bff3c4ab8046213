// Transfers through the TLM-2.0 interconnect and the DMA, checked to the cycle. Reference
// defaults: L2 port 64 B/cycle + 10 cycles, links 64 B/cycle + 2 cycles, crossbar 1 cycle,
// DMA setup 5 cycles, TCDM port 64 B/cycle, 1 GHz everywhere.
#include "fixture.h"

#include <gtest/gtest.h>

namespace aimcsim::test {
namespace {

using workloads::TaskKind;

TEST(Interconnect, DmaFromL2ToTcdmMatchesClosedForm) {
  TestPlatform p;
  workloads::TaskGraph g;
  g.add(transfer_task(TaskKind::dma, "l2", "cluster0", 4096));
  // setup 5 + L2 latency 10 + 2 links x 2 + crossbar 1 + ceil(4096 / 64) = 84 cycles.
  EXPECT_EQ(p.run_ns(g), 5 + 10 + 2 * 2 + 1 + 64);
  EXPECT_EQ(p.platform->cluster(0).dma().stats().value("bytes"), 4096.0);
}

TEST(Interconnect, ANarrowDmaEngineBoundsTheTransfer) {
  TestPlatform p("cluster: {dma: {width: 8B/cycle}}");  // IBM HARP's PMCA DMA
  workloads::TaskGraph g;
  g.add(transfer_task(TaskKind::dma, "l2", "cluster0", 4096));
  // setup 5 + 4096 / 8 = 512 cycles, more than the interconnect's 84.
  EXPECT_EQ(p.run_ns(g), 5 + 512);
}

TEST(Interconnect, ADramReadIsItsLatencyThenItsBandwidth) {
  // 8 B a cycle at 400 MHz (3.2 GB/s), 40 cycles (100 ns) to the first data.
  TestPlatform p("dram: {size: 1GiB}");
  workloads::TaskGraph g;
  g.add(workloads::Task::dma(0, workloads::Endpoint{3}, endpoint_named("cluster0"), 4096));
  // setup 5 + DRAM latency 100 + 2 links x 2 + crossbar 1, then 4096 B at 8 B per 2.5 ns.
  EXPECT_EQ(p.run_ns(g), 5 + 100 + 2 * 2 + 1 + 4096 / 8 * 2.5);
  EXPECT_EQ(p.platform->dram()->stats().value("bytes_read"), 4096.0);
  EXPECT_EQ(p.platform->endpoint("dram"), 3u);
}

TEST(Interconnect, StreamWithoutDmaHasNoSetup) {
  TestPlatform p;
  workloads::TaskGraph g;
  g.add(transfer_task(TaskKind::stream, "aimc", "l2", 4096));
  // aimc buffer (free) + 2 links + crossbar + L2 write latency 10 + 64 cycles of data.
  EXPECT_EQ(p.run_ns(g), 2 * 2 + 1 + 10 + 64);
}

TEST(Interconnect, TwoTransfersSharingALinkQueue) {
  TestPlatform alone;
  TestPlatform shared("{}", "shared");  // elaborated before anything runs
  workloads::TaskGraph one;
  one.add(transfer_task(TaskKind::stream, "l2", "cluster0", 4096));
  const double t_alone = alone.run_ns(one);
  EXPECT_EQ(t_alone, 10 + 2 * 2 + 1 + 64);  // 79

  workloads::TaskGraph two;
  two.add(transfer_task(TaskKind::stream, "l2", "aimc", 4096));
  two.add(transfer_task(TaskKind::stream, "l2", "cluster0", 4096));
  shared.run_ns(two);
  // Both leave through the L2 port and its up link: the second waits ceil(4096/64) = 64
  // cycles for the first to have passed.
  EXPECT_EQ(shared.task_ns(0), 79);
  EXPECT_EQ(shared.task_ns(1), 79 + 64);
  EXPECT_GT(shared.platform->net().stats().value("bytes"), 0.0);
}

TEST(Interconnect, NarrowLinkIsTheBottleneckOnce) {
  TestPlatform p("interconnect: {port: {width: 16B/cycle}}");
  workloads::TaskGraph g;
  g.add(transfer_task(TaskKind::stream, "aimc", "cluster0", 4096));
  // Cut-through: 2 links x 2 + crossbar 1 + ceil(4096/16) = 256 cycles once, not per hop.
  EXPECT_EQ(p.run_ns(g), 2 * 2 + 1 + 256);
}

}  // namespace
}  // namespace aimcsim::test
