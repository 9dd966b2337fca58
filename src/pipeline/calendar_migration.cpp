#include "pipeline/calendar_migration.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <memory>
#include <sstream>

#include "audit/audit_log.h"
#include "normalize/normalizer.h"
#include "pipeline/progress.h"
#include "pipeline/source_reader.h"

namespace m2z::pipeline {

namespace {

constexpr const char* kToolVersion = "0.1.0";  // the audit log writes it as "mapi2zimbra <version>"
// Zimbra's folder id of the mailbox root (USER_ROOT): top-level folders are created under it.
constexpr const char* kRootFolderId = "1";

// Unique per run even when one process migrates several accounts within a second: the audit
// log refuses to overwrite an existing file, as it should.
std::string utcRunId() {
  static std::atomic<int> sequence{0};
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char buffer[48];
  std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%S", &parts);
  return std::string(buffer) + "." + std::to_string(1000 + millis).substr(1) + "Z-" + std::to_string(getpid()) + "-" +
         std::to_string(++sequence);
}

audit::ItemSummary summarize(const model::Appointment& item) {
  audit::ItemSummary summary;
  summary.kind = "appointment";
  summary.subject = item.subject;
  summary.uid = item.uid;
  summary.all_day = item.all_day;
  if (item.resolved) {
    if (item.all_day) {
      summary.start = item.resolved->first_day.toIsoString();
      summary.end = item.resolved->last_day.toIsoString();
    } else {
      summary.start = item.resolved->start_local.toIsoString() + " " + item.resolved->zone.id;
      summary.end = item.resolved->end_local.toIsoString() + " " + item.resolved->zone.id;
    }
  }
  return summary;
}

// Adapts the Zimbra client's exchanges to audit entries, adding what the pipeline knows about
// the item being written.
class AuditingObserver : public zimbra::ExchangeObserver {
 public:
  explicit AuditingObserver(audit::AuditLog& log) : log_(log) {}

  void setCurrentItem(std::optional<audit::ItemSummary> item) { current_item_ = std::move(item); }

  void onExchange(const zimbra::Exchange& exchange) override {
    // Registered before the entry is written, so a token renewed mid-run is redacted too.
    for (const auto& secret : exchange.secrets) log_.registerSecret(secret);
    audit::Entry entry;
    entry.operation = exchange.request_name;
    if (exchange.source) entry.source = *exchange.source;
    entry.item = current_item_;
    entry.outcome = zimbra::toString(exchange.outcome);
    entry.fault_code = exchange.fault_code;
    entry.http_status = exchange.http_status;
    entry.duration_ms = exchange.duration_ms;
    entry.attempt = exchange.attempt;
    entry.will_retry = exchange.will_retry;
    entry.retry_delay_ms = exchange.retry_delay_ms;
    entry.retry_reason = exchange.retry_reason;
    entry.request_xml = exchange.request_xml;
    entry.response_xml = exchange.response_xml;
    if (auto status = log_.append(entry); !status) write_errors_.push_back(status.error().describe());
  }

  const std::vector<std::string>& writeErrors() const { return write_errors_; }

 private:
  audit::AuditLog& log_;
  std::optional<audit::ItemSummary> current_item_;
  std::vector<std::string> write_errors_;
};

class CalendarWriter : public model::ItemSink {
 public:
  CalendarWriter(const CalendarMigrationRequest& request, zimbra::ZimbraClient& client, audit::AuditLog& log,
                 AuditingObserver& observer, MigrationSummary& summary, Progress& progress)
      : request_(request), client_(client), log_(log), observer_(observer), summary_(summary), progress_(progress) {}

  // The state key of items from the source being read: its name, size and mtime, so the same
  // file moved elsewhere is the same source.
  void setSourceIdentity(std::string identity) { source_identity_ = std::move(identity); }
  bool stopped() const { return !summary_.stopped_early.empty(); }

