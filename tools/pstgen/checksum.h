// The checksums a PST carries: the CRC-32 of [MS-PST] 5.3 and the block/page signature of 5.5.
#pragma once

#include <cstdint>

#include "pstgen/bytes.h"

namespace m2z::pstgen {

// [MS-PST] 5.3: the reflected CRC-32 polynomial 0xEDB88320, but started at `crc` (0 for a fresh
// checksum) and without the final inversion, so it differs from zlib's crc32 for the same bytes.
std::uint32_t computeCrc(ByteView data, std::uint32_t crc = 0);

// [MS-PST] 5.5: the 16-bit signature of a block or page from its file offset and BID.
constexpr std::uint16_t computeSignature(std::uint64_t ib, std::uint64_t bid) {
  const std::uint64_t mixed = ib ^ bid;
  return static_cast<std::uint16_t>(static_cast<std::uint16_t>(mixed >> 16) ^ static_cast<std::uint16_t>(mixed));
}

}  // namespace m2z::pstgen
