// Autoregressive generation: the prefill of --seq P prompt tokens, then N decode steps, step i
// one new token per sequence against a KV cache of P + i tokens (it grows by one a step),
// each simulated on the same platform, mapping policy and pipeline mode as the prefill, in
// both runs (fully-analog and hybrid).
//   time to first token   the prefill's latency (it yields the first token's logits)
//   per-token latency     a decode step's latency: first, median (the lower middle for an even
//                         N), last
//   tokens/s              generated tokens (N x batch) / the decode steps' summed latency
//   energy per token      the decode steps' summed energy / (N x batch)
//   LoRA overhead         per phase: hybrid / fully-analog - 1 of the prefill, of the decode
//                         steps' sums, and of the whole
#pragma once

#include "platform/experiments/model_experiment.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace aimcsim::platform {

struct DecodeStep {
  std::uint64_t kv_tokens = 0;  // the KV cache the step reads (before its own token)
  double t_analog_ns = 0, t_hybrid_ns = 0;
  double e_analog_nj = 0, e_hybrid_nj = 0;
};

struct GenerationOutcome {
  std::uint64_t prompt_tokens = 0, generated = 0, batch = 1;
  double prefill_analog_ns = 0, prefill_hybrid_ns = 0;
  double prefill_e_analog_nj = 0, prefill_e_hybrid_nj = 0;
  std::vector<DecodeStep> steps;
};

// Checks that request (a prefill) can generate `tokens` more: a causal model, positions for
// P + tokens; throws UserError naming the option. Then refuses up front, with the estimate,
// work beyond the platform's task limit.
void check_generation(Platform& platform, const ModelRequest& request, std::uint64_t tokens);

// prefill: the outcome of run_model(platform, request) already simulated.
GenerationOutcome run_generation(Platform& platform, const ModelRequest& request,
                                 const ModelOutcome& prefill, std::uint64_t tokens);

nlohmann::ordered_json generation_report(const GenerationOutcome& outcome);
std::string generation_summary(const GenerationOutcome& outcome);

}  // namespace aimcsim::platform
