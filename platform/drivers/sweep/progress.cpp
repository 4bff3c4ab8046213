#include "platform/drivers/sweep/progress.h"

#include <fmt/format.h>

namespace aimcsim::sweep {

Progress::Progress(std::size_t total, std::size_t resumed, bool terminal, std::ostream& out)
    : total_(total),
      resumed_(resumed),
      terminal_(terminal),
      out_(out),
      start_(std::chrono::steady_clock::now()),
      last_tenth_(total ? resumed * 10 / total : 0) {}

double Progress::elapsed_s() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string Progress::line(std::size_t done, std::size_t failed) const {
  const double elapsed = elapsed_s();
  const std::size_t ran = done - resumed_;
  std::string eta = "ETA --";
  if (ran > 0 && done < total_)
    eta = fmt::format("ETA {:.0f} s",
                      elapsed / static_cast<double>(ran) * static_cast<double>(total_ - done));
  else if (done == total_)
    eta = "done";
  return fmt::format("{}/{} points, {} failed, {:.1f} s, {}", done, total_, failed, elapsed, eta);
}

void Progress::update(std::size_t done, std::size_t failed) {
  if (terminal_) {
    const auto now = std::chrono::steady_clock::now();
    if (done < total_ && drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    constexpr std::size_t kWidth = 30;
    const std::size_t filled = total_ ? done * kWidth / total_ : kWidth;
    out_ << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] "
         << line(done, failed) << "\033[K" << std::flush;
    drawn_ = true;
    return;
  }
  const std::size_t tenth = total_ ? done * 10 / total_ : 10;
  if (tenth == last_tenth_ && done < total_) return;
  if (done == total_ && last_tenth_ == 10) return;
  last_tenth_ = tenth;
  out_ << "sweep: " << line(done, failed) << "\n" << std::flush;
}

void Progress::finish() {
  if (terminal_ && drawn_) out_ << "\n" << std::flush;
}

}  // namespace aimcsim::sweep
