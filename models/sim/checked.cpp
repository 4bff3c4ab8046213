#include "models/sim/checked.h"

#include <fmt/format.h>

namespace aimcsim::sim {

void overflow(const std::string& what) {
  throw RangeError(fmt::format(
      "{} exceeds the simulator's 64-bit range (at most {}; as simulated time, 2^64 ps, about "
      "213 days): reduce the times, sizes or counts that feed it",
      what, UINT64_MAX));
}

}  // namespace aimcsim::sim
