// ZimbraClient::uploadAttachment against the Zimbra test server's /service/upload over HTTPS:
// upload then create (contact photo, appointment attachments), the size limits on both sides,
// retries, unknown uploads, the audit record of an upload, and the dry run.
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "fixtures.h"
#include "zimbra/client.h"
#include "zimbra_test_server.h"

namespace m2z::zimbra {
namespace {

using testing::ZimbraTestServer;

constexpr const char* kAccount = "user1@test.local";
// The server under test refuses uploads over this many bytes (ZTS_UPLOAD_MAX_BYTES).
constexpr int kServerLimit = 4096;
ZimbraTestServer* g_server = nullptr;
std::string g_start_failure;

std::vector<std::uint8_t> bytes(std::string_view text) { return {text.begin(), text.end()}; }

// sha256 values computed with `printf '%s' TEXT | sha256sum`, not by our code.
constexpr const char* kHelloSha256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";  // "hello"
constexpr const char* kAbcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";    // "abc"

class RecordingObserver final : public ExchangeObserver {
 public:
  void onExchange(const Exchange& exchange) override { exchanges.push_back(exchange); }
  std::vector<Exchange> exchanges;
};

class AttachmentUploadE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ::setenv("ZTS_UPLOAD_MAX_BYTES", std::to_string(kServerLimit).c_str(), 1);
    g_server = new ZimbraTestServer(M2Z_SOURCE_DIR, M2Z_SHARED_DIR);
    if (!g_server->start({kAccount}, g_start_failure)) {
      delete g_server;
      g_server = nullptr;
    }
  }
  static void TearDownTestSuite() {
    delete g_server;
    g_server = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(g_server, nullptr) << g_start_failure;
    g_server->control("{\"reset\": true}");
    client_ = makeClient(g_server->config());
    ASSERT_NE(client_, nullptr);
  }
  std::unique_ptr<ZimbraClient> makeClient(ServerConfig config) {
    config.retry.base_delay = std::chrono::milliseconds(10);
    config.retry.max_delay = std::chrono::milliseconds(100);
    auto created = ZimbraClient::create(config, &observer_);
    if (!created.ok()) {
      ADD_FAILURE() << created.error().describe();
      return nullptr;
    }
    auto client = std::move(created).value();
    EXPECT_TRUE(client->connect().ok());
    return client;
  }
  int uploadsLogged() const {
    const auto log = g_server->requests();
    int count = 0;
    for (const auto& [key, value] : log) {
      if (key.ends_with(".name") && value == "FileUpload") ++count;
    }
    return count;
  }
  RecordingObserver observer_;
  std::unique_ptr<ZimbraClient> client_;
};

TEST_F(AttachmentUploadE2e, UploadedPhotoBecomesTheContactImage) {
  const model::Provenance source{"/data/a.pst", "/Contacts", "100"};
  auto aid = client_->uploadAttachment(kAccount, "photo.jpg", "image/jpeg", bytes("hello"), &source);
  ASSERT_TRUE(aid.ok()) << aid.error().describe();
  model::Contact contact;
  contact.provenance = source;
  contact.given_name = "Jane";
  auto created = client_->createContact(kAccount, "7", contact, nullptr, "fp-jane", *aid);
  ASSERT_TRUE(created.ok()) << created.error().describe();

  const auto state = g_server->state(kAccount);
  EXPECT_EQ(state.at("contacts.size"), "1");
  EXPECT_EQ(state.at("contacts[0].attachments.image.name"), "photo.jpg");
  EXPECT_EQ(state.at("contacts[0].attachments.image.contentType"), "image/jpeg");
  EXPECT_EQ(state.at("contacts[0].attachments.image.size"), "5");
  EXPECT_EQ(state.at("contacts[0].attachments.image.sha256"), kHelloSha256);

  // The audit sees what went up (name, size, sha256) and the aid, never the token.
  ASSERT_FALSE(observer_.exchanges.empty());
  const Exchange* upload = nullptr;
  for (const Exchange& exchange : observer_.exchanges) {
    if (exchange.request_name == "FileUpload") upload = &exchange;
  }
  ASSERT_NE(upload, nullptr);
  EXPECT_EQ(upload->outcome, ExchangeOutcome::kOk);
  EXPECT_NE(upload->request_xml.find("name=\"photo.jpg\""), std::string::npos);
  EXPECT_NE(upload->request_xml.find("size=\"5\""), std::string::npos);
  EXPECT_NE(upload->request_xml.find(kHelloSha256), std::string::npos);
  EXPECT_EQ(upload->request_xml.find("hello"), std::string::npos);
  EXPECT_NE(upload->response_xml.find(*aid), std::string::npos);
  EXPECT_EQ(upload->request_xml.find(client_->authToken()), std::string::npos);
  EXPECT_EQ(upload->response_xml.find(client_->authToken()), std::string::npos);
}

