// Normalizer pass and registry for UIDs Zimbra cannot store: such a UID is replaced by a stable
// short one derived from it, and the UIDs one account receives are kept apart.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/appointment.h"
#include "model/finding.h"
#include "model/provenance.h"

namespace m2z::normalize {

// Zimbra keeps an appointment's UID in `appointment.uid VARCHAR(255)` of a MySQL table in the
// 3-byte "utf8" character set (zm-db-conf create_database.sql, migrate20140328-EnforceTableCharset),
// and sends it in XML 1.0; we also hold it to 255 bytes, as the issue asks.
inline constexpr std::size_t kMaxUidBytes = 255;
inline constexpr std::string_view kShortUidPrefix = "m2z-sha256-";

// Why Zimbra cannot store `uid` as it is, or nullopt when it can: over 255 bytes, malformed
// UTF-8, control characters (XML 1.0 cannot carry them), or characters beyond U+FFFF (MySQL's
// "utf8" has no 4-byte sequences).
std::optional<std::string> uidProblem(std::string_view uid);

// kShortUidPrefix + the 64 hex digits of SHA-256 over the UID's bytes: the same original UID gives
// the same short UID for a series, its exceptions and later updates, on every run and machine.
std::string shortUidFor(std::string_view original_uid);

// Replaces an unstorable UID by shortUidFor() of it, keeping the original in
// appointment.original_uid (for the writer's X-MAPI2ZIMBRA-ORIGINAL-UID property and the state),
// and records a "uid.shortened" Finding.
void shortenUid(model::Appointment& appointment, std::vector<model::Finding>& findings);

// The UIDs sent to one account in one run, so two different source UIDs never end up as one
// Zimbra UID (a collision), and a UID another item already brought is noticed before Zimbra
// silently keeps only one of them. Keeps a digest and a description per UID: memory grows with
// the number of items, never with their size.
class UidRegistry {
 public:
  enum class Outcome {
    kNew,           // first item with this UID
    kSameOriginal,  // an earlier item brought the same original UID (a copy, or the same meeting)
    kCollision      // an earlier item brought a different original UID that became this UID
  };
  struct Claim {
    Outcome outcome = Outcome::kNew;
    std::string first_item;    // Provenance::describe() of the earlier item, when not kNew
    bool same_folder = false;  // the earlier item is in the same source file and folder
  };

  // Records that `item` is sent with `uid`, standing for `original_uid` (the source UID before any
  // shortening; the same as `uid` when it was not shortened).
  Claim claim(const std::string& uid, std::string_view original_uid, const model::Provenance& item);

  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string original_digest;  // SHA-256 of the original UID, raw bytes
    std::string folder_digest;    // SHA-256 of the source file and folder
    std::string first_item;
  };
  std::unordered_map<std::string, Entry> entries_;
};

// Claims the appointment's UID in `registry`. A collision is repaired deterministically (the
// colliding item gets shortUidFor(original + "\n" + n) for the first free n >= 2) and recorded as
// "uid.collision". A UID an earlier item already brought is recorded as "item.duplicate" when
// both are in one folder, else as "uid.already_used": Zimbra keeps one appointment per UID in a
// mailbox, so the later item would not be created, and that must not happen silently.
void registerUid(model::Appointment& appointment, UidRegistry& registry, std::vector<model::Finding>& findings);

}  // namespace m2z::normalize
