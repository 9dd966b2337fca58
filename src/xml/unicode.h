// UTF-8 / UTF-16 conversions and the XML 1.0 character test, shared by the writer and the Xerces
// adapter (Xerces' own transcode() uses the process locale, which is wrong for our bytes).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace m2z::xml::detail {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// Decodes the code point starting at text[pos] and advances pos past it. A malformed or
// overlong sequence, or an encoded surrogate, yields U+FFFD and consumes one byte, so the
// caller always makes progress.
char32_t decodeUtf8(std::string_view text, std::size_t& pos);

void appendUtf8(std::string& out, char32_t code_point);

// Char production of XML 1.0 (5th ed.) section 2.2: what a document may contain at all.
constexpr bool isXmlChar(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

std::u16string toUtf16(std::string_view utf8);
// Unpaired surrogates become U+FFFD.
std::string fromUtf16(const char16_t* text, std::size_t length);
std::string fromUtf16(const char16_t* null_terminated);

}  // namespace m2z::xml::detail
