// ZimbraClient against the Zimbra test server with faults injected on a schedule (503 bursts,
// maintenance mode, expired tokens, dropped connections, slow answers): every item lands exactly
// once, or the account is paused; every attempt is reported. Backoff bases are milliseconds here,
// so the whole suite waits only a few seconds of real time.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

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

// The appointments the server holds for kAccount, by UID (each UID's count).
std::map<std::string, int> appointmentsByUid() {
  const auto state = g_server->state(kAccount);
  std::map<std::string, int> counts;
  const int size = state.count("appointments.size") ? std::stoi(state.at("appointments.size")) : 0;
  for (int i = 0; i < size; ++i) ++counts[state.at("appointments[" + std::to_string(i) + "].uid")];
  return counts;
}

// How many requests named `name` the server received (its request log), and how many of those
// ended with `fault` ("http 503", "dropped", a Zimbra code; "" = answered normally).
int received(const std::string& name) {
  const auto log = g_server->requests();
  const int size = log.count("requests.size") ? std::stoi(log.at("requests.size")) : 0;
  int count = 0;
  for (int i = 0; i < size; ++i) count += log.at("requests[" + std::to_string(i) + "].name") == name;
  return count;
}
int receivedWithFault(const std::string& name, const std::string& fault) {
  const auto log = g_server->requests();
  const int size = log.count("requests.size") ? std::stoi(log.at("requests.size")) : 0;
  int count = 0;
  for (int i = 0; i < size; ++i) {
    const std::string at = "requests[" + std::to_string(i) + "].";
    const auto it = log.find(at + "fault");
    const std::string logged = it == log.end() || it->second == "null" ? "" : it->second;
    count += log.at(at + "name") == name && logged == fault;
  }
  return count;
}

std::vector<Exchange> named(const RecordingObserver& observer, const std::string& name) {
  std::vector<Exchange> out;
  for (const Exchange& exchange : observer.exchanges) {
    if (exchange.request_name == name) out.push_back(exchange);
  }
  return out;
}

model::Appointment meeting(const std::string& uid) {
  model::Appointment a = testing::timedMeeting();
  a.uid = uid;
  a.provenance.entry_id = "entry-" + uid;
  return a;
}

class ZimbraResilience : public ::testing::Test {
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
  }

  // Small waits so the suite runs in seconds: 10 ms base, 200 ms cap, 20 s per outage.
  static ServerConfig fastRetries() {
    ServerConfig c = g_server->config();
    c.retry.base_delay = std::chrono::milliseconds(10);
    c.retry.max_delay = std::chrono::milliseconds(200);
    c.retry.max_wait = std::chrono::seconds(20);
    c.max_requests_per_second = 0;
    return c;
  }

  std::unique_ptr<ZimbraClient> connected(ServerConfig config, RecordingObserver* observer) {
    auto client = ZimbraClient::create(std::move(config), observer);
    EXPECT_TRUE(client.ok()) << client.error().describe();
    if (!client.ok()) return nullptr;
    Status status = (*client)->connect();
    EXPECT_TRUE(status.ok()) << status.error().describe();
    return status.ok() ? std::move(client).value() : nullptr;
  }
};

TEST_F(ZimbraResilience, BurstOf503IsRetriedAndTheItemLandsOnce) {
  RecordingObserver observer;
  auto client = connected(fastRetries(), &observer);
  ASSERT_TRUE(client);
  g_server->control(R"({"faults": [{"kind": "http_status", "status": 503, "count": 3, "request": "SetAppointmentRequest"}]})");
  auto created = client->setAppointment(kAccount, "10", meeting("burst-1"));
  ASSERT_TRUE(created.ok()) << created.error().describe();

  // The rule fires three times, so the fourth send is the one that is stored.
  const auto sets = named(observer, "SetAppointmentRequest");
  ASSERT_EQ(sets.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(sets[i].attempt, i + 1);
    EXPECT_EQ(sets[i].http_status, 503);
    EXPECT_EQ(sets[i].outcome, ExchangeOutcome::kTransportError);
    EXPECT_TRUE(sets[i].will_retry);
    EXPECT_NE(sets[i].retry_reason.find("unavailable"), std::string::npos) << sets[i].retry_reason;
  }
  EXPECT_EQ(sets[3].attempt, 4);
  EXPECT_EQ(sets[3].outcome, ExchangeOutcome::kOk);
  EXPECT_FALSE(sets[3].will_retry);
  // A 503 comes before the handler runs: nothing stored, no look-up needed before resending.
  EXPECT_TRUE(named(observer, "GetAppointmentRequest").empty());

  EXPECT_EQ(receivedWithFault("SetAppointmentRequest", "http 503"), 3);
  EXPECT_EQ(received("SetAppointmentRequest"), 4);
  EXPECT_EQ(appointmentsByUid(), (std::map<std::string, int>{{"burst-1", 1}}));
}

