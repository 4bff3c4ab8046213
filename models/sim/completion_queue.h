// The event core every engine shares. An engine computes when a job ends at the moment it
// accepts the job (from the next-free times of the resources it books) and registers a
// callback for that instant here; one SC_METHOD fires callbacks in (time, order) order.
// No engine owns a thread, so thousands of tiles cost no stacks. An exception thrown by a
// callback (a user error such as simulated time passing 2^64 ps) stops the queue: the rest is
// dropped, the kernel runs out of events, and rethrow_failure() hands it to the caller of
// sc_start instead of letting SystemC report it as an uncaught exception.
#pragma once

#include <systemc>

#include <cstdint>
#include <exception>
#include <functional>
#include <queue>
#include <vector>

namespace aimcsim::sim {

class CompletionQueue : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(CompletionQueue);
  explicit CompletionQueue(const sc_core::sc_module_name& name);

  // Calls done at absolute simulated time ps (>= now).
  void at(std::uint64_t ps, std::function<void()> done);
  static std::uint64_t now_ps() { return sc_core::sc_time_stamp().value(); }
  bool idle() const { return pending_.empty(); }
  // Rethrows the exception a callback threw since the last call, if any.
  void rethrow_failure();
  // Times the kernel woke this queue (timed events processed), since elaboration.
  std::uint64_t wakeups() const { return wakeups_; }

 private:
  struct Entry {
    std::uint64_t ps;
    std::uint64_t order;
    std::function<void()> done;
    bool operator>(const Entry& o) const { return ps != o.ps ? ps > o.ps : order > o.order; }
  };
  void fire();

  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> pending_;
  std::uint64_t next_order_ = 0;
  std::uint64_t wakeups_ = 0;
  std::exception_ptr failure_;
  sc_core::sc_event wake_;
};

}  // namespace aimcsim::sim
