// MAPI properties as the writer stores them: tag or name, type, and the value's bytes exactly as
// they go into a PST ([MS-OXCDATA] 2.11.1 types, [MS-PST] 2.3.3.4 multi-valued layouts).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pstgen/bytes.h"

namespace m2z::pstgen {

// A GUID as stored: Data1..Data3 little-endian, Data4 as is.
struct Guid {
  std::array<std::uint8_t, 16> bytes{};
  auto operator<=>(const Guid&) const = default;
  // "{00062002-0000-0000-C000-000000000046}", braces optional, any case.
  static std::optional<Guid> parse(std::string_view text);
  std::string toString() const;
};

// Property sets ([MS-OXPROPS] 1.3.2).
Guid psMapi();
Guid psPublicStrings();
Guid psetidAppointment();
Guid psetidMeeting();
Guid psetidCommon();
Guid psetidAddress();
Guid psetidTask();

struct PropertyName {
  Guid set;
  std::optional<std::uint32_t> lid;  // numeric name (LID); otherwise `name`
  std::string name;                  // string name, UTF-8
  auto operator<=>(const PropertyName&) const = default;
};

// Property types ([MS-OXCDATA] 2.11.1).
namespace ptype {
inline constexpr std::uint16_t kInteger16 = 0x0002;
inline constexpr std::uint16_t kInteger32 = 0x0003;
inline constexpr std::uint16_t kFloating32 = 0x0004;
inline constexpr std::uint16_t kFloating64 = 0x0005;
inline constexpr std::uint16_t kCurrency = 0x0006;
inline constexpr std::uint16_t kFloatingTime = 0x0007;
inline constexpr std::uint16_t kErrorCode = 0x000A;
inline constexpr std::uint16_t kBoolean = 0x000B;
inline constexpr std::uint16_t kObject = 0x000D;
inline constexpr std::uint16_t kInteger64 = 0x0014;
inline constexpr std::uint16_t kString8 = 0x001E;
inline constexpr std::uint16_t kString = 0x001F;
inline constexpr std::uint16_t kTime = 0x0040;
inline constexpr std::uint16_t kGuid = 0x0048;
inline constexpr std::uint16_t kBinary = 0x0102;
inline constexpr std::uint16_t kMultipleInteger32 = 0x1003;
inline constexpr std::uint16_t kMultipleString = 0x101F;
inline constexpr std::uint16_t kMultipleBinary = 0x1102;
}  // namespace ptype

// True for types whose value sits in the 4-byte slot of a PC record itself.
bool isInlineType(std::uint16_t type);
// Size of a fixed-size value in a table row; 4 (an HNID) for everything stored on the heap.
std::size_t tableCellSize(std::uint16_t type);
// True when the type is known to the writer.
bool isKnownType(std::uint16_t type);

// Deterministic filler for large bodies and attachments, produced block by block instead of held
// in memory: ASCII words (`text`, stored as UTF-16LE, size in characters) or bytes (`binary`).
struct GeneratedContent {
  std::uint64_t size = 0;
  std::uint64_t seed = 0;
  bool text = true;
  std::uint64_t storedSize() const { return text ? size * 2 : size; }
};

// Produces the filler of a GeneratedContent piece by piece; the same seed gives the same stream.
class ContentFiller {
 public:
  explicit ContentFiller(const GeneratedContent& content);
  // The next up to `max_bytes` stored bytes (fewer only at the end).
  Bytes next(std::size_t max_bytes);
  bool done() const { return produced_ >= total_; }

 private:
  std::uint64_t state_;
  std::uint64_t total_;
  std::uint64_t produced_ = 0;
  bool text_;
  std::string word_;  // the current word (text mode)
  std::size_t word_position_ = 0;
};

// The whole filler text as UTF-8 (for expected-value files; only call it for moderate sizes).
std::string generatedText(const GeneratedContent& content);

struct Property {
  std::uint16_t id = 0;               // tagged property id; unused when `name` is set
  std::optional<PropertyName> name;   // named property, mapped through the name-to-id map
  std::uint16_t type = 0;
  Bytes value;                        // stored form
  std::optional<GeneratedContent> generated;  // instead of `value`
};

// Encoders for the stored forms.
Bytes encodeInt16(std::int16_t value);
Bytes encodeInt32(std::int32_t value);
Bytes encodeInt64(std::int64_t value);
Bytes encodeBool(bool value);
Bytes encodeDouble(double value);
Bytes encodeFileTime(std::uint64_t filetime);
Bytes encodeString(std::string_view utf8);
Bytes encodeMultiString(const std::vector<std::string>& utf8_values);
Bytes encodeMultiBinary(const std::vector<Bytes>& values);
Bytes encodeMultiInt32(const std::vector<std::int32_t>& values);

// FILETIME (100 ns ticks since 1601-01-01 UTC) of a Unix time.
std::uint64_t fileTimeFromUnix(std::int64_t unix_seconds);

Property tagged(std::uint16_t id, std::uint16_t type, Bytes value);
Property named(PropertyName name, std::uint16_t type, Bytes value);
inline Property taggedString(std::uint16_t id, std::string_view utf8) { return tagged(id, ptype::kString, encodeString(utf8)); }
inline Property taggedInt32(std::uint16_t id, std::int32_t value) { return tagged(id, ptype::kInteger32, encodeInt32(value)); }
inline Property taggedBool(std::uint16_t id, bool value) { return tagged(id, ptype::kBoolean, encodeBool(value)); }
inline Property taggedTime(std::uint16_t id, std::uint64_t filetime) { return tagged(id, ptype::kTime, encodeFileTime(filetime)); }
inline Property taggedBinary(std::uint16_t id, Bytes value) { return tagged(id, ptype::kBinary, std::move(value)); }

}  // namespace m2z::pstgen
