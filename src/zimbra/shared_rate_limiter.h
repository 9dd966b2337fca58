// SharedRateLimiter: one request pace per server for the whole process, so that accounts worked
// on in parallel (run/worker --parallel) together stay under Zimbra's per-client DoS limit.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "zimbra/rate_limiter.h"
#include "zimbra/wait_clock.h"

namespace m2z::zimbra {

class SharedRateLimiter {
 public:
  // The process-wide limiter for this server URL and rate (made on first use, kept while any
  // client holds it). Thread-safe.
  static std::shared_ptr<SharedRateLimiter> forServer(const std::string& url, double requests_per_second);

  explicit SharedRateLimiter(double requests_per_second);
  SharedRateLimiter(const SharedRateLimiter&) = delete;
  SharedRateLimiter& operator=(const SharedRateLimiter&) = delete;

  // Waits for this caller's turn; returns how long it waited, queueing behind others included.
  // Thread-safe: callers take their tokens one after another.
  std::chrono::nanoseconds acquire();

 private:
  std::mutex mutex_;
  SteadyWaitClock clock_;
  RateLimiter limiter_;
};

}  // namespace m2z::zimbra
