#include "readers/mapi/recurrence_blob.h"

#include <chrono>
#include <cstdio>

#include "readers/mapi/blob_parsers.h"
#include "readers/mapi/byte_reader.h"

namespace m2z::readers::mapi {

namespace {

constexpr std::uint16_t kReaderVersion = 0x3004;
constexpr std::uint32_t kReaderVersion2 = 0x3006;
// From this WriterVersion2 on, every ExtendedException starts with a ChangeHighlight field.
constexpr std::uint32_t kWriterVersion2ChangeHighlight = 0x3009;

constexpr std::uint16_t kFrequencyDaily = 0x200A;
constexpr std::uint16_t kFrequencyWeekly = 0x200B;
constexpr std::uint16_t kFrequencyMonthly = 0x200C;
constexpr std::uint16_t kFrequencyYearly = 0x200D;

constexpr std::uint16_t kPatternDay = 0x0000;
constexpr std::uint16_t kPatternWeek = 0x0001;
constexpr std::uint16_t kPatternMonth = 0x0002;
constexpr std::uint16_t kPatternMonthNth = 0x0003;
constexpr std::uint16_t kPatternMonthEnd = 0x0004;
constexpr std::uint16_t kPatternHjMonth = 0x000A;
constexpr std::uint16_t kPatternHjMonthNth = 0x000B;
constexpr std::uint16_t kPatternHjMonthEnd = 0x000C;

constexpr std::uint32_t kEndAfterDate = 0x2021;
constexpr std::uint32_t kEndAfterCount = 0x2022;
constexpr std::uint32_t kNeverEnd = 0x2023;
constexpr std::uint32_t kNeverEndOld = 0xFFFFFFFF;

constexpr std::uint32_t kMinutesPerDay = 1440;
// Days from 1601-01-01 to 1970-01-01.
constexpr int kDaysFrom1601To1970 = 134774;
// An occurrence lasting longer than this is not a calendar entry anyone made.
constexpr std::uint32_t kMaxOccurrenceMinutes = kMinutesPerDay * 366 * 10;
// Fixed part of an ExceptionInfo: three times and the flags.
constexpr std::size_t kExceptionInfoMinSize = 4 + 4 + 4 + 2;

std::string hex(std::uint32_t value, int digits) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%0*X", digits, static_cast<unsigned>(value));
  return text;
}

// The blob's 8-bit strings carry no code page; read as Latin-1 they keep ASCII intact and never
// produce invalid UTF-8. The ExtendedException's UTF-16 copy is preferred wherever it exists.
std::string latin1ToUtf8(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (const std::uint8_t byte : bytes) {
    if (byte < 0x80) {
      out += static_cast<char>(byte);
    } else {
      out += static_cast<char>(0xC0 | (byte >> 6));
      out += static_cast<char>(0x80 | (byte & 0x3F));
    }
  }
  return out;
}

// A u32 count of u32 values, checked against what is left before anything is reserved.
bool readDates(ByteReader& reader, std::string_view count_field, std::string_view field,
               std::vector<std::uint32_t>& dates) {
  const std::size_t at = reader.offset();
  const auto count = reader.u32(count_field);
  if (!count) return false;
  if (*count > (reader.size() - reader.offset()) / 4) {
    reader.fail("mapi.blob.truncated", std::string(count_field) + " at offset " + std::to_string(at) + " is " +
                                           std::to_string(*count) + ", more than the value can hold");
    return false;
  }
  dates.reserve(*count);
  for (std::uint32_t i = 0; i < *count; ++i) {
    const auto date = reader.u32(field);
    if (!date) return false;
    dates.push_back(*date);
  }
  return true;
}

// A u16 length and that many 8-bit characters, preceded by a second length ([MS-OXOCAL]
// 2.2.1.44.2: SubjectLength = SubjectLength2 + 1, SubjectLength2 = the characters that follow).
std::optional<std::string> readNarrowString(ByteReader& reader, std::string_view length_field,
                                            std::string_view length2_field, std::string_view field) {
  const auto length = reader.u16(length_field);
  const auto length2 = reader.u16(length2_field);
  if (!length || !length2) return std::nullopt;
  const auto bytes = reader.take(*length2, field);
  if (!bytes) return std::nullopt;
  return latin1ToUtf8(*bytes);
}

std::optional<std::string> readWideString(ByteReader& reader, std::string_view length_field,
                                          std::string_view field) {
  const auto characters = reader.u16(length_field);
  if (!characters) return std::nullopt;
  const auto bytes = reader.take(std::size_t{*characters} * 2, field);
  if (!bytes) return std::nullopt;
  return utf16LeToUtf8(*bytes);
}

// A reserved block: a u32 size and that many bytes, skipped.
bool skipBlock(ByteReader& reader, std::string_view size_field, std::string_view field) {
  const auto size = reader.u32(size_field);
  return size && reader.take(*size, field);
}

bool readPatternSpecific(ByteReader& reader, AppointmentRecurrencePattern& pattern) {
  switch (pattern.pattern_type) {
    case kPatternDay:
      return true;  // no PatternTypeSpecific field
    case kPatternWeek: {
      const auto mask = reader.u32("PatternTypeSpecific (Week)");
      if (!mask) return false;
      pattern.day_mask = *mask;
      return true;
    }
    case kPatternMonth:
    case kPatternMonthEnd:
    case kPatternHjMonth:
    case kPatternHjMonthEnd: {
      const auto day = reader.u32("PatternTypeSpecific (Month)");
      if (!day) return false;
      pattern.day_of_month = *day;
      return true;
    }
    case kPatternMonthNth:
    case kPatternHjMonthNth: {
      const auto mask = reader.u32("PatternTypeSpecific (MonthNth) days");
      const auto nth = reader.u32("PatternTypeSpecific (MonthNth) N");
      if (!mask || !nth) return false;
      pattern.day_mask = *mask;
      pattern.nth = *nth;
      return true;
    }
    default:
      // The size of PatternTypeSpecific depends on the type: with an unknown one nothing after
      // it can be located.
      reader.invalid("PatternType", 6, "is " + hex(pattern.pattern_type, 4) + ", not a known pattern type");
      return false;
  }
}

bool readExceptionInfo(ByteReader& reader, ExceptionInfo& info) {
  const auto start = reader.u32("ExceptionInfo StartDateTime");
  const auto end = reader.u32("ExceptionInfo EndDateTime");
  const auto original = reader.u32("ExceptionInfo OriginalStartDate");
  const auto flags = reader.u16("ExceptionInfo OverrideFlags");
  if (reader.failed()) return false;
  info.start_date_time = *start;
  info.end_date_time = *end;
  info.original_start_time = *original;
  info.override_flags = *flags;
  const auto optional32 = [&](std::uint16_t flag, std::string_view field, std::optional<std::uint32_t>& out) {
    if ((info.override_flags & flag) == 0) return true;
    out = reader.u32(field);
    return out.has_value();
  };
  if (info.override_flags & kAroSubject) {
    info.subject = readNarrowString(reader, "SubjectLength", "SubjectLength2", "Subject");
    if (!info.subject) return false;
  }
  if (!optional32(kAroMeetingType, "MeetingType", info.meeting_type)) return false;
  if (info.override_flags & kAroReminderDelta) {
    info.reminder_delta = reader.i32("ReminderDelta");
    if (!info.reminder_delta) return false;
  }
  if (!optional32(kAroReminder, "ReminderSet", info.reminder_set)) return false;
  if (info.override_flags & kAroLocation) {
    info.location = readNarrowString(reader, "LocationLength", "LocationLength2", "Location");
    if (!info.location) return false;
  }
  return optional32(kAroBusyStatus, "BusyStatus", info.busy_status) &&
         optional32(kAroAttachment, "Attachment", info.attachment) &&
         optional32(kAroSubType, "SubType", info.sub_type) &&
         optional32(kAroAppointmentColor, "AppointmentColor", info.appointment_color);
}

bool readExtendedException(ByteReader& reader, std::uint32_t writer_version2, ExceptionInfo& info) {
  if (writer_version2 >= kWriterVersion2ChangeHighlight &&
      !skipBlock(reader, "ChangeHighlightSize", "ChangeHighlight")) {
    return false;
  }
  if (!skipBlock(reader, "ReservedBlockEE1Size", "ReservedBlockEE1")) return false;
  if ((info.override_flags & (kAroSubject | kAroLocation)) == 0) return true;
  // StartDateTime, EndDateTime, OriginalStartDate repeat the ExceptionInfo's.
  if (!reader.take(12, "ExtendedException StartDateTime, EndDateTime, OriginalStartDate")) return false;
  if (info.override_flags & kAroSubject) {
    info.wide_subject = readWideString(reader, "WideCharSubjectLength", "WideCharSubject");
    if (!info.wide_subject) return false;
  }
  if (info.override_flags & kAroLocation) {
    info.wide_location = readWideString(reader, "WideCharLocationLength", "WideCharLocation");
    if (!info.wide_location) return false;
  }
  return skipBlock(reader, "ReservedBlockEE2Size", "ReservedBlockEE2");
}

model::CivilDate dateFromMinutes(std::uint32_t minutes) { return localFromMinutes(minutes).date; }

std::vector<model::Weekday> weekdaysOf(std::uint32_t mask) {
  std::vector<model::Weekday> days;
  for (int day = 0; day < 7; ++day) {
    if (mask & (1u << day)) days.push_back(static_cast<model::Weekday>(day));
  }
  return days;
}

bool isGregorian(std::uint16_t calendar_type) {
  // [MS-OXOCAL] 2.2.1.44.1 CalendarType: Default (0), CAL_GREGORIAN (1), CAL_GREGORIAN_US (2)
  // and the localized Gregorian variants 9-12 all count days the Gregorian way.
  return calendar_type <= 2 || (calendar_type >= 9 && calendar_type <= 12);
}

class Converter {
 public:
  Converter(const AppointmentRecurrencePattern& pattern, std::string_view property, const model::Provenance& item,
            std::vector<model::Finding>& findings)
      : pattern_(pattern), property_(property), item_(item), findings_(findings) {}

