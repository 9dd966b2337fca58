// Fuzzes the distribution list member parsers (one-off and wrapped entry ids) and the PST
// multi-valued binary layout they arrive in.
#include <cstddef>
#include <cstdint>
#include <span>

#include "readers/mapi/contact_mapper.h"
#include "readers/pst/multi_value_blob.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> blob(data, size);
  (void)m2z::readers::mapi::parseOneOffEntryId(blob, "fuzz");
  (void)m2z::readers::mapi::parseDistListMember(blob, "fuzz");
  auto values = m2z::readers::pst::parseMultipleBinary(blob, "fuzz");
  if (values) {
    for (const auto& value : *values) (void)m2z::readers::mapi::parseDistListMember(value, "fuzz");
  }
  return 0;
}
