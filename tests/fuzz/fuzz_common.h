// Shared by the fuzz harnesses. The contract under test: bad input ends in a
// sim::UserError (the CLI prints its message and exits 2). Any other exception escapes
// LLVMFuzzerTestOneInput, std::terminate aborts, and libFuzzer records the input as a crash.
#pragma once

#include "models/sim/errors.h"
#include "workloads/model_description.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace aimcsim::fuzz {

inline std::string text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// Runs body; a UserError is the expected "clear error" outcome and is ignored.
template <class F>
void expect_user_errors(F&& body) {
  try {
    body();
  } catch (const sim::UserError&) {
  }
}

// A broken invariant (not an exception): prints what and aborts, which libFuzzer reports.
[[noreturn]] inline void invariant_failed(const std::string& what) {
  std::fprintf(stderr, "\n*** fuzz invariant failed: %s\n", what.c_str());
  std::abort();
}

// The promise of model_description.h: to_yaml's text reads back to an equal description.
inline void expect_yaml_round_trip(const workloads::ModelDescription& model) {
  const std::string printed = workloads::to_yaml(model, "fuzz round trip");
  try {
    if (!(workloads::parse_model_description(printed, "printed.yaml") == model))
      invariant_failed("to_yaml reads back to a different description:\n" + printed);
  } catch (const sim::UserError& e) {
    invariant_failed(std::string("to_yaml's text is rejected: ") + e.what() + "\n" + printed);
  }
}

}  // namespace aimcsim::fuzz
