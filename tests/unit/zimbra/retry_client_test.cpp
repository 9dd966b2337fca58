// ZimbraClient's retries over a scripted transport and a fake clock (no real waiting): what is
// resent, what is reported, when the account is paused, and the look-up before resending a
// SetAppointmentRequest whose answer was lost.
#include <gtest/gtest.h>

#include <memory>
#include <numeric>

#include "fake_wait_clock.h"
#include "fixtures.h"
#include "zimbra/client.h"

namespace m2z::zimbra {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;
using testing::authResponse;
using testing::FakeWaitClock;
using testing::RecordingObserver;
using testing::ScriptedTransport;
using testing::soapBody;
using testing::soapFault;

constexpr const char* kAccount = "user1@test.local";
const std::string kUrl = "https://zimbra.test:7071/service/admin/soap";

ServerConfig config() {
  ServerConfig c;
  c.admin_url = kUrl;
  c.admin_user = "admin@test.local";
  c.admin_password = "pw-123456";
  c.retry.max_attempts = 3;
  c.retry.base_delay = milliseconds(100);
  c.retry.max_delay = seconds(10);
  c.retry.max_wait = seconds(60);
  c.max_requests_per_second = 0;
  return c;
}

std::string maintenanceFault() { return soapFault("account.MAINTENANCE_MODE", "account is in maintenance mode"); }
std::string setResponse(const std::string& id) {
  return soapBody("<SetAppointmentResponse xmlns=\"urn:zimbraMail\" calItemId=\"" + id + "\"><default id=\"" + id +
                  "-1\"/></SetAppointmentResponse>");
}
std::string emptyLookup() { return soapBody("<GetAppointmentResponse xmlns=\"urn:zimbraMail\"/>"); }

struct Harness {
  ScriptedTransport* transport = nullptr;
  RecordingObserver observer;
  FakeWaitClock clock;
  std::unique_ptr<ZimbraClient> client;

