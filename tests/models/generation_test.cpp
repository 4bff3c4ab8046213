// Autoregressive generation (platform/experiments/generation_experiment.h): the prefill, then one decode
// step per generated token against a KV cache that grows by one.
#include "fixture.h"
#include "platform/experiments/generation_experiment.h"
#include "platform/experiments/model_experiment.h"

#include <gtest/gtest.h>

namespace aimcsim::test {
namespace {

platform::ModelRequest decoder_request() {
  platform::ModelRequest r;
  r.model = workloads::parse_model_description(
      "name: dec\nmodel_type: toy\nblocks: 1\ninput_dim: 128\nmax_positions: 12\n"
      "attention: {heads: 1, kv_heads: 1, head_dim: 128, causal: true}\nblock:\n"
      "  - {op: linear, name: q, in: [x], out: q, d_in: 128, d_out: 128}\n"
      "  - {op: linear, name: k, in: [x], out: k, d_in: 128, d_out: 128}\n"
      "  - {op: linear, name: v, in: [x], out: v, d_in: 128, d_out: 128}\n"
      "  - {op: attention, name: attn, in: [q, k, v], out: a}\n"
      "  - {op: linear, name: o, in: [a], out: y, d_in: 128, d_out: 128}\n",
      "dec.yaml");
  r.schedule.seq = 8;
  return r;
}

TEST(Generation, TokensArePrefillThenDecodeStepsOfAGrowingKvCache) {
  TestPlatform p;
  const platform::ModelRequest r = decoder_request();
  platform::check_generation(*p.platform, r, 3);
  const platform::ModelOutcome prefill = platform::run_model(*p.platform, r);
  const platform::GenerationOutcome g = platform::run_generation(*p.platform, r, prefill, 3);
  ASSERT_EQ(g.steps.size(), 3u);
  // Each step is the decode run at its KV cache length, as `run --phase decode --seq N` gives.
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(g.steps[i].kv_tokens, 8 + i);
    platform::ModelRequest d = r;
    d.schedule.decode = true;
    d.schedule.seq = 8 + i;
    const platform::ModelOutcome alone = platform::run_model(*p.platform, d);
    EXPECT_EQ(g.steps[i].t_analog_ns, alone.t_analog_ns());
    EXPECT_EQ(g.steps[i].t_hybrid_ns, alone.t_hybrid_ns());
  }
  // A longer cache is one more key and value to load: never faster.
  EXPECT_LE(g.steps[0].t_hybrid_ns, g.steps[2].t_hybrid_ns);
  const auto j = platform::generation_report(g);
  EXPECT_EQ(j["ttft_ns"]["hybrid"], prefill.t_hybrid_ns());
  const double decode = g.steps[0].t_hybrid_ns + g.steps[1].t_hybrid_ns + g.steps[2].t_hybrid_ns;
  EXPECT_EQ(j["decode_ns"]["hybrid"], decode);
  EXPECT_EQ(j["total_ns"]["hybrid"], prefill.t_hybrid_ns() + decode);
  EXPECT_EQ(j["per_token_ns"]["first"]["hybrid"], g.steps[0].t_hybrid_ns);
  EXPECT_EQ(j["per_token_ns"]["median"]["hybrid"], g.steps[1].t_hybrid_ns);
  EXPECT_EQ(j["per_token_ns"]["last"]["hybrid"], g.steps[2].t_hybrid_ns);
  EXPECT_DOUBLE_EQ(j["tokens_per_s"]["hybrid"].get<double>(), 3 / (decode * 1e-9));
}

TEST(Generation, BeyondTheModelsPositionsIsRefusedNamingTheMost) {
  TestPlatform p;
  try {
    platform::check_generation(*p.platform, decoder_request(), 5);
    FAIL() << "expected a UserError";
  } catch (const sim::UserError& e) {
    EXPECT_STREQ(e.what(),
                 "--generate 5 after --seq 8: dec has 12 positions (max_positions), so at most 4 "
                 "tokens can be generated after this prompt");
  }
}

}  // namespace
}  // namespace aimcsim::test
