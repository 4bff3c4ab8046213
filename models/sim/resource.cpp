#include "models/sim/resource.h"

#include "models/sim/checked.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace aimcsim::sim {

std::uint64_t OccupancyResource::reserve(std::uint64_t earliest, std::uint64_t duration) {
  const std::uint64_t start = earliest > next_free_ ? earliest : next_free_;
  waited_ps_ += start - earliest;
  busy_ps_ += duration;
  next_free_ = add(start, duration, "the end of a booking of a link, port or engine");
  return start;
}

void BandwidthTimeline::split_at(std::uint64_t cycle) {
  auto it = runs_.upper_bound(cycle);
  if (it == runs_.begin()) return;
  --it;
  if (it->first == cycle || it->second.end <= cycle) return;
  const Run tail{it->second.end, it->second.used};
  it->second.end = cycle;
  runs_.emplace_hint(std::next(it), cycle, tail);
}

void BandwidthTimeline::book(std::uint64_t first, std::uint64_t end, std::uint64_t delta) {
  if (first >= end || delta == 0) return;
  split_at(first);
  split_at(end);
  std::uint64_t cycle = first;
  auto it = runs_.lower_bound(first);
  while (cycle < end) {
    if (it != runs_.end() && it->first == cycle) {  // a booked run: add to it
      it->second.used += delta;
      cycle = it->second.end;
      ++it;
    } else {  // a gap up to the next run (or the end)
      const std::uint64_t gap_end = it != runs_.end() ? std::min(end, it->first) : end;
      runs_.emplace_hint(it, cycle, Run{gap_end, delta});
      cycle = gap_end;
    }
  }
  // Merge equal neighbours at both edges, so that streams of equal rate keep one run.
  for (const std::uint64_t at : {first, end}) {
    auto right = runs_.find(at);
    if (right == runs_.end() || right == runs_.begin()) continue;
    auto left = std::prev(right);
    if (left->second.end == right->first && left->second.used == right->second.used) {
      left->second.end = right->second.end;
      runs_.erase(right);
    }
  }
}

std::uint64_t BandwidthTimeline::reserve(std::uint64_t start, std::uint64_t bytes,
                                         std::uint64_t rate) {
  if (rate == 0) throw std::logic_error("BandwidthTimeline: zero rate");
  if (start < base_) start = base_;
  rate = std::min(rate, capacity_);
  bytes_booked_ += bytes;
  std::uint64_t cycle = start, remaining = bytes;
  // The run holding or following cycle.
  const auto locate = [this](std::uint64_t c) {
    auto at = runs_.upper_bound(c);
    if (at != runs_.begin() && std::prev(at)->second.end > c) --at;
    return at;
  };
  auto it = locate(cycle);
  while (remaining > 0) {
    // The stretch [cycle, stretch_end) in which every cycle has the same bytes booked.
    std::uint64_t used = 0, stretch_end = UINT64_MAX;
    if (it != runs_.end() && it->first <= cycle) {
      used = it->second.used;
      stretch_end = it->second.end;
    } else if (it != runs_.end()) {
      stretch_end = it->first;
    }
    const std::uint64_t avail = used >= capacity_ ? 0 : std::min(rate, capacity_ - used);
    const std::uint64_t length = stretch_end - cycle;
    if (avail == 0) {  // every cycle of the stretch is taken: a stall each
      stalled_cycles_ += length;
      cycle = stretch_end;
      ++it;
      continue;
    }
    // Per cycle this booking takes min(avail, what is left); it stalls in a cycle when that
    // is less than min(rate, what is left).
    const std::uint64_t full = remaining / avail, rest = remaining % avail;
    const std::uint64_t needed = full + (rest > 0);
    if (needed <= length || stretch_end == UINT64_MAX) {  // ends here (or passes 2^64 - 1)
      const std::uint64_t end = add(cycle, needed, "the end of a TCDM transfer (in cycles)");
      if (avail < rate && full > 0) stalled_cycles_ += full - 1 + (rest > 0);
      book(cycle, cycle + full, avail);
      book(cycle + full, end, rest);
      return end;
    }
    if (avail < rate) stalled_cycles_ += length;
    book(cycle, stretch_end, avail);
    remaining -= length * avail;
    cycle = stretch_end;
    it = locate(cycle);
  }
  return cycle;
}

std::uint64_t BandwidthTimeline::used(std::uint64_t cycle) const {
  if (cycle < base_) return 0;
  auto it = runs_.upper_bound(cycle);
  if (it == runs_.begin()) return 0;
  --it;
  return it->second.end > cycle ? it->second.used : 0;
}

void BandwidthTimeline::retire_before(std::uint64_t cycle) {
  if (cycle <= base_) return;
  base_ = cycle;
  while (!runs_.empty() && runs_.begin()->second.end <= cycle) runs_.erase(runs_.begin());
}

}  // namespace aimcsim::sim
