// ZimbraClient's BatchRequest over a scripted transport and a fake clock: one round trip for
// several items, per-item results and faults, whole-batch retries, the look-up after a lost
// answer, and one exchange per item for the audit. Expected answers follow soap.txt ("batch
// requests"): each sub-request carries requestId="n" and its response or soap:Fault carries the
// same requestId back; <BatchRequest xmlns="urn:zimbra" onerror="continue">.
#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "fake_wait_clock.h"
#include "fixtures.h"
#include "zimbra/client.h"
#include "zimbra/shared_rate_limiter.h"

namespace m2z::zimbra {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::authResponse;
using testing::FakeWaitClock;
using testing::RecordingObserver;
using testing::ScriptedTransport;
using testing::soapBody;

constexpr const char* kAccount = "user1@test.local";

ServerConfig config() {
  ServerConfig c;
  c.admin_url = "https://zimbra.test:7071/service/admin/soap";
  c.admin_user = "admin@test.local";
  c.admin_password = "pw-123456";
  c.retry.max_attempts = 3;
  c.retry.base_delay = milliseconds(100);
  c.retry.max_delay = seconds(10);
  c.retry.max_wait = seconds(60);
  c.max_requests_per_second = 0;
  return c;
}

std::string batchResponse(const std::string& inner) {
  return soapBody("<BatchResponse xmlns=\"urn:zimbra\">" + inner + "</BatchResponse>");
}
// A soap:Fault inside a BatchResponse, shaped like a top-level one (soap.txt).
std::string subFault(int id, const std::string& code) {
  return "<soap:Fault requestId=\"" + std::to_string(id) +
         "\"><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code><soap:Reason><soap:Text>no</soap:Text>"
         "</soap:Reason><soap:Detail><Error xmlns=\"urn:zimbra\"><Code>" +
         code + "</Code></Error></soap:Detail></soap:Fault>";
}
std::string setAnswer(int id, const std::string& item) {
  return "<SetAppointmentResponse xmlns=\"urn:zimbraMail\" requestId=\"" + std::to_string(id) + "\" calItemId=\"" +
         item + "\"><default id=\"" + item + "-1\"/></SetAppointmentResponse>";
}
std::string foundAnswer(int id, const std::string& item, const std::string& uid) {
  return "<GetAppointmentResponse xmlns=\"urn:zimbraMail\" requestId=\"" + std::to_string(id) + "\"><appt id=\"" +
         item + "\" l=\"10\" uid=\"" + uid + "\"/></GetAppointmentResponse>";
}

model::Appointment meeting(int n) {
  model::Appointment a = testing::timedMeeting();
  a.uid = "uid-" + std::to_string(n);
  a.provenance.entry_id = std::to_string(2097188 + n);
  a.subject = "Meeting " + std::to_string(n);
  return a;
}

struct Harness {
  ScriptedTransport* transport = nullptr;
  RecordingObserver observer;
  FakeWaitClock clock;
  std::unique_ptr<ZimbraClient> client;

  Harness() {
    auto owned = std::make_unique<ScriptedTransport>();
    transport = owned.get();
    auto created = ZimbraClient::create(config(), std::move(owned), &observer, ClientEnvironment{&clock, 7});
    EXPECT_TRUE(created.ok()) << created.error().describe();
    if (created.ok()) client = std::move(created).value();
    transport->respond(200, authResponse("0_token"));
    EXPECT_TRUE(client->connect().ok());
  }
  std::size_t postsContaining(const std::string& text) const {
    std::size_t n = 0;
    for (const auto& posted : transport->posted) n += posted.body.find(text) != std::string::npos;
    return n;
  }
};

TEST(ZimbraBatch, TagsEachSubRequestAndReadsAnswersByRequestId) {
  EXPECT_EQ(*withRequestId("<GetAppointmentRequest xmlns=\"urn:zimbraMail\" uid=\"u\"/>", 3),
            "<GetAppointmentRequest requestId=\"3\" xmlns=\"urn:zimbraMail\" uid=\"u\"/>");
  EXPECT_EQ(*withRequestId("<NoAttrs/>", 1), "<NoAttrs requestId=\"1\"/>");
  EXPECT_FALSE(withRequestId("no element", 1).ok());
  // Answers come back in any order; the requestId, not the position, says whose they are.
  auto parsed = xml::parse("<BatchResponse xmlns=\"urn:zimbra\"><B requestId=\"2\"/><A requestId=\"1\"/>"
                           "<C requestId=\"x\"/><D requestId=\"9\"/></BatchResponse>",
                           "test");
  ASSERT_TRUE(parsed.ok());
  auto answers = readBatchResponse(*parsed, 3);
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0]->name, "A");
  EXPECT_EQ(answers[1]->name, "B");
  EXPECT_FALSE(answers[2].has_value());
}

