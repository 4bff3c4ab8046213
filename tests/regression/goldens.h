// Golden numbers of the regression test: rows of a sweep's results.jsonl keyed by point, and
// their comparison with a fresh run of the same sweep.
//
// Tolerance. A floating-point metric (times in ns, overheads) may move by at most
// kRelativeTolerance = 1e-3 (0.1 %) of its golden value; an integer metric (tiles, bytes,
// chunk_used) must match exactly, and so must every other field (part, swept values, status,
// non-numeric metrics). Why so tight: the simulator is deterministic, a rerun gives
// byte-identical results, so any real change of the model is a difference; the tolerance
// only absorbs how a double is printed and read back (and the last-bit noise of a compiler
// or libm change in derived ratios), never a change of timing. Integer metrics have no such
// noise, so the first tile or byte that moves is reported. Whether a metric is an integer is
// read from the JSON (17953.0 is a double, 16640 an integer).
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace aimcsim::regression {

inline constexpr double kRelativeTolerance = 1e-3;

// One row of results.jsonl.
struct Row {
  std::size_t point = 0;
  std::string part;
  nlohmann::ordered_json values;   // swept parameter -> value, in axis order
  std::string status;              // "ok" or "failed"
  nlohmann::ordered_json metrics;  // name -> number, in report order
  std::string error;               // of a failed point
};

using Rows = std::map<std::size_t, Row>;  // by point

// Reads a results.jsonl; throws std::runtime_error naming the file and line when the file
// cannot be read, a line is not a row, or a point appears twice.
Rows load(const std::string& file);
Rows parse(const std::string& jsonl, const std::string& origin);

// One field of one point that differs. old_value/new_value are null where the point or the
// metric is missing on that side.
struct Difference {
  std::size_t point = 0;
  std::string part;
  nlohmann::ordered_json values;
  std::string field;  // a metric name, or "point", "part", "values", "status"
  nlohmann::ordered_json old_value, new_value;
  double relative = 0;    // (new - old) / |old| of a numeric metric; inf when old is 0
  double tolerance = 0;   // the relative tolerance applied; 0 for exact fields
  std::string new_error;  // the error of a point whose status became "failed"

  // One line: point 12 (layers: layer.shape=512->128, ...): t_hybrid_ns 19434 -> 19500
  // (+0.34 %, tolerance 0.1 %)
  std::string describe() const;
};

// Every difference of now against golden, by point, then golden's metric order.
std::vector<Difference> compare(const Rows& golden, const Rows& now,
                                double tolerance = kRelativeTolerance);

// What the regression test prints on failure: one line per difference, then how to accept
// the change.
std::string report(const std::vector<Difference>& differences);

}  // namespace aimcsim::regression