  Result<model::Recurrence> convert() {
    model::Recurrence recurrence;
    if (!isGregorian(pattern_.calendar_type)) {
      return unsupported("CalendarType " + hex(pattern_.calendar_type, 4) +
                         " is not a Gregorian calendar; Zimbra's rules count Gregorian days only");
    }
    if (pattern_.pattern_type == kPatternHjMonth || pattern_.pattern_type == kPatternHjMonthNth ||
        pattern_.pattern_type == kPatternHjMonthEnd) {
      return unsupported("PatternType " + hex(pattern_.pattern_type, 4) + " repeats by Hijri months");
    }
    if (auto status = convertPattern(recurrence); !status) return status.error();
    if (auto status = convertRange(recurrence); !status) return status.error();
    if (auto status = convertExceptions(recurrence); !status) return status.error();
    return recurrence;
  }

 private:
  Status convertPattern(model::Recurrence& recurrence) {
    const std::uint16_t frequency = pattern_.recur_frequency;
    const std::uint16_t type = pattern_.pattern_type;
    const bool monthly_type = type == kPatternMonth || type == kPatternMonthEnd || type == kPatternMonthNth;
    if (frequency == kFrequencyDaily && type == kPatternDay) {
      // The period of a daily pattern is in minutes ([MS-OXOCAL] 2.2.1.44.1).
      if (pattern_.period == 0 || pattern_.period % kMinutesPerDay != 0) {
        return invalid("Period", "is " + std::to_string(pattern_.period) + " minutes, not a whole number of days");
      }
      recurrence.pattern = model::RecurrencePattern::kDaily;
      return setInterval(recurrence, pattern_.period / kMinutesPerDay);
    }
    if (frequency == kFrequencyDaily && type == kPatternWeek) {
      // Outlook's "every weekday" is a daily frequency with a Week pattern ([MS-OXCICAL]
      // 2.1.3.2.2.1).
      recurrence.pattern = model::RecurrencePattern::kDaily;
      recurrence.every_weekday = true;
      if (auto status = setWeekdays(recurrence); !status) return status;
      return setInterval(recurrence, 1);
    }
    if (frequency == kFrequencyWeekly && type == kPatternWeek) {
      recurrence.pattern = model::RecurrencePattern::kWeekly;
      if (auto status = setWeekdays(recurrence); !status) return status;
      return setInterval(recurrence, pattern_.period);
    }
    if ((frequency == kFrequencyMonthly || frequency == kFrequencyYearly) && monthly_type) {
      const bool yearly = frequency == kFrequencyYearly;
      std::uint32_t interval = pattern_.period;  // months, for monthly and yearly alike
      if (yearly) {
        if (pattern_.period % 12 != 0) {
          return invalid("Period", "is " + std::to_string(pattern_.period) + " months, not a whole number of years");
        }
        interval /= 12;
        recurrence.month = dateFromMinutes(pattern_.start_date).month;
      }
      if (auto status = setInterval(recurrence, interval); !status) return status;
      if (type == kPatternMonthNth) {
        recurrence.pattern = yearly ? model::RecurrencePattern::kYearlyNth : model::RecurrencePattern::kMonthlyNth;
        if (pattern_.nth < 1 || pattern_.nth > 5) {
          return invalid("PatternTypeSpecific (MonthNth) N", "is " + std::to_string(pattern_.nth) + ", not 1-5");
        }
        recurrence.week_of_month = pattern_.nth == 5 ? -1 : static_cast<int>(pattern_.nth);
        return setWeekdays(recurrence);
      }
      recurrence.pattern = yearly ? model::RecurrencePattern::kYearlyByDay : model::RecurrencePattern::kMonthlyByDay;
      if (type == kPatternMonthEnd) {
        recurrence.day_of_month = -1;
        return {};
      }
      if (pattern_.day_of_month < 1 || pattern_.day_of_month > 31) {
        return invalid("PatternTypeSpecific (Month)", "is day " + std::to_string(pattern_.day_of_month) + ", not 1-31");
      }
      // Outlook puts "day 31" on the last day of shorter months, which is exactly what -1
      // (BYMONTHDAY=-1) means; [MS-OXCICAL] 2.1.3.2.2.3 maps the two onto each other.
      recurrence.day_of_month = pattern_.day_of_month == 31 ? -1 : static_cast<int>(pattern_.day_of_month);
      return {};
    }
    return unsupported("RecurFrequency " + hex(frequency, 4) + " with PatternType " + hex(type, 4) +
                       " is not a combination [MS-OXOCAL] 2.2.1.44.1 defines");
  }