TEST_F(ZimbraResilience, MaintenanceForAFewSecondsThenOffLandsEveryItemOnce) {
  RecordingObserver observer;
  auto client = connected(fastRetries(), &observer);
  ASSERT_TRUE(client);
  g_server->control(R"({"maintenance": {"account": "user1@test.local", "on": true}})");
  std::thread ends_maintenance([] {
    std::this_thread::sleep_for(std::chrono::seconds(2));
    g_server->control(R"({"maintenance": {"account": "user1@test.local", "on": false}})");
  });
  const auto started = std::chrono::steady_clock::now();
  for (const char* uid : {"maint-1", "maint-2", "maint-3"}) {
    auto created = client->setAppointment(kAccount, "10", meeting(uid));
    EXPECT_TRUE(created.ok()) << uid << ": " << created.error().describe();
  }
  ends_maintenance.join();
  // The first item waited out the maintenance (2 s), within its 20 s budget.
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1900));

  EXPECT_EQ(appointmentsByUid(), (std::map<std::string, int>{{"maint-1", 1}, {"maint-2", 1}, {"maint-3", 1}}));
  const int refused = receivedWithFault("SetAppointmentRequest", "account.MAINTENANCE_MODE");
  EXPECT_GE(refused, 1);
  int faults_seen = 0;
  for (const Exchange& exchange : named(observer, "SetAppointmentRequest")) {
    if (exchange.fault_code != "account.MAINTENANCE_MODE") continue;
    ++faults_seen;
    EXPECT_TRUE(exchange.will_retry);
    EXPECT_EQ(exchange.outcome, ExchangeOutcome::kFault);
  }
  EXPECT_EQ(faults_seen, refused);  // every refused attempt was reported
}

TEST_F(ZimbraResilience, MaintenanceOutlastingTheBoundPausesTheAccount) {
  RecordingObserver observer;
  ServerConfig config = fastRetries();
  config.retry.max_wait = std::chrono::seconds(1);
  auto client = connected(config, &observer);
  ASSERT_TRUE(client);
  g_server->control(R"({"maintenance": {"account": "user1@test.local", "on": true}})");

  const auto started = std::chrono::steady_clock::now();
  auto paused = client->setAppointment(kAccount, "10", meeting("paused-1"));
  const auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(paused.ok());
  EXPECT_EQ(paused.error().code, kPausedCode) << paused.error().describe();
  EXPECT_NE(paused.error().context.find("entry-paused-1"), std::string::npos) << paused.error().context;
  // It waited the whole budget (1 s), and not much more (the last wait is cut to the budget).
  EXPECT_GE(waited, std::chrono::seconds(1));
  EXPECT_LT(waited, std::chrono::seconds(5));
  const Exchange last = observer.exchanges.back();
  EXPECT_FALSE(last.will_retry);
  EXPECT_NE(last.retry_reason.find("pausing"), std::string::npos) << last.retry_reason;

  // Still unavailable: the next call makes a single attempt and pauses again.
  const std::size_t before = observer.exchanges.size();
  auto again = client->findAppointmentByUid(kAccount, "paused-1");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, kPausedCode);
  EXPECT_EQ(observer.exchanges.size(), before + 1);

  // Back from maintenance: the account answers again and the item lands (a later run's path).
  g_server->control(R"({"maintenance": {"account": "user1@test.local", "on": false}})");
  auto resumed = client->setAppointment(kAccount, "10", meeting("paused-1"));
  ASSERT_TRUE(resumed.ok()) << resumed.error().describe();
  EXPECT_EQ(appointmentsByUid(), (std::map<std::string, int>{{"paused-1", 1}}));
}