  void onFolder(const model::SourceFolder& folder) override {
    if (stopped()) return;
    ++summary_.calendar_folders;
    if (folder.item_count > 0) progress_.addExpected(folder.item_count);
    std::vector<model::Finding> findings;
    const auto mapping = normalizer_.mapFolder(folder, findings);
    for (const auto& finding : findings) record(finding);
    (void)folderId(mapping.target, nullptr);
  }

  void onAppointment(model::Appointment item) override {
    if (shouldStop()) return;
    ++summary_.items_seen;
    std::vector<model::Finding> findings;
    const bool writable = normalizer_.normalize(item, findings);
    for (const auto& finding : findings) record(finding);
    if (!writable) {
      // The normalizer says why (a finding with item_skipped set): counted, never dropped.
      std::string reason = "cannot be carried over";
      for (const auto& finding : findings) {
        if (finding.item_skipped) reason = finding.kind + ": " + finding.why;
      }
      ++summary_.skipped;
      summary_.problems.push_back({item.provenance, item.subject, "skipped", reason});
      saveItem(item.provenance, "appointment",
               {item.original_uid.empty() ? item.uid : item.original_uid, item.uid, contentHash(item), ""},
               state::ItemOutcome::kSkipped, reason);
      afterItem();
      return;
    }

    observer_.setCurrentItem(summarize(item));
    writeAppointment(item);
    observer_.setCurrentItem(std::nullopt);
    afterItem();
  }

  void onFinding(model::Finding finding) override {
    if (finding.item_skipped && shouldStop()) return;
    record(finding);
    if (finding.item_skipped) {
      ++summary_.items_seen;
      ++summary_.skipped;
      summary_.problems.push_back({finding.item, "", "skipped", finding.kind + ": " + finding.why});
      saveItem(finding.item, "appointment", {}, state::ItemOutcome::kSkipped, finding.kind + ": " + finding.why);
      afterItem();
    }
  }

 private:
  bool shouldStop() {
    if (stopped()) return true;
    if (request_.stop != nullptr && request_.stop->load()) {
      summary_.stopped_early = "stop requested (Ctrl-C); run again to resume";
    }
    return stopped();
  }

  void afterItem() {
    progress_.itemDone();
    if (request_.heartbeat && !stopped()) {
      if (auto beat = request_.heartbeat(); !beat) summary_.stopped_early = beat.error().describe();
    }
  }

  void writeAppointment(const model::Appointment& item) {
    const model::Provenance& source = item.provenance;
    const std::string hash = contentHash(item);
    ItemState saved{item.original_uid.empty() ? item.uid : item.original_uid, item.uid, hash, ""};

    // What an earlier run finished is known from the state; what it left in doubt (sent, answer
    // lost) is looked up on the server below before anything is sent again.
    if (auto earlier = findSaved(source); earlier && (earlier->outcome == state::ItemOutcome::kCreated ||
                                                      earlier->outcome == state::ItemOutcome::kAlreadyPresent)) {
      ++summary_.already_present;
      if (!earlier->content_hash.empty() && earlier->content_hash != hash) {
        recordChanged(source, earlier->target_id);
      }
      return;
    }

    std::vector<model::Finding> folder_findings;
    const auto mapping = normalizer_.mapFolderPath(source, folder_findings);
    for (const auto& finding : folder_findings) record(finding);
    auto folder = folderId(mapping.target, &source);
    if (!folder) return fail(item, saved, "target folder: " + folder.error().describe());

    // A UID already in the account is an item an earlier run made (or the user's own): never
    // overwrite it, since SetAppointmentRequest would replace it wholesale.
    auto existing = client_.findAppointmentByUid(summary_.account, item.uid, &source);
    if (!existing) return fail(item, saved, existing.error().describe());
    if (existing->has_value()) {
      ++summary_.already_present;
      saved.target_id = (*existing)->id;
      saveItem(source, "appointment", saved, state::ItemOutcome::kAlreadyPresent, "");
      model::Finding finding;
      finding.kind = "item.already_present";
      finding.severity = model::Severity::kInfo;
      finding.item = source;
      finding.field = "uid";
      finding.before = item.uid;
      finding.after = (*existing)->id;
      finding.why = "an appointment with this UID is already in the account; it was left as it is";
      record(finding);
      if ((*existing)->stored) reportIfDifferent(item, *(*existing)->stored, (*existing)->id);
      return;
    }
    // Pending before sending: after a crash the next run knows to look this UID up first.
    if (!saveItem(source, "appointment", saved, state::ItemOutcome::kPending, "")) {
      --summary_.items_seen;  // not sent: it stays for the run that resumes
      return;
    }
    auto created = client_.setAppointment(summary_.account, *folder, item, &source);
    if (!created) return fail(item, saved, created.error().describe(), created.error().code);
    ++summary_.created;
    saved.target_id = created->id;
    saveItem(source, "appointment", saved, state::ItemOutcome::kCreated, "");
  }

