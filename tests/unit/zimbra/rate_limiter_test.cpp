// RateLimiter on a fake clock: the pacing Zimbra's DoSFilter accepts, bursts, and "off".
#include "zimbra/rate_limiter.h"

#include <gtest/gtest.h>

#include <vector>

#include "fake_wait_clock.h"

namespace m2z::zimbra {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;
using testing::FakeWaitClock;

std::vector<nanoseconds> acquireTimes(RateLimiter& limiter, FakeWaitClock& clock, int count) {
  std::vector<nanoseconds> times;
  for (int i = 0; i < count; ++i) {
    limiter.acquire();
    times.push_back(clock.elapsed);
  }
  return times;
}

TEST(RateLimiter, StaysWithinTheDosFiltersWindow) {
  FakeWaitClock clock;
  RateLimiter limiter(30, 1, clock);
  const nanoseconds start = clock.elapsed;
  const auto times = acquireTimes(limiter, clock, 91);
  // Jetty's DoSFilter (behind zimbraHttpDosFilterMaxRequestsPerSec = 30) keeps the times of the
  // last 30 requests and rejects a request when the one 30 before it is less than 1 s old: so
  // request k and request k-30 must lie at least 1 s apart.
  for (std::size_t k = 30; k < times.size(); ++k) {
    EXPECT_GE(times[k] - times[k - 30], seconds(1)) << "request " << k;
  }
  // And no slower than the rate: the first goes at once, the 91st after 90/30 = 3 s (the waits
  // are rounded up to whole nanoseconds, hence the microsecond of slack).
  EXPECT_EQ(times[0], start);
  EXPECT_LE(times[90] - start, seconds(3) + std::chrono::microseconds(1));
}

TEST(RateLimiter, IdleTimeDoesNotBuildABurstBeyondTheBucket) {
  FakeWaitClock clock;
  RateLimiter limiter(10, 1, clock);
  limiter.acquire();
  clock.advance(seconds(10));  // idle for 10 s: the bucket still holds one token only
  EXPECT_EQ(limiter.acquire(), nanoseconds::zero());
  const nanoseconds waited = limiter.acquire();
  EXPECT_GE(waited, milliseconds(100));  // 1/10 s
  EXPECT_LE(waited, milliseconds(100) + std::chrono::microseconds(1));
}

TEST(RateLimiter, BurstGoesAtOnceThenPaces) {
  FakeWaitClock clock;
  RateLimiter limiter(4, 5, clock);
  const nanoseconds start = clock.elapsed;
  const auto times = acquireTimes(limiter, clock, 7);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(times[i], start) << i;
  EXPECT_GE(times[5] - start, milliseconds(250));  // 1/4 s for the sixth token
  EXPECT_GE(times[6] - start, milliseconds(500));
}

TEST(RateLimiter, ZeroRateIsOff) {
  FakeWaitClock clock;
  RateLimiter limiter(0, 1, clock);
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 1000; ++i) limiter.acquire();
  EXPECT_TRUE(clock.sleeps.empty());
}

}  // namespace
}  // namespace m2z::zimbra
