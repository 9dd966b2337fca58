// mapAppointment: the one mapping from a message's MAPI properties to a model::Appointment,
// whatever container (PST, .msg) the properties came from.
#pragma once

#include <vector>

#include "model/appointment.h"
#include "model/finding.h"
#include "model/provenance.h"
#include "model/result.h"
#include "readers/mapi/property_bag.h"

namespace m2z::readers::mapi {

// Values that are present but unusable become Findings (appended to `findings`, naming the
// property) and the field keeps its default; an item without any start time fails with an Error
// naming the item and the field. Nothing is thrown.
// A recurring item gets its series in `recurrence`, with the exceptions' bodies and attendees
// taken from bag.attachments (embedded exception messages); a pattern that cannot be read or
// expressed fails with an Error whose code starts with "mapi.recurrence." (field
// PidLidAppointmentRecur), and the container skips the item.
[[nodiscard]] Result<model::Appointment> mapAppointment(const PropertyBag& bag, const model::Provenance& provenance,
                                                        std::vector<model::Finding>& findings);

// The subject as users see it: PST string values may start with a 2-character marker (0x01 and a
// character giving the prefix length) that is not part of the text.
std::string stripSubjectMarker(std::string subject);

}  // namespace m2z::readers::mapi
