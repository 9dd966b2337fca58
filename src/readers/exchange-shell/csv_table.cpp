#include "readers/exchange-shell/csv_table.h"

#include <utility>

namespace m2z::readers::exchange_shell {

namespace {

class CsvParser {
 public:
  CsvParser(std::string_view text, const std::string& what, const CsvLimits& limits)
      : text_(text), what_(what), limits_(limits) {}

  // One record; false at the end of the text. Sets error_ on malformed input.
  bool next(std::vector<std::string>& fields, int& start_line) {
    fields.clear();
    if (at_ >= text_.size()) return false;
    start_line = line_;
    std::string field;
    while (true) {
      if (at_ < text_.size() && text_[at_] == '"') {
        ++at_;
        while (true) {
          if (at_ >= text_.size()) return fail("a quoted field is not closed before the end of the file", start_line);
          const char c = text_[at_++];
          if (c == '"') {
            if (at_ < text_.size() && text_[at_] == '"') {
              field += '"';
              ++at_;
              continue;
            }
            break;
          }
          if (c == '\n') ++line_;
          field += c;
          if (field.size() > limits_.max_field_bytes) return fail("a field is longer than the limit", line_);
        }
        if (at_ < text_.size() && text_[at_] != ',' && text_[at_] != '\r' && text_[at_] != '\n') {
          return fail("a closing quote is followed by \"" + std::string(1, text_[at_]) + "\" instead of a comma or "
                      "the end of the line", line_);
        }
      } else {
        while (at_ < text_.size() && text_[at_] != ',' && text_[at_] != '\r' && text_[at_] != '\n') {
          if (text_[at_] == '"') return fail("a quote inside an unquoted field", line_);
          field += text_[at_++];
          if (field.size() > limits_.max_field_bytes) return fail("a field is longer than the limit", line_);
        }
      }
      fields.push_back(std::move(field));
      field.clear();
      if (fields.size() > limits_.max_columns) return fail("a row has more fields than the limit", start_line);
      if (at_ >= text_.size()) return true;
      if (text_[at_] == ',') {
        ++at_;
        continue;
      }
      if (text_[at_] == '\r') ++at_;
      if (at_ < text_.size() && text_[at_] == '\n') ++at_;
      ++line_;
      return true;
    }
  }

  bool failed() const { return !error_.empty(); }
  Error error() const { return Error{"shell.csv_malformed", error_, what_}; }
  int line() const { return line_; }
  std::size_t offset() const { return at_; }
  void skipLine() {
    while (at_ < text_.size() && text_[at_] != '\n') ++at_;
    if (at_ < text_.size()) ++at_;
    ++line_;
  }

 private:
  bool fail(const std::string& message, int line) {
    error_ = "line " + std::to_string(line) + ": " + message;
    at_ = text_.size();
    return false;
  }

  std::string_view text_;
  const std::string& what_;
  const CsvLimits& limits_;
  std::size_t at_ = 0;
  int line_ = 1;
  std::string error_;
};

}  // namespace

Result<CsvTable> parseCsv(std::string_view text, const std::string& what, const CsvLimits& limits) {
  CsvTable table;
  CsvParser parser(text, what, limits);
  if (text.substr(0, 6) == "#TYPE ") {
    const std::size_t end = text.find_first_of("\r\n");
    table.type_name = std::string(text.substr(6, end == std::string_view::npos ? std::string_view::npos : end - 6));
    parser.skipLine();
  }
  std::vector<std::string> fields;
  int line = 0;
  if (!parser.next(table.header, line)) {
    if (parser.failed()) return parser.error();
    return Error{"shell.csv_empty", "expected a header row after the #TYPE line; the file ends", what};
  }
  while (parser.next(fields, line)) {
    // A blank line (PowerShell writes none, but editors add one at the end) carries nothing.
    if (fields.size() == 1 && fields[0].empty()) continue;
    if (fields.size() != table.header.size()) {
      return Error{"shell.csv_malformed",
                   "line " + std::to_string(line) + ": expected " + std::to_string(table.header.size()) +
                       " fields as in the header row, found " + std::to_string(fields.size()),
                   what};
    }
    if (table.rows.size() >= limits.max_rows) {
      return Error{"shell.csv_too_large", "more than " + std::to_string(limits.max_rows) + " rows", what};
    }
    table.rows.push_back(fields);
    table.row_lines.push_back(line);
  }
  if (parser.failed()) return parser.error();
  return table;
}

}  // namespace m2z::readers::exchange_shell
