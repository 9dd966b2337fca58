// One database connection as the state store needs it: parameterised statements, scripts and
// write transactions; implemented over SQLite and libpq, whose handles never leave their files.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/result.h"
#include "model/time.h"

namespace m2z::state::detail {

enum class Dialect { kSqlite, kPostgres };

using SqlValue = std::variant<std::nullptr_t, std::int64_t, std::string>;
// Every column as text, NULL as nullopt.
using SqlRow = std::vector<std::optional<std::string>>;

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;

  virtual Dialect dialect() const = 0;
  virtual const std::string& location() const = 0;  // redacted

  // One statement with PostgreSQL-style $1..$n parameters (SQLite gets them as ?1..?n).
  // Errors name `operation` and the location.
  [[nodiscard]] virtual Result<std::vector<SqlRow>> query(std::string_view operation, std::string_view sql,
                                                          const std::vector<SqlValue>& params) = 0;
  // Several statements without parameters.
  [[nodiscard]] virtual Status execScript(std::string_view operation, std::string_view sql) = 0;

  // A write transaction: SQLite takes the database's write lock at once (BEGIN IMMEDIATE), so
  // two writers never deadlock upgrading a read lock; PostgreSQL locks rows as it goes.
  [[nodiscard]] virtual Status begin(std::string_view operation) = 0;
  [[nodiscard]] virtual Status commit(std::string_view operation) = 0;
  virtual void rollback() = 0;

  // SQLite: the system clock; PostgreSQL: the server's clock (one clock for every host).
  [[nodiscard]] virtual Result<model::Instant> now(std::string_view operation) = 0;
};

// Rolls back unless committed; the store's every write goes through one.
class Transaction {
 public:
  explicit Transaction(SqlConnection& connection) : connection_(connection) {}
  ~Transaction() {
    if (open_) connection_.rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  [[nodiscard]] Status begin(std::string_view operation) {
    Status status = connection_.begin(operation);
    open_ = status.ok();
    return status;
  }
  [[nodiscard]] Status commit(std::string_view operation) {
    Status status = connection_.commit(operation);
    if (status.ok()) open_ = false;
    return status;
  }

 private:
  SqlConnection& connection_;
  bool open_ = false;
};

[[nodiscard]] Result<std::unique_ptr<SqlConnection>> openSqlite(const std::string& path, int busy_timeout_seconds);
// url is handed to libpq; display is the redacted form used in messages.
[[nodiscard]] Result<std::unique_ptr<SqlConnection>> openPostgres(const std::string& url, const std::string& display,
                                                                  int connect_timeout_seconds);

}  // namespace m2z::state::detail
