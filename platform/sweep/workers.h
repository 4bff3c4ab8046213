// Worker processes: each job runs in a freshly forked child (SystemC elaborates once per
// process, and a crash takes down one job, not the sweep) and sends its result back as text
// through a pipe. The parent never builds a SystemC module. A child's stdout and stderr go
// to /dev/null so that nothing it prints disturbs the progress display.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace aimcsim::sweep {

struct Finished {
  std::size_t id = 0;
  bool ok = false;         // the job returned a result
  std::string text;        // the result, or what went wrong (an exception or a crash)
  bool signalled = false;  // the child was killed by a signal
};

class Workers {
 public:
  explicit Workers(unsigned max) : max_(max == 0 ? 1 : max) {}
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
  ~Workers() { stop_all(); }

  bool has_room() const { return running_.size() < max_; }
  std::size_t running() const { return running_.size(); }

  // Starts job in a new child; it returns its result or throws (the message is sent back).
  void start(std::size_t id, const std::function<std::string()>& job);
  // Waits up to timeout_ms (or until a signal arrives) and returns the jobs that ended.
  std::vector<Finished> wait(int timeout_ms);
  // Kills every running child and reaps it.
  void stop_all();

 private:
  struct Child {
    std::size_t id;
    pid_t pid;
    int fd;
    std::string text;
  };
  Finished reap(Child& c);

  unsigned max_;
  std::vector<Child> running_;
};

// Runs job in one child and waits for it: for work that must not elaborate in this process.
Finished run_in_child(const std::function<std::string()>& job);

}  // namespace aimcsim::sweep
