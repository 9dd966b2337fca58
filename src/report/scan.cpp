#include "report/scan.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "report/text_util.h"

namespace m2z::report {

namespace {

bool isDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

bool isZoneGuess(std::string_view kind) {
  return kind == "zone.missing" || kind == "zone.from_display_name" || kind == "zone.custom";
}

bool isUidChange(std::string_view kind) { return kind.substr(0, 4) == "uid."; }

bool isRecurrenceApproximation(std::string_view kind) {
  return kind.substr(0, 11) == "recurrence." && kind.find("approximated") != std::string_view::npos;
}

bool isFailure(std::string_view outcome) {
  return outcome == audit::kOutcomeFault || outcome == audit::kOutcomeTransportError ||
         outcome == audit::kOutcomeInvalidRequest;
}

std::string describeAttempt(const Attempt& attempt) {
  std::string text = attempt.outcome;
  if (!attempt.fault_code.empty()) text += " " + attempt.fault_code;
  if (attempt.http_status != 0) text += " (HTTP " + std::to_string(attempt.http_status) + ")";
  return text;
}

class Scanner {
 public:
  explicit Scanner(const Ledger& ledger) : ledger_(ledger) {}

  std::vector<Flag> run() {
    scanRun();
    for (const ItemHistory& item : ledger_.items) scanItem(item);
    for (const Attempt& attempt : ledger_.other_exchanges) scanAttempt(nullptr, attempt);
    std::stable_sort(flags_.begin(), flags_.end(), [](const Flag& a, const Flag& b) { return a.seq < b.seq; });
    return std::move(flags_);
  }

 private:
  Flag& add(FlagKind kind, const ItemHistory* item, std::int64_t seq, std::string reason) {
    Flag flag;
    flag.kind = kind;
    flag.log = ledger_.path.string();
    flag.account = ledger_.run.account;
    flag.run_id = ledger_.run.run_id;
    flag.seq = seq;
    flag.reason = std::move(reason);
    if (item != nullptr) {
      flag.source = item->source;
      if (item->item) {
        flag.item_kind = item->item->kind;
        flag.subject = item->item->subject;
        flag.start = item->item->start;
      }
    }
    flags_.push_back(std::move(flag));
    return flags_.back();
  }

  void scanRun() {
    // The user hears of it too: items after the stop never made it into the log at all.
    if (!ledger_.summary) {
      add(FlagKind::kRunIncomplete, nullptr, 0, "the log has no summary: the run died before it could close it")
          .user_relevant = true;
    } else if (!ledger_.summary->complete) {
      add(FlagKind::kRunIncomplete, nullptr, 0, "the run stopped early (summary complete=\"false\")").user_relevant = true;
    }
    if (ledger_.torn_bytes > 0) {
      add(FlagKind::kRunIncomplete, nullptr, 0,
          "a torn record of " + std::to_string(ledger_.torn_bytes) + " bytes at the end: the run crashed while writing")
          .user_relevant = true;
    }
  }

  void scanItem(const ItemHistory& item) {
    if (isVerifyRun(ledger_)) {
      scanVerified(item);
      for (const Attempt& attempt : item.attempts) scanAttempt(&item, attempt);
      return;
    }
    scanDates(item);
    for (const auto& finding : item.findings) {
      std::optional<FlagKind> kind;
      if (isZoneGuess(finding.kind)) kind = FlagKind::kZoneGuessed;
      if (isUidChange(finding.kind)) kind = FlagKind::kUidChanged;
      if (isRecurrenceApproximation(finding.kind)) kind = FlagKind::kRecurrenceApproximated;
      if (!kind) continue;
      Flag& flag = add(*kind, &item, item.first_seq, finding.why.empty() ? finding.kind : finding.why);
      flag.finding_kind = finding.kind;
      flag.before = finding.before;
      flag.after = finding.after;
      flag.user_relevant = true;
    }
    scanCreated(item);
    for (const Attempt& attempt : item.attempts) scanAttempt(&item, attempt);
  }

  // verify.mismatch, verify.missing and verify.extra; a match or an item left out on purpose
  // (already reported by the migration's log) is nothing to check.
  void scanVerified(const ItemHistory& item) {
    for (const auto& finding : item.findings) {
      std::optional<FlagKind> kind;
      if (finding.kind == "verify.mismatch") kind = FlagKind::kVerifyMismatch;
      if (finding.kind == "verify.missing") kind = FlagKind::kVerifyMissing;
      if (finding.kind == "verify.extra") kind = FlagKind::kVerifyExtra;
      if (!kind) continue;
      Flag& flag = add(*kind, &item, item.first_seq, finding.why.empty() ? finding.kind : finding.why);
      flag.finding_kind = finding.kind;
      flag.before = finding.before;
      flag.after = finding.after;
      if (flag.item_kind.empty()) flag.item_kind = "item";
      flag.user_relevant = true;
    }
  }

