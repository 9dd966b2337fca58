#include "pipeline/audit_commands.h"

#include <fstream>
#include <ostream>
#include <string>

#include "audit/hash_chain.h"
#include "report/diff.h"
#include "report/ledger.h"
#include "report/staff_summary.h"
#include "report/user_report.h"

namespace m2z::pipeline {

namespace {

// Reads every log it can; those it cannot are named on `err`.
std::vector<report::Ledger> loadAll(const std::vector<std::filesystem::path>& logs, std::ostream& err, bool& failed) {
  std::vector<report::Ledger> ledgers;
  for (const auto& log : logs) {
    Result<report::Ledger> ledger = report::loadLedger(log);
    if (!ledger) {
      err << ledger.error().describe() << '\n';
      failed = true;
      continue;
    }
    ledgers.push_back(std::move(ledger).value());
  }
  return ledgers;
}

Status writeFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) return Error{"report.write", "could not write the report", path.string()};
  return {};
}

Status makeOutDir(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return Error{"report.write", "could not create the folder: " + error.message(), dir.string()};
  return {};
}

}  // namespace

int auditVerifyChain(const std::filesystem::path& log, std::ostream& out, std::ostream& err) {
  Result<audit::ChainCheck> check = audit::verifyChain(log);
  if (!check) {
    err << check.error().describe() << '\n';
    return kAuditError;
  }
  if (check->broken) {
    out << log.string() << ": broken at seq " << check->broken->seq << ": " << check->broken->why << '\n';
    return kAuditFindings;
  }
  out << log.string() << ": intact: " << check->records << " records, "
      << (check->closed ? "closed" : "not closed (the run did not finish its log)");
  if (check->torn_bytes > 0) out << ", " << check->torn_bytes << " torn bytes at the end";
  out << '\n';
  return kAuditClean;
}

int auditScan(const std::vector<std::filesystem::path>& logs, report::ScanFormat format, std::ostream& out,
              std::ostream& err) {
  bool failed = false;
  std::vector<report::Flag> flags;
  for (const report::Ledger& ledger : loadAll(logs, err, failed)) {
    for (report::Flag& flag : report::scanLedger(ledger)) flags.push_back(std::move(flag));
  }
  out << report::formatFlags(flags, format);
  if (failed) return kAuditError;
  return flags.empty() ? kAuditClean : kAuditFindings;
}

int auditDiff(const std::filesystem::path& a, const std::filesystem::path& b, std::ostream& out, std::ostream& err) {
  Result<report::Ledger> left = report::loadLedger(a);
  if (!left) {
    err << left.error().describe() << '\n';
    return kAuditError;
  }
  Result<report::Ledger> right = report::loadLedger(b);
  if (!right) {
    err << right.error().describe() << '\n';
    return kAuditError;
  }
  const std::vector<report::Change> changes = report::diffLedgers(*left, *right);
  out << report::formatChanges(changes);
  return changes.empty() ? kAuditClean : kAuditFindings;
}

int reportUser(const std::vector<std::filesystem::path>& logs, const std::filesystem::path& out_dir,
               report::Language language, const std::optional<report::SmtpSettings>& smtp, std::ostream& out,
               std::ostream& err) {
  Result<report::Catalogue> catalogue = report::Catalogue::load(language);
  if (!catalogue) {
    err << catalogue.error().describe() << '\n';
    return kAuditError;
  }
  if (Status made = makeOutDir(out_dir); !made) {
    err << made.error().describe() << '\n';
    return kAuditError;
  }
  bool failed = false;
  const std::vector<report::Ledger> ledgers = loadAll(logs, err, failed);
  for (const report::UserReport& user : report::buildUserReports(ledgers, *catalogue)) {
    const std::string stem = report::reportFileStem(user.account);
    for (const auto& [name, text] : {std::pair{stem + ".html", &user.html}, std::pair{stem + ".txt", &user.text}}) {
      if (Status written = writeFile(out_dir / name, *text); !written) {
        err << written.error().describe() << '\n';
        failed = true;
      }
    }
    out << user.account << ": " << user.items.size() << " item(s) to check -> " << (out_dir / (stem + ".html")).string()
        << '\n';
    if (smtp) {
      report::SmtpSettings settings = *smtp;
      if (settings.mail_to.empty()) settings.mail_to = {user.account};
      if (Status sent = report::sendMail(settings, {user.mail_subject, user.text, user.html}); !sent) {
        err << user.account << ": " << sent.error().describe() << '\n';
        failed = true;
      } else {
        out << user.account << ": mailed\n";
      }
    }
  }
  return failed ? kAuditError : kAuditClean;
}

int reportStaff(const std::vector<std::filesystem::path>& logs, const std::filesystem::path& out_dir, std::ostream& out,
                std::ostream& err) {
  if (Status made = makeOutDir(out_dir); !made) {
    err << made.error().describe() << '\n';
    return kAuditError;
  }
  bool failed = false;
  const report::StaffSummary summary = report::buildStaffSummary(loadAll(logs, err, failed));
  const std::vector<std::pair<std::string, std::string>> files = {{"staff-summary.html", report::staffHtml(summary)},
                                                                   {"staff-summary.csv", report::staffCsv(summary)},
                                                                   {"staff-findings.csv", report::staffFindingsCsv(summary)}};
  for (const auto& [name, text] : files) {
    if (Status written = writeFile(out_dir / name, text); !written) {
      err << written.error().describe() << '\n';
      failed = true;
    } else {
      out << (out_dir / name).string() << '\n';
    }
  }
  return failed ? kAuditError : kAuditClean;
}

}  // namespace m2z::pipeline