  explicit Harness(ServerConfig c = config()) {
    auto owned = std::make_unique<ScriptedTransport>();
    transport = owned.get();
    auto created = ZimbraClient::create(std::move(c), std::move(owned), &observer, ClientEnvironment{&clock, 99});
    EXPECT_TRUE(created.ok()) << created.error().describe();
    if (created.ok()) client = std::move(created).value();
  }
  void connect() {
    transport->respond(200, authResponse("0_token"));
    ASSERT_TRUE(client->connect().ok());
  }
  nanoseconds slept() const { return std::accumulate(clock.sleeps.begin(), clock.sleeps.end(), nanoseconds(0)); }
  std::size_t postsContaining(const std::string& text) const {
    std::size_t n = 0;
    for (const auto& posted : transport->posted) n += posted.body.find(text) != std::string::npos;
    return n;
  }
};

TEST(ZimbraClientRetry, UnavailableIsRetriedWithBackoffUntilItAnswers) {
  Harness h;
  h.connect();
  h.transport->respond(503, "<html>Service Unavailable</html>");
  h.transport->respond(503, "<html>Service Unavailable</html>");
  h.transport->respond(200, emptyLookup());
  auto found = h.client->findAppointmentByUid(kAccount, "u1");
  ASSERT_TRUE(found.ok()) << found.error().describe();
  EXPECT_FALSE(found->has_value());

  ASSERT_EQ(h.observer.exchanges.size(), 4u);  // the AuthRequest, then three sends
  for (int i = 1; i <= 3; ++i) {
    const Exchange& exchange = h.observer.exchanges[i];
    EXPECT_EQ(exchange.request_name, "GetAppointmentRequest");
    EXPECT_EQ(exchange.attempt, i);
    EXPECT_EQ(exchange.will_retry, i < 3);
  }
  EXPECT_EQ(h.observer.exchanges[1].http_status, 503);
  EXPECT_NE(h.observer.exchanges[1].retry_reason.find("unavailable (transport.http)"), std::string::npos)
      << h.observer.exchanges[1].retry_reason;
  EXPECT_TRUE(h.observer.exchanges[3].retry_reason.empty());
  // Two waits, each within its full-jitter ceiling (100 ms, then 200 ms), reported as waited.
  ASSERT_EQ(h.clock.sleeps.size(), 2u);
  EXPECT_LE(h.clock.sleeps[0], milliseconds(100));
  EXPECT_LE(h.clock.sleeps[1], milliseconds(200));
  EXPECT_EQ(h.observer.exchanges[1].retry_delay_ms, std::chrono::duration_cast<milliseconds>(h.clock.sleeps[0]).count());
  EXPECT_EQ(h.client->stats().backoff_waited, std::chrono::duration_cast<milliseconds>(h.slept()));
  EXPECT_EQ(h.client->stats().retries, 2);
  EXPECT_EQ(h.client->stats().requests_sent, 4);
}

TEST(ZimbraClientRetry, MaintenanceOutlastingTheBudgetPausesTheAccount) {
  Harness h;
  h.connect();
  for (int i = 0; i < 200; ++i) h.transport->respond(500, maintenanceFault());
  const model::Appointment meeting = testing::timedMeeting();
  auto paused = h.client->setAppointment(kAccount, "10", meeting);
  ASSERT_FALSE(paused.ok());
  EXPECT_EQ(paused.error().code, kPausedCode);
  EXPECT_NE(paused.error().context.find("2097188"), std::string::npos);  // names the item
  EXPECT_NE(paused.error().message.find(kAccount), std::string::npos);   // and the account
  EXPECT_NE(paused.error().message.find("account.MAINTENANCE_MODE"), std::string::npos);
  // The budget is 60 s and the last wait is cut to what is left: exactly 60 s were waited (on
  // the fake clock, which only moves when the client sleeps).
  EXPECT_EQ(h.slept(), seconds(60));
  // Waits of at most 10 s each need at least 6 of them, so at least 7 sends; all reported.
  const std::size_t sends = h.transport->posted.size() - 1;
  EXPECT_GE(sends, 7u);
  EXPECT_EQ(h.observer.exchanges.size(), sends + 1);
  EXPECT_FALSE(h.observer.exchanges.back().will_retry);
  // A fault the server answered: nothing was stored, so no look-up either.
  EXPECT_EQ(h.postsContaining("<GetAppointmentRequest"), 0u);

  // Still in maintenance: the next call tries once and pauses at once.
  const std::size_t before = h.transport->posted.size();
  auto again = h.client->findAppointmentByUid(kAccount, "u2");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, kPausedCode);
  EXPECT_EQ(h.transport->posted.size(), before + 1);
}

TEST(ZimbraClientRetry, AnAnswerEndsTheOutage) {
  ServerConfig c = config();
  c.retry.max_wait = seconds(1);
  c.retry.base_delay = milliseconds(1000);
  Harness h(c);
  h.connect();
  h.transport->respond(500, maintenanceFault());
  h.transport->respond(200, emptyLookup());
  ASSERT_TRUE(h.client->findAppointmentByUid(kAccount, "u1").ok());
  // A fresh outage gets a fresh budget: one wait, then the answer.
  h.clock.advance(seconds(3600));
  h.transport->respond(500, maintenanceFault());
  h.transport->respond(200, emptyLookup());
  auto found = h.client->findAppointmentByUid(kAccount, "u1");
  ASSERT_TRUE(found.ok()) << found.error().describe();
  EXPECT_EQ(h.clock.sleeps.size(), 2u);
}

TEST(ZimbraClientRetry, LostInTransitGivesUpAtTheAttemptLimit) {
  Harness h;  // max_attempts 3
  h.connect();
  for (int i = 0; i < 3; ++i) h.transport->fail(Error{"transport.timeout", "Timeout was reached", kUrl});
  auto found = h.client->findAppointmentByUid(kAccount, "u1");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, "transport.timeout");
  EXPECT_EQ(h.transport->posted.size(), 4u);
  EXPECT_EQ(h.clock.sleeps.size(), 2u);
  const Exchange& last = h.observer.exchanges.back();
  EXPECT_EQ(last.attempt, 3);
  EXPECT_FALSE(last.will_retry);
  EXPECT_NE(last.retry_reason.find("gave up after 3 attempts"), std::string::npos) << last.retry_reason;
}

