// ZimbraClient's contact, group and task calls against the Zimbra SOAP test server over HTTPS
// (certificate verified, every body schema-checked), read back through /test/state.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "zimbra/client.h"
#include "zimbra_test_server.h"

namespace m2z::zimbra {
namespace {

using testing::ZimbraTestServer;

constexpr const char* kAccount = "user1@test.local";
ZimbraTestServer* g_server = nullptr;
std::string g_start_failure;

model::Contact jane() {
  model::Contact contact;
  contact.provenance = model::Provenance{"/data/a.pst", "/Contacts", "100"};
  contact.display_name = "Jane Doe";
  contact.given_name = "Jane";
  contact.surname = "Doe";
  contact.emails = {{1, "jane@example.com", "", "SMTP"}};
  contact.phones = {{model::PhoneKind::kMobile, "+49 170 1"}};
  contact.company = "Example";
  contact.birthday = model::CivilDate{1980, 2, 29};
  return contact;
}

model::Task dueTask() {
  model::Task task;
  task.provenance = model::Provenance{"/data/a.pst", "/Tasks", "200"};
  task.subject = "Report";
  task.due = model::CivilDate{2014, 10, 31};
  task.status = model::TaskStatus::kWaitingOnOthers;
  task.percent_complete = 40;
  task.importance = model::Importance::kHigh;
  return task;
}

class ContactTaskE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
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
    ServerConfig config = g_server->config();
    config.retry.base_delay = std::chrono::milliseconds(10);
    config.retry.max_delay = std::chrono::milliseconds(100);
    auto created = ZimbraClient::create(config);
    ASSERT_TRUE(created.ok()) << created.error().describe();
    client_ = std::move(created).value();
    ASSERT_TRUE(client_->connect().ok());
  }
  std::unique_ptr<ZimbraClient> client_;
};

TEST_F(ContactTaskE2e, ContactAndGroupArriveWithTheirFields) {
  auto folder = client_->createFolder(kAccount, "7", "Friends", nullptr, "contact");
  ASSERT_TRUE(folder.ok()) << folder.error().describe();
  auto contact = client_->createContact(kAccount, folder->id, jane(), nullptr, "fp-jane");
  ASSERT_TRUE(contact.ok()) << contact.error().describe();
  model::DistList list;
  list.provenance = model::Provenance{"/data/a.pst", "/Contacts", "101"};
  list.name = "Team";
  auto group = client_->createContactGroup(kAccount, folder->id, list, nullptr,
                                           {{"C", contact->id}, {"I", "\"Ann\" <ann@example.com>"}}, "fp-team");
  ASSERT_TRUE(group.ok()) << group.error().describe();

  // The server's own record, independent of the client's reading of responses. The folder is
  // the first user item (257), so the contact is 258 and the group 259.
  const auto state = g_server->state(kAccount);
  EXPECT_EQ(state.at("folders[12].view"), "contact");
  EXPECT_EQ(state.at("contacts.size"), "2");
  EXPECT_EQ(state.at("contacts[0].id"), "258");
  EXPECT_EQ(state.at("contacts[0].folder"), "/Contacts/Friends");
  EXPECT_EQ(state.at("contacts[0].attrs.firstName"), "Jane");
  EXPECT_EQ(state.at("contacts[0].attrs.email"), "jane@example.com");
  EXPECT_EQ(state.at("contacts[0].attrs.mobilePhone"), "+49 170 1");
  EXPECT_EQ(state.at("contacts[0].attrs.birthday"), "1980-02-29");
  EXPECT_EQ(state.at("contacts[0].attrs.mapi2zimbraSource"), "fp-jane");
  EXPECT_EQ(state.at("contacts[1].attrs.type"), "group");
  EXPECT_EQ(state.at("contacts[1].fileAsStr"), "Team");
  EXPECT_EQ(state.at("contacts[1].members.size"), "2");
  EXPECT_EQ(state.at("contacts[1].members[0].type"), "C");
  EXPECT_EQ(state.at("contacts[1].members[0].value"), contact->id);

  auto read = client_->getContacts(kAccount, folder->id, nullptr);
  ASSERT_TRUE(read.ok()) << read.error().describe();
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ((*read)[0].attrs.at("company"), "Example");
  EXPECT_EQ((*read)[1].members.size(), 2u);
}

TEST_F(ContactTaskE2e, ContactsOutsideAContactFolderAreRefused) {
  auto contact = client_->createContact(kAccount, "10", jane(), nullptr, "fp");
  ASSERT_FALSE(contact.ok());
  EXPECT_EQ(contact.error().code, "mail.CANNOT_CONTAIN");
}

TEST_F(ContactTaskE2e, ADroppedAnswerLeavesOneContact) {
  // The server stores the contact, then drops the connection before answering.
  g_server->control(R"({"faults": [{"kind": "drop_after_commit", "request": "CreateContactRequest"}]})");
  auto contact = client_->createContact(kAccount, "7", jane(), nullptr, "fp-once");
  ASSERT_TRUE(contact.ok()) << contact.error().describe();
  const auto state = g_server->state(kAccount);
  EXPECT_EQ(state.at("contacts.size"), "1");
  // An admin acting on the account gets ids qualified with the account's id ("<zimbraId>:258").
  const std::string id = contact->id.substr(contact->id.rfind(':') + 1);
  EXPECT_EQ(state.at("contacts[0].id"), id);
}

TEST_F(ContactTaskE2e, TaskKeepsItsUidAndItsDueDate) {
  const std::string uid = ZimbraClient::taskUid("a.pst:1:2#200");
  auto missing = client_->findTaskByUid(kAccount, uid, nullptr);
  ASSERT_TRUE(missing.ok()) << missing.error().describe();
  EXPECT_FALSE(missing->has_value());
  auto task = client_->setTask(kAccount, "15", dueTask(), nullptr, uid);
  ASSERT_TRUE(task.ok()) << task.error().describe();
  auto found = client_->findTaskByUid(kAccount, uid, nullptr);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, task->id);

  const auto state = g_server->state(kAccount);
  EXPECT_EQ(state.at("tasks.size"), "1");
  EXPECT_EQ(state.at("tasks[0].uid"), uid);
  EXPECT_EQ(state.at("tasks[0].due"), "20141031");  // 2014-10-31, not shifted
  EXPECT_EQ(state.at("tasks[0].status"), "WAITING");
  EXPECT_EQ(state.at("tasks[0].priority"), "1");

  auto tasks = client_->getTasks(kAccount, "15", nullptr);
  ASSERT_TRUE(tasks.ok()) << tasks.error().describe();
  ASSERT_EQ(tasks->size(), 1u);
  EXPECT_EQ((*tasks)[0].uid, uid);
  EXPECT_EQ((*tasks)[0].due, "20141031");
  EXPECT_EQ((*tasks)[0].percent, "40");
  EXPECT_EQ((*tasks)[0].subject, "Report");
}

}  // namespace
}  // namespace m2z::zimbra
