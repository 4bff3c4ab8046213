#include "models/sim/config.h"

#include "models/sim/input.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace aimcsim::sim {

struct Config::State {
  std::string origin;  // file name, for messages
  YAML::Node doc;
  // The presets below the file, highest first, with their names in messages.
  std::vector<std::pair<YAML::Node, std::string>> presets;
  // Overrides by full key path: value and the assignment as the user wrote it.
  std::map<std::string, std::pair<std::string, std::string>> overrides;
  // Keys asked for, by the path of their mapping ("" is the root).
  std::map<std::string, std::set<std::string>> asked;
  YAML::Node effective = YAML::Node(YAML::NodeType::Map);
  std::vector<ParamInfo> params;
  std::vector<std::string> notes;
};

namespace {

std::string join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream in(path);
  std::string part;
  while (std::getline(in, part, '.')) parts.push_back(part);
  return parts;
}

// The YAML node at path below doc (an undefined node when absent). Walks the document
// read-only: a copy would lose the line marks that error messages cite.
YAML::Node lookup(const YAML::Node& doc, const std::string& path) {
  YAML::Node node;
  node.reset(doc);
  for (const auto& part : split_path(path)) {
    if (!node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
    const YAML::Node& current = node;
    const YAML::Node next = current[part];
    if (!next.IsDefined()) return YAML::Node(YAML::NodeType::Undefined);
    node.reset(next);
  }
  return node;
}

std::string line_of(const std::string& origin, const YAML::Node& node) {
  const auto mark = node.Mark();
  if (mark.line < 0) return origin;
  return fmt::format("{}:{}", origin, mark.line + 1);
}

}  // namespace

// The node at path in the file, else in the first preset below it that has it, with the name
// of the file it came from (for line_of).
std::pair<YAML::Node, std::string> find_node(const Config::State& state, const std::string& path) {
  YAML::Node node = lookup(state.doc, path);
  if (node.IsDefined() && !node.IsNull()) return {node, state.origin};
  for (const auto& [preset, origin] : state.presets) {
    YAML::Node below = lookup(preset, path);
    if (below.IsDefined() && !below.IsNull()) return {below, origin};
  }
  return {node, state.origin};
}

namespace {

template <class T>
struct Codec {
  static T parse(const std::string& text) { return T::parse(text); }
  static std::string str(const T& v) { return v.str(); }
  static long double order(const T& v) {
    if constexpr (std::is_same_v<T, Time>) return v.ps;
    if constexpr (std::is_same_v<T, Frequency>) return v.hz;
    if constexpr (std::is_same_v<T, Energy>) return v.aj;
    if constexpr (std::is_same_v<T, Power>) return v.uw;
    if constexpr (std::is_same_v<T, Area>) return v.nm2;
    if constexpr (std::is_same_v<T, Bytes> || std::is_same_v<T, BytesPerCycle> ||
                  std::is_same_v<T, Cycles>)
      return v.value;
  }
  static std::string kind() { return T::kind; }
};

template <>
struct Codec<bool> {
  static bool parse(const std::string& t) {
    if (t == "true" || t == "yes" || t == "on") return true;
    if (t == "false" || t == "no" || t == "off") return false;
    throw UnitError(fmt::format("'{}' is not {}", t, kind()));
  }
  static std::string str(bool v) { return v ? "true" : "false"; }
  static long double order(bool v) { return v; }
  static std::string kind() { return "true or false"; }
};

template <>
struct Codec<std::string> {
  static std::string parse(const std::string& t) { return t; }
  static std::string str(const std::string& v) { return v; }
  static long double order(const std::string&) { return 0; }
  static std::string kind() { return "a string"; }
};

template <>
struct Codec<std::uint64_t> {
  static std::uint64_t parse(const std::string& t) {
    std::size_t used = 0;
    unsigned long long v = 0;
    try {
      if (t.empty() || t[0] == '-' || t[0] == '+') throw std::invalid_argument(t);
      v = std::stoull(t, &used);
    } catch (const std::out_of_range&) {
      throw UnitError(fmt::format("'{}' is out of range: at most {}", t, UINT64_MAX));
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != t.size()) throw UnitError(fmt::format("'{}' is not {}", t, kind()));
    return v;
  }
  static std::string str(std::uint64_t v) { return std::to_string(v); }
  static long double order(std::uint64_t v) { return v; }
  static std::string kind() { return "a non-negative integer"; }
};

template <>
struct Codec<std::int64_t> {
  static std::int64_t parse(const std::string& t) {
    std::size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(t, &used);
    } catch (const std::out_of_range&) {
      throw UnitError(fmt::format("'{}' is out of range: {} to {}", t, INT64_MIN, INT64_MAX));
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != t.size()) throw UnitError(fmt::format("'{}' is not {}", t, kind()));
    return v;
  }
  static std::string str(std::int64_t v) { return std::to_string(v); }
  static long double order(std::int64_t v) { return v; }
  static std::string kind() { return "an integer"; }
};

