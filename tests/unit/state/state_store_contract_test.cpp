// The StateStore contract, run against SQLite and against a private PostgreSQL server. Expected
// values come from the contract in state/state_store.h and docs/state.md, worked out by hand in
// the comments beside them; none are copied from the store's own output.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "process_support.h"
#include "sqlite_support.h"
#include "state/state_store.h"
#include "store_locations.h"

namespace m2z::state {
namespace {

using testing::Backend;
using testing::Child;
using testing::FakeClock;
using testing::StoreLocation;

// Evaluates the expression once, and describes the error only when there is one.
#define ASSERT_OK(expression)                                           \
  do {                                                                  \
    const auto& m2z_result = (expression);                              \
    ASSERT_TRUE(m2z_result.ok()) << m2z_result.error().describe();      \
  } while (0)
#define EXPECT_OK(expression)                                           \
  do {                                                                  \
    const auto& m2z_result = (expression);                              \
    EXPECT_TRUE(m2z_result.ok()) << m2z_result.error().describe();      \
  } while (0)

constexpr std::int64_t kT0 = 1'700'000'000;  // 2023-11-14T22:13:20Z

AccountPlan plan(const std::string& name, std::int64_t bytes, std::string group = "",
                 std::optional<model::CivilDate> requested = std::nullopt) {
  AccountPlan account;
  account.name = name;
  account.source_paths = {"/data/" + name + ".pst"};
  account.source_bytes = bytes;
  account.target_account = name + "@example.com";
  account.group = std::move(group);
  account.requested_date = requested;
  return account;
}

ItemRecord item(const std::string& account, const std::string& entry_id, ItemOutcome outcome,
                std::string kind = "appointment") {
  ItemRecord record;
  record.key = {account, "calendar.pst:1024:1700000000", entry_id};
  record.kind = std::move(kind);
  record.content_hash = "sha256:" + entry_id;
  record.uid_original = "uid-" + entry_id;
  record.uid_sent = "uid-" + entry_id;
  record.outcome = outcome;
  return record;
}

// Zero-padded, so that sorting by text sorts by number.
std::string entryId(int number) {
  char text[16];
  std::snprintf(text, sizeof text, "e%06d", number);
  return text;
}

class StateStoreContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    location_ = std::make_unique<StoreLocation>(GetParam());
    ASSERT_TRUE(location_->error().empty()) << location_->error();
  }

  std::unique_ptr<StateStore> open(StoreOptions options = {}) {
    auto store = openStateStore(location_->location(), options);
    EXPECT_TRUE(store.ok()) << store.error().describe();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::unique_ptr<StateStore> openAt(const FakeClock& clock) {
    StoreOptions options;
    options.clock = clock.function();
    return open(options);
  }

  const std::string& location() const { return location_->location(); }

  std::unique_ptr<StoreLocation> location_;
};

// --- schema -----------------------------------------------------------------------------------

TEST_P(StateStoreContract, NewStoreIsAtTheNewestSchemaVersion) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  auto version = store->schemaVersion();
  ASSERT_OK(version);
  // docs/state.md: step 1 accounts and their sources, step 2 items.
  EXPECT_EQ(version.value(), 2);
}

TEST_P(StateStoreContract, OlderStoreIsUpgradedKeepingItsAccounts) {
  StoreOptions old_program;
  old_program.max_schema_version = 1;
  {
    auto store = open(old_program);
    ASSERT_NE(store, nullptr);
    auto version = store->schemaVersion();
    ASSERT_OK(version);
    EXPECT_EQ(version.value(), 1);
    auto applied = store->upsertAccounts({plan("alice", 100)});
    ASSERT_OK(applied);
    EXPECT_EQ(applied->added, 1);
  }
  auto store = open();
  ASSERT_NE(store, nullptr);
  auto version = store->schemaVersion();
  ASSERT_OK(version);
  EXPECT_EQ(version.value(), 2);
  auto alice = store->getAccount("alice");
  ASSERT_OK(alice);
  ASSERT_TRUE(alice->has_value());
  EXPECT_EQ((*alice)->plan.source_bytes, 100);
  EXPECT_OK(store->recordItem(item("alice", entryId(1), ItemOutcome::kCreated)));
}

TEST_P(StateStoreContract, NewerStoreIsRefused) {
  { ASSERT_NE(open(), nullptr); }
  const std::string tamper =
      "INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'from the future', 0)";
  if (GetParam() == Backend::kSqlite) {
    std::string error;
    ASSERT_TRUE(testing::executeSqlite(location(), tamper, error)) << error;
  } else {
    std::string error;
    ASSERT_TRUE(location_->server()->execute(location_->database(), tamper, error)) << error;
  }
  auto store = openStateStore(location());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, "state.schema_too_new");
  EXPECT_NE(store.error().message.find("99"), std::string::npos) << store.error().message;
  EXPECT_EQ(store.error().context, redactLocation(location()));
}

// --- plan -------------------------------------------------------------------------------------

