#include "models/sim/resource.h"

#include <algorithm>
#include <stdexcept>

namespace aimcsim::sim {

std::uint64_t BandwidthTimeline::reserve(std::uint64_t start, std::uint64_t bytes,
                                         std::uint64_t rate) {
  if (rate == 0) throw std::logic_error("BandwidthTimeline: zero rate");
  if (start < base_) start = base_;
  rate = std::min(rate, capacity_);
  bytes_booked_ += bytes;
  std::uint64_t cycle = start;
  while (bytes > 0) {
    const std::uint64_t index = cycle - base_;
    if (index >= used_.size()) used_.resize(index + 1, 0);
    const std::uint64_t take = std::min({rate, capacity_ - used_[index], bytes});
    if (take < std::min(rate, bytes)) ++stalled_cycles_;
    used_[index] += static_cast<std::uint32_t>(take);
    bytes -= take;
    ++cycle;
  }
  return cycle;
}

void BandwidthTimeline::retire_before(std::uint64_t cycle) {
  while (base_ < cycle && !used_.empty()) {
    used_.pop_front();
    ++base_;
  }
  if (used_.empty() && base_ < cycle) base_ = cycle;
}

}  // namespace aimcsim::sim
