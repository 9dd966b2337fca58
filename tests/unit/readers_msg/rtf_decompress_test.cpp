// [MS-OXRTFCP] decompression on streams worked out by hand from the spec's format (2.1.3.1).
#include "readers/msg/rtf_decompress.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace m2z::readers::msg {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes stored(std::uint32_t raw_size, std::uint32_t comp_type, const Bytes& content) {
  Bytes out;
  const auto put32 = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  put32(static_cast<std::uint32_t>(content.size() + 12));  // COMPSIZE: content + rest of header
  put32(raw_size);
  put32(comp_type);
  put32(0);  // CRC, not checked
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

constexpr std::uint32_t kLzfu = 0x75465A4C;
constexpr std::uint32_t kMela = 0x414C454D;

TEST(RtfDecompress, ReferencesIntoTheInitialDictionaryAndLiterals) {
  // Control byte 0x05: token 0 a reference, token 1 a literal, token 2 a reference.
  // Token 0: 0x0004 = offset 0, length 4 + 2 = 6: the dictionary's first 6 bytes, "{\rtf1".
  // Token 1: 'A'. The write position is now 207 + 7 = 214 = 0x0D6.
  // Token 2: 0x0D60 = offset 0x0D6 (the write position): the end marker.
  const auto rtf = decompressRtf(stored(7, kLzfu, Bytes{0x05, 0x00, 0x04, 'A', 0x0D, 0x60}), 1 << 20);
  ASSERT_TRUE(rtf) << rtf.error().describe();
  EXPECT_EQ(*rtf, "{\\rtf1A");
}

TEST(RtfDecompress, AReferenceToBytesJustWritten) {
  // Literals 'a' 'b' at dictionary positions 207 (0x0CF) and 208, then a reference to 0x0CF of
  // length 4 that overlaps its own output: "abab"; the end marker is 0x0CF + 6 = 0x0D5.
  // Control 0x0C: tokens 2 and 3 are references.
  const auto rtf = decompressRtf(stored(6, kLzfu, Bytes{0x0C, 'a', 'b', 0x0C, 0xF2, 0x0D, 0x50}), 1 << 20);
  ASSERT_TRUE(rtf) << rtf.error().describe();
  EXPECT_EQ(*rtf, "ababab");
}

TEST(RtfDecompress, UncompressedContentIsTakenAsIs) {
  const auto rtf = decompressRtf(stored(5, kMela, Bytes{'{', '\\', 'r', 't', '}'}), 1 << 20);
  ASSERT_TRUE(rtf);
  EXPECT_EQ(*rtf, "{\\rt}");
}

TEST(RtfDecompress, DamageIsAnError) {
  EXPECT_FALSE(decompressRtf(Bytes(10, 0), 1 << 20));                              // short header
  EXPECT_FALSE(decompressRtf(stored(4, 0x12345678, Bytes{1, 2, 3, 4}), 1 << 20));  // unknown type
  EXPECT_FALSE(decompressRtf(stored(7, kLzfu, Bytes{0x05, 0x00, 0x04, 'A'}), 1 << 20));  // no end marker
  EXPECT_FALSE(decompressRtf(stored(7, kLzfu, Bytes{0x01, 0x00}), 1 << 20));  // a reference cut off
  EXPECT_FALSE(decompressRtf(stored(1u << 30, kLzfu, Bytes{}), 1 << 20));      // RAWSIZE past the limit
}

}  // namespace
}  // namespace m2z::readers::msg
