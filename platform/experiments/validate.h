// `aimcsim validate`: simulates the published reference points of checked-in tables
// (configs/validation/*.yaml) and compares each with its published value.
// A table is a list of points, each with a name, the quantity, the job that reproduces the
// published setup on a platform (file, presets and --set overrides), the published value, its
// source, a relative tolerance and a note on what the comparison shows:
//   points:
//     - name: RedMulE, large FP16 GEMM
//       quantity: utilisation       # see Quantity below
//       job: {engine: redmule, m: 96, n: 96, k: 96, precision: fp16}
//       set: [cluster.clock=613MHz]
//       published: 0.994
//       tolerance: 0.01
//       source: Tortorella et al., FGCS 2023, abstract
//       note: ...
// Each point runs in its own worker process (SystemC elaborates once per process).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aimcsim::platform {

enum class Quantity {
  cycles,           // the job's cycles at its engine's clock (programming included)
  utilisation,      // RedMulE: useful FMAs / (CE FMAs per cycle x cycles)
  fpu_utilisation,  // cores: FP instructions issued / (cores x cycles)
  gflops,           // 2 x useful FMAs / time
  mvm_ns,           // one MVM on an AIMC tile: first input to last corrected output, ns
  mvm_readout_ns    // the same to the last ADC conversion (without the local digital unit)
};

struct ValidationJob {
  std::string engine;  // redmule | cores | aimc
  std::uint64_t m = 0, n = 0, k = 0;
  std::string precision = "fp16";
  std::string op = "gemm";           // redmule: gemm | matmul
  double clock_mhz = 0;              // gflops at this published clock (0: the cluster's)
  std::uint64_t rows = 0, cols = 0;  // aimc: rows and columns the MVM uses (0: the tile's)
};

struct ValidationPoint {
  std::string origin;  // "file:line" of the point, for messages
  std::string name;
  Quantity quantity = Quantity::cycles;
  ValidationJob job;
  std::string platform = "configs/platforms/reference.yaml";
  std::vector<std::string> sets;
  double published = 0;
  double tolerance = 0;  // relative: |simulated - published| / published
  std::string source, note;
};

// Reads a table; a malformed one is a UserError naming the file, line and key.
std::vector<ValidationPoint> read_validation_table(const std::string& file);

struct ValidationResult {
  const ValidationPoint* point = nullptr;
  double simulated = 0;
  double error = 0;  // (simulated - published) / published
  bool within = false;
};

// Simulates one point (in the calling process: call it in a worker).
double simulate_point(const ValidationPoint& point);

struct ValidateOptions {
  std::vector<std::string> tables;  // default: every configs/validation/*.yaml
  std::string json;
};
// Prints simulated vs published for every point; 0 when all are within their tolerance, 1
// when one is not.
int validate_command(const ValidateOptions& o);

const char* to_string(Quantity q);

}  // namespace aimcsim::platform
