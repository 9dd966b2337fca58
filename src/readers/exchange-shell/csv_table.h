// A small, strict RFC 4180 reader for PowerShell's Export-Csv output: an optional "#TYPE <name>"
// first line, a header row, quoted fields with doubled quotes and embedded line breaks.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"

namespace m2z::readers::exchange_shell {

struct CsvTable {
  std::string type_name;  // from "#TYPE <name>"; empty when the export was made with -NoTypeInformation
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each exactly header.size() fields
  std::vector<int> row_lines;                  // 1-based line where each row starts
};

// Bounds, so a hostile file cannot make the reader allocate without limit.
struct CsvLimits {
  std::size_t max_rows = 100'000;
  std::size_t max_columns = 1'000;
  std::size_t max_field_bytes = std::size_t{1} * 1024 * 1024;
};

// `text` is UTF-8 without a byte-order mark. Errors name `what` and the line and column.
[[nodiscard]] Result<CsvTable> parseCsv(std::string_view text, const std::string& what, const CsvLimits& limits = {});

}  // namespace m2z::readers::exchange_shell
