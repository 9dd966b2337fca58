#include "report/user_report.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "report/text_util.h"

namespace m2z::report {

namespace {

// Embedded: the page must open anywhere, offline, from a mail attachment, without fetching.
constexpr std::string_view kCss =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Arial,sans-serif;margin:2em auto;max-width:60em;"
    "color:#1d1d1f;padding:0 1em}"
    "h1{font-size:1.5em;border-bottom:3px solid #0b57a4;padding-bottom:.3em}"
    "p.clear{background:#e6f4ea;border-left:6px solid #1e8e3e;padding:1em}"
    "table{border-collapse:collapse;width:100%;margin:1em 0}"
    "th,td{border:1px solid #c8c8cc;padding:.5em .6em;text-align:left;vertical-align:top}"
    "th{background:#eef3fa}"
    "tr.flag-not-created td:first-child,tr.flag-date-changed td:first-child,tr.flag-all-day-not-date td:first-child"
    "{border-left:6px solid #c5221f}"
    "td.details{color:#5f6368;font-size:.85em}"
    "footer{margin-top:2em;color:#5f6368;font-size:.85em}";

std::string whenOf(const Flag& flag, const Catalogue& catalogue) {
  if (flag.start.empty()) return catalogue.text("unknown_time");
  // "2024-03-01T10:00:00 Europe/Berlin" reads better with a space than a 'T'.
  std::string when = flag.start;
  if (const std::size_t t = when.find('T'); t == 10) when[t] = ' ';
  return when;
}

std::string changeOf(const Flag& flag, const Catalogue& catalogue) {
  const std::string key = "change." + std::string(toString(flag.kind));
  if (catalogue.has(key)) return catalogue.text(key);
  if (flag.before.empty() && !flag.after.empty()) return catalogue.text("set_to", {{"after", flag.after}});
  if (!flag.before.empty() || !flag.after.empty()) {
    return catalogue.text("changed", {{"before", flag.before}, {"after", flag.after.empty() ? "?" : flag.after}});
  }
  return catalogue.text("nothing_changed");
}

std::string whatOf(const Flag& flag, const Catalogue& catalogue) {
  if (flag.kind == FlagKind::kRunIncomplete) return catalogue.text("whole_calendar");
  return flag.subject.empty() ? catalogue.text("no_subject") : flag.subject;
}

std::string renderHtml(const std::string& account, const std::vector<Flag>& items, const Catalogue& catalogue) {
  const std::map<std::string, std::string> values{{"account", account}, {"count", std::to_string(items.size())}};
  const std::string title = catalogue.text(items.empty() ? "title_clear" : "title");
  std::string out = "<!DOCTYPE html>\n<html lang=\"" + escapeHtml(catalogue.languageCode()) + "\">\n<head>\n"
                    "<meta charset=\"utf-8\">\n<title>" + escapeHtml(title) + "</title>\n<style>" + std::string(kCss) +
                    "</style>\n</head>\n<body>\n<h1>" + escapeHtml(title) + "</h1>\n<p>" +
                    escapeHtml(catalogue.text("greeting")) + "</p>\n";
  if (items.empty()) {
    out += "<p class=\"clear\" id=\"all-clear\">" + escapeHtml(catalogue.text("all_clear", values)) + "</p>\n";
  } else {
    out += "<p>" + escapeHtml(catalogue.text("intro", values)) + "</p>\n<table id=\"items\">\n<thead><tr><th>" +
           escapeHtml(catalogue.text("col_what")) + "</th><th>" + escapeHtml(catalogue.text("col_when")) + "</th><th>" +
           escapeHtml(catalogue.text("col_why")) + "</th><th>" + escapeHtml(catalogue.text("col_changed")) + "</th><th>" +
           escapeHtml(catalogue.text("details")) + "</th></tr></thead>\n<tbody>\n";
    for (const Flag& flag : items) {
      const std::string kind(toString(flag.kind));
      out += "<tr class=\"flag-" + kind + "\" data-flag=\"" + kind + "\" data-entry=\"" + escapeHtml(flag.source.entry_id) +
             "\"><td>" + escapeHtml(whatOf(flag, catalogue)) + "</td><td>" + escapeHtml(whenOf(flag, catalogue)) +
             "</td><td>" + escapeHtml(catalogue.text("reason." + kind)) + "</td><td>" +
             escapeHtml(changeOf(flag, catalogue)) + "</td><td class=\"details\">" + escapeHtml(flag.source.folder_path) +
             " #" + escapeHtml(flag.source.entry_id) + "<br>" + escapeHtml(flag.reason) + "</td></tr>\n";
    }
    out += "</tbody>\n</table>\n";
  }
  out += "<footer>" + escapeHtml(catalogue.text("footer")) + "</footer>\n</body>\n</html>\n";
  return out;
}

std::string renderText(const std::string& account, const std::vector<Flag>& items, const Catalogue& catalogue) {
  const std::map<std::string, std::string> values{{"account", account}, {"count", std::to_string(items.size())}};
  std::string out = catalogue.text("greeting") + "\n\n";
  if (items.empty()) {
    out += catalogue.text("all_clear", values) + "\n";
  } else {
    out += catalogue.text("intro", values) + "\n";
    int number = 0;
    for (const Flag& flag : items) {
      const std::string kind(toString(flag.kind));
      out += "\n" + std::to_string(++number) + ". " + whatOf(flag, catalogue) + "\n";
      out += "   " + catalogue.text("col_when") + ": " + whenOf(flag, catalogue) + "\n";
      out += "   " + catalogue.text("col_why") + ": " + catalogue.text("reason." + kind) + "\n";
      out += "   " + catalogue.text("col_changed") + ": " + changeOf(flag, catalogue) + "\n";
      out += "   " + catalogue.text("details") + ": " + flag.source.folder_path + " #" + flag.source.entry_id + ", " +
             flag.reason + "\n";
    }
  }
  out += "\n-- \n" + catalogue.text("footer") + "\n";
  return out;
}

}  // namespace

std::vector<Flag> itemsToCheck(const std::vector<const Ledger*>& account_ledgers) {
  std::set<std::string> created;
  bool some_run_complete = false;
  for (const Ledger* ledger : account_ledgers) {
    // Reading items back is neither creating them nor finishing a migration.
    if (isVerifyRun(*ledger)) continue;
    some_run_complete = some_run_complete || (ledger->summary && ledger->summary->complete && ledger->torn_bytes == 0);
    for (const auto& item : ledger->items) {
      if (item.status == ItemStatus::kCreated) created.insert(itemKey(item.source));
    }
  }
  std::vector<Flag> items;
  std::map<std::pair<std::string, FlagKind>, std::size_t> seen;
  for (const Ledger* ledger : account_ledgers) {
    for (Flag& flag : scanLedger(*ledger)) {
      if (!flag.user_relevant) continue;
      const std::string key = itemKey(flag.source);
      if (flag.kind == FlagKind::kNotCreated && created.count(key) != 0) continue;
      // Another run of the same account went to the end: that one carried the rest over.
      if (flag.kind == FlagKind::kRunIncomplete && some_run_complete) continue;
      // A later log's word on the same item and reason replaces an earlier one.
      if (const auto found = seen.find({key, flag.kind}); found != seen.end()) {
        items[found->second] = std::move(flag);
        continue;
      }
      seen.emplace(std::make_pair(key, flag.kind), items.size());
      items.push_back(std::move(flag));
    }
  }
  return items;
}

std::vector<UserReport> buildUserReports(const std::vector<Ledger>& ledgers, const Catalogue& catalogue) {
  std::map<std::string, std::vector<const Ledger*>> by_account;
  for (const Ledger& ledger : ledgers) by_account[ledger.run.account].push_back(&ledger);
  std::vector<UserReport> reports;
  for (const auto& [account, account_ledgers] : by_account) {
    UserReport report;
    report.account = account;
    report.items = itemsToCheck(account_ledgers);
    report.mail_subject = report.items.empty()
                              ? catalogue.text("mail_subject_clear")
                              : catalogue.text("mail_subject", {{"count", std::to_string(report.items.size())}});
    report.html = renderHtml(account, report.items, catalogue);
    report.text = renderText(account, report.items, catalogue);
    reports.push_back(std::move(report));
  }
  return reports;
}

std::string reportFileStem(const std::string& account) {
  std::string stem;
  for (char c : account) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '@' ||
                      c == '.' || c == '-' || c == '_' || c == '+';
    stem += safe ? c : '_';
  }
  if (stem.empty() || stem.front() == '.') stem.insert(0, "_");
  return stem;
}

}  // namespace m2z::report