template <>
struct Codec<double> {
  static double parse(const std::string& t) {
    std::size_t used = 0;
    double v = 0;
    try {
      v = std::stod(t, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != t.size() || !std::isfinite(v))
      throw UnitError(fmt::format("'{}' is not {}", t, kind()));
    return v;
  }
  static std::string str(double v) { return fmt::format("{}", v); }
  static long double order(double v) { return v; }
  static std::string kind() { return "a number"; }
};

}  // namespace

Config::Config(std::shared_ptr<State> state) : state_(std::move(state)) {}

Config Config::load(const std::string& file) {
  std::string text;
  try {
    text = read_input_file(file, "platform configuration file");
  } catch (const UserError& e) {
    throw ConfigError(e.what());
  }
  return from_string(text, file);
}

Config Config::empty(const std::string& origin) {
  return from_string("{}", origin);
}

Config Config::from_string(const std::string& yaml, const std::string& origin) {
  auto state = std::make_shared<State>();
  state->origin = origin;
  try {
    state->doc = load_yaml(yaml, origin);
  } catch (const ConfigError&) {
    throw;
  } catch (const UserError& e) {
    throw ConfigError(e.what());
  }
  if (state->doc.IsNull()) state->doc = YAML::Node(YAML::NodeType::Map);
  if (!state->doc.IsMap())
    throw ConfigError(fmt::format("{}: expected a mapping of sections at the top level", origin));
  return Config(state);
}

void Config::set(const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == assignment.size())
    throw ConfigError(fmt::format("--set {}: expected path.to.key=value", assignment));
  state_->overrides[assignment.substr(0, eq)] = {assignment.substr(eq + 1), "--set " + assignment};
}

namespace {

// Whether a technology preset may set key: energies, leakage, areas, the ADC figure of merit
// and gating.
bool technology_key(const std::string& key) {
  return key.rfind("e_", 0) == 0 || key.rfind("p_static", 0) == 0 || key.rfind("area", 0) == 0 ||
         key == "fom" || key == "power_gating";
}
// Whether a periphery preset may set the key at path: the tile's periphery, under aimc, but
// not its costs (those are the technology preset's: a periphery preset would override them).
bool periphery_key(const std::string& path, const std::string& key) {
  if (path.rfind("aimc.", 0) != 0 || technology_key(key)) return false;
  return path != "aimc.tiles" && path != "aimc.rows" && path != "aimc.cols" &&
         path != "aimc.t_int" && key != "type";
}

// Throws a ConfigError for the first key of a preset's tree that its kind may not set.
void check_preset_keys(Config::PresetKind kind, const YAML::Node& node, const std::string& path,
                       const std::string& origin) {
  const bool technology = kind == Config::PresetKind::technology;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = it->first.as<std::string>();
    const std::string full = join(path, key);
    if (it->second.IsMap()) {
      check_preset_keys(kind, it->second, full, origin);
    } else if (!(technology ? technology_key(key) : periphery_key(full, key))) {
      throw ConfigError(fmt::format(
          "{}: {}: {}; set it in the platform file or with --set", line_of(origin, it->first), full,
          technology ? "a technology preset sets energy, power and area parameters only (e_*, "
                       "p_static*, area*, fom, power_gating)"
                     : "a periphery preset sets the AIMC tile's periphery only (keys under "
                       "aimc, not tiles, rows, cols, t_int, type or the costs e_*, p_static*, "
                       "area*, fom, power_gating)"));
    }
  }
}

}  // namespace

