// Two contention primitives shared by the models. Contention is never a correction factor:
// it is what these book-keepers return when two requests want the same hardware.
//  - OccupancyResource: serves one request at a time (a link, a tile's ADC bank, an engine)
//    and remembers when it is next free; a request waits for it, first come first served.
//  - BandwidthTimeline: a port of fixed bytes per cycle shared by several initiators that
//    stream concurrently (the TCDM). Each initiator books bytes cycle by cycle at up to its
//    own port rate; later bookings get what earlier ones left. The bookings are kept as runs
//    of cycles with equal use (intervals), so a booking costs the runs it crosses, not the
//    cycles it spans; the result is exactly that of booking one cycle at a time.
#pragma once

#include <cstdint>
#include <vector>

namespace aimcsim::sim {

// When a unit was busy with one request: from the moment it started serving it (after any
// queueing) to the moment it finished, in ps.
struct Interval {
  std::uint64_t start_ps = 0, end_ps = 0;
};

class OccupancyResource {
 public:
  // Books the resource for duration (ps) no earlier than earliest (ps); returns the start.
  // A RangeError when the end would pass the largest simulated time.
  std::uint64_t reserve(std::uint64_t earliest, std::uint64_t duration);
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
  // Bytes booked in cycle (0 before the retired horizon): for tests.
  std::uint64_t used(std::uint64_t cycle) const;
  // Runs of equal booking currently held (memory in use): for tests and benchmarks.
  std::size_t runs() const { return runs_.size() - head_; }
  // Forgets cycles before cycle: nothing can be booked in the past.
  void retire_before(std::uint64_t cycle);
  std::uint64_t capacity() const { return capacity_; }
  std::uint64_t bytes_booked() const { return bytes_booked_; }
  std::uint64_t stalled_cycles() const { return stalled_cycles_; }
  void reset_stats() { bytes_booked_ = stalled_cycles_ = 0; }

 private:
  struct Run {
    std::uint64_t start, end;  // its cycles: [start, end)
    std::uint64_t used;        // bytes booked in each of them
  };
  // The index of the first live run that ends after cycle (runs_.size() when none).
  std::size_t locate(std::uint64_t cycle) const;
  // Adds pieces (sorted, disjoint; `used` is what each adds per cycle) to the runs in one
  // pass over the window they touch, merging neighbours of equal use.
  void apply(const std::vector<Run>& pieces);

  std::uint64_t capacity_;
  std::uint64_t base_ = 0;  // cycles before it can no longer be booked
  // Runs by start, disjoint (gaps are unbooked); those before head_ are retired. Few are live
  // at a time (bookings end soon after the present), so a vector beats a tree.
  std::vector<Run> runs_;
  std::size_t head_ = 0;
  std::vector<Run> pieces_, merged_;  // scratch of reserve and apply (no allocation per call)
  std::uint64_t bytes_booked_ = 0;
  std::uint64_t stalled_cycles_ = 0;  // cycles in which a booking got less than its rate
};

}  // namespace aimcsim::sim
