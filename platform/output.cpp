#include "platform/output.h"

#include "models/sim/errors.h"

#include <cstdio>
#include <fstream>

#include <fmt/format.h>

namespace aimcsim::platform {

void write_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw sim::UserError(fmt::format("{}: cannot write the file", path));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw sim::UserError(fmt::format("{}: cannot write the file", path));
  }
}

std::string config_path_for(const std::string& json_path) {
  const std::string suffix = ".json";
  std::string stem = json_path;
  if (stem.size() > suffix.size() &&
      stem.compare(stem.size() - suffix.size(), suffix.size(), suffix) == 0)
    stem.resize(stem.size() - suffix.size());
  return stem + ".config.yaml";
}

void write_result(const std::string& json_path, const std::string& json,
                  const sim::Config& config) {
  write_file(config_path_for(json_path), config.effective_yaml());
  write_file(json_path, json);
}

}  // namespace aimcsim::platform
