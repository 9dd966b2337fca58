// The migration state store: per-account status and queue, per-item outcomes, in SQLite (one
// host) or PostgreSQL (several worker hosts), behind one interface (docs/state.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"
#include "model/time.h"

namespace m2z::state {

// planned → (claim) reading → writing → verifying → done | failed | paused; retry makes failed,
// done or paused accounts queued; planned, queued and paused accounts are claimable.
enum class AccountStatus { kPlanned, kQueued, kReading, kWriting, kVerifying, kDone, kFailed, kPaused };

const char* toString(AccountStatus status);
std::optional<AccountStatus> parseAccountStatus(std::string_view text);
// Reading, writing and verifying: a worker holds the account's lease.
bool isInProgress(AccountStatus status);

// How one source item ended up. kPending is written before an item is sent, so that after a
// crash the next run knows which UID to look for on the target instead of guessing.
enum class ItemOutcome { kPending, kCreated, kAlreadyPresent, kSkipped, kFailed };

const char* toString(ItemOutcome outcome);
std::optional<ItemOutcome> parseItemOutcome(std::string_view text);

// One account as the plan describes it; `mapi2zimbra plan` measures source_bytes.
struct AccountPlan {
  std::string name;  // unique key
  std::vector<std::string> source_paths;
  std::int64_t source_bytes = 0;
  std::string target_account;
  std::string source_host;    // for ClaimLimits::per_source_host; empty: none
  std::string target_server;  // the Zimbra server, for ClaimLimits::per_target_server
  std::string group;          // empty: in no group
  std::optional<model::CivilDate> requested_date;
};

struct OutcomeCounts {
  std::int64_t pending = 0;
  std::int64_t created = 0;
  std::int64_t already_present = 0;
  std::int64_t skipped = 0;
  std::int64_t failed = 0;
  std::int64_t total() const { return pending + created + already_present + skipped + failed; }
  bool operator==(const OutcomeCounts&) const = default;
};

// Counted from committed item rows, never kept as tallies, so they are right after a kill -9.
struct ItemCounts {
  std::map<std::string, OutcomeCounts> by_kind;  // "appointment", "task", ...
  OutcomeCounts total;
};

struct AccountRecord {
  AccountPlan plan;
  AccountStatus status = AccountStatus::kPlanned;
  bool hold = false;
  std::int64_t attempts = 0;  // claims so far
  std::string last_error;
  std::string worker_id;  // the lease holder while in progress, else empty
  std::optional<model::Instant> lease_expires;
  model::Instant created;
  std::optional<model::Instant> started;   // start of the latest attempt
  std::optional<model::Instant> finished;  // end of the latest attempt (done or failed)
  model::Instant updated;
  ItemCounts items;
};

struct AccountFilter {
  std::vector<std::string> names;           // empty: any
  std::vector<AccountStatus> statuses;      // empty: any
  std::optional<std::string> group;         // "" selects accounts in no group
  std::optional<bool> hold;
};

struct PlanConflict {
  std::string account;
  std::string reason;
};

struct PlanApplied {
  int added = 0;
  int updated = 0;
  int unchanged = 0;
  // Changes refused because the account has already started (its items went to the old target).
  std::vector<PlanConflict> refused;
};

// Identifies one source item across runs. source_file is sourceFileIdentity() or a content hash.
struct ItemKey {
  std::string account;
  std::string source_file;
  std::string entry_id;
  bool operator==(const ItemKey&) const = default;
};

struct ItemRecord {
  ItemKey key;
  std::string kind;          // "appointment", ...
  std::string content_hash;  // digest of the source item: a changed item is sent again
  std::string uid_original;  // the item's UID as read
  std::string uid_sent;      // the UID given to the server (shortened when the original is too long)
  std::string target_id;     // the server's id of the created item
  ItemOutcome outcome = ItemOutcome::kPending;
  std::string reason;        // why skipped or failed
  model::Instant updated;    // set by the store
};

enum class ClaimOrder {
  kLargestFirst,        // source bytes descending, then requested date, then name
  kRequestedDateFirst,  // requested date (none last), then source bytes descending, then name
};

// Concurrency limits count accounts in progress under an unexpired lease; accounts with no
// source host (or no target server) named are not limited by it.
struct ClaimLimits {
  std::map<std::string, int> per_source_host;    // host → most accounts in progress at once
  std::map<std::string, int> per_target_server;  // Zimbra server → most accounts in progress
  int default_per_source_host = 0;               // hosts not listed; 0: no limit
  int default_per_target_server = 0;
  // A group waits while any of its members is on hold, and once a group has started its
  // remaining members are claimed before accounts of other groups.
  bool groups_move_together = false;
  ClaimOrder order = ClaimOrder::kLargestFirst;
};

struct LeaseRenewal {
  model::Instant expires;
  bool hold_requested = false;  // an operator asked to hold the account: stop and release kPaused
};

struct StoreOptions {
  // The store's notion of now. Unset: the system clock for SQLite, and the database server's
  // clock for PostgreSQL, so that worker hosts with skewed clocks agree on lease expiry.
  std::function<model::Instant()> clock;
  int busy_timeout_seconds = 30;      // SQLite: how long to wait for another process's write
  int connect_timeout_seconds = 10;   // PostgreSQL, unless the URL sets connect_timeout
  // Stop upgrading at this schema version (tests of upgrades); 0: the newest.
  int max_schema_version = 0;
};

// Error codes: "state.location" (bad location), "state.open", "state.schema_too_new",
// "state.migrate", "state.query", "state.busy", "state.unknown_account", "state.lease_lost",
// "state.invalid_transition", "state.invalid_argument". Messages name the store location (with
// any password redacted) and the operation. One store object per thread.
class StateStore {
 public:
  virtual ~StateStore() = default;

