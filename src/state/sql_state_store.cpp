#include "state/sql_state_store.h"

#include <charconv>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "state/schema.h"
#include "state/text.h"

namespace m2z::state::detail {
namespace {

constexpr std::string_view kAccountColumns =
    "a.name, a.target_account, a.source_bytes, a.source_host, a.target_server, a.group_name, a.requested_date, "
    "a.status, a.hold, a.attempts, a.last_error, a.worker_id, a.lease_expires_at, a.created_at, a.started_at, "
    "a.finished_at, a.updated_at";
constexpr std::string_view kItemColumns =
    "account, source_file, entry_id, kind, content_hash, uid_original, uid_sent, target_id, outcome, reason, "
    "updated_at";
constexpr std::string_view kInProgress = "('reading', 'writing', 'verifying')";
// Transaction-scoped advisory lock serializing PostgreSQL claims under concurrency limits ("m2zc").
constexpr std::string_view kLockClaims = "SELECT pg_advisory_xact_lock(1831500387)";
constexpr int kMaxLeaseSeconds = 7 * 24 * 3600;

std::string inQuotes(std::string_view text) { return "'" + printable(text) + "'"; }

std::optional<std::int64_t> parseInteger(std::string_view text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<model::CivilDate> parseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto year = parseInteger(text.substr(0, 4));
  auto month = parseInteger(text.substr(5, 2));
  auto day = parseInteger(text.substr(8, 2));
  if (!year || !month || !day) return std::nullopt;
  model::CivilDate date{static_cast<int>(*year), static_cast<int>(*month), static_cast<int>(*day)};
  if (!date.isValid()) return std::nullopt;
  return date;
}

// Reads one row's columns, remembering the first value that is not what the schema promises.
class RowReader {
 public:
  explicit RowReader(const SqlRow& row) : row_(row) {}

  std::optional<std::string> optionalText(std::size_t column) {
    if (column >= row_.size()) {
      note("column " + std::to_string(column) + " is missing");
      return std::nullopt;
    }
    return row_[column];
  }
  std::string text(std::size_t column) { return optionalText(column).value_or(""); }
  std::optional<std::int64_t> optionalInteger(std::size_t column) {
    auto value = optionalText(column);
    if (!value) return std::nullopt;
    auto number = parseInteger(*value);
    if (!number) note("column " + std::to_string(column) + " holds " + inQuotes(*value) + ", not a number");
    return number;
  }
  std::int64_t integer(std::size_t column) {
    auto value = optionalInteger(column);
    if (!value && problem_.empty()) note("column " + std::to_string(column) + " is NULL");
    return value.value_or(0);
  }
  void note(std::string problem) {
    if (problem_.empty()) problem_ = std::move(problem);
  }
  const std::string& problem() const { return problem_; }

 private:
  const SqlRow& row_;
  std::string problem_;
};

// Placeholders for a statement built piece by piece.
class Parameters {
 public:
  std::string add(SqlValue value) {
    values_.push_back(std::move(value));
    return "$" + std::to_string(values_.size());
  }
  std::string list(const std::vector<std::string>& texts) {
    std::string out;
    for (const std::string& text : texts) out += (out.empty() ? "" : ", ") + add(text);
    return out;
  }
  const std::vector<SqlValue>& values() const { return values_; }

 private:
  std::vector<SqlValue> values_;
};

std::int64_t* slotOf(OutcomeCounts& counts, ItemOutcome outcome) {
  switch (outcome) {
    case ItemOutcome::kPending: return &counts.pending;
    case ItemOutcome::kCreated: return &counts.created;
    case ItemOutcome::kAlreadyPresent: return &counts.already_present;
    case ItemOutcome::kSkipped: return &counts.skipped;
    case ItemOutcome::kFailed: return &counts.failed;
  }
  return nullptr;
}

int limitOf(const std::map<std::string, int>& limits, int fallback, const std::string& key) {
  if (key.empty()) return 0;  // an account with no host or server named is not limited
  auto found = limits.find(key);
  return found != limits.end() ? found->second : fallback;
}

bool hasLimits(const ClaimLimits& limits) {
  if (limits.default_per_source_host > 0 || limits.default_per_target_server > 0) return true;
  for (const auto& [host, limit] : limits.per_source_host) {
    if (limit > 0) return true;
  }
  for (const auto& [server, limit] : limits.per_target_server) {
    if (limit > 0) return true;
  }
  return false;
}

class SqlStateStore final : public StateStore {
 public:
  SqlStateStore(std::unique_ptr<SqlConnection> connection, StoreOptions options)
      : connection_(std::move(connection)), options_(std::move(options)) {}

  const std::string& location() const override { return connection_->location(); }

  Result<int> schemaVersion() override { return currentSchemaVersion(*connection_); }

