// Windows code pages (PT_STRING8 values, RTF \'hh bytes) decoded to UTF-8 through ICU.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "model/result.h"

namespace m2z::readers::mapi {

// What Outlook writes ANSI text in when an item names no code page of its own.
inline constexpr int kDefaultCodepage = 1252;

// The code page PT_STRING8 values of an item are in: PidTagMessageCodepage (0x3FFD) when set,
// else PidTagInternetCodepage (0x3FDE) when it is a code page ICU can decode byte by byte, else
// `fallback` (the store's, or kDefaultCodepage).
int string8Codepage(std::optional<std::int32_t> message_codepage, std::optional<std::int32_t> internet_codepage,
                    int fallback = kDefaultCodepage);

// True when ICU has a converter for Windows code page `codepage`.
bool isKnownCodepage(int codepage);

// `bytes` in Windows code page `codepage` as UTF-8. Bytes the code page does not map become
// U+FFFD; a code page ICU does not know is an Error naming it. Output is at most 3 bytes per
// input byte (one UTF-16 unit per byte at most, 3 UTF-8 bytes per unit).
[[nodiscard]] Result<std::string> decodeCodepage(std::span<const std::uint8_t> bytes, int codepage);

// The Windows code page for an RTF \fcharsetN, or nullopt for charsets with no code page
// (symbol fonts, "default": the document's \ansicpg applies).
std::optional<int> codepageOfRtfCharset(int charset);

}  // namespace m2z::readers::mapi
