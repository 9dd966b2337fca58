// "Compressible" block encoding ([MS-PST] 5.1, NDB_CRYPT_PERMUTE): a fixed byte substitution
// applied to the data of external blocks only.
#pragma once

#include <cstdint>
#include <span>

namespace m2z::pstgen {

enum class Encryption : std::uint8_t { kNone = 0x00, kCompressible = 0x01 };

// Encodes in place with the first 256 bytes of mpbbCrypt (mpbbR).
void encodePermute(std::span<std::uint8_t> data);
// Decodes in place with the inverse table (mpbbI, the last 256 bytes of mpbbCrypt).
void decodePermute(std::span<std::uint8_t> data);

}  // namespace m2z::pstgen
