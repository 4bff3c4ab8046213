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
#include <queue>
#include <vector>

namespace aimcsim::sim {

class CompletionQueue : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(CompletionQueue);
  explicit CompletionQueue(const sc_core::sc_module_name& name);

  // What to call at a time: fn(context, arg). A plain function and two words, so that queueing
  // a completion allocates nothing.
  struct Callback {
    void (*fn)(void* context, std::uint64_t arg);
    void* context;
    std::uint64_t arg;
  };
  // Calls done at absolute simulated time ps (>= now).
  void at(std::uint64_t ps, Callback done);
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
    Callback done;
    bool operator>(const Entry& o) const { return ps != o.ps ? ps > o.ps : order > o.order; }
  };
  void fire();
  // Notifies wake_ for ps unless a notification at or before ps is already pending.
  void schedule(std::uint64_t ps, std::uint64_t now);

  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> pending_;
  std::uint64_t next_order_ = 0;
  std::uint64_t wakeups_ = 0;
  std::uint64_t scheduled_ps_ = UINT64_MAX;  // when wake_ fires next (UINT64_MAX: not at all)
  std::exception_ptr failure_;
  sc_core::sc_event wake_;
};

}  // namespace aimcsim::sim