  virtual const std::string& location() const = 0;  // redacted
  [[nodiscard]] virtual Result<int> schemaVersion() = 0;

  // Adds new accounts as planned and updates the plan fields of known ones in one transaction;
  // never touches status, counts, attempts or leases.
  [[nodiscard]] virtual Result<PlanApplied> upsertAccounts(const std::vector<AccountPlan>& plan) = 0;
  [[nodiscard]] virtual Result<std::optional<AccountRecord>> getAccount(const std::string& name) = 0;
  // Ordered by name.
  [[nodiscard]] virtual Result<std::vector<AccountRecord>> listAccounts(const AccountFilter& filter) = 0;

  // Hold keeps an account from being claimed; a worker holding it learns from renewLease.
  [[nodiscard]] virtual Status holdAccount(const std::string& name) = 0;
  [[nodiscard]] virtual Status releaseHold(const std::string& name) = 0;
  // Failed, done, paused or planned → queued, unless a worker holds an unexpired lease on it.
  [[nodiscard]] virtual Status retryAccount(const std::string& name) = 0;

  // The next claimable account, now kReading with this worker's lease and attempts + 1; nullopt
  // when none is claimable (all done, held, leased or over a limit).
  [[nodiscard]] virtual Result<std::optional<AccountRecord>> claimNextAccount(const std::string& worker_id,
                                                                              int lease_seconds,
                                                                              const ClaimLimits& limits) = 0;
  // "state.lease_lost" when another worker has taken the account (this one's lease expired).
  [[nodiscard]] virtual Result<LeaseRenewal> renewLease(const std::string& name, const std::string& worker_id,
                                                        int lease_seconds) = 0;
  // kReading, kWriting or kVerifying, by the lease holder.
  [[nodiscard]] virtual Status setPhase(const std::string& name, const std::string& worker_id,
                                        AccountStatus phase) = 0;
  // Ends the lease: kDone, kFailed, kPaused or kQueued. last_error is stored as given.
  [[nodiscard]] virtual Status releaseAccount(const std::string& name, const std::string& worker_id,
                                              AccountStatus final_status, const std::string& last_error) = 0;

  // Idempotent: inserts or replaces the row of record.key (whose account must exist).
  [[nodiscard]] virtual Status recordItem(const ItemRecord& record) = 0;
  // All or none, in one transaction.
  [[nodiscard]] virtual Status recordItems(const std::vector<ItemRecord>& records) = 0;
  [[nodiscard]] virtual Result<std::optional<ItemRecord>> findItem(const ItemKey& key) = 0;
  // Ordered by source file, then entry id; only one outcome when given.
  [[nodiscard]] virtual Result<std::vector<ItemRecord>> itemsOfAccount(const std::string& account,
                                                                       std::optional<ItemOutcome> outcome) = 0;
  [[nodiscard]] virtual Result<ItemCounts> countItems(const std::string& account) = 0;
};

// "postgresql://…" or "postgres://…": PostgreSQL (TLS verified unless the host is local or the
// URL or PGSSLMODE says otherwise); "sqlite:PATH" or any other path: an SQLite file, created if
// missing. Upgrades an older schema; refuses a newer one.
[[nodiscard]] Result<std::unique_ptr<StateStore>> openStateStore(const std::string& location,
                                                                 const StoreOptions& options = {});

// The location fit for logs and messages: a PostgreSQL URL's password (user info or password=
// parameter) replaced by "***".
std::string redactLocation(std::string_view location);

// The default store of a migration project: <project_dir>/mapi2zimbra-state.sqlite.
std::string defaultStateLocation(const std::filesystem::path& project_dir);

// "<file name>:<size>:<mtime seconds>", stable when the file is moved to another folder.
[[nodiscard]] Result<std::string> sourceFileIdentity(const std::filesystem::path& path);

}  // namespace m2z::state
