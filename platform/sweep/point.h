// Runs one sweep point in this process (a worker): builds the point's platform, runs its
// layer or model fully-analog and hybrid, and returns the row's outcome as JSON:
// {"status": "ok" | "failed", "metrics": {...}, "error": "..."}. A point that fails on bad
// input (a working set that does not fit the TCDM, too few tiles) keeps the metrics known
// before the failure, e.g. the TCDM footprint the chunk would need.
#pragma once

#include "platform/sweep/spec.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace aimcsim::sweep {

nlohmann::ordered_json run_point(const Spec& spec, const Point& point);

// The metric columns a run of this kind reports, in report order.
const std::vector<std::string>& metric_names(RunKind kind);

}  // namespace aimcsim::sweep
