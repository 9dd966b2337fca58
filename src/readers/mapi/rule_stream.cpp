#include "readers/mapi/rule_stream.h"

#include "readers/mapi/blob_parsers.h"
#include "readers/mapi/byte_reader.h"

namespace m2z::readers::mapi {

namespace {

struct KnownVersion {
  std::uint32_t signature;
  const char* name;
  bool has_flags;  // a second 4-byte word, and a ninth unknown word before the count
  bool unicode;
};

// Version stamps Outlook writes first in the stream (decimal dates or version numbers).
constexpr KnownVersion kVersions[] = {
    {1310720, "2019", true, true}, {1200000, "2007", true, true}, {1100000, "2003", true, true},
    {1000000, "2002", true, true}, {980413, "2000", false, false}, {970812, "98", false, false},
};

// An MFC-style counted string: a 1-byte length, or 0xFF then a 2-byte length; the length counts
// characters (UTF-16 units for Unicode streams).
std::optional<std::string> readCountedString(ByteReader& reader, bool unicode) {
  const auto short_length = reader.u8("name length");
  if (!short_length) return std::nullopt;
  std::size_t length = *short_length;
  if (length == 0xFF) {
    const auto long_length = reader.u16("name length");
    if (!long_length) return std::nullopt;
    length = *long_length;
  }
  const auto bytes = reader.take(unicode ? length * 2 : length, "rule name");
  if (!bytes) return std::nullopt;
  return unicode ? utf16LeToUtf8(*bytes) : std::string(bytes->begin(), bytes->end());
}

}  // namespace

Result<RulesStreamHeader> parseRulesStreamHeader(std::span<const std::uint8_t> data, std::string_view property) {
  ByteReader reader(data, property);
  RulesStreamHeader header;
  const auto signature = reader.u32("signature");
  if (!signature) return reader.error();
  const KnownVersion* version = nullptr;
  for (const auto& known : kVersions) {
    if (known.signature == *signature) version = &known;
  }
  if (version != nullptr) {
    header.signature = *signature;
    header.outlook_version = version->name;
    header.unicode = version->unicode;
    // flags (2002+), eight unknown words, and a ninth one (2002+).
    const std::size_t skip = (version->has_flags ? 4 : 0) + 32 + (version->has_flags ? 4 : 0);
    if (!reader.take(skip, "header")) return reader.error();
  } else if (*signature == 0) {
    // Outlook 2003 without a stamp: the zero just read and eight more words; names are 8-bit
    // (NoSignatureFromOutlook2003.rwz).
    header.outlook_version = "2003";
    if (!reader.take(32, "header")) return reader.error();
  } else {
    // Outlook 97: no header at all, the rule count comes first.
    header.outlook_version = "97";
    if (!reader.seek(0, "header")) return reader.error();
  }
  const auto count = reader.u16("rule count");
  if (!count) return reader.error();
  header.rule_count = *count;
  if (header.rule_count > 0) {
    if (header.unicode && !reader.take(4, "rule stamp")) return reader.error();
    auto name = readCountedString(reader, header.unicode);
    if (!name) return reader.error();
    header.first_rule_name = std::move(*name);
  }
  return header;
}

}  // namespace m2z::readers::mapi