  struct ItemState {
    std::string uid_original;  // as read from the source
    std::string uid_sent;      // as given to the server (shortened when the original was too long)
    std::string content_hash;
    std::string target_id;
  };

  std::optional<state::ItemRecord> findSaved(const model::Provenance& source) {
    if (request_.state == nullptr) return std::nullopt;
    auto found = request_.state->findItem({stateAccount(), source_identity_, source.entry_id});
    if (!found) {
      stateError(found.error());
      return std::nullopt;
    }
    return *found;
  }

  const std::string& stateAccount() const {
    return request_.state_account.empty() ? summary_.account : request_.state_account;
  }

  // False when the state could not be written: the account then stops (see stateError).
  bool saveItem(const model::Provenance& source, const std::string& kind, const ItemState& item,
                state::ItemOutcome outcome, const std::string& reason) {
    if (request_.state == nullptr) return true;
    state::ItemRecord record;
    record.key = {stateAccount(), source_identity_, source.entry_id};
    record.kind = kind;
    record.content_hash = item.content_hash;
    record.uid_original = item.uid_original;
    record.uid_sent = item.uid_sent;
    record.target_id = item.target_id;
    record.outcome = outcome;
    record.reason = reason;
    if (auto saved = request_.state->recordItem(record); !saved) {
      stateError(saved.error());
      return false;
    }
    return true;
  }

  // Losing the state is not losing data (the UID look-up still prevents duplicates), but the
  // run must not go on pretending it can resume exactly: stop the account and say why.
  void stateError(const Error& error) {
    summary_.stopped_early = "state store: " + error.describe();
  }

  // A delta run over a newer export, or a user who edited the migrated copy: the target keeps
  // what it has (never overwritten), and the difference is reported so someone can check it.
  void reportIfDifferent(const model::Appointment& item, const zimbra::StoredAppointment& stored,
                         const std::string& target_id) {
    std::string source_start;
    if (item.resolved) {
      source_start = item.all_day ? item.resolved->first_day.toBasicString() : item.resolved->start_local.toBasicString();
    }
    std::vector<std::string> differences;
    if (stored.subject != item.subject) differences.push_back("subject");
    if (stored.all_day != item.all_day) differences.push_back("all-day");
    if (!source_start.empty() && !stored.start.empty() && stored.start != source_start) differences.push_back("start");
    if (differences.empty()) return;
    std::string what;
    for (const auto& difference : differences) what += (what.empty() ? "" : ", ") + difference;
    model::Finding finding;
    finding.kind = "item.differs_on_target";
    finding.severity = model::Severity::kWarning;
    finding.item = item.provenance;
    finding.field = what;
    finding.before = stored.subject + " @ " + stored.start + (stored.start_tz.empty() ? "" : " " + stored.start_tz) +
                     " (target " + target_id + ")";
    finding.after = item.subject + " @ " + source_start;
    finding.why = "the appointment with this UID on the target differs from the source (" + what +
                  "); the target's copy was left as it is";
    record(finding);
  }

