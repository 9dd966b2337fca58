// SqlConnection over SQLite: the only file that includes sqlite3.h.
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "state/sql_connection.h"

namespace m2z::state::detail {
namespace {

constexpr std::size_t kMaxCachedStatements = 64;

struct DatabaseCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DatabasePtr = std::unique_ptr<sqlite3, DatabaseCloser>;

struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// Unbinds and resets a cached statement however the caller leaves.
class StatementUse {
 public:
  explicit StatementUse(sqlite3_stmt* statement) : statement_(statement) {}
  ~StatementUse() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;

 private:
  sqlite3_stmt* statement_;
};

// $n → ?n outside quoted text: SQLite's ?NNN binds by number exactly as PostgreSQL's $n does.
std::string toSqliteParameters(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      out += '?';
      continue;
    }
    out += c;
  }
  return out;
}

class SqliteConnection final : public SqlConnection {
 public:
  SqliteConnection(DatabasePtr db, std::string location) : db_(std::move(db)), location_(std::move(location)) {}

  Dialect dialect() const override { return Dialect::kSqlite; }
  const std::string& location() const override { return location_; }

  Result<std::vector<SqlRow>> query(std::string_view operation, std::string_view sql,
                                    const std::vector<SqlValue>& params) override {
    auto prepared = prepare(operation, sql);
    if (!prepared.ok()) return prepared.error();
    sqlite3_stmt* statement = prepared.value();
    StatementUse use(statement);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      int rc = SQLITE_OK;
      if (const auto* number = std::get_if<std::int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(statement, index, *number);
      } else if (const auto* text = std::get_if<std::string>(&params[i])) {
        if (text->size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
          return fail("state.invalid_argument", operation, "a parameter is too long");
        }
        rc = sqlite3_bind_text(statement, index, text->data(), static_cast<int>(text->size()), SQLITE_TRANSIENT);
      } else {
        rc = sqlite3_bind_null(statement, index);
      }
      if (rc != SQLITE_OK) return fail(codeOf(rc), operation, sqlite3_errmsg(db_.get()));
    }
    std::vector<SqlRow> rows;
    for (;;) {
      const int rc = sqlite3_step(statement);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return fail(codeOf(rc), operation, sqlite3_errmsg(db_.get()));
      const int columns = sqlite3_column_count(statement);
      SqlRow row;
      row.reserve(static_cast<std::size_t>(columns));
      for (int column = 0; column < columns; ++column) {
        if (sqlite3_column_type(statement, column) == SQLITE_NULL) {
          row.emplace_back(std::nullopt);
          continue;
        }
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
        const int size = sqlite3_column_bytes(statement, column);
        row.emplace_back(std::string(text == nullptr ? "" : text, static_cast<std::size_t>(size)));
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Status execScript(std::string_view operation, std::string_view sql) override {
    char* message = nullptr;
    const std::string script(sql);
    const int rc = sqlite3_exec(db_.get(), script.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string text = message != nullptr ? message : sqlite3_errstr(rc);
      sqlite3_free(message);
      return fail(codeOf(rc), operation, text);
    }
    return {};
  }

  Status begin(std::string_view operation) override { return execScript(operation, "BEGIN IMMEDIATE"); }
  Status commit(std::string_view operation) override { return execScript(operation, "COMMIT"); }
  void rollback() override {
    if (sqlite3_get_autocommit(db_.get()) == 0) (void)execScript("rollback", "ROLLBACK");
  }

  Result<model::Instant> now(std::string_view) override {
    const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
    return model::Instant{std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count()};
  }

 private:
  Result<sqlite3_stmt*> prepare(std::string_view operation, std::string_view sql) {
    const std::string key(sql);
    if (auto found = statements_.find(key); found != statements_.end()) return found->second.get();
    // Statements built from filters vary; keep the cache bounded. None is in use between calls.
    if (statements_.size() >= kMaxCachedStatements) statements_.clear();
    const std::string translated = toSqliteParameters(sql);
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(db_.get(), translated.c_str(), -1, &raw, nullptr);
    StatementPtr statement(raw);
    if (rc != SQLITE_OK) return fail(codeOf(rc), operation, sqlite3_errmsg(db_.get()));
    sqlite3_stmt* result = statement.get();
    statements_.emplace(key, std::move(statement));
    return result;
  }

  static const char* codeOf(int rc) {
    const int primary = rc & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED ? "state.busy" : "state.query";
  }

  Error fail(std::string code, std::string_view operation, std::string_view detail) const {
    return Error{std::move(code), std::string(operation) + " failed: " + std::string(detail), location_};
  }

  DatabasePtr db_;
  std::string location_;
  // Declared after db_, so destroyed (finalized) before the database closes.
  std::map<std::string, StatementPtr, std::less<>> statements_;
};

}  // namespace

Result<std::unique_ptr<SqlConnection>> openSqlite(const std::string& path, int busy_timeout_seconds) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  DatabasePtr db(raw);
  if (rc != SQLITE_OK) {
    std::string detail = db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc);
    return Error{"state.open", "opening the SQLite state store failed: " + detail, path};
  }
  sqlite3_extended_result_codes(db.get(), 1);
  const int timeout_ms = busy_timeout_seconds <= 0 ? 0 : busy_timeout_seconds * 1000;
  sqlite3_busy_timeout(db.get(), timeout_ms);
  auto connection = std::make_unique<SqliteConnection>(std::move(db), path);
  // WAL: readers (status) never wait for the writer. NORMAL in WAL mode keeps every committed
  // transaction across a process crash (kill -9); only a power cut may lose the last few, which
  // the next run finds again on the target by UID.
  Status setup = connection->execScript("configure SQLite",
                                        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
  if (!setup.ok()) return Error{"state.open", setup.error().message, path};
  return std::unique_ptr<SqlConnection>(std::move(connection));
}

}  // namespace m2z::state::detail
