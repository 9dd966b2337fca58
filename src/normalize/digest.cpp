#include "normalize/digest.h"

#include <openssl/evp.h>

#include <array>

namespace m2z::normalize {

std::string sha256Raw(std::string_view input) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  // EVP_Digest only fails on allocation failure; the empty result then still keys consistently.
  if (EVP_Digest(input.data(), input.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) length = 0;
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

std::string sha256Hex(std::string_view input) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (const char c : sha256Raw(input)) {
    const auto byte = static_cast<unsigned char>(c);
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 0x0f]);
  }
  return hex;
}

}  // namespace m2z::normalize
