// Normalizer pass: organizer and attendees Zimbra cannot store (it keeps people by SMTP address).
#pragma once

#include <vector>

#include "model/appointment.h"
#include "model/finding.h"

namespace m2z::normalize {

// Records a Finding for every person without an SMTP address: the writer cannot carry them
// over, and the user must be told rather than find them missing.
void checkPeople(const model::Appointment& appointment, std::vector<model::Finding>& findings);

}  // namespace m2z::normalize
