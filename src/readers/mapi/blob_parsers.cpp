#include "readers/mapi/blob_parsers.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

#include "readers/mapi/byte_reader.h"

namespace m2z::readers::mapi {

namespace {

// A SYSTEMTIME ([MS-DTYP] 2.3.13) in "relative" form: wDay is the week of the month (5 = last).
std::optional<model::TransitionDate> readTransition(ByteReader& reader, std::string_view field) {
  const std::size_t at = reader.offset();
  std::array<std::uint16_t, 8> words{};
  for (auto& word : words) {
    const auto value = reader.u16(field);
    if (!value) return std::nullopt;
    word = *value;
  }
  // words: wYear, wMonth, wDayOfWeek, wDay, wHour, wMinute, wSecond, wMilliseconds
  model::TransitionDate date{words[1], words[3], words[2], words[4], words[5], words[6]};
  if (date.month == 0) return model::TransitionDate{};  // no transition: the rest is meaningless
  if (date.month > 12) {
    reader.invalid(field, at, "has month " + std::to_string(date.month));
    return std::nullopt;
  }
  if (date.day_of_week > 6 || date.week < 1 || date.week > 5 || date.hour > 23 || date.minute > 59 ||
      date.second > 59) {
    reader.invalid(field, at,
                   "is not a valid transition (week " + std::to_string(date.week) + ", weekday " +
                       std::to_string(date.day_of_week) + ", " + std::to_string(date.hour) + ":" +
                       std::to_string(date.minute) + ":" + std::to_string(date.second) + ")");
    return std::nullopt;
  }
  return date;
}

// lBias, lStandardBias, lDaylightBias: the TZREG fields shared by TZRule and PidLidTimeZoneStruct.
bool readBiases(ByteReader& reader, model::TimeZoneRule& rule) {
  const auto bias = reader.i32("lBias");
  const auto standard_bias = reader.i32("lStandardBias");
  const auto daylight_bias = reader.i32("lDaylightBias");
  if (!bias || !standard_bias || !daylight_bias) return false;
  // Real zones are within +-14 h; anything far outside is garbage, not a zone.
  constexpr std::int32_t kMaxBiasMinutes = 24 * 60;
  for (const std::int32_t value : {*bias, *standard_bias, *daylight_bias}) {
    if (value < -kMaxBiasMinutes || value > kMaxBiasMinutes) {
      reader.invalid("bias", reader.offset() - 12, "holds " + std::to_string(value) + " minutes");
      return false;
    }
  }
  rule.bias = *bias;
  rule.standard_bias = *standard_bias;
  rule.daylight_bias = *daylight_bias;
  return true;
}

constexpr std::uint8_t kTzVersionMajor = 0x02;
constexpr std::uint8_t kTzVersionMinor = 0x01;
constexpr std::uint16_t kTzDefinitionFlagValidGuid = 0x0001;
constexpr std::uint16_t kTzDefinitionFlagValidKeyName = 0x0002;
constexpr std::uint16_t kTzRuleFlagEffective = 0x0002;
// A TZRule after its cbRule field: flags, stStart, three biases, two SYSTEMTIMEs.
constexpr std::size_t kTzRuleBodySize = 2 + 16 + 12 + 16 + 16;

constexpr std::array<std::uint8_t, 16> kGlobalObjectIdArrayId = {0x04, 0x00, 0x00, 0x00, 0x82, 0x00, 0xE0, 0x00,
                                                                 0x74, 0xC5, 0xB7, 0x10, 0x1A, 0x82, 0xE0, 0x08};
constexpr std::size_t kGlobalObjectIdHeaderSize = 16 + 4 + 8 + 8 + 4;
constexpr std::size_t kInstanceDateOffset = 16;
constexpr std::string_view kVCalUidMarker = "vCal-Uid";
constexpr std::array<std::uint8_t, 4> kVCalUidVersion = {0x01, 0x00, 0x00, 0x00};

bool isValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    if (byte < 0x80) {
      ++i;
      continue;
    } else if (byte >= 0xC2 && byte <= 0xDF) {
      length = 2;
      code_point = byte & 0x1Fu;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
      length = 3;
      code_point = byte & 0x0Fu;
    } else if (byte >= 0xF0 && byte <= 0xF4) {
      length = 4;
      code_point = byte & 0x07u;
    } else {
      return false;
    }
    if (text.size() - i < length) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = code_point << 6 | (next & 0x3Fu);
    }
    const bool overlong = (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
    if (overlong || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

void appendUtf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

}  // namespace

std::string utf16LeToUtf8(std::span<const std::uint8_t> bytes) {
  constexpr std::uint32_t kReplacement = 0xFFFD;
  std::string out;
  out.reserve(bytes.size());
  const std::size_t units = bytes.size() / 2;
  for (std::size_t i = 0; i < units; ++i) {
    const std::uint32_t unit = bytes[2 * i] | static_cast<std::uint32_t>(bytes[2 * i + 1]) << 8;
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 1 < units) {
      const std::uint32_t low = bytes[2 * i + 2] | static_cast<std::uint32_t>(bytes[2 * i + 3]) << 8;
      if (low >= 0xDC00 && low <= 0xDFFF) {
        appendUtf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
        ++i;
        continue;
      }
    }
    appendUtf8(out, (unit >= 0xD800 && unit <= 0xDFFF) ? kReplacement : unit);
  }
  return out;
}

Result<model::TimeZoneDefinition> parseTimeZoneDefinition(std::span<const std::uint8_t> blob,
                                                          std::string_view property) {
  ByteReader reader(blob, property);
  model::TimeZoneDefinition definition;
  definition.source_property = std::string(property);

  const auto major = reader.u8("Major Version");
  const auto minor = reader.u8("Minor Version");
  const auto header_size = reader.u16("cbHeader");
  if (reader.failed()) return reader.error();
  // A different major version is a breaking change we cannot read; a newer minor version only
  // appends data, which cbHeader and cbRule let us skip.
  if (*major != kTzVersionMajor) {
    reader.invalid("Major Version", 0, "is " + std::to_string(*major) + ", expected 2");
    return reader.error();
  }
  if (*minor < kTzVersionMinor) {
    reader.invalid("Minor Version", 1, "is " + std::to_string(*minor) + ", expected 1 or later");
    return reader.error();
  }
  const std::size_t header_start = reader.offset();
  const std::size_t rules_start = header_start + *header_size;
  if (rules_start > blob.size()) {
    reader.seek(rules_start, "cbHeader");
    return reader.error();
  }
  const auto flags = reader.u16("Reserved");
  if (!flags) return reader.error();
  if (*flags & kTzDefinitionFlagValidGuid) reader.take(16, "GUID");
  if (*flags & kTzDefinitionFlagValidKeyName) {
    const auto key_chars = reader.u16("cchKeyName");
    if (!key_chars) return reader.error();
    const auto key = reader.take(std::size_t{*key_chars} * 2, "KeyName");
    if (!key) return reader.error();
    definition.key_name = utf16LeToUtf8(*key);
  }
  const auto rule_count = reader.u16("cRules");
  if (!rule_count) return reader.error();
  if (reader.offset() > rules_start) {
    reader.invalid("cbHeader", 2, "is " + std::to_string(*header_size) + ", smaller than the header's own fields");
    return reader.error();
  }
  if (*rule_count == 0) {
    reader.invalid("cRules", reader.offset() - 2, "is 0; a definition needs at least one rule");
    return reader.error();
  }
  reader.seek(rules_start, "cbHeader");

  // Each rule takes at least 4 + kTzRuleBodySize bytes, so the blob bounds what we reserve.
  definition.rules.reserve(std::min<std::size_t>(*rule_count, blob.size() / (4 + kTzRuleBodySize)));
  for (std::uint16_t index = 0; index < *rule_count; ++index) {
    const std::size_t rule_start = reader.offset();
    const auto rule_major = reader.u8("TZRule Major Version");
    const auto rule_minor = reader.u8("TZRule Minor Version");
    const auto rule_size = reader.u16("TZRule Reserved (cbRule)");
    if (reader.failed()) return reader.error();
    if (*rule_major != kTzVersionMajor || *rule_minor < kTzVersionMinor) {
      reader.invalid("TZRule " + std::to_string(index) + " version", rule_start,
                     "is " + std::to_string(*rule_major) + "." + std::to_string(*rule_minor) + ", expected 2.1");
      return reader.error();
    }
    if (*rule_size < kTzRuleBodySize) {
      reader.invalid("TZRule " + std::to_string(index) + " size", rule_start + 2,
                     "is " + std::to_string(*rule_size) + ", expected at least " + std::to_string(kTzRuleBodySize));
      return reader.error();
    }
    const std::size_t next_rule = reader.offset() + *rule_size;
    model::TimeZoneRule rule;
    const auto rule_flags = reader.u16("TZRule flags");
    const auto year = reader.u16("wYear");
    reader.take(14, "X");
    if (reader.failed()) return reader.error();
    rule.effective = (*rule_flags & kTzRuleFlagEffective) != 0;
    rule.year = *year;
    if (!readBiases(reader, rule)) return reader.error();
    const auto standard = readTransition(reader, "stStandardDate");
    if (!standard) return reader.error();
    const auto daylight = readTransition(reader, "stDaylightDate");
    if (!daylight) return reader.error();
    rule.standard_date = *standard;
    rule.daylight_date = *daylight;
    definition.rules.push_back(rule);
    if (!reader.seek(next_rule, "TZRule Reserved (cbRule)")) return reader.error();
  }
  std::stable_sort(definition.rules.begin(), definition.rules.end(),
                   [](const model::TimeZoneRule& a, const model::TimeZoneRule& b) { return a.year < b.year; });
  return definition;
}

Result<model::TimeZoneDefinition> parseTimeZoneStruct(std::span<const std::uint8_t> blob, std::string_view property) {
  ByteReader reader(blob, property);
  model::TimeZoneRule rule;
  if (!readBiases(reader, rule)) return reader.error();
  reader.u16("wStandardYear");
  const auto standard = readTransition(reader, "stStandardDate");
  if (!standard) return reader.error();
  reader.u16("wDaylightYear");
  const auto daylight = readTransition(reader, "stDaylightDate");
  if (!daylight) return reader.error();
  rule.standard_date = *standard;
  rule.daylight_date = *daylight;
  rule.effective = true;  // a TZREG is the one rule in force
  model::TimeZoneDefinition definition;
  definition.rules.push_back(rule);
  definition.source_property = std::string(property);
  return definition;
}

Result<ObjectUid> uidFromGlobalObjectId(std::span<const std::uint8_t> blob, std::string_view property) {
  ByteReader reader(blob, property);
  const auto array_id = reader.take(16, "Byte Array ID");
  if (!array_id) return reader.error();
  if (!std::equal(array_id->begin(), array_id->end(), kGlobalObjectIdArrayId.begin())) {
    reader.invalid("Byte Array ID", 0, "is not 040000008200E00074C5B7101A82E008");
    return reader.error();
  }
  reader.take(4 + 8 + 8, "instance date, Creation Time and X");
  const auto data_size = reader.u32("Size");
  if (!data_size) return reader.error();
  const auto data = reader.take(*data_size, "Data");
  if (!data) return reader.error();

  if (data->size() > kVCalUidMarker.size() + kVCalUidVersion.size() &&
      std::equal(kVCalUidMarker.begin(), kVCalUidMarker.end(), data->begin()) &&
      std::equal(kVCalUidVersion.begin(), kVCalUidVersion.end(), data->begin() + kVCalUidMarker.size())) {
    const auto external = data->subspan(kVCalUidMarker.size() + kVCalUidVersion.size());
    std::string uid(external.begin(), external.end());
    while (!uid.empty() && uid.back() == '\0') uid.pop_back();  // the UID's terminator
    // An embedded UID that is empty or not UTF-8 cannot be sent as text; the hex form below
    // still identifies the item.
    if (!uid.empty() && isValidUtf8(uid) && uid.find('\0') == std::string::npos) {
      return ObjectUid{std::move(uid), model::UidOrigin::kExternalUid};
    }
  }

  static constexpr char kHex[] = "0123456789ABCDEF";
  const std::size_t used = kGlobalObjectIdHeaderSize + data->size();
  std::string hex;
  hex.reserve(used * 2);
  for (std::size_t i = 0; i < used; ++i) {
    // The clean id has YH, YL, M and D zeroed, so every instance of a series shares one UID.
    const std::uint8_t byte = (i >= kInstanceDateOffset && i < kInstanceDateOffset + 4) ? 0 : blob[i];
    hex += kHex[byte >> 4];
    hex += kHex[byte & 0x0F];
  }
  return ObjectUid{std::move(hex), model::UidOrigin::kGlobalObjectIdHex};
}

}  // namespace m2z::readers::mapi
