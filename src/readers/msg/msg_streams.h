// The stream formats inside a .msg file ([MS-OXMSG] 2.2, 2.4): the property stream, the named
// property mapping and PT_STRING8 text. Pure functions of bytes, private to readers/msg; any input
// gives a value or an Error naming the stream and the byte offset.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"
#include "readers/mapi/property_bag.h"

namespace m2z::readers::msg {

// The compound-file header ([MS-CFB] 2.2) checked against the file's size before libolecf sees
// it: libolecf sizes its tables from the header's sector counts without bound, so a count the
// file cannot hold is refused here. `header` is the file's first 512 bytes (fewer: an Error).
[[nodiscard]] Status checkCompoundFileHeader(std::span<const std::uint8_t> header, std::uint64_t file_size);

// Where a property stream sits decides its header size ([MS-OXMSG] 2.4.1).
enum class StorageKind { kTopLevelMessage, kEmbeddedMessage, kRecipient, kAttachment };

std::size_t propertyHeaderSize(StorageKind kind);

// One 16-byte entry of a property stream: the tag, and for fixed-size types the value in place
// (little-endian, Reserved bytes included); variable-size values live in their own stream.
struct PropertyEntry {
  std::uint16_t id = 0;
  std::uint16_t type = 0;
  std::uint32_t flags = 0;
  std::array<std::uint8_t, 8> value{};
};

// The header (a length that does not fit the header is an Error) and the entries after it; a
// trailing partial entry is an Error too, since it can only come from a damaged stream.
[[nodiscard]] Result<std::vector<PropertyEntry>> parsePropertyStream(std::span<const std::uint8_t> stream,
                                                                     StorageKind kind);

// Tag id (0x8000 + property index) -> named property identity, from the three streams of the
// __nameid_version1.0 storage ([MS-OXMSG] 2.2.3). Entries that point outside the GUID or string
// stream are left out and described in `problems`; only a ragged entry stream is an Error.
using NamedPropertyMap = std::map<std::uint16_t, mapi::NamedKey>;
[[nodiscard]] Result<NamedPropertyMap> parseNameIdMap(std::span<const std::uint8_t> guid_stream,
                                                      std::span<const std::uint8_t> entry_stream,
                                                      std::span<const std::uint8_t> string_stream,
                                                      std::vector<std::string>& problems);

inline constexpr mapi::Guid kPsMapi =
    mapi::Guid::fromFields(0x00020328, 0x0000, 0x0000, {0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46});

// The Windows code page PT_STRING8 values of a message are in: PidTagMessageCodepage when
// present; else the ANSI code page of PidTagMessageLocaleId's language (Outlook writes 8-bit
// strings in the writer's ANSI code page, while PidTagInternetCodepage names the MIME charset the
// mail travelled in - ISO-2022-JP over Shift-JIS text in a real Japanese file); else what
// mapi::string8Codepage makes of PidTagInternetCodepage, falling back on 1252.
std::uint32_t string8Codepage(std::optional<std::int32_t> message_codepage, std::optional<std::int32_t> locale_id,
                              std::optional<std::int32_t> internet_codepage);

// `bytes` (up to the first NUL) from Windows code page `codepage` to UTF-8 (mapi::decodeCodepage);
// a code page ICU does not know is read as windows-1252 and `known` is set to false.
std::string string8ToUtf8(std::span<const std::uint8_t> bytes, std::uint32_t codepage, bool* known = nullptr);

// "__substg1.0_0037001F"; with an index, the stream of one value of a multi-valued property.
std::string valueStreamName(std::uint16_t id, std::uint16_t type, std::optional<std::uint32_t> index = std::nullopt);

}  // namespace m2z::readers::msg
