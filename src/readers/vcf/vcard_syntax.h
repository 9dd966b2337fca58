// vCard syntax shared by versions 2.1, 3.0 (RFC 2426) and 4.0 (RFC 6350): content lines with
// their parameters, and the value decodings (quoted-printable, base64, charsets, text escapes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"

namespace m2z::readers::vcf {

enum class VcardVersion { k21, k30, k40 };

struct VcardParameter {
  std::string name;                 // upper-case; 2.1 bare values get TYPE, ENCODING or VALUE
  std::vector<std::string> values;  // as written, quotes removed
};

// One unfolded content line: [group "."] name *(";" parameter) ":" value.
struct VcardProperty {
  std::string group;  // "item1", or empty
  std::string name;   // upper-case: "TEL", "X-MS-TEL"
  std::vector<VcardParameter> parameters;
  std::string value;  // still encoded and escaped, as after unfolding
  int line = 0;       // physical line the property starts on, 1-based

  // TYPE values (TYPE=a,b, repeated TYPE=, 2.1 bare types), compared case-insensitively.
  bool hasType(std::string_view type) const;
  std::vector<std::string> types() const;
  // The first value of a parameter, or "" when absent; name compared case-insensitively.
  std::string parameter(std::string_view name) const;
};

// Parses one unfolded content line. Errors name what is wrong (no ':', an empty or invalid
// name, an unterminated quoted parameter value).
[[nodiscard]] Result<VcardProperty> parseContentLine(std::string_view line, int line_number);

bool equalsIgnoreCase(std::string_view a, std::string_view b);
std::string toUpper(std::string_view text);

// Quoted-printable (RFC 2045 6.7): "=XY" bytes, "=" before a line break or at the end is a soft
// break. nullopt when an "=" is followed by anything else.
std::optional<std::string> decodeQuotedPrintable(std::string_view text);

// Base64 (RFC 4648) ignoring white space, padding optional; nullopt on any other character.
std::optional<std::vector<std::uint8_t>> decodeBase64(std::string_view text);

bool isValidUtf8(std::string_view bytes);

// Converts bytes in `charset` (any name ICU knows: windows-1252, iso-8859-5, koi8-r, shift_jis,
// utf-8, ...) to UTF-8; an Error when ICU does not know the charset.
[[nodiscard]] Result<std::string> toUtf8(std::string_view bytes, const std::string& charset);

// Splits at separators that are not escaped by a backslash; the parts keep their escapes.
std::vector<std::string> splitUnescaped(std::string_view value, char separator);

// Removes text escapes: 3.0/4.0 "\\" "\," "\;" "\n" "\N" (RFC 6350 3.4, RFC 2426 4); 2.1 only
// escapes ";" in compound values, so other backslashes are kept as written.
std::string unescapeText(std::string_view value, VcardVersion version);

}  // namespace m2z::readers::vcf
