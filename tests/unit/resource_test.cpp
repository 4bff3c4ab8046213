// The contention book-keepers of models/sim/resource.h.
#include "models/sim/resource.h"

#include "models/sim/checked.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <stdexcept>

namespace aimcsim::sim {
namespace {

TEST(OccupancyResource, FreeResourceStartsAtOnce) {
  OccupancyResource r;
  EXPECT_EQ(r.reserve(100, 50), 100u);
  EXPECT_EQ(r.next_free(), 150u);
  EXPECT_EQ(r.busy_ps(), 50u);
  EXPECT_EQ(r.waited_ps(), 0u);
}

TEST(OccupancyResource, SecondRequestWaits) {
  OccupancyResource r;
  EXPECT_EQ(r.reserve(0, 1000), 0u);      // busy 0..1000
  EXPECT_EQ(r.reserve(200, 300), 1000u);  // waits 1000 - 200 = 800, busy 1000..1300
  EXPECT_EQ(r.next_free(), 1300u);
  EXPECT_EQ(r.busy_ps(), 1300u);  // 1000 + 300
  EXPECT_EQ(r.waited_ps(), 800u);
  // A request after the resource is free again does not wait; the gap is idle.
  EXPECT_EQ(r.reserve(2000, 100), 2000u);
  EXPECT_EQ(r.next_free(), 2100u);
  EXPECT_EQ(r.busy_ps(), 1400u);  // 1300 + 100
  EXPECT_EQ(r.waited_ps(), 800u);
}

TEST(OccupancyResource, QueueOfThreeIsFirstComeFirstServed) {
  OccupancyResource r;
  // Three requests at time 0, 10 ps each: start 0, 10, 20; waits 0 + 10 + 20 = 30.
  EXPECT_EQ(r.reserve(0, 10), 0u);
  EXPECT_EQ(r.reserve(0, 10), 10u);
  EXPECT_EQ(r.reserve(0, 10), 20u);
  EXPECT_EQ(r.waited_ps(), 30u);
  EXPECT_EQ(r.busy_ps(), 30u);
}

TEST(OccupancyResource, ResetStatsKeepsSchedule) {
  OccupancyResource r;
  r.reserve(0, 500);
  r.reserve(0, 500);
  r.reset_stats();
  EXPECT_EQ(r.busy_ps(), 0u);
  EXPECT_EQ(r.waited_ps(), 0u);
  EXPECT_EQ(r.next_free(), 1000u);
  EXPECT_EQ(r.reserve(400, 10), 1000u);  // still booked until 1000: waits 600
  EXPECT_EQ(r.waited_ps(), 600u);
}

TEST(BandwidthTimeline, OneStreamRunsAtItsPortRate) {
  BandwidthTimeline t(256);
  // 1000 B at 32 B/cycle: ceil(1000 / 32) = 32 cycles (31 full ones and 8 B in the last).
  EXPECT_EQ(t.reserve(0, 1000, 32), 32u);
  EXPECT_EQ(t.bytes_booked(), 1000u);
  EXPECT_EQ(t.stalled_cycles(), 0u);
  EXPECT_EQ(t.capacity(), 256u);
}

TEST(BandwidthTimeline, StartOffsetShiftsTheEnd) {
  BandwidthTimeline t(256);
  EXPECT_EQ(t.reserve(10, 1000, 32), 42u);  // 10 + 32
}

TEST(BandwidthTimeline, RateIsCappedByCapacity) {
  BandwidthTimeline t(256);
  // A 1000 B/cycle request gets at most 256 B/cycle: ceil(1000 / 256) = 4 cycles.
  EXPECT_EQ(t.reserve(0, 1000, 1000), 4u);
  EXPECT_EQ(t.stalled_cycles(), 0u);
}

TEST(BandwidthTimeline, ZeroBytesEndsAtStart) {
  BandwidthTimeline t(256);
  EXPECT_EQ(t.reserve(7, 0, 32), 7u);
  EXPECT_EQ(t.bytes_booked(), 0u);
}

TEST(BandwidthTimeline, ZeroRateIsALogicError) {
  BandwidthTimeline t(256);
  EXPECT_THROW(t.reserve(0, 10, 0), std::logic_error);
}

TEST(BandwidthTimeline, StreamsWithinCapacityDoNotInterfere) {
  BandwidthTimeline t(256);
  // 128 + 128 = 256 B/cycle fits: both take ceil(1000 / 128) = 8 cycles.
  EXPECT_EQ(t.reserve(0, 1000, 128), 8u);
  EXPECT_EQ(t.reserve(0, 1000, 128), 8u);
  EXPECT_EQ(t.stalled_cycles(), 0u);
}

TEST(BandwidthTimeline, OverlappingStreamsSlowTheLaterOne) {
  BandwidthTimeline t(256);
  // First: 1600 B at 160 B/cycle in cycles 0..9 (10 cycles); it books first, so is unaffected.
  EXPECT_EQ(t.reserve(0, 1600, 160), 10u);
  // Second: 1000 B at 128 B/cycle from cycle 2; alone it would end at 2 + ceil(1000/128) = 10.
  // Cycles 2..9 have 256 - 160 = 96 B left: 8 * 96 = 768 B. The remaining 232 B go at
  // 128 B/cycle: 128 in cycle 10, 104 in cycle 11. End = 12: two cycles later than alone.
  EXPECT_EQ(t.reserve(2, 1000, 128), 12u);
  EXPECT_EQ(t.stalled_cycles(), 8u);  // cycles 2..9 gave less than the rate
  EXPECT_EQ(t.bytes_booked(), 2600u);
  // A third stream finds cycles 2..9 full, cycle 10 with 128 B and cycle 11 with 152 B left:
  // 300 B at 256 B/cycle from cycle 0: cycles 0,1 give 96 each (192), then cycles 2..9 are
  // full, cycle 10 gives the remaining 108. End = 11.
  EXPECT_EQ(t.reserve(0, 300, 256), 11u);
  // Stalls: cycles 0,1 (96 < 256), 2..9 (0 < 108..), cycle 10: 108 = min(256, 108), no stall.
  EXPECT_EQ(t.stalled_cycles(), 8u + 10u);
}

TEST(BandwidthTimeline, RetireBeforeMovesTheEarliestCycle) {
  BandwidthTimeline t(256);
  EXPECT_EQ(t.reserve(0, 2560, 256), 10u);  // cycles 0..9 full
  t.retire_before(5);
  // Cycles 5..9 are still booked; cycles before 5 cannot be booked any more, so a request
  // for cycle 0 starts at 5, waits for the full cycles 5..9 and uses cycle 10.
  EXPECT_EQ(t.reserve(0, 100, 100), 11u);
  EXPECT_EQ(t.stalled_cycles(), 5u);  // cycles 5..9
}

TEST(BandwidthTimeline, RetireBeyondBookingsStartsAfresh) {
  BandwidthTimeline t(256);
  t.reserve(0, 512, 256);  // cycles 0, 1
  t.retire_before(20);
  EXPECT_EQ(t.reserve(3, 256, 256), 21u);   // clamped to cycle 20, one full cycle
  EXPECT_EQ(t.reserve(25, 256, 256), 26u);  // a later start is kept
  EXPECT_EQ(t.stalled_cycles(), 0u);
}

TEST(BandwidthTimeline, ResetStats) {
  BandwidthTimeline t(64);
  t.reserve(0, 128, 64);
  t.reserve(0, 64, 64);  // cycles 0, 1 full: stalls twice, ends at 3
  EXPECT_EQ(t.stalled_cycles(), 2u);
  t.reset_stats();
  EXPECT_EQ(t.bytes_booked(), 0u);
  EXPECT_EQ(t.stalled_cycles(), 0u);
  EXPECT_EQ(t.reserve(0, 64, 64), 4u);  // the bookings themselves remain: cycles 0..2 full
}

TEST(BandwidthTimeline, LongBookingHoldsOneRunNotOneEntryPerCycle) {
  BandwidthTimeline t(256);
  // 10^12 bytes at 32 B/cycle: 31.25 * 10^9 cycles, booked as one run.
  EXPECT_EQ(t.reserve(0, 1000000000000ULL, 32), 31250000000ULL);
  EXPECT_EQ(t.runs(), 1u);
  EXPECT_EQ(t.used(0), 32u);
  EXPECT_EQ(t.used(31249999999ULL), 32u);
  EXPECT_EQ(t.used(31250000000ULL), 0u);
}

TEST(BandwidthTimeline, EndBeyondTheLargestCycleIsARangeError) {
  BandwidthTimeline t(256);
  EXPECT_THROW(t.reserve(UINT64_MAX - 10, 1000, 1), RangeError);
}

TEST(OccupancyResource, EndBeyondTheLargestTimeIsARangeError) {
  OccupancyResource r;
  r.reserve(0, UINT64_MAX - 5);
  EXPECT_THROW(r.reserve(0, 10), RangeError);
}

// The per-cycle book-keeper the interval version replaced: the specification it must match.
class PerCycleTimeline {
 public:
  explicit PerCycleTimeline(std::uint64_t capacity) : capacity_(capacity) {}
  std::uint64_t reserve(std::uint64_t start, std::uint64_t bytes, std::uint64_t rate) {
    if (start < base_) start = base_;
    rate = std::min(rate, capacity_);
    std::uint64_t cycle = start;
    while (bytes > 0) {
      const std::uint64_t index = cycle - base_;
      if (index >= used_.size()) used_.resize(index + 1, 0);
      const std::uint64_t take = std::min({rate, capacity_ - used_[index], bytes});
      if (take < std::min(rate, bytes)) ++stalled_;
      used_[index] += take;
      bytes -= take;
      ++cycle;
    }
    return cycle;
  }
  void retire_before(std::uint64_t cycle) {
    while (base_ < cycle && !used_.empty()) {
      used_.pop_front();
      ++base_;
    }
    if (used_.empty() && base_ < cycle) base_ = cycle;
  }
  std::uint64_t used(std::uint64_t cycle) const {
    return cycle >= base_ && cycle - base_ < used_.size() ? used_[cycle - base_] : 0;
  }
  std::uint64_t stalled() const { return stalled_; }

