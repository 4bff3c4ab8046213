#include "platform/drivers/sweep/spec.h"

#include "models/cluster/precision.h"
#include "models/sim/checked.h"
#include "models/sim/errors.h"
#include "models/sim/input.h"
#include "platform/experiments/model_experiment.h"
#include "workloads/layer_compiler.h"
#include "workloads/lora_spec.h"
#include "workloads/model_description.h"
#include "workloads/pipeline/mode.h"
#include "workloads/pipeline_strategy.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include <fmt/format.h>

namespace aimcsim::sweep {
namespace {

struct RunParameter {
  const char* path;
  const char* def;  // nullptr: no default (required, or an alias)
  const char* help;
};

// The run parameters of each kind, in the order the effective spec lists them. Defaults are
// those of the `layer` and `run` commands.
const std::vector<RunParameter>& run_parameters(RunKind kind) {
  static const std::vector<RunParameter> layer{
      {"layer.shape", nullptr, "D_IN->D_OUT, e.g. 512->128 (sets layer.d_in and layer.d_out)"},
      {"layer.d_in", "512", "a positive integer"},
      {"layer.d_out", "128", "a positive integer"},
      {"layer.tokens", "64", "a positive integer"},
      {"lora.rank", "8", "a positive integer"},
      {"lora.precision", "fp16", "fp16 or fp8"},
      {"strategy", "parallel", "serial, parallel or pipelined"},
      {"chunk", "auto", "auto or a positive integer (tokens per LoRA job)"},
      {"functional", "false", "true or false: also compute values and their error against FP32"},
      {"seed", "1", "a whole number: the seed of synthetic weights, inputs and noise"},
  };
  static const std::vector<RunParameter> model{
      {"model", nullptr, "a model name (mobilebert, ...), description .yaml or config.json"},
      {"lora.rank", "8", "a positive integer"},
      {"lora.targets", "all", "all or comma-separated module patterns, e.g. q_proj,v_proj"},
      {"lora.precision", "fp16", "fp16 or fp8"},
      {"seq", "128", "a positive integer"},
      {"batch", "1", "a positive integer"},
      {"phase", "prefill", "prefill or decode"},
      {"strategy", "parallel", "serial, parallel or pipelined"},
      {"pipeline", "xb-pipe", "serial, il-par, il-pipe, xl-pipe, il+xl-pipe or xb-pipe"},
      {"schedule", nullptr,
       "retired alias of pipeline: streaming (xb-pipe) or layer-by-layer (il-par)"},
      {"chunk", "auto", "auto or a positive integer (tokens per job)"},
      {"pack_tiles", "false", "true (diagonal packing) or false (the platform's aimc.packing)"},
      {"lora_clusters", "1", "a positive integer"},
      {"functional", "false", "true or false: also compute values and their error against FP32"},
      {"seed", "1", "a whole number: the seed of synthetic weights, inputs and noise"},
  };
  return kind == RunKind::layer ? layer : model;
}

const RunParameter* find_run_parameter(RunKind kind, const std::string& path) {
  for (const auto& p : run_parameters(kind))
    if (path == p.path) return &p;
  return nullptr;
}

bool positive_integer(const std::string& v) {
  return !v.empty() && v.size() <= 12 && v.find_first_not_of("0123456789") == std::string::npos &&
         v.find_first_not_of('0') != std::string::npos;
}

bool is_shape(const std::string& v) {
  const auto arrow = v.find("->");
  return arrow != std::string::npos && positive_integer(v.substr(0, arrow)) &&
         positive_integer(v.substr(arrow + 2));
}

bool one_of(const std::string& v, const std::vector<std::string>& choices) {
  return std::find(choices.begin(), choices.end(), v) != choices.end();
}

// Whether value has the type and range the run parameter takes.
bool valid_run_value(const std::string& path, const std::string& v) {
  if (path == "layer.shape") return is_shape(v);
  if (path == "lora.precision") return one_of(v, {"fp16", "fp8"});
  if (path == "strategy") return one_of(v, workloads::PipelineStrategy::names());
  if (path == "chunk") return v == "auto" || positive_integer(v);
  if (path == "phase") return one_of(v, {"prefill", "decode"});
  if (path == "schedule") return one_of(v, {"streaming", "layer-by-layer"});
  if (path == "pipeline") return one_of(v, workloads::PipelineMode::names());
  if (path == "pack_tiles" || path == "functional") return one_of(v, {"true", "false"});
  if (path == "seed")
    return !v.empty() && v.size() <= 19 && v.find_first_not_of("0123456789") == std::string::npos;
  if (path == "model" || path == "lora.targets") return !v.empty();
  return positive_integer(v);
}

class Reader {
 public:
  explicit Reader(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const YAML::Node& at, const std::string& what) const {
    throw sim::UserError(fmt::format("{}:{}: {}", origin_, at.Mark().line + 1, what));
  }