TEST(ZimbraClientRetry, PermanentFaultIsNotRetried) {
  Harness h;
  h.connect();
  h.transport->respond(500, soapFault("mail.NO_SUCH_FOLDER", "no such folder id: 999"));
  auto created = h.client->setAppointment(kAccount, "999", testing::timedMeeting());
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, "mail.NO_SUCH_FOLDER");
  EXPECT_EQ(h.transport->posted.size(), 2u);
  EXPECT_TRUE(h.clock.sleeps.empty());
  EXPECT_FALSE(h.observer.exchanges.back().will_retry);
  EXPECT_NE(h.observer.exchanges.back().retry_reason.find("permanent"), std::string::npos);
}

TEST(ZimbraClientRetry, AuthRequiredAfterHavingATokenRenewsIt) {
  Harness h;
  h.connect();
  h.transport->respond(500, soapFault("service.AUTH_REQUIRED", "no valid authtoken present"));
  h.transport->respond(200, authResponse("0_renewed"));
  h.transport->respond(200, emptyLookup());
  ASSERT_TRUE(h.client->findAppointmentByUid(kAccount, "u1").ok());
  EXPECT_EQ(h.client->authToken(), "0_renewed");
  EXPECT_EQ(h.client->stats().token_renewals, 1);
  EXPECT_TRUE(h.clock.sleeps.empty());  // a renewal is not a backoff
  EXPECT_NE(h.transport->posted[3].body.find("<authToken>0_renewed</authToken>"), std::string::npos);
}

TEST(ZimbraClientRetry, RenewalDuringMaintenanceKeepsTheClientConnected) {
  ServerConfig c = config();
  c.retry.max_wait = seconds(0);  // pause at the first unavailable answer
  Harness h(c);
  h.connect();
  h.transport->respond(500, soapFault("service.AUTH_EXPIRED", "expired"));
  h.transport->respond(503, "busy");  // the renewal's AuthRequest
  auto paused = h.client->findAppointmentByUid(kAccount, "u1");
  ASSERT_FALSE(paused.ok());
  EXPECT_EQ(paused.error().code, kPausedCode);  // counted against the account it was for
  EXPECT_TRUE(h.client->connected());
}

TEST(ZimbraClientRetry, LostSetAppointmentThatWasStoredIsFoundNotResent) {
  Harness h;
  h.connect();
  const model::Appointment meeting = testing::timedMeeting();
  h.transport->fail(Error{"transport.io", "Connection died", kUrl});
  h.transport->respond(200, soapBody("<GetAppointmentResponse xmlns=\"urn:zimbraMail\"><appt uid=\"" + meeting.uid +
                                     "\" id=\"400\" l=\"10\"><inv id=\"401\"/></appt></GetAppointmentResponse>"));
  auto created = h.client->setAppointment(kAccount, "10", meeting);
  ASSERT_TRUE(created.ok()) << created.error().describe();
  EXPECT_EQ(*created, (ItemRef{"400", "10", "401", std::nullopt}));
  EXPECT_EQ(h.postsContaining("<SetAppointmentRequest"), 1u);
  EXPECT_EQ(h.postsContaining("<GetAppointmentRequest xmlns=\"urn:zimbraMail\" uid=\"" + meeting.uid + "\"/>"), 1u);
  EXPECT_TRUE(h.observer.exchanges[1].will_retry);
  EXPECT_EQ(h.clock.sleeps.size(), 1u);  // waited before looking
}

