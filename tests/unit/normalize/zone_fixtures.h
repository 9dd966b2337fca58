// Outlook zone definitions for tests, written from the Windows registry TZI values of each zone
// (Bias, DaylightBias, StandardDate, DaylightDate as [MS-OXOCAL] 2.2.1.39 stores them) in the
// form they had in 2014. Each one was checked against tzdata's rules for 2014 with Python's
// zoneinfo (`datetime(...).astimezone(ZoneInfo(...))`), never with our code.
#pragma once

#include <string>
#include <utility>

#include "model/time.h"
#include "model/time_zone.h"

namespace m2z::normalize::testing {

inline model::Instant utc(int y, int mo, int d, int h = 0, int mi = 0) {
  return model::fromLocal({{y, mo, d}, h, mi, 0}, 0);
}

// `to_standard` / `to_daylight`: {month, week (5 = last), day of week (0 = Sunday), hour, minute, 0}.
inline model::TimeZoneDefinition windowsZone(std::string key, int bias, int daylight_bias = 0,
                                             model::TransitionDate to_standard = {},
                                             model::TransitionDate to_daylight = {}) {
  model::TimeZoneRule rule;
  rule.effective = true;
  rule.bias = bias;
  rule.daylight_bias = daylight_bias;
  rule.standard_date = to_standard;
  rule.daylight_date = to_daylight;
  return model::TimeZoneDefinition{std::move(key), {rule}, "test"};
}

inline model::TimeZoneDefinition datelineZone() { return windowsZone("Dateline Standard Time", 720); }  // UTC-12
inline model::TimeZoneDefinition hawaiiZone() { return windowsZone("Hawaiian Standard Time", 600); }    // UTC-10
// UTC-8/-7: DST from the second Sunday of March 02:00 to the first Sunday of November 02:00.
inline model::TimeZoneDefinition pacificZone() {
  return windowsZone("Pacific Standard Time", 480, -60, {11, 1, 0, 2, 0, 0}, {3, 2, 0, 2, 0, 0});
}
// UTC-3:30/-2:30, same days as the US since 2011.
inline model::TimeZoneDefinition newfoundlandZone() {
  return windowsZone("Newfoundland Standard Time", 210, -60, {11, 1, 0, 2, 0, 0}, {3, 2, 0, 2, 0, 0});
}
// UTC-3/-2 in 2014: DST from the third Sunday of October 00:00 to the third Sunday of February 00:00.
inline model::TimeZoneDefinition saoPauloZone() {
  return windowsZone("E. South America Standard Time", 180, -60, {2, 3, 0, 0, 0, 0}, {10, 3, 0, 0, 0, 0});
}
inline model::TimeZoneDefinition utcZone() { return windowsZone("UTC", 0); }
// UTC+0/+1: DST from the last Sunday of March 01:00 to the last Sunday of October 02:00.
inline model::TimeZoneDefinition londonZone() {
  return windowsZone("GMT Standard Time", 0, -60, {10, 5, 0, 2, 0, 0}, {3, 5, 0, 1, 0, 0});
}
// UTC+1/+2: DST from the last Sunday of March 02:00 to the last Sunday of October 03:00.
inline model::TimeZoneDefinition berlinZone() {
  return windowsZone("W. Europe Standard Time", -60, -60, {10, 5, 0, 3, 0, 0}, {3, 5, 0, 2, 0, 0});
}
inline model::TimeZoneDefinition kabulZone() { return windowsZone("Afghanistan Standard Time", -270); }  // +4:30
inline model::TimeZoneDefinition indiaZone() { return windowsZone("India Standard Time", -330); }        // +5:30
inline model::TimeZoneDefinition nepalZone() { return windowsZone("Nepal Standard Time", -345); }        // +5:45
inline model::TimeZoneDefinition myanmarZone() { return windowsZone("Myanmar Standard Time", -390); }    // +6:30
// UTC+9:30/+10:30, southern: DST from the first Sunday of October 02:00 to the first Sunday of April 03:00.
inline model::TimeZoneDefinition adelaideZone() {
  return windowsZone("Cen. Australia Standard Time", -570, -60, {4, 1, 0, 3, 0, 0}, {10, 1, 0, 2, 0, 0});
}
// UTC+10/+11, same days as Adelaide.
inline model::TimeZoneDefinition sydneyZone() {
  return windowsZone("AUS Eastern Standard Time", -600, -60, {4, 1, 0, 3, 0, 0}, {10, 1, 0, 2, 0, 0});
}
// UTC+10:30/+11: a half-hour DST, from the first Sunday of October 02:00 to the first Sunday of April 02:00.
inline model::TimeZoneDefinition lordHoweZone() {
  return windowsZone("Lord Howe Standard Time", -630, -30, {4, 1, 0, 2, 0, 0}, {10, 1, 0, 2, 0, 0});
}
// UTC+12:45/+13:45: DST from the last Sunday of September 02:45 to the first Sunday of April 03:45.
inline model::TimeZoneDefinition chathamZone() {
  return windowsZone("Chatham Islands Standard Time", -765, -60, {4, 1, 0, 3, 45, 0}, {9, 5, 0, 2, 45, 0});
}
inline model::TimeZoneDefinition tongaZone() { return windowsZone("Tonga Standard Time", -780); }  // +13 in 2014
inline model::TimeZoneDefinition lineIslandsZone() { return windowsZone("Line Islands Standard Time", -840); }  // +14

}  // namespace m2z::normalize::testing