TEST_F(AttachmentUploadE2e, AppointmentCarriesItsUploadedAttachments) {
  auto first = client_->uploadAttachment(kAccount, "agenda.txt", "text/plain", bytes("abc"), nullptr);
  auto second = client_->uploadAttachment(kAccount, "hello.bin", "", bytes("hello"), nullptr);
  ASSERT_TRUE(first.ok() && second.ok());
  auto created = client_->setAppointment(kAccount, "10", testing::timedMeeting(), nullptr, {*first, *second});
  ASSERT_TRUE(created.ok()) << created.error().describe();

  const auto state = g_server->state(kAccount);
  EXPECT_EQ(state.at("appointments[0].attachments.size"), "2");
  EXPECT_EQ(state.at("appointments[0].attachments[0].name"), "agenda.txt");
  EXPECT_EQ(state.at("appointments[0].attachments[0].size"), "3");
  EXPECT_EQ(state.at("appointments[0].attachments[0].sha256"), kAbcSha256);
  // No type given: sent as application/octet-stream.
  EXPECT_EQ(state.at("appointments[0].attachments[1].contentType"), "application/octet-stream");
  EXPECT_EQ(state.at("appointments[0].attachments[1].sha256"), kHelloSha256);
}

TEST_F(AttachmentUploadE2e, NonAsciiNamesArriveIntact) {
  auto aid = client_->uploadAttachment(kAccount, "Präsentation \"Q1\".pptx", "", bytes("abc"), nullptr);
  ASSERT_TRUE(aid.ok()) << aid.error().describe();
  ASSERT_TRUE(client_->setAppointment(kAccount, "10", testing::timedMeeting(), nullptr, {*aid}).ok());
  // RFC 5987 filename* carries the UTF-8 name, quotes included (test_server_api.py prints the
  // JSON string's escaped form without its quotes: ä as \u00e4, " as \").
  EXPECT_EQ(g_server->state(kAccount).at("appointments[0].attachments[0].name"), R"(Pr\u00e4sentation \"Q1\".pptx)");
}

TEST_F(AttachmentUploadE2e, AnUnknownUploadIsTheServersFault) {
  auto created = client_->setAppointment(kAccount, "10", testing::timedMeeting(), nullptr, {"no-such-aid"});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, "mail.NO_SUCH_UPLOAD");
}

TEST_F(AttachmentUploadE2e, TooLargeForTheServerIsNotRetried) {
  const std::vector<std::uint8_t> big(kServerLimit + 1, 0x42);
  auto aid = client_->uploadAttachment(kAccount, "big.bin", "application/octet-stream", big, nullptr);
  ASSERT_FALSE(aid.ok());
  EXPECT_EQ(aid.error().code, "attachment.too_large");
  EXPECT_NE(aid.error().context.find("big.bin"), std::string::npos);
  EXPECT_EQ(uploadsLogged(), 1);
}

TEST_F(AttachmentUploadE2e, OverTheConfiguredLimitIsNotSent) {
  ServerConfig config = g_server->config();
  config.max_upload_bytes = 4;
  auto client = makeClient(config);
  ASSERT_NE(client, nullptr);
  auto aid = client->uploadAttachment(kAccount, "hello.txt", "text/plain", bytes("hello"), nullptr);
  ASSERT_FALSE(aid.ok());
  EXPECT_EQ(aid.error().code, "attachment.too_large");
  EXPECT_EQ(uploadsLogged(), 0);
  EXPECT_EQ(observer_.exchanges.back().outcome, ExchangeOutcome::kInvalidRequest);
  EXPECT_FALSE(observer_.exchanges.back().sent);
}

TEST_F(AttachmentUploadE2e, ServiceUnavailableIsRetried) {
  g_server->control(R"({"faults": [{"kind": "http_status", "request": "FileUpload", "status": 503, "count": 2}]})");
  auto aid = client_->uploadAttachment(kAccount, "a.txt", "text/plain", bytes("abc"), nullptr);
  ASSERT_TRUE(aid.ok()) << aid.error().describe();
  EXPECT_EQ(uploadsLogged(), 3);
  EXPECT_EQ(client_->stats().retries, 2);
}