TEST(ZimbraClientRetry, LostSetAppointmentThatWasNotStoredIsResent) {
  Harness h;
  h.connect();
  h.transport->respond(504, "<html>Gateway Timeout</html>");
  h.transport->respond(500, soapFault("mail.NO_SUCH_APPT", "no such appointment"));
  h.transport->respond(200, setResponse("500"));
  auto created = h.client->setAppointment(kAccount, "10", testing::timedMeeting());
  ASSERT_TRUE(created.ok()) << created.error().describe();
  EXPECT_EQ(created->id, "500");
  ASSERT_EQ(h.transport->posted.size(), 4u);
  EXPECT_NE(h.transport->posted[2].body.find("<GetAppointmentRequest"), std::string::npos);
  EXPECT_NE(h.transport->posted[3].body.find("<SetAppointmentRequest"), std::string::npos);
  EXPECT_EQ(h.observer.exchanges[3].attempt, 2);  // the resend is the request's second attempt
}

TEST(ZimbraClientRetry, RefusedSetAppointmentIsResentWithoutLooking) {
  Harness h;
  h.connect();
  h.transport->respond(503, "<html>Service Unavailable</html>");  // refused before anything was done
  h.transport->respond(200, setResponse("600"));
  auto created = h.client->setAppointment(kAccount, "10", testing::timedMeeting());
  ASSERT_TRUE(created.ok()) << created.error().describe();
  EXPECT_EQ(h.postsContaining("<GetAppointmentRequest"), 0u);
  EXPECT_EQ(h.postsContaining("<SetAppointmentRequest"), 2u);
}

TEST(ZimbraClientRetry, ConnectRidesOutARefusedConnection) {
  Harness h;
  h.transport->fail(Error{"transport.connect", "Couldn't connect to server", kUrl});
  h.transport->respond(200, authResponse("0_t"));
  ASSERT_TRUE(h.client->connect().ok());
  EXPECT_EQ(h.observer.exchanges.size(), 2u);
  EXPECT_EQ(h.observer.exchanges[1].attempt, 2);
}

TEST(ZimbraClientRetry, ConnectGivesUpWithTheCauseWhenTheServerStaysDown) {
  ServerConfig c = config();
  c.retry.max_wait = seconds(5);
  Harness h(c);
  for (int i = 0; i < 200; ++i) h.transport->fail(Error{"transport.connect", "Couldn't connect to server", kUrl});
  Status connected = h.client->connect();
  ASSERT_FALSE(connected.ok());
  // No account to pause: the cause itself, saying how long it was tried.
  EXPECT_EQ(connected.error().code, "transport.connect");
  EXPECT_NE(connected.error().message.find("retry.max_wait"), std::string::npos) << connected.error().message;
  EXPECT_EQ(h.slept(), seconds(5));
  EXPECT_FALSE(h.client->connected());
}

TEST(ZimbraClientRetry, RateLimitPacesEverySend) {
  ServerConfig c = config();
  c.max_requests_per_second = 10;
  Harness h(c);
  h.connect();
  for (int i = 0; i < 4; ++i) h.transport->respond(200, emptyLookup());
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(h.client->findAppointmentByUid(kAccount, "u").ok());
  // Five sends at 10 per second on a clock that only moves when waiting: four waits of 100 ms.
  EXPECT_EQ(h.clock.sleeps.size(), 4u);
  EXPECT_GE(h.client->stats().rate_limit_waited, milliseconds(399));
  EXPECT_LE(h.slept(), milliseconds(400) + std::chrono::microseconds(4));
}

TEST(ZimbraClientRetry, RetrySettingsAreChecked) {
  ServerConfig bad_retry = config();
  bad_retry.retry.max_attempts = 0;
  auto refused = ZimbraClient::create(bad_retry, std::make_unique<ScriptedTransport>());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "config.retry");
  ServerConfig bad_rate = config();
  bad_rate.max_requests_per_second = -1;
  auto negative = ZimbraClient::create(bad_rate, std::make_unique<ScriptedTransport>());
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().code, "config.rate");
}

}  // namespace
}  // namespace m2z::zimbra
