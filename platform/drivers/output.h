// Writing results: whole files or nothing. A command declares every output path before it
// simulates (OutputSet checks that each can be written), stages the contents, and commits
// them at the end, each through a temporary file in its own directory renamed into place. A
// failure before the commit leaves nothing behind.
#pragma once

#include "models/sim/config.h"

#include <string>
#include <vector>

namespace aimcsim::platform {

// Writes text to path atomically (temporary file + rename); a UserError names the path when
// it cannot.
void write_file(const std::string& path, const std::string& text);

// "out/layer.json" -> "out/layer.config.yaml".
std::string config_path_for(const std::string& json_path);

class OutputSet {
 public:
  // Declares an output file given by option (e.g. "--json"): a UserError now when it cannot be
  // written (its directory is missing or not writable, it is a directory, or another output
  // has the same path).
  void file(const std::string& option, const std::string& path);
  // Declares an output directory (created at commit when missing).
  void directory(const std::string& option, const std::string& path);
  // Stages the contents of a declared file.
  void set(const std::string& path, std::string text);
  // Creates the declared directories and writes every staged file; on a failure removes the
  // temporary files and throws a UserError.
  void commit();

 private:
  struct Entry {
    std::string option, path, text;
    bool staged = false;
  };
  void claim(const std::string& option, const std::string& path);
  std::vector<Entry> files_;
  std::vector<std::pair<std::string, std::string>> dirs_;  // option, path
};

}  // namespace aimcsim::platform