TEST_F(ZimbraResilience, ExpiredTokenIsRenewedTransparently) {
  RecordingObserver observer;
  auto client = connected(fastRetries(), &observer);
  ASSERT_TRUE(client);
  const std::string first_token = client->authToken();
  g_server->control(R"({"expire_tokens": true})");
  auto created = client->setAppointment(kAccount, "10", meeting("token-1"));
  ASSERT_TRUE(created.ok()) << created.error().describe();
  EXPECT_NE(client->authToken(), first_token);
  EXPECT_EQ(client->stats().token_renewals, 1);
  // AuthRequest (connect), SetAppointment refused, AuthRequest (renewal), SetAppointment again.
  ASSERT_EQ(observer.exchanges.size(), 4u);
  EXPECT_EQ(observer.exchanges[1].fault_code, "service.AUTH_EXPIRED");
  EXPECT_TRUE(observer.exchanges[1].will_retry);
  EXPECT_EQ(observer.exchanges[2].request_name, "AuthRequest");
  EXPECT_EQ(observer.exchanges[3].request_name, "SetAppointmentRequest");
  EXPECT_EQ(observer.exchanges[3].attempt, 2);
  EXPECT_EQ(observer.exchanges[3].outcome, ExchangeOutcome::kOk);
  EXPECT_EQ(appointmentsByUid(), (std::map<std::string, int>{{"token-1", 1}}));
}

TEST_F(ZimbraResilience, ConnectionDroppedBeforeCommitIsLookedUpThenResent) {
  RecordingObserver observer;
  auto client = connected(fastRetries(), &observer);
  ASSERT_TRUE(client);
  g_server->control(R"({"faults": [{"kind": "drop_before_commit", "request": "SetAppointmentRequest"}]})");
  auto created = client->setAppointment(kAccount, "10", meeting("drop-before-1"));
  ASSERT_TRUE(created.ok()) << created.error().describe();

  // Sent, lost (nothing stored), looked up (not there), sent again.
  ASSERT_EQ(observer.exchanges.size(), 4u);
  EXPECT_EQ(observer.exchanges[1].request_name, "SetAppointmentRequest");
  EXPECT_EQ(observer.exchanges[1].outcome, ExchangeOutcome::kTransportError);
  EXPECT_TRUE(observer.exchanges[1].will_retry);
  EXPECT_EQ(observer.exchanges[2].request_name, "GetAppointmentRequest");
  EXPECT_EQ(observer.exchanges[2].fault_code, "mail.NO_SUCH_APPT");
  EXPECT_EQ(observer.exchanges[3].request_name, "SetAppointmentRequest");
  EXPECT_EQ(observer.exchanges[3].outcome, ExchangeOutcome::kOk);

  EXPECT_EQ(receivedWithFault("SetAppointmentRequest", "dropped"), 1);
  EXPECT_EQ(received("SetAppointmentRequest"), 2);
  EXPECT_EQ(appointmentsByUid(), (std::map<std::string, int>{{"drop-before-1", 1}}));
}

