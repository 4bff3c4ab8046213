// Writing results: whole files or nothing (a temporary file renamed into place), and the
// effective configuration next to every JSON result.
#pragma once

#include "models/sim/config.h"

#include <string>

namespace aimcsim::platform {

// Writes text to path atomically; a UserError names the path when it cannot.
void write_file(const std::string& path, const std::string& text);

// "out/layer.json" -> "out/layer.config.yaml".
std::string config_path_for(const std::string& json_path);

// Writes the JSON result and the effective configuration beside it.
void write_result(const std::string& json_path, const std::string& json, const sim::Config& config);

}  // namespace aimcsim::platform
