#include "platform/experiments/generation_experiment.h"

#include "models/sim/checked.h"
#include "models/sim/errors.h"

#include <algorithm>

#include <fmt/format.h>

namespace aimcsim::platform {
namespace {

ModelRequest decode_request(const ModelRequest& prefill, std::uint64_t kv_tokens) {
  ModelRequest r = prefill;
  r.schedule.decode = true;
  r.schedule.seq = kv_tokens;
  r.keep_graphs = false;
  return r;
}

double energy_nj(const RunCost& cost) {
  return sim::to_nj(cost.total_aj());
}

double ratio_minus_one(double hybrid, double analog) {
  return analog > 0 ? hybrid / analog - 1.0 : 0.0;
}

struct Sums {
  double analog_ns = 0, hybrid_ns = 0, e_analog_nj = 0, e_hybrid_nj = 0;
};

Sums decode_sums(const GenerationOutcome& o) {
  Sums s;
  for (const auto& d : o.steps) {
    s.analog_ns += d.t_analog_ns;
    s.hybrid_ns += d.t_hybrid_ns;
    s.e_analog_nj += d.e_analog_nj;
    s.e_hybrid_nj += d.e_hybrid_nj;
  }
  return s;
}

// First, median (lower middle) and last of the steps' latencies in one run.
struct PerToken {
  double first = 0, median = 0, last = 0;
};
PerToken per_token(const GenerationOutcome& o, double DecodeStep::*t) {
  std::vector<double> v;
  for (const auto& d : o.steps) v.push_back(d.*t);
  PerToken p;
  p.first = v.front();
  p.last = v.back();
  std::sort(v.begin(), v.end());
  p.median = v[(v.size() - 1) / 2];
  return p;
}

}  // namespace

void check_generation(Platform& platform, const ModelRequest& request, std::uint64_t tokens) {
  if (request.schedule.decode)
    throw sim::UserError(
        "--generate runs the prefill and then the decode steps: give --phase prefill (the "
        "default) with it");
  if (!request.model.attention.causal)
    throw sim::UserError(fmt::format(
        "--generate {}: {} is an encoder (bidirectional attention) and generates no tokens; "
        "generation needs a causal model such as gpt2 or llama-3.1-8b",
        tokens, request.model.name));
  const std::uint64_t positions = sim::add(request.schedule.seq, tokens, "--seq + --generate");
  if (request.model.max_positions != 0 && positions > request.model.max_positions)
    throw sim::UserError(fmt::format(
        "--generate {} after --seq {}: {} has {} positions (max_positions), so at most {} tokens "
        "can be generated after this prompt",
        tokens, request.schedule.seq, request.model.name, request.model.max_positions,
        request.model.max_positions > request.schedule.seq
            ? request.model.max_positions - request.schedule.seq
            : 0));
  // The last step reads the largest KV cache: every step takes at most its tasks.
  const std::uint64_t step =
      estimate_model_tasks(platform, decode_request(request, request.schedule.seq + tokens - 1));
  const std::uint64_t prefill = estimate_model_tasks(platform, request);
  const char* what = "the generation's task count";
  check_work(platform.limits(), platform.tasks_simulated(),
             sim::add(prefill, sim::mul(step, tokens, what), what),
             "generation with " + request.model.name,
             fmt::format("a prefill of {} tokens at most {} tasks, then {} decode steps of at most "
                         "{} each",
                         request.schedule.seq, prefill, tokens, step));
}

GenerationOutcome run_generation(Platform& platform, const ModelRequest& request,
                                 const ModelOutcome& prefill, std::uint64_t tokens) {
  GenerationOutcome out;
  out.prompt_tokens = request.schedule.seq;
  out.generated = tokens;
  out.batch = request.schedule.batch;
  out.prefill_analog_ns = prefill.t_analog_ns();
  out.prefill_hybrid_ns = prefill.t_hybrid_ns();
  out.prefill_e_analog_nj = energy_nj(prefill.cost_analog);
  out.prefill_e_hybrid_nj = energy_nj(prefill.cost_hybrid);
  for (std::uint64_t i = 0; i < tokens; ++i) {
    const ModelOutcome o = run_model(platform, decode_request(request, request.schedule.seq + i));
    DecodeStep d;
    d.kv_tokens = request.schedule.seq + i;
    d.t_analog_ns = o.t_analog_ns();
    d.t_hybrid_ns = o.t_hybrid_ns();
    d.e_analog_nj = energy_nj(o.cost_analog);
    d.e_hybrid_nj = energy_nj(o.cost_hybrid);
    out.steps.push_back(d);
  }
  return out;
}

nlohmann::ordered_json generation_report(const GenerationOutcome& o) {
  using json = nlohmann::ordered_json;
  const Sums s = decode_sums(o);
  const double generated = static_cast<double>(o.generated * o.batch);
  json j;
  j["prompt_tokens"] = o.prompt_tokens;
  j["generated_tokens"] = o.generated;
  j["batch"] = o.batch;
  const auto both = [&](double analog, double hybrid) {
    json p;
    p["analog"] = analog;
    p["hybrid"] = hybrid;
    return p;
  };
  j["ttft_ns"] = both(o.prefill_analog_ns, o.prefill_hybrid_ns);
  const PerToken a = per_token(o, &DecodeStep::t_analog_ns);
  const PerToken h = per_token(o, &DecodeStep::t_hybrid_ns);
  j["per_token_ns"] = {{"first", both(a.first, h.first)},
                       {"median", both(a.median, h.median)},
                       {"last", both(a.last, h.last)}};
  j["decode_ns"] = both(s.analog_ns, s.hybrid_ns);
  j["total_ns"] = both(o.prefill_analog_ns + s.analog_ns, o.prefill_hybrid_ns + s.hybrid_ns);
  j["tokens_per_s"] = both(generated / (s.analog_ns * 1e-9), generated / (s.hybrid_ns * 1e-9));
  j["energy_per_token_nj"] = both(s.e_analog_nj / generated, s.e_hybrid_nj / generated);
  j["overhead"] = {{"prefill", ratio_minus_one(o.prefill_hybrid_ns, o.prefill_analog_ns)},
                   {"decode", ratio_minus_one(s.hybrid_ns, s.analog_ns)},
                   {"total", ratio_minus_one(o.prefill_hybrid_ns + s.hybrid_ns,
                                             o.prefill_analog_ns + s.analog_ns)}};
  j["energy_overhead"] = {
      {"prefill", ratio_minus_one(o.prefill_e_hybrid_nj, o.prefill_e_analog_nj)},
      {"decode", ratio_minus_one(s.e_hybrid_nj, s.e_analog_nj)}};
  json steps = json::array();
  for (const auto& d : o.steps)
    steps.push_back({{"kv_tokens", d.kv_tokens},
                     {"t_analog_ns", d.t_analog_ns},
                     {"t_hybrid_ns", d.t_hybrid_ns},
                     {"e_analog_nj", d.e_analog_nj},
                     {"e_hybrid_nj", d.e_hybrid_nj}});
  j["steps"] = std::move(steps);
  return j;
}

std::string generation_summary(const GenerationOutcome& o) {
  const Sums s = decode_sums(o);
  const double generated = static_cast<double>(o.generated * o.batch);
  const PerToken a = per_token(o, &DecodeStep::t_analog_ns);
  const PerToken h = per_token(o, &DecodeStep::t_hybrid_ns);
  return fmt::format(
      "\ngeneration       {} tokens after a {}-token prompt (batch {})\n"
      "                 fully-analog      hybrid   overhead\n"
      "  first token    {:>10.1f} us {:>10.1f} us   {:+.1f}%  (the prefill)\n"
      "  per token      {:>10.1f} us {:>10.1f} us   first step\n"
      "                 {:>10.1f} us {:>10.1f} us   median\n"
      "                 {:>10.1f} us {:>10.1f} us   last (KV cache {} tokens)\n"
      "  decode         {:>10.1f} us {:>10.1f} us   {:+.1f}%\n"
      "  tokens/s       {:>10.1f}    {:>10.1f}\n"
      "  energy/token   {:>10.1f} uJ {:>10.1f} uJ   {:+.1f}%\n",
      o.generated, o.prompt_tokens, o.batch, o.prefill_analog_ns / 1000, o.prefill_hybrid_ns / 1000,
      100 * ratio_minus_one(o.prefill_hybrid_ns, o.prefill_analog_ns), a.first / 1000,
      h.first / 1000, a.median / 1000, h.median / 1000, a.last / 1000, h.last / 1000,
      o.steps.back().kv_tokens, s.analog_ns / 1000, s.hybrid_ns / 1000,
      100 * ratio_minus_one(s.hybrid_ns, s.analog_ns), generated / (s.analog_ns * 1e-9),
      generated / (s.hybrid_ns * 1e-9), s.e_analog_nj / generated / 1000,
      s.e_hybrid_nj / generated / 1000, 100 * ratio_minus_one(s.e_hybrid_nj, s.e_analog_nj));
}

}  // namespace aimcsim::platform
