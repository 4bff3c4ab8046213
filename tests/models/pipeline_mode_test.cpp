// The pipeline modes (workloads/pipeline/mode.h) on a two-block toy against a hand
// calculation: what waits for what decides the end-to-end latency.
#include "fixture.h"
#include "platform/experiments/model_experiment.h"
#include "workloads/pipeline/mode.h"

#include <gtest/gtest.h>

#include <map>

namespace aimcsim::test {
namespace {

// Two blocks of two 128->128 linears each (four tiles); 64 tokens in two chunks of 32.
platform::ModelRequest chain_request(const std::string& pipeline) {
  platform::ModelRequest r;
  r.model = workloads::parse_model_description(
      "name: chain\nmodel_type: toy\nblocks: 2\ninput_dim: 128\n"
      "attention: {heads: 1, kv_heads: 1, head_dim: 128, causal: false}\nblock:\n"
      "  - {op: linear, name: up, in: [x], out: y, d_in: 128, d_out: 128}\n"
      "  - {op: linear, name: down, in: [y], out: z, d_in: 128, d_out: 128}\n",
      "chain.yaml");
  r.schedule.seq = 64;
  r.schedule.pipeline = pipeline;
  r.chunk = 32;
  return r;
}

// One chunk of 32 tokens through one 128->128 tile (reference platform, t_int 128 ns): x to
// the tiles 8 KiB (15 + 128 ns), the MVMs 2 + 32 x 128 + 31 x 6 + 6 = 4290, the tile outputs
// 133, y to L2 148. A tile's input buffer is single (strategy parallel): chunk 1's input
// moves in once chunk 0's MVMs are done.
constexpr double kIn = 143, kMvm = 4290, kOut = 133, kL2 = 148;

TEST(PipelineModes, EndToEndLatencyOfEachModeByHand) {
  TestPlatform p;
  std::map<std::string, double> analog;
  for (const auto& mode : workloads::PipelineMode::names())
    analog[mode] = platform::run_model(*p.platform, chain_request(mode)).t_analog_ns();

  // Barriers everywhere: a linear starts when the one before it has written all of its
  // output: both chunks in and through the tile one after the other, then the last chunk's
  // outputs and store: 9147 ns per linear.
  const double linear = 2 * (kIn + kMvm) + kOut + kL2;
  EXPECT_EQ(analog["serial"], 4 * linear);
  EXPECT_EQ(analog["il-par"], 4 * linear);
  // The toy has no attention, so intra-layer pipelining changes nothing.
  EXPECT_EQ(analog["il-pipe"], analog["il-par"]);

  // XL-Pipe: inside a block, `down`'s chunk 0 starts when `up`'s chunk 0 is in L2 (4714);
  // its chunk 1 when `up`'s chunk 1 is in L2 (9147) and its tile is free (9147); a block
  // ends 9147 + 4714 = 13861 ns after it starts, and block 1 waits for all of block 0.
  const double chunk0 = kIn + kMvm + kOut + kL2;          // 4714
  const double block = linear + kIn + kMvm + kOut + kL2;  // 13861
  EXPECT_EQ(analog["xl-pipe"], 2 * block);
  EXPECT_EQ(analog["il+xl-pipe"], analog["xl-pipe"]);

  // XB-Pipe: no barrier at all. Chunk 0 goes through the four linears back to back, in L2
  // after linear k at (k + 1) x 4714. Chunk 1 enters linear k when linear k-1 has stored it
  // and linear k's tile is done with chunk 0 (k x 4714 + 143 + 4290), which by induction are
  // the same moment; so chunk 1 leaves the last tile one input-and-MVM time after chunk 0:
  //   up0 c1 in at 4433, stored 9147; down0 c1 in at 9147, stored 13861;
  //   up1 c1 in at 13861, stored 18575; down1 c0 stored 18856, c1 in at 18575, stored 23289.
  EXPECT_EQ(analog["xb-pipe"], 4 * chunk0 + kIn + kMvm);

  // Fewer barriers never hurt here: XB <= XL <= IL-Par <= Serial.
  EXPECT_LE(analog["xb-pipe"], analog["xl-pipe"]);
  EXPECT_LE(analog["xl-pipe"], analog["il-par"]);
  EXPECT_LE(analog["il-par"], analog["serial"]);
}

// One block: q, k, v projections, attention, an output projection and a GELU; 64 tokens in
// chunks of 16, on two clusters.
platform::ModelRequest attention_request(const std::string& pipeline) {
  platform::ModelRequest r;
  r.model = workloads::parse_model_description(
      "name: att\nmodel_type: toy\nblocks: 1\ninput_dim: 128\n"
      "attention: {heads: 2, kv_heads: 2, head_dim: 64, causal: false}\nblock:\n"
      "  - {op: linear, name: q, in: [x], out: q, d_in: 128, d_out: 128}\n"
      "  - {op: linear, name: k, in: [x], out: k, d_in: 128, d_out: 128}\n"
      "  - {op: linear, name: v, in: [x], out: v, d_in: 128, d_out: 128}\n"
      "  - {op: attention, name: attn, in: [q, k, v], out: a}\n"
      "  - {op: linear, name: o, in: [a], out: y, d_in: 128, d_out: 128}\n"
      "  - {op: activation, type: gelu, name: act, in: [y], out: z}\n",
      "att.yaml");
  r.schedule.seq = 64;
  r.schedule.pipeline = pipeline;
  r.chunk = 16;  // the linears' chunk; attention and the GELU choose their own
  return r;
}

TEST(PipelineModes, IntraLayerPipeliningChunksAttentionAndSerialKeepsOneCluster) {
  TestPlatform p("clusters: 2");
  std::map<std::string, platform::ModelOutcome> out;
  for (const char* mode : {"serial", "il-par", "il-pipe"})
    out.emplace(mode, platform::run_model(*p.platform, attention_request(mode)));
  const auto op = [&](const char* mode, const char* label) -> const workloads::OpSpan& {
    for (const auto& s : out.at(mode).ops)
      if (s.label == label) return s;
    throw std::runtime_error(std::string("no operator ") + label);
  };
  // Attention in jobs of the whole sequence (64 query rows fit) unless the mode chunks it:
  // then in the chunks its queries arrive in.
  EXPECT_EQ(op("il-par", "block0.attn").chunk, 64u);
  EXPECT_EQ(op("il-pipe", "block0.attn").chunk, 16u);
  // Two head groups: spread over both clusters, or both on one.
  EXPECT_EQ(op("il-par", "block0.attn").clusters.size(), 2u);
  EXPECT_EQ(op("serial", "block0.attn").clusters.size(), 1u);
  EXPECT_EQ(op("serial", "block0.act").clusters.size(), 1u);
  // On one cluster the same work takes longer.
  EXPECT_GT(out.at("serial").t_analog_ns(), out.at("il-par").t_analog_ns());
}

}  // namespace
}  // namespace aimcsim::test