TEST(ZimbraBatch, LooksUpSeveralUidsInOneRoundTrip) {
  Harness h;
  // uid-1 found as item 301, uid-2 absent (the server's fault for an unknown UID), uid-3 found.
  h.transport->respond(200, batchResponse(foundAnswer(1, "301", "uid-1") + subFault(2, "mail.NO_SUCH_APPT") +
                                          foundAnswer(3, "303", "uid-3")));
  const model::Provenance p{"/data/a.pst", "/Calendar", "1"};
  auto found = h.client->findAppointmentsByUid(kAccount, {{"uid-1", &p}, {"uid-2", &p}, {"uid-3", &p}});
  ASSERT_EQ(found.size(), 3u);
  ASSERT_TRUE(found[0].ok());
  ASSERT_TRUE(found[0]->has_value());
  EXPECT_EQ((*found[0])->id, "301");
  ASSERT_TRUE(found[1].ok()) << found[1].error().describe();
  EXPECT_FALSE(found[1]->has_value());
  ASSERT_TRUE(found[2].ok());
  EXPECT_EQ((*found[2])->id, "303");

  ASSERT_EQ(h.transport->posted.size(), 2u);  // AuthRequest + one BatchRequest
  const std::string& body = h.transport->posted[1].body;
  EXPECT_NE(body.find("<BatchRequest xmlns=\"urn:zimbra\" onerror=\"continue\">"), std::string::npos);
  EXPECT_NE(body.find("<GetAppointmentRequest requestId=\"1\" xmlns=\"urn:zimbraMail\" uid=\"uid-1\""),
            std::string::npos);
  EXPECT_NE(body.find("requestId=\"3\" xmlns=\"urn:zimbraMail\" uid=\"uid-3\""), std::string::npos);

  // Audit: AuthRequest, the batch, then one exchange per item in request order.
  ASSERT_EQ(h.observer.exchanges.size(), 5u);
  EXPECT_EQ(h.observer.exchanges[1].request_name, "BatchRequest");
  for (int i = 2; i < 5; ++i) EXPECT_EQ(h.observer.exchanges[static_cast<std::size_t>(i)].request_name, "GetAppointmentRequest");
  EXPECT_EQ(h.observer.exchanges[3].outcome, ExchangeOutcome::kFault);
  EXPECT_EQ(h.observer.exchanges[3].fault_code, "mail.NO_SUCH_APPT");
  EXPECT_NE(h.observer.exchanges[4].request_xml.find("uid=\"uid-3\""), std::string::npos);
  EXPECT_NE(h.observer.exchanges[4].response_xml.find("303"), std::string::npos);
}

TEST(ZimbraBatch, APermanentFaultFailsOnlyItsItem) {
  Harness h;
  h.transport->respond(200, batchResponse(setAnswer(1, "401") + subFault(2, "mail.INVALID_REQUEST") +
                                          setAnswer(3, "403")));
  const model::Appointment a = meeting(1), b = meeting(2), c = meeting(3);
  auto written = h.client->setAppointments(kAccount, "10", {&a, &b, &c});
  ASSERT_EQ(written.size(), 3u);
  ASSERT_TRUE(written[0].ok());
  EXPECT_EQ(written[0]->id, "401");
  ASSERT_FALSE(written[1].ok());
  EXPECT_EQ(written[1].error().code, "mail.INVALID_REQUEST");
  EXPECT_NE(written[1].error().context.find("2097190"), std::string::npos);  // names the item (entry 2097188+2)
  ASSERT_TRUE(written[2].ok());
  EXPECT_EQ(written[2]->id, "403");
  EXPECT_EQ(h.transport->posted.size(), 2u);  // nothing was sent again
}

TEST(ZimbraBatch, AWholeBatch503IsRetriedAsABatch) {
  Harness h;
  h.transport->respond(503, "<html>Service Unavailable</html>");
  h.transport->respond(200, batchResponse(setAnswer(1, "501") + setAnswer(2, "502")));
  const model::Appointment a = meeting(1), b = meeting(2);
  auto written = h.client->setAppointments(kAccount, "10", {&a, &b});
  ASSERT_TRUE(written[0].ok() && written[1].ok());
  EXPECT_EQ(written[0]->id, "501");
  EXPECT_EQ(written[1]->id, "502");
  ASSERT_EQ(h.transport->posted.size(), 3u);
  EXPECT_EQ(h.transport->posted[1].body, h.transport->posted[2].body);  // the same batch again
  EXPECT_EQ(h.clock.sleeps.size(), 1u);
}

