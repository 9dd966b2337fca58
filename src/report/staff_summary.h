// The staff summary across accounts: items per status, findings per kind, worst accounts first,
// as HTML and CSV.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "report/ledger.h"

namespace m2z::report {

struct AccountTally {
  std::string account;
  int logs = 0;
  int incomplete_runs = 0;             // no summary, complete="false" or a torn tail
  std::map<std::string, std::int64_t> by_status;   // toString(ItemStatus) -> items
  std::map<std::string, std::int64_t> by_finding;  // finding kind -> findings
  std::map<std::string, std::int64_t> by_flag;     // toString(FlagKind) -> scan flags
  std::int64_t items_to_check = 0;     // what the user report lists
  std::int64_t faults = 0;             // failed exchanges, retried or not
};

struct StaffSummary {
  std::vector<AccountTally> accounts;  // worst first
  std::map<std::string, std::int64_t> by_status;
  std::map<std::string, std::int64_t> by_finding;
};

// Worst first: most items to check, then most failed items, then most faults, then by name.
StaffSummary buildStaffSummary(const std::vector<Ledger>& ledgers);

std::string staffHtml(const StaffSummary& summary);
// One row per account (worst first).
std::string staffCsv(const StaffSummary& summary);
// One row per account and finding kind.
std::string staffFindingsCsv(const StaffSummary& summary);

}  // namespace m2z::report