void Config::layer_below(PresetKind kind, const std::string& file, const std::string& shown_as,
                         const std::string& selected_at) {
  const char* name = kind == PresetKind::technology ? "technology" : "periphery";
  std::string text;
  try {
    text = read_input_file(file, fmt::format("{} preset", name));
  } catch (const UserError& e) {
    throw ConfigError(fmt::format("{}: {}", selected_at, e.what()));
  }
  YAML::Node node;
  try {
    node = load_yaml(text, shown_as);
  } catch (const ConfigError&) {
    throw;
  } catch (const UserError& e) {
    throw ConfigError(e.what());
  }
  if (node.IsNull()) node = YAML::Node(YAML::NodeType::Map);
  if (!node.IsMap())
    throw ConfigError(fmt::format("{}: expected a mapping of sections at the top level", shown_as));
  for (const char* key : {"technology", "periphery"})
    if (node[key])
      throw ConfigError(fmt::format("{}: {}: a preset cannot name another preset",
                                    line_of(shown_as, node[key]), key));
  check_preset_keys(kind, node, "", shown_as);
  state_->presets.emplace_back(node, shown_as);
}

ConfigNode Config::root() {
  return ConfigNode(state_, "");
}

void Config::check_all_read() const {
  // Overrides first: a mistyped --set is the likelier mistake and has no file line.
  for (const auto& [path, value] : state_->overrides) {
    const auto dot = path.rfind('.');
    const std::string parent = dot == std::string::npos ? "" : path.substr(0, dot);
    const std::string key = dot == std::string::npos ? path : path.substr(dot + 1);
    const auto asked = state_->asked.find(parent);
    if (asked != state_->asked.end() && asked->second.count(key)) continue;
    std::string known;
    if (asked != state_->asked.end())
      for (const auto& k : asked->second) known += (known.empty() ? "" : ", ") + k;
    throw ConfigError(fmt::format("{}: unknown key '{}'; expected one of: {}", value.second, path,
                                  known.empty() ? "(no keys under '" + parent + "')" : known));
  }
  // Then every key of the file and of its presets, depth first, in file order.
  std::vector<std::pair<YAML::Node, std::string>> files{{state_->doc, state_->origin}};
  files.insert(files.end(), state_->presets.begin(), state_->presets.end());
  for (const auto& [doc, origin] : files) {
    std::vector<std::pair<std::string, YAML::Node>> todo{{"", doc}};
    while (!todo.empty()) {
      auto [path, node] = todo.back();
      todo.pop_back();
      if (!node.IsMap()) continue;
      const auto asked = state_->asked.find(path);
      for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string key = it->first.as<std::string>();
        if (asked == state_->asked.end() || !asked->second.count(key)) {
          std::string known;
          if (asked != state_->asked.end())
            for (const auto& k : asked->second) known += (known.empty() ? "" : ", ") + k;
          throw ConfigError(fmt::format("{}: unknown key '{}'; expected one of: {}",
                                        line_of(origin, it->first), join(path, key),
                                        known.empty() ? "(nothing is read here)" : known));
        }
        todo.emplace_back(join(path, key), it->second);
      }
    }
  }
}

std::string Config::effective_yaml() const {
  YAML::Emitter out;
  out << state_->effective;
  return std::string(out.c_str()) + "\n";
}

const std::vector<ParamInfo>& Config::params() const {
  return state_->params;
}

const std::vector<std::string>& Config::notes() const {
  return state_->notes;
}

