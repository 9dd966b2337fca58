#include "pstgen/property.h"

#include <bit>
#include <cctype>
#include <cstdio>
#include <iterator>

namespace m2z::pstgen {

namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Guid guidOf(const char* text) { return *Guid::parse(text); }

std::uint64_t splitMix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

constexpr const char* kWords[] = {"calendar", "meeting", "agenda",  "project", "review", "budget",  "team",
                                  "quarterly", "planning", "notes",  "travel",  "office", "client",  "status",
                                  "update",    "weekly",  "design", "release", "lunch",  "workshop", "call"};

}  // namespace

std::optional<Guid> Guid::parse(std::string_view text) {
  if (text.size() == 38 && text.front() == '{' && text.back() == '}') text = text.substr(1, 36);
  if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-') return std::nullopt;
  std::array<std::uint8_t, 16> canonical{};  // in text order
  std::size_t out = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '-') {
      ++i;
      continue;
    }
    const int high = hexValue(text[i]);
    const int low = i + 1 < text.size() ? hexValue(text[i + 1]) : -1;
    if (high < 0 || low < 0 || out >= 16) return std::nullopt;
    canonical[out++] = static_cast<std::uint8_t>(high * 16 + low);
    i += 2;
  }
  if (out != 16) return std::nullopt;
  Guid guid;
  // Data1 (4 bytes), Data2, Data3 (2 bytes each) are stored little-endian.
  const int order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
  for (int i = 0; i < 16; ++i) guid.bytes[static_cast<std::size_t>(i)] = canonical[static_cast<std::size_t>(order[i])];
  return guid;
}

std::string Guid::toString() const {
  const int order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
  std::string out = "{";
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02X", bytes[static_cast<std::size_t>(order[i])]);
    out += hex;
  }
  return out + "}";
}

Guid psMapi() { return guidOf("{00020328-0000-0000-C000-000000000046}"); }
Guid psPublicStrings() { return guidOf("{00020329-0000-0000-C000-000000000046}"); }
Guid psetidAppointment() { return guidOf("{00062002-0000-0000-C000-000000000046}"); }
Guid psetidMeeting() { return guidOf("{6ED8DA90-450B-101B-98DA-00AA003F1305}"); }
Guid psetidCommon() { return guidOf("{00062008-0000-0000-C000-000000000046}"); }
Guid psetidAddress() { return guidOf("{00062004-0000-0000-C000-000000000046}"); }
Guid psetidTask() { return guidOf("{00062003-0000-0000-C000-000000000046}"); }

bool isInlineType(std::uint16_t type) {
  return type == ptype::kInteger16 || type == ptype::kInteger32 || type == ptype::kFloating32 ||
         type == ptype::kErrorCode || type == ptype::kBoolean;
}

std::size_t tableCellSize(std::uint16_t type) {
  switch (type) {
    case ptype::kInteger16: return 2;
    case ptype::kBoolean: return 1;
    case ptype::kFloating64:
    case ptype::kCurrency:
    case ptype::kFloatingTime:
    case ptype::kInteger64:
    case ptype::kTime: return 8;
    default: return 4;
  }
}

bool isKnownType(std::uint16_t type) {
  switch (type) {
    case ptype::kInteger16: case ptype::kInteger32: case ptype::kFloating32: case ptype::kFloating64:
    case ptype::kCurrency: case ptype::kFloatingTime: case ptype::kErrorCode: case ptype::kBoolean:
    case ptype::kObject: case ptype::kInteger64: case ptype::kString8: case ptype::kString: case ptype::kTime:
    case ptype::kGuid: case ptype::kBinary: case ptype::kMultipleInteger32: case ptype::kMultipleString:
    case ptype::kMultipleBinary: return true;
    default: return false;
  }
}

ContentFiller::ContentFiller(const GeneratedContent& content)
    : state_(content.seed), total_(content.storedSize()), text_(content.text) {}

