// Two contention primitives shared by the models. Contention is never a correction factor:
// it is what these book-keepers return when two requests want the same hardware.
//  - OccupancyResource: serves one request at a time (a link, a tile's ADC bank, an engine)
//    and remembers when it is next free; a request waits for it, first come first served.
//  - BandwidthTimeline: a port of fixed bytes per cycle shared by several initiators that
//    stream concurrently (the TCDM). Each initiator books bytes cycle by cycle at up to its
//    own port rate; later bookings get what earlier ones left.
#pragma once

#include <cstdint>
#include <deque>

namespace aimcsim::sim {

// When a unit was busy with one request: from the moment it started serving it (after any
// queueing) to the moment it finished, in ps.
struct Interval {
  std::uint64_t start_ps = 0, end_ps = 0;
};

class OccupancyResource {
 public:
  // Books the resource for duration (ps) no earlier than earliest (ps); returns the start.
  std::uint64_t reserve(std::uint64_t earliest, std::uint64_t duration) {
    const std::uint64_t start = earliest > next_free_ ? earliest : next_free_;
    waited_ps_ += start - earliest;
    busy_ps_ += duration;
    next_free_ = start + duration;
    return start;
  }
  std::uint64_t next_free() const { return next_free_; }
  std::uint64_t busy_ps() const { return busy_ps_; }
  std::uint64_t waited_ps() const { return waited_ps_; }
  void reset_stats() { busy_ps_ = waited_ps_ = 0; }

 private:
  std::uint64_t next_free_ = 0;
  std::uint64_t busy_ps_ = 0;
  std::uint64_t waited_ps_ = 0;
};

class BandwidthTimeline {
 public:
  explicit BandwidthTimeline(std::uint64_t bytes_per_cycle) : capacity_(bytes_per_cycle) {}

  // Books bytes starting at cycle start, at most rate bytes in any one cycle; returns the
  // cycle after the last one used (start when bytes is 0).
  std::uint64_t reserve(std::uint64_t start, std::uint64_t bytes, std::uint64_t rate);
  // Forgets cycles before cycle: nothing can be booked in the past.
  void retire_before(std::uint64_t cycle);
  std::uint64_t capacity() const { return capacity_; }
  std::uint64_t bytes_booked() const { return bytes_booked_; }
  std::uint64_t stalled_cycles() const { return stalled_cycles_; }
  void reset_stats() { bytes_booked_ = stalled_cycles_ = 0; }

 private:
  std::uint64_t capacity_;
  std::uint64_t base_ = 0;          // cycle of used_.front()
  std::deque<std::uint32_t> used_;  // bytes booked per cycle from base_
  std::uint64_t bytes_booked_ = 0;
  std::uint64_t stalled_cycles_ = 0;  // cycles in which a booking got less than its rate
};

}  // namespace aimcsim::sim
