// SqlConnection over libpq: the only file that includes libpq-fe.h.
#include <libpq-fe.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "state/location.h"
#include "state/sql_connection.h"

namespace m2z::state::detail {
namespace {

struct ConnectionCloser {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
using ConnectionPtr = std::unique_ptr<PGconn, ConnectionCloser>;

struct ResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultClearer>;

struct ConninfoFreer {
  void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};
using ConninfoPtr = std::unique_ptr<PQconninfoOption, ConninfoFreer>;

// pg_type OIDs (catalog/pg_type.h is a server header).
constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;

// Session settings that keep a stuck statement or a client that died inside a transaction from
// holding locks for ever.
constexpr std::string_view kSessionSetup =
    "SET statement_timeout = 60000; SET lock_timeout = 30000; "
    "SET idle_in_transaction_session_timeout = 60000; SET client_min_messages = warning";

void ignoreNotice(void*, const char*) {}

std::string valueOf(const PQconninfoOption* options, std::string_view keyword) {
  for (const PQconninfoOption* option = options; option != nullptr && option->keyword != nullptr; ++option) {
    if (keyword == option->keyword) return option->val != nullptr ? option->val : "";
  }
  return {};
}

bool isLocalHost(std::string_view host) {
  return host.empty() || host.front() == '/' || host == "localhost" || host == "::1" || host.starts_with("127.");
}

// Every host of a (possibly comma-separated) host list is this machine or a Unix socket.
bool allHostsLocal(const std::string& hosts) {
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = hosts.find(',', start);
    const std::string_view host = std::string_view(hosts).substr(start, comma == std::string::npos ? std::string::npos
                                                                                                   : comma - start);
    if (!isLocalHost(host)) return false;
    if (comma == std::string::npos) return true;
    start = comma + 1;
  }
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

class PostgresConnection final : public SqlConnection {
 public:
  PostgresConnection(ConnectionPtr connection, std::string location, std::vector<std::string> secrets)
      : connection_(std::move(connection)), location_(std::move(location)), secrets_(std::move(secrets)) {}

  Dialect dialect() const override { return Dialect::kPostgres; }
  const std::string& location() const override { return location_; }

  Status setUp() { return execScript("configure PostgreSQL session", kSessionSetup); }

