// The restriction format of rule conditions ([MS-OXCDATA] 2.12) and the tagged property values
// inside it (2.11): a pure, bounds-checked parser and a text form for audits.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "model/result.h"
#include "readers/mapi/byte_reader.h"
#include "readers/mapi/property_bag.h"

namespace m2z::readers::mapi {

// Count and length fields are 2 bytes wide in ROP buffers (standard rules) and 4 bytes wide in
// extended rules ([MS-OXCDATA] 2.12, [MS-OXORULE] 2.2.4.1.10, 2.2.5).
enum class CountWidth { k16, k32 };

// A TaggedPropertyValue ([MS-OXCDATA] 2.11.4). Integers of every width are kept as int64.
struct RuleValue {
  std::uint32_t tag = 0;
  std::variant<std::monostate, std::int64_t, bool, double, std::string, Binary, std::vector<std::int64_t>,
               std::vector<std::string>, std::vector<Binary>>
      value;
  std::uint16_t id() const { return static_cast<std::uint16_t>(tag >> 16); }
  std::uint16_t type() const { return static_cast<std::uint16_t>(tag & 0xFFFF); }
  bool operator==(const RuleValue&) const = default;
};

enum class RestrictionType : std::uint8_t {
  kAnd = 0x00,
  kOr = 0x01,
  kNot = 0x02,
  kContent = 0x03,
  kProperty = 0x04,
  kCompareProps = 0x05,
  kBitmask = 0x06,
  kSize = 0x07,
  kExist = 0x08,
  kSubRestriction = 0x09,
  kComment = 0x0A,
  kCount = 0x0B,
};

// RelOp values ([MS-OXCDATA] 2.12.5).
inline constexpr std::uint8_t kRelOpLt = 0x00;
inline constexpr std::uint8_t kRelOpLe = 0x01;
inline constexpr std::uint8_t kRelOpGt = 0x02;
inline constexpr std::uint8_t kRelOpGe = 0x03;
inline constexpr std::uint8_t kRelOpEq = 0x04;
inline constexpr std::uint8_t kRelOpNe = 0x05;
// BitmapRelOp values ([MS-OXCDATA] 2.12.7).
inline constexpr std::uint8_t kBmrEqz = 0x00;
inline constexpr std::uint8_t kBmrNez = 0x01;
// FuzzyLevelLow values ([MS-OXCDATA] 2.12.4).
inline constexpr std::uint16_t kFlFullString = 0x0000;
inline constexpr std::uint16_t kFlSubstring = 0x0001;
inline constexpr std::uint16_t kFlPrefix = 0x0002;

struct Restriction {
  RestrictionType type = RestrictionType::kAnd;
  // And/Or: the operands. Not, SubRestriction, Count: one. Comment: zero or one.
  std::vector<Restriction> children;
  std::uint32_t tag = 0;        // the property tested; SubRestriction: the subobject tag
  std::uint32_t tag2 = 0;       // CompareProps: the second property
  std::uint8_t rel_op = 0;      // Property, CompareProps, Size: RelOp; Bitmask: BitmapRelOp
  std::uint16_t fuzzy_low = 0;  // Content
  std::uint16_t fuzzy_high = 0;
  std::uint32_t number = 0;     // Bitmask: mask; Size: size; Count: count
  std::optional<RuleValue> value;        // Content, Property
  std::vector<RuleValue> comment_values;  // Comment
  bool operator==(const Restriction&) const = default;
};

// Nesting deeper than this is refused: Outlook writes a handful of levels.
inline constexpr int kMaxRestrictionDepth = 64;

// One restriction from `reader`; nullopt when the bytes run out or are invalid (reader.error()).
std::optional<Restriction> readRestriction(ByteReader& reader, CountWidth width, int depth = 0);
// One TaggedPropertyValue from `reader`.
std::optional<RuleValue> readTaggedValue(ByteReader& reader, CountWidth width);
// The value of type `type` that follows (no tag).
std::optional<RuleValue> readValue(ByteReader& reader, std::uint32_t tag, CountWidth width);

// A whole buffer that holds exactly one restriction (trailing bytes are an error).
[[nodiscard]] Result<Restriction> parseRestriction(std::span<const std::uint8_t> data, CountWidth width,
                                                   std::string_view property);

// A property name from NamedPropertyInformation ([MS-OXORULE] 2.2.4.2, PropertyName
// [MS-OXCDATA] 2.6.1): the id the restriction and actions use for it, its set and LID or name.
struct NamedPropertyName {
  std::uint16_t id = 0;
  Guid property_set;
  std::variant<std::uint32_t, std::string> name;
  bool operator==(const NamedPropertyName&) const = default;
};

// Names a property tag for text forms: "PidTagSubject" for the ones rules use, else "0x0037001F".
// `named` gives names for ids >= 0x8000 (from NamedPropertyInformation), may be empty.
std::string describeTag(std::uint32_t tag, std::span<const NamedPropertyName> named = {});
std::string describeValue(const RuleValue& value);
std::string describe(const Restriction& restriction, std::span<const NamedPropertyName> named = {});

}  // namespace m2z::readers::mapi
