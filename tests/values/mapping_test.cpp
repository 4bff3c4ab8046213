// The compiler's mapping proved by values: with every non-ideality off, the tasks of a layer
// split over tiles (row blocks with partial sums, column blocks), packed onto shared tiles or
// spread over tiers compute the FP32 product; and a graph that drops a partial sum is caught.
#include "../models/fixture.h"
#include "platform/experiments/layer_experiment.h"
#include "platform/experiments/model_experiment.h"
#include "toy_model.h"

#include <gtest/gtest.h>

namespace aimcsim::test {
namespace {

platform::LayerRequest ideal_layer(std::uint64_t d_in, std::uint64_t d_out) {
  platform::LayerRequest r;
  r.spec.d_in = d_in;
  r.spec.d_out = d_out;
  r.spec.rank = 8;
  r.spec.tokens = 16;
  r.values.on = r.values.ideal = true;
  r.keep_graphs = true;
  return r;
}

TEST(ValueMapping, LayerSplitOverTwoByTwoTilesReproducesFp32) {
  TestPlatform p("{aimc: {rows: 64, cols: 64}}");
  const platform::LayerRequest r = ideal_layer(128, 128);
  const platform::LayerOutcome out = platform::run_layer(*p.platform, r);
  ASSERT_EQ(out.tiles, 4u);  // two row blocks x two column blocks
  ASSERT_TRUE(out.values);
  EXPECT_LT(out.values->output.rel_rms, 1e-5);         // tiles + LoRA branch
  EXPECT_LT(out.values->output_analog.rel_rms, 1e-5);  // tiles alone

  // The same hybrid graph without one of its partial-sum tasks: that chunk's output is its
  // first row block's alone (no second block, no LoRA), and the error shows it.
  workloads::TaskGraph broken = out.hybrid_graph;
  bool dropped = false;
  for (std::size_t i = 0; i < broken.size() && !dropped; ++i)
    if (broken.value_tag(i).kind == workloads::ValueKind::sum) {
      broken.tag(static_cast<workloads::TaskId>(i), workloads::ValueTag{});
      dropped = true;
    }
  ASSERT_TRUE(dropped);
  const platform::ValueReport bad =
      platform::layer_values(*p.platform, r.values, r.spec, out.analog_graph, broken);
  EXPECT_GT(bad.output.rel_rms, 0.1);
}

TEST(ValueMapping, RaggedSplitsReproduceFp32) {
  // 200 -> 136 on 64 x 64 tiles: row blocks of 64, 64, 64 and 8, column blocks 64, 64 and 8.
  TestPlatform p("{aimc: {rows: 64, cols: 64}}");
  const platform::LayerOutcome out = platform::run_layer(*p.platform, ideal_layer(200, 136));
  ASSERT_EQ(out.tiles, 12u);
  EXPECT_LT(out.values->output.rel_rms, 1e-5);
  EXPECT_LT(out.values->output_analog.rel_rms, 1e-5);
}

// A two-block toy whose linears split, pack and share tiers on 128 x 128 tiles.
platform::ModelRequest toy_request(const std::string& packing, const std::string& tiers) {
  platform::ModelRequest r;
  r.model =
      workloads::parse_model_description(std::string(kToyAttention) + kToyFeedForward, "toy.yaml");
  r.schedule.seq = 32;
  r.packing = packing;
  r.tier_policy = tiers;
  r.values.on = r.values.ideal = true;
  return r;
}

void expect_exact(const platform::ModelOutcome& out) {
  ASSERT_TRUE(out.values);
  EXPECT_LT(out.values->output.rel_rms, 1e-5);
  EXPECT_LT(out.values->output_analog.rel_rms, 1e-5);
  ASSERT_EQ(out.values->layers.size(), 13u);  // the prologue's and 2 x 6
  for (const auto& l : out.values->layers) {
    EXPECT_LT(l.hybrid.rel_rms, 1e-5) << l.label;
    EXPECT_LT(l.analog.rel_rms, 1e-5) << l.label;
  }
}

TEST(ValueMapping, SplitModelReproducesFp32) {
  TestPlatform p("{aimc: {rows: 128, cols: 128}}");
  const platform::ModelOutcome out = platform::run_model(*p.platform, toy_request("none", ""));
  // Per block: q, k, v, o one tile each, up 3 column blocks, down 3 row blocks; the prologue 1.
  EXPECT_EQ(out.mapping.tiles, 1u + 2 * (4 + 3 + 3));
  expect_exact(out);
}

TEST(ValueMapping, DensePackedModelReproducesFp32) {
  TestPlatform p("{aimc: {rows: 128, cols: 128}}");
  const platform::ModelOutcome out = platform::run_model(*p.platform, toy_request("dense", ""));
  EXPECT_LT(out.mapping.tiles, 21u);  // 64 x 64 layers four to a tile
  expect_exact(out);
}

TEST(ValueMapping, DiagonallyPackedModelReproducesFp32) {
  TestPlatform p("{aimc: {rows: 128, cols: 128}}");
  const platform::ModelOutcome out = platform::run_model(*p.platform, toy_request("diagonal", ""));
  EXPECT_LT(out.mapping.tiles, 21u);
  expect_exact(out);
}

TEST(ValueMapping, TieredModelReproducesFp32) {
  TestPlatform p("{aimc: {rows: 128, cols: 128, tiers: 4}}");
  const platform::ModelOutcome out = platform::run_model(*p.platform, toy_request("none", "area"));
  EXPECT_LT(out.mapping.tiles, 21u);
  EXPECT_GT(out.mapping.tiers, 1u);
  expect_exact(out);
}

}  // namespace
}  // namespace aimcsim::test