  Result<PlanApplied> upsertAccounts(const std::vector<AccountPlan>& plan) override {
    const std::string operation = "upsertAccounts";
    std::set<std::string> seen;
    for (const AccountPlan& account : plan) {
      if (Status valid = checkPlan(operation, account); !valid.ok()) return valid.error();
      if (!seen.insert(account.name).second) {
        return invalid(operation + ": account " + inQuotes(account.name) + " is in the plan twice");
      }
    }
    Transaction transaction(*connection_);
    if (Status begun = transaction.begin(operation); !begun.ok()) return begun.error();
    auto now = nowFor(operation);
    if (!now.ok()) return now.error();
    PlanApplied applied;
    for (const AccountPlan& account : plan) {
      const std::string account_operation = operation + " (account " + inQuotes(account.name) + ")";
      auto existing = query(account_operation,
                            "SELECT a.target_account, a.source_bytes, a.source_host, a.target_server, a.group_name, "
                            "a.requested_date, a.attempts FROM accounts a WHERE a.name = $1",
                            {account.name});
      if (!existing.ok()) return existing.error();
      if (existing->empty()) {
        auto inserted = query(account_operation,
                              "INSERT INTO accounts (name, target_account, source_bytes, source_host, target_server, "
                              "group_name, requested_date, status, created_at, updated_at) "
                              "VALUES ($1, $2, $3, $4, $5, $6, $7, 'planned', $8, $8)",
                              {account.name, account.target_account, account.source_bytes, account.source_host,
                               account.target_server, account.group, dateValue(account.requested_date),
                               now->unix_seconds});
        if (!inserted.ok()) return inserted.error();
        if (Status sources = writeSources(account_operation, account); !sources.ok()) return sources.error();
        ++applied.added;
        continue;
      }
      RowReader row(existing->front());
      AccountPlan stored;
      stored.name = account.name;
      stored.target_account = row.text(0);
      stored.source_bytes = row.integer(1);
      stored.source_host = row.text(2);
      stored.target_server = row.text(3);
      stored.group = row.text(4);
      const auto stored_date = row.optionalText(5);
      const std::int64_t attempts = row.integer(6);
      if (stored_date) stored.requested_date = parseDate(*stored_date);
      if (!row.problem().empty()) return corrupt(account_operation, row.problem());
      auto sources = readSources(account_operation, account.name);
      if (!sources.ok()) return sources.error();
      stored.source_paths = std::move(sources).value();

      AccountPlan wanted = account;
      if (wanted.target_account != stored.target_account) {
        auto started = hasStarted(account_operation, account.name, attempts);
        if (!started.ok()) return started.error();
        if (started.value()) {
          applied.refused.push_back(
              {account.name, "target " + inQuotes(stored.target_account) + " kept: the account has already started, "
                                 "and its items went there (not " + inQuotes(wanted.target_account) + ")"});
          wanted.target_account = stored.target_account;
        }
      }
      const bool same_fields = wanted.target_account == stored.target_account &&
                               wanted.source_bytes == stored.source_bytes &&
                               wanted.source_host == stored.source_host &&
                               wanted.target_server == stored.target_server && wanted.group == stored.group &&
                               wanted.requested_date == stored.requested_date;
      const bool same_sources = wanted.source_paths == stored.source_paths;
      if (same_fields && same_sources) {
        ++applied.unchanged;
        continue;
      }
      auto updated = query(account_operation,
                           "UPDATE accounts SET target_account = $2, source_bytes = $3, source_host = $4, "
                           "target_server = $5, group_name = $6, requested_date = $7, updated_at = $8 "
                           "WHERE name = $1",
                           {wanted.name, wanted.target_account, wanted.source_bytes, wanted.source_host,
                            wanted.target_server, wanted.group, dateValue(wanted.requested_date), now->unix_seconds});
      if (!updated.ok()) return updated.error();
      if (!same_sources) {
        auto removed = query(account_operation, "DELETE FROM account_sources WHERE account = $1", {wanted.name});
        if (!removed.ok()) return removed.error();
        if (Status written = writeSources(account_operation, wanted); !written.ok()) return written.error();
      }
      ++applied.updated;
    }
    if (Status committed = transaction.commit(operation); !committed.ok()) return committed.error();
    return applied;
  }

  Result<std::optional<AccountRecord>> getAccount(const std::string& name) override {
    AccountFilter filter;
    filter.names = {name};
    auto accounts = selectAccounts("getAccount (" + inQuotes(name) + ")", filter);
    if (!accounts.ok()) return accounts.error();
    if (accounts->empty()) return std::optional<AccountRecord>();
    return std::optional<AccountRecord>(std::move(accounts->front()));
  }

  Result<std::vector<AccountRecord>> listAccounts(const AccountFilter& filter) override {
    return selectAccounts("listAccounts", filter);
  }

