// The named property map ([MS-PST] 2.4.7): property names get ids 0x8000 + n in the order they are
// first used, and the map node (NID 0x61) lists them with their hash buckets.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "model/result.h"
#include "pstgen/node_content.h"
#include "pstgen/property.h"

namespace m2z::pstgen {

inline constexpr std::uint32_t kNameIdBucketCount = 251;

class NameToIdMap {
 public:
  // The property id for `name`, assigned on first use; an error once 0x7FFF names are in use.
  [[nodiscard]] Result<std::uint16_t> idFor(const PropertyName& name);
  std::size_t size() const { return entries_.size(); }
  // The properties of the map's PC: bucket count, GUID, entry and string streams, buckets.
  std::vector<Property> properties() const;

 private:
  struct Entry {
    std::uint32_t property_id;  // LID, or offset of the name in the string stream
    std::uint16_t guid_field;   // (GUID index << 1) | N
    std::uint16_t index;        // property id - 0x8000
    std::uint32_t hash_key;     // LID, or CRC-32 of the UTF-16LE name
  };
  std::uint16_t guidIndex(const Guid& guid);

  std::map<PropertyName, std::uint16_t> ids_;
  std::vector<Entry> entries_;
  std::vector<Guid> guids_;  // the GUID stream; index 3 is its first entry
  Bytes strings_;            // the string stream
};

}  // namespace m2z::pstgen
