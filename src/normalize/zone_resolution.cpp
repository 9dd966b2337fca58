#include "normalize/zone_resolution.h"

#include <unicode/simpletz.h>
#include <unicode/timezone.h>

#include <map>
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

}  // namespace m2z::normalize
