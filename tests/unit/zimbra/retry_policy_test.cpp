// RetryPolicy as a pure function: the classification table, the backoff's bounds and jitter, and
// the decisions at the attempt limit and the wait budget.
#include "zimbra/retry_policy.h"

#include <gtest/gtest.h>

#include <vector>

namespace m2z::zimbra {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RetryPolicy, ClassifiesByCodeAndStatus) {
  struct Case {
    const char* code;
    int status;
    FailureKind kind;
  };
  // The brief's list, with the fault codes as soap.txt spells them: maintenance and "temporarily
  // unavailable" describe the server or the mailbox; timeouts, dropped connections, gateway
  // timeouts and mail.TRY_AGAIN describe one exchange; expired tokens are renewed; the rest is
  // about the request itself and repeating it cannot help.
  const std::vector<Case> cases = {
      {"account.MAINTENANCE_MODE", 500, FailureKind::kUnavailable},
      {"mail.MAINTENANCE", 500, FailureKind::kUnavailable},
      {"service.TEMPORARILY_UNAVAILABLE", 500, FailureKind::kUnavailable},
      {"transport.http", 429, FailureKind::kUnavailable},
      {"transport.http", 502, FailureKind::kUnavailable},
      {"transport.http", 503, FailureKind::kUnavailable},
      {"transport.connect", 0, FailureKind::kUnavailable},  // connection refused
      {"transport.resolve", 0, FailureKind::kUnavailable},  // DNS failure
      {"mail.TRY_AGAIN", 500, FailureKind::kInTransit},
      {"transport.http", 504, FailureKind::kInTransit},
      {"transport.timeout", 0, FailureKind::kInTransit},
      {"transport.io", 0, FailureKind::kInTransit},  // connection reset, nothing received
      {"service.AUTH_EXPIRED", 500, FailureKind::kAuthExpired},
      {"service.AUTH_REQUIRED", 500, FailureKind::kAuthExpired},
      {"mail.NO_SUCH_FOLDER", 500, FailureKind::kPermanent},
      {"service.INVALID_REQUEST", 500, FailureKind::kPermanent},
      {"service.FAILURE", 500, FailureKind::kPermanent},
      {"service.PERM_DENIED", 500, FailureKind::kPermanent},
      {"account.AUTH_FAILED", 500, FailureKind::kPermanent},
      {"transport.http", 404, FailureKind::kPermanent},
      {"transport.http", 500, FailureKind::kPermanent},
      {"transport.tls", 0, FailureKind::kPermanent},  // a certificate problem does not heal
      {"transport.too_large", 200, FailureKind::kPermanent},
      {"soap.malformed", 200, FailureKind::kPermanent},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(RetryPolicy::classify(c.code, c.status, true), c.kind) << c.code << " " << c.status;
  }
  // Without a token in the request (the AuthRequest itself) there is nothing to renew.
  EXPECT_EQ(RetryPolicy::classify("service.AUTH_REQUIRED", 500, false), FailureKind::kPermanent);
  EXPECT_EQ(RetryPolicy::classify("service.AUTH_EXPIRED", 500, false), FailureKind::kPermanent);
  // The status of a SOAP fault does not change what its code says.
  EXPECT_EQ(RetryPolicy::classify("mail.NO_SUCH_FOLDER", 503, true), FailureKind::kPermanent);
}

TEST(RetryPolicy, OnlyLostAnswersMayHaveTakenEffect) {
  EXPECT_TRUE(RetryPolicy::mayHaveTakenEffect("transport.io", 0));
  EXPECT_TRUE(RetryPolicy::mayHaveTakenEffect("transport.timeout", 0));
  EXPECT_TRUE(RetryPolicy::mayHaveTakenEffect("transport.http", 502));
  EXPECT_TRUE(RetryPolicy::mayHaveTakenEffect("transport.http", 504));
  // Refused before anything was done: a 503/429, a refused connection, a fault.
  EXPECT_FALSE(RetryPolicy::mayHaveTakenEffect("transport.http", 503));
  EXPECT_FALSE(RetryPolicy::mayHaveTakenEffect("transport.http", 429));
  EXPECT_FALSE(RetryPolicy::mayHaveTakenEffect("transport.connect", 0));
  EXPECT_FALSE(RetryPolicy::mayHaveTakenEffect("account.MAINTENANCE_MODE", 500));
}

