// Runs sweep points in this process (a worker): builds the platform the points share once,
// runs each point's layer or model fully-analog and hybrid on it, and returns each row's
// outcome as JSON: {"status": "ok" | "failed", "metrics": {...}, "error": "..."}. A point that
// fails on bad input (a working set that does not fit the TCDM, too few tiles, too much
// work) keeps the metrics known before the failure, e.g. the TCDM footprint the chunk would
// need. Running points one after another on one platform gives the same numbers as a fresh
// platform each: every run starts with its units idle, on a common multiple of every clock.
#pragma once

#include "platform/assembly/platform.h"
#include "platform/drivers/sweep/spec.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace aimcsim::sweep {

// Runs points (which must share their platform settings) on one platform built with limits,
// calling done(point index, outcome) after each.
void run_points_on_one_platform(
    const Spec& spec, const std::vector<Point>& points, const platform::Limits& limits,
    const std::function<void(std::size_t, const nlohmann::ordered_json&)>& done);

// The metric columns a run of this kind reports, in report order.
const std::vector<std::string>& metric_names(RunKind kind);
// The columns of a functional point besides those (the error of the output against FP32).
const std::vector<std::string>& value_metric_names();

}  // namespace aimcsim::sweep
