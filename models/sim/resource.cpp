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

void BandwidthTimeline::book_in_stretch(std::size_t i, bool in_run, std::uint64_t a,
                                        std::uint64_t b, std::uint64_t d, std::uint64_t c,
                                        std::uint64_t r) {
  // The window to rebuild: the stretch's run (if any) and its neighbours, which may merge.
  const std::size_t lo = i > head_ ? i - 1 : i;
  const std::size_t hi = std::min(runs_.size(), i + (in_run ? 1 : 0) + 1);
  Run window[8];
  std::size_t n = 0;
  const auto put = [&](std::uint64_t from, std::uint64_t to, std::uint64_t used) {
    if (from >= to || used == 0) return;  // empty, or a gap
    if (n > 0 && window[n - 1].end == from && window[n - 1].used == used)
      window[n - 1].end = to;
    else
      window[n++] = Run{from, to, used};
  };
  const std::uint64_t u = in_run ? runs_[i].used : 0;
  for (std::size_t k = lo; k < hi; ++k) {
    if (k == i && in_run) {
      put(runs_[i].start, a, u);
      put(a, b, u + d);
      put(b, c, u + r);
      put(c, runs_[i].end, u);
    } else {
      if (k == i) {  // the gap before runs_[i]: the booking goes first
        put(a, b, d);
        put(b, c, r);
      }
      put(runs_[k].start, runs_[k].end, runs_[k].used);
    }
  }
  if (!in_run && i == hi) {  // the gap after the last run
    put(a, b, d);
    put(b, c, r);
  }
  // Replace runs_[lo, hi) with the window.
  const std::size_t old = hi - lo;
  for (std::size_t k = 0; k < std::min(old, n); ++k) runs_[lo + k] = window[k];
  if (n > old)
    runs_.insert(runs_.begin() + static_cast<std::ptrdiff_t>(lo + old), window + old, window + n);
  else if (n < old)
    runs_.erase(runs_.begin() + static_cast<std::ptrdiff_t>(lo + n),
                runs_.begin() + static_cast<std::ptrdiff_t>(hi));
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
      book_in_stretch(i, i < runs_.size() && runs_[i].start <= cycle, cycle, cycle + full,
                      avail, end, rest);
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
