// Text as both databases accept it: valid UTF-8 without NUL (PostgreSQL refuses anything else).
#pragma once

#include <string>
#include <string_view>

namespace m2z::state::detail {

bool isStorableText(std::string_view text);
// Invalid sequences and NUL become U+FFFD; for messages (reasons, errors), not for keys.
std::string toStorableText(std::string_view text);
// Printable ASCII as it is, every other byte as \xNN: for naming a bad value in a message.
std::string printable(std::string_view text);

}  // namespace m2z::state::detail
