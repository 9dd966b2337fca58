// Recurring series as Outlook stores them: the PidLidAppointmentRecur blob ([MS-OXOCAL] 2.2.1.44)
// and the occurrence dates a pattern produces, with deleted and modified occurrences.
#pragma once

#include <cstdint>
#include <vector>

#include "model/recurrence.h"
#include "model/result.h"
#include "pstgen/bytes.h"

namespace m2z::pstgen {

// The series' occurrence days from start_date on (deleted ones included), at most `limit`, and
// none after `last` when given.
std::vector<model::CivilDate> occurrenceDays(const model::Recurrence& recurrence, std::size_t limit,
                                             const model::CivilDate* last = nullptr);

// The AppointmentRecurrencePattern for `recurrence`, modified instances included (ExceptionInfo
// and ExtendedException, in the order of `exceptions`: see sortExceptions); an error for what the
// writer cannot express (a pattern whose first day is not an occurrence, an exception replacing a
// day that is not one, ...).
[[nodiscard]] Result<Bytes> encodeAppointmentRecur(const model::Recurrence& recurrence);

// [MS-OXOCAL] 2.2.1.44.2 OverrideFlags.
inline constexpr std::uint16_t kAroSubject = 0x0001;
inline constexpr std::uint16_t kAroLocation = 0x0010;
inline constexpr std::uint16_t kAroBusyStatus = 0x0020;
inline constexpr std::uint16_t kAroSubType = 0x0080;

// The flags an exception's overridden fields set (subject, location, busy status, all-day).
std::uint16_t exceptionOverrideFlags(const model::AppointmentException& exception);

// DeletedInstanceDates: the deleted days and the original days of the modified instances
// ([MS-OXOCAL] 3.1.4.5.6), sorted, each once.
std::vector<model::CivilDate> storedDeletedDates(const model::Recurrence& recurrence);

// Puts the modified instances in the order Outlook keeps ExceptionInfo: by their new start.
void sortExceptions(model::Recurrence& recurrence);

// PidLidRecurrenceType ([MS-OXOCAL] 2.2.1.45): 1 daily, 2 weekly, 3 monthly, 4 yearly,
// 5 monthly on the nth weekday, 6 yearly on the nth weekday.
std::int32_t recurrenceType(const model::Recurrence& recurrence);

}  // namespace m2z::pstgen
