// Chrome / Perfetto trace-event JSON of executed task graphs: one process per run (e.g.
// fully-analog and hybrid), one track per unit (tile array, interconnect streams, and per
// cluster its DMA, RedMulE and worker cores), one complete event per task, named by operator,
// layer and token chunk. Loadable in ui.perfetto.dev and chrome://tracing.
#pragma once

#include "platform/runtime.h"
#include "workloads/task_graph.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace aimcsim::platform {

struct TracedRun {
  std::string name;  // "hybrid"
  const workloads::TaskGraph* graph;
  const RunResult* run;
};

// Times are in microseconds from each run's start, as the format expects.
nlohmann::ordered_json trace_events(const std::vector<TracedRun>& runs);

}  // namespace aimcsim::platform
