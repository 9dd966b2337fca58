// Normalizer pass: what a writer needs of a series, worked out in the item's own zone — its first
// instance, its UNTIL, the RECURRENCE-IDs of its exceptions and deleted instances, and the days
// of all-day series and exceptions.
#pragma once

#include <vector>

#include "model/appointment.h"
#include "model/finding.h"
#include "model/time.h"
#include "model/time_zone.h"

namespace m2z::normalize {

// Runs after resolveTimes (it needs appointment.resolved): fills recurrence->resolved and each
// exception's `resolved`, sets the series' resolved start/end (or days) from the pattern, and
// appends a Finding for every value it had to repair or could only approximate. Items without a
// recurrence are left alone.
void resolveRecurrence(model::Appointment& appointment, std::vector<model::Finding>& findings);

// The UTC instant of wall time `local` in a single-rule zone, by the rules a writer sends with
// it (so it agrees with what Zimbra computes from the same <tz>). As RFC 5545 3.3.5 reads them: a
// wall time DST skips takes the offset before the gap, a repeated one is its first occurrence.
model::Instant instantOfWallTime(const model::SingleRuleZone& zone, const model::LocalDateTime& local);

}  // namespace m2z::normalize
