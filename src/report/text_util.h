// Small text helpers the reports share: dates out of logged values, UTF-8-aware widths, escaping.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace m2z::report {

// "YYYYMMDD" from "YYYY-MM-DD…" or "YYYYMMDD…"; nullopt when the value starts with neither.
std::optional<std::string> dateDigits(std::string_view value);
// "HHMMSS" from the part after 'T' ("HH:MM:SS" or "HHMMSS"); nullopt when there is no time.
std::optional<std::string> timeDigits(std::string_view value);
// "YYYY-MM-DD" from "YYYYMMDD".
std::string formatDate(std::string_view digits);

// Code points, which is what a terminal column count is for the text we print.
std::size_t displayWidth(std::string_view utf8);
// At most `max_code_points`, cut on a character boundary, "…" appended when cut.
std::string truncateText(std::string_view utf8, std::size_t max_code_points);

// For HTML text and double-quoted attribute values.
std::string escapeHtml(std::string_view text);

}  // namespace m2z::report
