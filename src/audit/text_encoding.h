// Checks and encodings that let the audit log carry arbitrary bytes inside well-formed XML.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace m2z::audit::detail {

// True when `text` is valid UTF-8 made only of characters XML 1.0 allows (tab, LF, CR, and
// U+0020 on, except U+FFFE and U+FFFF).
bool isXmlSafe(std::string_view text);

// `text` with what XML 1.0 cannot carry replaced, for readable fields where a lossy but visible
// form beats losing the record: C0 controls become their Control Pictures (U+2400 + code), bytes
// that are not UTF-8 become U+FFFD.
std::string toXmlSafe(std::string_view text);

std::string base64Encode(std::string_view bytes);
// Ignores whitespace; nullopt when `text` is not base64.
std::optional<std::string> base64Decode(std::string_view text);

}  // namespace m2z::audit::detail
