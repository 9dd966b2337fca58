// Batch runs over many accounts: plans from a CSV, the claim loop that migrates queued accounts
// (one worker or many sharing a PostgreSQL state), and the status table staff keep an eye on.
#pragma once

#include <atomic>
#include <cstdio>
#include <string>
#include <vector>

#include "model/result.h"
#include "pipeline/calendar_migration.h"
#include "pipeline/source_reader.h"
#include "state/state_store.h"
#include "zimbra/client.h"

namespace m2z::pipeline {

// Reads a plan: one account per line,
// `account,source[;source…],target account[,YYYY-MM-DD[,group[,source host]]]` — the source host
// (the file server the PSTs are read from) lets runs limit how many accounts read from it at once
// (a header line starting with "account" is skipped; fields may be double-quoted). Each
// source's size is measured now, so that the largest mailbox can go first. Errors name the
// file and line.
Result<std::vector<state::AccountPlan>> readPlanCsv(const std::string& path, const std::string& target_server);

struct BatchRunRequest {
  std::string state_location;
  zimbra::ServerConfig server;
  SourceReadOptions read_options;  // how every account's sources are read (e.g. recover)
  int batch_size = 1;               // appointments per BatchRequest (CalendarMigrationRequest)
  // Accounts worked on at once by this process (--parallel): one thread, state connection and
  // ZimbraClient each, never two on one account; the claim limits (--max-per-server) still apply.
  int parallel = 1;
  std::string audit_dir;
  std::string worker_id;      // empty: host:pid
  int lease_seconds = 300;
  state::ClaimLimits limits;
  std::FILE* progress_out = stderr;
  const std::atomic<bool>* stop = nullptr;  // Ctrl-C: finish the current item, release, return
  // A worker among several waits while other workers hold accounts, so that the account of a
  // worker that died is taken over once its lease expires; `run` alone returns at once.
  bool wait_for_other_workers = false;
};

struct BatchRunSummary {
  std::vector<MigrationSummary> accounts;
  int done = 0;
  int failed = 0;     // accounts with items that failed or could not run at all
  int paused = 0;     // stopped early: server maintenance, Ctrl-C, lease lost; resumable
};

// Claims queued accounts one after another until none is left (or stop is set), migrating each
// and releasing it as done, failed or paused. The state records every item as it goes.
Result<BatchRunSummary> runQueuedAccounts(const BatchRunRequest& request);

// The status table: one line per account, largest first as they will be worked on.
std::string formatStatusTable(const std::vector<state::AccountRecord>& accounts);
// The same as JSON (an array of objects), for scripts.
std::string formatStatusJson(const std::vector<state::AccountRecord>& accounts);

}  // namespace m2z::pipeline
