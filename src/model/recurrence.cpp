#include "model/recurrence.h"

namespace m2z::model {

const char* toString(RecurrencePattern pattern) {
  switch (pattern) {
    case RecurrencePattern::kDaily: return "daily";
    case RecurrencePattern::kWeekly: return "weekly";
    case RecurrencePattern::kMonthlyByDay: return "monthly-by-day";
    case RecurrencePattern::kMonthlyNth: return "monthly-nth";
    case RecurrencePattern::kYearlyByDay: return "yearly-by-day";
    case RecurrencePattern::kYearlyNth: return "yearly-nth";
  }
  return "unknown";
}

const char* toString(Weekday day) {
  switch (day) {
    case Weekday::kSunday: return "SU";
    case Weekday::kMonday: return "MO";
    case Weekday::kTuesday: return "TU";
    case Weekday::kWednesday: return "WE";
    case Weekday::kThursday: return "TH";
    case Weekday::kFriday: return "FR";
    case Weekday::kSaturday: return "SA";
  }
  return "SU";
}

}  // namespace m2z::model
