// One audit log folded into what happened to each source item: the ground the scan, the diff and
// the reports stand on.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "audit/audit_reader.h"
#include "model/finding.h"
#include "model/provenance.h"
#include "model/result.h"

namespace m2z::report {

// One SOAP exchange as far as the reports care: bodies are reduced to what they need.
struct Attempt {
  std::int64_t seq = 0;
  std::string operation;
  std::string outcome;
  std::string fault_code;
  int http_status = 0;
  int attempt = 1;
  bool will_retry = false;
  std::string retry_reason;
  std::string sent_start;   // the request's first <s d="…">, empty when there is none
  bool sent_all_day = false;  // the request's <comp allDay="1">
};

enum class ItemStatus {
  kCreated,  // an exchange for it ended ok
  kSkipped,  // left out on purpose: a finding with itemSkipped, or outcome skipped
  kFailed,   // sent (or built) but never ended ok
  kDryRun    // built, not sent: dry-run mode
};
const char* toString(ItemStatus status);

// Everything the log says about one source item (file + folder + entry id).
struct ItemHistory {
  model::Provenance source;
  std::optional<audit::ItemSummary> item;  // the last summary logged for it
  std::vector<Attempt> attempts;           // in log order
  std::vector<model::Finding> findings;    // from its entries and standalone findings, in order
  std::int64_t first_seq = 0;
  ItemStatus status = ItemStatus::kFailed;
  std::string skip_reason;  // the why of the finding that skipped it
};

struct Ledger {
  std::filesystem::path path;
  audit::RunInfo run;
  std::optional<audit::LoggedSummary> summary;  // absent: the run died before closing its log
  std::size_t torn_bytes = 0;
  std::vector<ItemHistory> items;       // in the order they first appear
  std::vector<Attempt> other_exchanges; // exchanges about no source item (auth, folders)
  std::vector<model::Finding> run_findings;  // standalone findings about no source item
};

// "file:folder#entryId": how logs are matched item by item.
std::string itemKey(const model::Provenance& source);

// Reads the log (readEntries, streamed: bodies are dropped once read) and folds it.
[[nodiscard]] Result<Ledger> loadLedger(const std::filesystem::path& path);

// Folds records already read; exposed so tests can build ledgers without files.
Ledger foldRecords(const audit::LogContents& contents, const std::vector<audit::Record>& records);

}  // namespace m2z::report
