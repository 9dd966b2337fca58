#include "normalize/zone_resolution.h"

#include <unicode/basictz.h>
#include <unicode/dtrule.h>
#include <unicode/simpletz.h>
#include <unicode/timezone.h>
#include <unicode/tzfmt.h>
#include <unicode/tzrule.h>

#include <map>
#include <regex>
#include <memory>
#include <mutex>
#include <tuple>

namespace m2z::normalize {

namespace {

constexpr int kMillisPerMinute = 60'000;

int standardOffsetMinutes(const model::TimeZoneRule& rule) { return -(rule.bias + rule.standard_bias); }
int daylightOffsetMinutes(const model::TimeZoneRule& rule) { return -(rule.bias + rule.daylight_bias); }

// Windows SYSTEMTIME "week 5" means the last such weekday of the month; ICU spells that -1.
int icuWeekInMonth(const model::TransitionDate& date) { return date.week >= 5 ? -1 : date.week; }

int millisInDay(const model::TransitionDate& date) {
  return ((date.hour * 60 + date.minute) * 60 + date.second) * 1000;
}

Result<std::unique_ptr<icu::TimeZone>> makeIcuZone(const model::TimeZoneRule& rule) {
  const int standard = standardOffsetMinutes(rule);
  const int savings = daylightOffsetMinutes(rule) - standard;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::TimeZone> zone;
  if (rule.observesDaylightTime() && savings != 0) {
    // Outlook writes both transition times as the wall time in force just before the switch,
    // which is ICU's WALL_TIME mode.
    const auto& to_daylight = rule.daylight_date;
    const auto& to_standard = rule.standard_date;
    zone = std::make_unique<icu::SimpleTimeZone>(
        standard * kMillisPerMinute, icu::UnicodeString("m2z-rule"),
        static_cast<int8_t>(to_daylight.month - 1), static_cast<int8_t>(icuWeekInMonth(to_daylight)),
        static_cast<int8_t>(to_daylight.day_of_week + 1), millisInDay(to_daylight), icu::SimpleTimeZone::WALL_TIME,
        static_cast<int8_t>(to_standard.month - 1), static_cast<int8_t>(icuWeekInMonth(to_standard)),
        static_cast<int8_t>(to_standard.day_of_week + 1), millisInDay(to_standard), icu::SimpleTimeZone::WALL_TIME,
        savings * kMillisPerMinute, status);
  } else {
    zone = std::make_unique<icu::SimpleTimeZone>(standard * kMillisPerMinute, icu::UnicodeString("m2z-rule"));
  }
  if (U_FAILURE(status)) {
    return Error{"zone.rule_invalid", std::string("ICU rejected the time-zone rule: ") + u_errorName(status), ""};
  }
  return zone;
}

int yearOf(model::Instant instant) { return model::toLocal(instant, 0).date.year; }

}  // namespace

Result<int> offsetMinutesAt(const model::TimeZoneRule& rule, model::Instant instant) {
  auto zone = makeIcuZone(rule);
  if (!zone) return zone.error();
  UErrorCode status = U_ZERO_ERROR;
  int32_t raw = 0;
  int32_t dst = 0;
  (*zone)->getOffset(static_cast<UDate>(instant.unix_seconds) * 1000.0, false, raw, dst, status);
  if (U_FAILURE(status)) {
    return Error{"zone.offset", std::string("ICU could not compute the offset: ") + u_errorName(status), ""};
  }
  return (raw + dst) / kMillisPerMinute;
}

Result<int> offsetMinutesAt(const model::TimeZoneDefinition& definition, model::Instant instant) {
  const model::TimeZoneRule* rule = definition.ruleForYear(yearOf(instant));
  if (rule == nullptr) return Error{"zone.empty", "time-zone definition has no rules", definition.source_property};
  return offsetMinutesAt(*rule, instant);
}

model::SingleRuleZone toSingleRuleZone(const model::TimeZoneRule& rule, std::string id) {
  model::SingleRuleZone zone;
  zone.id = std::move(id);
  zone.standard_offset_minutes = standardOffsetMinutes(rule);
  if (rule.observesDaylightTime() && daylightOffsetMinutes(rule) != zone.standard_offset_minutes) {
    zone.daylight_offset_minutes = daylightOffsetMinutes(rule);
    auto convert = [](const model::TransitionDate& date) {
      return model::TransitionRule{date.month, icuWeekInMonth(date), date.day_of_week + 1,
                                   date.hour, date.minute, date.second};
    };
    zone.to_standard = convert(rule.standard_date);
    zone.to_daylight = convert(rule.daylight_date);
  }
  return zone;
}

std::optional<std::string> ianaIdForWindowsKey(const std::string& windows_key) {
  if (windows_key.empty()) return std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString iana;
  icu::TimeZone::getIDForWindowsID(icu::UnicodeString::fromUTF8(windows_key), nullptr, iana, status);
  if (U_FAILURE(status) || iana.isEmpty()) return std::nullopt;
  std::string result;
  iana.toUTF8String(result);
  return result;
}

namespace {

bool compareHourly(const std::string& iana_id, const model::TimeZoneRule& rule, int year) {
  std::unique_ptr<icu::TimeZone> iana(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(iana_id)));
  icu::UnicodeString resolved_id;
  if (!iana || iana->getID(resolved_id) == icu::UnicodeString("Etc/Unknown")) return false;
  auto ours = makeIcuZone(rule);
  if (!ours) return false;
  // Every hour of the year (and a day either side): transitions happen on the hour or half
  // hour, so an hourly comparison catches a different transition day or hour.
  const model::Instant first = model::fromLocal({model::CivilDate{year, 1, 1}, 0, 0, 0}, 0);
  for (int hour = -24; hour < 367 * 24; ++hour) {
    const UDate when = static_cast<UDate>(first.unix_seconds + std::int64_t{hour} * 3600) * 1000.0;
    UErrorCode status = U_ZERO_ERROR;
    int32_t raw_a = 0, dst_a = 0, raw_b = 0, dst_b = 0;
    iana->getOffset(when, false, raw_a, dst_a, status);
    (*ours)->getOffset(when, false, raw_b, dst_b, status);
    if (U_FAILURE(status) || raw_a + dst_a != raw_b + dst_b) return false;
  }
  return true;
}

}  // namespace

