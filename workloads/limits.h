// Sizes the workload compiler accepts (README "Limits"). They keep every product of sizes the
// compiler forms far inside 64 bits, and refuse descriptions no published transformer needs
// before anything is built from them. The work a run may take is limited separately
// (platform::Limits, --max-tasks / --max-tiles).
#pragma once

#include <cstdint>

namespace aimcsim::workloads {

inline constexpr std::uint64_t kMaxDimension = 1ULL << 20;  // any layer or tensor width: 1048576
inline constexpr std::uint64_t kMaxTokens = 1ULL << 32;     // tokens of one run: 4294967296
inline constexpr std::uint64_t kMaxBlocks = 10000;          // transformer blocks of a model
inline constexpr std::uint64_t kMaxOpsPerSection = 10000;   // operators in a block or prologue

}  // namespace aimcsim::workloads