  Status holdAccount(const std::string& name) override { return setHold("holdAccount", name, 1); }
  Status releaseHold(const std::string& name) override { return setHold("releaseHold", name, 0); }

  Status retryAccount(const std::string& name) override {
    const std::string operation = "retryAccount (" + inQuotes(name) + ")";
    Transaction transaction(*connection_);
    if (Status begun = transaction.begin(operation); !begun.ok()) return begun;
    auto now = nowFor(operation);
    if (!now.ok()) return now.error();
    auto rows = query(operation, "SELECT a.status, a.worker_id, a.lease_expires_at FROM accounts a WHERE a.name = $1",
                      {name});
    if (!rows.ok()) return rows.error();
    if (rows->empty()) return unknownAccount(operation, name);
    RowReader row(rows->front());
    const auto status = parseAccountStatus(row.text(0));
    const std::string worker = row.text(1);
    const auto lease = row.optionalInteger(2);
    if (!status || !row.problem().empty()) return corrupt(operation, row.problem().empty() ? "bad status" : row.problem());
    if (isInProgress(*status) && lease && *lease > now->unix_seconds) {
      return Error{"state.invalid_transition",
                   operation + ": worker " + inQuotes(worker) + " is migrating the account (lease until " +
                       model::toIsoString(model::Instant{*lease}) + ")",
                   location()};
    }
    auto updated = query(operation,
                         "UPDATE accounts SET status = 'queued', worker_id = NULL, lease_expires_at = NULL, "
                         "finished_at = NULL, updated_at = $2 WHERE name = $1",
                         {name, now->unix_seconds});
    if (!updated.ok()) return updated.error();
    return transaction.commit(operation);
  }

  Result<std::optional<AccountRecord>> claimNextAccount(const std::string& worker_id, int lease_seconds,
                                                        const ClaimLimits& limits) override {
    const std::string operation = "claimNextAccount (worker " + inQuotes(worker_id) + ")";
    if (Status valid = checkWorker(operation, worker_id, lease_seconds); !valid.ok()) return valid.error();
    Transaction transaction(*connection_);
    if (Status begun = transaction.begin(operation); !begun.ok()) return begun.error();
    const bool postgres = connection_->dialect() == Dialect::kPostgres;
    const bool limited = hasLimits(limits);
    // A limit concerns every account in progress, not one row, so row locks cannot guard it:
    // limited claims take turns (claims are rare: one per account and attempt).
    if (postgres && limited) {
      if (auto locked = query(operation, kLockClaims, {}); !locked.ok()) return locked.error();
    }
    auto now = nowFor(operation);
    if (!now.ok()) return now.error();
    std::vector<std::string> full_hosts;
    std::vector<std::string> full_servers;
    for (;;) {
      Parameters parameters;
      const std::string now_parameter = parameters.add(now->unix_seconds);
      std::string sql = "SELECT a.name, a.source_host, a.target_server FROM accounts a WHERE a.hold = 0 AND "
                        "(a.status IN ('planned', 'queued', 'paused') OR (a.status IN " + std::string(kInProgress) +
                        " AND (a.lease_expires_at IS NULL OR a.lease_expires_at <= " + now_parameter + ")))";
      if (limits.groups_move_together) {
        sql += " AND (a.group_name = '' OR NOT EXISTS (SELECT 1 FROM accounts g WHERE g.group_name = a.group_name "
               "AND g.hold <> 0))";
      }
      if (!full_hosts.empty()) sql += " AND a.source_host NOT IN (" + parameters.list(full_hosts) + ")";
      if (!full_servers.empty()) sql += " AND a.target_server NOT IN (" + parameters.list(full_servers) + ")";
      sql += " ORDER BY ";
      if (limits.groups_move_together) {
        sql += "CASE WHEN a.group_name <> '' AND EXISTS (SELECT 1 FROM accounts g WHERE g.group_name = "
               "a.group_name AND g.name <> a.name AND (g.attempts > 0 OR g.status <> 'planned')) THEN 0 ELSE 1 END, ";
      }
      const std::string by_date = "CASE WHEN a.requested_date IS NULL THEN 1 ELSE 0 END, a.requested_date";
      sql += limits.order == ClaimOrder::kLargestFirst ? "a.source_bytes DESC, " + by_date
                                                       : by_date + ", a.source_bytes DESC";
      sql += ", a.name LIMIT 1";
      // A row another worker is claiming right now is passed over, not waited for.
      if (postgres) sql += " FOR UPDATE OF a SKIP LOCKED";
      auto candidates = query(operation, sql, parameters.values());
      if (!candidates.ok()) return candidates.error();
      if (candidates->empty()) {
        if (Status committed = transaction.commit(operation); !committed.ok()) return committed.error();
        return std::optional<AccountRecord>();
      }
      RowReader row(candidates->front());
      const std::string name = row.text(0);
      const std::string host = row.text(1);
      const std::string server = row.text(2);
      if (!row.problem().empty()) return corrupt(operation, row.problem());

      const int host_limit = limitOf(limits.per_source_host, limits.default_per_source_host, host);
      if (host_limit > 0) {
        auto busy = inProgressCount(operation, "source_host", host, now->unix_seconds);
        if (!busy.ok()) return busy.error();
        if (busy.value() >= host_limit) {
          full_hosts.push_back(host);
          continue;
        }
      }
      const int server_limit = limitOf(limits.per_target_server, limits.default_per_target_server, server);
      if (server_limit > 0) {
        auto busy = inProgressCount(operation, "target_server", server, now->unix_seconds);
        if (!busy.ok()) return busy.error();
        if (busy.value() >= server_limit) {
          full_servers.push_back(server);
          continue;
        }
      }
      auto claimed = query(operation,
                           "UPDATE accounts SET "
                           "last_error = CASE WHEN status IN " + std::string(kInProgress) +
                               " THEN 'the lease of worker ' || COALESCE(worker_id, '') || ' expired' "
                               "ELSE last_error END, "
                           "status = 'reading', worker_id = $2, lease_expires_at = $3, attempts = attempts + 1, "
                           "started_at = $4, finished_at = NULL, updated_at = $4 WHERE name = $1",
                           {name, worker_id, now->unix_seconds + lease_seconds, now->unix_seconds});
      if (!claimed.ok()) return claimed.error();
      AccountFilter filter;
      filter.names = {name};
      auto account = selectAccounts(operation, filter);
      if (!account.ok()) return account.error();
      if (account->size() != 1) return corrupt(operation, "the claimed account " + inQuotes(name) + " vanished");
      if (Status committed = transaction.commit(operation); !committed.ok()) return committed.error();
      return std::optional<AccountRecord>(std::move(account->front()));
    }
  }

