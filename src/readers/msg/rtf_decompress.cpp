#include "readers/msg/rtf_decompress.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace m2z::readers::msg {

namespace {

constexpr std::uint32_t kCompressed = 0x75465A4C;    // "LZFu"
constexpr std::uint32_t kUncompressed = 0x414C454D;  // "MELA"
constexpr std::size_t kHeaderSize = 16;
constexpr std::size_t kDictionarySize = 4096;

// The dictionary's initial contents ([MS-OXRTFCP] 2.1.2.1): 207 bytes every compressor starts from.
constexpr std::string_view kInitialDictionary =
    "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript "
    "\\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par "
    "\\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
static_assert(kInitialDictionary.size() == 207);

std::uint32_t le32(std::span<const std::uint8_t> bytes, std::size_t at) {
  return static_cast<std::uint32_t>(bytes[at]) | static_cast<std::uint32_t>(bytes[at + 1]) << 8 |
         static_cast<std::uint32_t>(bytes[at + 2]) << 16 | static_cast<std::uint32_t>(bytes[at + 3]) << 24;
}

Error error(std::size_t offset, const std::string& why) {
  return Error{"msg.rtf", "compressed RTF at byte " + std::to_string(offset) + ": " + why, "PidTagRtfCompressed"};
}

}  // namespace

Result<std::string> decompressRtf(std::span<const std::uint8_t> stored, std::size_t max_bytes) {
  if (stored.size() < kHeaderSize) return error(0, "shorter than its 16-byte header");
  const std::uint32_t comp_size = le32(stored, 0);
  const std::size_t raw_size = le32(stored, 4);
  const std::uint32_t comp_type = le32(stored, 8);
  if (raw_size > max_bytes) {
    return error(4, "RAWSIZE " + std::to_string(raw_size) + " passes the limit of " + std::to_string(max_bytes));
  }
  // COMPSIZE counts the content plus the 12 header bytes after it; a smaller stored value only
  // means trailing padding, a larger one that the data was cut.
  const std::size_t content_end = std::min<std::size_t>(stored.size(), std::size_t{comp_size} + 4);
  if (content_end < kHeaderSize) return error(0, "COMPSIZE " + std::to_string(comp_size) + " is smaller than the header");
  const auto content = stored.subspan(kHeaderSize, content_end - kHeaderSize);
  if (comp_type == kUncompressed) {
    const std::size_t size = std::min(raw_size, content.size());
    return std::string(reinterpret_cast<const char*>(content.data()), size);
  }
  if (comp_type != kCompressed) return error(8, "unknown COMPTYPE " + std::to_string(comp_type));

  std::array<char, kDictionarySize> dictionary{};
  kInitialDictionary.copy(dictionary.data(), kInitialDictionary.size());
  std::size_t write = kInitialDictionary.size();
  std::string out;
  out.reserve(raw_size);
  std::size_t at = 0;
  while (at < content.size()) {
    const std::uint8_t control = content[at++];
    for (int bit = 0; bit < 8; ++bit) {
      if (at >= content.size()) return error(kHeaderSize + at, "the data ends before the end marker");
      if ((control & (1 << bit)) == 0) {
        const char literal = static_cast<char>(content[at++]);
        if (out.size() >= raw_size) return out;  // some writers leave out the end marker
        out.push_back(literal);
        dictionary[write] = literal;
        write = (write + 1) % kDictionarySize;
        continue;
      }
      if (content.size() - at < 2) return error(kHeaderSize + at, "a reference is cut off");
      // Big-endian: 12 bits of dictionary offset, 4 bits of length - 2.
      const std::size_t word = static_cast<std::size_t>(content[at]) << 8 | content[at + 1];
      at += 2;
      const std::size_t offset = word >> 4;
      const std::size_t length = (word & 0x0F) + 2;
      if (offset == write) return out;  // the end marker: a reference to the write position
      for (std::size_t i = 0; i < length; ++i) {
        if (out.size() >= raw_size) return out;
        const char c = dictionary[(offset + i) % kDictionarySize];
        out.push_back(c);
        dictionary[write] = c;
        write = (write + 1) % kDictionarySize;
      }
    }
  }
  return error(kHeaderSize + at, "the data ends before the end marker");
}

}  // namespace m2z::readers::msg
