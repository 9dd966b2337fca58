#include "zimbra/wait_clock.h"

#include <thread>

namespace m2z::zimbra {

WaitClock::TimePoint SteadyWaitClock::now() { return std::chrono::steady_clock::now(); }

void SteadyWaitClock::sleepFor(std::chrono::nanoseconds duration) {
  if (duration > std::chrono::nanoseconds::zero()) std::this_thread::sleep_for(duration);
}

}  // namespace m2z::zimbra
