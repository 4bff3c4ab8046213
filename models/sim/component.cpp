#include "models/sim/component.h"

#include <stdexcept>

namespace aimcsim::sim {

ModelRegistry& ModelRegistry::instance() {
  static ModelRegistry registry;  // function-local: no static initialisation order problem
  return registry;
}

bool ModelRegistry::add(const std::string& type, Entry entry) {
  if (!entries_.emplace(type, std::move(entry)).second)
    throw std::logic_error("model type registered twice: " + type);
  return true;
}

std::unique_ptr<Component> ModelRegistry::create_component(const sc_core::sc_module_name& name,
                                                           ConfigNode config,
                                                           const std::string& family,
                                                           const std::string& default_type) {
  std::vector<std::string> choices;
  for (const auto& [type, entry] : entries_)
    if (entry.family == family) choices.push_back(type);
  const std::string type =
      config.get_choice("type", default_type, choices, "model type (aimcsim --list-models)");
  return entries_.at(type).make(name, config);
}

}  // namespace aimcsim::sim