  Result<LeaseRenewal> renewLease(const std::string& name, const std::string& worker_id, int lease_seconds) override {
    const std::string operation = "renewLease (" + inQuotes(name) + ", worker " + inQuotes(worker_id) + ")";
    if (Status valid = checkWorker(operation, worker_id, lease_seconds); !valid.ok()) return valid.error();
    Transaction transaction(*connection_);
    if (Status begun = transaction.begin(operation); !begun.ok()) return begun.error();
    auto now = nowFor(operation);
    if (!now.ok()) return now.error();
    const std::int64_t expires = now->unix_seconds + lease_seconds;
    auto rows = query(operation,
                      "UPDATE accounts SET lease_expires_at = $3, updated_at = $4 WHERE name = $1 AND worker_id = $2 "
                      "AND status IN " + std::string(kInProgress) + " RETURNING hold",
                      {name, worker_id, expires, now->unix_seconds});
    if (!rows.ok()) return rows.error();
    if (rows->empty()) return leaseProblem(operation, name);
    RowReader row(rows->front());
    const std::int64_t hold = row.integer(0);
    if (!row.problem().empty()) return corrupt(operation, row.problem());
    if (Status committed = transaction.commit(operation); !committed.ok()) return committed.error();
    return LeaseRenewal{model::Instant{expires}, hold != 0};
  }

  Status setPhase(const std::string& name, const std::string& worker_id, AccountStatus phase) override {
    const std::string operation = "setPhase (" + inQuotes(name) + ", " + toString(phase) + ")";
    if (!isInProgress(phase)) return invalid(operation + ": a phase is reading, writing or verifying");
    return leaseHolderUpdate(operation, name, worker_id, "status = $3, updated_at = $4", toString(phase), std::nullopt);
  }

  Status releaseAccount(const std::string& name, const std::string& worker_id, AccountStatus final_status,
                        const std::string& last_error) override {
    const std::string operation = "releaseAccount (" + inQuotes(name) + ", " + toString(final_status) + ")";
    const bool finished = final_status == AccountStatus::kDone || final_status == AccountStatus::kFailed;
    if (!finished && final_status != AccountStatus::kPaused && final_status != AccountStatus::kQueued) {
      return invalid(operation + ": an account is released as done, failed, paused or queued");
    }
    const std::string assignments =
        std::string("status = $3, updated_at = $4, worker_id = NULL, lease_expires_at = NULL, last_error = $5, ") +
        (finished ? "finished_at = $4" : "finished_at = NULL");
    return leaseHolderUpdate(operation, name, worker_id, assignments, toString(final_status),
                             toStorableText(last_error));
  }

  Status recordItem(const ItemRecord& record) override { return recordItems({record}); }

