#include "report/diff.h"

#include <algorithm>
#include <unordered_map>

namespace m2z::report {

namespace {

// The outcome that counts for an item: its status, with the last attempt's detail when it failed.
std::string outcomeOf(const ItemHistory& item) {
  std::string text = toString(item.status);
  if (item.status == ItemStatus::kFailed && !item.attempts.empty()) {
    const Attempt& last = item.attempts.back();
    text += " (" + last.outcome + (last.fault_code.empty() ? "" : " " + last.fault_code) + ")";
  }
  return text;
}

void compareField(std::vector<std::string>& a_parts, std::vector<std::string>& b_parts, const char* name,
                  const std::string& a, const std::string& b) {
  if (a == b) return;
  a_parts.push_back(std::string(name) + "=" + a);
  b_parts.push_back(std::string(name) + "=" + b);
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

// Kinds with their field, sorted: the order findings were made in is not a change.
std::vector<std::string> findingSet(const ItemHistory& item) {
  std::vector<std::string> set;
  for (const auto& finding : item.findings) {
    set.push_back(finding.field.empty() ? finding.kind : finding.kind + "(" + finding.field + ")");
  }
  std::sort(set.begin(), set.end());
  return set;
}

std::string subjectOf(const ItemHistory& item) { return item.item ? item.item->subject : std::string(); }

}  // namespace

std::string_view toString(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kOnlyInA: return "only-in-a";
    case ChangeKind::kOnlyInB: return "only-in-b";
    case ChangeKind::kOutcome: return "outcome";
    case ChangeKind::kItem: return "item";
    case ChangeKind::kFindings: return "findings";
  }
  return "item";
}

std::vector<Change> diffLedgers(const Ledger& a, const Ledger& b) {
  std::unordered_map<std::string, const ItemHistory*> in_b;
  for (const auto& item : b.items) in_b.emplace(itemKey(item.source), &item);
  std::unordered_map<std::string, bool> in_a;
  std::vector<Change> changes;
  for (const auto& item_a : a.items) {
    const std::string key = itemKey(item_a.source);
    in_a.emplace(key, true);
    const auto found = in_b.find(key);
    if (found == in_b.end()) {
      changes.push_back({ChangeKind::kOnlyInA, key, subjectOf(item_a), outcomeOf(item_a), ""});
      continue;
    }
    const ItemHistory& item_b = *found->second;
    const std::string subject = subjectOf(item_b).empty() ? subjectOf(item_a) : subjectOf(item_b);
    if (const std::string oa = outcomeOf(item_a), ob = outcomeOf(item_b); oa != ob) {
      changes.push_back({ChangeKind::kOutcome, key, subject, oa, ob});
    }
    const audit::ItemSummary sa = item_a.item.value_or(audit::ItemSummary{});
    const audit::ItemSummary sb = item_b.item.value_or(audit::ItemSummary{});
    std::vector<std::string> a_parts;
    std::vector<std::string> b_parts;
    compareField(a_parts, b_parts, "subject", sa.subject, sb.subject);
    compareField(a_parts, b_parts, "start", sa.start, sb.start);
    compareField(a_parts, b_parts, "end", sa.end, sb.end);
    compareField(a_parts, b_parts, "allDay", sa.all_day ? "true" : "false", sb.all_day ? "true" : "false");
    compareField(a_parts, b_parts, "uid", sa.uid, sb.uid);
    if (!a_parts.empty()) changes.push_back({ChangeKind::kItem, key, subject, join(a_parts, ", "), join(b_parts, ", ")});
    const std::vector<std::string> fa = findingSet(item_a);
    const std::vector<std::string> fb = findingSet(item_b);
    if (fa != fb) {
      std::vector<std::string> removed;
      std::vector<std::string> added;
      std::set_difference(fa.begin(), fa.end(), fb.begin(), fb.end(), std::back_inserter(removed));
      std::set_difference(fb.begin(), fb.end(), fa.begin(), fa.end(), std::back_inserter(added));
      changes.push_back({ChangeKind::kFindings, key, subject, join(removed, " "), join(added, " ")});
    }
  }
  for (const auto& item_b : b.items) {
    const std::string key = itemKey(item_b.source);
    if (in_a.count(key) == 0) changes.push_back({ChangeKind::kOnlyInB, key, subjectOf(item_b), "", outcomeOf(item_b)});
  }
  return changes;
}

std::string formatChanges(const std::vector<Change>& changes) {
  if (changes.empty()) return "No differences.\n";
  std::string out;
  for (const Change& change : changes) {
    out += std::string(toString(change.kind)) + " " + change.key;
    if (!change.subject.empty()) out += " \"" + change.subject + "\"";
    out += ": ";
    switch (change.kind) {
      case ChangeKind::kOnlyInA: out += change.a; break;
      case ChangeKind::kOnlyInB: out += change.b; break;
      case ChangeKind::kFindings:
        out += "removed [" + change.a + "] added [" + change.b + "]";
        break;
      default: out += change.a + " -> " + change.b;
    }
    out += '\n';
  }
  return out;
}

}  // namespace m2z::report
