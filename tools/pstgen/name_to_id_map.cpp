#include "pstgen/name_to_id_map.h"

#include <algorithm>

#include "pstgen/checksum.h"

namespace m2z::pstgen {

std::uint16_t NameToIdMap::guidIndex(const Guid& guid) {
  // 1 and 2 stand for PS_MAPI and PS_PUBLIC_STRINGS without a GUID stream entry ([MS-PST] 2.4.7.1).
  if (guid == psMapi()) return 1;
  if (guid == psPublicStrings()) return 2;
  const auto found = std::find(guids_.begin(), guids_.end(), guid);
  if (found != guids_.end()) return static_cast<std::uint16_t>(3 + (found - guids_.begin()));
  guids_.push_back(guid);
  return static_cast<std::uint16_t>(3 + guids_.size() - 1);
}

Result<std::uint16_t> NameToIdMap::idFor(const PropertyName& name) {
  if (const auto found = ids_.find(name); found != ids_.end()) return found->second;
  if (entries_.size() >= 0x7FFF) return Error{"pstgen.named_properties", "more than 0x7FFF named properties", ""};
  const auto index = static_cast<std::uint16_t>(entries_.size());
  Entry entry{};
  entry.index = index;
  const std::uint16_t guid = guidIndex(name.set);
  if (name.lid) {
    entry.property_id = *name.lid;
    entry.guid_field = static_cast<std::uint16_t>(guid << 1);
    entry.hash_key = *name.lid;
  } else {
    // String stream entry: 4-byte length, UTF-16LE name, padded to a 4-byte boundary.
    const Bytes encoded = utf16le(name.name);
    entry.property_id = static_cast<std::uint32_t>(strings_.size());
    entry.guid_field = static_cast<std::uint16_t>((guid << 1) | 1);
    entry.hash_key = computeCrc(encoded);
    putU32(strings_, static_cast<std::uint32_t>(encoded.size()));
    putBytes(strings_, encoded);
    while (strings_.size() % 4 != 0) strings_.push_back(0);
  }
  entries_.push_back(entry);
  const auto id = static_cast<std::uint16_t>(0x8000 + index);
  ids_.emplace(name, id);
  return id;
}

std::vector<Property> NameToIdMap::properties() const {
  std::vector<Property> out;
  out.push_back(tagged(0x0001, ptype::kInteger32, encodeInt32(static_cast<std::int32_t>(kNameIdBucketCount))));
  Bytes guid_stream;
  for (const Guid& guid : guids_) putBytes(guid_stream, guid.bytes);
  out.push_back(tagged(0x0002, ptype::kBinary, guid_stream));
  Bytes entry_stream;
  for (const Entry& entry : entries_) {
    putU32(entry_stream, entry.property_id);
    putU16(entry_stream, entry.guid_field);
    putU16(entry_stream, entry.index);
  }
  out.push_back(tagged(0x0003, ptype::kBinary, entry_stream));
  out.push_back(tagged(0x0004, ptype::kBinary, strings_));
  // Hash buckets 0x1000 + (key XOR guid field) mod 251; a string name is keyed by its CRC-32
  // ([MS-PST] 2.4.7.5). Empty buckets are left out, as Outlook does.
  std::vector<Bytes> buckets(kNameIdBucketCount);
  for (const Entry& entry : entries_) {
    Bytes& bucket = buckets[(entry.hash_key ^ entry.guid_field) % kNameIdBucketCount];
    putU32(bucket, entry.hash_key);
    putU16(bucket, entry.guid_field);
    putU16(bucket, entry.index);
  }
  for (std::uint32_t i = 0; i < kNameIdBucketCount; ++i) {
    if (!buckets[i].empty()) out.push_back(tagged(static_cast<std::uint16_t>(0x1000 + i), ptype::kBinary, buckets[i]));
  }
  return out;
}

}  // namespace m2z::pstgen
