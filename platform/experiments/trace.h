// Chrome / Perfetto trace-event JSON of executed task graphs: one process per run (e.g.
// fully-analog and hybrid), tracks per unit (tile array, interconnect streams, and per cluster
// its DMA, RedMulE and worker cores), one complete event per task from the moment its unit
// started it to its end, named by operator, layer and token chunk. Events on one track must
// not partially overlap, so a unit whose tasks overlap in time (MVMs on different tiles,
// concurrent streams, a DMA issued while the previous one is in flight) gets several tracks,
// its lanes: "aimc tiles", "aimc tiles #2", ... When the run recorded its energy, a counter
// track "power (W)" per run gives each unit type's power over time: its leakage plus each
// task's dynamic energy in it spread evenly over the task's duration. Loadable in
// ui.perfetto.dev and chrome://tracing.
// With TraceOptions::pipeline (`run --trace-pipeline`): every tile its own track ("aimc tile
// N": a layer's MVMs on the track of its first tile), and a flow arrow into each task that an
// earlier operator released, from the producing task that finished last (Chrome trace "s"/"f"
// events): the chunks flowing between operators and blocks. Event names carry the operator
// (with its block), the token chunk or query rows, and the step.
#pragma once

#include "platform/assembly/runtime.h"
#include "workloads/model_compiler.h"
#include "workloads/task_graph.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace aimcsim::platform {

struct TracedRun {
  std::string name;  // "hybrid"
  const workloads::TaskGraph* graph;
  const RunResult* run;
  // The operators of a compiled model, if any: each event's args name its operator.
  const std::vector<workloads::OpSpan>* ops = nullptr;
};

struct TraceOptions {
  bool pipeline = false;  // per-tile tracks and flow arrows between operators
};

// Times are in microseconds from each run's start, as the format expects. The output depends
// only on the runs: identical runs give identical JSON.
nlohmann::ordered_json trace_events(const std::vector<TracedRun>& runs,
                                    const TraceOptions& options = {});

}  // namespace aimcsim::platform