bool ConfigNode::given(const std::string& key) const {
  if (state_->overrides.count(full(key))) return true;
  const YAML::Node node = find_node(*state_, full(key)).first;
  if (node.IsDefined() && !node.IsNull()) return true;
  return has_fallback_ && ConfigNode(state_, fallback_).given(key);
}

ConfigNode ConfigNode::with_defaults(const ConfigNode& base) const {
  return ConfigNode(state_, path_, base.path_, true);
}

std::vector<std::string> ConfigNode::keys() const {
  std::vector<std::string> out;
  const auto add = [&](const std::string& k) {
    if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
  };
  std::vector<YAML::Node> docs{state_->doc};
  for (const auto& p : state_->presets) docs.push_back(p.first);
  for (const auto& doc : docs) {
    const YAML::Node node = lookup(doc, path_);
    if (node.IsDefined() && node.IsMap())
      for (auto it = node.begin(); it != node.end(); ++it) add(it->first.as<std::string>());
  }
  const std::string prefix = path_.empty() ? "" : path_ + ".";
  for (const auto& [path, value] : state_->overrides)
    if (path.compare(0, prefix.size(), prefix) == 0 && path.size() > prefix.size())
      add(split_path(path.substr(prefix.size())).front());
  return out;
}

void ConfigNode::note(const std::string& key, const std::string& what) {
  state_->notes.push_back(fmt::format("{}: {}", where(key), what));
}

ConfigNode::ConfigNode(std::shared_ptr<Config::State> state, std::string path, std::string fallback,
                       bool has_fallback)
    : state_(std::move(state)),
      path_(std::move(path)),
      fallback_(std::move(fallback)),
      has_fallback_(has_fallback) {}

std::string ConfigNode::full(const std::string& key) const {
  return join(path_, key);
}

std::string ConfigNode::where(const std::string& key) const {
  const auto o = state_->overrides.find(full(key));
  if (o != state_->overrides.end()) return fmt::format("{}: {}", o->second.second, full(key));
  const auto [node, file] = find_node(*state_, full(key));
  return fmt::format("{}: {}", node.IsDefined() ? line_of(file, node) : state_->origin, full(key));
}

ConfigNode::Raw ConfigNode::raw(const std::string& key, bool scalar_expected) {
  state_->asked[path_].insert(key);
  const auto o = state_->overrides.find(full(key));
  if (o != state_->overrides.end()) return Raw{o->second.first, o->second.second, true};
  const auto [node, file] = find_node(*state_, full(key));
  if ((!node.IsDefined() || node.IsNull()) && has_fallback_)
    return ConfigNode(state_, fallback_).raw(key, scalar_expected);
  if (!node.IsDefined() || node.IsNull()) return Raw{};
  const std::string origin = line_of(file, node);
  if (scalar_expected && !node.IsScalar())
    throw ConfigError(fmt::format("{}: {}: expected a single value, found a {}", origin, full(key),
                                  node.IsMap() ? "mapping" : "list"));
  return Raw{node.IsScalar() ? node.Scalar() : "", origin, true};
}

void ConfigNode::record(const std::string& key, const std::string& value,
                        const std::string& description) {
  YAML::Node node = state_->effective;
  for (const auto& part : split_path(path_)) {
    YAML::Node next = node[part];
    if (!next.IsMap()) next = YAML::Node(YAML::NodeType::Map);
    node[part] = next;
    node.reset(next);
  }
  node[key] = value;
  const std::string path = full(key);
  for (auto& p : state_->params) {
    if (p.path == path) {
      p.value = value;
      return;
    }
  }
  state_->params.push_back(ParamInfo{path, value, description});
}