TEST_P(StateStoreContract, UpsertAddsAccountsAsPlanned) {
  FakeClock clock(kT0);
  auto store = openAt(clock);
  ASSERT_NE(store, nullptr);
  AccountPlan alice = plan("alice", 4096, "finance", model::CivilDate{2024, 3, 1});
  alice.source_paths = {"/data/alice.pst", "/data/alice-archive.pst"};
  alice.source_host = "fileserver1";
  alice.target_server = "zimbra1.example.com";
  auto applied = store->upsertAccounts({alice, plan("bob", 10)});
  ASSERT_OK(applied);
  EXPECT_EQ(applied->added, 2);
  EXPECT_EQ(applied->updated, 0);

  auto stored = store->getAccount("alice");
  ASSERT_OK(stored);
  ASSERT_TRUE(stored->has_value());
  const AccountRecord& record = **stored;
  EXPECT_EQ(record.plan.name, "alice");
  EXPECT_EQ(record.plan.source_paths, alice.source_paths);
  EXPECT_EQ(record.plan.source_bytes, 4096);
  EXPECT_EQ(record.plan.target_account, "alice@example.com");
  EXPECT_EQ(record.plan.source_host, "fileserver1");
  EXPECT_EQ(record.plan.target_server, "zimbra1.example.com");
  EXPECT_EQ(record.plan.group, "finance");
  EXPECT_EQ(record.plan.requested_date, (model::CivilDate{2024, 3, 1}));
  EXPECT_EQ(record.status, AccountStatus::kPlanned);
  EXPECT_FALSE(record.hold);
  EXPECT_EQ(record.attempts, 0);
  EXPECT_EQ(record.created.unix_seconds, kT0);
  EXPECT_EQ(record.updated.unix_seconds, kT0);
  EXPECT_FALSE(record.started.has_value());
  EXPECT_FALSE(record.finished.has_value());
  EXPECT_FALSE(record.lease_expires.has_value());
  EXPECT_EQ(record.items.total.total(), 0);

  auto missing = store->getAccount("nobody");
  ASSERT_OK(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_P(StateStoreContract, UpsertUpdatesPlanFieldsButNeverProgress) {
  FakeClock clock(kT0);
  auto store = openAt(clock);
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->upsertAccounts({plan("alice", 100), plan("bob", 50)}));
  auto claimed = store->claimNextAccount("w1", 60, {});
  ASSERT_OK(claimed);
  ASSERT_TRUE(claimed->has_value());
  ASSERT_EQ((*claimed)->plan.name, "alice");  // 100 bytes > 50
  ASSERT_OK(store->recordItems({item("alice", entryId(1), ItemOutcome::kCreated),
                                item("alice", entryId(2), ItemOutcome::kSkipped)}));
  ASSERT_OK(store->releaseAccount("alice", "w1", AccountStatus::kDone, ""));

  clock.advance(100);
  AccountPlan grown = plan("alice", 150);
  grown.source_paths = {"/data/alice.pst", "/data/alice-2.pst"};
  auto applied = store->upsertAccounts({grown, plan("bob", 50), plan("carol", 7)});
  ASSERT_OK(applied);
  EXPECT_EQ(applied->added, 1);      // carol
  EXPECT_EQ(applied->updated, 1);    // alice: bytes and paths
  EXPECT_EQ(applied->unchanged, 1);  // bob
  EXPECT_TRUE(applied->refused.empty());

  auto alice = store->getAccount("alice");
  ASSERT_OK(alice);
  ASSERT_TRUE(alice->has_value());
  EXPECT_EQ((*alice)->plan.source_bytes, 150);
  EXPECT_EQ((*alice)->plan.source_paths, grown.source_paths);
  EXPECT_EQ((*alice)->status, AccountStatus::kDone);
  EXPECT_EQ((*alice)->attempts, 1);
  EXPECT_EQ((*alice)->items.total.created, 1);
  EXPECT_EQ((*alice)->items.total.skipped, 1);
  EXPECT_EQ((*alice)->created.unix_seconds, kT0);
  EXPECT_EQ((*alice)->updated.unix_seconds, kT0 + 100);
}

TEST_P(StateStoreContract, UpsertKeepsTheTargetOfAStartedAccount) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->upsertAccounts({plan("alice", 100), plan("bob", 50)}));
  ASSERT_OK(store->recordItem(item("alice", entryId(1), ItemOutcome::kCreated)));

  AccountPlan alice = plan("alice", 100);
  alice.target_account = "alice@new.example.com";
  AccountPlan bob = plan("bob", 50);
  bob.target_account = "bob@new.example.com";
  auto applied = store->upsertAccounts({alice, bob});
  ASSERT_OK(applied);
  // alice has an item on the old target: refused. bob never started: changed.
  ASSERT_EQ(applied->refused.size(), 1u);
  EXPECT_EQ(applied->refused[0].account, "alice");
  EXPECT_EQ(applied->updated, 1);
  EXPECT_EQ(applied->unchanged, 1);
  auto stored_alice = store->getAccount("alice");
  auto stored_bob = store->getAccount("bob");
  ASSERT_OK(stored_alice);
  ASSERT_OK(stored_bob);
  EXPECT_EQ((*stored_alice)->plan.target_account, "alice@example.com");
  EXPECT_EQ((*stored_bob)->plan.target_account, "bob@new.example.com");
}

