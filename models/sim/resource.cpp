#include "models/sim/resource.h"

#include "models/sim/checked.h"

#include <algorithm>
#include <stdexcept>

namespace aimcsim::sim {

std::uint64_t OccupancyResource::reserve(std::uint64_t earliest, std::uint64_t duration) {
  const std::uint64_t start = earliest > next_free_ ? earliest : next_free_;
  waited_ps_ += start - earliest;
  busy_ps_ += duration;
  next_free_ = add(start, duration, "the end of a booking of a link, port or engine");
  return start;
}

std::size_t BandwidthTimeline::locate(std::uint64_t cycle) const {
  // Runs are disjoint and sorted, so their ends are sorted too.
  std::size_t lo = head_, hi = runs_.size();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (runs_[mid].end > cycle)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

void BandwidthTimeline::split_at(std::uint64_t cycle) {
  const std::size_t i = locate(cycle);
  if (i == runs_.size() || runs_[i].start >= cycle) return;
  Run tail = runs_[i];
  tail.start = cycle;
  runs_[i].end = cycle;
  runs_.insert(runs_.begin() + static_cast<std::ptrdiff_t>(i + 1), tail);
}

void BandwidthTimeline::book(std::uint64_t first, std::uint64_t end, std::uint64_t delta) {
  if (first >= end || delta == 0) return;
  split_at(first);
  split_at(end);
  std::size_t i = locate(first);
  std::uint64_t cycle = first;
  while (cycle < end) {
    if (i < runs_.size() && runs_[i].start == cycle) {  // a booked run: add to it
      runs_[i].used += delta;
      cycle = runs_[i].end;
    } else {  // a gap up to the next run (or the end)
      const std::uint64_t gap_end = i < runs_.size() ? std::min(end, runs_[i].start) : end;
      runs_.insert(runs_.begin() + static_cast<std::ptrdiff_t>(i), Run{cycle, gap_end, delta});
      cycle = gap_end;
    }
    ++i;
  }
  // Merge equal neighbours at both edges, so that streams of equal rate keep one run.
  for (const std::uint64_t at : {end, first}) {
    const std::size_t right = locate(at);
    if (right == runs_.size() || right == head_ || runs_[right].start != at) continue;
    Run& left = runs_[right - 1];
    if (left.end == at && left.used == runs_[right].used) {
      left.end = runs_[right].end;
      runs_.erase(runs_.begin() + static_cast<std::ptrdiff_t>(right));
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
  std::size_t i = locate(cycle);  // the run holding or following cycle
  while (remaining > 0) {
    // The stretch [cycle, stretch_end) in which every cycle has the same bytes booked.
    std::uint64_t used = 0, stretch_end = UINT64_MAX;
    if (i < runs_.size() && runs_[i].start <= cycle) {
      used = runs_[i].used;
      stretch_end = runs_[i].end;
    } else if (i < runs_.size()) {
      stretch_end = runs_[i].start;
    }
    const std::uint64_t avail = used >= capacity_ ? 0 : std::min(rate, capacity_ - used);
    const std::uint64_t length = stretch_end - cycle;
    if (avail == 0) {  // every cycle of the stretch is taken: a stall each
      stalled_cycles_ += length;
      cycle = stretch_end;
      ++i;
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
    i = locate(cycle);
  }
  return cycle;
}

std::uint64_t BandwidthTimeline::used(std::uint64_t cycle) const {
  if (cycle < base_) return 0;
  const std::size_t i = locate(cycle);
  return i < runs_.size() && runs_[i].start <= cycle ? runs_[i].used : 0;
}

void BandwidthTimeline::retire_before(std::uint64_t cycle) {
  if (cycle <= base_) return;
  base_ = cycle;
  while (head_ < runs_.size() && runs_[head_].end <= cycle) ++head_;
  if (head_ > 64 && head_ * 2 > runs_.size()) {  // drop the retired runs now and then
    runs_.erase(runs_.begin(), runs_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

}  // namespace aimcsim::sim
