// Fuzzes the appointment recurrence blob parser and its conversion to a model::Recurrence.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "readers/mapi/recurrence_blob.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto pattern = m2z::readers::mapi::parseAppointmentRecurrence(std::span<const std::uint8_t>(data, size), "fuzz");
  if (pattern) {
    std::vector<m2z::model::Finding> findings;
    (void)m2z::readers::mapi::toRecurrence(*pattern, "fuzz", m2z::model::Provenance{"fuzz", "/", "1"}, findings);
  }
  return 0;
}
