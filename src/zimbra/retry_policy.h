// RetryPolicy: what the client does after a failed exchange — wait and send again, renew its
// token, stop the account for now, or fail the item — decided by the fault code, the transport
// error code and the HTTP status alone, never by the free-text reason.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include "model/result.h"

namespace m2z::zimbra {

// Error code of a call that gave up because the account stayed unavailable longer than
// RetryConfig::max_wait: stop that account cleanly; a later run resumes it (items are looked up
// by UID before they are created, so nothing is written twice).
inline constexpr std::string_view kPausedCode = "account.paused";

enum class FailureKind {
  // The server or the mailbox is unavailable for now (maintenance, overload, restart, DNS):
  // retried for as long as the account's wait budget (max_wait) lasts, whatever the attempt count.
  kUnavailable,
  // This exchange was lost in transit (timeout, dropped connection, gateway timeout,
  // mail.TRY_AGAIN): retried at most max_attempts times, then the item fails.
  kInTransit,
  // The token is no longer accepted: renew it once and send again.
  kAuthExpired,
  // Anything else: the item fails with this reason and the run goes on.
  kPermanent,
};

const char* toString(FailureKind kind);  // "unavailable", "in-transit", "auth-expired", "permanent"

struct RetryConfig {
  // Sends of one request that may fail in transit (kInTransit), the first one included.
  int max_attempts = 5;
  // Full-jitter exponential backoff: the n-th wait of a request is drawn uniformly from
  // [0, min(max_delay, base_delay * 2^(n-1))].
  std::chrono::milliseconds base_delay{500};
  std::chrono::milliseconds max_delay{30'000};
  // How long one account may stay unavailable, counted from the first failure after its last
  // answer, before its calls return kPausedCode. Covers a mailbox backup in maintenance mode.
  std::chrono::seconds max_wait{900};
};

// "" when usable, else what is wrong (for a config.* error).
std::string checkRetryConfig(const RetryConfig& config);

enum class RetryAction {
  kWaitAndRetry,
  kRenewToken,
  kGiveUp,  // fail this request with its own error
  kPause,   // fail this request with kPausedCode
};

struct RetryDecision {
  RetryAction action = RetryAction::kGiveUp;
  std::chrono::milliseconds delay{0};  // kWaitAndRetry only
  std::string reason;                  // for the audit: why it retries, or why it stopped
};

// How one request has fared so far.
struct AttemptHistory {
  int sends = 0;            // including the one that just failed
  int lost_in_transit = 0;  // of those, failures of kind kInTransit
  bool renewed_token = false;
};

class RetryPolicy {
 public:
  // `seed` makes the jitter reproducible (tests); production seeds from std::random_device.
  RetryPolicy(RetryConfig config, std::uint64_t seed);

  // `code` is the Error's code: a Zimbra fault code, or transport.* / soap.* for failures
  // without a fault; `http_status` is 0 when no response arrived. `had_token`: the request
  // carried an auth token (service.AUTH_REQUIRED then means the token was dropped, not missing).
  static FailureKind classify(std::string_view code, int http_status, bool had_token);
  // True when the request may have been carried out although no answer arrived (the
  // connection died after sending, a timeout, a gateway error): before sending it again, look.
  static bool mayHaveTakenEffect(std::string_view code, int http_status);

  // What to do after a failure of `kind`, given the request's history and how long its account
  // has been unavailable (`outage`, 0 when the server answered). Draws from the jitter source.
  RetryDecision decide(FailureKind kind, std::string_view code, const AttemptHistory& history,
                       std::chrono::milliseconds outage);

  // The full-jitter wait before retry `retry` (1 = the first): uniform in [0, ceiling(retry)].
  std::chrono::milliseconds backoff(int retry);
  std::chrono::milliseconds ceiling(int retry) const;

  const RetryConfig& config() const { return config_; }

 private:
  RetryConfig config_;
  std::mt19937_64 random_;
};

}  // namespace m2z::zimbra
