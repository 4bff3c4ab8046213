#include "platform/experiments/value_experiment.h"

#include "models/sim/checked.h"
#include "models/sim/errors.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace aimcsim::platform {

void ValueRequest::validate() const {
  if (on) return;
  const auto needs = [](const char* option) {
    throw sim::UserError(fmt::format("{} works on values: it needs --functional", option));
  };
  if (ideal) needs("--ideal");
  if (!weights.empty()) needs("--weights");
  if (!adapter.empty()) needs("--adapter");
  if (!tensor.empty()) needs("--tensor");
  if (!values_out.empty()) needs("--values-out");
}

ValueSettings value_settings(Platform& platform, const ValueRequest& request) {
  ValueSettings s;
  s.tiles = platform.aimc().arithmetic();
  s.ideal = request.ideal;
  return s;
}

namespace {

workloads::ValueProgram single_linear(const workloads::LayerSpec& spec) {
  workloads::ValueProgram p;
  workloads::ValueOperator op;
  op.op.kind = workloads::OpKind::linear;
  op.op.name = "layer";
  op.op.d_in = spec.d_in;
  op.op.d_out = spec.d_out;
  op.in = {0};
  op.out = 1;
  op.linear = 0;
  p.ops.push_back(op);
  p.widths = {spec.d_in, spec.d_out};
  p.input = 0;
  p.output = 1;
  return p;
}

ValueReport evaluate(ValueModel& model, const workloads::ValueProgram& program,
                     const workloads::TaskGraph& analog, const workloads::TaskGraph& hybrid) {
  // The hybrid reference first: it calibrates synthetic NoNorms for every run after it.
  const auto reference_hybrid = reference_values(program, model, true);
  const auto reference_analog = reference_values(program, model, false);
  const auto analog_values = run_values(analog, program, model, "analog");
  const auto hybrid_values = run_values(hybrid, program, model, "hybrid");
  return compare_values(program, model, analog_values, hybrid_values, reference_analog,
                        reference_hybrid);
}

}  // namespace

ValueReport layer_values(Platform& platform, const ValueRequest& request,
                         const workloads::LayerSpec& spec, const workloads::TaskGraph& analog,
                         const workloads::TaskGraph& hybrid) {
  ValueSettings s = value_settings(platform, request);
  s.lora_precision = spec.precision;
  s.lora_rank = spec.rank;
  s.seq = spec.tokens;
  s.tokens = spec.tokens;
  const workloads::ModelWeights weights(request.seed, request.weights, request.adapter, "");
  LinearSite site;
  site.label = request.tensor;
  site.module = "layer";
  site.d_in = spec.d_in;
  site.d_out = spec.d_out;
  site.lora = spec.rank > 0;
  ValueModel model(s, weights, {site});
  model.linear(0);  // a missing or mis-shaped tensor fails here, before anything else
  return evaluate(model, single_linear(spec), analog, hybrid);
}

