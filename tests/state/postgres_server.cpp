#include "postgres_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace m2z::state::testing {
namespace {

constexpr const char* kMissingServer =
    "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found under /usr/lib/postgresql/*/bin "
    "(or $M2Z_PG_BINDIR): apt-get install postgresql (or run tools/setup.sh)";
constexpr int kCommandTimeoutSeconds = 60;

bool isExecutable(const std::filesystem::path& path) { return ::access(path.c_str(), X_OK) == 0; }

bool hasServerPrograms(const std::filesystem::path& dir) {
  return isExecutable(dir / "initdb") && isExecutable(dir / "pg_ctl") && isExecutable(dir / "postgres");
}

// The newest installed server, or $M2Z_PG_BINDIR.
std::string findBinDir() {
  if (const char* forced = std::getenv("M2Z_PG_BINDIR"); forced != nullptr && *forced != '\0') {
    return hasServerPrograms(forced) ? forced : "";
  }
  std::error_code error;
  int best_version = -1;
  std::string best;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", error)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    const int version = std::atoi(name.c_str());
    if (version > best_version && hasServerPrograms(entry.path() / "bin")) {
      best_version = version;
      best = (entry.path() / "bin").string();
    }
  }
  return best;
}

int freeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string tail(const std::string& text, std::size_t size = 2000) {
  return text.size() <= size ? text : text.substr(text.size() - size);
}

// Waits for a child, killing it after the deadline so a stuck command cannot hang the tests.
int waitWithDeadline(pid_t pid, int timeout_seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (done < 0) return -1;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -2;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

struct ConnectionCloser {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
struct ResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};

}  // namespace

std::unique_ptr<PostgresServer> PostgresServer::start(std::string& error) {
  std::unique_ptr<PostgresServer> server(new PostgresServer());
  server->bin_dir_ = findBinDir();
  if (server->bin_dir_.empty()) {
    error = kMissingServer;
    return nullptr;
  }
  server->as_postgres_user_ = ::geteuid() == 0;
  uid_t uid = ::geteuid();
  gid_t gid = ::getegid();
  if (server->as_postgres_user_) {
    const passwd* postgres = ::getpwnam("postgres");
    if (postgres == nullptr) {
      error = "no 'postgres' system user to run the test server as: apt-get install postgresql";
      return nullptr;
    }
    uid = postgres->pw_uid;
    gid = postgres->pw_gid;
  }
  char pattern[] = "/tmp/m2z-pg-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) {
    error = "cannot make a temporary folder for the test server";
    return nullptr;
  }
  server->dir_ = pattern;
  // The server refuses a password it could guess; this one also shows whether messages leak it.
  server->password_ = "Pg-T3st!secret-" + std::to_string(::getpid());
  const std::string password_file = server->dir_ + "/password";
  {
    std::ofstream out(password_file);
    out << server->password_ << "\n";
  }
  if (::chown(server->dir_.c_str(), uid, gid) != 0 || ::chown(password_file.c_str(), uid, gid) != 0 ||
      ::chmod(server->dir_.c_str(), 0700) != 0 || ::chmod(password_file.c_str(), 0600) != 0) {
    error = "cannot hand " + server->dir_ + " to the postgres user";
    return nullptr;
  }
  if (!server->run("initdb", {server->bin_dir_ + "/initdb", "-D", server->dir_ + "/data", "-U", server->user_,
                              "--pwfile=" + password_file, "-A", "scram-sha-256", "-E", "UTF8", "--locale=C",
                              "--no-sync"},
                   error)) {
    return nullptr;
  }
  // A port that was free a moment ago may be taken by the time the server binds it: try again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    server->port_ = freeLoopbackPort();
    if (server->port_ == 0) continue;
    const std::string options = "-c listen_addresses=127.0.0.1 -p " + std::to_string(server->port_) +
                                " -c unix_socket_directories=" + server->dir_ +
                                " -c fsync=off -c full_page_writes=off -c max_connections=40";
    if (server->run("pg_ctl start", {server->bin_dir_ + "/pg_ctl", "-D", server->dir_ + "/data", "-l",
                                     server->dir_ + "/server.log", "-w", "-t", "30", "-o", options, "start"},
                    error)) {
      server->running_ = true;
      return server;
    }
  }
  error += "\nserver log:\n" + tail(readFile(server->dir_ + "/server.log"));
  return nullptr;
}

PostgresServer::~PostgresServer() {
  if (running_) {
    std::string ignored;
    (void)run("pg_ctl stop", {bin_dir_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "-w", "stop"}, ignored);
  }
  if (!dir_.empty()) {
    std::error_code error;
    std::filesystem::remove_all(dir_, error);
  }
}

bool PostgresServer::run(const std::string& what, const std::vector<std::string>& argv, std::string& error) {
  std::vector<std::string> command;
  if (as_postgres_user_) command = {"runuser", "-u", "postgres", "--"};
  command.insert(command.end(), argv.begin(), argv.end());
  const std::string log = dir_ + "/command.log";
  const pid_t pid = ::fork();
  if (pid < 0) {
    error = what + ": fork failed";
    return false;
  }
  if (pid == 0) {
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out >= 0) {
      ::dup2(out, STDOUT_FILENO);
      ::dup2(out, STDERR_FILENO);
    }
    std::vector<char*> args;
    for (std::string& arg : command) args.push_back(arg.data());
    args.push_back(nullptr);
    // runuser needs a working directory the postgres user may enter.
    if (::chdir("/") != 0) ::_exit(126);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  const int status = waitWithDeadline(pid, kCommandTimeoutSeconds);
  if (status == 0) return true;
  error = what + " failed (status " + std::to_string(status) + "): " + tail(readFile(log));
  return false;
}

std::string PostgresServer::url(const std::string& database) const {
  return "postgresql://" + user_ + ":" + password_ + "@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

bool PostgresServer::execute(const std::string& database, const std::string& sql, std::string& error) {
  std::unique_ptr<PGconn, ConnectionCloser> connection(PQconnectdb(url(database).c_str()));
  if (!connection || PQstatus(connection.get()) != CONNECTION_OK) {
    error = connection ? PQerrorMessage(connection.get()) : "out of memory";
    return false;
  }
  std::unique_ptr<PGresult, ResultClearer> result(PQexec(connection.get(), sql.c_str()));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    error = PQerrorMessage(connection.get());
    return false;
  }
  return true;
}

bool PostgresServer::createDatabase(const std::string& name, std::string& error) {
  return execute("postgres", "CREATE DATABASE \"" + name + "\"", error);
}

PostgresServer* sharedPostgresServer(std::string& error) {
  // Destroyed at exit, which stops the server; forked children leave with _exit and do not.
  static std::string start_error;
  static std::unique_ptr<PostgresServer> server = PostgresServer::start(start_error);
  error = start_error;
  return server.get();
}

}  // namespace m2z::state::testing
