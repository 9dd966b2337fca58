// Builds a PST from a JSON description: store options, a folder tree, and per folder raw messages
// (property by property) or calendar items, contacts and tasks by meaning. docs/pstgen.md has the
// format.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "model/result.h"
#include "model/time.h"
#include "pstgen/pst_writer.h"

namespace m2z::pstgen {

[[nodiscard]] Result<PstSummary> buildFromDescription(const nlohmann::json& description, const std::string& pst_path,
                                                      const std::string& expected_path);

// "2024-03-10T09:00:00", "2024-03-10T09:00", "2024-03-10" (midnight); a trailing "Z" marks UTC.
struct ParsedTime {
  model::LocalDateTime local;
  bool utc = false;
};
std::optional<ParsedTime> parseIsoTime(const std::string& text);

}  // namespace m2z::pstgen
