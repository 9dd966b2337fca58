// ZimbraClient over a scripted transport: what it sends, how it reads replies and faults, what
// it reports to the observer, and that secrets stay out of its errors.
#include <gtest/gtest.h>

#include <memory>

#include "fixtures.h"
#include "zimbra/client.h"

namespace m2z::zimbra {
namespace {

using testing::authResponse;
using testing::RecordingObserver;
using testing::ScriptedTransport;
using testing::soapBody;
using testing::soapFault;

constexpr const char* kPassword = "S3cr3t-Pa55";
constexpr const char* kAccount = "user1@test.local";

ServerConfig config() {
  ServerConfig c;
  c.admin_url = "https://zimbra.test:7071/service/admin/soap";
  c.admin_user = "admin@test.local";
  c.admin_password = kPassword;
  return c;
}

struct Harness {
  ScriptedTransport* transport = nullptr;
  RecordingObserver observer;
  std::unique_ptr<ZimbraClient> client;

  explicit Harness(ServerConfig c = config()) {
    auto owned = std::make_unique<ScriptedTransport>();
    transport = owned.get();
    auto created = ZimbraClient::create(std::move(c), std::move(owned), &observer);
    EXPECT_TRUE(created.ok()) << created.error().describe();
    if (created.ok()) client = std::move(created).value();
  }

