// A sweep specification: a platform file and one or more parts. A part is a layer run or a
// model run with fixed parameters (`base`) and lists of values (`sweep`) whose cartesian
// product gives its points, the first listed parameter outermost. A parameter is a path:
// a run parameter (layer.shape, lora.rank, strategy, chunk, seq, ...) or a key of the
// platform configuration (aimc.t_int, clusters, cluster.tcdm.size, ...).
//
// Reading checks everything that can be checked without building a platform: the schema,
// each run parameter's type and range, and every point's run parameters together (a model
// loads, LoRA targets select a linear). Platform keys and values are checked by building
// platforms (see probe.h). Every error names the spec file, line, path and value.
#pragma once

#include "platform/experiments/model_experiment.h"

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace aimcsim::sweep {

enum class RunKind { layer, model };
const char* to_string(RunKind kind);

struct Setting {  // one parameter with one value
  std::string path, value;
  int line = 0;  // in the spec file
};

struct Axis {  // one swept parameter
  std::string path;
  std::vector<std::string> values;
  int line = 0;
};

struct Part {
  std::string name;
  RunKind run = RunKind::layer;
  std::vector<Setting> base;  // every run parameter (defaults filled in), then platform keys
  std::vector<Axis> axes;
  // The product of the axes' lengths; a UserError when it passes 64 bits.
  std::size_t points() const;
  // Whether some point computes values (functional: true): its rows have error columns.
  bool computes_values() const;
};

struct Spec {
  std::string origin;    // the file as given, for messages
  std::string platform;  // the platform file as written (resolved when loaded)
  std::vector<Part> parts;

  static Spec load(const std::string& file);
  static Spec parse(const std::string& yaml, const std::string& origin);

  std::size_t points() const;  // all parts; a UserError when it passes 64 bits
  // The normalised spec (defaults filled in): what DIR/spec.yaml holds; a spec read back
  // from it gives the same text.
  std::string effective_yaml() const;
  // The platform file to open: as written when it exists, else in the source tree.
  std::string platform_file() const;
};

// Is path a run parameter of that kind of part (else it is taken for a platform key)?
bool is_run_parameter(RunKind kind, const std::string& path);

// One point of a sweep.
struct Point {
  std::size_t index = 0;  // over the whole spec, parts in order
  std::size_t part = 0;
  std::vector<std::pair<std::string, std::string>> swept;  // axis path, value; axis order
  std::map<std::string, std::string> run;                  // every run parameter
  std::vector<std::string> platform_sets;                  // "path=value", base then swept
};

// Point `index` of the spec (parts in order, each the cartesian product of its axes, the last
// axis fastest), built on demand so that a large sweep is never held whole in memory.
Point point_at(const Spec& spec, std::size_t index);
// Every point in order (for small specs and tests).
std::vector<Point> expand(const Spec& spec);

// Refuses a spec of more than max_points points, naming each part's axes and their lengths.
void check_point_count(const Spec& spec, std::size_t max_points);

// Checks every point's run parameters together (model loads, LoRA targets match, layer
// sizes, decode needs a causal model); throws UserError naming the point and its values.
void check_points(const Spec& spec);

// The model run a point of a model part asks for (its run parameters; the model given).
platform::ModelRequest model_request(const Point& point, workloads::ModelDescription model);

}  // namespace aimcsim::sweep
