// How the audit log lays out its records in the file, shared by the writer and the tolerant
// reader: each record starts on a line of its own at a fixed indentation, and every '<' inside a
// value is escaped, so these prefixes only ever begin a record.
#pragma once

#include <string_view>

#include "model/result.h"
#include "xml/xml.h"

namespace m2z::audit::detail {

inline constexpr std::string_view kEntryStart = "  <entry ";
inline constexpr std::string_view kFindingStart = "  <finding ";
inline constexpr std::string_view kSummaryStart = "  <summary ";
inline constexpr std::string_view kLogEnd = "</auditLog>";

// Parses one record (an entry, a standalone finding or the summary) as it sits in the file, in
// the log's namespace; the writer checks every record this way before writing it, so whatever it
// writes, the reader can read.
Result<xml::Element> parseRecord(std::string_view record_text, std::string_view what);

}  // namespace m2z::audit::detail