TEST_P(StateStoreContract, BadPlanIsRefusedWhole) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  auto duplicate = store->upsertAccounts({plan("alice", 1), plan("alice", 2)});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, "state.invalid_argument");

  AccountPlan bad = plan("bob", 1);
  bad.target_account = std::string("bob\xFF@example.com");
  auto invalid = store->upsertAccounts({plan("carol", 1), bad});
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code, "state.invalid_argument");
  EXPECT_NE(invalid.error().message.find("target_account"), std::string::npos) << invalid.error().message;
  EXPECT_NE(invalid.error().message.find("'bob'"), std::string::npos) << invalid.error().message;

  auto none = store->listAccounts({});
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());  // carol was not added either
}

TEST_P(StateStoreContract, ListFiltersByNameStatusGroupAndHold) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->upsertAccounts(
      {plan("dave", 1, "ops"), plan("alice", 4, "finance"), plan("carol", 3, "ops"), plan("bob", 2)}));
  ASSERT_OK(store->holdAccount("carol"));
  auto claimed = store->claimNextAccount("w1", 60, {});
  ASSERT_OK(claimed);
  ASSERT_EQ((*claimed)->plan.name, "alice");  // the largest

  auto names = [](const Result<std::vector<AccountRecord>>& accounts) {
    std::vector<std::string> out;
    for (const AccountRecord& account : accounts.value()) out.push_back(account.plan.name);
    return out;
  };
  auto all = store->listAccounts({});
  ASSERT_OK(all);
  EXPECT_EQ(names(all), (std::vector<std::string>{"alice", "bob", "carol", "dave"}));  // by name

  AccountFilter ops;
  ops.group = "ops";
  auto in_ops = store->listAccounts(ops);
  ASSERT_OK(in_ops);
  EXPECT_EQ(names(in_ops), (std::vector<std::string>{"carol", "dave"}));

  AccountFilter no_group;
  no_group.group = "";
  auto ungrouped = store->listAccounts(no_group);
  ASSERT_OK(ungrouped);
  EXPECT_EQ(names(ungrouped), (std::vector<std::string>{"bob"}));

  AccountFilter held;
  held.hold = true;
  auto on_hold = store->listAccounts(held);
  ASSERT_OK(on_hold);
  EXPECT_EQ(names(on_hold), (std::vector<std::string>{"carol"}));

  AccountFilter planned_or_reading;
  planned_or_reading.statuses = {AccountStatus::kReading};
  auto reading = store->listAccounts(planned_or_reading);
  ASSERT_OK(reading);
  EXPECT_EQ(names(reading), (std::vector<std::string>{"alice"}));

  AccountFilter chosen;
  chosen.names = {"dave", "bob", "nobody"};
  chosen.statuses = {AccountStatus::kPlanned};
  auto picked = store->listAccounts(chosen);
  ASSERT_OK(picked);
  EXPECT_EQ(names(picked), (std::vector<std::string>{"bob", "dave"}));
}

// --- queue ------------------------------------------------------------------------------------

std::vector<std::string> claimAll(StateStore& store, const ClaimLimits& limits) {
  std::vector<std::string> order;
  for (int i = 0; i < 100; ++i) {
    auto claimed = store.claimNextAccount("w" + std::to_string(i), 60, limits);
    EXPECT_TRUE(claimed.ok()) << claimed.error().describe();
    if (!claimed.ok() || !claimed->has_value()) break;
    order.push_back((*claimed)->plan.name);
  }
  return order;
}

TEST_P(StateStoreContract, ClaimsLargestFirstThenByRequestedDate) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->upsertAccounts({plan("a", 500), plan("b", 100, "", model::CivilDate{2024, 5, 1}),
                                   plan("c", 100, "", model::CivilDate{2024, 4, 1}),
                                   plan("d", 300, "", model::CivilDate{2024, 4, 1})}));
  // Largest first: a 500, d 300, then the two of 100 by date: c (April) before b (May).
  EXPECT_EQ(claimAll(*store, {}), (std::vector<std::string>{"a", "d", "c", "b"}));
}

TEST_P(StateStoreContract, ClaimsByRequestedDateWhenAsked) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->upsertAccounts({plan("a", 500), plan("b", 100, "", model::CivilDate{2024, 5, 1}),
                                   plan("c", 100, "", model::CivilDate{2024, 4, 1}),
                                   plan("d", 300, "", model::CivilDate{2024, 4, 1})}));
  ClaimLimits by_date;
  by_date.order = ClaimOrder::kRequestedDateFirst;
  // April: d (300) before c (100); May: b; no date last: a.
  EXPECT_EQ(claimAll(*store, by_date), (std::vector<std::string>{"d", "c", "b", "a"}));
}