  Status recordItems(const std::vector<ItemRecord>& records) override {
    const std::string operation = records.size() == 1 ? "recordItem (" + describe(records.front().key) + ")"
                                                      : "recordItems (" + std::to_string(records.size()) + " items)";
    std::set<std::string> accounts;
    for (const ItemRecord& record : records) {
      if (Status valid = checkItem(operation, record); !valid.ok()) return valid;
      accounts.insert(record.key.account);
    }
    if (records.empty()) return {};
    Transaction transaction(*connection_);
    if (Status begun = transaction.begin(operation); !begun.ok()) return begun;
    auto now = nowFor(operation);
    if (!now.ok()) return now.error();
    for (const std::string& account : accounts) {
      auto known = query(operation, "SELECT 1 FROM accounts WHERE name = $1", {account});
      if (!known.ok()) return known.error();
      if (known->empty()) return unknownAccount(operation, account);
    }
    for (const ItemRecord& record : records) {
      auto written = query(
          records.size() == 1 ? operation : "recordItems (" + describe(record.key) + ")",
          "INSERT INTO items (" + std::string(kItemColumns) +
              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
              "ON CONFLICT (account, source_file, entry_id) DO UPDATE SET kind = excluded.kind, "
              "content_hash = excluded.content_hash, uid_original = excluded.uid_original, "
              "uid_sent = excluded.uid_sent, target_id = excluded.target_id, outcome = excluded.outcome, "
              "reason = excluded.reason, updated_at = excluded.updated_at",
          {record.key.account, record.key.source_file, record.key.entry_id, record.kind, record.content_hash,
           record.uid_original, record.uid_sent, record.target_id, std::string(toString(record.outcome)),
           toStorableText(record.reason), now->unix_seconds});
      if (!written.ok()) return written.error();
    }
    return transaction.commit(operation);
  }

  Result<std::optional<ItemRecord>> findItem(const ItemKey& key) override {
    const std::string operation = "findItem (" + describe(key) + ")";
    if (!isStorableText(key.account) || !isStorableText(key.source_file) || !isStorableText(key.entry_id)) {
      return std::optional<ItemRecord>();  // could never have been recorded
    }
    auto rows = query(operation,
                      "SELECT " + std::string(kItemColumns) +
                          " FROM items WHERE account = $1 AND source_file = $2 AND entry_id = $3",
                      {key.account, key.source_file, key.entry_id});
    if (!rows.ok()) return rows.error();
    if (rows->empty()) return std::optional<ItemRecord>();
    auto item = itemFrom(operation, rows->front());
    if (!item.ok()) return item.error();
    return std::optional<ItemRecord>(std::move(item).value());
  }

  Result<std::vector<ItemRecord>> itemsOfAccount(const std::string& account,
                                                 std::optional<ItemOutcome> outcome) override {
    const std::string operation = "itemsOfAccount (" + inQuotes(account) + ")";
    if (!isStorableText(account)) return std::vector<ItemRecord>();
    std::vector<SqlValue> parameters = {account};
    std::string sql = "SELECT " + std::string(kItemColumns) + " FROM items WHERE account = $1";
    if (outcome) {
      sql += " AND outcome = $2";
      parameters.emplace_back(std::string(toString(*outcome)));
    }
    sql += " ORDER BY source_file, entry_id";
    auto rows = query(operation, sql, parameters);
    if (!rows.ok()) return rows.error();
    std::vector<ItemRecord> items;
    items.reserve(rows->size());
    for (const SqlRow& row : rows.value()) {
      auto item = itemFrom(operation, row);
      if (!item.ok()) return item.error();
      items.push_back(std::move(item).value());
    }
    return items;
  }

  Result<ItemCounts> countItems(const std::string& account) override {
    const std::string operation = "countItems (" + inQuotes(account) + ")";
    if (!isStorableText(account)) return unknownAccount(operation, account);
    auto known = query(operation, "SELECT 1 FROM accounts WHERE name = $1", {account});
    if (!known.ok()) return known.error();
    if (known->empty()) return unknownAccount(operation, account);
    auto rows = query(operation,
                      "SELECT account, kind, outcome, count(*) FROM items WHERE account = $1 "
                      "GROUP BY account, kind, outcome",
                      {account});
    if (!rows.ok()) return rows.error();
    std::map<std::string, ItemCounts> counts;
    if (Status added = addCounts(operation, rows.value(), counts); !added.ok()) return added.error();
    return counts[account];
  }

 private:
  // --- helpers -------------------------------------------------------------------------------

  Result<std::vector<SqlRow>> query(std::string_view operation, std::string_view sql,
                                    const std::vector<SqlValue>& parameters) {
    return connection_->query(operation, sql, parameters);
  }

  Result<model::Instant> nowFor(std::string_view operation) {
    if (options_.clock) return options_.clock();
    return connection_->now(operation);
  }

  Error invalid(std::string message) const { return Error{"state.invalid_argument", std::move(message), location()}; }

  Error corrupt(std::string_view operation, std::string_view problem) const {
    return Error{"state.query", std::string(operation) + ": the store holds an unexpected value: " +
                                    std::string(problem), location()};
  }

