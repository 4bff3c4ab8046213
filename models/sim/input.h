// Reading the user's input files (platform, model descriptions, config.json, sweep specs)
// strictly and within bounds: a file is read up to kMaxInputBytes, and YAML is parsed with
// checks that yaml-cpp does not make itself: a key given twice in one mapping (yaml-cpp
// silently keeps the first), a mapping key that is a list or a mapping, and documents whose
// aliases expand to more nodes than kMaxYamlNodes. Every error is a UserError naming the file
// (and line).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>

namespace aimcsim::sim {

inline constexpr std::uint64_t kMaxInputBytes = 16ULL << 20;  // 16 MiB
inline constexpr std::uint64_t kMaxYamlNodes = 1000000;

// The whole text of file (what names it in messages: "platform file", "config.json").
std::string read_input_file(const std::string& file, const std::string& what);

// Parses YAML text from origin ("file" or "file:line" prefix in messages).
YAML::Node load_yaml(const std::string& text, const std::string& origin);

}  // namespace aimcsim::sim