bool ianaZoneMatchesRule(const std::string& iana_id, const model::TimeZoneRule& rule, int year) {
  // A mailbox has thousands of items in a handful of zones: remember each comparison.
  using Key = std::tuple<std::string, int, int, int, int, int, int, int, int, int, int, int, int>;
  static std::mutex mutex;
  static std::map<Key, bool> cache;
  const auto& s = rule.standard_date;
  const auto& d = rule.daylight_date;
  const Key key{iana_id, year, rule.bias, rule.standard_bias, rule.daylight_bias, s.month, s.week, s.day_of_week,
                s.hour * 3600 + s.minute * 60 + s.second, d.month, d.week, d.day_of_week,
                d.hour * 3600 + d.minute * 60 + d.second};
  {
    std::lock_guard lock(mutex);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
  }
  const bool matches = compareHourly(iana_id, rule, year);
  std::lock_guard lock(mutex);
  cache.emplace(key, matches);
  return matches;
}

namespace {

std::unique_ptr<icu::TimeZone> createKnownZone(const std::string& iana_id) {
  std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(iana_id)));
  icu::UnicodeString id;
  if (!zone || zone->getID(id) == icu::UnicodeString("Etc/Unknown")) return nullptr;
  return zone;
}

UDate toUDate(model::Instant instant) { return static_cast<UDate>(instant.unix_seconds) * 1000.0; }

