#include "zimbra/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace m2z::zimbra {

RateLimiter::RateLimiter(double requests_per_second, double burst, WaitClock& clock)
    : rate_(std::isfinite(requests_per_second) ? requests_per_second : 0.0),
      burst_(std::max(1.0, std::isfinite(burst) ? burst : 1.0)),
      tokens_(burst_),
      clock_(&clock),
      refilled_(clock.now()) {}

std::chrono::nanoseconds RateLimiter::acquire() {
  if (!enabled()) return std::chrono::nanoseconds::zero();
  const auto refill = [this] {
    const WaitClock::TimePoint now = clock_->now();
    const double elapsed = std::chrono::duration<double>(now - refilled_).count();
    tokens_ = std::min(burst_, tokens_ + std::max(0.0, elapsed) * rate_);
    refilled_ = now;
  };
  refill();
  std::chrono::nanoseconds waited{0};
  while (tokens_ < 1.0) {
    // Rounded up, so the wait is never a nanosecond short of the token it waits for.
    const auto missing = std::chrono::nanoseconds(static_cast<std::int64_t>(std::ceil((1.0 - tokens_) / rate_ * 1e9)));
    const WaitClock::TimePoint before = clock_->now();
    clock_->sleepFor(missing);
    waited += clock_->now() - before;
    refill();
  }
  tokens_ -= 1.0;
  return waited;
}

}  // namespace m2z::zimbra
