#include "readers/mapi/property_bag.h"

#include <cstdio>

namespace m2z::readers::mapi {

std::string Guid::toString() const {
  const auto le32 = [&](std::size_t at) {
    return static_cast<unsigned>(bytes[at]) | static_cast<unsigned>(bytes[at + 1]) << 8 |
           static_cast<unsigned>(bytes[at + 2]) << 16 | static_cast<unsigned>(bytes[at + 3]) << 24;
  };
  const auto le16 = [&](std::size_t at) {
    return static_cast<unsigned>(bytes[at]) | static_cast<unsigned>(bytes[at + 1]) << 8;
  };
  char text[40];
  std::snprintf(text, sizeof text, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", le32(0), le16(4), le16(6),
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  return text;
}

const PropertyValue* PropertyBag::findTagged(std::uint16_t id) const {
  const auto it = tagged.lower_bound(TaggedKey{id, PropertyType{0}});
  if (it == tagged.end() || it->first.id != id) return nullptr;
  return &it->second;
}

const PropertyValue* PropertyBag::findNamed(const Guid& property_set, std::uint32_t lid) const {
  const auto it = named.find(NamedKey{property_set, lid});
  return it == named.end() ? nullptr : &it->second;
}

const PropertyValue* PropertyBag::findNamed(const Guid& property_set, std::string_view name) const {
  const auto it = named.find(NamedKey{property_set, std::string(name)});
  return it == named.end() ? nullptr : &it->second;
}

}  // namespace m2z::readers::mapi