  void scanDates(const ItemHistory& item) {
    // The last request that carried a start is the one the server kept.
    const Attempt* sent = nullptr;
    for (const Attempt& attempt : item.attempts) {
      if (!attempt.sent_start.empty()) sent = &attempt;
    }
    const bool all_day = (item.item && item.item->all_day) || (sent != nullptr && sent->sent_all_day);
    const std::string summary_start = item.item ? item.item->start : std::string();
    const std::int64_t seq = sent != nullptr ? sent->seq : item.first_seq;
    if (all_day && sent != nullptr && !(sent->sent_start.size() == 8 && isDigits(sent->sent_start))) {
      add(FlagKind::kAllDayNotDate, &item, seq,
          "all-day, but the request's start \"" + sent->sent_start + "\" is not a date (Zimbra wants YYYYMMDD)")
          .user_relevant = true;
    }
    if (all_day && !summary_start.empty()) {
      const std::optional<std::string> time = timeDigits(summary_start);
      if (time && *time != "000000") {
        add(FlagKind::kAllDayNotMidnight, &item, seq,
            "all-day, but its start " + summary_start + " is not local midnight")
            .user_relevant = true;
      }
    }
    if (sent != nullptr && !summary_start.empty()) {
      const std::optional<std::string> own = dateDigits(summary_start);
      const std::optional<std::string> wire = dateDigits(sent->sent_start);
      if (own && wire && *own != *wire) {
        Flag& flag = add(FlagKind::kDateChanged, &item, seq,
                         "the item starts on " + formatDate(*own) + " but the request sent " + formatDate(*wire));
        flag.before = formatDate(*own);
        flag.after = formatDate(*wire);
        flag.user_relevant = true;
      }
    }
  }

  void scanCreated(const ItemHistory& item) {
    std::string reason;
    bool user_relevant = true;
    std::int64_t seq = item.first_seq;
    switch (item.status) {
      case ItemStatus::kCreated: return;
      case ItemStatus::kSkipped: {
        const model::Finding* skip = nullptr;
        for (const auto& finding : item.findings) {
          if (finding.item_skipped && skip == nullptr) skip = &finding;
        }
        // Outcome "skipped" without a finding: left out on purpose (already on the server).
        if (skip == nullptr) return;
        reason = "skipped (" + skip->kind + "): " + item.skip_reason;
        break;
      }
      case ItemStatus::kDryRun:
        reason = "dry-run: built, not sent";
        user_relevant = false;
        break;
      case ItemStatus::kFailed:
        if (item.attempts.empty()) {
          reason = "never sent: no request for it in the log";
        } else {
          const Attempt& last = item.attempts.back();
          seq = last.seq;
          reason = "never created: the last attempt ended " + describeAttempt(last);
        }
        break;
    }
    Flag& flag = add(FlagKind::kNotCreated, &item, seq, std::move(reason));
    flag.user_relevant = user_relevant;
    if (flag.item_kind.empty()) flag.item_kind = "item";
  }

  // Looking a UID up before creating it is expected to answer "no such appointment": that is the
  // normal path for every new item, not a fault worth flagging.
  static bool isExpectedNotFound(const Attempt& attempt) {
    return attempt.operation == "GetAppointmentRequest" &&
           (attempt.fault_code == "mail.NO_SUCH_APPT" || attempt.fault_code == "mail.NO_SUCH_CALITEM");
  }

  void scanAttempt(const ItemHistory* item, const Attempt& attempt) {
    if (isFailure(attempt.outcome) && !isExpectedNotFound(attempt)) {
      add(FlagKind::kFault, item, attempt.seq, attempt.operation + " ended " + describeAttempt(attempt));
    }
    if (attempt.will_retry) {
      add(FlagKind::kRetry, item, attempt.seq,
          attempt.operation + " attempt " + std::to_string(attempt.attempt) + " was retried" +
              (attempt.retry_reason.empty() ? std::string() : ": " + attempt.retry_reason));
    }
  }

