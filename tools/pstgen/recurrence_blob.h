// Recurring series as Outlook stores them: the PidLidAppointmentRecur blob ([MS-OXOCAL] 2.2.1.44)
// and the occurrence dates a pattern produces. Deleted occurrences are written; modified ones
// (ExceptionInfo) are not yet.
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

// The AppointmentRecurrencePattern for `recurrence`; an error for what the writer cannot express
// (modified instances, a pattern whose first day is not an occurrence, ...).
[[nodiscard]] Result<Bytes> encodeAppointmentRecur(const model::Recurrence& recurrence);

// PidLidRecurrenceType ([MS-OXOCAL] 2.2.1.45): 1 daily, 2 weekly, 3 monthly, 4 yearly,
// 5 monthly on the nth weekday, 6 yearly on the nth weekday.
std::int32_t recurrenceType(const model::Recurrence& recurrence);

}  // namespace m2z::pstgen
