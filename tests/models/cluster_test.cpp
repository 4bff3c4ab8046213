// Exact cycle counts of RedMulE and worker-core jobs, and TCDM contention between RedMulE and
// the DMA. Reference cluster: 1 GHz, RedMulE H=4, P=3, L=12 with a 32 B/cycle port; 8 cores, 4 FP16
// lanes, setup 20, barrier 10, FPU latency 1.
#include "fixture.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace aimcsim::test {
namespace {

using workloads::TaskKind;

// RedMulE's fixed terms at the defaults: program 8 register accesses x 2 = 16 cycles; tiler
// 2 x 16 + 3 = 35 cycles from the last configuration write, 2 of them hidden by the trigger
// write: 33. Setup = 49.
constexpr std::uint64_t kRedmuleSetup = 16 + 33;

TEST(RedMulE, OneOutputTileByHand) {
  TestPlatform p;
  // Z 12 x 16 = one tile, N = 16: the array takes one W row every P+1 = 4 cycles: 64 cycles;
  // the port moves 16 W beats + 12 X beats - the 12 preloaded = 16 beats.
  const auto c = p.platform->cluster(0).redmule().cost(12, 16, 16, cluster::Precision::fp16);
  EXPECT_EQ(c.program_cycles, 16u);
  EXPECT_EQ(c.tiler_cycles, 33u);
  EXPECT_EQ(c.preload_cycles, 12u + 12 + 8);  // X pad, Y tile (GEMM), 2H fast fill
  EXPECT_EQ(c.tile_cycles, 64u);
  EXPECT_EQ(c.drain_cycles, 4u + 16 + 12 + 1);  // P+1, Z fill, Z store, done
  EXPECT_EQ(c.beats, 16u + 12 + 12 + 12);       // W, X, Y, Z
  EXPECT_EQ(c.tcdm_bytes, 52u * 32);
  EXPECT_EQ(c.total(), kRedmuleSetup + 32 + 64 + 33);

  workloads::TaskGraph g;
  g.add(redmule_task(12, 16, 16));
  EXPECT_EQ(p.run_ns(g), kRedmuleSetup + 32 + 64 + 33);  // simulated = closed form at 1 GHz
}

TEST(RedMulE, SlowRegisterAccessesHideTheTiler) {
  // The tiler's 35 cycles start with the last configuration write; the trigger write follows
  // it. At 40 cycles an access the trigger comes after the tiler is done: 8 x 40 + 0.
  TestPlatform p("cluster: {redmule: {register_access: 40cycles}}\n");
  const auto c = p.platform->cluster(0).redmule().cost(12, 16, 16, cluster::Precision::fp16);
  EXPECT_EQ(c.program_cycles, 320u);
  EXPECT_EQ(c.tiler_cycles, 0u);
  EXPECT_EQ(c.compute_cycles(), 32u + 64 + 33);  // the array's side is unchanged
}

TEST(RedMulE, MatmulDoesNotStreamY) {
  TestPlatform p;
  const auto& r = p.platform->cluster(0).redmule();
  const auto gemm = r.cost(12, 16, 16, cluster::Precision::fp16, cluster::GemmOp::gemm);
  const auto matmul = r.cost(12, 16, 16, cluster::Precision::fp16, cluster::GemmOp::matmul);
  EXPECT_EQ(gemm.preload_cycles - matmul.preload_cycles, 12u);  // the 12 Y beats
  EXPECT_EQ(gemm.beats - matmul.beats, 12u);
  EXPECT_EQ(matmul.total(), kRedmuleSetup + 20 + 64 + 33);
  // Two tiles (M = 24): the GEMM also loads the second tile's Y during the first.
  const auto gemm2 = r.cost(24, 16, 16, cluster::Precision::fp16, cluster::GemmOp::gemm);
  const auto matmul2 = r.cost(24, 16, 16, cluster::Precision::fp16, cluster::GemmOp::matmul);
  EXPECT_EQ(gemm2.beats - matmul2.beats, 24u);
  workloads::TaskGraph g;
  g.add(workloads::Task::gemm(0, 12, 16, 16, cluster::Precision::fp16, cluster::GemmOp::matmul));
  EXPECT_EQ(p.run_ns(g), kRedmuleSetup + 20 + 64 + 33);
}

TEST(RedMulE, ReductionOfOneStillLoadsAPaddedWBlock) {
  TestPlatform p;
  // N = 1 is padded to H = 4 W rows: 4 x (P+1) = 16 cycles; port 4 W + 12 X - 12 preloaded.
  const auto c = p.platform->cluster(0).redmule().cost(12, 1, 16, cluster::Precision::fp16);
  EXPECT_EQ(c.tile_cycles, 16u);
  EXPECT_EQ(c.total(), kRedmuleSetup + 32 + 16 + 33);
  EXPECT_EQ(c.fma_slots, 4u * 4 * 48);  // padded W rows compute too
}

TEST(RedMulE, OneColumnOfKDrainsFaster) {
  TestPlatform p;
  // K = 1: one tile whose Z fills in 1 cycle: drain 4 + 1 + 12 + 1.
  const auto c = p.platform->cluster(0).redmule().cost(12, 16, 1, cluster::Precision::fp16);
  EXPECT_EQ(c.tile_cycles, 64u);
  EXPECT_EQ(c.drain_cycles, 18u);
  EXPECT_EQ(c.total(), kRedmuleSetup + 32 + 64 + 18);
}

TEST(RedMulE, LoraDownProjectionCostByHand) {
  TestPlatform p;
  const auto c = p.platform->cluster(0).redmule().cost(64, 512, 8, cluster::Precision::fp16);
  // 12-row blocks of 64: 5 full + 1 of 4; K = 8: one half-used 16-column block -> 6 tiles.
  // Each: 512 W rows x 4 = 2048 cycles (array-bound; port 512 + 12 x 32 + 24 = 920 beats).
  // Drain 4 + 8 + 4 (last rows) + 1.
  EXPECT_EQ(c.tiles, 6u);
  EXPECT_EQ(c.setup_cycles(), kRedmuleSetup);
  EXPECT_EQ(c.compute_cycles(), 32u + 6 * 2048 + 17);
  // Useful FMAs 64*512*8 over 48 CEs x 12337 cycles: the thin-operand under-use.
  EXPECT_NEAR(c.utilisation, 64.0 * 512 * 8 / (48.0 * 12337), 1e-12);

  workloads::TaskGraph g;
  g.add(redmule_task(64, 512, 8));
  EXPECT_EQ(p.run_ns(g), kRedmuleSetup + 32 + 6 * 2048 + 17);
}

TEST(RedMulE, SecondJobStartsWhenTheFirstEnds) {
  TestPlatform p;
  // Two independent jobs dispatched together on cluster 0: the second queues behind the first,
  // and the runtime records when RedMulE actually started it, not when it was dispatched.
  workloads::TaskGraph g;
  g.add(redmule_task(64, 512, 8));
  g.add(redmule_task(64, 512, 8));
  const std::uint64_t job_ps = (kRedmuleSetup + 32 + 6 * 2048 + 17) * 1000;  // as above, 1 GHz
  EXPECT_EQ(p.run_ns(g), 2.0 * job_ps / 1000);
  const auto& first = p.last.tasks.at(0);
  const auto& second = p.last.tasks.at(1);
  EXPECT_EQ(first.ready_ps, p.last.start_ps);
  EXPECT_EQ(first.start_ps, p.last.start_ps);
  EXPECT_EQ(first.end_ps, p.last.start_ps + job_ps);
  EXPECT_EQ(second.ready_ps, p.last.start_ps);
  EXPECT_EQ(second.start_ps, first.end_ps);
  EXPECT_EQ(second.end_ps, first.end_ps + job_ps);
}

TEST(RedMulE, LargeSquareGemmApproachesFullUtilisation) {
  TestPlatform p;
  const auto c = p.platform->cluster(0).redmule().cost(96, 256, 96, cluster::Precision::fp16);
  // 8 x 6 tiles of 256 W rows x 4 = 1024 cycles each (port 256 + 12 x 16 + 24 = 472 beats).
  EXPECT_EQ(c.tile_cycles, 48u * 1024);
  EXPECT_EQ(c.compute_cycles(), 32u + 48 * 1024 + 33);
  EXPECT_GT(c.utilisation, 0.99);
}

TEST(RedMulE, LoraUpProjectionIsPortAndZBufferBound) {
  TestPlatform p;
  const auto c = p.platform->cluster(0).redmule().cost(64, 8, 128, cluster::Precision::fp16);
  // 6 row blocks (5 of 12, 1 of 4) x 8 column blocks = 48 tiles; the array needs 8 x 4 = 32.
  // A tile stores the previous tile's Z (its rows, after filling its 16 columns) and loads
  // the next tile's Y (its rows). A 12-row tile between 12-row tiles: port 8 W + 12 X + 12 Z +
  // 12 Y = 44; Z buffer 4 + 16 + 12 + 12 = 44.
  // Row 0: the first tile: port 8 + 12 - 12 + 12 = 20, Z buffer 12 -> 32; then 7 x 44.
  // Rows 1-3: 8 x 44. Row 4: 7 x 44, its last loads the 4-row tile's Y: 8 + 12 + 12 + 4 = 36.
  // Row 5 (4 rows): its first stores row 4's 12-row Z: port 8 + 4 + 12 + 4 = 28, Z buffer
  // 4 + 16 + 12 + 4 = 36; the next six 8 + 4 + 4 + 4 = 20 and 4 + 16 + 4 + 4 = 28 -> 32; the
  // last: port 16, Z buffer 24 -> 32.
  EXPECT_EQ(c.tiles, 48u);
  EXPECT_EQ(c.tile_cycles, (32u + 7 * 44) + 3 * 8 * 44 + (7 * 44 + 36) + (36 + 6 * 32 + 32));
  EXPECT_EQ(c.compute_cycles(), 32u + 2000 + (4 + 16 + 4 + 1));
}

TEST(RedMulE, EdgeTilesCostWithTheirRealNeighbours) {
  TestPlatform p;
  const auto& r = p.platform->cluster(0).redmule();
  // M = 13, N = 4, K = 16: a 12-row tile then a 1-row tile. The first loads the second's Y
  // (1 row): port 4 + 12 - 12 + 1 = 5, Z buffer 1, array 16 -> 16. The last stores the first's
  // 12-row Z after filling its 16 columns: Z buffer 4 + 16 + 12 = 32, port 4 + 1 + 12 = 17.
  EXPECT_EQ(r.cost(13, 4, 16, cluster::Precision::fp16).tile_cycles, 16u + 32);
  // M = 12, N = 4, K = 20: a 16-column tile then a 4-column one. The second stores the first's
  // Z, whose fill takes 16 cycles: 4 + 16 + 12 = 32 (port 4 + 12 + 12 = 28).
  EXPECT_EQ(r.cost(12, 4, 20, cluster::Precision::fp16).tile_cycles, 16u + 32);
  // N = 18 (not a multiple of H = 4) pads W to 20 rows: array 4 x 20 = 80 a tile; M = 12,
  // K = 32: two tiles, the second stores the first's Z: 4 + 16 + 12 = 32 < 80.
  EXPECT_EQ(r.cost(12, 18, 32, cluster::Precision::fp16).tile_cycles, 2u * 80);
}

TEST(RedMulE, PackedFp8EdgeTileWithItsRealNeighbour) {
  TestPlatform p("cluster: {redmule: {fp8_fmas_per_ce: 2}}\n");
  // M = 12, N = 16, K = 40 in packed FP8: tiles of 32 and 8 columns; array 4 x 16 = 64 each.
  // The second stores the first's Z, filled two columns a cycle: 4 + 32 / 2 + 12 = 32;
  // port 16 W + 12 X + 12 Z = 40: both below the array.
  const auto c = p.platform->cluster(0).redmule().cost(12, 16, 40, cluster::Precision::fp8);
  EXPECT_EQ(c.tiles, 2u);
  EXPECT_EQ(c.tile_cycles, 2u * 64);
}

TEST(RedMulE, ZBufferTurnaroundBoundsAShallowReduction) {
  TestPlatform p;
  // M = 24, N = 4, K = 16: two tiles; the array needs 16 cycles each. The second (last) tile
  // stores the first's Z after its P+1 + 16-column fill: Z buffer 4 + 16 + 12 = 32 > port
  // 4 W + 12 X + 12 Z = 28. The first: port 4 + 12 - 12 + 12 Y = 16.
  const auto c = p.platform->cluster(0).redmule().cost(24, 4, 16, cluster::Precision::fp16);
  EXPECT_EQ(c.tile_cycles, 16u + 32);
  EXPECT_EQ(c.total(), kRedmuleSetup + 32 + 48 + 33);
}

TEST(RedMulE, Fp8IsStorageOnlyAsInTheRtl) {
  TestPlatform p;
  // The RTL casts FP8 to FP16 before the CEs: same tiles, beats and cycles.
  const auto& r = p.platform->cluster(0).redmule();
  const auto fp16 = r.cost(64, 8, 128, cluster::Precision::fp16);
  const auto fp8 = r.cost(64, 8, 128, cluster::Precision::fp8);
  EXPECT_EQ(fp8.total(), fp16.total());
  EXPECT_EQ(fp8.beats, fp16.beats);
  EXPECT_EQ(fp8.fma_slots, fp16.fma_slots);
}

TEST(RedMulE, PackedFp8DoublesTheTileWidth) {
  TestPlatform p("cluster: {redmule: {fp8_fmas_per_ce: 2}}\n");
  const auto& r = p.platform->cluster(0).redmule();
  // Two FP8 FMAs per CE: a tile is 12 x 32 and a beat carries 32 FP8 elements. Z 12 x 32,
  // N = 16: array 16 x 4 = 64; port 16 W + 12 X - 12 preloaded. Drain 4 + 32 / 2 + 12 + 1.
  const auto c = r.cost(12, 16, 32, cluster::Precision::fp8);
  EXPECT_EQ(c.tiles, 1u);
  EXPECT_EQ(c.tile_cycles, 64u);
  EXPECT_EQ(c.drain_cycles, 4u + 16 + 12 + 1);
  EXPECT_EQ(c.total(), kRedmuleSetup + 32 + 64 + 33);
  EXPECT_EQ(c.fma_slots, 16u * 4 * 96);
  // The same job in FP16 takes two tiles.
  EXPECT_EQ(r.cost(12, 16, 32, cluster::Precision::fp16).tiles, 2u);
  EXPECT_EQ(r.fp8_fmas_per_cycle(), 96u);
  // The utilisation statistic counts the packed lanes: 12 x 16 x 32 FMAs over the job's
  // cycles x 96 slots, never above 1.
  workloads::TaskGraph g;
  g.add(workloads::Task::gemm(0, 12, 16, 32, cluster::Precision::fp8));
  p.run_ns(g);
  const double util = p.platform->cluster(0).redmule().stats().value("utilisation");
  EXPECT_DOUBLE_EQ(util, 12.0 * 16 * 32 / (96.0 * static_cast<double>(c.total())));
  EXPECT_LT(util, 1.0);
}

TEST(WorkerCores, ElementwiseAddByHand) {
  TestPlatform p;
  workloads::TaskGraph g;
  g.add(workloads::Task::kernel_task(0, cluster::Kernel::add, 8192, 1, cluster::Precision::fp16));
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

TEST(SnitchCluster, WithoutRedMulEGemmsRunOnTheCores) {
  TestPlatform p("cluster_groups: {mace: {count: 1}, pmca: {count: 1, redmule: {present: false}}}");
  ASSERT_EQ(p.platform->cluster_count(), 2u);
  EXPECT_TRUE(p.platform->cluster(0).has_redmule());
  EXPECT_FALSE(p.platform->cluster(1).has_redmule());
  workloads::TaskGraph g;
  g.add(workloads::Task::gemm(1, 64, 512, 8, cluster::Precision::fp16));
  // The cores' loop nest of GemmLoopNestByHand: setup 20 + 8 x 2 x (512 + 1 + 4) + barrier 10.
  EXPECT_EQ(p.run_ns(g), 20 + 8 * 2 * (512 + 1 + 4) + 10);
  EXPECT_EQ(p.platform->cluster(1).redmule().stats().value("busy_time"), 0.0);
  // The absent engine has no area.
  EXPECT_EQ(p.platform->cluster(1).redmule().energy().area_nm2(), 0u);
  EXPECT_GT(p.platform->cluster(0).redmule().energy().area_nm2(), 0u);
}

// Software kernels of the transformer's digital operators. Defaults: 3 SSRs, exp_ops 8,
// recip_ops 5, div_latency 12; lanes 4 (FP16), so a row-wise reduction costs log2(4) + 1 = 3.

TEST(WorkerCores, AddAndReluAreKernelCostInstances) {
  TestPlatform p;
  const auto& cores = p.platform->cluster(0).cores();
  const auto add = cores.kernel_cost("add", 8192, 1, cluster::Precision::fp16);
  EXPECT_EQ(add.total(), cores.add_cost(8192, cluster::Precision::fp16).total());
  EXPECT_EQ(add.total(), 20u + 256 + 1 + 10u);
  EXPECT_EQ(add.tcdm_bytes, 3u * 8192 * 2);  // X, Y read, Z written
  // relu: 2 streams, 1 op; FP8 has 8 lanes: ceil(ceil(8192/8)/8) = 128.
  const auto relu = cores.kernel_cost("relu", 8192, 1, cluster::Precision::fp8);
  EXPECT_EQ(relu.total(), cores.relu_cost(8192, cluster::Precision::fp8).total());
  EXPECT_EQ(relu.total(), 20u + 128 + 1 + 10);
  EXPECT_EQ(relu.tcdm_bytes, 2u * 8192);
}

TEST(WorkerCores, ElementwiseKernelsByHand) {
  TestPlatform p;
  const auto& cores = p.platform->cluster(0).cores();
  const auto fp16 = cluster::Precision::fp16;
  // 1024 elements: ceil(ceil(1024/8)/4) = 32 vectors per core; rows are ignored.
  // mul: 1 op, 3 streams -> 32 x 1 + FPU latency 1 + barrier 10, setup 20.
  const auto mul = cores.kernel_cost("mul", 1024, 7, fp16);
  EXPECT_EQ(mul.total(), 20u + 32 * 1 + 1 + 10);
  EXPECT_EQ(mul.tcdm_bytes, 3u * 1024 * 2);
  EXPECT_EQ(mul.flops, 1024u);
  // nonorm: 1 FMA over 4 streams (X, gamma, beta, Z); beta is the 4th stream -> 1 load:
  // 2 slots per vector -> 32 x 2 = 64.
  const auto nonorm = cores.kernel_cost("nonorm", 1024, 1, fp16);
  EXPECT_EQ(nonorm.total(), 20u + 64 + 1 + 10);
  EXPECT_EQ(nonorm.tcdm_bytes, 4u * 1024 * 2);
  EXPECT_EQ(nonorm.flops, 2u * 1024);
  // silu: exp 8 + add 1 + reciprocal 5 + mul 1 = 15 slots -> 32 x 15 = 480.
  const auto silu = cores.kernel_cost("silu", 1024, 1, fp16);
  EXPECT_EQ(silu.total(), 20u + 480 + 1 + 10);
  EXPECT_EQ(silu.tcdm_bytes, 2u * 1024 * 2);
  // gelu: X^2, FMA, mul 3 + exp 8 + add 1 + reciprocal 5 + mul 1 = 18 -> 32 x 18 = 576.
  const auto gelu = cores.kernel_cost("gelu", 1024, 1, fp16);
  EXPECT_EQ(gelu.total(), 20u + 576 + 1 + 10);
  EXPECT_EQ(gelu.flops, (8u + 5 + 6) * 1024);
  // rope: mul + FMA over 5 streams (X, rotate(X), cos, sin, Z) -> 2 + 2 loads = 4 slots,
  // 32 x 4 = 128.
  const auto rope = cores.kernel_cost("rope", 1024, 1, fp16);
  EXPECT_EQ(rope.total(), 20u + 128 + 1 + 10);
  EXPECT_EQ(rope.tcdm_bytes, 5u * 1024 * 2);
}

TEST(WorkerCores, SoftmaxByHand) {
  TestPlatform p;
  const auto& cores = p.platform->cluster(0).cores();
  // 16 rows of 64: 2 rows per core, 16 vectors per row. Per row:
  //   max pass 16 x 1 + 1 = 17, exp and sum pass 16 x (1 + 8 + 1) + 1 = 161,
  //   scale pass 16 x 1 + 1 = 17, 2 reductions x 3 = 6, 1/sum divide 12 -> 213.
  // 2 x 213 + barrier 10 = 436, setup 20.
  const auto c = cores.kernel_cost("softmax", 1024, 16, cluster::Precision::fp16);
  EXPECT_EQ(c.setup_cycles, 20u);
  EXPECT_EQ(c.compute_cycles, 2u * (17 + 161 + 17 + 6 + 12) + 10);
  EXPECT_EQ(c.tcdm_bytes, (1u + 2 + 2) * 1024 * 2);
  EXPECT_EQ(c.flops, (1u + 10 + 1) * 1024);
  // FP8: 8 vectors per row, reductions log2(8) + 1 = 4:
  //   9 + 8 x 10 + 1 = 81, 9, 2 x 4 = 8, 12 -> 119 per row.
  const auto fp8 = cores.kernel_cost("softmax", 1024, 16, cluster::Precision::fp8);
  EXPECT_EQ(fp8.compute_cycles, 2u * (9 + 81 + 9 + 8 + 12) + 10);
}

TEST(WorkerCores, FlashAttentionsOnlineSoftmaxKernelsByHand) {
  TestPlatform p;
  const auto& cores = p.platform->cluster(0).cores();
  const auto fp16 = cluster::Precision::fp16;
  // 16 rows of 64 (a block of 64 keys for 16 query rows), 2 rows per core, 16 vectors a row.
  // partial_softmax per row: max pass 17, exp and sum pass 161 (as softmax), 2 reductions x 3,
  // one scalar exp 8 + 1 -> 193; no divide and no scale pass (the normalisation is deferred).
  const auto part = cores.kernel_cost("partial_softmax", 1024, 16, fp16);
  EXPECT_EQ(part.total(), 20u + 2 * (17 + 161 + 6 + 9) + 10);
  EXPECT_EQ(part.tcdm_bytes, (1u + 2) * 1024 * 2);
  // partial_scale: O = alpha O over 16 rows of 64 (head dim): one pass of 16 x 1 + 1 = 17.
  const auto scale = cores.kernel_cost("partial_scale", 1024, 16, fp16);
  EXPECT_EQ(scale.total(), 20u + 2 * 17 + 10);
  // final_scale: 1/l per row (a divide, 12), then the same pass: 29 a row.
  const auto last = cores.kernel_cost("final_scale", 1024, 16, fp16);
  EXPECT_EQ(last.total(), 20u + 2 * (17 + 12) + 10);
}

TEST(WorkerCores, LayerNormAndRmsNormByHand) {
  TestPlatform p;
  const auto& cores = p.platform->cluster(0).cores();
  const auto fp16 = cluster::Precision::fp16;
  // 8 rows of 128: 1 row per core, 32 vectors per row. layernorm per row:
  //   mean pass 32 x 1 + 1 = 33, variance pass 32 x 2 + 1 = 65, normalise + affine pass
  //   2 FMAs + 1 load (X, gamma, beta, Z) = 3 slots: 32 x 3 + 1 = 97,
  //   2 reductions x 3 = 6, sqrt + divide 2 x 12 = 24 -> 225.
  const auto ln = cores.kernel_cost("layernorm", 1024, 8, fp16);
  EXPECT_EQ(ln.total(), 20u + (33 + 65 + 97 + 6 + 24) + 10);
  EXPECT_EQ(ln.tcdm_bytes, (1u + 1 + 4) * 1024 * 2);
  EXPECT_EQ(ln.flops, (1u + 3 + 4) * 1024);
  // rmsnorm per row: sum-of-squares pass 32 x 1 + 1 = 33, scale pass (X, gamma, Z: no load)
  //   32 x 2 + 1 = 65, 1 reduction 3, sqrt + divide 24 -> 125.
  const auto rms = cores.kernel_cost("rmsnorm", 1024, 8, fp16);
  EXPECT_EQ(rms.total(), 20u + (33 + 65 + 3 + 24) + 10);
  EXPECT_EQ(rms.tcdm_bytes, (1u + 3) * 1024 * 2);
  // One token (decode): a single row of 1024 runs on one core, 256 vectors:
  //   257 + 513 + 769 + 6 + 24 = 1569.
  EXPECT_EQ(cores.kernel_cost("layernorm", 1024, 1, fp16).compute_cycles, 1569u + 10);
}

TEST(WorkerCores, KernelChainThroughTheClusterTakesItsCost) {
  TestPlatform p;
  auto& cluster = p.platform->cluster(0);
  const auto fp16 = cluster::Precision::fp16;
  // Every kernel back to back on the cores at 1 GHz: each starts when the previous one ends,
  // stays below the TCDM's rate and so takes exactly its cost.
  const std::vector<std::pair<std::string, std::uint64_t>> kernels = {
      {"layernorm", 8}, {"gelu", 8},    {"silu", 8},   {"mul", 8}, {"rope", 8},
      {"softmax", 16},  {"rmsnorm", 8}, {"nonorm", 8}, {"add", 8}};
  std::uint64_t end = 0, cycles = 0, bytes = 0;
  for (const auto& [kernel, rows] : kernels) {
    const auto c = cluster.cores().kernel_cost(kernel, 1024, rows, fp16);
    end = cluster.run_kernel(c, end).end_ps;
    cycles += c.total();
    bytes += c.tcdm_bytes;
  }
  // The totals worked out above (mul, nonorm and add of 1024 elements: 20 + 32 x slots + 11).
  EXPECT_EQ(cycles, 255u + 607 + 511 + 63 + 159 + 456 + 155 + 95 + 63);
  EXPECT_EQ(end, cycles * 1000);
  EXPECT_EQ(cluster.tcdm().stats().value("bytes"), static_cast<double>(bytes));
  EXPECT_EQ(cluster.tcdm().stats().value("stall_cycles"), 0.0);
}

TEST(WorkerCores, UnknownKernelAndBadRowsThrow) {
  TestPlatform p;
  const auto& cores = p.platform->cluster(0).cores();
  const auto fp16 = cluster::Precision::fp16;
  EXPECT_THROW(cores.kernel_cost("tanh", 1024, 1, fp16), std::logic_error);
  EXPECT_THROW(cores.kernel_cost("softmax", 1024, 0, fp16), std::logic_error);
  EXPECT_THROW(cores.kernel_cost("layernorm", 1000, 3, fp16), std::logic_error);
  for (const auto& name : cluster::WorkerCores::kernel_names())
    EXPECT_NO_THROW(cores.kernel_cost(name, 1024, 8, fp16)) << name;
  EXPECT_EQ(cluster::WorkerCores::kernel_names().size(), 13u);
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
  // RedMulE's beats (5 tiles of 512 W + 12 x 32 X + 12 Y + 12 Z, one of 512 + 4 x 32 + 4 + 4)
  // are 5248 x 32 B, booked from the end of its 49 setup cycles at its average rate
  // ceil(167936 B / 12337 cycles) = 14 B/cycle. The DMA moves 29 x 32 B in cycles 20-48, then
  // gets 18 B/cycle for the other 3168 B: 176 cycles.
  EXPECT_EQ(both.task_ns(1), 20 + 29 + 176);
  EXPECT_EQ(both.task_ns(0), kRedmuleSetup + 32 + 6 * 2048 + 17);  // RedMulE is compute-bound
  EXPECT_GT(both.platform->cluster(0).tcdm().stats().value("stall_cycles"), 0.0);
}

}  // namespace
}  // namespace aimcsim::test
