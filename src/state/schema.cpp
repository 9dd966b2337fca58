#include "state/schema.h"

#include <charconv>
#include <cstdint>
#include <string>

namespace m2z::state::detail {
namespace {

// Made inside each step's transaction, so that two processes creating a new store at once do not
// race on it (PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against a concurrent create).
constexpr std::string_view kCreateVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version BIGINT PRIMARY KEY,"
    " description TEXT NOT NULL,"
    " applied_at BIGINT NOT NULL)";

// Serializes schema upgrades between hosts sharing one PostgreSQL database ("m2z_" in ASCII).
constexpr std::string_view kLockSchema = "SELECT pg_advisory_xact_lock(1831500383)";

// Times are Unix seconds (BIGINT) in both dialects, so that lease arithmetic is the same SQL.
// PostgreSQL's text columns that are sorted on use the "C" collation, to sort bytewise as SQLite
// does whatever the database's locale.
constexpr std::string_view kAccountsSqlite = R"sql(
CREATE TABLE accounts (
  name TEXT PRIMARY KEY,
  target_account TEXT NOT NULL DEFAULT '',
  source_bytes BIGINT NOT NULL DEFAULT 0,
  source_host TEXT NOT NULL DEFAULT '',
  target_server TEXT NOT NULL DEFAULT '',
  group_name TEXT NOT NULL DEFAULT '',
  requested_date TEXT,
  status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN
    ('planned', 'queued', 'reading', 'writing', 'verifying', 'done', 'failed', 'paused')),
  hold BIGINT NOT NULL DEFAULT 0,
  attempts BIGINT NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  worker_id TEXT,
  lease_expires_at BIGINT,
  created_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE TABLE account_sources (
  account TEXT NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  path TEXT NOT NULL,
  PRIMARY KEY (account, position)
);
CREATE INDEX accounts_by_status ON accounts (status, hold);
)sql";

constexpr std::string_view kAccountsPostgres = R"sql(
CREATE TABLE accounts (
  name TEXT COLLATE "C" PRIMARY KEY,
  target_account TEXT NOT NULL DEFAULT '',
  source_bytes BIGINT NOT NULL DEFAULT 0,
  source_host TEXT NOT NULL DEFAULT '',
  target_server TEXT NOT NULL DEFAULT '',
  group_name TEXT COLLATE "C" NOT NULL DEFAULT '',
  requested_date TEXT COLLATE "C",
  status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN
    ('planned', 'queued', 'reading', 'writing', 'verifying', 'done', 'failed', 'paused')),
  hold BIGINT NOT NULL DEFAULT 0,
  attempts BIGINT NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  worker_id TEXT,
  lease_expires_at BIGINT,
  created_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE TABLE account_sources (
  account TEXT COLLATE "C" NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  path TEXT NOT NULL,
  PRIMARY KEY (account, position)
);
CREATE INDEX accounts_by_status ON accounts (status, hold);
)sql";

constexpr std::string_view kItemsSqlite = R"sql(
CREATE TABLE items (
  account TEXT NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
  source_file TEXT NOT NULL,
  entry_id TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT '',
  content_hash TEXT NOT NULL DEFAULT '',
  uid_original TEXT NOT NULL DEFAULT '',
  uid_sent TEXT NOT NULL DEFAULT '',
  target_id TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL CHECK (outcome IN ('pending', 'created', 'already_present', 'skipped', 'failed')),
  reason TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (account, source_file, entry_id)
);
)sql";

constexpr std::string_view kItemsPostgres = R"sql(
CREATE TABLE items (
  account TEXT COLLATE "C" NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
  source_file TEXT COLLATE "C" NOT NULL,
  entry_id TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL DEFAULT '',
  content_hash TEXT NOT NULL DEFAULT '',
  uid_original TEXT NOT NULL DEFAULT '',
  uid_sent TEXT NOT NULL DEFAULT '',
  target_id TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL CHECK (outcome IN ('pending', 'created', 'already_present', 'skipped', 'failed')),
  reason TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (account, source_file, entry_id)
);
)sql";

Result<int> readVersion(SqlConnection& connection, std::string_view operation) {
  auto rows = connection.query(operation, "SELECT max(version) FROM schema_version", {});
  if (!rows.ok()) return rows.error();
  if (rows->empty() || rows->front().empty() || !rows->front()[0]) return 0;
  const std::string& text = *rows->front()[0];
  int version = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (error != std::errc() || end != text.data() + text.size() || version < 0) {
    return Error{"state.migrate", std::string(operation) + " failed: schema_version holds '" + text + "'",
                 connection.location()};
  }
  return version;
}

}  // namespace

const std::vector<MigrationStep>& migrationSteps() {
  static const std::vector<MigrationStep> steps = {
      {1, "accounts and their source files", kAccountsSqlite, kAccountsPostgres},
      {2, "items", kItemsSqlite, kItemsPostgres},
  };
  return steps;
}

int latestSchemaVersion() { return migrationSteps().back().version; }

Result<int> currentSchemaVersion(SqlConnection& connection) {
  constexpr std::string_view kOperation = "reading the schema version";
  auto exists = connection.query(
      kOperation,
      connection.dialect() == Dialect::kSqlite
          ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
          : "SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = 'schema_version' "
            "AND schemaname = ANY (current_schemas(false))",
      {});
  if (!exists.ok()) return exists.error();
  if (exists->empty() || exists->front().empty() || exists->front()[0].value_or("0") == "0") return 0;
  return readVersion(connection, kOperation);
}

Result<int> migrate(SqlConnection& connection, int max_version, std::int64_t now_seconds) {
  const int latest = latestSchemaVersion();
  const int target = max_version <= 0 || max_version > latest ? latest : max_version;
  for (;;) {
    const std::string operation = "upgrading the schema";
    Transaction transaction(connection);
    if (Status begun = transaction.begin(operation); !begun.ok()) return begun.error();
    if (connection.dialect() == Dialect::kPostgres) {
      if (auto locked = connection.query(operation, kLockSchema, {}); !locked.ok()) return locked.error();
    }
    if (Status created = connection.execScript(operation, kCreateVersionTable); !created.ok()) return created.error();
    auto version = readVersion(connection, operation);
    if (!version.ok()) return version.error();
    const int current = version.value();
    if (current > latest) {
      return Error{"state.schema_too_new",
                   "the state store has schema version " + std::to_string(current) + ", newer than the " +
                       std::to_string(latest) + " this mapi2zimbra knows: use a newer mapi2zimbra",
                   connection.location()};
    }
    if (current >= target) {
      if (Status committed = transaction.commit(operation); !committed.ok()) return committed.error();
      return current;
    }
    const MigrationStep& step = migrationSteps()[static_cast<std::size_t>(current)];
    const std::string step_operation = "schema step " + std::to_string(step.version) + " (" +
                                       std::string(step.description) + ")";
    Status applied = connection.execScript(
        step_operation, connection.dialect() == Dialect::kSqlite ? step.sqlite_sql : step.postgres_sql);
    if (!applied.ok()) return Error{"state.migrate", applied.error().message, applied.error().context};
    auto recorded = connection.query(step_operation,
                                     "INSERT INTO schema_version (version, description, applied_at) VALUES ($1, $2, $3)",
                                     {std::int64_t{step.version}, std::string(step.description), now_seconds});
    if (!recorded.ok()) return Error{"state.migrate", recorded.error().message, recorded.error().context};
    if (Status committed = transaction.commit(step_operation); !committed.ok()) return committed.error();
  }
}

}  // namespace m2z::state::detail