template <class T>
T ConfigNode::get(const std::string& key, const T& def, const std::string& description,
                  std::optional<T> min, std::optional<T> max) {
  const Raw r = raw(key, true);
  T value = def;
  if (r.present) {
    try {
      value = Codec<T>::parse(r.text);
    } catch (const UnitError& e) {
      throw ConfigError(fmt::format("{}: {}: {}", r.origin, full(key), e.what()));
    }
    if ((min && Codec<T>::order(value) < Codec<T>::order(*min)) ||
        (max && Codec<T>::order(value) > Codec<T>::order(*max))) {
      std::string range;
      if (min && max)
        range = fmt::format("between {} and {}", Codec<T>::str(*min), Codec<T>::str(*max));
      else if (min)
        range = fmt::format("at least {}", Codec<T>::str(*min));
      else
        range = fmt::format("at most {}", Codec<T>::str(*max));
      throw ConfigError(fmt::format("{}: {}: {} is out of range: expected {} {}", r.origin,
                                    full(key), r.text, Codec<T>::kind(), range));
    }
  }
  record(key, Codec<T>::str(value), description);
  return value;
}

std::string ConfigNode::get_choice(const std::string& key, const std::string& def,
                                   const std::vector<std::string>& choices,
                                   const std::string& description) {
  const Raw r = raw(key, true);
  const std::string value = r.present ? r.text : def;
  bool ok = false;
  std::string list;
  for (const auto& c : choices) {
    ok = ok || c == value;
    list += (list.empty() ? "" : ", ") + c;
  }
  if (!ok)
    throw ConfigError(fmt::format("{}: {}: unknown value '{}'; expected one of: {}",
                                  r.present ? r.origin : state_->origin, full(key), value, list));
  record(key, value, description);
  return value;
}

ConfigNode ConfigNode::child(const std::string& key) {
  state_->asked[path_].insert(key);
  const auto o = state_->overrides.find(full(key));
  if (o != state_->overrides.end())
    throw ConfigError(
        fmt::format("{}: {} is a section of parameters, not a value; set one of "
                    "its keys, e.g. {}.<key>=...",
                    o->second.second, full(key), full(key)));
  const auto [node, file] = find_node(*state_, full(key));
  if (node.IsDefined() && !node.IsNull() && !node.IsMap())
    throw ConfigError(
        fmt::format("{}: {}: expected a mapping of parameters", line_of(file, node), full(key)));
  if (!has_fallback_) return ConfigNode(state_, full(key));
  const ConfigNode base = ConfigNode(state_, fallback_).child(key);
  return ConfigNode(state_, full(key), base.path_, true);
}

template bool ConfigNode::get(const std::string&, const bool&, const std::string&,
                              std::optional<bool>, std::optional<bool>);
template std::string ConfigNode::get(const std::string&, const std::string&, const std::string&,
                                     std::optional<std::string>, std::optional<std::string>);
template std::uint64_t ConfigNode::get(const std::string&, const std::uint64_t&, const std::string&,
                                       std::optional<std::uint64_t>, std::optional<std::uint64_t>);
template std::int64_t ConfigNode::get(const std::string&, const std::int64_t&, const std::string&,
                                      std::optional<std::int64_t>, std::optional<std::int64_t>);
template double ConfigNode::get(const std::string&, const double&, const std::string&,
                                std::optional<double>, std::optional<double>);
template Time ConfigNode::get(const std::string&, const Time&, const std::string&,
                              std::optional<Time>, std::optional<Time>);
template Frequency ConfigNode::get(const std::string&, const Frequency&, const std::string&,
                                   std::optional<Frequency>, std::optional<Frequency>);
template Bytes ConfigNode::get(const std::string&, const Bytes&, const std::string&,
                               std::optional<Bytes>, std::optional<Bytes>);
template BytesPerCycle ConfigNode::get(const std::string&, const BytesPerCycle&, const std::string&,
                                       std::optional<BytesPerCycle>, std::optional<BytesPerCycle>);
template Energy ConfigNode::get(const std::string&, const Energy&, const std::string&,
                                std::optional<Energy>, std::optional<Energy>);
template Power ConfigNode::get(const std::string&, const Power&, const std::string&,
                               std::optional<Power>, std::optional<Power>);
template Area ConfigNode::get(const std::string&, const Area&, const std::string&,
                              std::optional<Area>, std::optional<Area>);
template Cycles ConfigNode::get(const std::string&, const Cycles&, const std::string&,
                                std::optional<Cycles>, std::optional<Cycles>);

}  // namespace aimcsim::sim