  Error unknownAccount(std::string_view operation, std::string_view name) const {
    return Error{"state.unknown_account", std::string(operation) + ": no account " + inQuotes(name) + " in the store",
                 location()};
  }

  static std::string describe(const ItemKey& key) {
    return "account " + inQuotes(key.account) + ", item " + inQuotes(key.source_file) + "#" + inQuotes(key.entry_id);
  }

  static SqlValue dateValue(const std::optional<model::CivilDate>& date) {
    if (!date) return nullptr;
    return date->toIsoString();
  }

  Status checkText(std::string_view operation, std::string_view field, std::string_view value,
                   std::string_view owner) const {
    if (isStorableText(value)) return {};
    return invalid(std::string(operation) + ": " + std::string(field) + " of " + std::string(owner) + " is " +
                   inQuotes(value) + ", not UTF-8 text without NUL");
  }

  Status checkPlan(std::string_view operation, const AccountPlan& account) const {
    const std::string owner = "account " + inQuotes(account.name);
    if (account.name.empty()) return invalid(std::string(operation) + ": an account has no name");
    for (const auto& [field, value] :
         std::vector<std::pair<std::string_view, const std::string*>>{{"name", &account.name},
                                                                        {"target_account", &account.target_account},
                                                                        {"source_host", &account.source_host},
                                                                        {"target_server", &account.target_server},
                                                                        {"group", &account.group}}) {
      if (Status valid = checkText(operation, field, *value, owner); !valid.ok()) return valid;
    }
    for (const std::string& path : account.source_paths) {
      if (Status valid = checkText(operation, "a source path", path, owner); !valid.ok()) return valid;
    }
    if (account.source_bytes < 0) return invalid(std::string(operation) + ": source_bytes of " + owner + " is negative");
    if (account.requested_date && !account.requested_date->isValid()) {
      return invalid(std::string(operation) + ": requested_date of " + owner + " is not a date");
    }
    return {};
  }

  Status checkItem(std::string_view operation, const ItemRecord& record) const {
    const std::string owner = "item " + inQuotes(record.key.source_file) + "#" + inQuotes(record.key.entry_id) +
                              " of account " + inQuotes(record.key.account);
    if (record.key.account.empty() || record.key.source_file.empty() || record.key.entry_id.empty()) {
      return invalid(std::string(operation) + ": " + owner + " lacks its account, source file or entry id");
    }
    for (const auto& [field, value] : std::vector<std::pair<std::string_view, const std::string*>>{
             {"account", &record.key.account},
             {"source_file", &record.key.source_file},
             {"entry_id", &record.key.entry_id},
             {"kind", &record.kind},
             {"content_hash", &record.content_hash},
             {"uid_original", &record.uid_original},
             {"uid_sent", &record.uid_sent},
             {"target_id", &record.target_id}}) {
      if (Status valid = checkText(operation, field, *value, owner); !valid.ok()) return valid;
    }
    return {};
  }

  Status checkWorker(std::string_view operation, const std::string& worker_id, int lease_seconds) const {
    if (worker_id.empty() || !isStorableText(worker_id)) {
      return invalid(std::string(operation) + ": a worker id is non-empty UTF-8 text");
    }
    if (lease_seconds <= 0 || lease_seconds > kMaxLeaseSeconds) {
      return invalid(std::string(operation) + ": lease of " + std::to_string(lease_seconds) +
                     " s is not between 1 s and 7 days");
    }
    return {};
  }

  Status setHold(std::string_view name_of_operation, const std::string& name, std::int64_t hold) {
    const std::string operation = std::string(name_of_operation) + " (" + inQuotes(name) + ")";
    Transaction transaction(*connection_);
    if (Status begun = transaction.begin(operation); !begun.ok()) return begun;
    auto now = nowFor(operation);
    if (!now.ok()) return now.error();
    auto rows = query(operation, "UPDATE accounts SET hold = $2, updated_at = $3 WHERE name = $1 RETURNING name",
                      {name, hold, now->unix_seconds});
    if (!rows.ok()) return rows.error();
    if (rows->empty()) return unknownAccount(operation, name);
    return transaction.commit(operation);
  }

  // Why the lease holder's update matched nothing: no such account, or not (or no longer) its.
  Error leaseProblem(std::string_view operation, const std::string& name) {
    auto rows = query(operation, "SELECT a.status, a.worker_id FROM accounts a WHERE a.name = $1", {name});
    if (!rows.ok()) return rows.error();
    if (rows->empty()) return unknownAccount(operation, name);
    RowReader row(rows->front());
    const std::string status = row.text(0);
    const std::string worker = row.text(1);
    return Error{"state.lease_lost",
                 std::string(operation) + ": the worker no longer holds the account (now " + status +
                     (worker.empty() ? std::string() : ", worker " + inQuotes(worker)) + ")",
                 location()};
  }