  void connect(const std::string& token = "0_first") {
    transport->respond(200, authResponse(token));
    ASSERT_TRUE(client->connect().ok());
  }
};

TEST(ZimbraClient, ConnectSendsAdminAuthAndKeepsTheToken) {
  Harness h;
  h.transport->respond(200, authResponse("0_first"));
  ASSERT_TRUE(h.client->connect().ok());
  EXPECT_TRUE(h.client->connected());
  ASSERT_EQ(h.transport->posted.size(), 1u);
  const auto& posted = h.transport->posted[0];
  EXPECT_EQ(posted.url, "https://zimbra.test:7071/service/admin/soap");
  EXPECT_NE(posted.body.find("<AuthRequest xmlns=\"urn:zimbraAdmin\" name=\"admin@test.local\" password=\"S3cr3t-Pa55\"/>"),
            std::string::npos);
  EXPECT_EQ(posted.body.find("<authToken>"), std::string::npos);
  ASSERT_EQ(posted.headers.size(), 1u);
  EXPECT_EQ(posted.headers[0].name, "Content-Type");
  EXPECT_EQ(posted.headers[0].value, "application/soap+xml; charset=utf-8");

  ASSERT_EQ(h.observer.exchanges.size(), 1u);
  const Exchange& exchange = h.observer.exchanges[0];
  EXPECT_EQ(exchange.request_name, "AuthRequest");
  EXPECT_EQ(exchange.outcome, ExchangeOutcome::kOk);
  EXPECT_TRUE(exchange.sent);
  EXPECT_EQ(exchange.http_status, 200);
  EXPECT_EQ(exchange.duration_ms, 7);
  EXPECT_EQ(exchange.request_xml, posted.body);
  // The observer is told which strings to redact: the password it sent, the token it got.
  EXPECT_EQ(exchange.secrets, (std::vector<std::string>{kPassword, "0_first"}));
}

TEST(ZimbraClient, MailRequestsCarryTokenAndAccount) {
  Harness h;
  h.connect();
  h.transport->respond(200, soapBody("<CreateFolderResponse xmlns=\"urn:zimbraMail\"><folder id=\"257\" uuid=\"x\" "
                                     "name=\"Team\" l=\"1\" view=\"appointment\"/></CreateFolderResponse>"));
  auto folder = h.client->createFolder(kAccount, "1", "Team");
  ASSERT_TRUE(folder.ok()) << folder.error().describe();
  EXPECT_EQ(folder->id, "257");
  EXPECT_EQ(folder->folder_id, "1");
  const std::string& body = h.transport->posted.back().body;
  EXPECT_NE(body.find("<authToken>0_first</authToken>"), std::string::npos);
  EXPECT_NE(body.find("<account by=\"name\">user1@test.local</account>"), std::string::npos);
  EXPECT_NE(body.find("<folder name=\"Team\" l=\"1\" view=\"appointment\" fie=\"1\"/>"), std::string::npos);
  EXPECT_EQ(h.observer.exchanges.back().account, kAccount);
  EXPECT_EQ(h.observer.exchanges.back().secrets, (std::vector<std::string>{"0_first"}));
}

TEST(ZimbraClient, FindByUidTreatsNoSuchAppointmentAsAbsent) {
  Harness h;
  h.connect();
  // The test server and the docs answer mail.NO_SUCH_APPT; Zimbra's GetCalendarItem handler
  // throws mail.NO_SUCH_CALITEM for an unknown UID. Both mean "not there".
  h.transport->respond(500, soapFault("mail.NO_SUCH_APPT", "no such appointment: u1"));
  h.transport->respond(500, soapFault("mail.NO_SUCH_CALITEM", "no such calendar item: u1"));
  h.transport->respond(200, soapBody("<GetAppointmentResponse xmlns=\"urn:zimbraMail\"><appt uid=\"u1\" id=\"300\" "
                                     "l=\"10\"/></GetAppointmentResponse>"));
  h.transport->respond(500, soapFault("service.PERM_DENIED", "permission denied"));
  for (int i = 0; i < 2; ++i) {
    auto absent = h.client->findAppointmentByUid(kAccount, "u1");
    ASSERT_TRUE(absent.ok()) << absent.error().describe();
    EXPECT_FALSE(absent->has_value());
  }
  auto present = h.client->findAppointmentByUid(kAccount, "u1");
  ASSERT_TRUE(present.ok());
  ASSERT_TRUE(present->has_value());
  EXPECT_EQ((*present)->id, "300");
  EXPECT_EQ((*present)->folder_id, "10");
  auto denied = h.client->findAppointmentByUid(kAccount, "u1");
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, "service.PERM_DENIED");
  EXPECT_NE(h.transport->posted.back().body.find("<GetAppointmentRequest xmlns=\"urn:zimbraMail\" uid=\"u1\"/>"),
            std::string::npos);
  EXPECT_FALSE(h.client->findAppointmentByUid(kAccount, "").ok());
}

TEST(ZimbraClient, SetAppointmentReportsTheItemsProvenance) {
  Harness h;
  h.connect();
  h.transport->respond(200, soapBody("<SetAppointmentResponse xmlns=\"urn:zimbraMail\" calItemId=\"320\">"
                                     "<default id=\"321\"/></SetAppointmentResponse>"));
  const model::Appointment meeting = testing::timedMeeting();
  auto created = h.client->setAppointment(kAccount, "257", meeting);
  ASSERT_TRUE(created.ok()) << created.error().describe();
  EXPECT_EQ(*created, (ItemRef{"320", "257", "321", std::nullopt}));
  const Exchange& exchange = h.observer.exchanges.back();
  EXPECT_EQ(exchange.request_name, "SetAppointmentRequest");
  ASSERT_TRUE(exchange.source.has_value());
  EXPECT_EQ(exchange.source->entry_id, "2097188");
  EXPECT_EQ(exchange.source->source_file, "/data/alice.pst");
  EXPECT_NE(exchange.response_xml.find("calItemId=\"320\""), std::string::npos);
  EXPECT_NE(exchange.request_xml.find("<SetAppointmentRequest xmlns=\"urn:zimbraMail\" l=\"257\">"), std::string::npos);
}

TEST(ZimbraClient, FaultBecomesErrorWithTheFaultCode) {
  Harness h;
  h.connect();
  h.transport->respond(500, soapFault("mail.NO_SUCH_FOLDER", "no such folder id: 999"));
  auto created = h.client->setAppointment(kAccount, "999", testing::timedMeeting());
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, "mail.NO_SUCH_FOLDER");
  EXPECT_EQ(created.error().message, "no such folder id: 999");
  EXPECT_NE(created.error().context.find("2097188"), std::string::npos);
  const Exchange& exchange = h.observer.exchanges.back();
  EXPECT_EQ(exchange.outcome, ExchangeOutcome::kFault);
  EXPECT_EQ(exchange.fault_code, "mail.NO_SUCH_FOLDER");
  EXPECT_EQ(exchange.http_status, 500);
  EXPECT_TRUE(exchange.sent);
}

