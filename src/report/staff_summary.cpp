#include "report/staff_summary.h"

#include <algorithm>
#include <array>
#include <tuple>

#include "report/scan.h"
#include "report/text_util.h"
#include "report/user_report.h"

namespace m2z::report {

namespace {

constexpr std::array<const char*, 4> kStatuses = {"created", "skipped", "failed", "dry-run"};

std::int64_t countOf(const std::map<std::string, std::int64_t>& counts, const std::string& key) {
  const auto found = counts.find(key);
  return found == counts.end() ? 0 : found->second;
}

constexpr std::string_view kCss =
    "body{font-family:system-ui,Arial,sans-serif;margin:2em;color:#1d1d1f}"
    "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #c8c8cc;padding:.35em .6em;text-align:right}"
    "th{background:#eef3fa}td:first-child,th:first-child{text-align:left}tr.attention td{background:#fdecea}";

}  // namespace

StaffSummary buildStaffSummary(const std::vector<Ledger>& ledgers) {
  std::map<std::string, std::vector<const Ledger*>> by_account;
  for (const Ledger& ledger : ledgers) by_account[ledger.run.account].push_back(&ledger);
  StaffSummary summary;
  for (const auto& [account, account_ledgers] : by_account) {
    AccountTally tally;
    tally.account = account;
    for (const Ledger* ledger : account_ledgers) {
      ++tally.logs;
      if (!ledger->summary || !ledger->summary->complete || ledger->torn_bytes > 0) ++tally.incomplete_runs;
      for (const auto& item : ledger->items) {
        ++tally.by_status[toString(item.status)];
        for (const auto& finding : item.findings) ++tally.by_finding[finding.kind];
      }
      for (const auto& finding : ledger->run_findings) ++tally.by_finding[finding.kind];
      for (const Flag& flag : scanLedger(*ledger)) {
        ++tally.by_flag[std::string(toString(flag.kind))];
        if (flag.kind == FlagKind::kFault) ++tally.faults;
      }
    }
    tally.items_to_check = static_cast<std::int64_t>(itemsToCheck(account_ledgers).size());
    for (const auto& [status, count] : tally.by_status) summary.by_status[status] += count;
    for (const auto& [kind, count] : tally.by_finding) summary.by_finding[kind] += count;
    summary.accounts.push_back(std::move(tally));
  }
  std::stable_sort(summary.accounts.begin(), summary.accounts.end(), [](const AccountTally& a, const AccountTally& b) {
    const auto rank = [](const AccountTally& t) {
      return std::make_tuple(t.items_to_check, countOf(t.by_status, "failed"), t.faults);
    };
    return rank(a) > rank(b);
  });
  return summary;
}

std::string staffCsv(const StaffSummary& summary) {
  std::string out = "account,logs,incomplete_runs,created,skipped,failed,dry_run,items_to_check,faults\r\n";
  for (const AccountTally& tally : summary.accounts) {
    out += csvField(tally.account) + "," + std::to_string(tally.logs) + "," + std::to_string(tally.incomplete_runs);
    for (const char* status : kStatuses) out += "," + std::to_string(countOf(tally.by_status, status));
    out += "," + std::to_string(tally.items_to_check) + "," + std::to_string(tally.faults) + "\r\n";
  }
  return out;
}

std::string staffFindingsCsv(const StaffSummary& summary) {
  std::string out = "account,finding,count\r\n";
  for (const AccountTally& tally : summary.accounts) {
    for (const auto& [kind, count] : tally.by_finding) {
      out += csvField(tally.account) + "," + csvField(kind) + "," + std::to_string(count) + "\r\n";
    }
  }
  return out;
}

std::string staffHtml(const StaffSummary& summary) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<title>Calendar migration: staff summary</title>\n<style>" + std::string(kCss) +
                    "</style>\n</head>\n<body>\n<h1>Calendar migration: staff summary</h1>\n";
  out += "<h2>Accounts, worst first</h2>\n<table id=\"accounts\">\n<thead><tr><th>Account</th><th>Logs</th>"
         "<th>Incomplete runs</th><th>Created</th><th>Skipped</th><th>Failed</th><th>Dry-run</th>"
         "<th>Items to check</th><th>Faults</th></tr></thead>\n<tbody>\n";
  for (const AccountTally& tally : summary.accounts) {
    const bool attention = tally.items_to_check > 0 || tally.incomplete_runs > 0 || countOf(tally.by_status, "failed") > 0;
    out += std::string("<tr") + (attention ? " class=\"attention\"" : "") + "><td>" + escapeHtml(tally.account) +
           "</td><td>" + std::to_string(tally.logs) + "</td><td>" + std::to_string(tally.incomplete_runs) + "</td>";
    for (const char* status : kStatuses) out += "<td>" + std::to_string(countOf(tally.by_status, status)) + "</td>";
    out += "<td>" + std::to_string(tally.items_to_check) + "</td><td>" + std::to_string(tally.faults) + "</td></tr>\n";
  }
  out += "</tbody>\n</table>\n<h2>Items per status</h2>\n<table id=\"statuses\">\n<thead><tr><th>Status</th><th>Items</th></tr></thead>\n<tbody>\n";
  for (const char* status : kStatuses) {
    out += "<tr><td>" + std::string(status) + "</td><td>" + std::to_string(countOf(summary.by_status, status)) + "</td></tr>\n";
  }
  out += "</tbody>\n</table>\n<h2>Findings per kind</h2>\n<table id=\"findings\">\n<thead><tr><th>Finding</th><th>Count</th></tr></thead>\n<tbody>\n";
  for (const auto& [kind, count] : summary.by_finding) {
    out += "<tr><td>" + escapeHtml(kind) + "</td><td>" + std::to_string(count) + "</td></tr>\n";
  }
  out += "</tbody>\n</table>\n</body>\n</html>\n";
  return out;
}

}  // namespace m2z::report
