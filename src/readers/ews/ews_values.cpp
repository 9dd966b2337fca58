#include "readers/ews/ews_values.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace m2z::readers::ews {

std::string childText(const xml::Element& element, std::string_view name) {
  const xml::Element* child = element.child(name);
  return child == nullptr ? std::string() : child->text;
}

bool isTrue(const std::string& text) { return text == "true" || text == "1"; }

std::optional<int> digits(std::string_view text) {
  if (text.empty() || text.size() > 9 || !std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) return std::nullopt;
  return std::stoi(std::string(text));
}

// xs:date "2025-07-02", "2025-07-02Z" or "2014-03-08-08:00": the date as written.
std::optional<model::CivilDate> dateOf(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto year = digits(text.substr(0, 4));
  auto month = digits(text.substr(5, 2));
  auto day = digits(text.substr(8, 2));
  if (!year || !month || !day) return std::nullopt;
  model::CivilDate date{*year, *month, *day};
  if (!date.isValid()) return std::nullopt;
  return date;
}

// xs:dateTime as EWS writes it: UTC with "Z", or with an offset; without either, UTC.
std::optional<model::Instant> instantOf(std::string_view text) {
  auto date = dateOf(text);
  if (!date || text.size() < 19 || text[10] != 'T' || text[13] != ':' || text[16] != ':') return std::nullopt;
  auto hour = digits(text.substr(11, 2));
  auto minute = digits(text.substr(14, 2));
  auto second = digits(text.substr(17, 2));
  if (!hour || !minute || !second || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  std::string_view rest = text.substr(19);
  if (!rest.empty() && rest[0] == '.') {
    std::size_t end = 1;
    while (end < rest.size() && std::isdigit(static_cast<unsigned char>(rest[end]))) ++end;
    rest.remove_prefix(end);
  }
  int offset = 0;
  if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    auto h = digits(rest.substr(1, 2));
    auto m = digits(rest.substr(4, 2));
    if (!h || !m) return std::nullopt;
    offset = (rest[0] == '-' ? -1 : 1) * (*h * 60 + *m);
  } else if (!rest.empty() && rest != "Z") {
    return std::nullopt;
  }
  return model::fromLocal(model::LocalDateTime{*date, *hour, *minute, *second}, offset);
}

std::string htmlToText(const std::string& html) {
  std::string out;
  std::size_t at = 0;
  while (at < html.size()) {
    if (html[at] == '<') {
      const std::size_t close = html.find('>', at);
      if (close == std::string::npos) break;
      std::string tag = html.substr(at + 1, std::min<std::size_t>(close - at - 1, 4));
      for (char& c : tag) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (tag.rfind("br", 0) == 0 || tag.rfind("/p", 0) == 0 || tag.rfind("/div", 0) == 0) out += '\n';
      at = close + 1;
      continue;
    }
    if (html.compare(at, 6, "&nbsp;") == 0) {
      out += ' ';
      at += 6;
    } else if (html.compare(at, 5, "&amp;") == 0) {
      out += '&';
      at += 5;
    } else if (html.compare(at, 4, "&lt;") == 0) {
      out += '<';
      at += 4;
    } else if (html.compare(at, 4, "&gt;") == 0) {
      out += '>';
      at += 4;
    } else {
      out += html[at++];
    }
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ' || out.back() == '\r')) out.pop_back();
  std::size_t first = 0;
  while (first < out.size() && (out[first] == '\n' || out[first] == '\r' || out[first] == ' ')) ++first;
  return out.substr(first);
}

bool looksLikeHtml(std::string_view text) {
  std::string lowered;
  for (std::size_t i = 0; i < text.size() && i < 4096; ++i) {
    lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  }
  for (std::string_view tag : {"<html", "<body", "<div", "<p>", "<p ", "<br", "<span", "<font", "<meta"}) {
    if (lowered.find(tag) != std::string::npos) return true;
  }
  return false;
}

std::string bodyText(const xml::Element* body) {
  if (body == nullptr) return {};
  if (body->attributeOr("BodyType", "") == "HTML") return htmlToText(body->text);
  return body->text;
}

std::optional<CivilDateReading> civilDateOf(std::string_view text, std::optional<int> user_offset_minutes) {
  const auto instant = instantOf(text);
  if (!instant) {
    // A bare xs:date is already civil.
    auto date = dateOf(text);
    if (!date || text.size() > 16) return std::nullopt;
    return CivilDateReading{*date, false};
  }
  if (user_offset_minutes) return CivilDateReading{model::toLocal(*instant, *user_offset_minutes).date, false};
  const model::LocalDateTime utc = model::toLocal(*instant, 0);
  if (utc.isMidnight()) return CivilDateReading{utc.date, false};
  const int minute_of_day = utc.hour * 60 + utc.minute;
  return CivilDateReading{minute_of_day <= 12 * 60 ? utc.date : utc.date.plusDays(1), true};
}

}  // namespace m2z::readers::ews