TEST_F(AttachmentUploadE2e, DryRunAnswersWithoutSending) {
  ServerConfig config = g_server->config();
  config.dry_run = true;
  auto client = makeClient(config);
  ASSERT_NE(client, nullptr);
  auto aid = client->uploadAttachment(kAccount, "a.txt", "text/plain", bytes("abc"), nullptr);
  ASSERT_TRUE(aid.ok()) << aid.error().describe();
  EXPECT_EQ(*aid, "dry-run-upload-1");
  EXPECT_EQ(uploadsLogged(), 0);
  EXPECT_EQ(observer_.exchanges.back().outcome, ExchangeOutcome::kDryRun);
}

// The servlet's answers as FileUploadServlet writes them (raw and raw,extended).
TEST(UploadAnswer, ReadsBothRawFormats) {
  auto extended = ZimbraClient::readUploadAnswer(
      R"(200,'null',[{"aid":"3f2c:9a1b","ct":"application/pdf","filename":"Invitation.pdf","s":10642}])");
  ASSERT_TRUE(extended.ok());
  EXPECT_EQ(*extended, "3f2c:9a1b");
  auto raw = ZimbraClient::readUploadAnswer("200,'null','3f2c:9a1b'\n");
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(*raw, "3f2c:9a1b");
  EXPECT_EQ(ZimbraClient::readUploadAnswer("413,'null'").error().code, "attachment.too_large");
  EXPECT_EQ(ZimbraClient::readUploadAnswer("").error().code, "upload.failed");
  EXPECT_EQ(ZimbraClient::readUploadAnswer("200,'null',[]").error().code, "upload.failed");
  EXPECT_EQ(ZimbraClient::uploadUrl("https://mail.example.com:7071/service/admin/soap"),
            "https://mail.example.com:7071/service/upload?fmt=raw,extended");
}

// The bodies that name uploads, exactly and against every schema build in ../shared: <attach>
// follows <mp> in <m> (zimbraMail.xsd's msg sequence: content, header, mp, attach, inv), and a
// contact attribute may carry aid instead of text (newContactAttr).
class UploadBodies : public ::testing::TestWithParam<std::string> {};

TEST_P(UploadBodies, AttachAndImageAreSchemaValid) {
  const std::string dir = std::string(M2Z_SHARED_DIR) + "/zimbra-schemas/" + GetParam();
  auto validator = xml::SchemaValidator::load({dir + "/zimbra.xsd", dir + "/zimbraMail.xsd", dir + "/zimbraAdmin.xsd"});
  ASSERT_TRUE(validator.ok()) << validator.error().describe();

  auto appointment = buildSetAppointmentRequest(testing::timedMeeting(), "10", "", {"a1:b1", "a2:b2"});
  ASSERT_TRUE(appointment.ok()) << appointment.error().describe();
  const std::size_t mp = appointment->find("<mp ");
  const std::size_t attach = appointment->find(R"(<attach aid="a1:b1,a2:b2"/>)");
  const std::size_t inv = appointment->find("<inv ");
  ASSERT_NE(attach, std::string::npos) << *appointment;
  EXPECT_TRUE(mp < attach && attach < inv) << *appointment;
  EXPECT_EQ(appointment->find("<attach", attach + 1), std::string::npos);  // the series' message only
  EXPECT_TRUE((*validator)->validate(*appointment, "SetAppointmentRequest").empty()) << *appointment;
  auto without = buildSetAppointmentRequest(testing::timedMeeting(), "10");
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(without->find("<attach"), std::string::npos);

  model::Contact contact;
  contact.given_name = "Jane";
  auto with_image = buildCreateContactRequest(contact, "7", "fp", "a1:b1");
  ASSERT_TRUE(with_image.ok());
  EXPECT_NE(with_image->find(R"(<a n="image" aid="a1:b1"/>)"), std::string::npos) << *with_image;
  EXPECT_TRUE((*validator)->validate(*with_image, "CreateContactRequest").empty()) << *with_image;
}

INSTANTIATE_TEST_SUITE_P(SchemaBuilds, UploadBodies, ::testing::Values("zcs8-2014a", "zcs8-2014b", "carbonio-2023"));

}  // namespace
}  // namespace m2z::zimbra
