// Migrates the groupware of PST/OST files (appointments, contacts, distribution lists as contact
// groups, tasks) into one Zimbra account: read, normalize, write, and log every exchange to the
// account's audit log. Every source item ends created, already present, skipped with a reason,
// or failed with a reason.
#pragma once

#include <atomic>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model/provenance.h"
#include "model/result.h"
#include "pipeline/source_reader.h"
#include "state/state_store.h"
#include "zimbra/client.h"

namespace m2z::pipeline {

struct CalendarMigrationRequest {
  std::vector<std::string> source_files;
  std::string target_account;
  zimbra::ServerConfig server;
  std::string audit_dir;  // the log goes to <audit_dir>/<account>/<run_id>.xml
  std::string run_id;     // empty: a UTC timestamp
  std::FILE* progress_out = stderr;  // null: no progress output
  // Optional: records every item's outcome (pending before it is sent, then created/failed) so
  // that a run killed at any point resumes knowing what is done and what is in doubt.
  state::StateStore* state = nullptr;
  std::string state_account;  // the account's name in the state store; empty: target_account
  // Optional: set (e.g. by Ctrl-C) to stop after the current item; the items not reached are
  // not counted as seen, and the account can be resumed.
  const std::atomic<bool>* stop = nullptr;
  // Optional: called after every item (e.g. to renew a lease); an error stops the account.
  std::function<Status()> heartbeat;
  // How the sources are read (e.g. --recover for PSTs).
  SourceReadOptions read_options;
  // Appointments looked up and created per BatchRequest (--batch-size); 1 sends each alone.
  // Appointments with attachments always go alone (their uploads come first).
  int batch_size = 1;
};

// One item that did not arrive, and why.
struct ItemProblem {
  model::Provenance item;
  std::string subject;
  std::string outcome;  // "skipped" or "failed"
  std::string reason;
};

// The outcomes of one kind of item ("appointment", "contact", "distlist", "task"; "item" for
// skipped items whose kind the source did not say).
struct KindCounts {
  int seen = 0;
  int created = 0;
  int already_present = 0;
  int skipped = 0;
  int failed = 0;
};

struct MigrationSummary {
  std::string account;
  int calendar_folders = 0;
  int contact_folders = 0;
  int task_folders = 0;
  int items_seen = 0;
  int created = 0;
  int already_present = 0;  // found on the target by UID (an earlier run made it): not touched
  int skipped = 0;
  int failed = 0;
  // Whole source files that could not be read (or have no reader yet): their items are unknown,
  // so they are counted apart from items, and the run needs attention.
  int sources_failed = 0;
  std::map<std::string, KindCounts> by_kind;  // the same items as the totals above, per kind
  std::map<std::string, int> findings_by_kind;
  std::vector<ItemProblem> problems;
  std::string audit_log_path;
  double seconds = 0;
  // Why the run stopped before the end of its sources ("" when it did not): Ctrl-C, a paused
  // account (the server stayed in maintenance longer than allowed), a lost lease.
  std::string stopped_early;

  bool allAccountedFor() const { return items_seen == created + already_present + skipped + failed; }
  bool clean() const {
    return allAccountedFor() && stopped_early.empty() && skipped == 0 && failed == 0 && sources_failed == 0;
  }
};

// Fails only when the run cannot start (no server, no audit log); per-item trouble is counted in
// the summary and the run goes on.
Result<MigrationSummary> migrateCalendars(const CalendarMigrationRequest& request);

// A digest of what the user would see of an appointment, so a delta run can tell a changed item
// from one already migrated. Stable across runs and machines.
std::string contentHash(const model::Appointment& appointment);

// A plain-text summary for people, one fact per line.
std::string formatSummary(const MigrationSummary& summary);

}  // namespace m2z::pipeline
