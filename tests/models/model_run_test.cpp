// A whole (toy) model on the reference platform against a hand calculation.
#include "fixture.h"
#include "platform/experiments/adapter_experiment.h"
#include "platform/experiments/layer_experiment.h"
#include "platform/experiments/model_experiment.h"

#include <gtest/gtest.h>

namespace aimcsim::test {
namespace {

platform::ModelRequest toy_request() {
  platform::ModelRequest r;
  r.model = workloads::parse_model_description(
      "name: toy\nmodel_type: toy\nblocks: 2\ninput_dim: 128\n"
      "attention: {heads: 1, kv_heads: 1, head_dim: 128, causal: false}\n"
      "block:\n  - {op: linear, name: dense, in: [x], out: y, d_in: 128, d_out: 128}\n",
      "toy.yaml");
  r.schedule.seq = 64;
  r.chunk = 64;  // one chunk: block 1 can only start once block 0's output is in L2
  return r;
}

TEST(ModelRun, TwoBlockToyModelEqualsHandCalculation) {
  TestPlatform p;
  const platform::ModelOutcome out = platform::run_model(*p.platform, toy_request());
  // Each block is the 128->128 layer of Layer.AnalogBaselineEqualsHandCalculation
  // (x in 271 + MVMs 8578 + tile outputs 261 + y out 276 ns), on its own tile; block 1's
  // input stream starts when block 0's output DMA ends, and nothing else contends.
  EXPECT_EQ(out.t_analog_ns(), 2 * (271 + 8578 + 261 + 276));
  ASSERT_EQ(out.layers.size(), 2u);
  EXPECT_EQ(out.layers[0].t_analog_ns, 271 + 8578 + 261 + 276);
  // Both layers' A and B (2 x 4 KiB) stay resident, so the hybrid blocks are the isolated
  // hybrid layer twice.
  EXPECT_TRUE(out.mapping.linears[0].lora_resident);
  EXPECT_TRUE(out.mapping.linears[1].lora_resident);
  EXPECT_EQ(out.t_hybrid_ns(), 2 * out.layers[0].t_hybrid_ns);
  EXPECT_EQ(out.mapping.tiles, 2u);
}

TEST(ModelRun, TcdmPeakCountsResidentWeightsOnce) {
  TestPlatform p;
  const platform::ModelOutcome out = platform::run_model(*p.platform, toy_request());
  // Resident: both layers' A and B, 2 x (128x8 + 8x128) x 2 B = 8 KiB. A layer's plan at
  // chunk 64 is 54272 B (x, t, z, tile_out buffers and its own 4 KiB of A and B); its own
  // weights are among the resident ones, so the peak is 8192 + 54272 - 4096.
  ASSERT_EQ(out.mapping.resident_bytes.size(), 1u);
  EXPECT_EQ(out.mapping.resident_bytes[0], 8192u);
  ASSERT_EQ(out.tcdm_peak_bytes.size(), 1u);
  EXPECT_EQ(out.tcdm_peak_bytes[0], 8192u + 54272u - 4096u);
}

// One block: linears a and b both read x, then sum adds their outputs; one chunk of 64.
platform::ModelRequest parallel_pair_request(const std::string& tier_policy) {
  platform::ModelRequest r;
  r.model = workloads::parse_model_description(
      "name: pair\nmodel_type: toy\nblocks: 1\ninput_dim: 128\n"
      "attention: {heads: 1, kv_heads: 1, head_dim: 128, causal: false}\nblock:\n"
      "  - {op: linear, name: a, in: [x], out: t1, d_in: 128, d_out: 128}\n"
      "  - {op: linear, name: b, in: [x], out: t2, d_in: 128, d_out: 128}\n"
      "  - {op: add, name: sum, in: [t1, t2], out: t3}\n",
      "pair.yaml");
  r.schedule.seq = 64;
  r.chunk = 64;
  r.tier_policy = tier_policy;
  return r;
}

TEST(ModelRun, LayersOnTwoTiersOfOneTileSerialise) {
  TestPlatform p("aimc: {tiers: 2}");
  const platform::ModelOutcome out =
      platform::run_model(*p.platform, parallel_pair_request("area"));
  ASSERT_EQ(out.mapping.tiles, 1u);
  EXPECT_EQ(out.mapping.linears[1].tier, 1u);
  // a: x in 271 + 64 MVMs 8578 (2 + 64 x 128 + 63 x 6 + 6) = 8849. b's MVMs share the tile:
  // its first integration waits for a's last output phase, then 64 x (128 + 6) = 8576 more;
  // b's tile outputs 261, y to L2 276; sum: both inputs to TCDM 532, add 287, out 276.
  EXPECT_EQ(out.t_analog_ns(), 271 + 8578 + 64 * 134 + 261 + 276 + 532 + 287 + 276);
}

TEST(ModelRun, LayersOnTwoTilesOverlap) {
  TestPlatform p("aimc: {tiers: 2}");
  const platform::ModelOutcome out =
      platform::run_model(*p.platform, parallel_pair_request("latency"));
  ASSERT_EQ(out.mapping.tiles, 2u);
  // b's x follows a's out of L2 (271 + 256 = 527), its MVMs run beside a's (8578), its tile
  // outputs take 261; its y to L2 waits for a's (271 + 8578 + 261 + 276 = 9386), 276; then
  // the sum as above (532 + 287 + 276).
  EXPECT_EQ(out.t_analog_ns(), 271 + 8578 + 261 + 276 + 276 + 532 + 287 + 276);
}

// One block: y = dense(x), z = y + x; one chunk of 64 tokens.
platform::ModelRequest residual_request() {
  platform::ModelRequest r;
  r.model = workloads::parse_model_description(
      "name: res\nmodel_type: toy\nblocks: 1\ninput_dim: 128\n"
      "attention: {heads: 1, kv_heads: 1, head_dim: 128, causal: false}\nblock:\n"
      "  - {op: linear, name: dense, in: [x], out: y, d_in: 128, d_out: 128}\n"
      "  - {op: add, name: residual, in: [y, x], out: z}\n",
      "res.yaml");
  r.schedule.seq = 64;
  r.chunk = 64;
  return r;
}

TEST(ModelRun, ResidualAddRunsOnTheCoresByDefault) {
  TestPlatform cores;
  const auto out = platform::run_model(*cores.platform, residual_request());
  // The layer (271 + 8578 + 261 + 276), then the add on the cores: both inputs to TCDM 532,
  // add 287, out to L2 276.
  EXPECT_EQ(out.t_analog_ns(), 271 + 8578 + 261 + 276 + 532 + 287 + 276);
  EXPECT_FALSE(out.analog_on_tile[1]);
}

TEST(ModelRun, ResidualAddRunsOnTheTilesWhenAsked) {
  TestPlatform tile("aimc: {ldu: {elementwise: tile}}");
  const auto out = platform::run_model(*tile.platform, residual_request());
  // x to tiles 271, the residual after it 271 (16 KiB each); MVMs with one more LDU stage
  // (output 7 ns): 2 + 64 x 128 + 63 x 7 + 7 = 8642; tile outputs 261, y to L2 276.
  EXPECT_EQ(out.t_analog_ns(), 271 + 271 + 8642 + 261 + 276);
  ASSERT_EQ(out.ops.size(), 2u);
  EXPECT_TRUE(out.analog_on_tile[1]);
  // The hybrid adds dense's LoRA branch on the cluster: the residual add stays there.
  EXPECT_FALSE(out.ops[1].on_tile);
  EXPECT_EQ(out.ops[1].end_task - out.ops[1].first_task, 3u);
}

TEST(ModelRun, DecodeReloadsAKvCacheThatLivesInDram) {
  // L2 of 2 KiB: one decode token's activations (at most q, k, v and the attention output
  // live at once: 4 x 128 x 2 B = 1024 B) fit; the KV cache (2 x 128 x 65 positions x 2 B = 33280
  // B) and the LoRA weights (4 x (128 + 128) x 8 x 2 B = 16384 B) go to the DRAM.
  TestPlatform p("l2: {size: 2KiB}\ndram: {size: 1GiB}");
  platform::ModelRequest r;
  r.model = workloads::parse_model_description(
      "name: dec\nmodel_type: toy\nblocks: 1\ninput_dim: 128\n"
      "attention: {heads: 1, kv_heads: 1, head_dim: 128, causal: true}\nblock:\n"
      "  - {op: linear, name: q, in: [x], out: q, d_in: 128, d_out: 128}\n"
      "  - {op: linear, name: k, in: [x], out: k, d_in: 128, d_out: 128}\n"
      "  - {op: linear, name: v, in: [x], out: v, d_in: 128, d_out: 128}\n"
      "  - {op: attention, name: attn, in: [q, k, v], out: a}\n"
      "  - {op: linear, name: o, in: [a], out: y, d_in: 128, d_out: 128}\n",
      "dec.yaml");
  r.schedule.seq = 64;
  r.schedule.decode = true;
  const auto out = platform::run_model(*p.platform, r);
  using workloads::MemoryLevel;
  using workloads::TensorClass;
  EXPECT_EQ(out.mapping.memory.level_of(TensorClass::activations), MemoryLevel::l2);
  EXPECT_EQ(out.mapping.memory.level_of(TensorClass::kv_cache), MemoryLevel::dram);
  EXPECT_EQ(out.mapping.memory.level_of(TensorClass::lora_weights), MemoryLevel::dram);
  EXPECT_EQ(out.mapping.memory.entries[1].bytes, 33280u);
  EXPECT_EQ(out.mapping.memory.entries[2].bytes, 16384u);
  // The hybrid run (the last) read the whole cache from the DRAM once; its LoRA weights are
  // resident in the TCDM, so nothing else.
  EXPECT_TRUE(out.mapping.linears[0].lora_resident);
  EXPECT_EQ(p.platform->dram()->stats().value("bytes_read"), 33280.0);
}

TEST(ModelRun, AnAdapterSwitchIsTheDmaOfItsResidentWeights) {
  TestPlatform p;
  const platform::ModelRequest r = toy_request();
  const auto adapters = workloads::parse_adapters("task=a,rank=8;task=b,rank=16");
  const platform::ModelOutcome first = platform::run_model(*p.platform, r);
  const auto out = platform::run_adapters(*p.platform, r, adapters, {"a", "b", "a"}, first);
  ASSERT_EQ(out.adapters.size(), 2u);
  // a: both layers' A and B resident, 2 x (128 + 128) x 8 x 2 B = 8192 B from L2 by one DMA:
  // setup 5 + L2 latency 10 + 2 links x 2 + crossbar 1 + 8192 / 64 = 148 ns.
  EXPECT_EQ(out.adapters[0].switch_bytes, 8192u);
  EXPECT_EQ(out.adapters[0].switch_ns, 5 + 10 + 2 * 2 + 1 + 128);
  // b at rank 16: 16384 B, 256 cycles of data.
  EXPECT_EQ(out.adapters[1].switch_bytes, 16384u);
  EXPECT_EQ(out.adapters[1].switch_ns, 5 + 10 + 2 * 2 + 1 + 256);
  // a (loaded), switch to b, b, switch to a, a.
  EXPECT_DOUBLE_EQ(out.sequence_ns, 2 * out.adapters[0].t_hybrid_ns + out.adapters[1].t_hybrid_ns +
                                        out.adapters[1].switch_ns + out.adapters[0].switch_ns);
  // Reprogramming instead: 512 rows x 10 us (aimc.t_program_row), and at the published 20-30
  // MVMs a row, one full-tile MVM being input 512 B / 64 B a cycle (8) + t_int 128 + ADC
  // read-out 2 + the NMPU's fill 3 + 512 columns over 128 units of 4 (4): 145 ns.
  EXPECT_EQ(out.reprogram_ns, 512 * 10000.0);
  EXPECT_EQ(out.mvm_ns, 8 + 128 + 2 + 7);
  EXPECT_EQ(out.reprogram_published_ns[0], 512 * 20 * 145.0);
  EXPECT_EQ(out.reprogram_published_ns[1], 512 * 30 * 145.0);
}

TEST(ModelRun, EmbeddingsInDramAreFetchedPerToken) {
  // A 1000-row table of 128-wide embeddings (256000 B) does not fit a 64 KiB L2 next to the
  // toy's activations (64 tokens x 256 wide x 2 B = 32 KiB at most) and LoRA weights (8 KiB):
  // it lives in the DRAM, and each of the 64 tokens' rows (128 x 2 B) is fetched from it.
  TestPlatform p("l2: {size: 64KiB}\ndram: {size: 1GiB}");
  platform::ModelRequest r = toy_request();
  r.model.vocab = 1000;
  const auto out = platform::run_model(*p.platform, r);
  EXPECT_EQ(out.mapping.memory.level_of(workloads::TensorClass::embeddings),
            workloads::MemoryLevel::dram);
  EXPECT_EQ(out.mapping.memory.entries[3].bytes, 256000u);
  EXPECT_EQ(p.platform->dram()->stats().value("bytes_read"), 64.0 * 128 * 2);
}

TEST(ModelRun, TooFewTilesIsAnError) {
  TestPlatform p("aimc: {tiles: 300}");
  platform::ModelRequest r;
  r.model =
      workloads::load_model(std::string(AIMCSIM_SOURCE_DIR) + "/workloads/models/mobilebert.yaml");
  try {
    platform::run_model(*p.platform, r);
    FAIL() << "no error";
  } catch (const sim::UserError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "model mobilebert needs 361 AIMC tiles of 512x512 but the platform has 300"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace aimcsim::test