  Result<std::vector<SqlRow>> query(std::string_view operation, std::string_view sql,
                                    const std::vector<SqlValue>& params) override {
    if (Status alive = reconnectIfLost(operation); !alive.ok()) return alive.error();
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    std::vector<Oid> types(params.size(), 0);
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (const auto* number = std::get_if<std::int64_t>(&params[i])) {
        texts[i] = std::to_string(*number);
        types[i] = kInt8Oid;
        values[i] = texts[i].c_str();
      } else if (const auto* text = std::get_if<std::string>(&params[i])) {
        // libpq takes C strings: a NUL would silently cut the value short.
        if (text->find('\0') != std::string::npos) {
          return fail("state.invalid_argument", operation, "a text value contains a NUL character");
        }
        types[i] = kTextOid;
        values[i] = text->c_str();
      }
    }
    const std::string statement(sql);
    ResultPtr result(PQexecParams(connection_.get(), statement.c_str(), static_cast<int>(params.size()), types.data(),
                                  values.data(), nullptr, nullptr, 0));
    if (Status status = check(operation, result.get()); !status.ok()) return status.error();
    std::vector<SqlRow> rows;
    const int row_count = PQntuples(result.get());
    const int column_count = PQnfields(result.get());
    rows.reserve(static_cast<std::size_t>(row_count));
    for (int r = 0; r < row_count; ++r) {
      SqlRow row;
      row.reserve(static_cast<std::size_t>(column_count));
      for (int c = 0; c < column_count; ++c) {
        if (PQgetisnull(result.get(), r, c) != 0) {
          row.emplace_back(std::nullopt);
        } else {
          row.emplace_back(std::string(PQgetvalue(result.get(), r, c),
                                       static_cast<std::size_t>(PQgetlength(result.get(), r, c))));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Status execScript(std::string_view operation, std::string_view sql) override {
    if (Status alive = reconnectIfLost(operation); !alive.ok()) return alive;
    const std::string script(sql);
    ResultPtr result(PQexec(connection_.get(), script.c_str()));
    return check(operation, result.get());
  }

  Status begin(std::string_view operation) override {
    Status status = execScript(operation, "BEGIN");
    in_transaction_ = status.ok();
    return status;
  }

  Status commit(std::string_view operation) override {
    in_transaction_ = false;
    ResultPtr result(PQexec(connection_.get(), "COMMIT"));
    if (Status status = check(operation, result.get()); !status.ok()) return status;
    // COMMIT of a transaction that already failed succeeds as a ROLLBACK.
    if (std::strcmp(PQcmdStatus(result.get()), "COMMIT") != 0) {
      return fail("state.query", operation, "the transaction was rolled back");
    }
    return {};
  }

  void rollback() override {
    in_transaction_ = false;
    if (PQtransactionStatus(connection_.get()) != PQTRANS_IDLE) {
      ResultPtr result(PQexec(connection_.get(), "ROLLBACK"));
    }
  }

  Result<model::Instant> now(std::string_view operation) override {
    auto rows = query(operation, "SELECT floor(extract(epoch FROM now()))::bigint", {});
    if (!rows.ok()) return rows.error();
    if (rows->size() != 1 || rows->front().size() != 1 || !rows->front()[0]) {
      return fail("state.query", operation, "the server did not say what time it is");
    }
    return model::Instant{std::strtoll(rows->front()[0]->c_str(), nullptr, 10)};
  }

 private:
  // A worker runs for hours: after the server restarts, reconnect once, but never inside a
  // transaction (its work is gone and the caller must know).
  Status reconnectIfLost(std::string_view operation) {
    if (PQstatus(connection_.get()) != CONNECTION_BAD) return {};
    if (in_transaction_) return fail("state.open", operation, "the connection to the server is lost: " + errorText());
    PQreset(connection_.get());
    if (PQstatus(connection_.get()) != CONNECTION_BAD) return setUp();
    return fail("state.open", operation, "the connection to the server is lost: " + errorText());
  }

  Status check(std::string_view operation, const PGresult* result) {
    const ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return {};
    const char* sqlstate = result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
    std::string code = "state.query";
    if (sqlstate != nullptr) {
      const std::string_view state(sqlstate);
      // serialization_failure, deadlock_detected, lock_not_available, query_canceled (timeout)
      if (state == "40001" || state == "40P01" || state == "55P03" || state == "57014") code = "state.busy";
    }
    std::string detail = result != nullptr && *PQresultErrorMessage(result) != '\0' ? PQresultErrorMessage(result)
                                                                                    : errorText();
    return fail(std::move(code), operation, trimmed(std::move(detail)));
  }

  std::string errorText() const { return trimmed(PQerrorMessage(connection_.get())); }

  Error fail(std::string code, std::string_view operation, std::string detail) const {
    return Error{std::move(code), std::string(operation) + " failed: " + scrubSecrets(std::move(detail), secrets_),
                 location_};
  }

  ConnectionPtr connection_;
  std::string location_;
  std::vector<std::string> secrets_;
  bool in_transaction_ = false;
};

}  // namespace

Result<std::unique_ptr<SqlConnection>> openPostgres(const std::string& url, const std::string& display,
                                                    int connect_timeout_seconds) {
  const std::vector<std::string> secrets = passwordsIn(url);
  char* parse_error = nullptr;
  ConninfoPtr parsed(PQconninfoParse(url.c_str(), &parse_error));
  if (!parsed) {
    std::string detail = parse_error != nullptr ? parse_error : "out of memory";
    PQfreemem(parse_error);
    return Error{"state.location", "not a usable PostgreSQL URL: " + scrubSecrets(trimmed(detail), secrets), display};
  }
  std::string hosts = valueOf(parsed.get(), "host");
  const std::string host_addresses = valueOf(parsed.get(), "hostaddr");
  if (hosts.empty() && !host_addresses.empty()) hosts = host_addresses;
  if (hosts.empty() && std::getenv("PGHOST") != nullptr) hosts = std::getenv("PGHOST");

  // Keywords before "dbname" are defaults that the URL, expanded in its place, may override.
  std::vector<std::pair<std::string, std::string>> settings = {
      {"connect_timeout", std::to_string(connect_timeout_seconds > 0 ? connect_timeout_seconds : 10)},
      {"keepalives", "1"},
      {"keepalives_idle", "30"},
      {"keepalives_interval", "10"},
      {"keepalives_count", "3"},
      {"application_name", "mapi2zimbra"},
  };
  // TLS is verified by default: libpq's own default ("prefer") neither insists on TLS nor checks
  // the certificate. A loopback or Unix-socket server never leaves the machine.
  if (valueOf(parsed.get(), "sslmode").empty() && std::getenv("PGSSLMODE") == nullptr && !allHostsLocal(hosts)) {
    settings.emplace_back("sslmode", "verify-full");
  }
  settings.emplace_back("dbname", url);
  std::vector<const char*> keywords;
  std::vector<const char*> values;
  for (const auto& [keyword, value] : settings) {
    keywords.push_back(keyword.c_str());
    values.push_back(value.c_str());
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);

  ConnectionPtr connection(PQconnectdbParams(keywords.data(), values.data(), 1));
  if (!connection) return Error{"state.open", "connecting to PostgreSQL failed: out of memory", display};
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    return Error{"state.open",
                 "connecting to PostgreSQL failed: " + scrubSecrets(trimmed(PQerrorMessage(connection.get())), secrets),
                 display};
  }
  PQsetNoticeProcessor(connection.get(), ignoreNotice, nullptr);
  auto result = std::make_unique<PostgresConnection>(std::move(connection), display, secrets);
  if (Status setup = result->setUp(); !setup.ok()) return setup.error();
  return std::unique_ptr<SqlConnection>(std::move(result));
}

}  // namespace m2z::state::detail
