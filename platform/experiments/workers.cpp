#include "platform/experiments/workers.h"

#include "models/sim/errors.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <stdexcept>

#include <fmt/format.h>

namespace aimcsim::platform {
namespace {

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(3);  // the parent is gone: nobody to report to
    done += static_cast<std::size_t>(n);
  }
}

// One message: "<item> R<result>" or "- E<why>", a line each (results hold no line breaks).
std::string line_of(const std::string& head, char kind, const std::string& text) {
  std::string line = head + " " + kind;
  for (char c : text) line += c == '\n' ? ' ' : c;
  return line + "\n";
}

[[noreturn]] void child_main(int fd, pid_t parent, const std::function<void(const Emit&)>& job) {
  // Die with the parent: a sweep killed with -9 must not leave workers computing.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(3);  // the parent died before prctl took effect
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  const int null = ::open("/dev/null", O_WRONLY);
  if (null >= 0) {
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
  }
  try {
    job([fd](std::size_t item, const std::string& result) {
      write_all(fd, line_of(std::to_string(item), 'R', result));
    });
  } catch (const std::exception& e) {
    write_all(fd, line_of("-", 'E', e.what()));
  }
  ::close(fd);
  _exit(0);  // no SystemC or static destructors in the child
}

}  // namespace

void Workers::start(std::size_t id, const std::function<void(const Emit&)>& job) {
  int fds[2];
  if (pipe(fds) != 0)
    throw sim::UserError(fmt::format("cannot start a worker: pipe: {}", std::strerror(errno)));
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0)
    throw sim::UserError(fmt::format("cannot start a worker: fork: {}", std::strerror(errno)));
  if (pid == 0) {
    ::close(fds[0]);
    for (const auto& c : running_) ::close(c.fd);
    child_main(fds[1], parent, job);
  }
  ::close(fds[1]);
  running_.push_back({id, pid, fds[0], {}, {}});
}

Ended Workers::reap(Child& c) {
  ::close(c.fd);
  int status = 0;
  while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
  }
  Ended e;
  e.job = c.id;
  if (WIFSIGNALED(status)) {
    e.signalled = true;
    e.why = fmt::format("the worker process was killed by signal {} ({})", WTERMSIG(status),
                        strsignal(WTERMSIG(status)));
  } else if (!c.why.empty()) {
    e.why = c.why;
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    e.why = fmt::format("the worker process exited with code {}",
                        WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  } else {
    e.clean = true;
  }
  return e;
}

void Workers::wait(int timeout_ms, std::vector<WorkerResult>& results, std::vector<Ended>& ended) {
  if (running_.empty()) return;
  std::vector<pollfd> fds;
  for (const auto& c : running_) fds.push_back({c.fd, POLLIN, 0});
  if (poll(fds.data(), fds.size(), timeout_ms) <= 0) return;  // timeout or a signal
  std::vector<Child> still;
  for (std::size_t i = 0; i < running_.size(); ++i) {
    Child& c = running_[i];
    bool closed = false;
    if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[65536];
      const ssize_t n = ::read(c.fd, buf, sizeof buf);
      if (n > 0)
        c.buffer.append(buf, static_cast<std::size_t>(n));
      else if (n == 0 || errno != EINTR)
        closed = true;
    }
    for (std::size_t nl; (nl = c.buffer.find('\n')) != std::string::npos;) {
      const std::string line = c.buffer.substr(0, nl);
      c.buffer.erase(0, nl + 1);
      const std::size_t space = line.find(' ');
      const bool well_formed = space != std::string::npos && space + 1 < line.size();
      if (well_formed && line[space + 1] == 'R' && line[0] != '-') {
        results.push_back(WorkerResult{c.id, std::stoull(line.substr(0, space)), line.substr(space + 2)});
      } else {
        c.why = well_formed ? line.substr(space + 2) : "an unreadable worker reply";
      }
    }
    if (closed)
      ended.push_back(reap(c));
    else
      still.push_back(std::move(c));
  }
  running_ = std::move(still);
}

void Workers::stop_all() {
  for (auto& c : running_) kill(c.pid, SIGTERM);
  for (auto& c : running_) reap(c);
  running_.clear();
}

std::string run_in_child(const std::function<std::string()>& job) {
  Workers one(1);
  one.start(0, [&job](const Emit& emit) { emit(0, job()); });
  std::vector<WorkerResult> results;
  std::vector<Ended> ended;
  while (ended.empty()) one.wait(1000, results, ended);
  if (results.empty())
    throw std::runtime_error(ended.front().why.empty() ? "the worker sent no result"
                                                       : ended.front().why);
  return results.front().text;
}

}  // namespace aimcsim::platform