TEST_P(StateStoreContract, ClaimTakesALeaseAndCountsTheAttempt) {
  FakeClock clock(kT0);
  auto store = openAt(clock);
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->upsertAccounts({plan("alice", 1)}));
  clock.advance(5);
  auto claimed = store->claimNextAccount("host1:123", 90, {});
  ASSERT_OK(claimed);
  ASSERT_TRUE(claimed->has_value());
  const AccountRecord& account = **claimed;
  EXPECT_EQ(account.status, AccountStatus::kReading);
  EXPECT_EQ(account.worker_id, "host1:123");
  EXPECT_EQ(account.attempts, 1);
  EXPECT_EQ(account.started, (model::Instant{kT0 + 5}));
  EXPECT_EQ(account.lease_expires, (model::Instant{kT0 + 5 + 90}));

  auto nothing = store->claimNextAccount("host2:9", 90, {});
  ASSERT_OK(nothing);
  EXPECT_FALSE(nothing->has_value());

  clock.advance(30);
  auto renewed = store->renewLease("alice", "host1:123", 90);
  ASSERT_OK(renewed);
  EXPECT_EQ(renewed->expires.unix_seconds, kT0 + 35 + 90);
  EXPECT_FALSE(renewed->hold_requested);

  ASSERT_OK(store->setPhase("alice", "host1:123", AccountStatus::kWriting));
  auto writing = store->getAccount("alice");
  ASSERT_OK(writing);
  EXPECT_EQ((*writing)->status, AccountStatus::kWriting);

  clock.advance(10);
  ASSERT_OK(store->releaseAccount("alice", "host1:123", AccountStatus::kDone, ""));
  auto done = store->getAccount("alice");
  ASSERT_OK(done);
  EXPECT_EQ((*done)->status, AccountStatus::kDone);
  EXPECT_EQ((*done)->finished, (model::Instant{kT0 + 45}));
  EXPECT_TRUE((*done)->worker_id.empty());
  EXPECT_FALSE((*done)->lease_expires.has_value());
  auto after = store->claimNextAccount("host2:9", 90, {});
  ASSERT_OK(after);
  EXPECT_FALSE(after->has_value());  // done accounts are not claimed again without retry
}

TEST_P(StateStoreContract, AnExpiredLeaseLetsAnotherWorkerClaim) {
  FakeClock clock(kT0);
  auto store = openAt(clock);
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->upsertAccounts({plan("alice", 1)}));
  auto first = store->claimNextAccount("w1", 60, {});
  ASSERT_OK(first);
  ASSERT_TRUE(first->has_value());

  // The lease runs to kT0 + 60; it has expired when now reaches that second.
  clock.set(kT0 + 59);
  auto early = store->claimNextAccount("w2", 60, {});
  ASSERT_OK(early);
  EXPECT_FALSE(early->has_value());
  clock.set(kT0 + 60);
  auto second = store->claimNextAccount("w2", 60, {});
  ASSERT_OK(second);
  ASSERT_TRUE(second->has_value());
  EXPECT_EQ((*second)->worker_id, "w2");
  EXPECT_EQ((*second)->attempts, 2);
  EXPECT_NE((*second)->last_error.find("w1"), std::string::npos) << (*second)->last_error;

  auto renewal = store->renewLease("alice", "w1", 60);
  ASSERT_FALSE(renewal.ok());
  EXPECT_EQ(renewal.error().code, "state.lease_lost");
  Status release = store->releaseAccount("alice", "w1", AccountStatus::kDone, "");
  ASSERT_FALSE(release.ok());
  EXPECT_EQ(release.error().code, "state.lease_lost");
  Status phase = store->setPhase("alice", "w1", AccountStatus::kWriting);
  ASSERT_FALSE(phase.ok());
  EXPECT_EQ(phase.error().code, "state.lease_lost");
  EXPECT_OK(store->releaseAccount("alice", "w2", AccountStatus::kDone, ""));
}

TEST_P(StateStoreContract, ADeadClaimersAccountIsClaimedAgainAfterItsLease) {
  auto store = open();  // the real clock: the server's, for PostgreSQL
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->upsertAccounts({plan("alice", 1)}));
  const std::string where = location();
  // Leases are whole seconds: a 3 s lease taken at t expires at floor(t) + 3 > t + 2, so the
  // check right after the child exits (well within 2 s) must find it still held.
  Child dying([&where](int fd) {
    auto own = openStateStore(where);
    if (!own.ok()) return 2;
    auto claimed = own.value()->claimNextAccount("doomed", 3, {});
    if (!claimed.ok() || !claimed->has_value()) return 3;
    testing::writeAll(fd, "claimed");
    return 0;  // gone without releasing
  });
  ASSERT_TRUE(dying.started());
  EXPECT_EQ(dying.readAll(30), "claimed");
  ASSERT_EQ(dying.wait(30), 0);

  auto at_once = store->claimNextAccount("rescuer", 60, {});
  ASSERT_OK(at_once);
  EXPECT_FALSE(at_once->has_value());  // the lease still holds

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(8);
  std::optional<AccountRecord> rescued;
  while (!rescued && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto claimed = store->claimNextAccount("rescuer", 60, {});
    ASSERT_OK(claimed);
    rescued = claimed.value();
  }
  ASSERT_TRUE(rescued.has_value()) << "never claimable again";
  EXPECT_EQ(rescued->worker_id, "rescuer");
  EXPECT_EQ(rescued->attempts, 2);
}

