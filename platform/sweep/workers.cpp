#include "platform/sweep/workers.h"

#include "models/sim/errors.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>

#include <fmt/format.h>

namespace aimcsim::sweep {
namespace {

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

[[noreturn]] void child_main(int fd, const std::function<std::string()>& job) {
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  const int null = ::open("/dev/null", O_WRONLY);
  if (null >= 0) {
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
  }
  std::string reply;
  try {
    reply = "R" + job();
  } catch (const std::exception& e) {
    reply = std::string("E") + e.what();
  }
  write_all(fd, reply);
  ::close(fd);
  _exit(0);  // no SystemC or static destructors in the child
}

}  // namespace

void Workers::start(std::size_t id, const std::function<std::string()>& job) {
  int fds[2];
  if (pipe(fds) != 0)
    throw sim::UserError(fmt::format("cannot start a worker: pipe: {}", std::strerror(errno)));
  const pid_t pid = fork();
  if (pid < 0)
    throw sim::UserError(fmt::format("cannot start a worker: fork: {}", std::strerror(errno)));
  if (pid == 0) {
    ::close(fds[0]);
    for (const auto& c : running_) ::close(c.fd);
    child_main(fds[1], job);
  }
  ::close(fds[1]);
  running_.push_back({id, pid, fds[0], {}});
}

Finished Workers::reap(Child& c) {
  ::close(c.fd);
  int status = 0;
  while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
  }
  Finished f;
  f.id = c.id;
  if (WIFSIGNALED(status)) {
    f.signalled = true;
    f.text = fmt::format("the worker process was killed by signal {} ({})", WTERMSIG(status),
                         strsignal(WTERMSIG(status)));
  } else if (c.text.empty()) {
    f.text = fmt::format("the worker process exited with code {} and no result",
                         WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  } else {
    f.ok = c.text[0] == 'R';
    f.text = c.text.substr(1);
  }
  return f;
}

std::vector<Finished> Workers::wait(int timeout_ms) {
  std::vector<Finished> done;
  if (running_.empty()) return done;
  std::vector<pollfd> fds;
  for (const auto& c : running_) fds.push_back({c.fd, POLLIN, 0});
  if (poll(fds.data(), fds.size(), timeout_ms) <= 0) return done;  // timeout or a signal
  std::vector<Child> still;
  for (std::size_t i = 0; i < running_.size(); ++i) {
    Child& c = running_[i];
    bool ended = false;
    if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[65536];
      const ssize_t n = ::read(c.fd, buf, sizeof buf);
      if (n > 0)
        c.text.append(buf, static_cast<std::size_t>(n));
      else if (n == 0 || errno != EINTR)
        ended = true;
    }
    if (ended)
      done.push_back(reap(c));
    else
      still.push_back(std::move(c));
  }
  running_ = std::move(still);
  return done;
}

void Workers::stop_all() {
  for (auto& c : running_) kill(c.pid, SIGTERM);
  for (auto& c : running_) reap(c);
  running_.clear();
}

Finished run_in_child(const std::function<std::string()>& job) {
  Workers one(1);
  one.start(0, job);
  for (;;) {
    auto done = one.wait(1000);
    if (!done.empty()) return done.front();
  }
}

}  // namespace aimcsim::sweep