  Status convertRange(model::Recurrence& recurrence) {
    if (pattern_.first_dow > 6) return invalid("FirstDOW", "is " + std::to_string(pattern_.first_dow) + ", not 0-6");
    recurrence.first_day_of_week = static_cast<model::Weekday>(pattern_.first_dow);
    recurrence.start_date = dateFromMinutes(pattern_.start_date);
    switch (pattern_.end_type) {
      case kEndAfterDate:
        recurrence.end = model::RecurrenceEnd::kByDate;
        recurrence.end_date = dateFromMinutes(pattern_.end_date);
        break;
      case kEndAfterCount:
        if (pattern_.occurrence_count == 0 || pattern_.occurrence_count > 0x7FFFFFFF) {
          return invalid("OccurrenceCount", "is " + std::to_string(pattern_.occurrence_count) +
                                                " for a series that ends after a number of occurrences");
        }
        recurrence.end = model::RecurrenceEnd::kAfterCount;
        recurrence.count = static_cast<int>(pattern_.occurrence_count);
        break;
      case kNeverEnd:
      case kNeverEndOld:
        recurrence.end = model::RecurrenceEnd::kNever;
        break;
      default:
        return invalid("EndType", "is " + hex(pattern_.end_type, 8) + ", not 0x00002021, 0x00002022 or 0x00002023");
    }
    if (pattern_.start_time_offset >= kMinutesPerDay) {
      return invalid("StartTimeOffset", "is " + std::to_string(pattern_.start_time_offset) + " minutes, a day or more");
    }
    if (pattern_.end_time_offset < pattern_.start_time_offset ||
        pattern_.end_time_offset - pattern_.start_time_offset > kMaxOccurrenceMinutes) {
      return invalid("EndTimeOffset", "is " + std::to_string(pattern_.end_time_offset) +
                                          " minutes, not a plausible end after StartTimeOffset " +
                                          std::to_string(pattern_.start_time_offset));
    }
    recurrence.start_minute = static_cast<int>(pattern_.start_time_offset);
    recurrence.end_minute = static_cast<int>(pattern_.end_time_offset);
    recurrence.deleted_dates.reserve(pattern_.deleted_instance_dates.size());
    for (const std::uint32_t date : pattern_.deleted_instance_dates) {
      recurrence.deleted_dates.push_back(dateFromMinutes(date));
    }
    return {};
  }

