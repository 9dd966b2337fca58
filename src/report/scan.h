// The audit scan: appointments and runs an auditor should look at, each with the reason.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "report/ledger.h"

namespace m2z::report {

enum class FlagKind {
  kAllDayNotDate,          // an all-day start sent as a date-time, not a date
  kAllDayNotMidnight,      // an all-day item whose summary start is not local midnight
  kDateChanged,            // the date sent differs from the item's own (summary vs request)
  kZoneGuessed,            // zone.missing, zone.from_display_name, zone.custom
  kUidChanged,             // uid.shortened and the other uid.* rewrites
  kRecurrenceApproximated, // recurrence.*approximated
  kNotCreated,             // in the source, never created on the server
  kRunIncomplete,          // no summary, complete="false" or a torn tail
  kFault,                  // an exchange that failed (fault, transport error, invalid request)
  kRetry,                  // an exchange that was retried
  // From `mapi2zimbra verify` logs (findings verify.*): what the server holds, read back.
  kVerifyMismatch,         // the target's copy differs from the source (field, both values)
  kVerifyMissing,          // a migrated source item is not on the target
  kVerifyExtra             // a migrated item on the target whose source item is gone
};
std::string_view toString(FlagKind kind);

struct Flag {
  FlagKind kind = FlagKind::kFault;
  std::string log;      // the log's path
  std::string account;
  std::string run_id;
  std::int64_t seq = 0;  // the record that shows it; 0 for the run as a whole
  model::Provenance source;
  std::string item_kind;  // "appointment", or empty when the log never said
  std::string subject;
  std::string start;      // as in the item summary
  std::string finding_kind;
  std::string before;
  std::string after;
  std::string reason;
  // Whether the account's user has something to check (not server trouble that resolved itself).
  bool user_relevant = false;
};

std::vector<Flag> scanLedger(const Ledger& ledger);

// A log written by `mapi2zimbra verify` (its run option command=verify): it reads items back
// and creates nothing, so its items are never "not created".
bool isVerifyRun(const Ledger& ledger);

enum class ScanFormat { kTable, kCsv, kJson };
std::string formatTable(const std::vector<Flag>& flags);
std::string formatCsv(const std::vector<Flag>& flags);
std::string formatJson(const std::vector<Flag>& flags);
std::string formatFlags(const std::vector<Flag>& flags, ScanFormat format);

// RFC 4180 quoting for one CSV field.
std::string csvField(std::string_view value);

}  // namespace m2z::report
