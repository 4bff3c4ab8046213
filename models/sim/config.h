// Strictly validated configuration: a YAML file plus "--set path=value" overrides, read
// through typed accessors that record defaults, units and descriptions. Every key that
// nothing reads is an error at start-up, and the effective configuration (defaults
// included) can be written back next to the results.
#pragma once

#include "models/sim/errors.h"
#include "models/sim/units.h"

#include <yaml-cpp/yaml.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace aimcsim::sim {

class ConfigNode;

// Describes one parameter for --list-models and the effective configuration's comments.
struct ParamInfo {
  std::string path;
  std::string value;
  std::string description;
};

class Config {
 public:
  // Loads a YAML mapping from file; a missing file or a YAML syntax error is a ConfigError.
  static Config load(const std::string& file);
  // An empty configuration (every parameter takes its default); origin names it in errors.
  static Config empty(const std::string& origin = "<defaults>");
  static Config from_string(const std::string& yaml, const std::string& origin);

  // Adds an override "path.to.key=value" (as given to --set); later ones win.
  void set(const std::string& assignment);

  // Presets are files in the same tree as the platform, put under it: their values apply where
  // the file and --set give none. Two kinds, each selected by a root key naming the file
  // (resolve maps the name to the file to open), the first above the second:
  //   periphery   the AIMC tile's periphery (configs/periphery/*.yaml): keys under aimc only,
  //               not its shape (tiles, rows, cols), t_int or type;
  //   technology  energy, power and area (configs/technology/*.yaml): only e_*, p_static*,
  //               area*, fom and power_gating keys.
  // Each key must be read like any other; a missing preset, one that sets a key outside its
  // kind, names another preset or is not a mapping is a ConfigError naming where it was
  // selected.
  template <class Resolve>
  void apply_presets(Resolve resolve);
  enum class PresetKind { periphery, technology };
  void layer_below(PresetKind kind, const std::string& file, const std::string& shown_as,
                   const std::string& selected_at);

  ConfigNode root();

  // Throws ConfigError for the first key in the file or an override that nothing read.
  void check_all_read() const;

  // The configuration as read: every parameter asked for, with its effective value.
  std::string effective_yaml() const;
  const std::vector<ParamInfo>& params() const;
  // Remarks models made about values they accept but do not model (printed by the CLI).
  const std::vector<std::string>& notes() const;

  struct State;  // opaque: the file, its presets, overrides and what was read

 private:
  friend class ConfigNode;
  explicit Config(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

// A view of one mapping in the configuration, e.g. "cluster.tcdm".
class ConfigNode {
 public:
  // Reads key as T (a unit type, bool, std::string, std::uint64_t, std::int64_t or double),
  // falling back to def. min/max bound the value (inclusive) where given.
  template <class T>
  T get(const std::string& key, const T& def, const std::string& description,
        std::optional<T> min = std::nullopt, std::optional<T> max = std::nullopt);

  // Reads a string that must be one of choices.
  std::string get_choice(const std::string& key, const std::string& def,
                         const std::vector<std::string>& choices, const std::string& description);

  ConfigNode child(const std::string& key);
  // This node reading every key it lacks from base instead (the base's value is recorded
  // as this node's): a group of units that differs from a common configuration in a few keys.
  // The children of the result fall back to the base's children of the same name.
  ConfigNode with_defaults(const ConfigNode& base) const;
  // The keys of this mapping in the file (in file order), its presets and the overrides.
  std::vector<std::string> keys() const;
  // Whether key was given (in the file, its technology preset or by --set), not defaulted.
  bool given(const std::string& key) const;
  // Records a remark about key's value for the user (see Config::notes).
  void note(const std::string& key, const std::string& what);
  const std::string& path() const { return path_; }
  // The text "file:line: path.key" used to start error messages about key.
  std::string where(const std::string& key) const;

 private:
  friend class Config;
  ConfigNode(std::shared_ptr<Config::State> state, std::string path,
             std::string fallback = std::string(), bool has_fallback = false);
  struct Raw {
    std::string text;
    std::string origin;  // "file:line" or "--set path=value"
    bool present = false;
  };
  Raw raw(const std::string& key, bool scalar_expected);
  void record(const std::string& key, const std::string& value, const std::string& description);
  std::string full(const std::string& key) const;

  std::shared_ptr<Config::State> state_;
  std::string path_;
  std::string fallback_;  // the base's path, when has_fallback_
  bool has_fallback_ = false;
};

template <class Resolve>
void Config::apply_presets(Resolve resolve) {
  const std::string periphery = root().get<std::string>(
      "periphery", "",
      "AIMC tile periphery preset (configs/periphery/*.yaml): ADC, local digital unit, inputs");
  if (!periphery.empty())
    layer_below(PresetKind::periphery, resolve(periphery), periphery, root().where("periphery"));
  const std::string tech = root().get<std::string>(
      "technology", "",
      "technology preset (configs/technology/*.yaml): energy, power and area defaults");
  if (!tech.empty())
    layer_below(PresetKind::technology, resolve(tech), tech, root().where("technology"));
}

}  // namespace aimcsim::sim
