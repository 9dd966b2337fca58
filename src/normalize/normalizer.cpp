#include "normalize/normalizer.h"

#include <algorithm>

#include "normalize/check_addresses.h"
#include "normalize/check_people.h"
#include "normalize/check_values.h"
#include "normalize/ensure_uid.h"
#include "normalize/resolve_recurrence.h"
#include "normalize/resolve_times.h"

namespace m2z::normalize {

void normalizeAppointment(model::Appointment& appointment, std::vector<model::Finding>& findings) {
  shortenUid(appointment, findings);
  ensureUid(appointment, findings);
  resolveTimes(appointment, findings);
  // After resolveTimes: a series is resolved in the zone chosen there.
  resolveRecurrence(appointment, findings);
  checkPeople(appointment, findings);
  // After checkPeople: an address it already reported as missing is not reported again.
  checkAddresses(appointment, findings);
  checkValues(appointment, findings);
}

Normalizer::Normalizer(NormalizerOptions options) : folders_(std::move(options.folders)) {}

bool Normalizer::normalize(model::Appointment& appointment, std::vector<model::Finding>& findings) {
  const std::size_t first = findings.size();
  normalizeAppointment(appointment, findings);
  const bool skipped = std::any_of(findings.begin() + static_cast<std::ptrdiff_t>(first), findings.end(),
                                   [](const model::Finding& finding) { return finding.item_skipped; });
  // An item that will not reach Zimbra claims no UID and is nobody's original.
  if (skipped) return false;
  duplicates_.check(appointment, findings);
  registerUid(appointment, uids_, findings);
  return true;
}

FolderMapping Normalizer::mapFolder(const model::SourceFolder& folder, std::vector<model::Finding>& findings) {
  return folders_.map(splitFolderPath(folder.path), folderViewOf(folder.container_class),
                      model::Provenance{folder.source_file, folder.path, ""}, findings);
}

FolderMapping Normalizer::mapFolderPath(const model::Provenance& item, std::vector<model::Finding>& findings) {
  model::Provenance where = item;
  where.entry_id.clear();
  return folders_.map(splitFolderPath(item.folder_path), FolderView::kAppointment, where, findings);
}

}  // namespace m2z::normalize
