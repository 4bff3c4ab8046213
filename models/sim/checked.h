// Checked arithmetic for simulated time and sizes. Simulated time is a 64-bit count of
// picoseconds (SystemC's sc_time at its default 1 ps resolution), so it ends after 2^64 ps,
// about 213 days. Every sum or product of times, cycles and sizes that user input can make
// large goes through these helpers: a result that would not fit is a RangeError (a user
// error, exit code 2) naming what was being computed, never a silently wrapped number.
#pragma once

#include "models/sim/errors.h"

#include <cstdint>
#include <string>

namespace aimcsim::sim {

// A result too large for the simulator's 64-bit arithmetic (time, cycles, bytes, counts).
class RangeError : public UserError {
 public:
  using UserError::UserError;
};

// The largest simulated time, in ps (2^64 - 1, SystemC's sc_max_time at 1 ps resolution).
inline constexpr std::uint64_t kMaxTimePs = UINT64_MAX;

// Throws the RangeError of a time or count computation that overflowed; `what` names it
// ("the end of an MVM on tile 3", "cycles x period of interconnect.port.latency").
[[noreturn]] void overflow(const std::string& what);

inline std::uint64_t add(std::uint64_t a, std::uint64_t b, const char* what) {
  std::uint64_t r;
  if (__builtin_add_overflow(a, b, &r)) overflow(what);
  return r;
}

inline std::uint64_t mul(std::uint64_t a, std::uint64_t b, const char* what) {
  std::uint64_t r;
  if (__builtin_mul_overflow(a, b, &r)) overflow(what);
  return r;
}

// a + b x c, checked.
inline std::uint64_t add_mul(std::uint64_t a, std::uint64_t b, std::uint64_t c, const char* what) {
  return add(a, mul(b, c, what), what);
}

}  // namespace aimcsim::sim
