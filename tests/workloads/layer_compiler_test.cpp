// The layer compiler (workloads/layer_compiler.h) with its TCDM plan and pipeline strategies:
// graph shape per chunk, tile blocking, GEMM shapes, dependencies and TCDM sizing.
#include "workloads/layer_compiler.h"

#include "models/sim/errors.h"
#include "workloads/pipeline_strategy.h"
#include "workloads/tcdm_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace aimcsim::workloads {
namespace {

using Deps = std::vector<TaskId>;

LayerSpec spec(std::uint64_t d_in, std::uint64_t d_out, std::uint64_t rank, std::uint64_t tokens) {
  LayerSpec s;
  s.d_in = d_in;
  s.d_out = d_out;
  s.rank = rank;
  s.tokens = tokens;
  return s;
}

std::string user_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const sim::UserError& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Deps sorted(Deps d) {
  std::sort(d.begin(), d.end());
  return d;
}

// Positions of the tasks of one chunk in a LoRA (hybrid) graph: 8 per chunk, in this order.
enum Hybrid : std::size_t {
  kStreamIn,
  kMvm,
  kStreamOut,
  kDmaIn,
  kLoraA,
  kLoraB,
  kAdd,
  kDmaOut,
  kHybridTasks
};

class LayerCompilerTest : public ::testing::Test {
 protected:
  std::unique_ptr<PipelineStrategy> serial = PipelineStrategy::make("serial");
  std::unique_ptr<PipelineStrategy> parallel = PipelineStrategy::make("parallel");
  std::unique_ptr<PipelineStrategy> pipelined = PipelineStrategy::make("pipelined");
  LayerTarget target;  // 512x512 tiles, 128KiB TCDM, 256 B bank stride
};

TEST_F(LayerCompilerTest, HybridHasEightTasksPerChunk) {
  // 512 -> 512, 32 tokens in chunks of 8: 4 chunks * 8 tasks.
  LayerCompiler c(spec(512, 512, 8, 32), target, *parallel);
  const TaskGraph g = c.compile(8, true);
  ASSERT_EQ(g.tasks().size(), 4u * kHybridTasks);
  const std::vector<TaskKind> kinds{
      TaskKind::stream,       TaskKind::mvm,          TaskKind::stream,      TaskKind::dma,
      TaskKind::gemm_redmule, TaskKind::gemm_redmule, TaskKind::core_kernel, TaskKind::dma};
  for (std::size_t chunk = 0; chunk < 4; ++chunk)
    for (std::size_t i = 0; i < kHybridTasks; ++i)
      EXPECT_EQ(g.tasks()[chunk * kHybridTasks + i].kind, kinds[i]) << chunk << " " << i;
  EXPECT_STREQ(cluster::to_string(g.tasks()[kAdd].kernel), "add");
}

// The fully-analog baseline with one row block has no add: stream in, mvm, stream out (to
// the cluster, like the hybrid's, so both share one schedule) and the DMA of y to L2.
TEST_F(LayerCompilerTest, AnalogWithOneRowBlockHasFourTasksPerChunk) {
  LayerCompiler c(spec(512, 512, 8, 32), target, *parallel);
  EXPECT_EQ(c.row_blocks(), 1u);
  const TaskGraph g = c.compile(8, false);
  ASSERT_EQ(g.tasks().size(), 4u * 4u);
  for (std::size_t chunk = 0; chunk < 4; ++chunk) {
    const Task& in = g.tasks()[chunk * 4];
    const Task& mvm = g.tasks()[chunk * 4 + 1];
    const Task& out = g.tasks()[chunk * 4 + 2];
    const Task& dma = g.tasks()[chunk * 4 + 3];
    EXPECT_EQ(in.kind, TaskKind::stream);
    EXPECT_EQ(mvm.kind, TaskKind::mvm);
    EXPECT_EQ(out.kind, TaskKind::stream);
    EXPECT_EQ(dma.kind, TaskKind::dma);
    EXPECT_EQ(to_string(in.src), "l2");
    EXPECT_EQ(to_string(in.dst), "aimc");
    EXPECT_EQ(to_string(out.src), "aimc");
    EXPECT_EQ(to_string(out.dst), "cluster0");
    EXPECT_EQ(to_string(dma.src), "cluster0");
    EXPECT_EQ(to_string(dma.dst), "l2");
    EXPECT_EQ(in.bytes(), 8u * 512u * 2u);   // tokens * d_in * FP16 = 8192
    EXPECT_EQ(out.bytes(), 8u * 512u * 2u);  // 1 row block * tokens * d_out * 2 B = 8192
    EXPECT_EQ(dma.bytes(), 8u * 512u * 2u);  // tokens * d_out * FP16 = 8192
    EXPECT_EQ(mvm.tokens(), 8u);
    EXPECT_EQ(
        g.dep_list(chunk * 4 + 3),
        (Deps{static_cast<TaskId>(chunk * 4 + 2)}));  // no add: y leaves right after the stream
  }
  // Chunk 1 reuses chunk 0's single tile_out buffer once chunk 0's y has left for L2.
  EXPECT_EQ(g.dep_list(4), (Deps{1}));
  EXPECT_EQ(sorted(g.dep_list(5)), (Deps{2, 4}));
  EXPECT_EQ(sorted(g.dep_list(6)), (Deps{3, 5}));
  // Only tile_out lives in the TCDM: 1 * 8 * 512 * 2 = 8192 B (a multiple of 256).
  EXPECT_EQ(c.tcdm_plan(8, false).bytes(), 8192u);
  // 1024 B per token: every chunk up to the 32 tokens fits in 128KiB.
  EXPECT_EQ(c.largest_fitting_chunk(false), 32u);
}

TEST_F(LayerCompilerTest, AnalogWithPartialSumsAddsInTheCluster) {
  // 1024 -> 600 on 512x512: ceil(1024/512) = 2 row blocks, ceil(600/512) = 2 column blocks.
  LayerCompiler c(spec(1024, 600, 8, 16), target, *parallel);
  EXPECT_EQ(c.row_blocks(), 2u);
  EXPECT_EQ(c.col_blocks(), 2u);
  EXPECT_EQ(c.tiles(), 4u);
  const TaskGraph g = c.compile(16, false);
  // One chunk: stream in, mvm, stream out, add, dma out.
  ASSERT_EQ(g.tasks().size(), 5u);
  const Task& out = g.tasks()[2];
  EXPECT_EQ(to_string(out.dst), "cluster0");
  EXPECT_EQ(out.bytes(), 2u * 16u * 600u * 2u);  // row blocks * tokens * d_out * 2 B = 38400
  const Task& add = g.tasks()[3];
  EXPECT_EQ(add.kind, TaskKind::core_kernel);
  EXPECT_EQ(add.elements(), 1u * 16u * 600u);  // (2 - 1) partial sums * tokens * d_out = 9600
  EXPECT_EQ(g.tasks()[4].kind, TaskKind::dma);
  EXPECT_EQ(g.tasks()[4].bytes(), 16u * 600u * 2u);
}

TEST_F(LayerCompilerTest, MvmNamesTheLayerAndItsFirstTile) {
  // The tile array splits the layer into row-major blocks (tested in aimc_tile_test.cpp).
  LayerCompiler c(spec(1024, 600, 8, 16), target, *parallel);
  const TaskGraph g = c.compile(16, true);
  const Task& mvm = g.tasks()[kMvm];
  EXPECT_EQ(mvm.kind, TaskKind::mvm);
  EXPECT_EQ(mvm.first_tile(), 0u);
  EXPECT_EQ(mvm.d_in(), 1024u);
  EXPECT_EQ(mvm.d_out(), 600u);
  EXPECT_EQ(mvm.tokens(), 16u);
}

TEST_F(LayerCompilerTest, FirstTileOffsetsTileIds) {
  LayerTarget t = target;
  t.first_tile = 10;
  LayerCompiler c(spec(700, 100, 4, 4), t, *parallel);
  const TaskGraph g = c.compile(4, false);
  EXPECT_EQ(g.tasks()[1].first_tile(), 10u);
  EXPECT_EQ(c.tiles(), 2u);  // 512 and 188 rows, one column block of 100
}

TEST_F(LayerCompilerTest, TaskCountMatchesTheCompiledGraph) {
  for (const auto* strategy : {serial.get(), parallel.get(), pipelined.get()}) {
    for (const auto& [d_in, d_out] : std::vector<std::pair<std::uint64_t, std::uint64_t>>{
             {512, 128}, {1024, 600}, {4096, 14336}}) {
      for (const bool resident : {true, false}) {
        LayerTarget t = target;
        t.lora_weights_resident = resident;
        t.clusters = {0, 1};
        LayerCompiler c(spec(d_in, d_out, 16, 37), t, *strategy);
        for (const std::uint64_t chunk : {1u, 4u, 16u, 37u})
          for (const bool lora : {true, false}) {
            if (!c.tcdm_plan(chunk, lora).fits()) continue;
            EXPECT_EQ(c.task_count(chunk, lora), c.compile(chunk, lora).size())
                << d_in << "->" << d_out << " chunk " << chunk << " lora " << lora;
          }
      }
    }
  }
}

TEST_F(LayerCompilerTest, NamesAreKeptOnlyWhenAsked) {
  LayerCompiler c(spec(512, 128, 8, 16), target, *parallel);
  EXPECT_EQ(c.compile(8, true, true).name(kHybridTasks + kLoraA), "layer chunk 1 lora_a");
  EXPECT_EQ(c.compile(8, true).name(kLoraA), "gemm 4");  // the kind and index
}

TEST_F(LayerCompilerTest, HybridAddCountsPartialSumsAndLora) {
  LayerCompiler c(spec(1024, 600, 8, 16), target, *parallel);
  const TaskGraph g = c.compile(16, true);
  // (2 - 1) partial sums + 1 LoRA term, each 16 * 600: 2 * 9600 = 19200 elements.
  EXPECT_EQ(g.tasks()[kAdd].elements(), 19200u);
  EXPECT_EQ(g.tasks()[kAdd].precision, cluster::Precision::fp16);
  // One row block: only the LoRA term is added.
  LayerCompiler one(spec(512, 600, 8, 16), target, *parallel);
  EXPECT_EQ(one.compile(16, true).tasks()[kAdd].elements(), 16u * 600u);
}

TEST_F(LayerCompilerTest, LoraGemmShapes) {
  // 20 tokens in chunks of 8: chunks of 8, 8 and 4.
  LayerSpec s = spec(1024, 600, 16, 20);
  s.precision = cluster::Precision::fp8;
  LayerCompiler c(s, target, *parallel);
  const TaskGraph g = c.compile(8, true);
  ASSERT_EQ(g.tasks().size(), 3u * kHybridTasks);
  // t = x.A: (c x d_in) . (d_in x r) -> m = c, n = d_in, k = r.
  const Task& a = g.tasks()[kLoraA];
  EXPECT_EQ(a.m(), 8u);
  EXPECT_EQ(a.n(), 1024u);
  EXPECT_EQ(a.k(), 16u);
  EXPECT_EQ(a.precision, cluster::Precision::fp8);
  EXPECT_EQ(a.cluster, 0u);
  // z = t.B: (c x r) . (r x d_out) -> m = c, n = r, k = d_out.
  const Task& b = g.tasks()[kLoraB];
  EXPECT_EQ(b.m(), 8u);
  EXPECT_EQ(b.n(), 16u);
  EXPECT_EQ(b.k(), 600u);
  // The last chunk has 20 - 2 * 8 = 4 tokens.
  const std::size_t last = 2 * kHybridTasks;
  EXPECT_EQ(g.tasks()[last + kLoraA].m(), 4u);
  EXPECT_EQ(g.tasks()[last + kLoraB].m(), 4u);
  EXPECT_EQ(g.tasks()[last + kMvm].tokens(), 4u);
  EXPECT_EQ(g.tasks()[last + kStreamIn].bytes(), 4u * 1024u * 2u);  // FP16 activations in L2
  EXPECT_EQ(g.tasks()[last + kDmaIn].bytes(), 4u * 1024u * 1u);     // FP8 elements
  EXPECT_EQ(g.tasks()[last + kDmaOut].bytes(), 4u * 600u * 2u);
  EXPECT_EQ(g.tasks()[last + kAdd].elements(), 2u * 4u * 600u);  // 1 partial sum + LoRA
}

TEST_F(LayerCompilerTest, DmaEndpointsNameTheCluster) {
  LayerTarget t = target;
  t.clusters = {3};
  LayerCompiler c(spec(512, 512, 8, 8), t, *parallel);
  const TaskGraph g = c.compile(8, true);
  EXPECT_EQ(to_string(g.tasks()[kStreamOut].dst), "cluster3");
  EXPECT_EQ(to_string(g.tasks()[kDmaIn].src), "l2");
  EXPECT_EQ(to_string(g.tasks()[kDmaIn].dst), "cluster3");
  EXPECT_EQ(g.tasks()[kDmaIn].cluster, 3u);
  EXPECT_EQ(to_string(g.tasks()[kDmaOut].src), "cluster3");
  EXPECT_EQ(to_string(g.tasks()[kDmaOut].dst), "l2");
  EXPECT_EQ(g.tasks()[kLoraA].cluster, 3u);
  EXPECT_EQ(g.tasks()[kAdd].cluster, 3u);
}

TEST_F(LayerCompilerTest, SerialLoraWaitsForMvm) {
  LayerCompiler c(spec(512, 512, 8, 8), target, *serial);
  const TaskGraph g = c.compile(8, true);
  EXPECT_EQ(sorted(g.dep_list(kLoraA)), (Deps{kMvm, kDmaIn}));
}

TEST_F(LayerCompilerTest, ParallelLoraDoesNotWaitForMvm) {
  LayerCompiler c(spec(512, 512, 8, 8), target, *parallel);
  const TaskGraph g = c.compile(8, true);
  EXPECT_EQ(g.dep_list(kLoraA), (Deps{kDmaIn}));
  // The add joins both halves.
  EXPECT_EQ(sorted(g.dep_list(kAdd)), (Deps{kStreamOut, kLoraB}));
  EXPECT_EQ(g.dep_list(kLoraB), (Deps{kLoraA}));
  EXPECT_EQ(g.dep_list(kDmaOut), (Deps{kAdd}));
  EXPECT_EQ(g.dep_list(kMvm), (Deps{kStreamIn}));
  EXPECT_EQ(g.dep_list(kStreamOut), (Deps{kMvm}));
  EXPECT_TRUE(g.dep_list(kStreamIn).empty());
  EXPECT_TRUE(g.dep_list(kDmaIn).empty());
}

TEST_F(LayerCompilerTest, SingleBuffersMakeChunkWaitForPreviousOne) {
  // Serial and parallel keep one copy of each buffer: chunk 1 reuses chunk 0's buffers.
  LayerCompiler c(spec(512, 512, 8, 16), target, *serial);
  const TaskGraph g = c.compile(8, true);
  ASSERT_EQ(g.tasks().size(), 2u * kHybridTasks);
  const std::size_t b = kHybridTasks;  // first task of chunk 1
  EXPECT_EQ(g.dep_list(b + kStreamIn), (Deps{kMvm}));
  EXPECT_EQ(sorted(g.dep_list(b + kMvm)), (Deps{kStreamOut, b + kStreamIn}));
  EXPECT_EQ(sorted(g.dep_list(b + kStreamOut)), (Deps{kAdd, b + kMvm}));
  EXPECT_EQ(g.dep_list(b + kDmaIn), (Deps{kLoraA}));
  EXPECT_EQ(sorted(g.dep_list(b + kLoraA)), (Deps{kLoraB, b + kMvm, b + kDmaIn}));
  EXPECT_EQ(sorted(g.dep_list(b + kLoraB)), (Deps{kDmaOut, b + kLoraA}));
}

TEST_F(LayerCompilerTest, PipelinedChunkReusesBuffersOfChunkTwoBefore) {
  LayerCompiler c(spec(512, 512, 8, 24), target, *pipelined);
  const TaskGraph g = c.compile(8, true);
  ASSERT_EQ(g.tasks().size(), 3u * kHybridTasks);
  // Chunk 1 has the second copy of every buffer: no dependency on chunk 0.
  const std::size_t one = kHybridTasks;
  for (std::size_t i = 0; i < kHybridTasks; ++i)
    for (auto d : g.dep_list(one + i)) EXPECT_GE(d, one) << g.name(one + i);
  // Chunk 2 reuses chunk 0's copy: each buffer waits for chunk 0's last reader.
  const std::size_t two = 2 * kHybridTasks;
  EXPECT_EQ(g.dep_list(two + kStreamIn), (Deps{kMvm}));
  EXPECT_EQ(sorted(g.dep_list(two + kMvm)), (Deps{kStreamOut, two + kStreamIn}));
  EXPECT_EQ(sorted(g.dep_list(two + kStreamOut)), (Deps{kAdd, two + kMvm}));
  EXPECT_EQ(g.dep_list(two + kDmaIn), (Deps{kLoraA}));
  EXPECT_EQ(sorted(g.dep_list(two + kLoraA)), (Deps{kLoraB, two + kDmaIn}));
  EXPECT_EQ(sorted(g.dep_list(two + kLoraB)), (Deps{kDmaOut, two + kLoraA}));
  EXPECT_EQ(sorted(g.dep_list(two + kAdd)), (Deps{two + kStreamOut, two + kLoraB}));
}

TEST_F(LayerCompilerTest, PartialSumsBufferIsFreeAfterDmaOut) {
  // Without LoRA the sum is written in place in tile_out and leaves by DMA: the next chunk's
  // tile outputs wait for that DMA.
  LayerCompiler c(spec(1024, 512, 8, 16), target, *parallel);
  const TaskGraph g = c.compile(8, false);
  ASSERT_EQ(g.tasks().size(), 2u * 5u);
  // Chunk 0: 0 in, 1 mvm, 2 out, 3 add, 4 dma out. Chunk 1: 5..9.
  EXPECT_EQ(sorted(g.dep_list(7)), (Deps{4, 6}));
  EXPECT_EQ(sorted(g.dep_list(8)), (Deps{7}));
}

TEST_F(LayerCompilerTest, TcdmPlanSingleVersusDoubleBuffers) {
  // 512 -> 300, rank 8, chunk 8, FP16 (2 B), buffers rounded up to 256 B:
  //   A        512*8*2   = 8192  -> 8192
  //   B        8*300*2   = 4800  -> 19*256 = 4864
  //   x        8*512*2   = 8192  -> 8192   (per copy)
  //   t        8*8*2     = 128   -> 256    (per copy)
  //   z        8*300*2   = 4800  -> 4864   (per copy)
  //   tile_out 1*8*300*2 = 4800  -> 4864   (per copy)
  // Single: 8192 + 4864 + 8192 + 256 + 4864 + 4864 = 31232.
  // Double: 8192 + 4864 + 2 * (8192 + 256 + 4864 + 4864) = 13056 + 2 * 18176 = 49408.
  LayerCompiler single(spec(512, 300, 8, 64), target, *parallel);
  LayerCompiler twice(spec(512, 300, 8, 64), target, *pipelined);
  EXPECT_EQ(single.tcdm_plan(8, true).bytes(), 31232u);
  EXPECT_EQ(twice.tcdm_plan(8, true).bytes(), 49408u);
  EXPECT_EQ(twice.tcdm_plan(8, true).capacity(), 131072u);
  EXPECT_TRUE(twice.tcdm_plan(8, true).fits());
  // Analog with one row block: only tile_out, 4864 B per copy.
  EXPECT_EQ(single.tcdm_plan(8, false).bytes(), 4864u);
  EXPECT_EQ(twice.tcdm_plan(8, false).bytes(), 2u * 4864u);
}

TEST_F(LayerCompilerTest, TcdmPlanBreakdown) {
  TcdmPlan plan(131072, 256);
  plan.add("A", 16384);
  plan.add("x", 1000, 2);  // rounded to 1024 per copy
  EXPECT_EQ(plan.bytes(), 16384u + 2u * 1024u);
  EXPECT_EQ(plan.breakdown(), "A 16.0KiB + x 2x1.0KiB");
  EXPECT_TRUE(plan.fits());
  TcdmPlan full(1024, 256);
  full.add("a", 1024);
  EXPECT_TRUE(full.fits());  // exactly the capacity
  full.add("b", 1);          // rounded to 256
  EXPECT_EQ(full.bytes(), 1280u);
  EXPECT_FALSE(full.fits());
}

// 1024 -> 600, rank 8, pipelined, FP16, on 128KiB = 131072 B, at chunk c:
//   fixed: A 1024*8*2 = 16384; B 8*600*2 = 9600 -> 38*256 = 9728; together 26112.
//   per copy: x 2048c; t 16c -> 256*ceil(c/16); z 1200c -> 256*ceil(4.6875c);
//             tile_out 2*2*600*c = 2400c -> 256*ceil(9.375c).
//   c = 9:  18432 + 256 + 43*256 + 85*256 = 18432 + 256 + 11008 + 21760 = 51456
//           total 26112 + 2 * 51456 = 129024 <= 131072: fits.
//   c = 10: 20480 + 256 + 47*256 + 94*256 = 20480 + 256 + 12032 + 24064 = 56832
//           total 26112 + 2 * 56832 = 139776 > 131072.
//   c = 16: 32768 + 256 + 75*256 + 150*256 = 32768 + 256 + 19200 + 38400 = 90624
//           total 26112 + 2 * 90624 = 207360.
TEST_F(LayerCompilerTest, LargestFittingChunk) {
  LayerCompiler c(spec(1024, 600, 8, 64), target, *pipelined);
  EXPECT_EQ(c.tcdm_plan(9, true).bytes(), 129024u);
  EXPECT_EQ(c.tcdm_plan(10, true).bytes(), 139776u);
  EXPECT_EQ(c.tcdm_plan(16, true).bytes(), 207360u);
  EXPECT_EQ(c.largest_fitting_chunk(true), 9u);
  EXPECT_NO_THROW(c.compile(9, true));
}

TEST_F(LayerCompilerTest, ChunkTooLargeForTcdm) {
  LayerCompiler c(spec(1024, 600, 8, 64), target, *pipelined);
  const std::string msg = user_error([&] { c.compile(16, true); });
  EXPECT_TRUE(contains(msg, "layer 1024->600: the working set at chunk 16 is 207360 bytes")) << msg;
  EXPECT_TRUE(contains(msg, "more than the TCDM")) << msg;
  EXPECT_TRUE(contains(msg, "131072 bytes")) << msg;
  EXPECT_TRUE(contains(msg, "the largest chunk that fits is 9")) << msg;
  EXPECT_TRUE(contains(msg, "A 16.0KiB + B 9.5KiB + x 2x32.0KiB")) << msg;  // 9728 / 1024
}

TEST_F(LayerCompilerTest, LayerTooLargeForTheTcdmIsSliced) {
  // A alone: 4096 * 16 * 2 = 131072 B fills the TCDM, so the layer runs in slices, A by
  // input rows and B by output columns, streamed with every chunk. Slices start at the tile
  // size and the wider one halves until the plan fits (KiB, two copies of slice buffers):
  //   512/512: A 2x16 + B 2x16 + x 2x8 + t 0.25 + z 2x8 + tile_out 2x64 = 224.25
  //   in 512, out 256: 32 + 16 + 16 + 0.25 + 8 + 64 = 136.25
  //   in 256, out 256: 16 + 16 + 8 + 0.25 + 8 + 64 = 112.25 <= 128
  LayerCompiler c(spec(4096, 4096, 16, 8), target, *serial);
  EXPECT_FALSE(c.slices(1, false).sliced());  // the baseline fits one token whole
  EXPECT_TRUE(c.slices(8, false).sliced());   // but not 8 (tile outputs 8 x 64 KiB)
  const LayerCompiler::Slices s = c.slices(8, true);
  ASSERT_TRUE(s.sliced());
  EXPECT_EQ(s.in, 256u);
  EXPECT_EQ(s.out, 256u);
  EXPECT_EQ(c.tcdm_plan(8, true).bytes(), 112u * 1024u + 256u);
  const TaskGraph g = c.compile(8, true, true);
  // x to tiles, mvm, 16 x (x slice, A slice, lora_a), 16 x (stream, B, lora_b, add, y).
  EXPECT_EQ(g.tasks().size(), 2u + 16u * 3u + 16u * 5u);
  std::uint64_t lora_a = 0, streamed_weights = 0;
  for (std::size_t i = 0; i < g.size(); ++i) {
    const Task& t = g.task(i);
    if (t.kind == TaskKind::gemm_redmule && t.k() == 16) lora_a += t.m() * t.n();
    if (g.name(i).find(" A slice") != std::string::npos ||
        g.name(i).find(" B slice") != std::string::npos)
      streamed_weights += t.bytes();
  }
  EXPECT_EQ(lora_a, 8u * 4096u);                       // x.A over all input slices
  EXPECT_EQ(streamed_weights, 2u * 4096u * 16u * 2u);  // A and B once per chunk
}

TEST_F(LayerCompilerTest, NoChunkFitsEvenInSlices) {
  LayerTarget tiny = target;
  tiny.tcdm_capacity = 1024;  // 11 bank-aligned slice buffers need at least 2816 B
  LayerCompiler c(spec(4096, 4096, 16, 8), tiny, *serial);
  EXPECT_EQ(c.largest_fitting_chunk(true), 0u);
  const std::string msg = user_error([&] { c.compile(1, true); });
  EXPECT_TRUE(contains(msg, "no chunk fits, even with the weights and outputs in slices")) << msg;
}

TEST_F(LayerCompilerTest, ChunkIsClampedToTokensAndMustBePositive) {
  LayerCompiler c(spec(512, 512, 8, 5), target, *parallel);
  const TaskGraph g = c.compile(100, true);  // one chunk of all 5 tokens
  ASSERT_EQ(g.tasks().size(), std::size_t{kHybridTasks});
  EXPECT_EQ(g.tasks()[kLoraA].m(), 5u);
  EXPECT_EQ(user_error([&] { c.compile(0, true); }), "--chunk must be a positive integer, got 0");
}

TEST(LayerSpec, ValidateRejectsRankAboveSmallerDimension) {
  EXPECT_NO_THROW(spec(512, 64, 64, 1).validate());  // rank = min(512, 64) is allowed
  const std::string msg = user_error([] { spec(512, 64, 65, 1).validate(); });
  EXPECT_TRUE(contains(msg, "--rank 65 is larger than min(d_in, d_out) = 64")) << msg;
  // The bound is the smaller of the two, whichever it is.
  EXPECT_TRUE(contains(user_error([] { spec(32, 512, 33, 1).validate(); }), "= 32"));
}

TEST(LayerSpec, ValidateRejectsZeroSizes) {
  EXPECT_EQ(user_error([] { spec(0, 64, 8, 1).validate(); }),
            "--d-in must be a positive integer, got 0");
  EXPECT_EQ(user_error([] { spec(64, 0, 8, 1).validate(); }),
            "--d-out must be a positive integer, got 0");
  EXPECT_EQ(user_error([] { spec(64, 64, 0, 1).validate(); }),
            "--rank must be a positive integer, got 0");
  EXPECT_EQ(user_error([] { spec(64, 64, 8, 0).validate(); }),
            "--tokens must be a positive integer, got 0");
}

TEST(LayerSpec, CompilerConstructorValidates) {
  const auto strategy = PipelineStrategy::make("serial");
  // rank 128 > min(64, 64)
  EXPECT_THROW({ LayerCompiler c(spec(64, 64, 128, 1), LayerTarget{}, *strategy); },
               sim::UserError);
}

TEST(PipelineStrategy, KnownStrategies) {
  EXPECT_EQ(PipelineStrategy::names(),
            (std::vector<std::string>{"serial", "parallel", "pipelined"}));
  const auto serial = PipelineStrategy::make("serial");
  EXPECT_EQ(serial->name(), "serial");
  EXPECT_TRUE(serial->lora_waits_for_tile());
  EXPECT_EQ(serial->buffer_copies(), 1u);
  const auto parallel = PipelineStrategy::make("parallel");
  EXPECT_EQ(parallel->name(), "parallel");
  EXPECT_FALSE(parallel->lora_waits_for_tile());
  EXPECT_EQ(parallel->buffer_copies(), 1u);
  const auto pipelined = PipelineStrategy::make("pipelined");
  EXPECT_EQ(pipelined->name(), "pipelined");
  EXPECT_FALSE(pipelined->lora_waits_for_tile());
  EXPECT_EQ(pipelined->buffer_copies(), 2u);
}

TEST(PipelineStrategy, UnknownNameListsStrategies) {
  const std::string msg = user_error([] { PipelineStrategy::make("bogus"); });
  EXPECT_EQ(msg, "unknown strategy 'bogus': expected one of serial, parallel, pipelined");
  for (const auto& name : PipelineStrategy::names()) EXPECT_TRUE(contains(msg, name)) << name;
}

}  // namespace
}  // namespace aimcsim::workloads
