#include "pipeline/calendar_migration.h"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <memory>
#include <sstream>

#include "audit/audit_log.h"
#include "normalize/normalizer.h"
#include "pipeline/progress.h"
#include "readers/pst/pst_reader.h"

namespace m2z::pipeline {

namespace {

constexpr const char* kToolVersion = "0.1.0";  // the audit log writes it as "mapi2zimbra <version>"
// Zimbra's folder id of the mailbox root (USER_ROOT): top-level folders are created under it.
constexpr const char* kRootFolderId = "1";

std::string utcRunId() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &parts);
  return std::string(buffer) + "-" + std::to_string(getpid());
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
  CalendarWriter(zimbra::ZimbraClient& client, audit::AuditLog& log, AuditingObserver& observer,
                 MigrationSummary& summary, Progress& progress)
      : client_(client), log_(log), observer_(observer), summary_(summary), progress_(progress) {}

  void onFolder(const model::SourceFolder& folder) override {
    ++summary_.calendar_folders;
    if (folder.item_count > 0) progress_.addExpected(folder.item_count);
    (void)folderId(folder.path, nullptr);
  }

  void onAppointment(model::Appointment item) override {
    ++summary_.items_seen;
    std::vector<model::Finding> findings;
    normalize::normalizeAppointment(item, findings);
    for (const auto& finding : findings) record(finding);

    const model::Provenance& source = item.provenance;
    observer_.setCurrentItem(summarize(item));
    writeAppointment(item, source);
    observer_.setCurrentItem(std::nullopt);
    progress_.itemDone();
  }

  void onFinding(model::Finding finding) override {
    record(finding);
    if (finding.item_skipped) {
      ++summary_.items_seen;
      ++summary_.skipped;
      summary_.problems.push_back({finding.item, "", "skipped", finding.kind + ": " + finding.why});
      progress_.itemDone();
    }
  }

 private:
  void writeAppointment(const model::Appointment& item, const model::Provenance& source) {
    auto folder = folderId(source.folder_path, &source);
    if (!folder) return fail(item, "target folder: " + folder.error().describe());

    // A UID already in the account is an item an earlier run made (or the user's own): never
    // overwrite it, since SetAppointmentRequest would replace it wholesale.
    auto existing = client_.findAppointmentByUid(summary_.account, item.uid, &source);
    if (!existing) return fail(item, existing.error().describe());
    if (existing->has_value()) {
      ++summary_.already_present;
      model::Finding finding;
      finding.kind = "item.already_present";
      finding.severity = model::Severity::kInfo;
      finding.item = source;
      finding.field = "uid";
      finding.before = item.uid;
      finding.after = (*existing)->id;
      finding.why = "an appointment with this UID is already in the account; it was left as it is";
      record(finding);
      return;
    }
    auto created = client_.setAppointment(summary_.account, *folder, item, &source);
    if (!created) return fail(item, created.error().describe());
    ++summary_.created;
  }

  void fail(const model::Appointment& item, std::string reason) {
    ++summary_.failed;
    summary_.problems.push_back({item.provenance, item.subject, "failed", reason});
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
  Result<std::string> folderId(const std::string& path, const model::Provenance* source) {
    if (auto it = folder_ids_.find(path); it != folder_ids_.end()) return it->second;
    std::string parent = kRootFolderId;
    std::string prefix;
    std::stringstream components(path);
    std::string name;
    while (std::getline(components, name, '/')) {
      if (name.empty()) continue;
      prefix += "/" + name;
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

  zimbra::ZimbraClient& client_;
  audit::AuditLog& log_;
  AuditingObserver& observer_;
  MigrationSummary& summary_;
  Progress& progress_;
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
  CalendarWriter writer(**client, **log, observer, summary, progress);
  for (const auto& source : request.source_files) {
    auto read = readers::pst::readCalendars(source, writer);
    if (!read) {
      // The whole file could not be read: nothing of it is lost silently, the run says so.
      ++summary.failed;
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
  closing.complete = summary.allAccountedFor();
  if (auto closed = (*log)->close(closing); !closed) return closed.error();
  for (const auto& problem : observer.writeErrors()) {
    summary.problems.push_back({model::Provenance{}, "", "audit", problem});
  }
  return summary;
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
      << "all accounted for: " << (summary.allAccountedFor() ? "yes" : "NO") << "\n";
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
