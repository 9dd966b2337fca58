#include "pstgen/recurrence_blob.h"

#include <algorithm>
#include <chrono>
#include <tuple>

namespace m2z::pstgen {

namespace {

using model::CivilDate;
using model::Recurrence;
using model::RecurrencePattern;

// Minutes from 1601-01-01 00:00 to midnight of `date`: the unit of the blob's dates.
std::uint32_t minutesSince1601(const CivilDate& date) {
  const auto epoch = CivilDate{1601, 1, 1}.toDays();
  return static_cast<std::uint32_t>((date.toDays() - epoch).count() * 1440);
}

int weekdayOf(const CivilDate& date) {
  return static_cast<int>(std::chrono::weekday{date.toDays()}.c_encoding());  // 0 = Sunday
}

std::uint32_t dayMask(const std::vector<model::Weekday>& days) {
  std::uint32_t mask = 0;
  for (const model::Weekday day : days) mask |= 1u << static_cast<int>(day);
  return mask;
}

int daysInMonth(int year, int month) {
  const CivilDate first{year, month, 1};
  const CivilDate next = month == 12 ? CivilDate{year + 1, 1, 1} : CivilDate{year, month + 1, 1};
  return static_cast<int>((next.toDays() - first.toDays()).count());
}

// The day of `year`/`month` a by-day or nth pattern falls on; 0 when the month has none.
int dayInMonth(const Recurrence& recurrence, int year, int month) {
  const bool nth = recurrence.pattern == RecurrencePattern::kMonthlyNth || recurrence.pattern == RecurrencePattern::kYearlyNth;
  const int length = daysInMonth(year, month);
  if (!nth) {
    // Day 31 in a 30-day month and day 29 in February fall on the month's last day, as Outlook does.
    return recurrence.day_of_month < 0 ? length : std::min(recurrence.day_of_month, length);
  }
  const std::uint32_t mask = dayMask(recurrence.weekdays);
  std::vector<int> matching;
  for (int day = 1; day <= length; ++day) {
    if ((mask >> weekdayOf({year, month, day}) & 1u) != 0) matching.push_back(day);
  }
  if (matching.empty()) return 0;
  if (recurrence.week_of_month < 0) return matching.back();
  const std::size_t index = static_cast<std::size_t>(recurrence.week_of_month - 1);
  return index < matching.size() ? matching[index] : 0;
}

CivilDate weekStart(const CivilDate& date, int first_day_of_week) {
  return date.plusDays(-((weekdayOf(date) - first_day_of_week + 7) % 7));
}

}  // namespace

std::vector<CivilDate> occurrenceDays(const Recurrence& recurrence, std::size_t limit, const CivilDate* last) {
  std::vector<CivilDate> out;
  const CivilDate start = recurrence.start_date;
  const int interval = std::max(1, recurrence.interval);
  auto add = [&](const CivilDate& day) {
    if (last != nullptr && *last < day) return false;
    if (day < start) return true;
    out.push_back(day);
    return out.size() < limit;
  };
  switch (recurrence.pattern) {
    case RecurrencePattern::kDaily:
      if (!recurrence.every_weekday) {
        for (CivilDate day = start;; day = day.plusDays(interval)) {
          if (!add(day)) break;
        }
        break;
      }
      [[fallthrough]];
    case RecurrencePattern::kWeekly: {
      const std::uint32_t mask = recurrence.every_weekday ? 0x3Eu : dayMask(recurrence.weekdays);
      const int first_dow = static_cast<int>(recurrence.first_day_of_week);
      const CivilDate first_week = weekStart(start, first_dow);
      const int weeks = recurrence.every_weekday ? 1 : interval;
      if (mask == 0) break;
      for (CivilDate week = first_week;; week = week.plusDays(7 * weeks)) {
        bool more = true;
        for (int i = 0; i < 7 && more; ++i) {
          const CivilDate day = week.plusDays(i);
          if ((mask >> weekdayOf(day) & 1u) != 0) more = add(day);
        }
        if (!more) break;
      }
      break;
    }
    default: {
      const bool yearly = recurrence.pattern == RecurrencePattern::kYearlyByDay ||
                          recurrence.pattern == RecurrencePattern::kYearlyNth;
      const int step = yearly ? 12 * interval : interval;
      int month_index = start.year * 12 + (yearly && recurrence.month > 0 ? recurrence.month : start.month) - 1;
      for (int guard = 0; guard < 100000; ++guard, month_index += step) {
        const int year = month_index / 12;
        const int month = month_index % 12 + 1;
        const int day = dayInMonth(recurrence, year, month);
        if (day == 0) continue;
        if (!add({year, month, day})) break;
      }
      break;
    }
  }
  return out;
}

std::int32_t recurrenceType(const Recurrence& recurrence) {
  switch (recurrence.pattern) {
    case RecurrencePattern::kDaily: return 1;
    case RecurrencePattern::kWeekly: return 2;
    case RecurrencePattern::kMonthlyByDay: return 3;
    case RecurrencePattern::kYearlyByDay: return 4;
    case RecurrencePattern::kMonthlyNth: return 5;
    case RecurrencePattern::kYearlyNth: return 6;
  }
  return 0;
}

namespace {

std::uint32_t minutesSince1601(const model::LocalDateTime& time) {
  return minutesSince1601(time.date) + static_cast<std::uint32_t>(time.hour * 60 + time.minute);
}

// Subject and Location of an ExceptionInfo are 8-bit strings; Outlook writes them in the ANSI
// code page and puts the real text in the ExtendedException. Characters outside ASCII become '?'
// (one per UTF-8 sequence), which no reader should prefer over the wide copy.
Bytes narrowText(const std::string& utf8) {
  Bytes out;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto byte = static_cast<std::uint8_t>(utf8[i]);
    if (byte < 0x80) {
      out.push_back(byte);
    } else if ((byte & 0xC0) != 0x80) {
      out.push_back('?');
    }
  }
  return out;
}

void putNarrow(Bytes& out, const std::string& utf8) {
  const Bytes text = narrowText(utf8);
  putU16(out, static_cast<std::uint16_t>(text.size() + 1));  // SubjectLength: SubjectLength2 + 1
  putU16(out, static_cast<std::uint16_t>(text.size()));
  putBytes(out, text);
}

void putWide(Bytes& out, const std::string& utf8) {
  const Bytes text = utf16le(utf8);
  putU16(out, static_cast<std::uint16_t>(text.size() / 2));  // in UTF-16 code units
  putBytes(out, text);
}

}  // namespace