  // A single value of printable text (what the effective spec writes back unchanged).
  std::string scalar(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) fail(n, fmt::format("{}: expected a single value, found {}", key, kind(n)));
    for (const char c : n.Scalar())
      if ((c >= 0 && c < 0x20) || c == 0x7f)
        fail(n,
             fmt::format("{}: the value holds a control character; expected printable text", key));
    return n.Scalar();
  }

  static const char* kind(const YAML::Node& n) {
    if (n.IsSequence()) return "a list";
    if (n.IsMap()) return "a mapping";
    if (n.IsNull()) return "nothing";
    return "a single value";
  }

  const std::string& origin() const { return origin_; }

 private:
  std::string origin_;
};

void check_keys(const Reader& r, const YAML::Node& map, const std::vector<std::string>& allowed,
                const std::string& where) {
  for (const auto& kv : map) {
    const std::string key = kv.first.Scalar();
    if (!one_of(key, allowed))
      r.fail(kv.first, fmt::format("{}unknown key '{}'; expected one of: {}", where, key,
                                   fmt::join(allowed, ", ")));
  }
}

std::string run_parameter_list(RunKind kind) {
  std::vector<std::string> names;
  for (const auto& p : run_parameters(kind)) names.push_back(p.path);
  return fmt::format("{}", fmt::join(names, ", "));
}

// Checks a value given for path in a part of this kind; platform keys are checked later.
void check_value(const Reader& r, const YAML::Node& at, RunKind kind, const std::string& where,
                 const std::string& path, const std::string& value) {
  const RunParameter* p = find_run_parameter(kind, path);
  if (p == nullptr) {
    const RunKind other = kind == RunKind::layer ? RunKind::model : RunKind::layer;
    if (find_run_parameter(other, path) != nullptr)
      r.fail(at,
             fmt::format("{}{}: a parameter of {} runs; {} runs take {} and platform keys", where,
                         path, to_string(other), to_string(kind), run_parameter_list(kind)));
    return;
  }
  if (!valid_run_value(path, value))
    r.fail(at, fmt::format("{}{}: '{}' is not valid; expected {}", where, path, value, p->help));
}

Part read_part(const Reader& r, const YAML::Node& node, std::size_t index) {
  const std::string part_at = fmt::format("parts[{}]", index);
  const std::string where = part_at + ".";
  if (!node.IsMap()) r.fail(node, part_at + ": expected a mapping with name, run, base and sweep");
  check_keys(r, node, {"name", "run", "base", "sweep"}, part_at + ": ");
  Part part;
  if (!node["name"]) r.fail(node, where + "name: missing; expected a name for the part");
  part.name = r.scalar(node["name"], where + "name");
  if (part.name.empty() ||
      part.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") != std::string::npos)
    r.fail(node["name"], fmt::format("{}name: '{}': expected letters, digits, '_', '-' or '.'",
                                     where, part.name));
  if (!node["run"]) r.fail(node, where + "run: missing; expected layer or model");
  const std::string run = r.scalar(node["run"], where + "run");
  if (run != "layer" && run != "model")
    r.fail(node["run"], fmt::format("{}run: '{}': expected layer or model", where, run));
  part.run = run == "layer" ? RunKind::layer : RunKind::model;

  std::vector<Setting> given;
  std::set<std::string> seen;
  const YAML::Node base = node["base"];
  if (base && !base.IsNull()) {
    if (!base.IsMap()) r.fail(base, where + "base: expected a mapping of parameter: value");
    for (const auto& kv : base) {
      const std::string path = r.scalar(kv.first, where + "base");
      const std::string value = r.scalar(kv.second, fmt::format("{}base.{}", where, path));
      check_value(r, kv.second, part.run, where + "base.", path, value);
      if (!seen.insert(path).second)
        r.fail(kv.first, fmt::format("{}base.{}: given twice", where, path));
      given.push_back({path, value, kv.first.Mark().line + 1});
    }
  }
  const YAML::Node sweep = node["sweep"];
  if (sweep && !sweep.IsNull()) {
    if (!sweep.IsMap()) r.fail(sweep, where + "sweep: expected a mapping of parameter: [values]");
    for (const auto& kv : sweep) {
      const std::string path = r.scalar(kv.first, where + "sweep");
      const std::string at = fmt::format("{}sweep.{}", where, path);
      if (!seen.insert(path).second)
        r.fail(kv.first, fmt::format("{}: given twice (in base or sweep)", at));
      if (!kv.second.IsSequence())
        r.fail(kv.second,
               fmt::format("{}: expected a list of values, e.g. [128ns, 256ns], found {}", at,
                           Reader::kind(kv.second)));
      if (kv.second.size() == 0) r.fail(kv.second, at + ": the list of values is empty");
      Axis axis{path, {}, kv.first.Mark().line + 1};
      for (const auto& v : kv.second) {
        const std::string value = r.scalar(v, at);
        check_value(r, v, part.run, where + "sweep.", path, value);
        if (one_of(value, axis.values))
          r.fail(v, fmt::format("{}: '{}' is listed twice", at, value));
        axis.values.push_back(value);
      }
      part.axes.push_back(axis);
    }
  }

  const bool shape = seen.count("layer.shape") > 0;
  const bool schedule = seen.count("schedule") > 0;
  if (schedule && seen.count("pipeline"))
    r.fail(node, part_at + ": schedule is the retired name of pipeline: give one or the other");
  if (shape && (seen.count("layer.d_in") || seen.count("layer.d_out")))
    r.fail(node, part_at + ": layer.shape sets layer.d_in and layer.d_out: give one or the other");
  if (part.run == RunKind::model && !seen.count("model"))
    r.fail(node, part_at + ": model: missing; a model run needs `model:` in base or sweep");
  // Effective base: every run parameter not swept, in catalogue order, then platform keys.
  for (const auto& p : run_parameters(part.run)) {
    const bool swept = std::any_of(part.axes.begin(), part.axes.end(),
                                   [&](const Axis& a) { return a.path == p.path; });
    if (swept) continue;
    const auto it = std::find_if(given.begin(), given.end(),
                                 [&](const Setting& s) { return s.path == p.path; });
    if (it != given.end())
      part.base.push_back(*it);
    else if (p.def != nullptr &&
             !(shape &&
               (std::string(p.path) == "layer.d_in" || std::string(p.path) == "layer.d_out")) &&
             !(schedule && std::string(p.path) == "pipeline"))
      part.base.push_back({p.path, p.def, 0});
  }
  for (const auto& s : given)
    if (!find_run_parameter(part.run, s.path)) part.base.push_back(s);
  return part;
}

}  // namespace

const char* to_string(RunKind kind) {
  return kind == RunKind::layer ? "layer" : "model";
}

bool is_run_parameter(RunKind kind, const std::string& path) {
  return find_run_parameter(kind, path) != nullptr;
}

bool Part::computes_values() const {
  for (const auto& b : base)
    if (b.path == "functional" && b.value == "true") return true;
  for (const auto& a : axes)
    if (a.path == "functional" && one_of("true", a.values)) return true;
  return false;
}

std::size_t Part::points() const {
  std::size_t n = 1;
  for (const auto& a : axes) n = sim::mul(n, a.values.size(), "the number of points of a part");
  return n;
}

std::size_t Spec::points() const {
  std::size_t n = 0;
  for (const auto& p : parts) n = sim::add(n, p.points(), "the number of points of the spec");
  return n;
}

void check_point_count(const Spec& spec, std::size_t max_points) {
  std::vector<std::string> parts;
  long double total = 0;  // may pass 64 bits: counted without overflow for the message
  for (const auto& part : spec.parts) {
    long double n = 1;
    std::vector<std::string> axes;
    for (const auto& a : part.axes) {
      n *= static_cast<long double>(a.values.size());
      axes.push_back(fmt::format("{} {}", a.values.size(), a.path));
    }
    total += n;
    parts.push_back(fmt::format("{}: {}", part.name,
                                axes.empty() ? "1" : fmt::format("{}", fmt::join(axes, " x "))));
  }
  if (total <= static_cast<long double>(max_points)) return;
  throw sim::UserError(
      fmt::format("{}: the spec expands to {:.4g} points ({}), more than the limit of {} points; "
                  "--max-points N raises it",
                  spec.origin, static_cast<double>(total), fmt::join(parts, "; "), max_points));
}

Spec Spec::load(const std::string& file) {
  return parse(sim::read_input_file(file, "sweep spec"), file);
}

Spec Spec::parse(const std::string& yaml, const std::string& origin) {
  const Reader r(origin);
  const YAML::Node root = sim::load_yaml(yaml, origin);
  if (!root.IsMap()) throw sim::UserError(origin + ": expected a mapping with platform and parts");
  check_keys(r, root, {"platform", "parts"}, "");
  Spec spec;
  spec.origin = origin;
  spec.platform = root["platform"] ? r.scalar(root["platform"], "platform")
                                   : std::string("configs/platforms/reference.yaml");
  const YAML::Node parts = root["parts"];
  if (!parts || !parts.IsSequence() || parts.size() == 0)
    throw sim::UserError(origin +
                         ": parts: expected a list of parts, each with name, run, base, sweep");
  std::set<std::string> names;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    spec.parts.push_back(read_part(r, parts[i], i));
    if (!names.insert(spec.parts.back().name).second)
      r.fail(parts[i]["name"], fmt::format("parts[{}]: name '{}' is used by an earlier part", i,
                                           spec.parts.back().name));
  }
  return spec;
}