  Status convertExceptions(model::Recurrence& recurrence) {
    recurrence.exceptions.reserve(pattern_.exceptions.size());
    for (std::size_t index = 0; index < pattern_.exceptions.size(); ++index) {
      const ExceptionInfo& info = pattern_.exceptions[index];
      const std::string which = "ExceptionInfo " + std::to_string(index);
      model::AppointmentException exception;
      exception.original_start = localFromMinutes(info.original_start_time);
      exception.start = localFromMinutes(info.start_date_time);
      exception.end = localFromMinutes(info.end_date_time);
      if (info.end_date_time < info.start_date_time) {
        report(which + " EndDateTime", exception.end.toIsoString(), exception.start.toIsoString(),
               "the exception ends before it starts; it is given no duration");
        exception.end = exception.start;
      }
      if (info.wide_subject) {
        exception.subject = info.wide_subject;
      } else if (info.subject) {
        exception.subject = info.subject;
      }
      if (info.wide_location) {
        exception.location = info.wide_location;
      } else if (info.location) {
        exception.location = info.location;
      }
      if (info.reminder_set) exception.reminder_set = *info.reminder_set != 0;
      if (info.reminder_delta) {
        if (*info.reminder_delta < 0) {
          report(which + " ReminderDelta", std::to_string(*info.reminder_delta), "0",
                 "a reminder after the start is not possible; it fires at the start");
          exception.reminder_minutes_before = 0;
        } else {
          exception.reminder_minutes_before = *info.reminder_delta;
        }
      }
      if (info.sub_type) exception.all_day = *info.sub_type != 0;
      if (info.busy_status) {
        // [MS-OXOCAL] 2.2.1.2
        constexpr model::BusyStatus kByValue[] = {model::BusyStatus::kFree, model::BusyStatus::kTentative,
                                                  model::BusyStatus::kBusy, model::BusyStatus::kOutOfOffice,
                                                  model::BusyStatus::kWorkingElsewhere};
        if (*info.busy_status < 5) {
          exception.busy_status = kByValue[*info.busy_status];
        } else {
          report(which + " BusyStatus", std::to_string(*info.busy_status), "",
                 "not a busy status 0-4; the exception keeps the series' status");
        }
      }
      recurrence.exceptions.push_back(std::move(exception));
    }
    return {};
  }