TEST_P(StateStoreContract, ThreeProcessesClaimFiftyAccountsEachExactlyOnce) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  std::vector<AccountPlan> accounts;
  for (int i = 0; i < 50; ++i) accounts.push_back(plan("user" + std::to_string(i), 1000 + i));
  ASSERT_OK(store->upsertAccounts(accounts));
  const std::string where = location();

  std::vector<std::unique_ptr<Child>> workers;
  for (int w = 0; w < 3; ++w) {
    workers.push_back(std::make_unique<Child>([&where, w](int fd) {
      auto own = openStateStore(where);
      if (!own.ok()) {
        testing::writeAll(fd, "ERROR " + own.error().describe() + "\n");
        return 2;
      }
      StateStore& mine = *own.value();
      const std::string worker = "worker" + std::to_string(w);
      for (;;) {
        auto claimed = mine.claimNextAccount(worker, 60, {});
        if (!claimed.ok()) {
          testing::writeAll(fd, "ERROR " + claimed.error().describe() + "\n");
          return 3;
        }
        if (!claimed->has_value()) return 0;
        const std::string name = (*claimed)->plan.name;
        testing::writeAll(fd, name + "\n");
        Status recorded = mine.recordItem(item(name, entryId(1), ItemOutcome::kCreated));
        Status released = mine.releaseAccount(name, worker, AccountStatus::kDone, "");
        if (!recorded.ok() || !released.ok()) {
          testing::writeAll(fd, "ERROR " + (recorded.ok() ? released.error() : recorded.error()).describe() + "\n");
          return 4;
        }
      }
    }));
    ASSERT_TRUE(workers.back()->started());
  }
  std::map<std::string, int> claims;
  for (auto& worker : workers) {
    std::istringstream lines(worker->readAll(60));
    for (std::string line; std::getline(lines, line);) {
      EXPECT_EQ(line.rfind("ERROR", 0), std::string::npos) << line;
      ++claims[line];
    }
    EXPECT_EQ(worker->wait(30), 0);
  }
  EXPECT_EQ(claims.size(), 50u);
  for (const auto& [name, count] : claims) EXPECT_EQ(count, 1) << name << " claimed " << count << " times";

  auto all = store->listAccounts({});
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 50u);
  for (const AccountRecord& account : all.value()) {
    EXPECT_EQ(account.status, AccountStatus::kDone) << account.plan.name;
    EXPECT_EQ(account.attempts, 1) << account.plan.name;
    EXPECT_EQ(account.items.total.created, 1) << account.plan.name;
  }
}

TEST_P(StateStoreContract, HeldAccountsWaitAndTheirWorkerIsTold) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->upsertAccounts({plan("alice", 2), plan("bob", 1)}));
  ASSERT_OK(store->holdAccount("alice"));
  auto first = store->claimNextAccount("w1", 60, {});
  ASSERT_OK(first);
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->plan.name, "bob");  // alice is larger but held
  auto none = store->claimNextAccount("w2", 60, {});
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());

  ASSERT_OK(store->holdAccount("bob"));
  auto renewal = store->renewLease("bob", "w1", 60);
  ASSERT_OK(renewal);
  EXPECT_TRUE(renewal->hold_requested);
  ASSERT_OK(store->releaseAccount("bob", "w1", AccountStatus::kPaused, ""));

  ASSERT_OK(store->releaseHold("alice"));
  ASSERT_OK(store->releaseHold("bob"));
  // Both claimable again; the paused bob resumes after the larger alice.
  auto order = claimAll(*store, {});
  EXPECT_EQ(order, (std::vector<std::string>{"alice", "bob"}));
  auto bob = store->getAccount("bob");
  ASSERT_OK(bob);
  EXPECT_EQ((*bob)->attempts, 2);

  Status unknown = store->holdAccount("nobody");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "state.unknown_account");
}

TEST_P(StateStoreContract, RetryQueuesFailedAccountsButNotLiveOnes) {
  FakeClock clock(kT0);
  auto store = openAt(clock);
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->upsertAccounts({plan("alice", 1)}));
  auto claimed = store->claimNextAccount("w1", 60, {});
  ASSERT_OK(claimed);
  Status busy = store->retryAccount("alice");
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().code, "state.invalid_transition");

  ASSERT_OK(store->releaseAccount("alice", "w1", AccountStatus::kFailed, "soap.fault: mailbox full"));
  auto failed = store->getAccount("alice");
  ASSERT_OK(failed);
  EXPECT_EQ((*failed)->status, AccountStatus::kFailed);
  EXPECT_EQ((*failed)->last_error, "soap.fault: mailbox full");
  auto none = store->claimNextAccount("w2", 60, {});
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());  // failed accounts wait for retry

  ASSERT_OK(store->retryAccount("alice"));
  auto queued = store->getAccount("alice");
  ASSERT_OK(queued);
  EXPECT_EQ((*queued)->status, AccountStatus::kQueued);
  EXPECT_FALSE((*queued)->finished.has_value());
  auto again = store->claimNextAccount("w2", 60, {});
  ASSERT_OK(again);
  ASSERT_TRUE(again->has_value());
  EXPECT_EQ((*again)->attempts, 2);

  Status unknown = store->retryAccount("nobody");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "state.unknown_account");
}