void check_model_values(const Limits& limits, const workloads::ModelDescription& model,
                        const workloads::ModelMapping& mapping, const ValueSettings& s,
                        std::uint64_t rank) {
  const char* what = "the functional co-simulation's work";
  std::uint64_t weights = 0, largest = 0, lora = 0;
  for (const auto& l : mapping.linears) {
    const std::uint64_t w = sim::mul(l.d_in, l.d_out, what);
    weights = sim::add(weights, w, what);
    largest = std::max(largest, w);
    if (l.lora) lora = sim::add(lora, sim::mul(l.d_in + l.d_out, rank, what), what);
  }
  const std::uint64_t reads = (s.tiles.pcm.read_noise && !s.ideal ? 2 : 1) *
                              (s.tiles.bit_serial && !s.ideal ? s.tiles.dac_bits - 1 : 1);
  // Two runs of tile MVMs, four FP32 linears per layer (two references, two comparisons).
  std::uint64_t macs = sim::mul(sim::mul(s.tokens, weights, what), 2 * reads + 4, what);
  macs = sim::add(macs, sim::mul(sim::mul(s.tokens, lora, what), 4, what), what);
  const workloads::AttentionShape& a = model.attention;
  std::uint64_t attentions = 0;
  for (const auto& op : model.block)
    if (op.kind == workloads::OpKind::attention) ++attentions;
  // QK^T and PV per head and sequence, in three passes (two runs and a reference) each.
  macs =
      sim::add(macs,
               sim::mul(sim::mul(sim::mul(2 * a.heads * a.head_dim, s.tokens, what), s.seq, what),
                        sim::mul(attentions * 3, model.blocks, what), what),
               what);
  std::uint64_t width = 0;
  for (const auto& op : model.block) width = sim::add(width, op.d_out + a.heads * a.head_dim, what);
  const std::uint64_t tensors =
      sim::mul(sim::mul(sim::mul(width, model.blocks + 1, what), s.tokens, what), 16, what);
  const std::uint64_t per_weight = s.tiles.pcm.read_noise && !s.ideal ? 12 : 8;
  const std::uint64_t bytes =
      sim::add(sim::add(sim::mul(weights, per_weight, what), sim::mul(largest, 16, what), what),
               tensors, what);
  if (macs > limits.functional_macs)
    throw sim::UserError(fmt::format(
        "model {}: its values take an estimated {:.3g} multiply-accumulates ({} weights x {} "
        "tokens, read noise and references), more than the limit of {:.3g}; "
        "--max-functional-macs N raises it",
        model.name, static_cast<double>(macs), weights, s.tokens,
        static_cast<double>(limits.functional_macs)));
  if (bytes > limits.functional_bytes)
    throw sim::UserError(fmt::format(
        "model {}: its values need an estimated {:.1f} GiB (weights and programmed tiles: {} B "
        "per weight), more than the limit of {:.1f} GiB",
        model.name, static_cast<double>(bytes) / (1u << 30), per_weight,
        static_cast<double>(limits.functional_bytes) / (1u << 30)));
}

ValueReport model_values(Platform& platform, const ValueRequest& request,
                         const workloads::ModelDescription& description, std::uint64_t lora_rank,
                         cluster::Precision lora_precision,
                         const workloads::ModelSchedule& schedule,
                         const workloads::ModelMapping& mapping,
                         const workloads::CompiledModel& analog,
                         const workloads::CompiledModel& hybrid) {
  ValueSettings s = value_settings(platform, request);
  s.lora_precision = lora_precision;
  s.lora_rank = lora_rank;
  s.seq = schedule.seq;
  s.tokens = schedule.tokens();
  s.attention = description.attention;
  s.model_type = description.model_type;
  const workloads::ModelWeights weights(request.seed, request.weights, request.adapter,
                                        description.model_type);
  std::vector<LinearSite> sites;
  for (const auto& l : mapping.linears) {
    LinearSite site;
    site.label = l.label();
    site.block = l.block;
    site.module = l.module;
    site.d_in = l.d_in;
    site.d_out = l.d_out;
    site.first_tile = l.first_tile;
    site.tier = l.tier;
    site.row_offset = l.row_offset;
    site.col_offset = l.col_offset;
    site.lora = l.lora;
    sites.push_back(site);
  }
  ValueModel model(s, weights, std::move(sites));
  return evaluate(model, hybrid.values, analog.graph, hybrid.graph);
}

std::string values_summary(const ValueReport& r, const ValueRequest& request) {
  const auto line = [](const ValueError& e) {
    return std::isfinite(e.snr_db)
               ? fmt::format("rel. RMS error {:.3e}, SNR {:5.1f} dB", e.rel_rms, e.snr_db)
               : std::string("exact");
  };
  std::string s = fmt::format("\nvalues           {} weights, seed {}{}\n",
                              request.weights.empty() ? "synthetic" : request.weights, request.seed,
                              request.ideal ? ", ideal (no non-idealities)" : "");
  s += fmt::format("                 output against FP32: hybrid {}; fully-analog {}\n",
                   line(r.output), line(r.output_analog));
  if (r.layers.size() > 1) {
    std::vector<const ValueReport::Layer*> worst;
    for (const auto& l : r.layers) worst.push_back(&l);
    std::stable_sort(worst.begin(), worst.end(), [](const auto* a, const auto* b) {
      return a->hybrid.rel_rms > b->hybrid.rel_rms;
    });
    s += "                 worst layers (each on its own input):\n";
    for (std::size_t i = 0; i < std::min<std::size_t>(3, worst.size()); ++i)
      s += fmt::format("                   {:<44} {}\n", worst[i]->label, line(worst[i]->hybrid));
  }
  return s;
}

}  // namespace aimcsim::platform
