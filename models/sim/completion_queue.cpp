#include "models/sim/completion_queue.h"

#include <stdexcept>

namespace aimcsim::sim {

CompletionQueue::CompletionQueue(const sc_core::sc_module_name& name) : sc_module(name) {
  SC_METHOD(fire);
  sensitive << wake_;
  dont_initialize();
}

void CompletionQueue::schedule(std::uint64_t ps, std::uint64_t now) {
  // A pending notification is replaced only by an earlier one, so the earliest wins; asking
  // SystemC only when this one is earlier saves a kernel call per queued completion.
  if (scheduled_ps_ != UINT64_MAX && scheduled_ps_ <= ps && scheduled_ps_ >= now) return;
  wake_.notify(sc_core::sc_time::from_value(ps - now));
  scheduled_ps_ = ps;
}

void CompletionQueue::at(std::uint64_t ps, Callback done) {
  const std::uint64_t now = now_ps();
  if (ps < now) throw std::logic_error("CompletionQueue: completion in the past");
  pending_.push(Entry{ps, next_order_++, done});
  schedule(pending_.top().ps, now);
}

void CompletionQueue::rethrow_failure() {
  if (!failure_) return;
  std::exception_ptr failure = failure_;
  failure_ = nullptr;
  std::rethrow_exception(failure);
}

void CompletionQueue::fire() {
  ++wakeups_;
  const std::uint64_t now = now_ps();
  scheduled_ps_ = UINT64_MAX;  // the notification that woke us is spent
  while (!pending_.empty() && pending_.top().ps <= now) {
    const Callback done = pending_.top().done;
    pending_.pop();
    try {
      done.fn(done.context, done.arg);  // may call at() again
    } catch (...) {
      failure_ = std::current_exception();
      pending_ = {};  // nothing more runs: sc_start returns to rethrow_failure's caller
      return;
    }
  }
  if (!pending_.empty()) schedule(pending_.top().ps, now);
}

}  // namespace aimcsim::sim
