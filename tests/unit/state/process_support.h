// Child processes for the concurrency and crash tests: fork, talk over a pipe, never hang.
#pragma once

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

namespace m2z::state::testing {

// A forked child running `body` (its return value is the exit code) with a pipe to the parent.
class Child {
 public:
  explicit Child(const std::function<int(int write_fd)>& body) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(fds[0]);
      const int code = body(fds[1]);
      ::close(fds[1]);
      // No destructors, atexit handlers or gtest reporting: they belong to the parent.
      ::_exit(code);
    }
    ::close(fds[1]);
    read_fd_ = fds[0];
  }
  ~Child() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (read_fd_ >= 0) ::close(read_fd_);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool started() const { return pid_ > 0 && read_fd_ >= 0; }
  pid_t pid() const { return pid_; }
  int readFd() const { return read_fd_; }

  // 1: read something, 0: end of file, -1: nothing within timeout_ms.
  int readSome(std::string& into, int timeout_ms) {
    pollfd descriptor{read_fd_, POLLIN, 0};
    const int ready = ::poll(&descriptor, 1, timeout_ms);
    if (ready == 0) return -1;
    if (ready < 0) return 0;
    char buffer[4096];
    const ssize_t got = ::read(read_fd_, buffer, sizeof buffer);
    if (got <= 0) return 0;
    into.append(buffer, static_cast<std::size_t>(got));
    return 1;
  }

  // Everything until the child closes the pipe, or until the deadline.
  std::string readAll(int timeout_seconds) {
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      if (readSome(out, 100) == 0) break;
    }
    return out;
  }

  // The exit code, -1 when killed by a signal, -2 when it outlived the deadline (then killed).
  int wait(int timeout_seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
    for (;;) {
      int status = 0;
      const pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        reaped_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        reaped_ = true;
        return -2;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  void killHard() { ::kill(pid_, SIGKILL); }

 private:
  pid_t pid_ = -1;
  int read_fd_ = -1;
  bool reaped_ = false;
};

inline void writeAll(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t now = ::write(fd, text.data() + written, text.size() - written);
    if (now <= 0) return;
    written += static_cast<std::size_t>(now);
  }
}

}  // namespace m2z::state::testing