Bytes ContentFiller::next(std::size_t max_bytes) {
  const std::uint64_t remaining = total_ - produced_;
  const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, max_bytes));
  Bytes out(want);
  std::size_t filled = 0;
  if (!text_) {
    while (filled < want) {
      const std::uint64_t value = splitMix(state_);
      for (int i = 0; i < 8 && filled < want; ++i) out[filled++] = static_cast<std::uint8_t>(value >> (8 * i));
    }
  } else {
    // Two bytes per character; `want` is even because the total and every request are.
    while (filled + 1 < want) {
      if (word_position_ == word_.size()) {
        const std::uint64_t pick = splitMix(state_);
        word_ = kWords[pick % std::size(kWords)];
        word_ += (pick >> 32) % 12 == 0 ? "\r\n" : " ";
        word_position_ = 0;
      }
      out[filled++] = static_cast<std::uint8_t>(word_[word_position_++]);
      out[filled++] = 0;
    }
    out.resize(filled);
  }
  produced_ += out.size();
  return out;
}

std::string generatedText(const GeneratedContent& content) {
  ContentFiller filler(content);
  std::string text;
  while (!filler.done()) {
    const Bytes chunk = filler.next(65536);
    for (std::size_t i = 0; i + 1 < chunk.size(); i += 2) text.push_back(static_cast<char>(chunk[i]));
  }
  return text;
}

Bytes encodeInt16(std::int16_t value) {
  Bytes out;
  putU16(out, static_cast<std::uint16_t>(value));
  return out;
}

Bytes encodeInt32(std::int32_t value) {
  Bytes out;
  putU32(out, static_cast<std::uint32_t>(value));
  return out;
}

Bytes encodeInt64(std::int64_t value) {
  Bytes out;
  putU64(out, static_cast<std::uint64_t>(value));
  return out;
}

Bytes encodeBool(bool value) { return Bytes{static_cast<std::uint8_t>(value ? 1 : 0)}; }

Bytes encodeDouble(double value) {
  Bytes out;
  putU64(out, std::bit_cast<std::uint64_t>(value));
  return out;
}

Bytes encodeFileTime(std::uint64_t filetime) {
  Bytes out;
  putU64(out, filetime);
  return out;
}

Bytes encodeString(std::string_view utf8) { return utf16le(utf8); }

Bytes encodeMultiBinary(const std::vector<Bytes>& values) {
  // ulCount, rgulDataOffsets[ulCount] (from the start of the value), then the items back to back.
  Bytes out;
  putU32(out, static_cast<std::uint32_t>(values.size()));
  std::uint32_t offset = static_cast<std::uint32_t>(4 + 4 * values.size());
  for (const Bytes& value : values) {
    putU32(out, offset);
    offset += static_cast<std::uint32_t>(value.size());
  }
  for (const Bytes& value : values) putBytes(out, value);
  return out;
}

Bytes encodeMultiString(const std::vector<std::string>& utf8_values) {
  std::vector<Bytes> encoded;
  encoded.reserve(utf8_values.size());
  for (const std::string& value : utf8_values) encoded.push_back(utf16le(value));
  return encodeMultiBinary(encoded);
}

Bytes encodeMultiInt32(const std::vector<std::int32_t>& values) {
  Bytes out;
  for (const std::int32_t value : values) putU32(out, static_cast<std::uint32_t>(value));
  return out;
}

std::uint64_t fileTimeFromUnix(std::int64_t unix_seconds) {
  constexpr std::int64_t kEpochDifference = 11644473600;  // seconds from 1601-01-01 to 1970-01-01
  return static_cast<std::uint64_t>(unix_seconds + kEpochDifference) * 10000000ull;
}

Property tagged(std::uint16_t id, std::uint16_t type, Bytes value) {
  Property property;
  property.id = id;
  property.type = type;
  property.value = std::move(value);
  return property;
}

Property named(PropertyName name, std::uint16_t type, Bytes value) {
  Property property;
  property.name = std::move(name);
  property.type = type;
  property.value = std::move(value);
  return property;
}

}  // namespace m2z::pstgen