  Status setInterval(model::Recurrence& recurrence, std::uint32_t interval) {
    // Outlook offers at most 999 days/weeks/months and 99 years; far beyond is not a pattern.
    constexpr std::uint32_t kMaxInterval = 9999;
    if (interval == 0 || interval > kMaxInterval) {
      return invalid("Period", "gives an interval of " + std::to_string(interval));
    }
    recurrence.interval = static_cast<int>(interval);
    return {};
  }

  Status setWeekdays(model::Recurrence& recurrence) {
    if (pattern_.day_mask == 0 || pattern_.day_mask > 0x7F) {
      return invalid("PatternTypeSpecific days", "is " + hex(pattern_.day_mask, 8) + ", not a set of days");
    }
    recurrence.weekdays = weekdaysOf(pattern_.day_mask);
    return {};
  }

  Error unsupported(const std::string& why) const {
    return Error{"mapi.recurrence.unsupported", std::string(property_) + ": " + why,
                 item_.describe() + " field " + std::string(property_)};
  }
  Error invalid(std::string_view field, const std::string& why) const {
    return Error{"mapi.recurrence.invalid", std::string(property_) + ": " + std::string(field) + " " + why,
                 item_.describe() + " field " + std::string(property_)};
  }
  void report(const std::string& field, std::string before, std::string after, std::string why) {
    findings_.push_back(model::Finding{"property.bad_value", model::Severity::kWarning, item_,
                                       std::string(property_) + " " + field, std::move(before), std::move(after),
                                       std::move(why), false});
  }

  const AppointmentRecurrencePattern& pattern_;
  std::string_view property_;
  const model::Provenance& item_;
  std::vector<model::Finding>& findings_;
};

}  // namespace

model::LocalDateTime localFromMinutes(std::uint32_t minutes) {
  const auto days = static_cast<int>(minutes / kMinutesPerDay);
  const auto in_day = static_cast<int>(minutes % kMinutesPerDay);
  const auto date = model::CivilDate::fromDays(std::chrono::sys_days{std::chrono::days{days - kDaysFrom1601To1970}});
  return model::LocalDateTime{date, in_day / 60, in_day % 60, 0};
}