std::uint16_t exceptionOverrideFlags(const model::AppointmentException& exception) {
  std::uint16_t flags = 0;
  if (exception.subject) flags |= kAroSubject;
  if (exception.location) flags |= kAroLocation;
  if (exception.busy_status) flags |= kAroBusyStatus;
  if (exception.all_day) flags |= kAroSubType;
  return flags;
}

std::vector<CivilDate> storedDeletedDates(const Recurrence& recurrence) {
  std::vector<CivilDate> days = recurrence.deleted_dates;
  for (const model::AppointmentException& exception : recurrence.exceptions) days.push_back(exception.original_start.date);
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  return days;
}

void sortExceptions(Recurrence& recurrence) {
  std::stable_sort(recurrence.exceptions.begin(), recurrence.exceptions.end(),
                   [](const model::AppointmentException& a, const model::AppointmentException& b) {
                     return std::tie(a.start.date, a.start.hour, a.start.minute) <
                            std::tie(b.start.date, b.start.hour, b.start.minute);
                   });
}

namespace {

std::int32_t busyCode(model::BusyStatus status) {
  switch (status) {
    case model::BusyStatus::kFree: return 0;
    case model::BusyStatus::kTentative: return 1;
    case model::BusyStatus::kBusy: return 2;
    case model::BusyStatus::kOutOfOffice: return 3;
    case model::BusyStatus::kWorkingElsewhere: return 4;
  }
  return 2;
}

// ExceptionInfo ([MS-OXOCAL] 2.2.1.44.2): times in minutes since 1601 in the series' zone, the
// override flags, then the overridden values in flag order.
void putExceptionInfo(Bytes& out, const model::AppointmentException& exception) {
  const std::uint16_t flags = exceptionOverrideFlags(exception);
  putU32(out, minutesSince1601(exception.start));
  putU32(out, minutesSince1601(exception.end));
  putU32(out, minutesSince1601(exception.original_start));
  putU16(out, flags);
  if (exception.subject) putNarrow(out, *exception.subject);
  if (exception.location) putNarrow(out, *exception.location);
  if (exception.busy_status) putU32(out, static_cast<std::uint32_t>(busyCode(*exception.busy_status)));
  if (exception.all_day) putU32(out, *exception.all_day ? 1u : 0u);
}

// ExtendedException ([MS-OXOCAL] 2.2.1.44.3) for WriterVersion2 0x3009: ChangeHighlight, an
// empty reserved block, and the Unicode subject and location when either is overridden.
void putExtendedException(Bytes& out, const model::AppointmentException& exception) {
  putU32(out, 4);  // ChangeHighlightSize
  putU32(out, 0);  // ChangeHighlightValue
  putU32(out, 0);  // ReservedBlockEE1Size
  if (!exception.subject && !exception.location) return;
  putU32(out, minutesSince1601(exception.start));
  putU32(out, minutesSince1601(exception.end));
  putU32(out, minutesSince1601(exception.original_start));
  if (exception.subject) putWide(out, *exception.subject);
  if (exception.location) putWide(out, *exception.location);
  putU32(out, 0);  // ReservedBlockEE2Size
}

}  // namespace

