// The normalizer: the small passes every item goes through between reader and writer.
#pragma once

#include <vector>

#include "model/appointment.h"
#include "model/finding.h"

namespace m2z::normalize {

// Runs every appointment pass in order; each records what it changed as a Finding.
void normalizeAppointment(model::Appointment& appointment, std::vector<model::Finding>& findings);

}  // namespace m2z::normalize
