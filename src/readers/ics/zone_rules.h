// Wall-time arithmetic on Outlook-shaped zone definitions, and the VTIMEZONE observances they are
// built from; plain values, no libical, so the rules can be tested on their own.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/time.h"
#include "model/time_zone.h"

namespace m2z::readers::ics {

// One STANDARD or DAYLIGHT block of a VTIMEZONE, as far as a yearly Windows rule can hold it.
struct Observance {
  bool daylight = false;
  model::LocalDateTime start;  // DTSTART: local time before the onset (TZOFFSETFROM)
  int offset_from_minutes = 0;
  int offset_to_minutes = 0;
  // From the RRULE "FREQ=YEARLY;BYMONTH=m;BYDAY=nDD"; nullopt when the block has no yearly rule.
  std::optional<model::TransitionDate> yearly;
  std::optional<int> until_year;  // RRULE UNTIL, when present
};

// The rules a VTIMEZONE's observances give, one per year in which they change, sorted by year.
// Returns an empty definition (no rules) when there is no STANDARD block at all.
model::TimeZoneDefinition definitionFromObservances(const std::string& tzid, std::vector<Observance> observances);

// Offset (minutes, local = UTC + offset) the definition gives at a wall time in its zone; a wall
// time in the skipped hour counts as standard time, one in the repeated hour as daylight time
// (as Outlook does). UTC for a definition without rules.
int offsetForLocal(const model::TimeZoneDefinition& zone, const model::LocalDateTime& local);

// The same at a UTC instant.
int offsetForInstant(const model::TimeZoneDefinition& zone, model::Instant instant);

}  // namespace m2z::readers::ics
