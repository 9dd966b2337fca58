// A private PostgreSQL server for tests: initdb into a temporary folder, listening on 127.0.0.1
// only, stopped and removed again when the object goes. Never the system's cluster.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace m2z::state::testing {

class PostgresServer {
 public:
  // Runs initdb and starts the server (as the postgres user via runuser when run as root, since
  // initdb refuses root). Null with `error` set when it cannot; a missing server names the
  // Debian package to install.
  static std::unique_ptr<PostgresServer> start(std::string& error);
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // postgresql://USER:PASSWORD@127.0.0.1:PORT/DATABASE
  std::string url(const std::string& database) const;
  const std::string& user() const { return user_; }
  const std::string& password() const { return password_; }
  int port() const { return port_; }

  bool createDatabase(const std::string& name, std::string& error);
  // Runs SQL in a database (for tests that tamper with a store behind its back).
  bool execute(const std::string& database, const std::string& sql, std::string& error);

 private:
  PostgresServer() = default;
  // Runs one of the server's programs (as the postgres user when we are root), output to a log.
  bool run(const std::string& what, const std::vector<std::string>& argv, std::string& error);

  std::string bin_dir_;
  std::string dir_;  // the temporary folder: data/, logs, socket
  std::string user_ = "m2z";
  std::string password_;
  int port_ = 0;
  bool running_ = false;
  bool as_postgres_user_ = false;
};

// The one server of a test binary, started on first use and stopped at exit. Null (and the
// reason in `error`) when it cannot start.
PostgresServer* sharedPostgresServer(std::string& error);

}  // namespace m2z::state::testing
