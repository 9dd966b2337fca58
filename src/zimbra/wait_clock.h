// WaitClock: the time source and the sleeping behind retries and rate limiting, so that tests can
// replace real waiting with a clock they advance themselves.
#pragma once

#include <chrono>

namespace m2z::zimbra {

class WaitClock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  virtual ~WaitClock() = default;
  virtual TimePoint now() = 0;
  virtual void sleepFor(std::chrono::nanoseconds duration) = 0;
};

// The steady clock (never jumps with wall-clock changes) and real sleeping.
class SteadyWaitClock final : public WaitClock {
 public:
  TimePoint now() override;
  void sleepFor(std::chrono::nanoseconds duration) override;
};

}  // namespace m2z::zimbra
