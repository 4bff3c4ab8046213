// Base of every hardware model: a SystemC module with its configuration section and a
// statistics group named after it. Models are created by type name through ModelRegistry.
#pragma once

#include "models/sim/config.h"
#include "models/sim/stats.h"

#include <systemc>

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace aimcsim::sim {

class Component : public sc_core::sc_module {
 public:
  Component(const sc_core::sc_module_name& name, ConfigNode config)
      : sc_core::sc_module(name), config_(std::move(config)), stats_(basename()) {}
  StatGroup& stats() { return stats_; }
  const StatGroup& stats() const { return stats_; }
  // Zeroes this component's statistics (sub-components reset their own).
  virtual void reset_stats() { stats_.reset(); }

 protected:
  ConfigNode& config() { return config_; }

 private:
  ConfigNode config_;
  StatGroup stats_;
};

using ModelFactory =
    std::function<std::unique_ptr<Component>(const sc_core::sc_module_name&, ConfigNode)>;

// Maps the YAML "type:" names of models to their constructors.
class ModelRegistry {
 public:
  struct Entry {
    std::string family;  // what the model can stand in for: aimc, cluster, dma, ...
    std::string description;
    ModelFactory make;
  };

  static ModelRegistry& instance();
  // Registering a name twice is a programming error (std::logic_error).
  bool add(const std::string& type, Entry entry);
  const std::map<std::string, Entry>& entries() const { return entries_; }

  // Creates the model named by config's "type" key (default_type when absent); the model must
  // be of family and a T, otherwise a ConfigError names the key and the expected family.
  template <class T>
  std::unique_ptr<T> create(const sc_core::sc_module_name& name, ConfigNode config,
                            const std::string& family, const std::string& default_type) {
    std::unique_ptr<Component> made = create_component(name, config, family, default_type);
    T* typed = dynamic_cast<T*>(made.get());
    if (!typed)
      throw ConfigError(config.where("type") + ": the model is not a " + family + " model");
    made.release();
    return std::unique_ptr<T>(typed);
  }

 private:
  std::unique_ptr<Component> create_component(const sc_core::sc_module_name& name,
                                              ConfigNode config, const std::string& family,
                                              const std::string& default_type);
  std::map<std::string, Entry> entries_;
};

}  // namespace aimcsim::sim

// Registers CLASS under TYPE_NAME; put it once at the end of the model's .cpp file.
#define AIMCSIM_REGISTER_MODEL(TYPE_NAME, FAMILY, CLASS, DESCRIPTION)                           \
  namespace {                                                                                   \
  [[maybe_unused]] const bool registered_model_##CLASS =                                        \
      ::aimcsim::sim::ModelRegistry::instance().add(                                            \
          TYPE_NAME, {FAMILY, DESCRIPTION,                                                      \
                      [](const sc_core::sc_module_name& name, ::aimcsim::sim::ConfigNode cfg) { \
                        return std::unique_ptr<::aimcsim::sim::Component>(                      \
                            std::make_unique<CLASS>(name, std::move(cfg)));                     \
                      }});                                                                      \
  }