Result<AppointmentRecurrencePattern> parseAppointmentRecurrence(std::span<const std::uint8_t> blob,
                                                                std::string_view property) {
  ByteReader reader(blob, property);
  AppointmentRecurrencePattern pattern;
  const auto reader_version = reader.u16("ReaderVersion");
  const auto writer_version = reader.u16("WriterVersion");
  const auto frequency = reader.u16("RecurFrequency");
  const auto type = reader.u16("PatternType");
  const auto calendar = reader.u16("CalendarType");
  const auto first = reader.u32("FirstDateTime");
  const auto period = reader.u32("Period");
  const auto sliding = reader.u32("SlidingFlag");
  if (reader.failed()) return reader.error();
  if (*reader_version != kReaderVersion || *writer_version != kReaderVersion) {
    reader.invalid("ReaderVersion/WriterVersion", 0,
                   "is " + hex(*reader_version, 4) + "/" + hex(*writer_version, 4) + ", expected 0x3004/0x3004");
    return reader.error();
  }
  pattern.recur_frequency = *frequency;
  pattern.pattern_type = *type;
  pattern.calendar_type = *calendar;
  pattern.first_date_time = *first;
  pattern.period = *period;
  pattern.sliding_flag = *sliding;
  if (!readPatternSpecific(reader, pattern)) return reader.error();

  const auto end_type = reader.u32("EndType");
  const auto occurrences = reader.u32("OccurrenceCount");
  const auto first_dow = reader.u32("FirstDOW");
  if (reader.failed()) return reader.error();
  pattern.end_type = *end_type;
  pattern.occurrence_count = *occurrences;
  pattern.first_dow = *first_dow;
  if (!readDates(reader, "DeletedInstanceCount", "DeletedInstanceDates", pattern.deleted_instance_dates) ||
      !readDates(reader, "ModifiedInstanceCount", "ModifiedInstanceDates", pattern.modified_instance_dates)) {
    return reader.error();
  }
  const auto start_date = reader.u32("StartDate");
  const auto end_date = reader.u32("EndDate");
  const auto reader_version2 = reader.u32("ReaderVersion2");
  const auto writer_version2 = reader.u32("WriterVersion2");
  const auto start_offset = reader.u32("StartTimeOffset");
  const auto end_offset = reader.u32("EndTimeOffset");
  if (reader.failed()) return reader.error();
  if (*reader_version2 != kReaderVersion2) {
    reader.invalid("ReaderVersion2", reader.offset() - 16, "is " + hex(*reader_version2, 8) + ", expected 0x00003006");
    return reader.error();
  }
  pattern.start_date = *start_date;
  pattern.end_date = *end_date;
  pattern.reader_version2 = *reader_version2;
  pattern.writer_version2 = *writer_version2;
  pattern.start_time_offset = *start_offset;
  pattern.end_time_offset = *end_offset;

  const std::size_t count_at = reader.offset();
  const auto exception_count = reader.u16("ExceptionCount");
  if (!exception_count) return reader.error();
  if (*exception_count > (reader.size() - reader.offset()) / kExceptionInfoMinSize) {
    reader.fail("mapi.blob.truncated", "ExceptionCount at offset " + std::to_string(count_at) + " is " +
                                           std::to_string(*exception_count) + ", more than the value can hold");
    return reader.error();
  }
  pattern.exceptions.resize(*exception_count);
  for (ExceptionInfo& info : pattern.exceptions) {
    if (!readExceptionInfo(reader, info)) return reader.error();
  }
  if (!skipBlock(reader, "ReservedBlock1Size", "ReservedBlock1")) return reader.error();
  for (ExceptionInfo& info : pattern.exceptions) {
    if (!readExtendedException(reader, pattern.writer_version2, info)) return reader.error();
  }
  if (!skipBlock(reader, "ReservedBlock2Size", "ReservedBlock2")) return reader.error();
  return pattern;
}

Result<model::Recurrence> toRecurrence(const AppointmentRecurrencePattern& pattern, std::string_view property,
                                       const model::Provenance& item, std::vector<model::Finding>& findings) {
  return Converter(pattern, property, item, findings).convert();
}

}  // namespace m2z::readers::mapi