  void recordChanged(const model::Provenance& source, const std::string& target_id) {
    model::Finding finding;
    finding.kind = "item.changed_since_migration";
    finding.severity = model::Severity::kWarning;
    finding.item = source;
    finding.after = target_id;
    finding.why = "the source item changed after it was migrated; the migrated copy was left as it is";
    record(finding);
  }

  void fail(const model::Appointment& item, const ItemState& saved, std::string reason, const std::string& code = "") {
    // The server stayed unavailable longer than allowed: the item is not failed, the account is
    // paused, and a later run resumes here (the item stays pending or unrecorded in the state).
    if (code == "account.paused") {
      summary_.stopped_early = reason;
      --summary_.items_seen;
      return;
    }
    ++summary_.failed;
    summary_.problems.push_back({item.provenance, item.subject, "failed", reason});
    saveItem(item.provenance, "appointment", saved, state::ItemOutcome::kFailed, reason);
    model::Finding finding;
    finding.kind = "item.failed";
    finding.severity = model::Severity::kError;
    finding.item = item.provenance;
    finding.why = std::move(reason);
    record(finding);
  }

  void record(const model::Finding& finding) {
    ++summary_.findings_by_kind[finding.kind];
    if (auto status = log_.appendFinding(finding); !status) {
      std::fprintf(stderr, "audit log: %s\n", status.error().describe().c_str());
    }
  }

  // The Zimbra folder id for a source folder path, creating the folders on the way ("fetch if
  // exists", so "/Calendar" lands in Zimbra's own Calendar and re-runs reuse what they made).
  Result<std::string> folderId(const std::vector<std::string>& target, const model::Provenance* source) {
    std::string parent = kRootFolderId;
    std::string prefix;
    for (const auto& name : target) {
      if (name.empty()) continue;
      // The key joins names with NUL: names may contain '/' after sanitizing never, but the
      // key must not depend on that.
      prefix += '\0' + name;
      if (auto it = folder_ids_.find(prefix); it != folder_ids_.end()) {
        if (!it->second) return it->second;
        parent = *it->second;
        continue;
      }
      auto created = client_.createFolder(summary_.account, parent, name, source);
      if (!created) {
        folder_ids_.emplace(prefix, created.error());
        return created.error();
      }
      folder_ids_.emplace(prefix, created->id);
      parent = created->id;
    }
    if (prefix.empty()) return std::string(kRootFolderId);
    return parent;
  }

