// Reads an audit log back record by record, whether it was closed or cut short by a crash.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "model/finding.h"
#include "model/result.h"

namespace m2z::audit {

enum class RecordKind { kEntry, kFinding };

struct Record {
  RecordKind kind = RecordKind::kEntry;
  std::int64_t seq = 0;
  std::string time;
  // When kind is kEntry. request_xml / response_xml hold what the log kept: the redacted
  // canonical XML, or the text of a <raw> body (decoded when it was base64).
  Entry entry;
  model::Finding finding;  // when kind is kFinding
};

struct LoggedSummary {
  std::string ended;
  std::int64_t records = 0;
  bool complete = false;
  std::vector<KindCounts> counts;
};

struct LogContents {
  RunInfo run;  // as logged: redacted, target URL without credentials
  std::string started;
  std::vector<Record> records;           // in seq order; empty when a callback took them
  std::optional<LoggedSummary> summary;  // absent when the run never closed its log
  std::size_t torn_bytes = 0;            // bytes after the last complete record that form none
};

// Reads every complete record. A torn tail (a record cut by a crash) is tolerated and counted in
// torn_bytes; anything else wrong (a damaged record before the tail, a gap in seq, a summary that
// disagrees with the records) is an error naming the file and the place.
[[nodiscard]] Result<LogContents> readEntries(const std::filesystem::path& path);

// The same, handing each record to `on_record` as it is read instead of collecting them, so
// memory stays bounded by the largest record. An error from `on_record` stops the read and is
// returned.
[[nodiscard]] Result<LogContents> readEntries(const std::filesystem::path& path,
                                              const std::function<Status(Record)>& on_record);

}  // namespace m2z::audit
