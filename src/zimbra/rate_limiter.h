// RateLimiter: a token bucket that spaces the client's requests to a steady rate, so a migration
// stays under the server's denial-of-service filter instead of being rejected by it.
#pragma once

#include <chrono>

#include "zimbra/wait_clock.h"

namespace m2z::zimbra {

class RateLimiter {
 public:
  // At most `burst` requests at once, refilled at `requests_per_second`; a rate <= 0 turns the
  // limiter off. `clock` must outlive the limiter.
  RateLimiter(double requests_per_second, double burst, WaitClock& clock);

  // Waits until a token is there and takes it; returns how long it waited.
  std::chrono::nanoseconds acquire();

  bool enabled() const { return rate_ > 0; }

 private:
  double rate_;
  double burst_;
  double tokens_;
  WaitClock* clock_;
  WaitClock::TimePoint refilled_;
};

}  // namespace m2z::zimbra