TEST_P(StateStoreContract, ReleaseAndPhaseAcceptOnlyTheirStatuses) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->upsertAccounts({plan("alice", 1)}));
  ASSERT_OK(store->claimNextAccount("w1", 60, {}));
  Status planned = store->releaseAccount("alice", "w1", AccountStatus::kPlanned, "");
  ASSERT_FALSE(planned.ok());
  EXPECT_EQ(planned.error().code, "state.invalid_argument");
  Status done_phase = store->setPhase("alice", "w1", AccountStatus::kDone);
  ASSERT_FALSE(done_phase.ok());
  EXPECT_EQ(done_phase.error().code, "state.invalid_argument");
  Status stranger = store->releaseAccount("alice", "w2", AccountStatus::kDone, "");
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().code, "state.lease_lost");
  auto bad_lease = store->claimNextAccount("w3", 0, {});
  ASSERT_FALSE(bad_lease.ok());
  EXPECT_EQ(bad_lease.error().code, "state.invalid_argument");
}

TEST_P(StateStoreContract, SourceHostAndServerLimitsAreRespected) {
  FakeClock clock(kT0);
  auto store = openAt(clock);
  ASSERT_NE(store, nullptr);
  auto on = [](AccountPlan account, std::string host, std::string server) {
    account.source_host = std::move(host);
    account.target_server = std::move(server);
    return account;
  };
  ASSERT_OK(store->upsertAccounts({on(plan("h1a", 300), "h1", "s1"), on(plan("h1b", 200), "h1", "s2"),
                                   on(plan("h2a", 100), "h2", "s1"), on(plan("h3a", 50), "h3", "s2")}));
  ClaimLimits limits;
  limits.per_source_host = {{"h1", 1}};
  auto first = store->claimNextAccount("w1", 60, limits);
  ASSERT_OK(first);
  EXPECT_EQ((*first)->plan.name, "h1a");
  // h1 is full, so h1b (200) waits: h2a (100), then h3a (50).
  auto second = store->claimNextAccount("w2", 60, limits);
  ASSERT_OK(second);
  EXPECT_EQ((*second)->plan.name, "h2a");
  auto third = store->claimNextAccount("w3", 60, limits);
  ASSERT_OK(third);
  EXPECT_EQ((*third)->plan.name, "h3a");
  auto fourth = store->claimNextAccount("w4", 60, limits);
  ASSERT_OK(fourth);
  EXPECT_FALSE(fourth->has_value());
  ASSERT_OK(store->releaseAccount("h1a", "w1", AccountStatus::kDone, ""));
  auto fifth = store->claimNextAccount("w4", 60, limits);
  ASSERT_OK(fifth);
  ASSERT_TRUE(fifth->has_value());
  EXPECT_EQ((*fifth)->plan.name, "h1b");

  // One account at a time per Zimbra server: s1 (h2a) and s2 (h3a, h1b) are both busy.
  ClaimLimits per_server;
  per_server.default_per_target_server = 1;
  ASSERT_OK(store->upsertAccounts({on(plan("late", 1000), "h9", "s1")}));
  auto blocked = store->claimNextAccount("w5", 60, per_server);
  ASSERT_OK(blocked);
  EXPECT_FALSE(blocked->has_value());
  // Dead workers' accounts do not count: once every lease has expired (kT0 + 60), the
  // claimable ones are late (1000, s1), h1b (200, s2), h2a (100, s1) and h3a (50, s2), and no
  // server has a live account, so late comes first.
  clock.advance(61);
  auto after_expiry = store->claimNextAccount("w5", 60, per_server);
  ASSERT_OK(after_expiry);
  ASSERT_TRUE(after_expiry->has_value());
  EXPECT_EQ((*after_expiry)->plan.name, "late");
  // Now s1 is busy again (late); s2's accounts h1b (200) and h3a (50) have expired leases.
  auto next = store->claimNextAccount("w6", 60, per_server);
  ASSERT_OK(next);
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ((*next)->plan.name, "h1b");
  auto full = store->claimNextAccount("w7", 60, per_server);
  ASSERT_OK(full);
  EXPECT_FALSE(full->has_value());  // h2a is on s1, h3a on s2: both servers busy
}

