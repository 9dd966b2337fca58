// The Zimbra SOAP test server (tools/zimbra-test-server) as a child process over HTTPS, with its
// JSON test API (state, request log, fault control) reached through test_server_api.py.
// Shared by the resilience e2e test and bench/zimbra_client_bench.cpp.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "zimbra/client.h"

namespace m2z::zimbra::testing {

// "key=value" lines (test_server_api.py's flat output) as a map.
inline std::map<std::string, std::string> flatLines(const std::string& text) {
  std::map<std::string, std::string> values;
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

class ZimbraTestServer {
 public:
  static constexpr const char* kPython = "/usr/bin/python3";
  static constexpr const char* kAdminUser = "admin@test.local";
  static constexpr const char* kAdminPassword = "secret";

  ZimbraTestServer(std::string source_dir, std::string shared_dir)
      : source_dir_(std::move(source_dir)), shared_dir_(std::move(shared_dir)) {}
  ~ZimbraTestServer() { stop(); }
  ZimbraTestServer(const ZimbraTestServer&) = delete;
  ZimbraTestServer& operator=(const ZimbraTestServer&) = delete;

  // Starts the server with these mailbox accounts; false (and `why`) when it does not come up.
  bool start(const std::vector<std::string>& accounts, std::string& why) {
    namespace fs = std::filesystem;
    const std::string server_dir = source_dir_ + "/tools/zimbra-test-server";
    static int servers_started = 0;  // one folder per server, also when one process starts several
    dir_ = fs::temp_directory_path() /
           ("m2z-zts-" + std::to_string(::getpid()) + "-" + std::to_string(++servers_started));
    fs::create_directories(dir_);
    if (!fs::exists(server_dir + "/zimbra_test_server.py")) {
      why = "the test server is not there: " + server_dir;
      return false;
    }
    const std::string cert_dir = (dir_ / "cert").string();
    if (std::system(("/bin/sh " + quoted(server_dir + "/make-test-cert.sh") + " " + quoted(cert_dir) + " >/dev/null")
                        .c_str()) != 0) {
      why = "make-test-cert.sh failed";
      return false;
    }
    ca_file_ = cert_dir + "/test-server.crt";
    const std::string key = cert_dir + "/test-server.key";
    const std::string port_file = (dir_ / "port").string();
    log_ = (dir_ / "server.log").string();
    const std::string script = server_dir + "/zimbra_test_server.py";
    const std::string schemas = shared_dir_ + "/zimbra-schemas/zcs8-2014a";
    std::vector<std::string> args = {kPython,      script,           "--port",          "0",
                                     "--port-file", port_file,        "--tls-cert",      ca_file_,
                                     "--tls-key",   key,              "--admin-user",    kAdminUser,
                                     "--admin-password", kAdminPassword, "--schemas",    schemas};
    for (const std::string& account : accounts) {
      args.push_back("--account");
      args.push_back(account);
    }
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      const int log_fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (log_fd >= 0) {
        ::dup2(log_fd, 1);
        ::dup2(log_fd, 2);
      }
      ::execv(kPython, argv.data());
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        why = "the test server exited at start; its log: " + run("cat " + quoted(log_));
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

  // Stops the server this object started (by its pid) and removes its folder.
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
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
    dir_.clear();
  }

  std::map<std::string, std::string> state(const std::string& account) const {
    return flatLines(api("state", account));
  }
  // The server's request log after sequence number `since`, flattened ("requests[0].name=...").
  std::map<std::string, std::string> requests(int since = 0) const {
    return flatLines(api("requests", std::to_string(since)));
  }
  std::string control(const std::string& json) const { return api("control", json); }

  ServerConfig config() const {
    ServerConfig c;
    c.admin_url = base_url_ + "/service/admin/soap";
    c.admin_user = kAdminUser;
    c.admin_password = kAdminPassword;
    c.ca_file = ca_file_;
    c.timeout_seconds = 30;
    c.schema_dir = shared_dir_ + "/zimbra-schemas/zcs8-2014a";
    return c;
  }

  std::string log() const { return run("cat " + quoted(log_)); }

 private:
  static std::string quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  }

  static std::string run(const std::string& command) {
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return output;
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
    ::pclose(pipe);
    return output;
  }

  std::string api(const std::string& command, const std::string& argument) const {
    const std::string script = source_dir_ + "/tests/unit/zimbra/test_server_api.py";
    return run(std::string(kPython) + " " + quoted(script) + " " + command + " " + quoted(base_url_) + " " +
               quoted(ca_file_) + " " + quoted(argument));
  }

  std::string source_dir_;
  std::string shared_dir_;
  std::filesystem::path dir_;
  std::string log_;
  pid_t pid_ = -1;
  std::string ca_file_;
  std::string base_url_;
};

}  // namespace m2z::zimbra::testing
