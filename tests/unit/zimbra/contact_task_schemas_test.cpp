// Every contact, group and task request body validates against Zimbra's generated schemas in
// ../shared/zimbra-schemas (all three builds), and a schema-checking client carries a lost
// answer over to a look-up instead of a second create.
#include <gtest/gtest.h>

#include <memory>

#include "fake_wait_clock.h"
#include "fixtures.h"
#include "xml/xml.h"
#include "zimbra/client.h"
#include "zimbra/contact_requests.h"
#include "zimbra/task_requests.h"

namespace m2z::zimbra {
namespace {

std::string schemaDir(const std::string& build) { return std::string(M2Z_SHARED_DIR) + "/zimbra-schemas/" + build; }

model::Contact fullContact() {
  model::Contact contact;
  contact.provenance = model::Provenance{"/data/a.pst", "/Contacts", "1"};
  contact.display_name = "Jane <Doe> & \"Co\"";
  contact.given_name = "Jane";
  contact.surname = "Doe";
  contact.file_as = "Doe, Jane";
  contact.emails = {{1, "jane@example.com", "", "SMTP"}};
  contact.phones = {{model::PhoneKind::kBusiness, "1"}, {model::PhoneKind::kRadio, "2"}};
  contact.addresses = {{model::AddressKind::kHome, "S", "C", "St", "P", "Co", "", ""}};
  contact.birthday = model::CivilDate{1980, 2, 29};
  contact.notes = "]]> \x01 \r\n";
  contact.categories = {"x"};
  return contact;
}

model::Task fullTask() {
  model::Task task;
  task.provenance = model::Provenance{"/data/a.pst", "/Tasks", "2"};
  task.subject = "</su>";
  task.body = "b";
  task.start = model::CivilDate{2014, 10, 1};
  task.due = model::CivilDate{2014, 10, 31};
  task.reminder = model::Instant{1414659600};
  task.date_completed = model::Instant{1414659600};
  task.complete = true;
  task.categories = {"a", "b"};
  return task;
}

class ContactTaskSchemas : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string dir = schemaDir(GetParam());
    auto loaded = xml::SchemaValidator::load({dir + "/zimbra.xsd", dir + "/zimbraMail.xsd", dir + "/zimbraAdmin.xsd"});
    ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
    validator_ = std::move(loaded).value();
  }
  void expectValid(const std::string& body, const std::string& what) {
    const auto problems = validator_->validate(body, what);
    std::string text;
    for (const auto& line : problems) text += line + "\n";
    EXPECT_TRUE(problems.empty()) << what << " against " << GetParam() << ":\n" << text << body;
  }
  std::unique_ptr<xml::SchemaValidator> validator_;
};

TEST_P(ContactTaskSchemas, EveryBodyValidates) {
  expectValid(*buildCreateContactRequest(fullContact(), "7", "fp"), "CreateContactRequest");
  model::Contact bare;
  expectValid(*buildCreateContactRequest(bare, "7", ""), "CreateContactRequest (empty)");
  model::DistList list;
  list.name = "Team";
  expectValid(*buildCreateContactGroupRequest(list, {{"C", "acc:257"}, {"I", "\"A\" <a@b.c>"}}, "7", "fp"),
              "CreateContactRequest (group)");
  expectValid(buildGetContactsRequest("7"), "GetContactsRequest");
  expectValid(buildSearchTasksRequest("15", 500, 1000), "SearchRequest");
  expectValid(*buildCreateFolderRequest("1", "Friends", "contact"), "CreateFolderRequest (contact)");
  if (GetParam() == "carbonio-2023") {
    // Carbonio dropped tasks (its schemas README: "has no task requests"): a client checking
    // against them refuses to send one, so tasks fail per item there rather than vanish.
    EXPECT_FALSE(validator_->validate(*buildSetTaskRequest(fullTask(), "15", "u"), "SetTaskRequest").empty());
    return;
  }
  expectValid(*buildSetTaskRequest(fullTask(), "15", "u"), "SetTaskRequest");
  model::Task bare_task;
  expectValid(*buildSetTaskRequest(bare_task, "15", "u"), "SetTaskRequest (bare)");
  expectValid(buildGetTaskByUidRequest("u"), "GetTaskRequest (uid)");
  expectValid(buildGetTaskByIdRequest("257"), "GetTaskRequest (id)");
}

TEST_P(ContactTaskSchemas, TheSchemaReallyJudges) {
  // Guards against a validator that accepts anything: <m> before <a> breaks contactSpec's sequence.
  std::string body = *buildCreateContactGroupRequest(model::DistList{}, {{"I", "a@b.c"}}, "7", "fp");
  const std::string member = "    <m type=\"I\" value=\"a@b.c\"/>\n";
  const auto at = body.find(member);
  ASSERT_NE(at, std::string::npos);
  body.erase(at, member.size());
  body.insert(body.find("    <a "), member);
  EXPECT_FALSE(validator_->validate(body, "m before a").empty());
}

