#include "models/sim/completion_queue.h"

#include <stdexcept>

namespace aimcsim::sim {

CompletionQueue::CompletionQueue(const sc_core::sc_module_name& name) : sc_module(name) {
  SC_METHOD(fire);
  sensitive << wake_;
  dont_initialize();
}

void CompletionQueue::at(std::uint64_t ps, std::function<void()> done) {
  const std::uint64_t now = now_ps();
  if (ps < now) throw std::logic_error("CompletionQueue: completion in the past");
  pending_.push(Entry{ps, next_order_++, std::move(done)});
  // A pending notification is replaced only by an earlier one, so the earliest wins.
  wake_.notify(sc_core::sc_time::from_value(pending_.top().ps - now));
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
  while (!pending_.empty() && pending_.top().ps <= now) {
    auto done = std::move(const_cast<Entry&>(pending_.top()).done);
    pending_.pop();
    try {
      done();  // may call at() again
    } catch (...) {
      failure_ = std::current_exception();
      pending_ = {};  // nothing more runs: sc_start returns to rethrow_failure's caller
      return;
    }
  }
  if (!pending_.empty()) wake_.notify(sc_core::sc_time::from_value(pending_.top().ps - now));
}

}  // namespace aimcsim::sim
