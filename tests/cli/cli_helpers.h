// Running the aimcsim executable from a test: its exit code and output, scratch directories
// and whole-file reads.
#pragma once

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <sys/wait.h>

namespace aimcsim::cli_test {

struct CommandResult {
  int code;
  std::string output;  // stdout and stderr
};

// Runs aimcsim with args from the source tree (so the relative default platform path
// resolves).
inline CommandResult run_aimcsim(const std::string& args) {
  const std::string cmd =
      std::string("cd ") + AIMCSIM_SOURCE_DIR + " && " + AIMCSIM_BINARY + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return {-1, "popen failed: " + cmd};
  std::string out;
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), buf.size(), pipe)) out += buf.data();
  const int status = pclose(pipe);
  return {WEXITSTATUS(status), out};
}

// An empty directory under the system's temporary directory.
inline std::filesystem::path scratch_dir(const std::string& name) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("aimcsim_cli_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Whether text contains part.
inline bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

inline std::string read_file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace aimcsim::cli_test
