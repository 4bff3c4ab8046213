// Floating-point formats of the digital datapath and their element sizes.
#pragma once

#include <cstdint>
#include <string>

namespace aimcsim::cluster {

enum class Precision { fp16, fp8 };

inline std::uint64_t element_bytes(Precision p) {
  return p == Precision::fp8 ? 1 : 2;
}
inline const char* to_string(Precision p) {
  return p == Precision::fp8 ? "fp8" : "fp16";
}
// Parses "fp16" or "fp8"; returns false for anything else.
inline bool parse_precision(const std::string& text, Precision& out) {
  if (text == "fp16")
    out = Precision::fp16;
  else if (text == "fp8")
    out = Precision::fp8;
  else
    return false;
  return true;
}

}  // namespace aimcsim::cluster