 private:
  std::uint64_t capacity_, base_ = 0, stalled_ = 0;
  std::deque<std::uint64_t> used_;
};

TEST(BandwidthTimeline, MatchesThePerCycleBookingOnRandomisedBookings) {
  std::mt19937_64 rng(20261122);
  for (int trial = 0; trial < 200; ++trial) {
    const std::uint64_t capacity = std::uniform_int_distribution<std::uint64_t>(1, 300)(rng);
    BandwidthTimeline fast(capacity);
    PerCycleTimeline slow(capacity);
    std::uint64_t now = 0;
    for (int b = 0; b < 60; ++b) {
      if (rng() % 8 == 0) {  // time moves on: the past is retired
        now += rng() % 40;
        fast.retire_before(now);
        slow.retire_before(now);
      }
      const std::uint64_t start = now + rng() % 60;
      const std::uint64_t bytes = rng() % 4 == 0 ? 0 : rng() % 3000;
      const std::uint64_t rate = 1 + rng() % (capacity + 40);
      ASSERT_EQ(fast.reserve(start, bytes, rate), slow.reserve(start, bytes, rate))
          << "trial " << trial << " booking " << b;
      ASSERT_EQ(fast.stalled_cycles(), slow.stalled()) << "trial " << trial << " booking " << b;
    }
    for (std::uint64_t c = now; c < now + 400; ++c)
      ASSERT_EQ(fast.used(c), slow.used(c)) << "trial " << trial << " cycle " << c;
  }
}

}  // namespace
}  // namespace aimcsim::sim
