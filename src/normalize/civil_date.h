// The calendar day an instant stands for, for values that mean "a day" rather than a moment:
// all-day bounds, birthdays, anniversaries and task dates, each stored as some midnight.
#pragma once

#include <string>

#include "model/result.h"
#include "model/time.h"
#include "model/time_zone.h"

namespace m2z::normalize {

// The day `instant` stands for, given the zone's offset at that instant (minutes east of UTC):
//  1. local midnight in the zone: that day (how Outlook stores all-day bounds, PidTagBirthday,
//     PidLidTaskDateCompleted: local midnight converted to UTC);
//  2. otherwise, exactly 00:00:00Z: the UTC day (values stored with no zone conversion, as
//     [MS-OXOTASK] 2.2.2.2.4/2.2.2.2.5 prescribe for PidLidTaskStartDate/PidLidTaskDueDate, and
//     as converters that treat dates as UTC write them);
//  3. otherwise the day of the nearest local midnight (a value off by less than half a day, e.g.
//     written in another zone, or a day whose midnight does not exist because DST starts at 00:00).
model::CivilDate civilDateAtOffset(model::Instant instant, int offset_minutes);

// The same, with the offset from an IANA zone (ICU's tzdata) or from an Outlook zone definition.
Result<model::CivilDate> civilDateOf(model::Instant instant, const std::string& iana_id);
Result<model::CivilDate> civilDateOf(model::Instant instant, const model::TimeZoneDefinition& zone);

}  // namespace m2z::normalize
