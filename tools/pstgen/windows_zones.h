// Windows time zones as Outlook stores them with appointments: the key, the display name for
// PidLidTimeZoneDescription, and the yearly rules written into TZDEFINITION and TZREG blobs.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/time.h"
#include "model/time_zone.h"
#include "pstgen/bytes.h"

namespace m2z::pstgen {

struct WindowsZone {
  std::string key;       // e.g. "W. Europe Standard Time"
  std::string display;   // e.g. "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"
  std::vector<model::TimeZoneRule> rules;  // sorted by year; the last one is the effective rule
};

// The zones pstgen knows, from UTC-12:00 to UTC+14:00, with and without daylight saving time,
// both hemispheres, half- and quarter-hour offsets, a 30-minute DST and zones whose rules changed.
std::span<const WindowsZone> windowsZones();
const WindowsZone* findWindowsZone(const std::string& key);

// The rule of `zone` in force in `year` (the last rule whose year is <= `year`, else the first).
const model::TimeZoneRule& ruleForYear(const WindowsZone& zone, int year);
// The date of a relative transition ("week-th day_of_week of month", week 5 = last) in `year`.
model::CivilDate transitionDay(const model::TransitionDate& date, int year);
// Whether daylight time is in force at wall time `local` (standard-time reading before the
// switch to daylight time, daylight-time reading before the switch back).
bool isDaylightTime(const model::TimeZoneRule& rule, const model::LocalDateTime& local);
// Minutes east of UTC at wall time `local` in `zone`.
int utcOffsetAt(const WindowsZone& zone, const model::LocalDateTime& local);
model::Instant toUtc(const WindowsZone& zone, const model::LocalDateTime& local);

// PidLidAppointmentTimeZoneDefinitionStartDisplay/EndDisplay/Recur ([MS-OXOCAL] 2.2.1.41):
// `recur_flag` marks the effective rule TZRULE_FLAG_RECUR_CURRENT_TZREG (Recur only).
Bytes encodeTzDefinition(const WindowsZone& zone, bool recur_flag);
// PidLidTimeZoneStruct ([MS-OXOCAL] 2.2.1.39): the effective rule as a TZREG.
Bytes encodeTzReg(const WindowsZone& zone);

}  // namespace m2z::pstgen
