// PropertyBag: the MAPI properties of one message as read from any container (PST, .msg), so
// one mapping to model items serves every container.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace m2z::readers::mapi {

// A GUID in its on-disk byte order ([MS-OXCDATA] 2.5: Data1..Data3 little-endian).
struct Guid {
  std::array<std::uint8_t, 16> bytes{};

  static constexpr Guid fromFields(std::uint32_t data1, std::uint16_t data2, std::uint16_t data3,
                                   std::array<std::uint8_t, 8> data4) {
    Guid guid;
    for (int i = 0; i < 4; ++i) guid.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(data1 >> (8 * i));
    for (int i = 0; i < 2; ++i) {
      guid.bytes[static_cast<std::size_t>(4 + i)] = static_cast<std::uint8_t>(data2 >> (8 * i));
      guid.bytes[static_cast<std::size_t>(6 + i)] = static_cast<std::uint8_t>(data3 >> (8 * i));
    }
    for (std::size_t i = 0; i < 8; ++i) guid.bytes[8 + i] = data4[i];
    return guid;
  }
  std::string toString() const;  // {00062002-0000-0000-C000-000000000046}
  auto operator<=>(const Guid&) const = default;
};

// Property types as [MS-OXCDATA] 2.11.1 numbers them; the container passes what it found.
enum class PropertyType : std::uint16_t {
  kInteger16 = 0x0002,
  kInteger32 = 0x0003,
  kBoolean = 0x000B,
  kInteger64 = 0x0014,
  kString8 = 0x001E,
  kUnicode = 0x001F,
  kTime = 0x0040,
  kGuid = 0x0048,
  kBinary = 0x0102,
  kMultipleString8 = 0x101E,
  kMultipleUnicode = 0x101F,
  kMultipleBinary = 0x1102,
};

struct FileTime {
  std::uint64_t ticks = 0;  // 100 ns since 1601-01-01 UTC
  auto operator<=>(const FileTime&) const = default;
};

using Binary = std::vector<std::uint8_t>;

// Strings are UTF-8 whatever the source encoding: the container converts PT_STRING8/PT_UNICODE.
using PropertyValue = std::variant<std::int32_t, std::int64_t, bool, FileTime, std::string, Binary,
                                   std::vector<std::string>, std::vector<Binary>>;

struct TaggedKey {
  std::uint16_t id = 0;
  PropertyType type = PropertyType::kBinary;
  auto operator<=>(const TaggedKey&) const = default;
};

struct NamedKey {
  Guid property_set;
  std::variant<std::uint32_t, std::string> name;  // numeric long id (LID) or string name
  auto operator<=>(const NamedKey&) const = default;
};

struct PropertyBag {
  std::string message_class;  // PidTagMessageClass, "IPM.Appointment", ...
  std::map<TaggedKey, PropertyValue> tagged;
  std::map<NamedKey, PropertyValue> named;
  std::vector<PropertyBag> recipients;  // one bag per recipient row
  // Attachment rows whose data is an embedded message (a series' exceptions, [MS-OXOCAL] 2.2.10):
  // the attachment's own properties, with the message in `embedded_message`.
  std::vector<PropertyBag> attachments;
  std::vector<PropertyBag> embedded_message;  // in an attachment row: its message (one bag, or none)
  // The decompressed RTF body (PidTagRtfCompressed, [MS-OXRTFCP]), set by the container only when
  // the message has no PidTagBody: the mapping then takes the body's text from it.
  std::string rtf_body;

  void set(std::uint16_t id, PropertyType type, PropertyValue value) {
    tagged.insert_or_assign(TaggedKey{id, type}, std::move(value));
  }
  void setNamed(const Guid& property_set, std::uint32_t lid, PropertyValue value) {
    named.insert_or_assign(NamedKey{property_set, lid}, std::move(value));
  }
  void setNamed(const Guid& property_set, std::string name, PropertyValue value) {
    named.insert_or_assign(NamedKey{property_set, std::move(name)}, std::move(value));
  }

  // The first value stored under `id` whatever its type (lowest type number), or nullptr.
  const PropertyValue* findTagged(std::uint16_t id) const;
  const PropertyValue* findNamed(const Guid& property_set, std::uint32_t lid) const;
  const PropertyValue* findNamed(const Guid& property_set, std::string_view name) const;
};

}  // namespace m2z::readers::mapi
