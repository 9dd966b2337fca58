// Normalizer pass: items of one folder that are the same appointment twice, when the source gave
// them no UID to tell them by (items with a UID are compared by UidRegistry).
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/appointment.h"
#include "model/finding.h"

namespace m2z::normalize {

// Remembers, per source file and folder, the subject, start and end of every item that came
// without a source UID (a SHA-256 digest and the first item's description each, so memory grows
// with the number of items only). A later item with the same three in the same folder is
// reported as "item.duplicate"; both are kept: a duplicate is never dropped silently, and the
// user decides.
class DuplicateDetector {
 public:
  void check(const model::Appointment& appointment, std::vector<model::Finding>& findings);
  std::size_t size() const { return first_items_.size(); }

 private:
  std::unordered_map<std::string, std::string> first_items_;  // digest -> Provenance::describe()
};

}  // namespace m2z::normalize
