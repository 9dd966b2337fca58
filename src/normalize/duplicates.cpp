#include "normalize/duplicates.h"

#include "normalize/digest.h"
#include "normalize/findings.h"

namespace m2z::normalize {

void DuplicateDetector::check(const model::Appointment& item, std::vector<model::Finding>& findings) {
  if (item.uid_origin != model::UidOrigin::kNone) return;
  // Length-prefixed fields, so no choice of subject can make two different keys equal.
  std::string key;
  for (const std::string& part : {item.provenance.source_file, item.provenance.folder_path, item.subject,
                                  std::to_string(item.start.unix_seconds), std::to_string(item.end.unix_seconds),
                                  std::string(item.all_day ? "1" : "0")}) {
    key += std::to_string(part.size()) + ':' + part;
  }
  auto [it, inserted] = first_items_.try_emplace(sha256Raw(key), item.provenance.describe());
  if (inserted) return;
  findings.push_back(makeFinding(item.provenance, "item.duplicate", model::Severity::kWarning, "subject, start, end",
                                 item.subject + " " + model::toIsoString(item.start) + " - " +
                                     model::toIsoString(item.end),
                                 it->second,
                                 "an earlier item in the same folder has the same subject, start and end and "
                                 "neither has a UID; both are carried over, so the appointment will show twice"));
}

}  // namespace m2z::normalize
