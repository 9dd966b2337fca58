// UTF-8 checks and cuts for Zimbra's limits, which count UTF-16 code units (Java strings) and
// refuse what XML 1.0 or MySQL's 3-byte "utf8" cannot carry.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace m2z::normalize::text {

// Decodes the code point at text[pos] and advances pos; nullopt (and one byte consumed) for a
// malformed, overlong, surrogate or out-of-range sequence, so callers always make progress.
std::optional<char32_t> decodeUtf8(std::string_view text, std::size_t& pos);
void appendUtf8(std::string& out, char32_t code_point);

bool isValidUtf8(std::string_view text);

// UTF-16 code units the text takes in Java, Zimbra's unit for name and subject limits; each
// malformed byte counts as the one U+FFFD it becomes.
std::size_t utf16Length(std::string_view text);

// The longest prefix of `text` that fits in `max_units` UTF-16 code units, cut between code points.
std::string truncateUtf16(std::string_view text, std::size_t max_units);

// Control characters (C0 except tab, LF and CR, and DEL) removed and malformed bytes replaced by
// U+FFFD: what an XML 1.0 document can carry.
std::string withoutControlCharacters(std::string_view text);

// ASCII spaces, tabs, CR and LF removed at both ends.
std::string_view trimSpaces(std::string_view text);

}  // namespace m2z::normalize::text
