#include "normalize/uid_policy.h"

#include <cstdio>

#include "normalize/digest.h"
#include "normalize/findings.h"
#include "normalize/text_limits.h"

namespace m2z::normalize {

namespace {

std::string codePointName(char32_t c) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(c));
  return buffer;
}

std::string folderDigest(const model::Provenance& item) {
  return sha256Raw(item.source_file + '\n' + item.folder_path);
}

// Long or unprintable UIDs are shown shortened in findings; the full value is in the state.
std::string shown(std::string_view uid) {
  constexpr std::size_t kShown = 300;
  std::string text = text::withoutControlCharacters(uid.substr(0, kShown));
  if (uid.size() > kShown) text += "... (" + std::to_string(uid.size()) + " bytes)";
  return text;
}

}  // namespace

std::optional<std::string> uidProblem(std::string_view uid) {
  if (uid.size() > kMaxUidBytes) {
    return "it is " + std::to_string(uid.size()) + " bytes long; Zimbra keeps at most " +
           std::to_string(kMaxUidBytes);
  }
  for (std::size_t pos = 0; pos < uid.size();) {
    const std::size_t at = pos;
    const auto c = text::decodeUtf8(uid, pos);
    if (!c) return "byte " + std::to_string(at) + " is not valid UTF-8";
    if (*c < 0x20 || *c == 0x7F) return "it contains the control character " + codePointName(*c);
    if (*c > 0xFFFF) {
      return "it contains " + codePointName(*c) +
             ", which Zimbra's MySQL \"utf8\" (3-byte) columns cannot store";
    }
  }
  return std::nullopt;
}

std::string shortUidFor(std::string_view original_uid) {
  return std::string(kShortUidPrefix) + sha256Hex(original_uid);
}

void shortenUid(model::Appointment& item, std::vector<model::Finding>& findings) {
  if (item.uid.empty() || !item.original_uid.empty()) return;
  const auto problem = uidProblem(item.uid);
  if (!problem) return;
  item.original_uid = std::move(item.uid);
  item.uid = shortUidFor(item.original_uid);
  findings.push_back(makeFinding(item.provenance, "uid.shortened", model::Severity::kWarning, "uid",
                                 shown(item.original_uid), item.uid,
                                 "Zimbra cannot store this UID: " + *problem +
                                     ". A stable UID derived from it (SHA-256) is sent instead and the "
                                     "original travels as X-MAPI2ZIMBRA-ORIGINAL-UID; replies from other "
                                     "calendars that quote the original UID will not match it"));
}

UidRegistry::Claim UidRegistry::claim(const std::string& uid, std::string_view original_uid,
                                      const model::Provenance& item) {
  std::string original_digest = sha256Raw(original_uid);
  std::string folder = folderDigest(item);
  auto [it, inserted] = entries_.try_emplace(uid);
  if (inserted) {
    it->second = Entry{std::move(original_digest), std::move(folder), item.describe()};
    return Claim{};
  }
  Claim result;
  result.first_item = it->second.first_item;
  result.same_folder = it->second.folder_digest == folder;
  result.outcome = it->second.original_digest == original_digest ? Outcome::kSameOriginal : Outcome::kCollision;
  return result;
}

void registerUid(model::Appointment& item, UidRegistry& registry, std::vector<model::Finding>& findings) {
  if (item.uid.empty()) return;
  const std::string original = item.original_uid.empty() ? item.uid : item.original_uid;
  auto claim = registry.claim(item.uid, original, item.provenance);
  if (claim.outcome == UidRegistry::Outcome::kCollision) {
    const std::string before = item.uid;
    const std::string earlier = claim.first_item;
    // Another source UID already stands for this UID. Derive a fresh one from this item's own
    // original, numbered so the same input order gives the same UIDs on every run.
    for (int n = 2; claim.outcome == UidRegistry::Outcome::kCollision; ++n) {
      item.uid = shortUidFor(original + "\n" + std::to_string(n));
      claim = registry.claim(item.uid, original, item.provenance);
    }
    item.original_uid = original;
    findings.push_back(makeFinding(item.provenance, "uid.collision", model::Severity::kWarning, "uid", before,
                                   item.uid,
                                   "another item (" + earlier + ") with a different source UID is "
                                   "already sent with this UID; this item gets its own derived UID"));
    if (claim.outcome == UidRegistry::Outcome::kNew) return;
  }
  if (claim.outcome != UidRegistry::Outcome::kSameOriginal) return;
  if (claim.same_folder) {
    findings.push_back(makeFinding(item.provenance, "item.duplicate", model::Severity::kWarning, "uid",
                                   shown(original), claim.first_item,
                                   "an earlier item in the same folder has the same UID; Zimbra keeps one "
                                   "appointment per UID, so this one will be found as already present and "
                                   "not created"));
  } else {
    findings.push_back(makeFinding(item.provenance, "uid.already_used", model::Severity::kWarning, "uid",
                                   shown(original), claim.first_item,
                                   "an item of another folder or file has the same UID; Zimbra keeps one "
                                   "appointment per UID in a mailbox, so this one will be found as already "
                                   "present and not created"));
  }
}

}  // namespace m2z::normalize
