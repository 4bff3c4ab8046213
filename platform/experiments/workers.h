// Worker processes: each job runs in a freshly forked child (SystemC elaborates once per
// process, and a crash takes down one job, not the sweep) and sends its results back through
// a pipe, one line per result ("<item> R<text>"), as each is ready; a job may report several
// items (the points of one platform). The parent never builds a SystemC module. A child's
// stdout and stderr go to /dev/null so that nothing it prints disturbs the progress display,
// and a child dies with its parent (even after kill -9 of the parent).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace aimcsim::platform {

// Called by a job for each item it finishes: the item's id and its result (one line of text).
using Emit = std::function<void(std::size_t item, const std::string& result)>;

struct WorkerResult {  // one item's result, as it arrived
  std::size_t job = 0, item = 0;
  std::string text;
};

struct Ended {  // a job whose process has ended
  std::size_t job = 0;
  bool clean = false;      // exited normally after returning
  bool signalled = false;  // killed by a signal
  std::string why;         // when not clean: an exception's message, or how the process died
};

class Workers {
 public:
  explicit Workers(unsigned max) : max_(max == 0 ? 1 : max) {}
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
  ~Workers() { stop_all(); }

  bool has_room() const { return running_.size() < max_; }
  std::size_t running() const { return running_.size(); }

  // Starts job in a new child; it emits its items' results and returns, or throws (the message
  // is sent back as the job's `why`).
  void start(std::size_t id, const std::function<void(const Emit&)>& job);
  // Waits up to timeout_ms (or until a signal arrives); returns the results that arrived and
  // the jobs that ended (after their results).
  void wait(int timeout_ms, std::vector<WorkerResult>& results, std::vector<Ended>& ended);
  // Kills every running child and reaps it.
  void stop_all();

 private:
  struct Child {
    std::size_t id;
    pid_t pid;
    int fd;
    std::string buffer;  // bytes received, not yet a whole line
    std::string why;     // a failure the child reported
  };
  Ended reap(Child& c);

  unsigned max_;
  std::vector<Child> running_;
};

// Runs job in one child and waits for it; returns the result of item 0 (a UserError-free
// probe), or throws std::runtime_error when the child failed.
std::string run_in_child(const std::function<std::string()>& job);

}  // namespace aimcsim::platform
