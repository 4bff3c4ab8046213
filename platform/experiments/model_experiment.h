// A whole model, twice on the same platform, mapping and schedule: the fully-analog baseline
// and the hybrid. Per static linear it also runs the layer alone (the per-layer overhead of
// the design's definitions, on the chunk, clusters and LoRA residency the model run uses);
// identical layers share one such run.
#pragma once

#include "platform/experiments/cost_report.h"
#include "platform/assembly/platform.h"
#include "platform/assembly/runtime.h"
#include "platform/experiments/value_experiment.h"
#include "workloads/lora_spec.h"
#include "workloads/model_compiler.h"
#include "workloads/model_description.h"
#include "workloads/model_mapping.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aimcsim::platform {

struct ModelRequest {
  workloads::ModelDescription model;
  workloads::LoraSpec lora;
  workloads::ModelSchedule schedule;
  workloads::MappingPolicy policy;  // packing and tier policy: see below
  // Override the platform's aimc.packing and aimc.tier_policy when not empty.
  std::string packing, tier_policy;
  std::string strategy = "parallel";
  std::uint64_t chunk = 0;  // linears' tokens per job; 0: each linear's fastest that fits
  // Per layer shape {d_in, d_out}: its linears' chunk, over `chunk` (the chunk search's
  // per-layer refinement).
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::uint64_t> chunk_by_shape;
  bool keep_graphs = false;  // keep both graphs and their per-task timings (for traces)
  ValueRequest values;       // --functional: values of both runs

  // Checks the request against its model (LoRA targets, decode needs a causal model, the
  // sequence fits the model's positions); throws UserError naming the option.
  void validate() const;
};

struct LayerRow {  // one static linear, run alone
  double t_analog_ns = 0, t_hybrid_ns = 0;
  std::uint64_t tcdm_bytes = 0;
  double e_analog_nj = 0, e_hybrid_nj = 0;
  double overhead() const { return t_hybrid_ns / t_analog_ns - 1.0; }
  double energy_overhead() const { return e_analog_nj > 0 ? e_hybrid_nj / e_analog_nj - 1.0 : 0; }
};

// One operator instance's first start and last end in a run, ns from the run's start.
struct OpTime {
  double start_ns = 0, end_ns = 0;
};

struct ModelOutcome {
  workloads::MappingPolicy policy;  // as applied: the request's over the platform's
  workloads::ModelMapping mapping;
  std::vector<LayerRow> layers;                // parallel to mapping.linears
  std::uint64_t layer_runs = 0;                // distinct isolated layer simulations
  std::vector<workloads::OpSpan> ops;          // the hybrid's operators, in model order
  std::vector<OpTime> analog_ops, hybrid_ops;  // parallel to ops
  std::vector<bool> analog_on_tile;  // parallel to ops: applied on the tiles in the baseline
  std::uint64_t analog_tasks = 0, hybrid_tasks = 0;  // tasks that do work (joins excluded)
  std::uint64_t events = 0;  // timed events the SystemC kernel processed, whole command
  // The graphs and per-task timings, with keep_graphs only.
  workloads::CompiledModel analog, hybrid;
  RunResult analog_run, hybrid_run;
  nlohmann::ordered_json busy_analog, busy_hybrid;  // ns per unit type
  nlohmann::ordered_json clusters_hybrid;           // per cluster: group, busy ns per engine
  RunCost cost_analog, cost_hybrid;                 // energy, power and area end to end
  std::vector<std::uint64_t> tcdm_peak_bytes;       // per cluster, hybrid
  std::optional<ValueReport> values;                // with --functional
  double t_analog_ns() const { return analog_run.makespan_ps() / 1000.0; }
  double t_hybrid_ns() const { return hybrid_run.makespan_ps() / 1000.0; }
  double overhead() const {
    return static_cast<double>(hybrid_run.makespan_ps()) /
               static_cast<double>(analog_run.makespan_ps()) -
           1.0;
  }
};

ModelOutcome run_model(Platform& platform, const ModelRequest& request);
// An upper bound on the tasks run_model would simulate for request (its isolated layer runs
// and both graphs at chunk 1), without simulating: to refuse work up front.
std::uint64_t estimate_model_tasks(Platform& platform, const ModelRequest& request);

// Where a run's LoRA weights live (its memory plan's level for them).
workloads::Endpoint lora_home(Platform& platform, const ModelOutcome& outcome);

// report.json: the request, one row per static linear, totals.
nlohmann::ordered_json model_report(const ModelRequest& request, const ModelOutcome& outcome,
                                    Platform& platform, const std::string& platform_file);

// The readable summary: per layer shape aggregates, then totals.
std::string model_summary(const ModelRequest& request, const ModelOutcome& outcome,
                          Platform& platform);

}  // namespace aimcsim::platform
