// Attention's two forms (workloads/compile/lowering.h): standard (all keys at once) and flash
// (key blocks with the online softmax), against their kernels' closed forms.
#include "fixture.h"
#include "platform/experiments/model_experiment.h"

#include <gtest/gtest.h>

namespace aimcsim::test {
namespace {

// One block of one head: q, k, v projections, then attention; 64 tokens.
platform::ModelRequest one_head(const std::string& attention, std::uint64_t kv_block) {
  platform::ModelRequest r;
  r.model = workloads::parse_model_description(
      "name: head\nmodel_type: toy\nblocks: 1\ninput_dim: 64\n"
      "attention: {heads: 1, kv_heads: 1, head_dim: 64, causal: false}\nblock:\n"
      "  - {op: linear, name: q, in: [x], out: q, d_in: 64, d_out: 64}\n"
      "  - {op: linear, name: k, in: [x], out: k, d_in: 64, d_out: 64}\n"
      "  - {op: linear, name: v, in: [x], out: v, d_in: 64, d_out: 64}\n"
      "  - {op: attention, name: attn, in: [q, k, v], out: a}\n",
      "head.yaml");
  r.schedule.seq = 64;
  r.schedule.attention = attention;
  r.schedule.kv_block = kv_block;
  return r;
}

double attention_ns(const platform::ModelOutcome& o) {
  return o.analog_ops.back().end_ns - o.analog_ops.back().start_ns;
}

TEST(Attention, FlashWithOneKeyBlockIsStandardWithTheNormalisationDeferred) {
  TestPlatform p;
  const auto standard = platform::run_model(*p.platform, one_head("standard", 0));
  const auto flash = platform::run_model(*p.platform, one_head("flash", 64));
  ASSERT_EQ(standard.ops.back().attention, "standard");
  ASSERT_EQ(flash.ops.back().attention, "flash");
  EXPECT_EQ(flash.ops.back().kv_block, 64u);
  // One head, one query chunk of 64 rows, one block of 64 keys: scores, softmax, context and
  // the store run one after another. Flash replaces the softmax (max | exp and sum | scale by
  // 1/sum) by partial_softmax (no scale pass, one scalar exp a row) and adds final_scale of
  // the 64 x 64 output: FlashAttention-2 divides O once instead of P.
  const auto& cores = p.platform->cluster(0).cores();
  const auto fp16 = cluster::Precision::fp16;
  const auto cycles = [&](const char* k) {
    return static_cast<double>(cores.kernel_cost(k, 64 * 64, 64, fp16).total());
  };
  const double period_ns = p.platform->cluster(0).period().ps / 1000.0;
  EXPECT_EQ(attention_ns(flash) - attention_ns(standard),
            (cycles("partial_softmax") - cycles("softmax") + cycles("final_scale")) * period_ns);
}

TEST(Attention, FlashBlocksRescaleTheRunningOutputAfterTheFirst) {
  TestPlatform p;
  const auto one = platform::run_model(*p.platform, one_head("flash", 64));
  platform::ModelRequest r = one_head("flash", 32);
  r.keep_graphs = true;
  const auto two = platform::run_model(*p.platform, r);
  EXPECT_EQ(two.ops.back().kv_block, 32u);
  // Two blocks of 32 keys: twice the K,V load, scores, partial_softmax and context on half
  // the keys, one partial_scale of the 64 x 64 output between them, one final_scale.
  std::size_t scales = 0, finals = 0, partials = 0;
  for (const auto& t : two.hybrid.graph.tasks()) {
    if (t.kind != workloads::TaskKind::core_kernel) continue;
    scales += t.kernel == cluster::Kernel::partial_scale;
    finals += t.kernel == cluster::Kernel::final_scale;
    partials += t.kernel == cluster::Kernel::partial_softmax;
  }
  EXPECT_EQ(partials, 2u);
  EXPECT_EQ(scales, 1u);
  EXPECT_EQ(finals, 1u);
  EXPECT_GT(attention_ns(two), attention_ns(one));  // more, smaller jobs for the same work
}

}  // namespace
}  // namespace aimcsim::test