Result<Bytes> encodeAppointmentRecur(const Recurrence& recurrence) {
  for (const model::AppointmentException& exception : recurrence.exceptions) {
    const auto original = occurrenceDays(recurrence, 1000000, &exception.original_start.date);
    if (original.empty() || original.back() != exception.original_start.date) {
      return Error{"pstgen.recurrence", "a modified instance replaces a day that is not an occurrence",
                   exception.original_start.date.toIsoString()};
    }
    if (exception.original_start.hour * 60 + exception.original_start.minute != recurrence.start_minute) {
      return Error{"pstgen.recurrence", "a modified instance's original start is not the series' start time",
                   exception.original_start.toIsoString()};
    }
    if (minutesSince1601(exception.end) < minutesSince1601(exception.start)) {
      return Error{"pstgen.recurrence", "a modified instance ends before it starts", exception.start.toIsoString()};
    }
  }
  const int interval = std::max(1, recurrence.interval);
  const auto first = occurrenceDays(recurrence, 1);
  if (first.empty() || first.front() != recurrence.start_date) {
    return Error{"pstgen.recurrence", "the series' start day is not one of its occurrences",
                 recurrence.start_date.toIsoString()};
  }
  const std::uint32_t start_date = minutesSince1601(recurrence.start_date);
  // RecurFrequency, PatternType, Period and PatternTypeSpecific ([MS-OXOCAL] 2.2.1.44.1).
  std::uint16_t frequency = 0;
  std::uint16_t pattern_type = 0;
  std::uint32_t period = 0;
  Bytes specific;
  std::uint32_t first_date_time = 0;
  const bool nth = recurrence.pattern == RecurrencePattern::kMonthlyNth || recurrence.pattern == RecurrencePattern::kYearlyNth;
  switch (recurrence.pattern) {
    case RecurrencePattern::kDaily:
      frequency = 0x200A;
      if (recurrence.every_weekday) {
        pattern_type = 0x0001;  // stored as a weekly pattern on Monday..Friday
        period = 1;
        putU32(specific, 0x3E);
      } else {
        pattern_type = 0x0000;
        period = static_cast<std::uint32_t>(interval) * 1440;  // daily periods are in minutes
        first_date_time = start_date % period;
      }
      break;
    case RecurrencePattern::kWeekly:
      frequency = 0x200B;
      pattern_type = 0x0001;
      period = static_cast<std::uint32_t>(interval);
      putU32(specific, dayMask(recurrence.weekdays));
      break;
    case RecurrencePattern::kMonthlyByDay:
    case RecurrencePattern::kMonthlyNth:
    case RecurrencePattern::kYearlyByDay:
    case RecurrencePattern::kYearlyNth: {
      const bool yearly = recurrence.pattern == RecurrencePattern::kYearlyByDay ||
                          recurrence.pattern == RecurrencePattern::kYearlyNth;
      frequency = yearly ? 0x200D : 0x200C;
      period = static_cast<std::uint32_t>(yearly ? 12 * interval : interval);  // months
      if (nth) {
        pattern_type = 0x0003;  // MonthNth
        putU32(specific, dayMask(recurrence.weekdays));
        putU32(specific, static_cast<std::uint32_t>(recurrence.week_of_month < 0 ? 5 : recurrence.week_of_month));
      } else if (recurrence.day_of_month < 0) {
        pattern_type = 0x0004;  // MonthEnd
        putU32(specific, 31);
      } else {
        pattern_type = 0x0002;  // Month
        putU32(specific, static_cast<std::uint32_t>(recurrence.day_of_month));
      }
      // The month of 1601 congruent with the start month modulo the period, in minutes from
      // 1601-01-01 ([MS-OXOCAL] 2.2.1.44.1.1).
      const int months = (recurrence.start_date.year - 1601) * 12 + recurrence.start_date.month - 1;
      const int offset = months % static_cast<int>(period);
      first_date_time = minutesSince1601(CivilDate{1601 + offset / 12, offset % 12 + 1, 1});
      break;
    }
  }
  if (pattern_type == 0x0001) {
    // The first day of the start's week modulo the period in weeks.
    const CivilDate week = weekStart(recurrence.start_date, static_cast<int>(recurrence.first_day_of_week));
    first_date_time = minutesSince1601(week) % (period * 10080);
  }

  // EndType, OccurrenceCount, EndDate: after N occurrences the end is the N-th one's day; by date
  // it is that date with the count of occurrences up to it; never: 10 and the "no end" date.
  std::uint32_t end_type = 0x2023;
  std::uint32_t count = 10;
  std::uint32_t end_date = 0x5AE980DF;
  if (recurrence.end == model::RecurrenceEnd::kAfterCount) {
    if (recurrence.count < 1) return Error{"pstgen.recurrence", "a count-bounded series needs a count >= 1", ""};
    const auto days = occurrenceDays(recurrence, static_cast<std::size_t>(recurrence.count));
    end_type = 0x2022;
    count = static_cast<std::uint32_t>(recurrence.count);
    end_date = minutesSince1601(days.back());
  } else if (recurrence.end == model::RecurrenceEnd::kByDate) {
    const auto days = occurrenceDays(recurrence, 1000000, &recurrence.end_date);
    if (days.empty()) return Error{"pstgen.recurrence", "the series ends before it starts", ""};
    end_type = 0x2021;
    count = static_cast<std::uint32_t>(days.size());
    end_date = minutesSince1601(recurrence.end_date);
  }

  const std::vector<CivilDate> deleted = storedDeletedDates(recurrence);
  std::vector<std::uint32_t> modified;
  for (const model::AppointmentException& exception : recurrence.exceptions) {
    modified.push_back(minutesSince1601(exception.start.date));
  }
  std::sort(modified.begin(), modified.end());
  Bytes out;
  putU16(out, 0x3004);  // ReaderVersion
  putU16(out, 0x3004);  // WriterVersion
  putU16(out, frequency);
  putU16(out, pattern_type);
  putU16(out, 0);  // CalendarType: Gregorian
  putU32(out, first_date_time);
  putU32(out, period);
  putU32(out, 0);  // SlidingFlag
  putBytes(out, specific);
  putU32(out, end_type);
  putU32(out, count);
  putU32(out, static_cast<std::uint32_t>(recurrence.first_day_of_week));
  putU32(out, static_cast<std::uint32_t>(deleted.size()));
  for (const CivilDate& day : deleted) putU32(out, minutesSince1601(day));
  putU32(out, static_cast<std::uint32_t>(modified.size()));  // ModifiedInstanceCount: the new start days
  for (const std::uint32_t day : modified) putU32(out, day);
  putU32(out, start_date);
  putU32(out, end_date);
  // AppointmentRecurrencePattern ([MS-OXOCAL] 2.2.1.44.5).
  putU32(out, 0x3006);  // ReaderVersion2
  putU32(out, 0x3009);  // WriterVersion2
  putU32(out, static_cast<std::uint32_t>(recurrence.start_minute));
  putU32(out, static_cast<std::uint32_t>(recurrence.end_minute));
  putU16(out, static_cast<std::uint16_t>(recurrence.exceptions.size()));  // ExceptionCount
  for (const model::AppointmentException& exception : recurrence.exceptions) putExceptionInfo(out, exception);
  putU32(out, 0);  // ReservedBlock1Size
  for (const model::AppointmentException& exception : recurrence.exceptions) putExtendedException(out, exception);
  putU32(out, 0);  // ReservedBlock2Size
  return out;
}

}  // namespace m2z::pstgen
