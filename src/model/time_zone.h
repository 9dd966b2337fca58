// Time-zone definitions as Outlook stores them with an item, and the single-rule zone a writer
// can send on, kept apart so a zone is never reduced to an offset.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace m2z::model {

// A yearly transition in Windows SYSTEMTIME "relative" form ([MS-OXOCAL] 2.2.1.39/2.2.1.41):
// the `week`-th `day_of_week` of `month` (week 5 means the last), at hour:minute:second local time.
struct TransitionDate {
  int month = 0;        // 1..12; 0 means "no transition" (no daylight saving time)
  int week = 0;         // 1..5, 5 = last
  int day_of_week = 0;  // 0 = Sunday .. 6 = Saturday
  int hour = 0;
  int minute = 0;
  int second = 0;
  bool operator==(const TransitionDate&) const = default;
};

// One rule of a TZDEFINITION (or the single rule of a TZREG / PidLidTimeZoneStruct).
// Offsets are Windows biases in minutes: UTC = local + bias (+ standard_bias or daylight_bias).
struct TimeZoneRule {
  int year = 0;                   // first year the rule applies to (0 for a TZREG without year)
  bool effective = false;         // TZRULE_FLAG_EFFECTIVE_TZREG
  int bias = 0;
  int standard_bias = 0;
  int daylight_bias = 0;
  TransitionDate standard_date;   // switch to standard time
  TransitionDate daylight_date;   // switch to daylight time
  bool observesDaylightTime() const { return standard_date.month != 0 && daylight_date.month != 0; }
  bool operator==(const TimeZoneRule&) const = default;
};

// A TZDEFINITION ([MS-OXOCAL] 2.2.1.41) or what could be rebuilt from the older properties.
struct TimeZoneDefinition {
  std::string key_name;            // Windows zone key, e.g. "W. Europe Standard Time"; may be empty
  std::vector<TimeZoneRule> rules;  // sorted by year
  std::string source_property;     // which property it came from, for findings
  bool operator==(const TimeZoneDefinition&) const = default;

  // The rule in force in `year`: the last rule whose year is <= `year`, else the first.
  const TimeZoneRule* ruleForYear(int year) const;
};

// A single-rule zone (iCalendar VTIMEZONE / Zimbra <tz> shape): what writers send.
struct TransitionRule {
  int month = 1;     // 1..12
  int week = 1;      // 1..4, or -1 for the last
  int weekday = 1;   // 1 = Sunday .. 7 = Saturday (iCalendar/Zimbra numbering)
  int hour = 0;
  int minute = 0;
  int second = 0;
  bool operator==(const TransitionRule&) const = default;
};

struct SingleRuleZone {
  std::string id;                     // the name writers use for it (IANA id where resolved)
  int standard_offset_minutes = 0;    // local = UTC + offset
  std::optional<int> daylight_offset_minutes;
  std::optional<TransitionRule> to_standard;
  std::optional<TransitionRule> to_daylight;
  bool operator==(const SingleRuleZone&) const = default;
};

}  // namespace m2z::model
