#include "readers/msg/msg_streams.h"

#include "readers/mapi/blob_parsers.h"
#include "readers/mapi/codepage.h"

#include <cstdio>
#include <utility>

namespace m2z::readers::msg {

namespace {

constexpr std::size_t kEntrySize = 16;

std::uint32_t le32(std::span<const std::uint8_t> bytes, std::size_t at) {
  return static_cast<std::uint32_t>(bytes[at]) | static_cast<std::uint32_t>(bytes[at + 1]) << 8 |
         static_cast<std::uint32_t>(bytes[at + 2]) << 16 | static_cast<std::uint32_t>(bytes[at + 3]) << 24;
}

std::uint16_t le16(std::span<const std::uint8_t> bytes, std::size_t at) {
  return static_cast<std::uint16_t>(bytes[at] | bytes[at + 1] << 8);
}

// Windows ANSI code page of a language, by the primary language of its LCID ([MS-LCID]).
std::optional<std::uint32_t> ansiCodepageOfLocale(std::uint32_t lcid) {
  const std::uint32_t primary = lcid & 0x3FF;
  switch (primary) {
    case 0x11: return 932;   // Japanese
    case 0x12: return 949;   // Korean
    case 0x1E: return 874;   // Thai
    case 0x04: return (lcid == 0x0804 || lcid == 0x1004) ? 936u : 950u;  // Chinese: PRC/Singapore vs. the rest
    case 0x19: case 0x22: case 0x23: case 0x02: case 0x2F: case 0x3F: case 0x40: case 0x44: case 0x50:
      return 1251;  // Russian, Ukrainian, Belarusian, Bulgarian, Macedonian, Kazakh, Kyrgyz, Tatar, Mongolian
    case 0x05: case 0x0E: case 0x15: case 0x18: case 0x1B: case 0x1C: case 0x24:
      return 1250;  // Czech, Hungarian, Polish, Romanian, Slovak, Albanian, Slovenian
    case 0x1A: return (lcid == 0x0C1A || lcid == 0x1C1A) ? 1251u : 1250u;  // Serbian Cyrillic vs. Latin/Croatian
    case 0x08: return 1253;  // Greek
    case 0x1F: return 1254;  // Turkish
    case 0x0D: return 1255;  // Hebrew
    case 0x01: case 0x20: case 0x29: return 1256;  // Arabic, Urdu, Farsi
    case 0x25: case 0x26: case 0x27: return 1257;  // Estonian, Latvian, Lithuanian
    case 0x2A: return 1258;  // Vietnamese
    default: return std::nullopt;
  }
}

}  // namespace

Status checkCompoundFileHeader(std::span<const std::uint8_t> header, std::uint64_t file_size) {
  constexpr std::uint8_t kSignature[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  const auto bad = [](std::size_t offset, const std::string& why) {
    return Error{"msg.open", "the compound-file header at byte " + std::to_string(offset) + " " + why, ""};
  };
  if (header.size() < 512) return bad(0, "is cut short: the file has fewer than 512 bytes");
  for (std::size_t i = 0; i < 8; ++i) {
    if (header[i] != kSignature[i]) return bad(0, "does not start with the OLE signature: not a .msg file");
  }
  const std::uint16_t major = le16(header, 26);
  const std::uint16_t sector_shift = le16(header, 30);
  // Version 3 uses 512-byte sectors, version 4 4096-byte ones ([MS-CFB] 2.2).
  if (!((major == 3 && sector_shift == 9) || (major == 4 && sector_shift == 12))) {
    return bad(26, "has version " + std::to_string(major) + " with sector shift " + std::to_string(sector_shift) +
                       "; only 3/9 and 4/12 exist");
  }
  if (le16(header, 32) != 6) return bad(32, "has a mini sector shift other than 6");
  // No table can have more sectors than the file holds.
  const std::uint64_t sectors = file_size >> sector_shift;
  const struct {
    std::size_t offset;
    const char* name;
  } counts[] = {{40, "directory sectors"}, {44, "FAT sectors"}, {64, "mini FAT sectors"}, {72, "DIFAT sectors"}};
  for (const auto& count : counts) {
    const std::uint32_t value = le32(header, count.offset);
    if (value > sectors) {
      return bad(count.offset, "claims " + std::to_string(value) + " " + count.name + ", more than the file's " +
                                   std::to_string(sectors) + " sectors");
    }
  }
  return Status();
}

std::size_t propertyHeaderSize(StorageKind kind) {
  switch (kind) {
    case StorageKind::kTopLevelMessage: return 32;
    case StorageKind::kEmbeddedMessage: return 24;
    case StorageKind::kRecipient:
    case StorageKind::kAttachment: return 8;
  }
  return 8;
}

Result<std::vector<PropertyEntry>> parsePropertyStream(std::span<const std::uint8_t> stream, StorageKind kind) {
  const std::size_t header = propertyHeaderSize(kind);
  if (stream.size() < header) {
    return Error{"msg.property_stream",
                 "has " + std::to_string(stream.size()) + " bytes, fewer than its " + std::to_string(header) +
                     "-byte header",
                 "__properties_version1.0"};
  }
  if ((stream.size() - header) % kEntrySize != 0) {
    return Error{"msg.property_stream",
                 "ends in a partial 16-byte entry at offset " +
                     std::to_string(stream.size() - (stream.size() - header) % kEntrySize),
                 "__properties_version1.0"};
  }
  std::vector<PropertyEntry> entries;
  entries.reserve((stream.size() - header) / kEntrySize);
  for (std::size_t at = header; at < stream.size(); at += kEntrySize) {
    PropertyEntry entry;
    const std::uint32_t tag = le32(stream, at);
    entry.id = static_cast<std::uint16_t>(tag >> 16);
    entry.type = static_cast<std::uint16_t>(tag & 0xFFFF);
    entry.flags = le32(stream, at + 4);
    for (std::size_t i = 0; i < 8; ++i) entry.value[i] = stream[at + 8 + i];
    entries.push_back(entry);
  }
  return entries;
}

Result<NamedPropertyMap> parseNameIdMap(std::span<const std::uint8_t> guid_stream,
                                        std::span<const std::uint8_t> entry_stream,
                                        std::span<const std::uint8_t> string_stream,
                                        std::vector<std::string>& problems) {
  if (entry_stream.size() % 8 != 0) {
    return Error{"msg.nameid", "the entry stream has " + std::to_string(entry_stream.size()) +
                                   " bytes, not a multiple of its 8-byte entries",
                 "__nameid_version1.0/__substg1.0_00030102"};
  }
  NamedPropertyMap map;
  for (std::size_t at = 0; at < entry_stream.size(); at += 8) {
    const std::uint32_t name_or_offset = le32(entry_stream, at);
    const std::uint16_t index_and_kind = le16(entry_stream, at + 4);
    const std::uint16_t property_index = le16(entry_stream, at + 6);
    const std::string where = "entry at offset " + std::to_string(at);
    if (property_index > 0x7FFE) {
      problems.push_back(where + ": property index " + std::to_string(property_index) + " is past 0xFFFE");
      continue;
    }
    const std::uint16_t guid_index = index_and_kind >> 1;
    mapi::NamedKey key;
    if (guid_index == 1) {
      key.property_set = kPsMapi;
    } else if (guid_index == 2) {
      key.property_set = mapi::Guid::fromFields(0x00020329, 0x0000, 0x0000,
                                                {0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46});
    } else if (guid_index >= 3 && (static_cast<std::size_t>(guid_index) - 2) * 16 <= guid_stream.size()) {
      const std::size_t from = (static_cast<std::size_t>(guid_index) - 3) * 16;
      for (std::size_t i = 0; i < 16; ++i) key.property_set.bytes[i] = guid_stream[from + i];
    } else {
      problems.push_back(where + ": GUID index " + std::to_string(guid_index) + " is not in the GUID stream (" +
                         std::to_string(guid_stream.size() / 16) + " GUIDs)");
      continue;
    }
    if ((index_and_kind & 1) == 0) {
      key.name = name_or_offset;
    } else {
      const std::size_t offset = name_or_offset;
      if (offset > string_stream.size() || string_stream.size() - offset < 4) {
        problems.push_back(where + ": string offset " + std::to_string(offset) + " is outside the string stream");
        continue;
      }
      const std::size_t length = le32(string_stream, offset);
      if (length > string_stream.size() - offset - 4) {
        problems.push_back(where + ": string of " + std::to_string(length) + " bytes at offset " +
                           std::to_string(offset) + " runs past the string stream");
        continue;
      }
      std::string name = mapi::utf16LeToUtf8(string_stream.subspan(offset + 4, length));
      name.resize(std::string_view(name.c_str()).size());
      key.name = std::move(name);
    }
    map.insert_or_assign(static_cast<std::uint16_t>(0x8000 + property_index), std::move(key));
  }
  return map;
}

std::uint32_t string8Codepage(std::optional<std::int32_t> message_codepage, std::optional<std::int32_t> locale_id,
                              std::optional<std::int32_t> internet_codepage) {
  std::optional<std::uint32_t> from_locale;
  if (locale_id && *locale_id > 0) from_locale = ansiCodepageOfLocale(static_cast<std::uint32_t>(*locale_id));
  // The locale comes before the internet code page, which names the MIME charset the mail
  // travelled in, not the code page the 8-bit values were written in.
  if (from_locale && !(message_codepage && *message_codepage > 0)) return *from_locale;
  return static_cast<std::uint32_t>(
      mapi::string8Codepage(message_codepage, internet_codepage, static_cast<int>(from_locale.value_or(1252))));
}

std::string string8ToUtf8(std::span<const std::uint8_t> bytes, std::uint32_t codepage, bool* known) {
  std::size_t length = 0;
  while (length < bytes.size() && bytes[length] != 0) ++length;
  if (known != nullptr) *known = true;
  auto text = mapi::decodeCodepage(bytes.first(length), static_cast<int>(codepage));
  if (text) return std::move(text).value();
  if (known != nullptr) *known = false;
  auto fallback = mapi::decodeCodepage(bytes.first(length), mapi::kDefaultCodepage);
  return fallback ? std::move(fallback).value() : std::string();
}

std::string valueStreamName(std::uint16_t id, std::uint16_t type, std::optional<std::uint32_t> index) {
  char name[40];
  if (index) {
    std::snprintf(name, sizeof name, "__substg1.0_%04X%04X-%08X", static_cast<unsigned>(id),
                  static_cast<unsigned>(type), static_cast<unsigned>(*index));
  } else {
    std::snprintf(name, sizeof name, "__substg1.0_%04X%04X", static_cast<unsigned>(id), static_cast<unsigned>(type));
  }
  return name;
}

}  // namespace m2z::readers::msg
