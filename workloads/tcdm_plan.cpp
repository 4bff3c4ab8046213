#include "workloads/tcdm_plan.h"

#include "models/sim/checked.h"
#include "models/sim/units.h"

#include <stdexcept>

#include <fmt/format.h>

namespace aimcsim::workloads {

void TcdmPlan::add(const char* buffer, std::uint64_t bytes, std::uint64_t copies) {
  if (count_ == kMaxBuffers) throw std::logic_error("TcdmPlan: too many buffers");
  const char* what = "a TCDM working set (bytes)";
  const std::uint64_t rounded = sim::mul(sim::ceil_div(bytes, stride_), stride_, what);
  buffers_[count_++] = Buffer{buffer, rounded, copies};
  total_ = sim::add(total_, sim::mul(rounded, copies, what), what);
}

std::string TcdmPlan::breakdown() const {
  std::string out;
  for (std::size_t i = 0; i < count_; ++i) {
    const Buffer& b = buffers_[i];
    if (!out.empty()) out += " + ";
    const std::string size = fmt::format("{:.1f}KiB", b.bytes / 1024.0);
    out += b.copies > 1 ? fmt::format("{} {}x{}", b.name, b.copies, size)
                        : fmt::format("{} {}", b.name, size);
  }
  return out;
}

}  // namespace aimcsim::workloads
