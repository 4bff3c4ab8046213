#include "workloads/tcdm_plan.h"

#include "models/sim/units.h"

#include <fmt/format.h>

namespace aimcsim::workloads {

void TcdmPlan::add(const std::string& buffer, std::uint64_t bytes, std::uint64_t copies) {
  const std::uint64_t rounded = sim::ceil_div(bytes, stride_) * stride_;
  buffers_.push_back(Buffer{buffer, rounded, copies});
  total_ += rounded * copies;
}

std::string TcdmPlan::breakdown() const {
  std::string out;
  for (const auto& b : buffers_) {
    if (!out.empty()) out += " + ";
    const std::string size = fmt::format("{:.1f}KiB", b.bytes / 1024.0);
    out += b.copies > 1 ? fmt::format("{} {}x{}", b.name, b.copies, size)
                        : fmt::format("{} {}", b.name, size);
  }
  return out;
}

}  // namespace aimcsim::workloads