TEST_F(ZimbraResilience, ConnectionDroppedAfterCommitIsFoundNotResent) {
  RecordingObserver observer;
  auto client = connected(fastRetries(), &observer);
  ASSERT_TRUE(client);
  g_server->control(R"({"faults": [{"kind": "drop_after_commit", "request": "SetAppointmentRequest"}]})");
  auto created = client->setAppointment(kAccount, "10", meeting("drop-after-1"));
  ASSERT_TRUE(created.ok()) << created.error().describe();

  // Sent and stored, answer lost; the look-up finds it, so it is not sent again.
  ASSERT_EQ(observer.exchanges.size(), 3u);
  EXPECT_EQ(observer.exchanges[1].outcome, ExchangeOutcome::kTransportError);
  EXPECT_EQ(observer.exchanges[2].request_name, "GetAppointmentRequest");
  EXPECT_EQ(observer.exchanges[2].outcome, ExchangeOutcome::kOk);
  EXPECT_EQ(received("SetAppointmentRequest"), 1);

  const auto state = g_server->state(kAccount);
  ASSERT_EQ(state.at("appointments.size"), "1");
  EXPECT_EQ(state.at("appointments[0].uid"), "drop-after-1");
  // The returned id is the stored item's ("<account id>:<item id>" when acting for another account).
  const std::string id = created->id.substr(created->id.rfind(':') + 1);
  EXPECT_EQ(id, state.at("appointments[0].id"));
}

TEST_F(ZimbraResilience, TimeoutIsRetriedWithoutASecondCopy) {
  RecordingObserver observer;
  ServerConfig config = fastRetries();
  config.timeout_seconds = 1;
  auto client = connected(config, &observer);
  ASSERT_TRUE(client);
  // The first SetAppointmentRequest is held 1.5 s (past our 1 s timeout) and then stored.
  g_server->control(R"({"faults": [{"kind": "delay", "ms": 1500, "request": "SetAppointmentRequest"}]})");
  auto created = client->setAppointment(kAccount, "10", meeting("slow-1"));
  ASSERT_TRUE(created.ok()) << created.error().describe();
  EXPECT_EQ(named(observer, "SetAppointmentRequest").front().error.rfind("transport.timeout", 0), 0u);
  // Let the held request finish, then count: a UID sent twice is stored once (Zimbra replaces
  // an item whose UID it has), and the look-up ran before the resend.
  for (int i = 0; i < 50 && received("SetAppointmentRequest") < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_FALSE(named(observer, "GetAppointmentRequest").empty());
  EXPECT_EQ(appointmentsByUid(), (std::map<std::string, int>{{"slow-1", 1}}));
}

TEST_F(ZimbraResilience, KeepAliveUsesOneConnection) {
  RecordingObserver observer;
  ServerConfig config = fastRetries();
  config.max_requests_per_second = 30;  // the default pacing, checked end to end
  auto client = connected(config, &observer);
  ASSERT_TRUE(client);
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(client->setAppointment(kAccount, "10", meeting("keep-" + std::to_string(i))).ok());
  }
  // 11 requests at 30 per second: the last starts at least 10/30 s after the first.
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(320));
  EXPECT_EQ(client->stats().requests_sent, 11);
  EXPECT_EQ(client->stats().connections_opened, 1);  // curl's CURLINFO_NUM_CONNECTS, summed

  // A dropped connection is replaced by exactly one new one.
  g_server->control(R"({"faults": [{"kind": "drop_before_commit", "request": "SetAppointmentRequest"}]})");
  ASSERT_TRUE(client->setAppointment(kAccount, "10", meeting("keep-after-drop")).ok());
  EXPECT_EQ(client->stats().connections_opened, 2);
}

TEST_F(ZimbraResilience, DryRunSendsNothing) {
  RecordingObserver observer;
  ServerConfig config = g_server->config();
  config.dry_run = true;
  auto client = connected(config, &observer);
  ASSERT_TRUE(client);
  auto folder = client->createFolder(kAccount, "1", "Dry");
  ASSERT_TRUE(folder.ok()) << folder.error().describe();
  auto found = client->findAppointmentByUid(kAccount, "dry-1");
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
  ASSERT_TRUE(client->setAppointment(kAccount, folder->id, meeting("dry-1")).ok());
  for (const Exchange& exchange : observer.exchanges) EXPECT_EQ(exchange.outcome, ExchangeOutcome::kDryRun);
  EXPECT_EQ(client->stats().requests_sent, 0);
  // The server's log is empty: not even the AuthRequest reached it.
  EXPECT_EQ(g_server->requests().at("requests.size"), "0");
}

}  // namespace
}  // namespace m2z::zimbra
