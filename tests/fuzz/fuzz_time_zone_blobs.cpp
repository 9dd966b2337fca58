// Fuzzes the TZDEFINITION and TZREG parsers: any bytes give a value or an Error.
#include <cstddef>
#include <cstdint>
#include <span>

#include "readers/mapi/blob_parsers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> blob(data, size);
  (void)m2z::readers::mapi::parseTimeZoneDefinition(blob, "fuzz");
  (void)m2z::readers::mapi::parseTimeZoneStruct(blob, "fuzz");
  return 0;
}
