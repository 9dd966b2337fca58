// The normalizer: the small passes every item goes through between reader and writer.
#pragma once

#include <vector>

#include "model/appointment.h"
#include "model/finding.h"
#include "model/item_sink.h"
#include "normalize/duplicates.h"
#include "normalize/folder_names.h"
#include "normalize/uid_policy.h"

namespace m2z::normalize {

// Runs every per-item appointment pass in order; each records what it changed as a Finding:
// shortenUid, ensureUid, resolveTimes, resolveRecurrence, checkPeople, checkAddresses,
// checkValues. A finding with item_skipped set means the item cannot be carried over (the caller
// counts it as skipped).
void normalizeAppointment(model::Appointment& appointment, std::vector<model::Finding>& findings);

struct NormalizerOptions {
  FolderPolicyOptions folders;
};

// The normalizer of one run into one account: the per-item passes plus what needs to remember
// earlier items (UIDs sent so far, duplicates per folder) and the folder-name policy.
class Normalizer {
 public:
  explicit Normalizer(NormalizerOptions options = {});

  // normalizeAppointment, then duplicate detection and the UID registry. Returns false when the
  // item cannot be carried over; a finding with item_skipped set then says why.
  bool normalize(model::Appointment& appointment, std::vector<model::Finding>& findings);

  // The Zimbra folder for a source folder (its path split by splitFolderPath, its container class
  // giving the view); findings only the first time a folder is mapped.
  FolderMapping mapFolder(const model::SourceFolder& folder, std::vector<model::Finding>& findings);
  // The Zimbra folder for an item's source folder path (as in Provenance::folder_path).
  FolderMapping mapFolderPath(const model::Provenance& item, std::vector<model::Finding>& findings);

  const UidRegistry& uids() const { return uids_; }

 private:
  UidRegistry uids_;
  DuplicateDetector duplicates_;
  FolderNamePolicy folders_;
};

}  // namespace m2z::normalize
