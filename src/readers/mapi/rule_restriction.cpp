#include "readers/mapi/rule_restriction.h"

#include <cstdio>
#include <cstring>

#include "readers/mapi/blob_parsers.h"

namespace m2z::readers::mapi {

namespace {

std::string hex32(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08X", static_cast<unsigned>(value));
  return text;
}

std::string hexBytes(const Binary& bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string text;
  text.reserve(bytes.size() * 2);
  for (const auto byte : bytes) {
    text.push_back(kDigits[byte >> 4]);
    text.push_back(kDigits[byte & 0x0F]);
  }
  return text;
}

std::optional<std::uint32_t> readCount(ByteReader& reader, CountWidth width, std::string_view field) {
  if (width == CountWidth::k16) {
    const auto count = reader.u16(field);
    if (!count) return std::nullopt;
    return *count;
  }
  return reader.u32(field);
}

std::optional<std::int64_t> readI64(ByteReader& reader, std::string_view field) {
  const auto low = reader.u32(field);
  const auto high = reader.u32(field);
  if (!low || !high) return std::nullopt;
  const std::uint64_t bits = static_cast<std::uint64_t>(*high) << 32 | *low;
  std::int64_t value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

// A null-terminated UTF-16LE string ([MS-OXCDATA] 2.11.1 PtypString).
std::optional<std::string> readUnicodeZ(ByteReader& reader, std::string_view field) {
  Binary units;
  while (true) {
    const auto unit = reader.take(2, field);
    if (!unit) return std::nullopt;
    if ((*unit)[0] == 0 && (*unit)[1] == 0) break;
    units.insert(units.end(), unit->begin(), unit->end());
  }
  return utf16LeToUtf8(units);
}

// A null-terminated 8-bit string (PtypString8); kept byte for byte.
std::optional<std::string> readString8Z(ByteReader& reader, std::string_view field) {
  std::string text;
  while (true) {
    const auto byte = reader.u8(field);
    if (!byte) return std::nullopt;
    if (*byte == 0) break;
    text.push_back(static_cast<char>(*byte));
  }
  return text;
}

std::optional<Binary> readBinary(ByteReader& reader, CountWidth width, std::string_view field) {
  const auto count = readCount(reader, width, field);
  if (!count) return std::nullopt;
  const auto bytes = reader.take(*count, field);
  if (!bytes) return std::nullopt;
  return Binary(bytes->begin(), bytes->end());
}

// Each element of a multi-value takes at least one byte, so a count beyond the remaining bytes is
// refused before anything is allocated.
std::optional<std::uint32_t> readMultiCount(ByteReader& reader, CountWidth width, std::string_view field) {
  const auto start = reader.offset();
  const auto count = readCount(reader, width, field);
  if (!count) return std::nullopt;
  if (*count > reader.size() - reader.offset()) {
    reader.invalid(field, start, "counts " + std::to_string(*count) + " values, more than the bytes left");
    return std::nullopt;
  }
  return count;
}

template <class T, class ReadOne>
std::optional<std::vector<T>> readMulti(ByteReader& reader, CountWidth width, std::string_view field, ReadOne read_one) {
  const auto count = readMultiCount(reader, width, field);
  if (!count) return std::nullopt;
  std::vector<T> values;
  for (std::uint32_t i = 0; i < *count; ++i) {
    auto value = read_one();
    if (!value) return std::nullopt;
    values.push_back(std::move(*value));
  }
  return values;
}

}  // namespace

std::optional<RuleValue> readValue(ByteReader& reader, std::uint32_t tag, CountWidth width) {
  RuleValue result;
  result.tag = tag;
  const auto type = static_cast<std::uint16_t>(tag & 0xFFFF);
  const std::size_t at = reader.offset();
  switch (type) {
    case 0x0001:  // PtypNull
      return result;
    case 0x0002: {  // PtypInteger16
      const auto value = reader.u16("PtypInteger16 value");
      if (!value) return std::nullopt;
      result.value = static_cast<std::int64_t>(static_cast<std::int16_t>(*value));
      return result;
    }
    case 0x0003:    // PtypInteger32
    case 0x000A: {  // PtypErrorCode
      const auto value = reader.i32("PtypInteger32 value");
      if (!value) return std::nullopt;
      result.value = static_cast<std::int64_t>(*value);
      return result;
    }
    case 0x0004: {  // PtypFloating32
      const auto bits = reader.u32("PtypFloating32 value");
      if (!bits) return std::nullopt;
      float value;
      std::memcpy(&value, &*bits, sizeof value);
      result.value = static_cast<double>(value);
      return result;
    }
    case 0x0005:    // PtypFloating64
    case 0x0007: {  // PtypFloatingTime
      const auto bits = readI64(reader, "PtypFloating64 value");
      if (!bits) return std::nullopt;
      double value;
      std::memcpy(&value, &*bits, sizeof value);
      result.value = value;
      return result;
    }
    case 0x0006:    // PtypCurrency
    case 0x0014:    // PtypInteger64
    case 0x0040: {  // PtypTime (FILETIME ticks)
      const auto value = readI64(reader, "PtypInteger64 value");
      if (!value) return std::nullopt;
      result.value = *value;
      return result;
    }
    case 0x000B: {  // PtypBoolean: one byte in these buffers
      const auto value = reader.u8("PtypBoolean value");
      if (!value) return std::nullopt;
      result.value = *value != 0;
      return result;
    }
    case 0x001E: {
      auto value = readString8Z(reader, "PtypString8 value");
      if (!value) return std::nullopt;
      result.value = std::move(*value);
      return result;
    }
    case 0x001F: {
      auto value = readUnicodeZ(reader, "PtypString value");
      if (!value) return std::nullopt;
      result.value = std::move(*value);
      return result;
    }
    case 0x0048: {  // PtypGuid
      const auto bytes = reader.take(16, "PtypGuid value");
      if (!bytes) return std::nullopt;
      result.value = Binary(bytes->begin(), bytes->end());
      return result;
    }
    case 0x00FB:    // PtypServerId: always a 2-byte count
    {
      auto value = readBinary(reader, CountWidth::k16, "PtypServerId value");
      if (!value) return std::nullopt;
      result.value = std::move(*value);
      return result;
    }
    case 0x0102: {
      auto value = readBinary(reader, width, "PtypBinary value");
      if (!value) return std::nullopt;
      result.value = std::move(*value);
      return result;
    }
    case 0x1002:
    case 0x1003:
    case 0x1014:
    case 0x1040: {
      const std::size_t size = type == 0x1002 ? 2 : type == 0x1003 ? 4 : 8;
      auto values = readMulti<std::int64_t>(reader, width, "multi-valued integer", [&]() -> std::optional<std::int64_t> {
        if (size == 2) {
          const auto v = reader.u16("PtypMultipleInteger16 value");
          if (!v) return std::nullopt;
          return static_cast<std::int64_t>(static_cast<std::int16_t>(*v));
        }
        if (size == 4) {
          const auto v = reader.i32("PtypMultipleInteger32 value");
          if (!v) return std::nullopt;
          return static_cast<std::int64_t>(*v);
        }
        return readI64(reader, "PtypMultipleInteger64 value");
      });
      if (!values) return std::nullopt;
      result.value = std::move(*values);
      return result;
    }
    case 0x101E:
    case 0x101F: {
      auto values = readMulti<std::string>(reader, width, "multi-valued string", [&] {
        return type == 0x101F ? readUnicodeZ(reader, "PtypMultipleString value")
                              : readString8Z(reader, "PtypMultipleString8 value");
      });
      if (!values) return std::nullopt;
      result.value = std::move(*values);
      return result;
    }
    case 0x1102: {
      auto values = readMulti<Binary>(reader, width, "multi-valued binary",
                                      [&] { return readBinary(reader, width, "PtypMultipleBinary value"); });
      if (!values) return std::nullopt;
      result.value = std::move(*values);
      return result;
    }
    default:
      reader.invalid("property value", at, "has type " + hex32(type) + ", which rule buffers do not use");
      return std::nullopt;
  }
}

std::optional<RuleValue> readTaggedValue(ByteReader& reader, CountWidth width) {
  const auto tag = reader.u32("PropertyTag");
  if (!tag) return std::nullopt;
  return readValue(reader, *tag, width);
}

std::optional<Restriction> readRestriction(ByteReader& reader, CountWidth width, int depth) {
  const std::size_t at = reader.offset();
  if (depth > kMaxRestrictionDepth) {
    reader.invalid("restriction", at, "nests deeper than " + std::to_string(kMaxRestrictionDepth) + " levels");
    return std::nullopt;
  }
  const auto type = reader.u8("RestrictType");
  if (!type) return std::nullopt;
  Restriction result;
  result.type = static_cast<RestrictionType>(*type);
  switch (result.type) {
    case RestrictionType::kAnd:
    case RestrictionType::kOr: {
      const auto count_at = reader.offset();
      const auto count = readCount(reader, width, "RestrictCount");
      if (!count) return std::nullopt;
      // Each operand takes at least one byte.
      if (*count > reader.size() - reader.offset()) {
        reader.invalid("RestrictCount", count_at, "is " + std::to_string(*count) + ", more than the bytes left");
        return std::nullopt;
      }
      for (std::uint32_t i = 0; i < *count; ++i) {
        auto child = readRestriction(reader, width, depth + 1);
        if (!child) return std::nullopt;
        result.children.push_back(std::move(*child));
      }
      return result;
    }
    case RestrictionType::kNot: {
      auto child = readRestriction(reader, width, depth + 1);
      if (!child) return std::nullopt;
      result.children.push_back(std::move(*child));
      return result;
    }
    case RestrictionType::kContent: {
      const auto low = reader.u16("FuzzyLevelLow");
      const auto high = reader.u16("FuzzyLevelHigh");
      const auto tag = reader.u32("PropertyTag");
      if (!low || !high || !tag) return std::nullopt;
      result.fuzzy_low = *low;
      result.fuzzy_high = *high;
      result.tag = *tag;
      result.value = readTaggedValue(reader, width);
      if (!result.value) return std::nullopt;
      return result;
    }
    case RestrictionType::kProperty: {
      const auto rel_op = reader.u8("RelOp");
      const auto tag = reader.u32("PropTag");
      if (!rel_op || !tag) return std::nullopt;
      result.rel_op = *rel_op;
      result.tag = *tag;
      result.value = readTaggedValue(reader, width);
      if (!result.value) return std::nullopt;
      return result;
    }
    case RestrictionType::kCompareProps: {
      const auto rel_op = reader.u8("RelOp");
      const auto tag1 = reader.u32("PropTag1");
      const auto tag2 = reader.u32("PropTag2");
      if (!rel_op || !tag1 || !tag2) return std::nullopt;
      result.rel_op = *rel_op;
      result.tag = *tag1;
      result.tag2 = *tag2;
      return result;
    }
    case RestrictionType::kBitmask:
    case RestrictionType::kSize: {
      const auto rel_op = reader.u8("RelOp");
      const auto tag = reader.u32("PropTag");
      const auto number = reader.u32(result.type == RestrictionType::kBitmask ? "Mask" : "Size");
      if (!rel_op || !tag || !number) return std::nullopt;
      result.rel_op = *rel_op;
      result.tag = *tag;
      result.number = *number;
      return result;
    }
    case RestrictionType::kExist: {
      const auto tag = reader.u32("PropTag");
      if (!tag) return std::nullopt;
      result.tag = *tag;
      return result;
    }
    case RestrictionType::kSubRestriction: {
      const auto subobject = reader.u32("SubObject");
      if (!subobject) return std::nullopt;
      result.tag = *subobject;
      auto child = readRestriction(reader, width, depth + 1);
      if (!child) return std::nullopt;
      result.children.push_back(std::move(*child));
      return result;
    }
    case RestrictionType::kComment: {
      const auto count = reader.u8("TaggedValuesCount");
      if (!count) return std::nullopt;
      for (int i = 0; i < *count; ++i) {
        auto value = readTaggedValue(reader, width);
        if (!value) return std::nullopt;
        result.comment_values.push_back(std::move(*value));
      }
      const auto present = reader.u8("RestrictionPresent");
      if (!present) return std::nullopt;
      if (*present != 0) {
        auto child = readRestriction(reader, width, depth + 1);
        if (!child) return std::nullopt;
        result.children.push_back(std::move(*child));
      }
      return result;
    }
    case RestrictionType::kCount: {
      const auto count = reader.u32("Count");
      if (!count) return std::nullopt;
      result.number = *count;
      auto child = readRestriction(reader, width, depth + 1);
      if (!child) return std::nullopt;
      result.children.push_back(std::move(*child));
      return result;
    }
  }
  reader.invalid("RestrictType", at, "is " + std::to_string(*type) + ", not a restriction type");
  return std::nullopt;
}

Result<Restriction> parseRestriction(std::span<const std::uint8_t> data, CountWidth width, std::string_view property) {
  ByteReader reader(data, property);
  auto restriction = readRestriction(reader, width);
  if (!restriction) return reader.error();
  if (reader.offset() != reader.size()) {
    return Error{"mapi.blob.invalid",
                 std::string(property) + ": " + std::to_string(reader.size() - reader.offset()) +
                     " byte(s) after the restriction",
                 std::string(property)};
  }
  return std::move(*restriction);
}

std::string describeTag(std::uint32_t tag, std::span<const NamedPropertyName> named) {
  const auto id = static_cast<std::uint16_t>(tag >> 16);
  if (id >= 0x8000) {
    for (const auto& name : named) {
      if (name.id != id) continue;
      if (const auto* text = std::get_if<std::string>(&name.name)) return name.property_set.toString() + "/" + *text;
      char lid[16];
      std::snprintf(lid, sizeof lid, "0x%04X", static_cast<unsigned>(std::get<std::uint32_t>(name.name)));
      return name.property_set.toString() + "/" + lid;
    }
    return hex32(tag);
  }
  switch (id) {
    case 0x0017: return "PidTagImportance";
    case 0x0036: return "PidTagSensitivity";
    case 0x0037: return "PidTagSubject";
    case 0x0042: return "PidTagSentRepresentingName";
    case 0x0057: return "PidTagMessageToMe";
    case 0x0058: return "PidTagMessageCcMe";
    case 0x0065: return "PidTagSentRepresentingEmailAddress";
    case 0x007D: return "PidTagTransportMessageHeaders";
    case 0x0C15: return "PidTagRecipientType";
    case 0x0C19: return "PidTagSenderEntryId";
    case 0x0C1A: return "PidTagSenderName";
    case 0x0C1D: return "PidTagSenderSearchKey";
    case 0x0C1F: return "PidTagSenderEmailAddress";
    case 0x0E03: return "PidTagDisplayCc";
    case 0x0E04: return "PidTagDisplayTo";
    case 0x0E07: return "PidTagMessageFlags";
    case 0x0E08: return "PidTagMessageSize";
    case 0x0E12: return "PidTagMessageRecipients";
    case 0x0E13: return "PidTagMessageAttachments";
    case 0x0E1D: return "PidTagNormalizedSubject";
    case 0x1000: return "PidTagBody";
    case 0x1090: return "PidTagFlagStatus";
    case 0x3001: return "PidTagDisplayName";
    case 0x3003: return "PidTagEmailAddress";
    case 0x300B: return "PidTagSearchKey";
    case 0x39FE: return "PidTagSmtpAddress";
    case 0x4076: return "PidTagContentFilterSpamConfidenceLevel";
    case 0x5D01: return "PidTagSenderSmtpAddress";
    default: return hex32(tag);
  }
}

std::string describeValue(const RuleValue& value) {
  struct Visitor {
    std::string operator()(std::monostate) const { return "null"; }
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(double v) const { return std::to_string(v); }
    std::string operator()(const std::string& v) const { return "\"" + v + "\""; }
    std::string operator()(const Binary& v) const { return "0x" + hexBytes(v); }
    std::string operator()(const std::vector<std::int64_t>& v) const {
      std::string text = "[";
      for (std::size_t i = 0; i < v.size(); ++i) text += (i ? "," : "") + std::to_string(v[i]);
      return text + "]";
    }
    std::string operator()(const std::vector<std::string>& v) const {
      std::string text = "[";
      for (std::size_t i = 0; i < v.size(); ++i) text += (i ? ",\"" : "\"") + v[i] + "\"";
      return text + "]";
    }
    std::string operator()(const std::vector<Binary>& v) const {
      std::string text = "[";
      for (std::size_t i = 0; i < v.size(); ++i) text += (i ? ",0x" : "0x") + hexBytes(v[i]);
      return text + "]";
    }
  };
  return std::visit(Visitor{}, value.value);
}

namespace {

const char* relOpText(std::uint8_t rel_op) {
  switch (rel_op) {
    case kRelOpLt: return "<";
    case kRelOpLe: return "<=";
    case kRelOpGt: return ">";
    case kRelOpGe: return ">=";
    case kRelOpEq: return "==";
    case kRelOpNe: return "!=";
    case 0x06: return "like";
    case 0x64: return "member-of-dl";
    default: return "?";
  }
}

std::string fuzzyText(std::uint16_t low, std::uint16_t high) {
  std::string text = low == kFlSubstring ? "contains" : low == kFlPrefix ? "starts-with" : "equals";
  if (high & 0x0001) text += "/ignore-case";
  if (high & 0x0002) text += "/ignore-space";
  if (high & 0x0004) text += "/loose";
  return text;
}

}  // namespace

std::string describe(const Restriction& restriction, std::span<const NamedPropertyName> named) {
  const auto children = [&](const char* op) {
    std::string text = std::string(op) + "(";
    for (std::size_t i = 0; i < restriction.children.size(); ++i) {
      text += (i ? ", " : "") + describe(restriction.children[i], named);
    }
    return text + ")";
  };
  switch (restriction.type) {
    case RestrictionType::kAnd: return children("AND");
    case RestrictionType::kOr: return children("OR");
    case RestrictionType::kNot: return children("NOT");
    case RestrictionType::kContent:
      return describeTag(restriction.tag, named) + " " + fuzzyText(restriction.fuzzy_low, restriction.fuzzy_high) +
             " " + (restriction.value ? describeValue(*restriction.value) : "");
    case RestrictionType::kProperty:
      return describeTag(restriction.tag, named) + " " + relOpText(restriction.rel_op) + " " +
             (restriction.value ? describeValue(*restriction.value) : "");
    case RestrictionType::kCompareProps:
      return describeTag(restriction.tag, named) + " " + relOpText(restriction.rel_op) + " " +
             describeTag(restriction.tag2, named);
    case RestrictionType::kBitmask:
      return describeTag(restriction.tag, named) + " & " + hex32(restriction.number) +
             (restriction.rel_op == kBmrEqz ? " == 0" : " != 0");
    case RestrictionType::kSize:
      return "size(" + describeTag(restriction.tag, named) + ") " + relOpText(restriction.rel_op) + " " +
             std::to_string(restriction.number);
    case RestrictionType::kExist: return "EXISTS(" + describeTag(restriction.tag, named) + ")";
    case RestrictionType::kSubRestriction: return "SUB[" + describeTag(restriction.tag, named) + "]" + children("");
    case RestrictionType::kComment: {
      std::string text = "COMMENT[";
      for (std::size_t i = 0; i < restriction.comment_values.size(); ++i) {
        text += (i ? ", " : "") + describeTag(restriction.comment_values[i].tag, named) + "=" +
                describeValue(restriction.comment_values[i]);
      }
      return text + "]" + children("");
    }
    case RestrictionType::kCount: return "COUNT[" + std::to_string(restriction.number) + "]" + children("");
  }
  return "?";
}

}  // namespace m2z::readers::mapi
