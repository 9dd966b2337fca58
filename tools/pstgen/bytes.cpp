#include "pstgen/bytes.h"

namespace m2z::pstgen {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one code point at `pos`, advancing it; malformed input yields U+FFFD and advances by one.
char32_t decodeUtf8(std::string_view text, std::size_t& pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  int length = 0;
  char32_t value = 0;
  if (lead < 0x80) {
    ++pos;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2;
    value = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    value = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    value = lead & 0x07;
  } else {
    ++pos;
    return kReplacement;
  }
  if (pos + static_cast<std::size_t>(length) > text.size()) {
    ++pos;
    return kReplacement;
  }
  for (int i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[pos + static_cast<std::size_t>(i)]);
    if ((next & 0xC0) != 0x80) {
      ++pos;
      return kReplacement;
    }
    value = (value << 6) | (next & 0x3F);
  }
  const bool overlong = (length == 2 && value < 0x80) || (length == 3 && value < 0x800) ||
                        (length == 4 && value < 0x10000);
  if (overlong || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    ++pos;
    return kReplacement;
  }
  pos += static_cast<std::size_t>(length);
  return value;
}

}  // namespace

Bytes utf16le(std::string_view utf8) {
  Bytes out;
  out.reserve(utf8.size() * 2);
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    const char32_t code = decodeUtf8(utf8, pos);
    if (code >= 0x10000) {
      const char32_t shifted = code - 0x10000;
      putU16(out, static_cast<std::uint16_t>(0xD800 + (shifted >> 10)));
      putU16(out, static_cast<std::uint16_t>(0xDC00 + (shifted & 0x3FF)));
    } else {
      putU16(out, static_cast<std::uint16_t>(code));
    }
  }
  return out;
}

}  // namespace m2z::pstgen