  Status leaseHolderUpdate(const std::string& operation, const std::string& name, const std::string& worker_id,
                           const std::string& assignments, const char* status, std::optional<std::string> error) {
    Transaction transaction(*connection_);
    if (Status begun = transaction.begin(operation); !begun.ok()) return begun;
    auto now = nowFor(operation);
    if (!now.ok()) return now.error();
    std::vector<SqlValue> parameters = {name, worker_id, std::string(status), now->unix_seconds};
    if (error) parameters.emplace_back(std::move(*error));
    auto rows = query(operation,
                      "UPDATE accounts SET " + assignments + " WHERE name = $1 AND worker_id = $2 AND status IN " +
                          std::string(kInProgress) + " RETURNING name",
                      parameters);
    if (!rows.ok()) return rows.error();
    if (rows->empty()) return leaseProblem(operation, name);
    return transaction.commit(operation);
  }

  Result<std::vector<std::string>> readSources(std::string_view operation, const std::string& name) {
    auto rows = query(operation, "SELECT path FROM account_sources WHERE account = $1 ORDER BY position", {name});
    if (!rows.ok()) return rows.error();
    std::vector<std::string> paths;
    for (const SqlRow& row : rows.value()) paths.push_back(row.empty() ? std::string() : row[0].value_or(""));
    return paths;
  }

  Status writeSources(std::string_view operation, const AccountPlan& account) {
    for (std::size_t i = 0; i < account.source_paths.size(); ++i) {
      auto written = query(operation, "INSERT INTO account_sources (account, position, path) VALUES ($1, $2, $3)",
                           {account.name, static_cast<std::int64_t>(i), account.source_paths[i]});
      if (!written.ok()) return written.error();
    }
    return {};
  }

  Result<bool> hasStarted(std::string_view operation, const std::string& name, std::int64_t attempts) {
    if (attempts > 0) return true;
    auto rows = query(operation, "SELECT count(*) FROM items WHERE account = $1", {name});
    if (!rows.ok()) return rows.error();
    return !rows->empty() && !rows->front().empty() && rows->front()[0].value_or("0") != "0";
  }

  Result<std::int64_t> inProgressCount(std::string_view operation, std::string_view column, const std::string& value,
                                       std::int64_t now) {
    auto rows = query(operation,
                      "SELECT count(*) FROM accounts WHERE " + std::string(column) + " = $1 AND status IN " +
                          std::string(kInProgress) + " AND lease_expires_at > $2",
                      {value, now});
    if (!rows.ok()) return rows.error();
    if (rows->empty()) return std::int64_t{0};
    RowReader row(rows->front());
    const std::int64_t count = row.integer(0);
    if (!row.problem().empty()) return corrupt(operation, row.problem());
    return count;
  }

  // The accounts a filter selects, each with its source paths and item counts.
  Result<std::vector<AccountRecord>> selectAccounts(std::string_view operation, const AccountFilter& filter) {
    Parameters parameters;
    std::string where = " WHERE 1 = 1";
    std::vector<std::string> names;
    for (const std::string& name : filter.names) {
      // A name that cannot be stored matches no account.
      if (isStorableText(name)) names.push_back(name);
    }
    if (!filter.names.empty()) {
      if (names.empty()) return std::vector<AccountRecord>();
      where += " AND a.name IN (" + parameters.list(names) + ")";
    }
    if (!filter.statuses.empty()) {
      std::vector<std::string> statuses;
      for (AccountStatus status : filter.statuses) statuses.emplace_back(toString(status));
      where += " AND a.status IN (" + parameters.list(statuses) + ")";
    }
    if (filter.group) {
      if (!isStorableText(*filter.group)) return std::vector<AccountRecord>();
      where += " AND a.group_name = " + parameters.add(*filter.group);
    }
    if (filter.hold) where += *filter.hold ? " AND a.hold <> 0" : " AND a.hold = 0";

    auto rows = query(operation, "SELECT " + std::string(kAccountColumns) + " FROM accounts a" + where +
                                     " ORDER BY a.name", parameters.values());
    if (!rows.ok()) return rows.error();
    std::vector<AccountRecord> accounts;
    std::map<std::string, std::size_t> index;
    accounts.reserve(rows->size());
    for (const SqlRow& row : rows.value()) {
      auto account = accountFrom(operation, row);
      if (!account.ok()) return account.error();
      index[account->plan.name] = accounts.size();
      accounts.push_back(std::move(account).value());
    }
    if (accounts.empty()) return accounts;

    auto sources = query(operation,
                         "SELECT s.account, s.path FROM account_sources s JOIN accounts a ON a.name = s.account" +
                             where + " ORDER BY s.account, s.position",
                         parameters.values());
    if (!sources.ok()) return sources.error();
    for (const SqlRow& row : sources.value()) {
      RowReader reader(row);
      const std::string account = reader.text(0);
      std::string path = reader.text(1);
      if (auto found = index.find(account); found != index.end()) {
        accounts[found->second].plan.source_paths.push_back(std::move(path));
      }
    }

    auto counted = query(operation,
                         "SELECT i.account, i.kind, i.outcome, count(*) FROM items i JOIN accounts a ON a.name = "
                         "i.account" + where + " GROUP BY i.account, i.kind, i.outcome",
                         parameters.values());
    if (!counted.ok()) return counted.error();
    std::map<std::string, ItemCounts> counts;
    if (Status added = addCounts(operation, counted.value(), counts); !added.ok()) return added.error();
    for (auto& [account, item_counts] : counts) {
      if (auto found = index.find(account); found != index.end()) accounts[found->second].items = std::move(item_counts);
    }
    return accounts;
  }