  const CalendarMigrationRequest& request_;
  zimbra::ZimbraClient& client_;
  audit::AuditLog& log_;
  AuditingObserver& observer_;
  MigrationSummary& summary_;
  Progress& progress_;
  std::string source_identity_;
  normalize::Normalizer normalizer_;
  std::map<std::string, Result<std::string>> folder_ids_;
};

}  // namespace

Result<MigrationSummary> migrateCalendars(const CalendarMigrationRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  MigrationSummary summary;
  summary.account = request.target_account;

  const std::string run_id = request.run_id.empty() ? utcRunId() : request.run_id;
  const std::filesystem::path log_path =
      std::filesystem::path(request.audit_dir) / request.target_account / (run_id + ".xml");
  std::error_code mkdir_error;
  std::filesystem::create_directories(log_path.parent_path(), mkdir_error);
  if (mkdir_error) {
    return Error{"audit.create", "cannot create the audit log folder: " + mkdir_error.message(),
                 log_path.parent_path().string()};
  }
  audit::RunInfo run;
  run.account = request.target_account;
  run.run_id = run_id;
  run.tool_version = kToolVersion;
  run.target_url = request.server.admin_url;
  run.source_files = request.source_files;
  audit::SystemClock clock;
  auto log = audit::AuditLog::create(log_path.string(), run, clock);
  if (!log) return log.error();
  (*log)->registerSecret(request.server.admin_password);
  summary.audit_log_path = log_path.string();

  // A run that cannot start still leaves a closed log that says it did not finish.
  auto abandon = [&log](const Error& error) {
    audit::Summary unfinished;
    unfinished.complete = false;
    (void)(*log)->close(unfinished);
    return error;
  };
  AuditingObserver observer(**log);
  auto client = zimbra::ZimbraClient::create(request.server, &observer);
  if (!client) return abandon(client.error());
  if (auto connected = (*client)->connect(); !connected) return abandon(connected.error());

  Progress progress(request.progress_out, request.target_account);
  CalendarWriter writer(request, **client, **log, observer, summary, progress);
  for (const auto& source : request.source_files) {
    if (writer.stopped()) break;
    auto identity = state::sourceFileIdentity(source);
    writer.setSourceIdentity(identity ? *identity : std::filesystem::path(source).filename().string());
    auto read = readSourceCalendars(source, writer);
    if (!read) {
      // The whole file could not be read: nothing of it is lost silently, the run says so.
      ++summary.sources_failed;
      summary.problems.push_back({model::Provenance{source, "", ""}, "", "failed", read.error().describe()});
      model::Finding finding;
      finding.kind = "source.unreadable";
      finding.severity = model::Severity::kError;
      finding.item = model::Provenance{source, "", ""};
      finding.why = read.error().describe();
      ++summary.findings_by_kind[finding.kind];
      (void)(*log)->appendFinding(finding);
    }
  }
  progress.finish();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  audit::Summary closing;
  // Items found already on the target were not created by this run: they count as skipped.
  closing.counts.push_back(audit::KindCounts{"appointment", summary.created,
                                             summary.already_present + summary.skipped, summary.failed});
  closing.complete = summary.allAccountedFor() && summary.stopped_early.empty();
  if (auto closed = (*log)->close(closing); !closed) return closed.error();
  for (const auto& problem : observer.writeErrors()) {
    summary.problems.push_back({model::Provenance{}, "", "audit", problem});
  }
  return summary;
}

std::string contentHash(const model::Appointment& item) {
  // Fields a user sees, each length-prefixed so no two items serialize alike by accident.
  std::string canonical;
  auto add = [&canonical](const std::string& value) {
    canonical += std::to_string(value.size()) + ":" + value + ";";
  };
  add(item.subject);
  add(item.location);
  add(item.body);
  add(std::to_string(item.start.unix_seconds));
  add(std::to_string(item.end.unix_seconds));
  add(item.all_day ? "1" : "0");
  add(item.uid);
  for (const auto& attendee : item.attendees) add(attendee.person.email);
  for (const auto& category : item.categories) add(category);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(canonical.data(), canonical.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0f]);
  }
  return hex;
}

std::string formatSummary(const MigrationSummary& summary) {
  std::ostringstream out;
  out << "account:          " << summary.account << "\n"
      << "calendar folders: " << summary.calendar_folders << "\n"
      << "items seen:       " << summary.items_seen << "\n"
      << "  created:        " << summary.created << "\n"
      << "  already there:  " << summary.already_present << "\n"
      << "  skipped:        " << summary.skipped << "\n"
      << "  failed:         " << summary.failed << "\n"
      << "sources unreadable: " << summary.sources_failed << "\n"
      << "all accounted for: " << (summary.allAccountedFor() ? "yes" : "NO") << "\n";
  if (!summary.stopped_early.empty()) out << "STOPPED EARLY:    " << summary.stopped_early << "\n";
  if (!summary.findings_by_kind.empty()) {
    out << "findings:\n";
    for (const auto& [kind, count] : summary.findings_by_kind) out << "  " << kind << ": " << count << "\n";
  }
  if (!summary.problems.empty()) {
    out << "items needing attention:\n";
    for (const auto& problem : summary.problems) {
      out << "  [" << problem.outcome << "] " << problem.item.describe();
      if (!problem.subject.empty()) out << " \"" << problem.subject << "\"";
      out << ": " << problem.reason << "\n";
    }
  }
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", summary.seconds);
  out << "time:             " << seconds << " s\n"
      << "audit log:        " << summary.audit_log_path << "\n";
  return out.str();
}

}  // namespace m2z::pipeline
