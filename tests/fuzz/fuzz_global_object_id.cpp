// Fuzzes the GlobalObjectId -> UID derivation.
#include <cstddef>
#include <cstdint>
#include <span>

#include "readers/mapi/blob_parsers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)m2z::readers::mapi::uidFromGlobalObjectId(std::span<const std::uint8_t>(data, size), "fuzz");
  (void)m2z::readers::mapi::utf16LeToUtf8(std::span<const std::uint8_t>(data, size));
  return 0;
}
