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

void BandwidthTimeline::apply(const std::vector<Run>& pieces) {
  if (pieces.empty()) return;
  // The window of runs the pieces touch, with one neighbour each side (they may merge).
  std::size_t lo = locate(pieces.front().start);
  if (lo > head_) --lo;
  std::size_t hi = locate(pieces.back().end);
  if (hi < runs_.size()) ++hi;
  merged_.clear();
  const auto emit = [this](std::uint64_t from, std::uint64_t to, std::uint64_t used) {
    if (from >= to || used == 0) return;  // empty, or a gap
    if (!merged_.empty() && merged_.back().end == from && merged_.back().used == used)
      merged_.back().end = to;
    else
      merged_.push_back(Run{from, to, used});
  };
  // Sweep both sorted lists, one stretch of constant use at a time.
  std::size_t r = lo, p = 0;
  std::uint64_t at =
      lo < hi ? std::min(runs_[lo].start, pieces.front().start) : pieces.front().start;
  while (r < hi || p < pieces.size()) {
    std::uint64_t used = 0, next = UINT64_MAX;
    if (r < hi) {
      if (runs_[r].start <= at) {
        used += runs_[r].used;
        next = runs_[r].end;
      } else {
        next = runs_[r].start;
      }
    }
    if (p < pieces.size()) {
      if (pieces[p].start <= at) {
        used += pieces[p].used;
        next = std::min(next, pieces[p].end);
      } else {
        next = std::min(next, pieces[p].start);
      }
    }
    emit(at, next, used);
    at = next;
    if (r < hi && runs_[r].end <= at) ++r;
    if (p < pieces.size() && pieces[p].end <= at) ++p;
  }
  // Replace runs_[lo, hi) with the merged window.
  const std::size_t old = hi - lo, n = merged_.size();
  std::copy(merged_.begin(), merged_.begin() + static_cast<std::ptrdiff_t>(std::min(old, n)),
            runs_.begin() + static_cast<std::ptrdiff_t>(lo));
  if (n > old)
    runs_.insert(runs_.begin() + static_cast<std::ptrdiff_t>(hi),
                 merged_.begin() + static_cast<std::ptrdiff_t>(old), merged_.end());
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
  if (bytes == 0) return start;
  // Walk the stretches of constant use from start, noting what this booking adds to each;
  // the runs change only once, at the end.
  pieces_.clear();
  std::uint64_t cycle = start, remaining = bytes, end = start;
  std::size_t i = locate(cycle);  // the run holding or following cycle
  while (remaining > 0) {
    const bool in_run = i < runs_.size() && runs_[i].start <= cycle;
    const std::uint64_t used = in_run ? runs_[i].used : 0;
    const std::uint64_t stretch_end = in_run             ? runs_[i].end
                                      : i < runs_.size() ? runs_[i].start
                                                         : UINT64_MAX;
    const std::uint64_t avail = used >= capacity_ ? 0 : std::min(rate, capacity_ - used);
    const std::uint64_t length = stretch_end - cycle;
    // Per cycle this booking takes min(avail, what is left); it stalls in a cycle when that
    // is less than min(rate, what is left).
    if (avail == 0) {  // every cycle of the stretch is taken: a stall each
      stalled_cycles_ += length;
    } else {
      const std::uint64_t full = remaining / avail, rest = remaining % avail;
      const std::uint64_t needed = full + (rest > 0);
      if (needed <= length || stretch_end == UINT64_MAX) {  // ends here (or passes 2^64 - 1)
        end = add(cycle, needed, "the end of a TCDM transfer (in cycles)");
        if (avail < rate && full > 0) stalled_cycles_ += full - 1 + (rest > 0);
        if (full > 0) pieces_.push_back(Run{cycle, cycle + full, avail});
        if (rest > 0) pieces_.push_back(Run{cycle + full, end, rest});
        break;
      }
      if (avail < rate) stalled_cycles_ += length;
      pieces_.push_back(Run{cycle, stretch_end, avail});
      remaining -= length * avail;
    }
    cycle = stretch_end;
    if (in_run) ++i;  // after a gap, the run that ended it is next
  }
  apply(pieces_);
  return end;
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