INSTANTIATE_TEST_SUITE_P(Builds, ContactTaskSchemas, ::testing::Values("zcs8-2014a", "zcs8-2014b", "carbonio-2023"));

ServerConfig schemaCheckedConfig() {
  ServerConfig config;
  config.admin_url = "https://zimbra.test:7071/service/admin/soap";
  config.admin_user = "admin@test.local";
  config.admin_password = "secret";
  config.schema_dir = schemaDir("zcs8-2014a");
  return config;
}

TEST(ContactTaskClient, LostContactAnswerIsFoundByFingerprintNotSentTwice) {
  auto owned = std::make_unique<testing::ScriptedTransport>();
  testing::ScriptedTransport& transport = *owned;
  testing::FakeWaitClock clock;
  transport.respond(200, testing::authResponse("0_t"));
  // The create went out and the connection died before the answer (transport.io may have taken
  // effect), then the look-up finds the contact carrying the fingerprint.
  transport.fail(Error{"transport.io", "connection reset", "x"});
  transport.respond(200, testing::soapBody("<GetContactsResponse xmlns=\"urn:zimbraMail\">"
                                           "<cn id=\"256\" l=\"7\"><a n=\"mapi2zimbraSource\">other</a></cn>"
                                           "<cn id=\"257\" l=\"7\"><a n=\"mapi2zimbraSource\">fp-1</a></cn>"
                                           "</GetContactsResponse>"));
  auto client = ZimbraClient::create(schemaCheckedConfig(), std::move(owned), nullptr, ClientEnvironment{&clock, 1});
  ASSERT_TRUE(client.ok()) << client.error().describe();
  ASSERT_TRUE((*client)->connect().ok());
  auto created = (*client)->createContact("user1@test.local", "7", fullContact(), nullptr, "fp-1");
  ASSERT_TRUE(created.ok()) << created.error().describe();
  EXPECT_EQ(created->id, "257");
  ASSERT_EQ(transport.posted.size(), 3u);  // auth, one create, one look-up: never a second create
  EXPECT_NE(transport.posted[1].body.find("CreateContactRequest"), std::string::npos);
  EXPECT_NE(transport.posted[2].body.find("GetContactsRequest"), std::string::npos);
}

TEST(ContactTaskClient, LostTaskAnswerIsFoundByUid) {
  auto owned = std::make_unique<testing::ScriptedTransport>();
  testing::ScriptedTransport& transport = *owned;
  testing::FakeWaitClock clock;
  transport.respond(200, testing::authResponse("0_t"));
  transport.fail(Error{"transport.timeout", "timed out", "x"});
  transport.respond(200, testing::soapBody("<GetTaskResponse xmlns=\"urn:zimbraMail\"><task id=\"301\" l=\"15\" "
                                           "uid=\"u-7\"/></GetTaskResponse>"));
  auto client = ZimbraClient::create(schemaCheckedConfig(), std::move(owned), nullptr, ClientEnvironment{&clock, 1});
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE((*client)->connect().ok());
  auto created = (*client)->setTask("user1@test.local", "15", fullTask(), nullptr, "u-7");
  ASSERT_TRUE(created.ok()) << created.error().describe();
  EXPECT_EQ(created->id, "301");
  ASSERT_EQ(transport.posted.size(), 3u);
  EXPECT_NE(transport.posted[2].body.find("GetTaskRequest"), std::string::npos);
  EXPECT_NE(transport.posted[2].body.find("uid=\"u-7\""), std::string::npos);
}

TEST(ContactTaskClient, ZimbraLimitsFailTheItemWithTheirCode) {
  auto owned = std::make_unique<testing::ScriptedTransport>();
  testing::ScriptedTransport& transport = *owned;
  transport.respond(200, testing::authResponse("0_t"));
  transport.respond(500, testing::soapFault("mail.TOO_MANY_CONTACTS", "number of contacts cannot exceed 10000"));
  auto client = ZimbraClient::create(schemaCheckedConfig(), std::move(owned));
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE((*client)->connect().ok());
  auto created = (*client)->createContact("user1@test.local", "7", fullContact(), nullptr, "fp");
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, "mail.TOO_MANY_CONTACTS");
  EXPECT_EQ(transport.posted.size(), 2u);  // permanent: not retried
}

TEST(ContactTaskClient, MissingTaskIsNotAnError) {
  auto owned = std::make_unique<testing::ScriptedTransport>();
  testing::ScriptedTransport& transport = *owned;
  transport.respond(200, testing::authResponse("0_t"));
  transport.respond(500, testing::soapFault("mail.NO_SUCH_TASK", "no such task"));
  auto client = ZimbraClient::create(schemaCheckedConfig(), std::move(owned));
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE((*client)->connect().ok());
  auto found = (*client)->findTaskByUid("user1@test.local", "u", nullptr);
  ASSERT_TRUE(found.ok()) << found.error().describe();
  EXPECT_FALSE(found->has_value());
}

}  // namespace
}  // namespace m2z::zimbra
