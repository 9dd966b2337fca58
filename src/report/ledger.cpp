#include "report/ledger.h"

#include <unordered_map>
#include <utility>

#include "xml/xml.h"

namespace m2z::report {

namespace {

bool hasSource(const model::Provenance& source) {
  return !source.source_file.empty() || !source.folder_path.empty() || !source.entry_id.empty();
}

Attempt toAttempt(std::int64_t seq, const audit::Entry& entry) {
  Attempt attempt;
  attempt.seq = seq;
  attempt.operation = entry.operation;
  attempt.outcome = entry.outcome;
  attempt.fault_code = entry.fault_code;
  attempt.http_status = entry.http_status;
  attempt.attempt = entry.attempt;
  attempt.will_retry = entry.will_retry;
  attempt.retry_reason = entry.retry_reason;
  if (!entry.request_xml.empty()) {
    // A raw (not well-formed) body simply has no <s>: the scan then has nothing to compare.
    if (Result<xml::Element> request = xml::parse(entry.request_xml, "request"); request) {
      if (const xml::Element* comp = request->find("comp")) {
        const std::string all_day = comp->attributeOr("allDay", "0");
        attempt.sent_all_day = all_day == "1" || all_day == "true";
      }
      if (const xml::Element* start = request->find("s")) attempt.sent_start = start->attributeOr("d", "");
    }
  }
  return attempt;
}

class Folder {
 public:
  explicit Folder(Ledger& ledger) : ledger_(ledger) {}

  void add(const audit::Record& record) {
    if (record.kind == audit::RecordKind::kEntry) {
      const audit::Entry& entry = record.entry;
      Attempt attempt = toAttempt(record.seq, entry);
      if (!entry.source || !hasSource(*entry.source)) {
        ledger_.other_exchanges.push_back(std::move(attempt));
        return;
      }
      ItemHistory& item = itemFor(*entry.source, record.seq);
      if (entry.item) item.item = entry.item;
      item.attempts.push_back(std::move(attempt));
      for (const auto& finding : entry.findings) item.findings.push_back(finding);
      return;
    }
    // A finding about a folder or a whole source (no entry id) is about the run, not an item.
    if (!hasSource(record.finding.item) || record.finding.item.entry_id.empty()) {
      ledger_.run_findings.push_back(record.finding);
      return;
    }
    itemFor(record.finding.item, record.seq).findings.push_back(record.finding);
  }

  void finish() {
    for (ItemHistory& item : ledger_.items) {
      bool ok = false;
      bool skipped = false;
      bool all_dry_run = !item.attempts.empty();
      for (const Attempt& attempt : item.attempts) {
        ok = ok || attempt.outcome == audit::kOutcomeOk;
        skipped = skipped || attempt.outcome == audit::kOutcomeSkipped;
        all_dry_run = all_dry_run && attempt.outcome == audit::kOutcomeDryRun;
      }
      const model::Finding* skip = nullptr;
      for (const auto& finding : item.findings) {
        if (finding.item_skipped && skip == nullptr) skip = &finding;
      }
      if (ok) {
        item.status = ItemStatus::kCreated;
      } else if (skip != nullptr) {
        item.status = ItemStatus::kSkipped;
        item.skip_reason = skip->why.empty() ? skip->kind : skip->why;
      } else if (skipped) {
        item.status = ItemStatus::kSkipped;
        item.skip_reason = "not sent on purpose";
      } else if (all_dry_run) {
        item.status = ItemStatus::kDryRun;
      } else {
        item.status = ItemStatus::kFailed;
      }
    }
  }

 private:
  ItemHistory& itemFor(const model::Provenance& source, std::int64_t seq) {
    const std::string key = itemKey(source);
    if (const auto found = index_.find(key); found != index_.end()) return ledger_.items[found->second];
    index_.emplace(key, ledger_.items.size());
    ItemHistory item;
    item.source = source;
    item.first_seq = seq;
    ledger_.items.push_back(std::move(item));
    return ledger_.items.back();
  }

  Ledger& ledger_;
  std::unordered_map<std::string, std::size_t> index_;
};

void takeHeader(Ledger& ledger, const audit::LogContents& contents) {
  ledger.run = contents.run;
  ledger.summary = contents.summary;
  ledger.torn_bytes = contents.torn_bytes;
}

}  // namespace

const char* toString(ItemStatus status) {
  switch (status) {
    case ItemStatus::kCreated: return "created";
    case ItemStatus::kSkipped: return "skipped";
    case ItemStatus::kFailed: return "failed";
    case ItemStatus::kDryRun: return "dry-run";
  }
  return "failed";
}

std::string itemKey(const model::Provenance& source) { return source.describe(); }

Ledger foldRecords(const audit::LogContents& contents, const std::vector<audit::Record>& records) {
  Ledger ledger;
  takeHeader(ledger, contents);
  Folder folder(ledger);
  for (const auto& record : records) folder.add(record);
  folder.finish();
  return ledger;
}

Result<Ledger> loadLedger(const std::filesystem::path& path) {
  Ledger ledger;
  ledger.path = path;
  Folder folder(ledger);
  Result<audit::LogContents> contents = audit::readEntries(path, [&](audit::Record record) -> Status {
    folder.add(record);
    return {};
  });
  if (!contents) return contents.error();
  takeHeader(ledger, *contents);
  folder.finish();
  return ledger;
}

}  // namespace m2z::report
