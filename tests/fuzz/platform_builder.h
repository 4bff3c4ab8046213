// Builds a Platform from a configuration as platform::load_platform does, under a fresh
// module name each time (SystemC names must be unique), and destroys it again.
// sc_start is never called: construction (elaboration) only.
#pragma once

#include "platform/assembly/platform.h"

#include <memory>
#include <string>

namespace aimcsim::fuzz {

// The file a `technology:` or `periphery:` value names: a checked-in preset by its name,
// anything else a file that does not exist (the fuzzer must not read arbitrary files of the
// machine).
inline std::string fuzz_technology_file(const std::string& name) {
  if (name == "configs/technology/harp-28nm.yaml" || name == "configs/periphery/harp.yaml" ||
      name == "configs/periphery/nmpu.yaml")
    return std::string(AIMCSIM_SOURCE_DIR) + "/" + name;
  if (name == "../periphery/nmpu.yaml")  // as the reference platform names it
    return std::string(AIMCSIM_SOURCE_DIR) + "/configs/periphery/nmpu.yaml";
  return "/nonexistent/aimcsim-fuzz/technology.yaml";
}

// Applies the technology preset, builds, checks that every key was read, and returns the
// effective configuration.
inline std::string build_platform(sim::Config& config) {
  static unsigned long counter = 0;
  const std::string name = "p" + std::to_string(counter++);
  config.apply_presets(fuzz_technology_file);
  auto platform = std::make_unique<platform::Platform>(name.c_str(), config);
  config.check_all_read();
  return config.effective_yaml();
}

}  // namespace aimcsim::fuzz
