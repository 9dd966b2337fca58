// The `audit` and `report` subcommands over audit logs, for the CLI to call after parsing its
// arguments: each writes what it found to `out`, problems to `err`, and returns the exit code.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <vector>

#include "report/catalogue.h"
#include "report/scan.h"
#include "report/smtp.h"

namespace m2z::pipeline {

// Exit codes shared by these commands.
inline constexpr int kAuditClean = 0;     // intact / nothing flagged / no differences / reports written
inline constexpr int kAuditFindings = 1;  // broken chain / flags / differences
inline constexpr int kAuditError = 2;     // a log could not be read, a file could not be written

// `audit verify-chain LOG`: "intact: N records, closed" or "broken at seq N: why".
int auditVerifyChain(const std::filesystem::path& log, std::ostream& out, std::ostream& err);

// `audit scan LOG… [--format table|csv|json]`: every flag of every log. A log that cannot be
// read is reported on `err` and the others are still scanned.
int auditScan(const std::vector<std::filesystem::path>& logs, report::ScanFormat format, std::ostream& out,
              std::ostream& err);

// `audit diff A B`: one line per difference, matched by source reference.
int auditDiff(const std::filesystem::path& a, const std::filesystem::path& b, std::ostream& out, std::ostream& err);

// `report user LOG… --out DIR [--lang en|de] [--smtp URL --mail-from A [--mail-to B…]]`: writes
// DIR/<account>.html and DIR/<account>.txt per account; with `smtp`, also mails each report
// (to `mail_to` when given, else to the account's own address).
int reportUser(const std::vector<std::filesystem::path>& logs, const std::filesystem::path& out_dir,
               report::Language language, const std::optional<report::SmtpSettings>& smtp, std::ostream& out,
               std::ostream& err);

// `report staff LOG… --out DIR`: DIR/staff-summary.html, staff-summary.csv, staff-findings.csv.
int reportStaff(const std::vector<std::filesystem::path>& logs, const std::filesystem::path& out_dir, std::ostream& out,
                std::ostream& err);

}  // namespace m2z::pipeline
