#include "normalize/ensure_uid.h"

#include <openssl/evp.h>

#include <array>
#include <filesystem>
#include <string>

namespace m2z::normalize {

namespace {

std::string sha256Hex(const std::string& input) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(input.data(), input.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0f]);
  }
  return hex;
}

}  // namespace

void ensureUid(model::Appointment& item, std::vector<model::Finding>& findings) {
  if (!item.uid.empty()) return;
  // The file name, not its path: the same PST copied elsewhere must give the same UIDs.
  const std::string file_name = std::filesystem::path(item.provenance.source_file).filename().string();
  const std::string identity = file_name + '\n' + item.provenance.folder_path + '\n' + item.provenance.entry_id;
  item.uid = "m2z-" + sha256Hex(identity).substr(0, 32);
  model::Finding finding;
  finding.kind = "uid.generated";
  finding.severity = model::Severity::kInfo;
  finding.item = item.provenance;
  finding.field = "uid";
  finding.after = item.uid;
  finding.why = "the source item has no global object id; a stable UID was derived from its source identity";
  findings.push_back(std::move(finding));
}

}  // namespace m2z::normalize