TEST_P(StateStoreContract, GroupsMoveTogetherWhenAsked) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->upsertAccounts(
      {plan("x", 1000), plan("a", 10, "team"), plan("b", 20, "team"), plan("y", 500)}));
  ASSERT_OK(store->holdAccount("b"));
  ClaimLimits together;
  together.groups_move_together = true;
  // b is held, so its group waits: x, y, then nothing.
  EXPECT_EQ(claimAll(*store, together), (std::vector<std::string>{"x", "y"}));
  // Without the option a goes alone.
  auto alone = store->claimNextAccount("w9", 60, {});
  ASSERT_OK(alone);
  ASSERT_TRUE(alone->has_value());
  EXPECT_EQ((*alone)->plan.name, "a");

  ASSERT_OK(store->upsertAccounts({plan("z", 800)}));
  ASSERT_OK(store->releaseHold("b"));
  // team has started (a), so b (20) comes before the larger z (800).
  auto member = store->claimNextAccount("w10", 60, together);
  ASSERT_OK(member);
  ASSERT_TRUE(member->has_value());
  EXPECT_EQ((*member)->plan.name, "b");
  auto other = store->claimNextAccount("w11", 60, together);
  ASSERT_OK(other);
  ASSERT_TRUE(other->has_value());
  EXPECT_EQ((*other)->plan.name, "z");
}

// --- items ------------------------------------------------------------------------------------

TEST_P(StateStoreContract, RecordItemIsAnIdempotentUpsert) {
  FakeClock clock(kT0);
  auto store = openAt(clock);
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->upsertAccounts({plan("alice", 1)}));
  ItemRecord pending = item("alice", "0x2104", ItemOutcome::kPending);
  pending.uid_original = std::string(300, 'u');
  pending.uid_sent = "shortened-uid";
  ASSERT_OK(store->recordItem(pending));
  ASSERT_OK(store->recordItem(pending));  // again: still one row

  clock.advance(3);
  ItemRecord created = pending;
  created.outcome = ItemOutcome::kCreated;
  created.target_id = "257";
  ASSERT_OK(store->recordItem(created));

  auto found = store->findItem(created.key);
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  const ItemRecord& stored = **found;
  EXPECT_EQ(stored.key, created.key);
  EXPECT_EQ(stored.kind, "appointment");
  EXPECT_EQ(stored.content_hash, "sha256:0x2104");
  EXPECT_EQ(stored.uid_original, std::string(300, 'u'));
  EXPECT_EQ(stored.uid_sent, "shortened-uid");
  EXPECT_EQ(stored.target_id, "257");
  EXPECT_EQ(stored.outcome, ItemOutcome::kCreated);
  EXPECT_EQ(stored.updated.unix_seconds, kT0 + 3);

  auto counts = store->countItems("alice");
  ASSERT_OK(counts);
  EXPECT_EQ(counts->total, (OutcomeCounts{0, 1, 0, 0, 0}));

  ItemKey other = created.key;
  other.entry_id = "0x9999";
  auto missing = store->findItem(other);
  ASSERT_OK(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_P(StateStoreContract, CountsComeFromTheItemRowsPerKindAndOutcome) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->upsertAccounts({plan("alice", 1), plan("bob", 1)}));
  ItemRecord skipped = item("alice", entryId(4), ItemOutcome::kSkipped, "task");
  skipped.reason = "item.unreadable: no start time";
  ASSERT_OK(store->recordItems({
      item("alice", entryId(1), ItemOutcome::kCreated),
      item("alice", entryId(2), ItemOutcome::kCreated),
      item("alice", entryId(3), ItemOutcome::kAlreadyPresent),
      skipped,
      item("alice", entryId(5), ItemOutcome::kFailed, "task"),
      item("alice", entryId(6), ItemOutcome::kPending),
      item("bob", entryId(1), ItemOutcome::kCreated),
  }));
  // alice: appointment created 2, already present 1, pending 1; task skipped 1, failed 1.
  auto counts = store->countItems("alice");
  ASSERT_OK(counts);
  EXPECT_EQ(counts->by_kind.size(), 2u);
  EXPECT_EQ(counts->by_kind["appointment"], (OutcomeCounts{1, 2, 1, 0, 0}));
  EXPECT_EQ(counts->by_kind["task"], (OutcomeCounts{0, 0, 0, 1, 1}));
  EXPECT_EQ(counts->total, (OutcomeCounts{1, 2, 1, 1, 1}));
  EXPECT_EQ(counts->total.total(), 6);

  auto listed = store->getAccount("alice");
  ASSERT_OK(listed);
  EXPECT_EQ((*listed)->items.total, counts->total);
  auto bob = store->getAccount("bob");
  ASSERT_OK(bob);
  EXPECT_EQ((*bob)->items.total, (OutcomeCounts{0, 1, 0, 0, 0}));

  auto failed_or_skipped = store->itemsOfAccount("alice", ItemOutcome::kSkipped);
  ASSERT_OK(failed_or_skipped);
  ASSERT_EQ(failed_or_skipped->size(), 1u);
  EXPECT_EQ(failed_or_skipped->front().reason, "item.unreadable: no start time");
  auto all = store->itemsOfAccount("alice", std::nullopt);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 6u);
  for (int i = 0; i < 6; ++i) EXPECT_EQ((*all)[static_cast<std::size_t>(i)].key.entry_id, entryId(i + 1));

  auto unknown = store->countItems("nobody");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "state.unknown_account");
}

