// Exact cycle counts of RedMulE and worker-core jobs, and TCDM contention between RedMulE and
// the DMA. Reference cluster: 1 GHz, RedMulE H=4, P=3, L=12 with a 32 B/cycle port and 14
// setup cycles; 8 cores, 4 FP16 lanes, setup 20, barrier 10, FPU latency 1.
#include "fixture.h"

#include <gtest/gtest.h>

namespace aimcsim::test {
namespace {

using workloads::TaskKind;

TEST(RedMulE, LoraDownProjectionCostByHand) {
  TestPlatform p;
  const auto c = p.platform->cluster(0).redmule().cost(64, 512, 8, cluster::Precision::fp16);
  // Z tile = 12 rows x 16 columns; 64 rows -> 6 row tiles, K = 8 -> 1 column tile (half idle).
  // Each tile: N x (P+1) = 2048 cycles (compute-bound). fill ceil((12+16)*4*2/32) = 7,
  // drain 4 + ceil(12*16*2/32) = 16.
  EXPECT_EQ(c.tiles, 6u);
  EXPECT_EQ(c.setup_cycles, 14u);
  EXPECT_EQ(c.compute_cycles, 7u + 6 * 2048 + 16);
  EXPECT_EQ(c.total(), 14u + 7 + 6 * 2048 + 16);
  // Useful FMAs 64*512*8 over 48 CEs x 12311 cycles: the thin-operand under-use.
  EXPECT_NEAR(c.utilisation, 64.0 * 512 * 8 / (48.0 * 12311), 1e-12);

  workloads::TaskGraph g;
  g.add(redmule_task(64, 512, 8));
  EXPECT_EQ(p.run_ns(g), 14 + 7 + 6 * 2048 + 16);  // simulated = closed form at 1 GHz
}

TEST(RedMulE, LargeSquareGemmApproachesFullUtilisation) {
  TestPlatform p;
  const auto c = p.platform->cluster(0).redmule().cost(96, 256, 96, cluster::Precision::fp16);
  // 8 x 6 tiles of 256 x 4 = 1024 cycles each.
  EXPECT_EQ(c.compute_cycles, 7u + 48 * 1024 + 16);
  EXPECT_GT(c.utilisation, 0.99);
}

TEST(RedMulE, LoraUpProjectionIsFillDominated) {
  TestPlatform p;
  const auto c = p.platform->cluster(0).redmule().cost(64, 8, 128, cluster::Precision::fp16);
  // 6 row tiles x 8 column tiles; each N x 4 = 32 compute cycles vs its TCDM beats:
  // full rows: (12*8 + 8*16 + 12*16) * 2 / 32 = 26 -> 32; last rows (4): smaller -> 32.
  EXPECT_EQ(c.tiles, 48u);
  EXPECT_EQ(c.compute_cycles, 7u + 48 * 32 + 16);
}

TEST(WorkerCores, ElementwiseAddByHand) {
  TestPlatform p;
  workloads::Task t(TaskKind::core_kernel, "add", {});
  t.kernel = "add";
  t.elements = 8192;
  workloads::TaskGraph g;
  g.add(t);
  // setup 20 + ceil(ceil(8192/8)/4) = 256 + FPU latency 1 + barrier 10.
  EXPECT_EQ(p.run_ns(g), 20 + 256 + 1 + 10);
}

TEST(WorkerCores, GemmLoopNestByHand) {
  TestPlatform p;
  const auto c = p.platform->cluster(0).cores().gemm_cost(64, 512, 8, cluster::Precision::fp16);
  // ceil(64/8) rows x ceil(8/4) lane groups x (512 + 1 + 4) + barrier 10, setup 20.
  EXPECT_EQ(c.compute_cycles, 8u * 2 * (512 + 1 + 4) + 10);
  EXPECT_EQ(c.setup_cycles, 20u);
}

TEST(Tcdm, DmaSlowsDownWhenRedMulEHoldsTheBanks) {
  const std::string narrow = "cluster: {tcdm: {banks: 4}}";  // 4 x 8 B = 32 B/cycle
  TestPlatform alone(narrow);
  TestPlatform both(narrow, "both");  // elaborated before anything runs
  workloads::TaskGraph dma_only;
  dma_only.add(transfer_task(TaskKind::dma, "l2", "cluster0", 4096));
  // Head reaches the TCDM after 5 + 10 + 2 + 1 + 2 = 20 cycles, then 4096 B at 32 B/cycle.
  EXPECT_EQ(alone.run_ns(dma_only), 20 + 128);

  workloads::TaskGraph g;
  g.add(redmule_task(64, 512, 8));
  g.add(transfer_task(TaskKind::dma, "l2", "cluster0", 4096));
  both.run_ns(g);
  // RedMulE booked its average rate first: ceil(115712 B / 12311 cycles) = 10 B/cycle, so the
  // DMA gets 22 B/cycle: ceil(4096 / 22) = 187 cycles.
  EXPECT_EQ(both.task_ns(1), 20 + 187);
  EXPECT_EQ(both.task_ns(0), 14 + 7 + 6 * 2048 + 16);  // RedMulE is compute-bound
  EXPECT_GT(both.platform->cluster(0).tcdm().stats().value("stall_cycles"), 0.0);
}

}  // namespace
}  // namespace aimcsim::test
