// A recurring series as Outlook keeps it (PidLidAppointmentRecur, [MS-OXOCAL] 2.2.1.44): the
// pattern and its exceptions in wall time of the item's own zone, plus what the normalizer works
// out from them for writers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/appointment_parts.h"
#include "model/time.h"

namespace m2z::model {

enum class RecurrencePattern {
  kDaily,         // every `interval` days; or, with every_weekday, Monday to Friday
  kWeekly,        // on `weekdays` of every `interval` weeks
  kMonthlyByDay,  // on day `day_of_month` of every `interval` months
  kMonthlyNth,    // on the `week_of_month`-th of `weekdays` of every `interval` months
  kYearlyByDay,   // on day `day_of_month` of `month` every `interval` years
  kYearlyNth,     // on the `week_of_month`-th of `weekdays` of `month` every `interval` years
};

enum class RecurrenceEnd { kNever, kAfterCount, kByDate };

// [MS-OXOCAL] numbers the days Sunday = 0 .. Saturday = 6 (FirstDOW and the day bit masks).
enum class Weekday { kSunday, kMonday, kTuesday, kWednesday, kThursday, kFriday, kSaturday };

// A RECURRENCE-ID: the original start of one instance of a series, as Zimbra's <exceptId> names it.
struct InstanceId {
  LocalDateTime start;     // wall time in the series' resolved zone
  bool date_only = false;  // all-day series: the date alone names the instance
  bool operator==(const InstanceId&) const = default;
};

// Filled in by the normalizer for each exception: what the writer sends for it.
struct ResolvedException {
  InstanceId id;
  bool all_day = false;
  LocalDateTime start_local;  // timed exceptions, in the series' resolved zone
  LocalDateTime end_local;
  CivilDate first_day;  // all-day exceptions: end inclusive
  CivilDate last_day;
  bool operator==(const ResolvedException&) const = default;
};

// One modified instance. Fields left empty keep the series' value.
struct AppointmentException {
  LocalDateTime original_start;  // the instance it replaces, wall time in the series' zone
  LocalDateTime start;           // wall times in the series' zone
  LocalDateTime end;
  std::optional<std::string> subject;
  std::optional<std::string> location;
  std::optional<std::string> body;
  std::optional<std::vector<Attendee>> attendees;
  std::optional<bool> reminder_set;
  std::optional<int> reminder_minutes_before;  // the reminder's lead time when it is on
  std::optional<bool> all_day;
  std::optional<BusyStatus> busy_status;

  std::optional<ResolvedException> resolved;  // set by normalize
  bool operator==(const AppointmentException&) const = default;
};

// Filled in by the normalizer: the parts of the series a writer cannot take as stored.
struct ResolvedRecurrence {
  // The rule's UNTIL as Zimbra takes it: "YYYYMMDD" for all-day series, else the start of the
  // last possible instance in UTC, "YYYYMMDDTHHMMSSZ"; empty unless the series ends by date.
  std::string until;
  // Instances deleted from the series and not replaced by an exception.
  std::vector<InstanceId> cancelled;
  bool operator==(const ResolvedRecurrence&) const = default;
};

struct Recurrence {
  RecurrencePattern pattern = RecurrencePattern::kWeekly;
  int interval = 1;               // days, weeks, months or years between occurrences
  std::vector<Weekday> weekdays;  // weekly and nth patterns (and every-weekday), Sunday first
  bool every_weekday = false;     // Outlook's daily "every weekday": weekdays are Monday to Friday
  int day_of_month = 0;           // by-day patterns: 1..31, or -1 for the last day of the month
  int week_of_month = 0;          // nth patterns: 1..4, or -1 for the last
  int month = 0;                  // yearly patterns: 1..12
  Weekday first_day_of_week = Weekday::kSunday;

  RecurrenceEnd end = RecurrenceEnd::kNever;
  int count = 0;        // kAfterCount: occurrences, deleted ones included
  CivilDate end_date;   // kByDate: no occurrence starts after this day

  CivilDate start_date;  // the first occurrence's day, in the item's zone
  int start_minute = 0;  // each occurrence starts this many minutes after local midnight
  int end_minute = 0;    // and ends this many minutes after the same midnight (> 1440: a later day)

  std::vector<CivilDate> deleted_dates;  // original days of deleted and of modified instances
  std::vector<AppointmentException> exceptions;

  std::optional<ResolvedRecurrence> resolved;  // set by normalize
  bool operator==(const Recurrence&) const = default;
};

const char* toString(RecurrencePattern pattern);
const char* toString(Weekday day);  // "SU", "MO", ... as iCalendar spells it

}  // namespace m2z::model
