// The aimcsim sub-commands. Each returns the process exit code; user errors are thrown as
// sim::UserError and turned into one line on stderr and exit code 2 by main.
#pragma once

#include "models/cluster/precision.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aimcsim::platform {

struct PlatformOptions {
  std::string platform = "configs/platforms/reference.yaml";
  std::vector<std::string> sets;  // --set path=value
};

struct LayerOptions {
  PlatformOptions platform;
  std::uint64_t d_in = 512, d_out = 128, rank = 8, tokens = 64, chunk = 0;
  std::string strategy = "parallel";
  std::string precision = "fp16";
  std::string json;
};
int layer_command(const LayerOptions& o);

struct KernelOptions {
  PlatformOptions platform;
  std::string kernel;  // gemm, add, relu
  std::string engine = "redmule";
  std::uint64_t m = 64, n = 512, k = 8, elements = 8192;
  std::string precision = "fp16";
  std::string json;
};
int kernel_command(const KernelOptions& o);

struct StudyOptions {
  PlatformOptions platform;
  std::uint64_t rank = 8, tokens = 64;
  std::string json;
};
int study_command(const StudyOptions& o);

int list_models_command();

}  // namespace aimcsim::platform
