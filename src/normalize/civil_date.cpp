#include "normalize/civil_date.h"

#include "normalize/zone_resolution.h"

namespace m2z::normalize {

model::CivilDate civilDateAtOffset(model::Instant instant, int offset_minutes) {
  const model::LocalDateTime local = model::toLocal(instant, offset_minutes);
  if (local.isMidnight()) return local.date;
  const model::LocalDateTime utc = model::toLocal(instant, 0);
  if (utc.isMidnight()) return utc.date;
  return local.hour >= 12 ? local.date.plusDays(1) : local.date;
}

Result<model::CivilDate> civilDateOf(model::Instant instant, const std::string& iana_id) {
  auto offset = offsetMinutesAt(iana_id, instant);
  if (!offset) return offset.error();
  return civilDateAtOffset(instant, *offset);
}

Result<model::CivilDate> civilDateOf(model::Instant instant, const model::TimeZoneDefinition& zone) {
  auto offset = offsetMinutesAt(zone, instant);
  if (!offset) return offset.error();
  return civilDateAtOffset(instant, *offset);
}

}  // namespace m2z::normalize
