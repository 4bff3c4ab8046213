// Builds a Platform from a configuration as platform::load_platform does, under a fresh
// module name each time (SystemC names must be unique), and destroys it again.
// sc_start is never called: construction (elaboration) only.
#pragma once

#include "platform/platform.h"

#include <memory>
#include <string>

namespace aimcsim::fuzz {

// Builds, checks that every key was read, and returns the effective configuration.
inline std::string build_platform(sim::Config& config) {
  static unsigned long counter = 0;
  const std::string name = "p" + std::to_string(counter++);
  auto platform = std::make_unique<platform::Platform>(name.c_str(), config);
  config.check_all_read();
  return config.effective_yaml();
}

}  // namespace aimcsim::fuzz
