// Shared by the fuzz harnesses. The contract under test: bad input ends in a
// sim::UserError (the CLI prints its message and exits 2). Any other exception escapes
// LLVMFuzzerTestOneInput, std::terminate aborts, and libFuzzer records the input as a crash.
#pragma once

#include "models/sim/errors.h"

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

}  // namespace aimcsim::fuzz
