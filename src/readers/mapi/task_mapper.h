// mapTask: the one mapping from a message's MAPI properties to a model::Task ([MS-OXOTASK]),
// whatever container the properties came from.
#pragma once

#include <vector>

#include "model/finding.h"
#include "model/provenance.h"
#include "model/result.h"
#include "model/task.h"
#include "readers/mapi/property_bag.h"

namespace m2z::readers::mapi {

// Values present but unusable become Findings naming the property; the field keeps its default.
// A recurring task keeps its raw PidLidTaskRecurrence and gets a "recurrence.not_converted"
// finding: it is carried over as a single task. PidLidPercentComplete (PtypFloating64) is read
// from its 8 little-endian bytes, as a Binary value.
[[nodiscard]] Result<model::Task> mapTask(const PropertyBag& bag, const model::Provenance& provenance,
                                          std::vector<model::Finding>& findings);

}  // namespace m2z::readers::mapi
