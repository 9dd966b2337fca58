// ZimbraClient against the Zimbra SOAP test server (tools/zimbra-test-server) over HTTPS with
// the certificate verified, read back through the server's /test/state.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "fixtures.h"
#include "zimbra/client.h"

namespace m2z::zimbra {
namespace {

namespace fs = std::filesystem;

const std::string kSource = M2Z_SOURCE_DIR;
const std::string kServerDir = kSource + "/tools/zimbra-test-server";
const std::string kApiScript = kSource + "/tests/unit/zimbra/test_server_api.py";
constexpr const char* kPython = "/usr/bin/python3";
constexpr const char* kAccount = "user1@test.local";

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a command and returns its standard output (empty on failure).
std::string run(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  ::pclose(pipe);
  return output;
}

// One server for the whole suite: started in SetUpTestSuite, stopped (by its pid) at the end.
class TestServer {
 public:
  bool start(std::string& why) {
    dir_ = fs::temp_directory_path() / ("m2z-zimbra-e2e-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    if (!fs::exists(kServerDir + "/zimbra_test_server.py")) {
      why = "the test server is not there: " + kServerDir + "/zimbra_test_server.py";
      return false;
    }
    const std::string cert_dir = (dir_ / "cert").string();
    if (std::system(("/bin/sh " + quoted(kServerDir + "/make-test-cert.sh") + " " + quoted(cert_dir) + " >/dev/null").c_str()) != 0) {
      why = "make-test-cert.sh failed";
      return false;
    }
    ca_file_ = cert_dir + "/test-server.crt";
    const std::string key = cert_dir + "/test-server.key";
    const std::string port_file = (dir_ / "port").string();
    const std::string log = (dir_ / "server.log").string();
    const std::string script = kServerDir + "/zimbra_test_server.py";
    pid_ = ::fork();
    if (pid_ == 0) {
      const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (log_fd >= 0) {
        ::dup2(log_fd, 1);
        ::dup2(log_fd, 2);
      }
      ::execl(kPython, kPython, script.c_str(), "--port", "0", "--port-file", port_file.c_str(), "--tls-cert",
              ca_file_.c_str(), "--tls-key", key.c_str(), "--admin-user", "admin@test.local", "--admin-password",
              "secret", "--account", kAccount, static_cast<char*>(nullptr));
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        why = "the test server exited at start; its log: " + run("cat " + quoted(log));
        return false;
      }
      std::ifstream in(port_file);
      int port = 0;
      if (in >> port && port > 0) {
        base_url_ = "https://127.0.0.1:" + std::to_string(port);
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    why = "the test server wrote no port file within 60 s";
    return false;
  }

  void stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      int status = 0;
      while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
          ::kill(pid_, SIGKILL);
          ::waitpid(pid_, &status, 0);
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      pid_ = -1;
    }
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  std::map<std::string, std::string> state() const {
    std::map<std::string, std::string> values;
    const std::string text = run(std::string(kPython) + " " + quoted(kApiScript) + " state " + quoted(base_url_) + " " +
                                 quoted(ca_file_) + " " + quoted(kAccount));
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      const std::string line = text.substr(start, end - start);
      if (const auto eq = line.find('='); eq != std::string::npos) values[line.substr(0, eq)] = line.substr(eq + 1);
      start = end + 1;
    }
    return values;
  }

  std::string control(const std::string& json) const {
    return run(std::string(kPython) + " " + quoted(kApiScript) + " control " + quoted(base_url_) + " " + quoted(ca_file_) +
               " " + quoted(json));
  }

  ServerConfig config() const {
    ServerConfig c;
    c.admin_url = base_url_ + "/service/admin/soap";
    c.admin_user = "admin@test.local";
    c.admin_password = "secret";
    c.ca_file = ca_file_;
    c.timeout_seconds = 30;
    c.schema_dir = std::string(M2Z_SHARED_DIR) + "/zimbra-schemas/zcs8-2014a";
    return c;
  }

 private:
  fs::path dir_;
  pid_t pid_ = -1;
  std::string ca_file_;
  std::string base_url_;
};

TestServer* g_server = nullptr;
std::string g_start_failure;

class ZimbraE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    g_server = new TestServer;
    if (!g_server->start(g_start_failure)) {
      g_server->stop();
      delete g_server;
      g_server = nullptr;
    }
  }
  static void TearDownTestSuite() {
    if (g_server != nullptr) g_server->stop();
    delete g_server;
    g_server = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(g_server, nullptr) << g_start_failure;
    g_server->control("{\"reset\": true}");
  }

  std::unique_ptr<ZimbraClient> connectedClient(testing::RecordingObserver* observer = nullptr) {
    auto client = ZimbraClient::create(g_server->config(), observer);
    EXPECT_TRUE(client.ok()) << client.error().describe();
    if (!client.ok()) return nullptr;
    Status connected = (*client)->connect();
    EXPECT_TRUE(connected.ok()) << connected.error().describe();
    return std::move(client).value();
  }
};

