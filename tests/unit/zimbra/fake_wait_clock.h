// A WaitClock that only moves when someone sleeps on it, recording every sleep: retry and rate
// tests run in no real time and see exactly what was waited.
#pragma once

#include <chrono>
#include <vector>

#include "zimbra/wait_clock.h"

namespace m2z::zimbra::testing {

class FakeWaitClock final : public WaitClock {
 public:
  TimePoint now() override { return TimePoint{} + elapsed; }
  void sleepFor(std::chrono::nanoseconds duration) override {
    sleeps.push_back(duration);
    if (duration > std::chrono::nanoseconds::zero()) elapsed += duration;
  }
  // Time passing without a sleep (e.g. a slow exchange).
  void advance(std::chrono::nanoseconds duration) { elapsed += duration; }

  std::chrono::nanoseconds elapsed{std::chrono::hours(1)};  // away from the epoch
  std::vector<std::chrono::nanoseconds> sleeps;
};

}  // namespace m2z::zimbra::testing
