// A dry run of reading and normalizing: what the normalizer would change in each source file and
// where each folder would go, without contacting Zimbra or writing anything.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/finding.h"
#include "model/result.h"
#include "normalize/normalizer.h"

namespace m2z::pipeline {

struct NormalizeReportOptions {
  normalize::NormalizerOptions normalizer;
  // Findings kept in full per file (all of them are counted), so a huge source cannot make the
  // report grow without bound.
  std::size_t max_findings_per_file = 10'000;
};

struct FolderPlan {
  std::string source_path;  // as the reader names it, e.g. "/Calendar/Team"
  std::string target_path;  // the Zimbra folder, e.g. "/Calendar/Team"
  std::string container_class;
  int item_count = -1;  // as the source reports it; -1 unknown
};

struct FileNormalizeReport {
  std::string source_file;
  std::optional<Error> error;  // the file could not be read (or not to its end)
  int calendar_folders = 0;
  int items_seen = 0;  // every source item, counted once: ready + skipped
  int ready = 0;       // would be handed to the writer
  int skipped = 0;     // the reader or the normalizer says it cannot be carried over
  std::vector<FolderPlan> folders;
  std::map<std::string, int> findings_by_kind;
  std::map<std::string, int> findings_by_severity;  // "info", "warning", "error"
  std::vector<model::Finding> findings;  // the first max_findings_per_file, in order
  int findings_not_kept = 0;

  bool allAccountedFor() const { return items_seen == ready + skipped; }
};

struct NormalizeReport {
  std::vector<FileNormalizeReport> files;  // in the order given
};

// Reads each source with the PST/OST reader and runs every item through one Normalizer (shared by
// all the files, as one migration into one account shares it: UIDs and folder names are checked
// across files), writing nothing anywhere. A file that cannot be read is reported in its entry
// (error set, a "source.unreadable" finding) and the others are still read; fails only when no
// source is given.
[[nodiscard]] Result<NormalizeReport> normalizeSources(const std::vector<std::string>& source_files,
                                                       const NormalizeReportOptions& options = {});

// Plain text for people: per file the counts, where each folder goes, and findings by kind
// (with `list_findings`, every kept finding on its own line as well).
std::string formatNormalizeReport(const NormalizeReport& report, bool list_findings = false);

}  // namespace m2z::pipeline
