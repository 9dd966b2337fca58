#include "pipeline/normalize_report.h"

#include <exception>
#include <sstream>
#include <utility>

#include "model/item_sink.h"
#include "pipeline/source_reader.h"

namespace m2z::pipeline {

namespace {

// Collects what the reader streams into one file's report, normalizing each appointment.
class ReportSink : public model::ItemSink {
 public:
  ReportSink(normalize::Normalizer& normalizer, FileNormalizeReport& report, std::size_t max_findings)
      : normalizer_(normalizer), report_(report), max_findings_(max_findings) {}

  void onFolder(const model::SourceFolder& folder) override {
    ++report_.calendar_folders;
    std::vector<model::Finding> findings;
    const normalize::FolderMapping mapping = normalizer_.mapFolder(folder, findings);
    report_.folders.push_back({folder.path, mapping.targetPath(), folder.container_class, folder.item_count});
    for (auto& finding : findings) record(std::move(finding));
  }

  void onAppointment(model::Appointment appointment) override {
    ++report_.items_seen;
    std::vector<model::Finding> findings;
    const bool ready = normalizer_.normalize(appointment, findings);
    ++(ready ? report_.ready : report_.skipped);
    for (auto& finding : findings) record(std::move(finding));
  }

  void onFinding(model::Finding finding) override {
    if (finding.item_skipped) {
      ++report_.items_seen;
      ++report_.skipped;
    }
    record(std::move(finding));
  }

  void record(model::Finding finding) {
    ++report_.findings_by_kind[finding.kind];
    ++report_.findings_by_severity[model::toString(finding.severity)];
    if (report_.findings.size() < max_findings_) {
      report_.findings.push_back(std::move(finding));
    } else {
      ++report_.findings_not_kept;
    }
  }

 private:
  normalize::Normalizer& normalizer_;
  FileNormalizeReport& report_;
  std::size_t max_findings_;
};

void readOne(const std::string& source, normalize::Normalizer& normalizer, const NormalizeReportOptions& options,
             FileNormalizeReport& report) {
  ReportSink sink(normalizer, report, options.max_findings_per_file);
  std::optional<Error> failure;
  try {
    auto read = readSourceCalendars(source, sink);
    if (!read) failure = read.error();
  } catch (const std::exception& e) {
    // Nothing may escape the library; what was read so far still stands in the report.
    failure = Error{"normalize.internal", std::string("normalizing the file failed: ") + e.what(), source};
  }
  if (!failure) return;
  report.error = failure;
  model::Finding finding;
  finding.kind = "source.unreadable";
  finding.severity = model::Severity::kError;
  finding.item = model::Provenance{source, "", ""};
  finding.why = failure->describe();
  sink.record(std::move(finding));
}

}  // namespace

Result<NormalizeReport> normalizeSources(const std::vector<std::string>& source_files,
                                         const NormalizeReportOptions& options) {
  if (source_files.empty()) return Error{"normalize.no_sources", "no source file was given", ""};
  NormalizeReport report;
  normalize::Normalizer normalizer(options.normalizer);
  for (const auto& source : source_files) {
    FileNormalizeReport file;
    file.source_file = source;
    readOne(source, normalizer, options, file);
    report.files.push_back(std::move(file));
  }
  return report;
}

std::string formatNormalizeReport(const NormalizeReport& report, bool list_findings) {
  std::ostringstream out;
  for (const auto& file : report.files) {
    out << "source: " << file.source_file << "\n";
    if (file.error) out << "  could not be read: " << file.error->describe() << "\n";
    out << "  calendar folders: " << file.calendar_folders << "\n"
        << "  items: " << file.items_seen << " seen, " << file.ready << " ready, " << file.skipped << " skipped"
        << " (all accounted for: " << (file.allAccountedFor() ? "yes" : "NO") << ")\n";
    for (const auto& folder : file.folders) {
      out << "  folder " << folder.source_path << " -> " << folder.target_path << "\n";
    }
    if (!file.findings_by_kind.empty()) {
      out << "  findings:\n";
      for (const auto& [kind, count] : file.findings_by_kind) out << "    " << kind << ": " << count << "\n";
    }
    if (list_findings) {
      for (const auto& finding : file.findings) {
        out << "    [" << model::toString(finding.severity) << "] " << finding.kind << " " << finding.item.describe();
        if (!finding.field.empty()) out << " " << finding.field;
        if (!finding.before.empty() || !finding.after.empty()) {
          out << ": \"" << finding.before << "\" -> \"" << finding.after << "\"";
        }
        out << " (" << finding.why << ")\n";
      }
      if (file.findings_not_kept > 0) out << "    ... " << file.findings_not_kept << " more not kept\n";
    }
  }
  return out.str();
}

}  // namespace m2z::pipeline