TEST(ZimbraClient, ExpiredTokenIsRenewedOnceAndTheRequestRepeated) {
  Harness h;
  h.connect("0_old");
  h.transport->respond(500, soapFault("service.AUTH_EXPIRED", "auth credentials have expired"));
  h.transport->respond(200, authResponse("0_new"));
  h.transport->respond(200, soapBody("<GetAppointmentResponse xmlns=\"urn:zimbraMail\"/>"));
  auto found = h.client->findAppointmentByUid(kAccount, "u1");
  ASSERT_TRUE(found.ok()) << found.error().describe();
  ASSERT_EQ(h.transport->posted.size(), 4u);
  EXPECT_NE(h.transport->posted[1].body.find("<authToken>0_old</authToken>"), std::string::npos);
  EXPECT_NE(h.transport->posted[2].body.find("<AuthRequest"), std::string::npos);
  EXPECT_NE(h.transport->posted[3].body.find("<authToken>0_new</authToken>"), std::string::npos);
  EXPECT_EQ(h.client->authToken(), "0_new");
  EXPECT_EQ(h.observer.exchanges.size(), 4u);

  // A second expiry right after renewal is not retried again.
  h.transport->respond(500, soapFault("service.AUTH_EXPIRED", "expired"));
  h.transport->respond(200, authResponse("0_newer"));
  h.transport->respond(500, soapFault("service.AUTH_EXPIRED", "expired"));
  auto again = h.client->findAppointmentByUid(kAccount, "u1");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "service.AUTH_EXPIRED");
  EXPECT_EQ(h.transport->posted.size(), 7u);
}

TEST(ZimbraClient, TransportAndHttpErrors) {
  // A timeout is retried (retry_test.cpp); with a single attempt allowed the first is final.
  ServerConfig single_attempt = config();
  single_attempt.retry.max_attempts = 1;
  Harness h(single_attempt);
  h.connect();
  h.transport->fail(Error{"transport.timeout", "Timeout was reached", "https://zimbra.test:7071/service/admin/soap"});
  auto timeout = h.client->findAppointmentByUid(kAccount, "u1");
  ASSERT_FALSE(timeout.ok());
  EXPECT_EQ(timeout.error().code, "transport.timeout");
  EXPECT_EQ(h.observer.exchanges.back().outcome, ExchangeOutcome::kTransportError);
  EXPECT_TRUE(h.observer.exchanges.back().response_xml.empty());

  // 404 is permanent (502/503/504 are retried: retry_test.cpp).
  h.transport->respond(404, "<html><body>Not Found</body></html>");
  auto gateway = h.client->findAppointmentByUid(kAccount, "u1");
  ASSERT_FALSE(gateway.ok());
  EXPECT_EQ(gateway.error().code, "transport.http");
  EXPECT_NE(gateway.error().message.find("404"), std::string::npos);

  h.transport->respond(200, "this is not SOAP");
  auto garbage = h.client->findAppointmentByUid(kAccount, "u1");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().code, "soap.malformed");
}

TEST(ZimbraClient, SecretsNeverAppearInErrors) {
  Harness h;
  // A server that echoes the password in its fault reason.
  h.transport->respond(500, soapFault("account.AUTH_FAILED", std::string("authentication failed for admin/") + kPassword));
  auto failed = h.client->connect();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, "account.AUTH_FAILED");
  EXPECT_EQ(failed.error().describe().find(kPassword), std::string::npos) << failed.error().describe();
  EXPECT_NE(failed.error().message.find("[redacted]"), std::string::npos);
  EXPECT_EQ(h.observer.exchanges.back().error.find(kPassword), std::string::npos);

  h.connect("0_tokenvalue");
  h.transport->respond(500, soapFault("service.FAILURE", "bad token 0_tokenvalue"));
  auto echoed = h.client->findAppointmentByUid(kAccount, "u1");
  ASSERT_FALSE(echoed.ok());
  EXPECT_EQ(echoed.error().describe().find("0_tokenvalue"), std::string::npos) << echoed.error().describe();
}

TEST(ZimbraClient, NothingIsSentBeforeConnect) {
  Harness h;
  auto result = h.client->findAppointmentByUid(kAccount, "u1");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "client.not_connected");
  EXPECT_TRUE(h.transport->posted.empty());
}

