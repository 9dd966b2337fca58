#include "report/text_util.h"

#include <algorithm>
#include <cctype>

namespace m2z::report {

namespace {

bool allDigits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

bool isContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::optional<std::string> dateDigits(std::string_view value) {
  if (value.size() >= 10 && value[4] == '-' && value[7] == '-') {
    std::string digits = std::string(value.substr(0, 4)) + std::string(value.substr(5, 2)) + std::string(value.substr(8, 2));
    if (allDigits(digits)) return digits;
  }
  if (value.size() >= 8 && allDigits(value.substr(0, 8))) return std::string(value.substr(0, 8));
  return std::nullopt;
}

std::optional<std::string> timeDigits(std::string_view value) {
  const std::size_t t = value.find('T');
  if (t == std::string_view::npos) return std::nullopt;
  std::string digits;
  for (std::size_t i = t + 1; i < value.size() && digits.size() < 6; ++i) {
    if (value[i] == ':') continue;
    if (!std::isdigit(static_cast<unsigned char>(value[i]))) break;
    digits += value[i];
  }
  if (digits.size() != 6) return std::nullopt;
  return digits;
}

std::string formatDate(std::string_view digits) {
  if (digits.size() != 8) return std::string(digits);
  return std::string(digits.substr(0, 4)) + "-" + std::string(digits.substr(4, 2)) + "-" + std::string(digits.substr(6, 2));
}

std::size_t displayWidth(std::string_view utf8) {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) { return !isContinuation(c); }));
}

std::string truncateText(std::string_view utf8, std::size_t max_code_points) {
  if (displayWidth(utf8) <= max_code_points) return std::string(utf8);
  if (max_code_points == 0) return {};
  std::size_t count = 0;
  std::size_t end = 0;
  for (; end < utf8.size(); ++end) {
    if (!isContinuation(utf8[end])) {
      if (count == max_code_points - 1) break;
      ++count;
    }
  }
  return std::string(utf8.substr(0, end)) + "\u2026";
}

std::string escapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace m2z::report
