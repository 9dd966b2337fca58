// Every request body the builders make validates against Zimbra's generated schemas in
// ../shared/zimbra-schemas as they are (zcs8-2014a is the reference build; the other two builds
// are checked as well), and the client accepts them with schema checking on.
#include <gtest/gtest.h>

#include <memory>

#include "fixtures.h"
#include "xml/xml.h"
#include "zimbra/client.h"
#include "zimbra/requests.h"

namespace m2z::zimbra {
namespace {

std::string schemaDir(const std::string& build) { return std::string(M2Z_SHARED_DIR) + "/zimbra-schemas/" + build; }

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

std::vector<std::pair<std::string, model::Appointment>> appointments() {
  std::vector<std::pair<std::string, model::Appointment>> cases;
  cases.emplace_back("timed meeting in Berlin", testing::timedMeeting());
  cases.emplace_back("all-day event", testing::allDayEvent());
  model::Appointment tokyo = testing::timedMeeting();
  tokyo.resolved->zone = testing::tokyo();
  cases.emplace_back("zone without DST", tokyo);
  model::Appointment bare;
  bare.provenance = model::Provenance{"/data/x.pst", "/Calendar", "1"};
  bare.resolved = model::ResolvedTimes{};
  bare.resolved->zone.id = "UTC";
  bare.resolved->start_local = testing::at(2020, 2, 29, 23, 30);
  bare.resolved->end_local = testing::at(2020, 3, 1, 0, 30);
  cases.emplace_back("no uid, subject, body or people", bare);
  model::Appointment hostile = testing::timedMeeting();
  hostile.subject = "</su><inv/>&amp; \"x\" \x01";
  hostile.body = "]]> <![CDATA[ \r\n";
  hostile.categories = {"a", "<b>", ""};
  hostile.sensitivity = model::Sensitivity::kPrivate;
  hostile.busy_status = model::BusyStatus::kTentative;
  hostile.reminder_minutes_before = 0;
  cases.emplace_back("hostile text", hostile);
  return cases;
}

class BuiltRequests : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string dir = schemaDir(GetParam());
    auto loaded = xml::SchemaValidator::load({dir + "/zimbra.xsd", dir + "/zimbraMail.xsd", dir + "/zimbraAdmin.xsd"});
    ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
    validator_ = std::move(loaded).value();
  }
  void expectValid(const std::string& body, const std::string& what) {
    const auto problems = validator_->validate(body, what);
    EXPECT_TRUE(problems.empty()) << what << " against " << GetParam() << ":\n" << joined(problems) << body;
  }
  std::unique_ptr<xml::SchemaValidator> validator_;
};

TEST_P(BuiltRequests, AdminFolderAndLookupRequestsValidate) {
  expectValid(buildAdminAuthRequest("admin@test.local", "secret"), "AuthRequest");
  expectValid(*buildCreateFolderRequest("1", "Kalender <Müller> & Co"), "CreateFolderRequest");
  expectValid(buildGetAppointmentRequest("040000008200E00074C5B7101A82E008"), "GetAppointmentRequest");
}

TEST_P(BuiltRequests, SetAppointmentRequestsValidate) {
  for (const auto& [what, appointment] : appointments()) {
    auto body = buildSetAppointmentRequest(appointment, "257", "alice@example.com");
    ASSERT_TRUE(body.ok()) << what << ": " << body.error().describe();
    expectValid(*body, what);
  }
}

TEST_P(BuiltRequests, TheSchemaReallyJudgesOrderAndForm) {
  // Guards against a validator that accepts anything: small edits of a valid body that the
  // schema text forbids must be reported.
  const std::string valid = *buildSetAppointmentRequest(testing::timedMeeting(), "257");
  expectValid(valid, "unchanged");
  const auto replaced = [&](const std::string& from, const std::string& to) {
    std::string text = valid;
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
  };
  const std::string organizer = "<or a=\"alice@example.com\" d=\"Alice\"/>\n";
  const std::string start = "<s d=\"20141101T090000\" tz=\"Europe/Berlin\"/>\n";
  // inviteComponent's sequence puts <or> before <s>.
  const std::string swapped = replaced(organizer + "        " + start, start + "        " + organizer);
  EXPECT_FALSE(validator_->validate(swapped, "s before or").empty());
  // msg declares su as an attribute; the <su> child the docs show is not in the schema.
  EXPECT_FALSE(validator_->validate(replaced("<m su=\"Team meeting\">", "<m><su>Team meeting</su>"), "su child").empty());
  // method is use="required" on the invite component in the ZCS 8 builds (Carbonio relaxed it).
  if (GetParam().rfind("zcs8", 0) == 0) {
    EXPECT_FALSE(validator_->validate(replaced("method=\"PUBLISH\" ", ""), "no method").empty());
  }
  // tzOnsetInfo/@mon is an xs:int.
  EXPECT_FALSE(validator_->validate(replaced("mon=\"10\"", "mon=\"Oct\""), "month name").empty());
}

INSTANTIATE_TEST_SUITE_P(Builds, BuiltRequests, ::testing::Values("zcs8-2014a", "zcs8-2014b", "carbonio-2023"));

TEST(SchemaCheckedClient, SendsEveryRequestOfAMigration) {
  ServerConfig config;
  config.admin_url = "https://zimbra.test:7071/service/admin/soap";
  config.admin_user = "admin@test.local";
  config.admin_password = "secret";
  config.schema_dir = schemaDir("zcs8-2014a");
  auto owned = std::make_unique<testing::ScriptedTransport>();
  testing::ScriptedTransport& transport = *owned;
  transport.respond(200, testing::authResponse("0_t"));
  transport.respond(200, testing::soapBody("<CreateFolderResponse xmlns=\"urn:zimbraMail\"><folder id=\"257\" uuid=\"u\" "
                                           "name=\"Team\" l=\"1\"/></CreateFolderResponse>"));
  transport.respond(500, testing::soapFault("mail.NO_SUCH_APPT", "no such appointment"));
  transport.respond(200, testing::soapBody("<SetAppointmentResponse xmlns=\"urn:zimbraMail\" calItemId=\"300\"/>"));
  auto client = ZimbraClient::create(config, std::move(owned));
  ASSERT_TRUE(client.ok()) << client.error().describe();
  ASSERT_TRUE((*client)->connect().ok());
  auto folder = (*client)->createFolder("user1@test.local", "1", "Team");
  ASSERT_TRUE(folder.ok()) << folder.error().describe();
  const model::Appointment meeting = testing::timedMeeting();
  auto existing = (*client)->findAppointmentByUid("user1@test.local", meeting.uid);
  ASSERT_TRUE(existing.ok()) << existing.error().describe();
  EXPECT_FALSE(existing->has_value());
  auto created = (*client)->setAppointment("user1@test.local", folder->id, meeting);
  ASSERT_TRUE(created.ok()) << created.error().describe();
  EXPECT_EQ(created->id, "300");
  EXPECT_EQ(transport.posted.size(), 4u);
}

}  // namespace
}  // namespace m2z::zimbra
