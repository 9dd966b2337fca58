// BatchRequest against tools/zimbra-test-server with schema validation on both sides: every
// sub-request lands exactly once, whether the batch is answered, refused with 503 first, or
// carried out with its answer lost (the client then looks each item up instead of resending).
// Expected counts are the numbers of items sent, checked in the server's own state.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "fixtures.h"
#include "zimbra/client.h"
#include "zimbra_test_server.h"

namespace m2z::zimbra {
namespace {

using testing::RecordingObserver;
using testing::ZimbraTestServer;

constexpr const char* kAccount = "user1@test.local";

ZimbraTestServer* g_server = nullptr;
std::string g_start_failure;

std::map<std::string, int> appointmentsByUid() {
  const auto state = g_server->state(kAccount);
  std::map<std::string, int> counts;
  const int size = state.count("appointments.size") ? std::stoi(state.at("appointments.size")) : 0;
  for (int i = 0; i < size; ++i) ++counts[state.at("appointments[" + std::to_string(i) + "].uid")];
  return counts;
}

// HTTP requests the server logged under `name` (a batch is logged once as BatchRequest, and
// each of its sub-requests once under its own name).
int received(const std::string& name) {
  const auto log = g_server->requests();
  const int size = log.count("requests.size") ? std::stoi(log.at("requests.size")) : 0;
  int count = 0;
  for (int i = 0; i < size; ++i) count += log.at("requests[" + std::to_string(i) + "].name") == name;
  return count;
}

model::Appointment meeting(const std::string& uid) {
  model::Appointment a = testing::timedMeeting();
  a.uid = uid;
  a.provenance.entry_id = "entry-" + uid;
  return a;
}

class ZimbraBatchE2E : public ::testing::Test {
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
    ServerConfig c = g_server->config();
    c.retry.base_delay = std::chrono::milliseconds(10);
    c.retry.max_delay = std::chrono::milliseconds(200);
    c.max_requests_per_second = 0;
    auto created = ZimbraClient::create(std::move(c), &observer_);
    ASSERT_TRUE(created.ok()) << created.error().describe();
    client_ = std::move(created).value();
    ASSERT_TRUE(client_->connect().ok());
  }
  std::vector<const model::Appointment*> pointers() const {
    std::vector<const model::Appointment*> out;
    for (const auto& a : items_) out.push_back(&a);
    return out;
  }

  RecordingObserver observer_;
  std::unique_ptr<ZimbraClient> client_;
  std::vector<model::Appointment> items_{meeting("b1"), meeting("b2"), meeting("b3"), meeting("b4")};
};

TEST_F(ZimbraBatchE2E, SetsAndLooksUpInOneRoundTripEach) {
  auto written = client_->setAppointments(kAccount, "10", pointers());
  for (const auto& w : written) ASSERT_TRUE(w.ok()) << w.error().describe();
  EXPECT_EQ(appointmentsByUid(), (std::map<std::string, int>{{"b1", 1}, {"b2", 1}, {"b3", 1}, {"b4", 1}}));
  EXPECT_EQ(received("BatchRequest"), 1);

  auto found = client_->findAppointmentsByUid(kAccount, {{"b1", nullptr}, {"nope", nullptr}, {"b4", nullptr}});
  ASSERT_TRUE(found[0].ok() && found[1].ok() && found[2].ok());
  EXPECT_EQ((*found[0])->id, written[0]->id);
  EXPECT_FALSE(found[1]->has_value());
  EXPECT_EQ((*found[2])->id, written[3]->id);
  EXPECT_EQ(received("BatchRequest"), 2);
}

TEST_F(ZimbraBatchE2E, A503BurstRetriesTheBatch) {
  g_server->control(R"({"faults": [{"kind": "http_status", "status": 503, "count": 2, "request": "BatchRequest"}]})");
  auto written = client_->setAppointments(kAccount, "10", pointers());
  for (const auto& w : written) ASSERT_TRUE(w.ok()) << w.error().describe();
  EXPECT_EQ(appointmentsByUid(), (std::map<std::string, int>{{"b1", 1}, {"b2", 1}, {"b3", 1}, {"b4", 1}}));
  EXPECT_EQ(received("BatchRequest"), 3);
}

TEST_F(ZimbraBatchE2E, ADroppedAnswerAfterCommitLeavesNoDuplicates) {
  g_server->control(R"({"faults": [{"kind": "drop_after_commit", "request": "BatchRequest"}]})");
  auto written = client_->setAppointments(kAccount, "10", pointers());
  for (const auto& w : written) ASSERT_TRUE(w.ok()) << w.error().describe();
  // The server stored all four before the answer was lost; the client found each by UID.
  EXPECT_EQ(appointmentsByUid(), (std::map<std::string, int>{{"b1", 1}, {"b2", 1}, {"b3", 1}, {"b4", 1}}));
  EXPECT_EQ(received("BatchRequest"), 1);
  EXPECT_EQ(received("GetAppointmentRequest"), 4);
}

TEST_F(ZimbraBatchE2E, TasksAndContactsInBatches) {
  std::vector<model::Task> tasks(3);
  std::vector<TaskWrite> task_writes;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    tasks[i].provenance = model::Provenance{"/data/a.pst", "/Tasks", std::to_string(300 + i)};
    tasks[i].subject = "Task " + std::to_string(i);
    task_writes.push_back(TaskWrite{&tasks[i], nullptr, ""});
  }
  auto set = client_->setTasks(kAccount, "15", task_writes);
  for (const auto& t : set) ASSERT_TRUE(t.ok()) << t.error().describe();
  auto found = client_->findTasksByUid(kAccount, {{ZimbraClient::taskUid(tasks[0].provenance.describe()), nullptr},
                                                  {ZimbraClient::taskUid(tasks[2].provenance.describe()), nullptr}});
  ASSERT_TRUE(found[0].ok() && found[1].ok());
  EXPECT_EQ((*found[0])->id, set[0]->id);
  EXPECT_EQ((*found[1])->id, set[2]->id);

  std::vector<model::Contact> contacts(2);
  contacts[0].provenance = model::Provenance{"/data/a.pst", "/Contacts", "400"};
  contacts[0].display_name = "Ann One";
  contacts[0].given_name = "Ann";
  contacts[1].provenance = model::Provenance{"/data/a.pst", "/Contacts", "401"};
  contacts[1].display_name = "Bo Two";
  contacts[1].given_name = "Bo";
  auto created = client_->createContacts(kAccount, "7", {{&contacts[0], nullptr, "fp-400"}, {&contacts[1], nullptr, "fp-401"}});
  for (const auto& c : created) ASSERT_TRUE(c.ok()) << c.error().describe();
  const auto state = g_server->state(kAccount);
  EXPECT_EQ(state.at("tasks.size"), "3");
  EXPECT_EQ(state.at("contacts.size"), "2");
  EXPECT_EQ(received("BatchRequest"), 3);
}

}  // namespace
}  // namespace m2z::zimbra