  // Rows of (account, kind, outcome, count).
  Status addCounts(std::string_view operation, const std::vector<SqlRow>& rows,
                   std::map<std::string, ItemCounts>& counts) const {
    for (const SqlRow& row : rows) {
      RowReader reader(row);
      const std::string account = reader.text(0);
      const std::string kind = reader.text(1);
      const std::string outcome_text = reader.text(2);
      const std::int64_t count = reader.integer(3);
      const auto outcome = parseItemOutcome(outcome_text);
      if (!outcome) reader.note("item outcome " + inQuotes(outcome_text));
      if (!reader.problem().empty()) return corrupt(operation, reader.problem());
      ItemCounts& account_counts = counts[account];
      *slotOf(account_counts.by_kind[kind], *outcome) += count;
      *slotOf(account_counts.total, *outcome) += count;
    }
    return {};
  }

  Result<AccountRecord> accountFrom(std::string_view operation, const SqlRow& row) const {
    RowReader reader(row);
    AccountRecord account;
    account.plan.name = reader.text(0);
    account.plan.target_account = reader.text(1);
    account.plan.source_bytes = reader.integer(2);
    account.plan.source_host = reader.text(3);
    account.plan.target_server = reader.text(4);
    account.plan.group = reader.text(5);
    if (auto date = reader.optionalText(6)) {
      account.plan.requested_date = parseDate(*date);
      if (!account.plan.requested_date) reader.note("requested_date " + inQuotes(*date));
    }
    const std::string status = reader.text(7);
    if (auto parsed = parseAccountStatus(status)) {
      account.status = *parsed;
    } else {
      reader.note("status " + inQuotes(status));
    }
    account.hold = reader.integer(8) != 0;
    account.attempts = reader.integer(9);
    account.last_error = reader.text(10);
    account.worker_id = reader.text(11);
    if (auto lease = reader.optionalInteger(12)) account.lease_expires = model::Instant{*lease};
    account.created = model::Instant{reader.integer(13)};
    if (auto started = reader.optionalInteger(14)) account.started = model::Instant{*started};
    if (auto finished = reader.optionalInteger(15)) account.finished = model::Instant{*finished};
    account.updated = model::Instant{reader.integer(16)};
    if (!reader.problem().empty()) {
      return corrupt(std::string(operation) + " (account " + inQuotes(account.plan.name) + ")", reader.problem());
    }
    return account;
  }

  Result<ItemRecord> itemFrom(std::string_view operation, const SqlRow& row) const {
    RowReader reader(row);
    ItemRecord item;
    item.key.account = reader.text(0);
    item.key.source_file = reader.text(1);
    item.key.entry_id = reader.text(2);
    item.kind = reader.text(3);
    item.content_hash = reader.text(4);
    item.uid_original = reader.text(5);
    item.uid_sent = reader.text(6);
    item.target_id = reader.text(7);
    const std::string outcome = reader.text(8);
    if (auto parsed = parseItemOutcome(outcome)) {
      item.outcome = *parsed;
    } else {
      reader.note("outcome " + inQuotes(outcome));
    }
    item.reason = reader.text(9);
    item.updated = model::Instant{reader.integer(10)};
    if (!reader.problem().empty()) return corrupt(std::string(operation) + " (" + describe(item.key) + ")",
                                                  reader.problem());
    return item;
  }

  std::unique_ptr<SqlConnection> connection_;
  StoreOptions options_;
};

}  // namespace

Result<std::unique_ptr<StateStore>> makeSqlStateStore(std::unique_ptr<SqlConnection> connection,
                                                      const StoreOptions& options) {
  auto now = options.clock ? Result<model::Instant>(options.clock()) : connection->now("opening the store");
  if (!now.ok()) return now.error();
  auto version = migrate(*connection, options.max_schema_version, now->unix_seconds);
  if (!version.ok()) return version.error();
  return std::unique_ptr<StateStore>(std::make_unique<SqlStateStore>(std::move(connection), options));
}

}  // namespace m2z::state::detail
