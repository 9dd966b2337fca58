// Dry run: every request built, validated and reported as "dry-run", nothing sent, and answers
// that let a pipeline run through (nothing found, synthetic ids).
#include <gtest/gtest.h>

#include <memory>

#include "fixtures.h"
#include "zimbra/client.h"
#include "zimbra/dry_run_transport.h"

namespace m2z::zimbra {
namespace {

using testing::RecordingObserver;

// Counts posts into a counter the test owns (the client drops a transport given in dry-run mode).
class CountingTransport final : public Transport {
 public:
  explicit CountingTransport(int& posts) : posts_(posts) {}
  Result<HttpResponse> post(const std::string& url, std::string_view, const std::vector<HttpHeader>&) override {
    ++posts_;
    return Error{"transport.failed", "a dry run must not post", url};
  }

 private:
  int& posts_;
};

constexpr const char* kAccount = "user1@test.local";

ServerConfig dryRun() {
  ServerConfig c;
  c.admin_url = "https://zimbra.test:7071/service/admin/soap";
  c.admin_user = "admin@test.local";
  c.admin_password = "pw-dry-123";
  c.dry_run = true;
  return c;
}

TEST(DryRun, RunsThroughWithoutSendingAnything) {
  int posts = 0;
  RecordingObserver observer;
  auto client = ZimbraClient::create(dryRun(), std::make_unique<CountingTransport>(posts), &observer);
  ASSERT_TRUE(client.ok()) << client.error().describe();
  ZimbraClient& c = **client;
  ASSERT_TRUE(c.connect().ok());
  EXPECT_TRUE(c.dryRun());
  EXPECT_EQ(c.authToken(), kDryRunToken);

  auto folder = c.createFolder(kAccount, "1", "Migrated");
  ASSERT_TRUE(folder.ok()) << folder.error().describe();
  // 257 is the first id a fresh Zimbra mailbox hands out (the test server README: "ids from 257").
  EXPECT_EQ(*folder, (ItemRef{"dry-run-257", "1", "", std::nullopt}));
  const model::Appointment meeting = testing::timedMeeting();
  auto found = c.findAppointmentByUid(kAccount, meeting.uid);
  ASSERT_TRUE(found.ok()) << found.error().describe();
  EXPECT_FALSE(found->has_value());
  auto created = c.setAppointment(kAccount, folder->id, meeting);
  ASSERT_TRUE(created.ok()) << created.error().describe();
  EXPECT_EQ(*created, (ItemRef{"dry-run-258", "dry-run-257", "dry-run-259", std::nullopt}));

  EXPECT_EQ(posts, 0);  // the given transport is never used
  EXPECT_EQ(c.stats().requests_sent, 0);
  ASSERT_EQ(observer.exchanges.size(), 4u);
  const char* names[] = {"AuthRequest", "CreateFolderRequest", "GetAppointmentRequest", "SetAppointmentRequest"};
  for (std::size_t i = 0; i < 4; ++i) {
    const Exchange& exchange = observer.exchanges[i];
    EXPECT_EQ(exchange.request_name, names[i]);
    EXPECT_EQ(exchange.outcome, ExchangeOutcome::kDryRun);
    EXPECT_STREQ(toString(exchange.outcome), "dry-run");
    EXPECT_FALSE(exchange.sent);
    EXPECT_EQ(exchange.http_status, 0);
    EXPECT_TRUE(exchange.response_xml.empty());
    EXPECT_NE(exchange.request_xml.find(std::string("<") + names[i]), std::string::npos);
  }
  // The audit still learns which secrets the envelopes hold.
  EXPECT_EQ(observer.exchanges[0].secrets, (std::vector<std::string>{"pw-dry-123"}));
  ASSERT_TRUE(observer.exchanges[3].source.has_value());
  EXPECT_EQ(observer.exchanges[3].source->entry_id, "2097188");
}

TEST(DryRun, NeedsNoTransportAndNoNetwork) {
  // The URL's host does not exist: a dry run never resolves it.
  ServerConfig c = dryRun();
  c.admin_url = "https://no-such-host.invalid:7071/service/admin/soap";
  RecordingObserver observer;
  auto client = ZimbraClient::create(c, &observer);
  ASSERT_TRUE(client.ok()) << client.error().describe();
  ASSERT_TRUE((*client)->connect().ok());
  EXPECT_EQ(observer.exchanges.back().outcome, ExchangeOutcome::kDryRun);
}

TEST(DryRun, InvalidRequestsAreStillRefused) {
  // testdata/zimbra/strict-schemas requires GetAppointmentRequest/@id, which a by-uid look-up
  // lacks (the same schema client_test.cpp uses): validation runs in a dry run too.
  ServerConfig c = dryRun();
  c.schema_dir = std::string(M2Z_SOURCE_DIR) + "/testdata/zimbra/strict-schemas";
  RecordingObserver observer;
  auto client = ZimbraClient::create(c, &observer);
  ASSERT_TRUE(client.ok()) << client.error().describe();
  ASSERT_TRUE((*client)->connect().ok());
  auto found = (*client)->findAppointmentByUid(kAccount, "u1");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().code, "request.invalid");
  EXPECT_EQ(observer.exchanges.back().outcome, ExchangeOutcome::kInvalidRequest);
}

TEST(DryRunTransport, AnswersLikeAnEmptyMailbox) {
  DryRunTransport transport;
  const auto post = [&](const std::string& body) {
    return transport.post("https://x", buildEnvelope(RequestContext{"tok", kAccount}, body), {});
  };
  // A search finds nothing; look-ups by UID fault as Zimbra does for a missing item; rules and
  // preferences read back empty, so a dry run of an account looks like its first real run.
  auto search = parseSoapResponse(post("<SearchRequest xmlns=\"urn:zimbraMail\" types=\"task\"/>")->body);
  ASSERT_TRUE(search.ok());
  ASSERT_FALSE(search->fault.has_value());
  EXPECT_EQ(search->body.name, "SearchResponse");
  EXPECT_TRUE(search->body.children.empty());
  auto task = parseSoapResponse(post("<GetTaskRequest xmlns=\"urn:zimbraMail\" uid=\"u\"/>")->body);
  ASSERT_TRUE(task.ok());
  ASSERT_TRUE(task->fault.has_value());
  EXPECT_EQ(task->fault->code, "mail.NO_SUCH_TASK");
  auto rules = parseSoapResponse(post("<GetFilterRulesRequest xmlns=\"urn:zimbraMail\"/>")->body);
  ASSERT_TRUE(rules.ok());
  ASSERT_FALSE(rules->fault.has_value());
  ASSERT_NE(rules->body.child("filterRules"), nullptr);
  EXPECT_TRUE(rules->body.child("filterRules")->children.empty());
  auto prefs = parseSoapResponse(post("<GetPrefsRequest xmlns=\"urn:zimbraAccount\"/>")->body);
  ASSERT_TRUE(prefs.ok());
  ASSERT_FALSE(prefs->fault.has_value());
  EXPECT_EQ(prefs->body.name, "GetPrefsResponse");

  auto unknown = post("<NoOpRequest xmlns=\"urn:zimbraMail\"/>");
  ASSERT_TRUE(unknown.ok());
  auto parsed = parseSoapResponse(unknown->body);
  ASSERT_TRUE(parsed.ok());
  ASSERT_TRUE(parsed->fault.has_value());
  EXPECT_EQ(parsed->fault->code, "service.UNKNOWN_DOCUMENT");

  auto garbage = transport.post("https://x", "not xml", {});
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().code, "transport.dry_run");
}

}  // namespace
}  // namespace m2z::zimbra
