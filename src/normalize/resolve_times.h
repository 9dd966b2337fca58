// Normalizer pass: the zone an appointment is written in, its wall times, and for all-day events
// its days — worked out in the item's own zone, never in UTC or the machine's zone.
#pragma once

#include <vector>

#include "model/appointment.h"
#include "model/finding.h"

namespace m2z::normalize {

// Fills appointment.resolved and appends a Finding for every guess or repair.
void resolveTimes(model::Appointment& appointment, std::vector<model::Finding>& findings);

}  // namespace m2z::normalize