// Splits "Islamabad, Karachi" / "Helsinki / Kyiv / Riga" into the names ICU may know.
std::vector<std::string> nameParts(const std::string& names) {
  std::vector<std::string> parts{names};
  std::string current;
  for (const char c : names + ",") {
    if (c == ',' || c == '/' || c == ':') {
      const auto first = current.find_first_not_of(' ');
      const auto last = current.find_last_not_of(' ');
      if (first != std::string::npos) parts.push_back(current.substr(first, last - first + 1));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  return parts;
}

}  // namespace

std::optional<std::string> ianaIdForDisplayName(const std::string& display_name, model::Instant when) {
  // "(GMT-06:00) Central Time (US & Canada)", "(UTC+05:30) Chennai, ...", "(UTC) Coordinated ..."
  static const std::regex kPrefix(R"(^\s*\((?:GMT|UTC)(?:([+-])(\d{1,2})[:.]?(\d{2})?)?\)\s*(.*)$)");
  std::smatch match;
  if (!std::regex_match(display_name, match, kPrefix)) return std::nullopt;
  int offset = 0;
  if (match[1].matched) {
    offset = std::stoi(match[2].str()) * 60 + (match[3].matched ? std::stoi(match[3].str()) : 0);
    if (match[1].str() == "-") offset = -offset;
  }
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::TimeZoneFormat> format(icu::TimeZoneFormat::createInstance(icu::Locale::getEnglish(), status));
  if (U_FAILURE(status)) return std::nullopt;
  format->setDefaultParseOptions(UTZFMT_PARSE_OPTION_ALL_STYLES);
  for (const auto& part : nameParts(match[4].str())) {
    const icu::UnicodeString text = icu::UnicodeString::fromUTF8(part);
    icu::ParsePosition position(0);
    UTimeZoneFormatTimeType time_type = UTZFMT_TIME_TYPE_UNKNOWN;
    std::unique_ptr<icu::TimeZone> zone(format->parse(UTZFMT_STYLE_GENERIC_LOCATION, text, position, &time_type));
    const int consumed = position.getIndex();
    // The whole part, or a leading name followed by a qualifier: "Central Time (US & Canada)".
    if (!zone || consumed == 0 || (consumed < text.length() && text.charAt(consumed) != u' ')) continue;
    int32_t raw = 0, dst = 0;
    UErrorCode offset_status = U_ZERO_ERROR;
    zone->getOffset(toUDate(when), false, raw, dst, offset_status);
    if (U_FAILURE(offset_status) || raw / kMillisPerMinute != offset) continue;
    icu::UnicodeString id;
    std::string result;
    zone->getID(id).toUTF8String(result);
    return result;
  }
  return std::nullopt;
}

Result<int> offsetMinutesAt(const std::string& iana_id, model::Instant instant) {
  auto zone = createKnownZone(iana_id);
  if (!zone) return Error{"zone.unknown", "ICU does not know the zone", iana_id};
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  zone->getOffset(toUDate(instant), false, raw, dst, status);
  if (U_FAILURE(status)) return Error{"zone.offset", std::string("ICU: ") + u_errorName(status), iana_id};
  return (raw + dst) / kMillisPerMinute;
}

namespace {

// A DateTimeRule as "week-th weekday of month at wall time"; `wall_shift_ms` turns the rule's
// time into the wall time in force just before the transition.
std::optional<model::TransitionRule> toTransitionRule(const icu::DateTimeRule& rule, int wall_shift_ms) {
  model::TransitionRule result;
  result.month = rule.getRuleMonth() + 1;
  result.weekday = rule.getRuleDayOfWeek();
  switch (rule.getDateRuleType()) {
    case icu::DateTimeRule::DOW:
      result.week = rule.getRuleWeekInMonth();
      break;
    case icu::DateTimeRule::DOW_GEQ_DOM:  // "Sun>=8": the second Sunday
      if ((rule.getRuleDayOfMonth() - 1) % 7 != 0) return std::nullopt;
      result.week = (rule.getRuleDayOfMonth() - 1) / 7 + 1;
      break;
    case icu::DateTimeRule::DOW_LEQ_DOM:  // "Sun<=31" (lastSun) and the like
      if (rule.getRuleDayOfMonth() < 28) return std::nullopt;
      result.week = -1;
      break;
    default:
      return std::nullopt;  // a fixed day of month: no week/weekday form
  }
  int millis = rule.getRuleMillisInDay() + wall_shift_ms;
  millis = ((millis % 86'400'000) + 86'400'000) % 86'400'000;
  result.hour = millis / 3'600'000;
  result.minute = millis / 60'000 % 60;
  result.second = millis / 1000 % 60;
  return result;
}

int wallShift(const icu::AnnualTimeZoneRule& rule, int raw_ms, int saving_before_ms) {
  switch (rule.getRule()->getTimeRuleType()) {
    case icu::DateTimeRule::UTC_TIME: return raw_ms + saving_before_ms;
    case icu::DateTimeRule::STANDARD_TIME: return saving_before_ms;
    default: return 0;  // WALL_TIME
  }
}

}  // namespace

Result<model::SingleRuleZone> singleRuleZoneNear(const std::string& iana_id, model::Instant when) {
  auto zone = createKnownZone(iana_id);
  auto* basic = dynamic_cast<icu::BasicTimeZone*>(zone.get());
  if (basic == nullptr) return Error{"zone.unknown", "ICU does not know the zone", iana_id};
  icu::InitialTimeZoneRule* initial = nullptr;
  icu::AnnualTimeZoneRule* to_standard = nullptr;
  icu::AnnualTimeZoneRule* to_daylight = nullptr;
  UErrorCode status = U_ZERO_ERROR;
  basic->getSimpleRulesNear(toUDate(when), initial, to_standard, to_daylight, status);
  std::unique_ptr<icu::InitialTimeZoneRule> own_initial(initial);
  std::unique_ptr<icu::AnnualTimeZoneRule> own_standard(to_standard);
  std::unique_ptr<icu::AnnualTimeZoneRule> own_daylight(to_daylight);
  if (U_FAILURE(status) || initial == nullptr) {
    return Error{"zone.rules", std::string("ICU has no rules near the date: ") + u_errorName(status), iana_id};
  }
  model::SingleRuleZone result;
  result.id = iana_id;
  const int raw = initial->getRawOffset();
  result.standard_offset_minutes = raw / kMillisPerMinute;
  if (to_standard && to_daylight && to_daylight->getDSTSavings() != 0) {
    const int savings = to_daylight->getDSTSavings();
    auto standard_rule = toTransitionRule(*to_standard->getRule(), wallShift(*to_standard, raw, savings));
    auto daylight_rule = toTransitionRule(*to_daylight->getRule(), wallShift(*to_daylight, raw, 0));
    if (standard_rule && daylight_rule) {
      result.standard_offset_minutes = to_standard->getRawOffset() / kMillisPerMinute;
      result.daylight_offset_minutes = (to_daylight->getRawOffset() + savings) / kMillisPerMinute;
      result.to_standard = standard_rule;
      result.to_daylight = daylight_rule;
    }
  }
  return result;
}

}  // namespace m2z::normalize