// The index of the appointment with that UID in the flattened state, or -1.
int appointmentIndex(const std::map<std::string, std::string>& state, const std::string& uid) {
  const int count = std::stoi(state.count("appointments.size") ? state.at("appointments.size") : "0");
  for (int i = 0; i < count; ++i) {
    const auto it = state.find("appointments[" + std::to_string(i) + "].uid");
    if (it != state.end() && it->second == uid) return i;
  }
  return -1;
}

std::string localPart(const std::string& id) {
  const auto colon = id.rfind(':');
  return colon == std::string::npos ? id : id.substr(colon + 1);
}

TEST_F(ZimbraE2e, MigratesAppointmentsWithTlsVerified) {
  testing::RecordingObserver observer;
  auto client = connectedClient(&observer);
  ASSERT_TRUE(client);

  auto folder = client->createFolder(kAccount, "1", "Migrated");
  ASSERT_TRUE(folder.ok()) << folder.error().describe();
  auto again = client->createFolder(kAccount, "1", "Migrated");  // fie="1": the same folder
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_EQ(again->id, folder->id);

  const model::Appointment meeting = testing::timedMeeting();
  auto before = client->findAppointmentByUid(kAccount, meeting.uid);
  ASSERT_TRUE(before.ok()) << before.error().describe();
  EXPECT_FALSE(before->has_value());
  auto created = client->setAppointment(kAccount, folder->id, meeting);
  ASSERT_TRUE(created.ok()) << created.error().describe();
  auto after = client->findAppointmentByUid(kAccount, meeting.uid);
  ASSERT_TRUE(after.ok()) << after.error().describe();
  ASSERT_TRUE(after->has_value());
  EXPECT_EQ((*after)->id, created->id);
  EXPECT_EQ((*after)->folder_id, folder->id);

  model::Appointment summer = testing::timedMeeting();
  summer.uid = "summer-1";
  summer.resolved->start_local = testing::at(2014, 7, 1, 9, 0);
  summer.resolved->end_local = testing::at(2014, 7, 1, 9, 30);
  ASSERT_TRUE(client->setAppointment(kAccount, folder->id, summer).ok());
  auto all_day = client->setAppointment(kAccount, folder->id, testing::allDayEvent());
  ASSERT_TRUE(all_day.ok()) << all_day.error().describe();

  for (const Exchange& exchange : observer.exchanges) {
    EXPECT_TRUE(exchange.sent);
    EXPECT_TRUE(exchange.outcome == ExchangeOutcome::kOk ||
                (exchange.outcome == ExchangeOutcome::kFault && exchange.request_name == "GetAppointmentRequest"))
        << exchange.request_name << ": " << exchange.error;
  }

  const auto state = g_server->state();
  ASSERT_FALSE(state.empty()) << "no /test/state";
  EXPECT_EQ(state.at("appointments.size"), "3");

  const int m = appointmentIndex(state, meeting.uid);
  ASSERT_GE(m, 0);
  const auto field = [&](int index, const std::string& path) {
    const auto it = state.find("appointments[" + std::to_string(index) + "]." + path);
    return it == state.end() ? std::string("<missing>") : it->second;
  };
  // Acting on another account, Zimbra qualifies ids with the account id ("<zid>:258").
  EXPECT_EQ(field(m, "id"), localPart(created->id));
  EXPECT_EQ(field(m, "folderId"), localPart(folder->id));
  EXPECT_EQ(field(m, "folderPath"), "/Migrated");
  EXPECT_EQ(field(m, "default.name"), "Team meeting");
  EXPECT_EQ(field(m, "default.subject"), "Team meeting");
  EXPECT_EQ(field(m, "default.loc"), "Room 1");
  EXPECT_EQ(field(m, "default.fb"), "B");
  EXPECT_EQ(field(m, "default.class"), "PUB");
  EXPECT_EQ(field(m, "default.allDay"), "false");
  EXPECT_EQ(field(m, "default.ptst"), "AC");
  EXPECT_EQ(field(m, "default.s.d"), "20141101T090000");
  EXPECT_EQ(field(m, "default.s.tz"), "Europe/Berlin");
  // 2014-11-01 09:00 in Berlin is CET (UTC+1, summer time ended 2014-10-26): 08:00 UTC,
  // `date -u -d 2014-11-01T08:00:00Z +%s` = 1414828800.
  EXPECT_EQ(field(m, "default.s.utcMillis"), "1414828800000");
  EXPECT_EQ(field(m, "default.e.utcMillis"), "1414832400000");
  EXPECT_EQ(field(m, "default.description"), "Agenda:\\n1. Budget");
  EXPECT_EQ(field(m, "default.organizer.a"), "alice@example.com");
  EXPECT_EQ(field(m, "default.attendees.size"), "2");
  EXPECT_EQ(field(m, "default.attendees[0].a"), "bob@example.com");
  EXPECT_EQ(field(m, "default.attendees[0].role"), "REQ");
  EXPECT_EQ(field(m, "default.attendees[0].ptst"), "AC");
  EXPECT_EQ(field(m, "default.attendees[1].role"), "NON");
  EXPECT_EQ(field(m, "default.attendees[1].cutype"), "RES");
  EXPECT_EQ(field(m, "default.categories[0]"), "Work");
  EXPECT_EQ(field(m, "default.alarms.size"), "1");
  EXPECT_EQ(field(m, "default.alarms[0].action"), "DISPLAY");
  EXPECT_EQ(field(m, "default.alarms[0].related"), "START");

  // 2014-07-01 09:00 in Berlin is CEST (UTC+2): 07:00 UTC = 1404198000.
  const int s = appointmentIndex(state, "summer-1");
  ASSERT_GE(s, 0);
  EXPECT_EQ(field(s, "default.s.utcMillis"), "1404198000000");

  // The all-day event keeps its day: s = e = 20141101 as dates, allDay set.
  const int a = appointmentIndex(state, "all-day-1");
  ASSERT_GE(a, 0);
  EXPECT_EQ(field(a, "default.allDay"), "true");
  EXPECT_EQ(field(a, "default.s.d"), "20141101");
  EXPECT_EQ(field(a, "default.e.d"), "20141101");
  EXPECT_EQ(field(a, "default.fb"), "O");
}

