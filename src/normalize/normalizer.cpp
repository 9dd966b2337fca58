#include "normalize/normalizer.h"

#include "normalize/check_people.h"
#include "normalize/ensure_uid.h"
#include "normalize/resolve_times.h"

namespace m2z::normalize {

void normalizeAppointment(model::Appointment& appointment, std::vector<model::Finding>& findings) {
  ensureUid(appointment, findings);
  resolveTimes(appointment, findings);
  checkPeople(appointment, findings);
}

}  // namespace m2z::normalize
