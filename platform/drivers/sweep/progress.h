// Sweep progress on stderr: on a terminal a bar redrawn in place (points done, failures,
// ETA); otherwise a plain line at every tenth of the sweep, so that logs stay readable.
#pragma once

#include <chrono>
#include <cstddef>
#include <ostream>

namespace aimcsim::sweep {

class Progress {
 public:
  // total points, of which `resumed` were finished by an earlier run.
  Progress(std::size_t total, std::size_t resumed, bool terminal, std::ostream& out);

  // done counts every finished point, resumed ones included.
  void update(std::size_t done, std::size_t failed);
  // Ends the bar's line.
  void finish();

  double elapsed_s() const;

 private:
  std::string line(std::size_t done, std::size_t failed) const;

  std::size_t total_, resumed_;
  bool terminal_;
  std::ostream& out_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
  std::size_t last_tenth_ = 0;
  bool drawn_ = false;
};

}  // namespace aimcsim::sweep