TEST_F(ZimbraE2e, FaultsArriveAsTheirCodes) {
  auto client = connectedClient();
  ASSERT_TRUE(client);
  auto folder = client->createFolder(kAccount, "99999", "Nowhere");
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.error().code, "mail.NO_SUCH_FOLDER") << folder.error().describe();
  auto item = client->setAppointment(kAccount, "99999", testing::timedMeeting());
  ASSERT_FALSE(item.ok());
  EXPECT_EQ(item.error().code, "mail.NO_SUCH_FOLDER") << item.error().describe();
}

TEST_F(ZimbraE2e, WrongPasswordIsAnAuthFaultWithoutThePassword) {
  ServerConfig config = g_server->config();
  config.admin_password = "wrong-password-123";
  auto client = ZimbraClient::create(config);
  ASSERT_TRUE(client.ok());
  Status connected = (*client)->connect();
  ASSERT_FALSE(connected.ok());
  EXPECT_EQ(connected.error().code, "account.AUTH_FAILED") << connected.error().describe();
  EXPECT_EQ(connected.error().describe().find("wrong-password-123"), std::string::npos);
}

TEST_F(ZimbraE2e, ExpiredTokenIsRenewed) {
  testing::RecordingObserver observer;
  auto client = connectedClient(&observer);
  ASSERT_TRUE(client);
  const std::string first_token = client->authToken();
  g_server->control("{\"expire_tokens\": true}");
  auto found = client->findAppointmentByUid(kAccount, "nothing-here");
  ASSERT_TRUE(found.ok()) << found.error().describe();
  EXPECT_FALSE(found->has_value());
  EXPECT_NE(client->authToken(), first_token);
  // AuthRequest, the expired lookup, AuthRequest again, the repeated lookup.
  ASSERT_EQ(observer.exchanges.size(), 4u);
  EXPECT_EQ(observer.exchanges[2].request_name, "AuthRequest");
}

TEST_F(ZimbraE2e, UntrustedCertificateIsRefused) {
  ServerConfig config = g_server->config();
  config.ca_file.clear();  // the system store does not know the test server's self-signed cert
  auto client = ZimbraClient::create(config);
  ASSERT_TRUE(client.ok());
  Status connected = (*client)->connect();
  ASSERT_FALSE(connected.ok());
  EXPECT_EQ(connected.error().code, "transport.tls") << connected.error().describe();
}

TEST_F(ZimbraE2e, InsecureModeConnectsAndSaysSo) {
  ServerConfig config = g_server->config();
  config.ca_file.clear();
  config.insecure_skip_tls_verify = true;
  ::testing::internal::CaptureStderr();
  auto client = ZimbraClient::create(config);
  const std::string warning = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(client.ok());
  EXPECT_NE(warning.find("TLS certificate verification is DISABLED"), std::string::npos);
  EXPECT_TRUE((*client)->connect().ok());
}

}  // namespace
}  // namespace m2z::zimbra
