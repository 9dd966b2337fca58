// PidLidAppointmentRecur ([MS-OXOCAL] 2.2.1.44.5, AppointmentRecurrencePattern): the structure as
// stored, read by a pure function that checks every count and length against the bytes, and its
// conversion to a model::Recurrence.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/finding.h"
#include "model/provenance.h"
#include "model/recurrence.h"
#include "model/result.h"

namespace m2z::readers::mapi {

// ExceptionInfo OverrideFlags ([MS-OXOCAL] 2.2.1.44.2): which fields the exception changes.
inline constexpr std::uint16_t kAroSubject = 0x0001;
inline constexpr std::uint16_t kAroMeetingType = 0x0002;
inline constexpr std::uint16_t kAroReminderDelta = 0x0004;
inline constexpr std::uint16_t kAroReminder = 0x0008;
inline constexpr std::uint16_t kAroLocation = 0x0010;
inline constexpr std::uint16_t kAroBusyStatus = 0x0020;
inline constexpr std::uint16_t kAroAttachment = 0x0040;
inline constexpr std::uint16_t kAroSubType = 0x0080;
inline constexpr std::uint16_t kAroAppointmentColor = 0x0100;
inline constexpr std::uint16_t kAroExceptionalBody = 0x0200;  // the body is in the exception attachment

// One ExceptionInfo ([MS-OXOCAL] 2.2.1.44.2) with the text of its ExtendedException (2.2.1.44.3).
// Times are local, in minutes since 1601-01-01.
struct ExceptionInfo {
  std::uint32_t start_date_time = 0;
  std::uint32_t end_date_time = 0;
  std::uint32_t original_start_time = 0;
  std::uint16_t override_flags = 0;
  std::optional<std::string> subject;   // 8-bit text of unknown code page, as stored
  std::optional<std::uint32_t> meeting_type;
  std::optional<std::int32_t> reminder_delta;
  std::optional<std::uint32_t> reminder_set;
  std::optional<std::string> location;  // 8-bit, as stored
  std::optional<std::uint32_t> busy_status;
  std::optional<std::uint32_t> attachment;
  std::optional<std::uint32_t> sub_type;
  std::optional<std::uint32_t> appointment_color;
  std::optional<std::string> wide_subject;   // ExtendedException WideCharSubject, as UTF-8
  std::optional<std::string> wide_location;  // ExtendedException WideCharLocation, as UTF-8
  bool operator==(const ExceptionInfo&) const = default;
};

// RecurrencePattern ([MS-OXOCAL] 2.2.1.44.1) and the AppointmentRecurrencePattern fields after it.
struct AppointmentRecurrencePattern {
  std::uint16_t recur_frequency = 0;  // 0x200A daily, 0x200B weekly, 0x200C monthly, 0x200D yearly
  std::uint16_t pattern_type = 0;     // 0 Day, 1 Week, 2 Month, 3 MonthNth, 4 MonthEnd, 0xA-0xC Hijri
  std::uint16_t calendar_type = 0;
  std::uint32_t first_date_time = 0;
  std::uint32_t period = 0;
  std::uint32_t sliding_flag = 0;
  std::uint32_t day_mask = 0;      // Week and MonthNth: bit 0 Sunday .. bit 6 Saturday
  std::uint32_t day_of_month = 0;  // Month, MonthEnd, HjMonth, HjMonthEnd
  std::uint32_t nth = 0;           // MonthNth, HjMonthNth: 1..4, 5 = last
  std::uint32_t end_type = 0;      // 0x2021 by date, 0x2022 after count, 0x2023 (or ~0) never
  std::uint32_t occurrence_count = 0;
  std::uint32_t first_dow = 0;
  std::vector<std::uint32_t> deleted_instance_dates;   // local midnights, minutes since 1601
  std::vector<std::uint32_t> modified_instance_dates;
  std::uint32_t start_date = 0;
  std::uint32_t end_date = 0;
  std::uint32_t reader_version2 = 0;
  std::uint32_t writer_version2 = 0;
  std::uint32_t start_time_offset = 0;  // minutes after midnight
  std::uint32_t end_time_offset = 0;
  std::vector<ExceptionInfo> exceptions;
  bool operator==(const AppointmentRecurrencePattern&) const = default;
};

// Reads the blob; Error "mapi.blob.truncated" / "mapi.blob.invalid" naming `property`, the field
// and the byte offset. Nothing is allocated beyond what the blob's own length allows.
[[nodiscard]] Result<AppointmentRecurrencePattern> parseAppointmentRecurrence(std::span<const std::uint8_t> blob,
                                                                              std::string_view property);

// A local time of the blob (minutes since 1601-01-01 00:00) as a wall-clock reading.
model::LocalDateTime localFromMinutes(std::uint32_t minutes);

// The series the pattern describes, in the item's zone. Exceptions carry what the blob holds
// (times, subject, location, reminder, all-day, busy status); bodies and attendees are in the
// exception attachments, which the caller adds. Error "mapi.recurrence.unsupported" for what the
// model cannot express (other calendars than the Gregorian, Hijri patterns, unknown frequency and
// pattern pairs), "mapi.recurrence.invalid" for values outside their ranges; context = the item
// and `property`. Values it can repair become Findings.
[[nodiscard]] Result<model::Recurrence> toRecurrence(const AppointmentRecurrencePattern& pattern,
                                                     std::string_view property, const model::Provenance& item,
                                                     std::vector<model::Finding>& findings);

}  // namespace m2z::readers::mapi