TEST(ZimbraBatch, ATransientSubFaultResendsOnlyThatItem) {
  Harness h;
  // mail.TRY_AGAIN is transient (RetryPolicy: in transit) and, being an answer, says the item
  // was not stored: it goes again on its own, the others are not resent.
  h.transport->respond(200, batchResponse(setAnswer(1, "601") + subFault(2, "mail.TRY_AGAIN")));
  h.transport->respond(200, soapBody("<SetAppointmentResponse xmlns=\"urn:zimbraMail\" calItemId=\"602\">"
                                     "<default id=\"602-1\"/></SetAppointmentResponse>"));
  const model::Appointment a = meeting(1), b = meeting(2);
  auto written = h.client->setAppointments(kAccount, "10", {&a, &b});
  ASSERT_TRUE(written[0].ok() && written[1].ok());
  EXPECT_EQ(written[1]->id, "602");
  ASSERT_EQ(h.transport->posted.size(), 3u);
  EXPECT_EQ(h.transport->posted[2].body.find("BatchRequest"), std::string::npos);
  EXPECT_NE(h.transport->posted[2].body.find("uid-2"), std::string::npos);
  EXPECT_EQ(h.transport->posted[2].body.find("uid-1"), std::string::npos);
}

TEST(ZimbraBatch, ALostAnswerIsFollowedByLookUpsNotDuplicates) {
  Harness h;
  // The connection dies after the batch went out: the server may have stored it. uid-1 turns
  // out to be there; uid-2 is not, so only uid-2 is sent again.
  h.transport->fail(Error{"transport.io", "connection reset", ""});
  h.transport->respond(200, soapBody("<GetAppointmentResponse xmlns=\"urn:zimbraMail\"><appt id=\"701\" l=\"10\" "
                                     "uid=\"uid-1\"/></GetAppointmentResponse>"));
  h.transport->respond(200, testing::soapFault("mail.NO_SUCH_APPT", "no such appointment"));
  h.transport->respond(200, soapBody("<SetAppointmentResponse xmlns=\"urn:zimbraMail\" calItemId=\"702\">"
                                     "<default id=\"702-1\"/></SetAppointmentResponse>"));
  const model::Appointment a = meeting(1), b = meeting(2);
  auto written = h.client->setAppointments(kAccount, "10", {&a, &b});
  ASSERT_TRUE(written[0].ok()) << written[0].error().describe();
  ASSERT_TRUE(written[1].ok()) << written[1].error().describe();
  EXPECT_EQ(written[0]->id, "701");
  EXPECT_EQ(written[1]->id, "702");
  EXPECT_EQ(h.postsContaining("<BatchRequest"), 1u);
  EXPECT_EQ(h.postsContaining("<SetAppointmentRequest"), 2u);  // the batch, then uid-2 alone
  EXPECT_EQ(h.postsContaining("<GetAppointmentRequest"), 2u);
}

TEST(ZimbraBatch, OneItemGoesAloneAsToday) {
  Harness h;
  h.transport->respond(200, soapBody("<SetAppointmentResponse xmlns=\"urn:zimbraMail\" calItemId=\"801\">"
                                     "<default id=\"801-1\"/></SetAppointmentResponse>"));
  const model::Appointment a = meeting(1);
  auto written = h.client->setAppointments(kAccount, "10", {&a});
  ASSERT_TRUE(written[0].ok());
  EXPECT_EQ(h.postsContaining("BatchRequest"), 0u);
}

TEST(SharedRateLimiter, OneLimiterPerServerAndRate) {
  auto a = SharedRateLimiter::forServer("https://a.test:7071/service/admin/soap", 30);
  auto b = SharedRateLimiter::forServer("https://a.test:7071/service/admin/soap", 30);
  auto c = SharedRateLimiter::forServer("https://c.test:7071/service/admin/soap", 30);
  EXPECT_EQ(a.get(), b.get());
  EXPECT_NE(a.get(), c.get());
}

TEST(SharedRateLimiter, ThreadsTogetherKeepTheRate) {
  // 50 requests/s with a bucket of one: 10 acquisitions by two threads need at least 9 gaps of
  // 20 ms after the first (a lower bound only, so a busy machine cannot make this fail).
  auto limiter = SharedRateLimiter::forServer("https://pace.test:7071/service/admin/soap", 50);
  const auto started = std::chrono::steady_clock::now();
  std::thread other([&] {
    for (int i = 0; i < 5; ++i) (void)limiter->acquire();
  });
  for (int i = 0; i < 5; ++i) (void)limiter->acquire();
  other.join();
  EXPECT_GE(std::chrono::steady_clock::now() - started, milliseconds(175));
}

}  // namespace
}  // namespace m2z::zimbra
