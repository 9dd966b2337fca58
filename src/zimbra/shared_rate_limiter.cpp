#include "zimbra/shared_rate_limiter.h"

#include <map>
#include <utility>

namespace m2z::zimbra {

SharedRateLimiter::SharedRateLimiter(double requests_per_second) : limiter_(requests_per_second, 1.0, clock_) {}

std::shared_ptr<SharedRateLimiter> SharedRateLimiter::forServer(const std::string& url, double requests_per_second) {
  static std::mutex registry_mutex;
  static std::map<std::pair<std::string, double>, std::weak_ptr<SharedRateLimiter>> registry;
  const std::lock_guard<std::mutex> lock(registry_mutex);
  std::weak_ptr<SharedRateLimiter>& slot = registry[{url, requests_per_second}];
  std::shared_ptr<SharedRateLimiter> limiter = slot.lock();
  if (!limiter) {
    limiter = std::make_shared<SharedRateLimiter>(requests_per_second);
    slot = limiter;
  }
  return limiter;
}

std::chrono::nanoseconds SharedRateLimiter::acquire() {
  const auto started = std::chrono::steady_clock::now();
  // Held while waiting for the token: the next caller's wait starts after this one's, which is
  // what spaces the requests of all threads together.
  const std::lock_guard<std::mutex> lock(mutex_);
  (void)limiter_.acquire();
  return std::chrono::steady_clock::now() - started;
}

}  // namespace m2z::zimbra