TEST_P(StateStoreContract, ABadItemRecordsNothingOfItsBatch) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->upsertAccounts({plan("alice", 1)}));
  Status unknown = store->recordItems({item("alice", entryId(1), ItemOutcome::kCreated),
                                       item("nobody", entryId(2), ItemOutcome::kCreated)});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "state.unknown_account");
  EXPECT_NE(unknown.error().message.find("nobody"), std::string::npos) << unknown.error().message;

  ItemRecord bad_id = item("alice", std::string("e\0x", 3), ItemOutcome::kCreated);
  Status invalid = store->recordItems({item("alice", entryId(1), ItemOutcome::kCreated), bad_id});
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code, "state.invalid_argument");
  EXPECT_NE(invalid.error().message.find("entry_id"), std::string::npos) << invalid.error().message;

  auto items = store->itemsOfAccount("alice", std::nullopt);
  ASSERT_OK(items);
  EXPECT_TRUE(items->empty());
}

TEST_P(StateStoreContract, ReasonsThatAreNotUtf8AreKeptReadable) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->upsertAccounts({plan("alice", 1)}));
  ItemRecord failed = item("alice", entryId(1), ItemOutcome::kFailed);
  failed.reason = std::string("subject \xE9t\xE9 cut\0off", 19);  // Latin-1 bytes and a NUL
  ASSERT_OK(store->recordItem(failed));
  auto found = store->findItem(failed.key);
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  // Each invalid byte (0xE9 twice, NUL once) becomes U+FFFD (EF BF BD).
  EXPECT_EQ((*found)->reason, "subject \xEF\xBF\xBDt\xEF\xBF\xBD cut\xEF\xBF\xBDoff");
}

// Kills a child with SIGKILL while it records items one transaction at a time (or in batches),
// then checks that every item it saw committed is there and the counts equal the rows.
void killWhileRecording(const std::string& where, int batch) {
  Child recorder([&where, batch](int fd) {
    auto own = openStateStore(where);
    if (!own.ok()) return 2;
    for (int i = 0; i < 1'000'000; i += batch) {
      std::vector<ItemRecord> records;
      for (int j = i; j < i + batch; ++j) records.push_back(item("alice", entryId(j), ItemOutcome::kCreated));
      if (!own.value()->recordItems(records).ok()) return 3;
      // Acknowledge the last item of the committed batch.
      const std::string ack = std::to_string(i + batch - 1) + "\n";
      testing::writeAll(fd, ack);
    }
    return 0;
  });
  ASSERT_TRUE(recorder.started());
  std::string acks;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::count(acks.begin(), acks.end(), '\n') * batch < 300 && std::chrono::steady_clock::now() < deadline) {
    if (recorder.readSome(acks, 100) == 0) break;
  }
  recorder.killHard();
  EXPECT_EQ(recorder.wait(10), -1);  // killed by the signal
  acks += recorder.readAll(5);       // acks written before the kill are still in the pipe
  int last_acked = -1;
  std::istringstream lines(acks);
  for (std::string line; std::getline(lines, line);) last_acked = std::stoi(line);
  ASSERT_GE(last_acked + 1, 300) << "the child recorded too little before the deadline";

  auto reopened = openStateStore(where);
  ASSERT_OK(reopened);
  auto items = reopened.value()->itemsOfAccount("alice", std::nullopt);
  ASSERT_OK(items);
  const int rows = static_cast<int>(items->size());
  // Every acknowledged item is there; at most one more batch committed without its ack.
  EXPECT_GE(rows, last_acked + 1);
  EXPECT_LE(rows, last_acked + 1 + batch);
  EXPECT_EQ(rows % batch, 0) << "a batch was committed in part";
  for (int i = 0; i < rows; ++i) {
    ASSERT_EQ((*items)[static_cast<std::size_t>(i)].key.entry_id, entryId(i)) << "item " << i << " missing";
  }
  auto counts = reopened.value()->countItems("alice");
  ASSERT_OK(counts);
  EXPECT_EQ(counts->total.created, rows);
  EXPECT_EQ(counts->total.total(), rows);
}

TEST_P(StateStoreContract, KillNineWhileRecordingItemsLosesNoCommittedItem) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->upsertAccounts({plan("alice", 1)}));
  store.reset();
  killWhileRecording(location(), 1);
}

TEST_P(StateStoreContract, KillNineWhileRecordingBatchesLeavesNoHalfBatch) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_OK(store->upsertAccounts({plan("alice", 1)}));
  store.reset();
  killWhileRecording(location(), 25);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StateStoreContract, ::testing::Values(Backend::kSqlite), testing::backendName);
INSTANTIATE_TEST_SUITE_P(Postgres, StateStoreContract, ::testing::Values(Backend::kPostgres), testing::backendName);

}  // namespace
}  // namespace m2z::state
