#include "platform/drivers/sweep/point.h"

#include "platform/experiments/cost_report.h"

#include "models/sim/checked.h"
#include "models/sim/errors.h"
#include "platform/experiments/layer_experiment.h"
#include "platform/experiments/model_experiment.h"
#include "platform/assembly/platform.h"
#include "workloads/pipeline_strategy.h"

#include <algorithm>
#include <memory>
#include <optional>

#include <fmt/format.h>

namespace aimcsim::sweep {
namespace {

using json = nlohmann::ordered_json;

std::uint64_t number(const Point& p, const std::string& path) {
  return std::stoull(p.run.at(path));
}

std::uint64_t chunk_of(const Point& p) {
  return p.run.at("chunk") == "auto" ? 0 : number(p, "chunk");
}

void add_busy(json& m, const json& busy) {
  for (const char* unit : {"aimc", "redmule", "cores", "dma", "l2"})
    m[fmt::format("busy_{}_ns", unit)] = busy[unit];
}

void add_costs(json& m, const platform::RunCost& analog, const platform::RunCost& hybrid) {
  json j;
  platform::add_pair_costs(j, analog, hybrid);
  for (const char* k : {"e_analog_nj", "e_hybrid_nj", "energy_overhead", "area_mm2",
                        "area_used_mm2", "static_power_w"})
    m[k] = j[k];
}

void add_values(json& m, const std::optional<platform::ValueReport>& values) {
  if (!values) return;
  const json j = values->json()["output"];
  for (const auto& name : value_metric_names()) m[name] = j[name];
}

void run_layer_point(platform::Platform& pf, const Point& p, json& m) {
  platform::LayerRequest r;
  r.spec.d_in = number(p, "layer.d_in");
  r.spec.d_out = number(p, "layer.d_out");
  r.spec.rank = number(p, "lora.rank");
  r.spec.tokens = number(p, "layer.tokens");
  cluster::parse_precision(p.run.at("lora.precision"), r.spec.precision);
  r.spec.validate();
  r.strategy = p.run.at("strategy");
  r.chunk = chunk_of(p);
  r.values.on = p.run.at("functional") == "true";
  r.values.seed = number(p, "seed");
  m["tcdm_capacity_bytes"] = pf.cluster(0).tcdm().size();
  if (r.chunk != 0) {  // known before simulating, and reported when the chunk does not fit
    const auto strategy = workloads::PipelineStrategy::make(r.strategy);
    const workloads::LayerCompiler compiler(r.spec, platform::layer_target(pf), *strategy);
    m["chunk_used"] = std::min(r.chunk, r.spec.tokens);
    m["tiles"] = compiler.tiles();
    m["tcdm_peak_bytes"] = compiler.tcdm_plan(std::min(r.chunk, r.spec.tokens), true).bytes();
  }
  const platform::LayerOutcome o = platform::run_layer(pf, r);
  m["chunk_used"] = o.chunk;
  m["tiles"] = o.tiles;
  m["t_analog_ns"] = o.t_analog_ns();
  m["t_hybrid_ns"] = o.t_hybrid_ns();
  m["overhead"] = o.overhead();
  m["tcdm_peak_bytes"] = o.tcdm_peak_bytes;
  add_busy(m, o.busy_hybrid);
  add_costs(m, o.cost_analog, o.cost_hybrid);
  add_values(m, o.values);
}

void run_model_point(platform::Platform& pf, const Point& p, json& m) {
  const platform::ModelRequest r = model_request(p, workloads::load_model(p.run.at("model")));
  m["tcdm_capacity_bytes"] = pf.cluster(0).tcdm().size();
  const platform::ModelOutcome o = platform::run_model(pf, r);
  m["tiles"] = o.mapping.tiles;
  m["t_analog_ns"] = o.t_analog_ns();
  m["t_hybrid_ns"] = o.t_hybrid_ns();
  m["overhead"] = o.overhead();
  double lo = 1e300, hi = -1e300;
  for (const auto& l : o.layers) {
    lo = std::min(lo, l.overhead());
    hi = std::max(hi, l.overhead());
  }
  m["layer_overhead_min"] = lo;
  m["layer_overhead_max"] = hi;
  m["tcdm_peak_bytes"] = *std::max_element(o.tcdm_peak_bytes.begin(), o.tcdm_peak_bytes.end());
  add_busy(m, o.busy_hybrid);
  add_costs(m, o.cost_analog, o.cost_hybrid);
  json rates;
  platform::add_run_rates(rates, o.cost_hybrid, o.t_hybrid_ns(), r.schedule.batch,
                          r.schedule.tokens());
  for (const char* k : {"avg_power_w", "tokens_per_s", "tops_per_w", "edp"}) m[k] = rates[k];
  add_values(m, o.values);
}

// The row outcome of one point: what was measured, and the error if it failed.
json outcome_of(RunKind kind, const json& found, const std::string& error) {
  json metrics = json::object();  // in report order
  for (const auto& name : metric_names(kind))
    if (found.contains(name)) metrics[name] = found[name];
  for (const auto& name : value_metric_names())
    if (found.contains(name)) metrics[name] = found[name];
  if (error.empty()) return json{{"status", "ok"}, {"metrics", metrics}};
  return json{{"status", "failed"}, {"metrics", metrics}, {"error", error}};
}

}  // namespace

const std::vector<std::string>& metric_names(RunKind kind) {
  static const std::vector<std::string> layer{
      "chunk_used",      "tiles",           "t_analog_ns",         "t_hybrid_ns",
      "overhead",        "tcdm_peak_bytes", "tcdm_capacity_bytes", "busy_aimc_ns",
      "busy_redmule_ns", "busy_cores_ns",   "busy_dma_ns",         "busy_l2_ns",
      "e_analog_nj",     "e_hybrid_nj",     "energy_overhead",     "area_mm2",
      "area_used_mm2",   "static_power_w"};
  static const std::vector<std::string> model{"tiles",
                                              "t_analog_ns",
                                              "t_hybrid_ns",
                                              "overhead",
                                              "layer_overhead_min",
                                              "layer_overhead_max",
                                              "tcdm_peak_bytes",
                                              "tcdm_capacity_bytes",
                                              "busy_aimc_ns",
                                              "busy_redmule_ns",
                                              "busy_cores_ns",
                                              "busy_dma_ns",
                                              "busy_l2_ns",
                                              "e_analog_nj",
                                              "e_hybrid_nj",
                                              "energy_overhead",
                                              "area_mm2",
                                              "area_used_mm2",
                                              "static_power_w",
                                              "avg_power_w",
                                              "tokens_per_s",
                                              "tops_per_w",
                                              "edp"};
  return kind == RunKind::layer ? layer : model;
}

const std::vector<std::string>& value_metric_names() {
  static const std::vector<std::string> names{"rel_rms_error", "snr_db", "rel_rms_error_no_lora",
                                              "snr_db_no_lora"};
  return names;
}

void run_points_on_one_platform(const Spec& spec, const std::vector<Point>& points,
                                const platform::Limits& limits,
                                const std::function<void(std::size_t, const json&)>& done) {
  if (points.empty()) return;
  std::unique_ptr<platform::LoadedPlatform> lp;
  std::string platform_error;
  try {
    lp = std::make_unique<platform::LoadedPlatform>(platform::load_platform(
        spec.platform_file(), points.front().platform_sets, "platform", limits));
  } catch (const sim::UserError& e) {
    platform_error = e.what();  // every point of the batch fails with it
  }
  for (const Point& point : points) {
    const RunKind kind = spec.parts.at(point.part).run;
    json found = json::object();
    std::string error = platform_error;
    if (lp) {
      lp->platform->reset_work();  // each point's work counts against its own limit
      try {
        if (kind == RunKind::layer)
          run_layer_point(*lp->platform, point, found);
        else
          run_model_point(*lp->platform, point, found);
      } catch (const sim::RangeError& e) {
        // Simulated time may now be near its end: the points after it need a fresh platform
        // (a new worker), so this worker stops and its parent queues them again.
        done(point.index, outcome_of(kind, found, e.what()));
        return;
      } catch (const sim::UserError& e) {
        error = e.what();
      }
    }
    done(point.index, outcome_of(kind, found, error));
  }
}

}  // namespace aimcsim::sweep
