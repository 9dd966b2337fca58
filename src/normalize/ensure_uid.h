// Normalizer pass: every appointment leaves with a UID, so a re-run can find what it made.
#pragma once

#include <vector>

#include "model/appointment.h"
#include "model/finding.h"

namespace m2z::normalize {

// An item without a UID gets "m2z-" + the first 32 hex digits of SHA-256 over its source file's
// name, folder path and entry id: the same item gets the same UID on every run and machine.
void ensureUid(model::Appointment& appointment, std::vector<model::Finding>& findings);

}  // namespace m2z::normalize