std::string Spec::effective_yaml() const {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "platform" << YAML::Value << platform;
  out << YAML::Key << "parts" << YAML::Value << YAML::BeginSeq;
  for (const auto& part : parts) {
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << part.name;
    out << YAML::Key << "run" << YAML::Value << to_string(part.run);
    out << YAML::Key << "base" << YAML::Value << YAML::BeginMap;
    for (const auto& s : part.base) out << YAML::Key << s.path << YAML::Value << s.value;
    out << YAML::EndMap;
    out << YAML::Key << "sweep" << YAML::Value << YAML::BeginMap;
    for (const auto& a : part.axes)
      out << YAML::Key << a.path << YAML::Value << YAML::Flow << a.values;
    out << YAML::EndMap << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return std::string(
             "# The effective sweep spec (defaults filled in), written by aimcsim sweep.\n") +
         out.c_str() + "\n";
}

std::string Spec::platform_file() const {
  namespace fs = std::filesystem;
  std::error_code ec;  // a name the file system refuses (too long, ...) is simply not there
  if (fs::path(platform).is_relative() && !fs::exists(platform, ec)) {
    const fs::path in_tree = fs::path(AIMCSIM_SOURCE_DIR) / platform;
    if (fs::exists(in_tree, ec)) return in_tree.string();
  }
  return platform;
}

Point point_at(const Spec& spec, std::size_t index) {
  Point p;
  p.index = index;
  std::size_t local = index;
  while (p.part < spec.parts.size() && local >= spec.parts[p.part].points())
    local -= spec.parts[p.part++].points();
  if (p.part == spec.parts.size()) throw std::logic_error("point_at: no such point");
  const Part& part = spec.parts[p.part];
  // The axes' value positions: mixed radix, the last axis fastest.
  std::vector<std::size_t> at(part.axes.size(), 0);
  for (std::size_t a = part.axes.size(); a-- > 0;) {
    at[a] = local % part.axes[a].values.size();
    local /= part.axes[a].values.size();
  }
  std::vector<Setting> settings = part.base;
  for (std::size_t a = 0; a < part.axes.size(); ++a) {
    p.swept.emplace_back(part.axes[a].path, part.axes[a].values[at[a]]);
    settings.push_back({part.axes[a].path, part.axes[a].values[at[a]], part.axes[a].line});
  }
  for (const auto& s : settings) {
    if (s.path == "layer.shape") {
      const auto arrow = s.value.find("->");
      p.run["layer.d_in"] = s.value.substr(0, arrow);
      p.run["layer.d_out"] = s.value.substr(arrow + 2);
    } else if (s.path == "schedule") {
      p.run["pipeline"] = workloads::PipelineMode::from_schedule(s.value);
    } else if (is_run_parameter(part.run, s.path)) {
      p.run[s.path] = s.value;
    } else {
      p.platform_sets.push_back(s.path + "=" + s.value);
    }
  }
  return p;
}

std::vector<Point> expand(const Spec& spec) {
  std::vector<Point> points;
  for (std::size_t i = 0; i < spec.points(); ++i) points.push_back(point_at(spec, i));
  return points;
}

void check_points(const Spec& spec) {
  std::map<std::string, workloads::ModelDescription> models;
  for (std::size_t i = 0; i < spec.points(); ++i) {
    const Point p = point_at(spec, i);
    const Part& part = spec.parts[p.part];
    try {
      if (part.run == RunKind::layer) {
        workloads::LayerSpec s;
        s.d_in = std::stoull(p.run.at("layer.d_in"));
        s.d_out = std::stoull(p.run.at("layer.d_out"));
        s.rank = std::stoull(p.run.at("lora.rank"));
        s.tokens = std::stoull(p.run.at("layer.tokens"));
        s.validate();
      } else {
        const std::string& name = p.run.at("model");
        if (!models.count(name)) models.emplace(name, workloads::load_model(name));
        platform::ModelRequest r = model_request(p, models.at(name));
        r.validate();
      }
    } catch (const sim::UserError& e) {
      std::vector<std::string> values;
      for (const auto& [path, value] : p.swept) values.push_back(path + "=" + value);
      throw sim::UserError(fmt::format("{}: part {}, point {} ({}): {}", spec.origin, part.name,
                                       p.index, fmt::join(values, ", "), e.what()));
    }
  }
}

platform::ModelRequest model_request(const Point& p, workloads::ModelDescription model) {
  const auto number = [&](const std::string& path) { return std::stoull(p.run.at(path)); };
  platform::ModelRequest r;
  r.model = std::move(model);
  const std::string targets = p.run.at("lora.targets");
  r.lora = workloads::LoraSpec::parse(fmt::format("rank={},precision={}{}", p.run.at("lora.rank"),
                                                  p.run.at("lora.precision"),
                                                  targets == "all" ? "" : ",targets=" + targets));
  r.schedule.seq = number("seq");
  r.schedule.batch = number("batch");
  r.schedule.decode = p.run.at("phase") == "decode";
  r.schedule.pipeline = p.run.at("pipeline");
  r.strategy = p.run.at("strategy");
  r.chunk = p.run.at("chunk") == "auto" ? 0 : number("chunk");
  if (p.run.at("pack_tiles") == "true") r.packing = "diagonal";  // else the platform's
  r.policy.clusters_per_layer = static_cast<unsigned>(number("lora_clusters"));
  r.values.on = p.run.at("functional") == "true";
  r.values.seed = number("seed");
  return r;
}

}  // namespace aimcsim::sweep
