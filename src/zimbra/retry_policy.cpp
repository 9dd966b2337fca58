#include "zimbra/retry_policy.h"

#include <algorithm>
#include <array>

namespace m2z::zimbra {

namespace {

// soap.txt lists these as "temporarily unavailable" / "in maintenance" conditions of the server
// or the mailbox; they say nothing about the request itself.
constexpr std::array<std::string_view, 3> kUnavailableFaults = {
    "account.MAINTENANCE_MODE",         // the account's mailbox is in maintenance (backup, move)
    "mail.MAINTENANCE",                 // the mailbox is in maintenance
    "service.TEMPORARILY_UNAVAILABLE",  // the server cannot serve the resource for now
};

// A guard against a clock that never advances (every wait drawn as 0 ms): no request is sent
// more often than this, whatever the budget says.
constexpr int kMaxSendsPerRequest = 1000;

std::string describe(FailureKind kind, std::string_view code) {
  return std::string(toString(kind)) + " (" + std::string(code) + ")";
}

std::string seconds(std::chrono::milliseconds duration) {
  const auto tenths = duration.count() / 100;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " s";
}

}  // namespace

const char* toString(FailureKind kind) {
  switch (kind) {
    case FailureKind::kUnavailable: return "unavailable";
    case FailureKind::kInTransit: return "in-transit";
    case FailureKind::kAuthExpired: return "auth-expired";
    case FailureKind::kPermanent: return "permanent";
  }
  return "permanent";
}

std::string checkRetryConfig(const RetryConfig& config) {
  if (config.max_attempts < 1) return "retry.max_attempts must be at least 1";
  if (config.base_delay.count() < 0) return "retry.base_delay must not be negative";
  if (config.max_delay < config.base_delay) return "retry.max_delay must not be below retry.base_delay";
  if (config.max_wait.count() < 0) return "retry.max_wait must not be negative";
  return {};
}

RetryPolicy::RetryPolicy(RetryConfig config, std::uint64_t seed) : config_(config), random_(seed) {}

FailureKind RetryPolicy::classify(std::string_view code, int http_status, bool had_token) {
  if (std::find(kUnavailableFaults.begin(), kUnavailableFaults.end(), code) != kUnavailableFaults.end()) {
    return FailureKind::kUnavailable;
  }
  // mail.TRY_AGAIN: the server hit a conflict on this very operation (soap.txt lists it without
  // a cause); repeating the request is what it asks for, a bounded number of times.
  if (code == "mail.TRY_AGAIN") return FailureKind::kInTransit;
  if (code == "service.AUTH_EXPIRED") return had_token ? FailureKind::kAuthExpired : FailureKind::kPermanent;
  // Zimbra answers AUTH_REQUIRED, not AUTH_EXPIRED, for a token it no longer knows (server
  // restart, token store cleared): if we sent one, it is as good as expired.
  if (code == "service.AUTH_REQUIRED") return had_token ? FailureKind::kAuthExpired : FailureKind::kPermanent;
  if (code == "transport.connect" || code == "transport.resolve") return FailureKind::kUnavailable;
  if (code == "transport.timeout" || code == "transport.io") return FailureKind::kInTransit;
  if (code == "transport.http") {
    switch (http_status) {
      // 429: too many requests; 503: Zimbra's DoSFilter rejects a client over its rate this
      // way, and so does a mailbox server starting up; 502: a proxy found no server behind it.
      case 429:
      case 502:
      case 503: return FailureKind::kUnavailable;
      // 504: the proxy gave up waiting, which says the request may be slow, not that the
      // server is down; it may also have been carried out (see mayHaveTakenEffect).
      case 504: return FailureKind::kInTransit;
      default: return FailureKind::kPermanent;
    }
  }
  return FailureKind::kPermanent;
}

bool RetryPolicy::mayHaveTakenEffect(std::string_view code, int http_status) {
  if (code == "transport.io" || code == "transport.timeout") return true;
  // A gateway answered for the server, which may have received and carried out the request.
  return code == "transport.http" && (http_status == 502 || http_status == 504);
}

std::chrono::milliseconds RetryPolicy::ceiling(int retry) const {
  std::chrono::milliseconds limit = config_.base_delay;
  for (int i = 1; i < retry && limit < config_.max_delay; ++i) limit *= 2;
  return std::min(limit, config_.max_delay);
}

std::chrono::milliseconds RetryPolicy::backoff(int retry) {
  const std::int64_t top = ceiling(retry).count();
  if (top <= 0) return std::chrono::milliseconds(0);
  std::uniform_int_distribution<std::int64_t> draw(0, top);
  return std::chrono::milliseconds(draw(random_));
}

RetryDecision RetryPolicy::decide(FailureKind kind, std::string_view code, const AttemptHistory& history,
                                  std::chrono::milliseconds outage) {
  RetryDecision decision;
  switch (kind) {
    case FailureKind::kPermanent:
      decision.action = RetryAction::kGiveUp;
      decision.reason = describe(kind, code) + ": not retried";
      return decision;
    case FailureKind::kAuthExpired:
      if (history.renewed_token) {
        decision.action = RetryAction::kGiveUp;
        decision.reason = describe(kind, code) + " again right after renewing the token: giving up";
      } else {
        decision.action = RetryAction::kRenewToken;
        decision.reason = describe(kind, code) + ": renewing the admin token and sending again";
      }
      return decision;
    case FailureKind::kInTransit:
      if (history.lost_in_transit >= config_.max_attempts) {
        decision.action = RetryAction::kGiveUp;
        decision.reason = describe(kind, code) + ": gave up after " + std::to_string(history.sends) + " attempts";
        return decision;
      }
      break;
    case FailureKind::kUnavailable: break;
  }
  const std::chrono::milliseconds budget = config_.max_wait;
  if (outage >= budget || history.sends >= kMaxSendsPerRequest) {
    decision.action = RetryAction::kPause;
    decision.reason = describe(kind, code) + ": unavailable for " + seconds(outage) + ", the limit is " +
                      seconds(budget) + ": pausing the account";
    return decision;
  }
  // Never sleep past the budget: the last attempt is made when the budget runs out.
  decision.action = RetryAction::kWaitAndRetry;
  decision.delay = std::min(backoff(history.sends), budget - outage);
  decision.reason = describe(kind, code) + ": attempt " + std::to_string(history.sends + 1) + " in " +
                    std::to_string(decision.delay.count()) + " ms";
  return decision;
}

}  // namespace m2z::zimbra