TEST(RetryPolicy, BackoffCeilingDoublesUpToTheCap) {
  RetryConfig config;
  config.base_delay = milliseconds(500);
  config.max_delay = milliseconds(30'000);
  RetryPolicy policy(config, 1);
  // 500 * 2^(n-1): 500, 1000, 2000, 4000, 8000, 16000, then 32000 capped to 30000.
  const std::vector<long> expected = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
  for (std::size_t n = 0; n < expected.size(); ++n) {
    EXPECT_EQ(policy.ceiling(static_cast<int>(n + 1)).count(), expected[n]) << "retry " << n + 1;
  }
  EXPECT_EQ(policy.ceiling(1000).count(), 30000);  // no overflow far out
}

TEST(RetryPolicy, FullJitterSpansZeroToTheCeiling) {
  RetryConfig config;
  config.base_delay = milliseconds(1000);
  config.max_delay = milliseconds(60'000);
  RetryPolicy policy(config, 42);
  // Retry 3: ceiling 4000 ms. Full jitter draws uniformly from [0, 4000]: every draw inside, the
  // extremes approached, the mean near 2000 (the standard error of 2000 draws is about 26 ms).
  long low = 4000, high = 0, sum = 0;
  for (int i = 0; i < 2000; ++i) {
    const long drawn = policy.backoff(3).count();
    ASSERT_GE(drawn, 0);
    ASSERT_LE(drawn, 4000);
    low = std::min(low, drawn);
    high = std::max(high, drawn);
    sum += drawn;
  }
  EXPECT_LT(low, 100);
  EXPECT_GT(high, 3900);
  EXPECT_NEAR(static_cast<double>(sum) / 2000.0, 2000.0, 150.0);
}

TEST(RetryPolicy, SeedMakesTheJitterReproducible) {
  RetryConfig config;
  RetryPolicy a(config, 7), b(config, 7), c(config, 8);
  std::vector<long> from_a, from_b, from_c;
  for (int n = 1; n <= 10; ++n) {
    from_a.push_back(a.backoff(n).count());
    from_b.push_back(b.backoff(n).count());
    from_c.push_back(c.backoff(n).count());
  }
  EXPECT_EQ(from_a, from_b);
  EXPECT_NE(from_a, from_c);
}

TEST(RetryPolicy, ZeroBaseMeansNoWait) {
  RetryConfig config;
  config.base_delay = milliseconds(0);
  config.max_delay = milliseconds(0);
  RetryPolicy policy(config, 1);
  EXPECT_EQ(policy.backoff(5).count(), 0);
}

TEST(RetryPolicy, DecisionsByKind) {
  RetryConfig config;
  config.max_attempts = 3;
  config.base_delay = milliseconds(100);
  config.max_delay = milliseconds(1000);
  config.max_wait = seconds(60);
  RetryPolicy policy(config, 1);

  const RetryDecision permanent = policy.decide(FailureKind::kPermanent, "mail.NO_SUCH_FOLDER", {1, 0, false}, {});
  EXPECT_EQ(permanent.action, RetryAction::kGiveUp);
  EXPECT_NE(permanent.reason.find("mail.NO_SUCH_FOLDER"), std::string::npos);

  EXPECT_EQ(policy.decide(FailureKind::kAuthExpired, "service.AUTH_EXPIRED", {1, 0, false}, {}).action,
            RetryAction::kRenewToken);
  // Once renewed, a second expiry is final: the fresh token is refused too.
  EXPECT_EQ(policy.decide(FailureKind::kAuthExpired, "service.AUTH_EXPIRED", {2, 0, true}, {}).action,
            RetryAction::kGiveUp);

  // In transit: three sends allowed, so the second loss still retries and the third gives up.
  const RetryDecision second = policy.decide(FailureKind::kInTransit, "transport.timeout", {2, 2, false}, {});
  EXPECT_EQ(second.action, RetryAction::kWaitAndRetry);
  EXPECT_LE(second.delay.count(), 200);  // ceiling(2) = 100 * 2
  EXPECT_EQ(policy.decide(FailureKind::kInTransit, "transport.timeout", {3, 3, false}, {}).action, RetryAction::kGiveUp);

  // Unavailable: the attempt limit does not apply, only the budget.
  const RetryDecision many = policy.decide(FailureKind::kUnavailable, "account.MAINTENANCE_MODE", {50, 0, false},
                                           seconds(30));
  EXPECT_EQ(many.action, RetryAction::kWaitAndRetry);
  EXPECT_LE(many.delay.count(), 1000);
  // 100 ms of budget left: the wait is cut to it, so the last attempt falls on the limit.
  const RetryDecision near_end = policy.decide(FailureKind::kUnavailable, "account.MAINTENANCE_MODE",
                                               {50, 0, false}, milliseconds(59'900));
  EXPECT_EQ(near_end.action, RetryAction::kWaitAndRetry);
  EXPECT_LE(near_end.delay.count(), 100);
  const RetryDecision spent =
      policy.decide(FailureKind::kUnavailable, "account.MAINTENANCE_MODE", {51, 0, false}, seconds(60));
  EXPECT_EQ(spent.action, RetryAction::kPause);
  EXPECT_NE(spent.reason.find("pausing"), std::string::npos) << spent.reason;
  // A request lost in transit during a long outage pauses too, before its attempt limit.
  EXPECT_EQ(policy.decide(FailureKind::kInTransit, "transport.io", {1, 1, false}, seconds(61)).action,
            RetryAction::kPause);
}

TEST(RetryPolicy, ConfigIsChecked) {
  EXPECT_EQ(checkRetryConfig(RetryConfig{}), "");
  RetryConfig no_attempts;
  no_attempts.max_attempts = 0;
  EXPECT_NE(checkRetryConfig(no_attempts), "");
  RetryConfig inverted;
  inverted.base_delay = milliseconds(10);
  inverted.max_delay = milliseconds(5);
  EXPECT_NE(checkRetryConfig(inverted), "");
  RetryConfig negative;
  negative.max_wait = seconds(-1);
  EXPECT_NE(checkRetryConfig(negative), "");
}

TEST(RetryPolicy, KindSpelling) {
  EXPECT_STREQ(toString(FailureKind::kUnavailable), "unavailable");
  EXPECT_STREQ(toString(FailureKind::kInTransit), "in-transit");
  EXPECT_STREQ(toString(FailureKind::kAuthExpired), "auth-expired");
  EXPECT_STREQ(toString(FailureKind::kPermanent), "permanent");
}

}  // namespace
}  // namespace m2z::zimbra