  const Ledger& ledger_;
  std::vector<Flag> flags_;
};

}  // namespace

std::string_view toString(FlagKind kind) {
  switch (kind) {
    case FlagKind::kAllDayNotDate: return "all-day-not-date";
    case FlagKind::kAllDayNotMidnight: return "all-day-not-midnight";
    case FlagKind::kDateChanged: return "date-changed";
    case FlagKind::kZoneGuessed: return "zone-guessed";
    case FlagKind::kUidChanged: return "uid-changed";
    case FlagKind::kRecurrenceApproximated: return "recurrence-approximated";
    case FlagKind::kNotCreated: return "not-created";
    case FlagKind::kRunIncomplete: return "run-incomplete";
    case FlagKind::kFault: return "fault";
    case FlagKind::kRetry: return "retry";
    case FlagKind::kVerifyMismatch: return "verify-mismatch";
    case FlagKind::kVerifyMissing: return "verify-missing";
    case FlagKind::kVerifyExtra: return "verify-extra";
  }
  return "fault";
}

std::vector<Flag> scanLedger(const Ledger& ledger) { return Scanner(ledger).run(); }

bool isVerifyRun(const Ledger& ledger) {
  for (const auto& [name, value] : ledger.run.options) {
    if (name == "command" && value == "verify") return true;
  }
  return false;
}

std::string csvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string formatCsv(const std::vector<Flag>& flags) {
  std::string out = "account,run,log,seq,flag,file,folder,entry_id,item_kind,subject,start,finding,before,after,reason\r\n";
  for (const Flag& flag : flags) {
    // Named, not a temporary: a string_view of std::to_string(...) would dangle past this line.
    const std::string seq = std::to_string(flag.seq);
    const std::vector<std::string_view> fields = {
        flag.account, flag.run_id, flag.log, seq, toString(flag.kind),
        flag.source.source_file, flag.source.folder_path, flag.source.entry_id, flag.item_kind, flag.subject,
        flag.start, flag.finding_kind, flag.before, flag.after, flag.reason};
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      out += csvField(fields[i]);
    }
    out += "\r\n";
  }
  return out;
}

std::string formatJson(const std::vector<Flag>& flags) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Flag& flag : flags) {
    nlohmann::ordered_json item;
    item["account"] = flag.account;
    item["run"] = flag.run_id;
    item["log"] = flag.log;
    item["seq"] = flag.seq;
    item["flag"] = std::string(toString(flag.kind));
    item["source"] = {{"file", flag.source.source_file}, {"folder", flag.source.folder_path}, {"entryId", flag.source.entry_id}};
    item["itemKind"] = flag.item_kind;
    item["subject"] = flag.subject;
    item["start"] = flag.start;
    item["finding"] = flag.finding_kind;
    item["before"] = flag.before;
    item["after"] = flag.after;
    item["reason"] = flag.reason;
    item["userRelevant"] = flag.user_relevant;
    list.push_back(std::move(item));
  }
  // Text from the log is valid UTF-8 already; "replace" keeps a bad byte from throwing.
  return list.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string formatTable(const std::vector<Flag>& flags) {
  if (flags.empty()) return "No findings.\n";
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"ACCOUNT", "SEQ", "FLAG", "FOLDER", "ENTRY", "SUBJECT", "REASON"});
  std::map<std::pair<std::string, std::string>, int> not_created;
  for (const Flag& flag : flags) {
    rows.push_back({flag.account, flag.seq == 0 ? "-" : std::to_string(flag.seq), std::string(toString(flag.kind)),
                    flag.source.folder_path, flag.source.entry_id, truncateText(flag.subject, 40), flag.reason});
    if (flag.kind == FlagKind::kNotCreated) ++not_created[{flag.account + " " + flag.source.folder_path, flag.item_kind}];
  }
  std::vector<std::size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i + 1 < row.size(); ++i) widths[i] = std::max(widths[i], displayWidth(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      out += row[i];
      if (i + 1 < row.size()) out.append(widths[i] - displayWidth(row[i]) + 2, ' ');
    }
    out += '\n';
  }
  if (!not_created.empty()) {
    out += "\nNot created, per account/folder and kind:\n";
    for (const auto& [where, count] : not_created) {
      out += "  " + where.first + "  " + where.second + ": " + std::to_string(count) + "\n";
    }
  }
  return out;
}

std::string formatFlags(const std::vector<Flag>& flags, ScanFormat format) {
  switch (format) {
    case ScanFormat::kTable: return formatTable(flags);
    case ScanFormat::kCsv: return formatCsv(flags);
    case ScanFormat::kJson: return formatJson(flags);
  }
  return formatTable(flags);
}

}  // namespace m2z::report