TEST(ZimbraClient, UnbuildableItemIsReportedButNotSent) {
  Harness h;
  h.connect();
  model::Appointment unresolved = testing::timedMeeting();
  unresolved.resolved.reset();
  auto result = h.client->setAppointment(kAccount, "10", unresolved);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "request.invalid_item");
  EXPECT_EQ(h.transport->posted.size(), 1u);  // only the AuthRequest
  const Exchange& exchange = h.observer.exchanges.back();
  EXPECT_EQ(exchange.outcome, ExchangeOutcome::kInvalidRequest);
  EXPECT_FALSE(exchange.sent);
  EXPECT_TRUE(exchange.request_xml.empty());
  ASSERT_TRUE(exchange.source.has_value());
  EXPECT_EQ(exchange.source->entry_id, "2097188");

  auto bad_folder = h.client->createFolder(kAccount, "1", "a/b");
  ASSERT_FALSE(bad_folder.ok());
  EXPECT_EQ(h.transport->posted.size(), 1u);
}

TEST(ZimbraClient, ObserverFailureFailsTheCall) {
  struct Throwing final : ExchangeObserver {
    void onExchange(const Exchange&) override { throw std::runtime_error("disk full"); }
  } throwing;
  auto owned = std::make_unique<ScriptedTransport>();
  owned->respond(200, authResponse("0_t"));
  auto client = ZimbraClient::create(config(), std::move(owned), &throwing);
  ASSERT_TRUE(client.ok());
  auto connected = (*client)->connect();
  ASSERT_FALSE(connected.ok());
  EXPECT_EQ(connected.error().code, "audit.observer");
}

TEST(ZimbraClient, ConfigurationIsChecked) {
  ServerConfig plain = config();
  plain.admin_url = "http://zimbra.test:7071/service/admin/soap";
  auto insecure_url = ZimbraClient::create(plain, std::make_unique<ScriptedTransport>());
  ASSERT_FALSE(insecure_url.ok());
  EXPECT_EQ(insecure_url.error().code, "config.url");

  ServerConfig no_password = config();
  no_password.admin_password.clear();
  EXPECT_FALSE(ZimbraClient::create(no_password, std::make_unique<ScriptedTransport>()).ok());

  ServerConfig missing_schemas = config();
  missing_schemas.schema_dir = "/nonexistent/schemas";
  auto no_schemas = ZimbraClient::create(missing_schemas, std::make_unique<ScriptedTransport>());
  ASSERT_FALSE(no_schemas.ok());
  EXPECT_EQ(no_schemas.error().code, "xml.schema");

  EXPECT_FALSE(ZimbraClient::create(config(), std::unique_ptr<Transport>()).ok());
}

TEST(ZimbraClient, RequestFailingValidationIsNeverSent) {
  // testdata/zimbra/strict-schemas requires GetAppointmentRequest/@id, which a by-uid lookup
  // does not have; AuthRequest validates as in Zimbra's own schema.
  ServerConfig strict = config();
  strict.schema_dir = std::string(M2Z_SOURCE_DIR) + "/testdata/zimbra/strict-schemas";
  Harness h(strict);
  ASSERT_TRUE(h.client);
  h.connect();
  auto result = h.client->findAppointmentByUid(kAccount, "u1");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "request.invalid");
  EXPECT_NE(result.error().message.find("'id'"), std::string::npos) << result.error().message;
  EXPECT_EQ(h.transport->posted.size(), 1u);  // only the AuthRequest went out
  const Exchange& exchange = h.observer.exchanges.back();
  EXPECT_EQ(exchange.outcome, ExchangeOutcome::kInvalidRequest);
  EXPECT_FALSE(exchange.sent);
  EXPECT_NE(exchange.request_xml.find("<GetAppointmentRequest"), std::string::npos);
  EXPECT_EQ(exchange.http_status, 0);
}

TEST(ExchangeOutcome, AuditSpelling) {
  EXPECT_STREQ(toString(ExchangeOutcome::kOk), "ok");
  EXPECT_STREQ(toString(ExchangeOutcome::kFault), "fault");
  EXPECT_STREQ(toString(ExchangeOutcome::kTransportError), "transport-error");
  EXPECT_STREQ(toString(ExchangeOutcome::kInvalidRequest), "invalid-request");
  EXPECT_STREQ(toString(ExchangeOutcome::kDryRun), "dry-run");
}

}  // namespace
}  // namespace m2z::zimbra
