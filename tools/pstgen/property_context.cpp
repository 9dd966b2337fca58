#include "pstgen/property_context.h"

#include <algorithm>

#include "pstgen/heap_writer.h"

namespace m2z::pstgen {

Result<SubnodeEntry> writeValueSubnode(NdbWriter& ndb, LocalNids& nids, const Property& property) {
  // lcbTotal of a data tree is 32 bits: refuse before writing gigabytes that cannot be indexed.
  const std::uint64_t size = property.generated ? property.generated->storedSize() : property.value.size();
  if (size > 0xFFFFFFFFu) return Error{"pstgen.value_size", "a property value must be under 4 GiB", ndb.path()};
  Bid bid = 0;
  if (property.generated) {
    DataStreamWriter stream(ndb);
    ContentFiller filler(*property.generated);
    while (!filler.done()) {
      if (auto status = stream.append(filler.next(kMaxBlockData * 16)); !status) return status.error();
    }
    auto root = stream.finish();
    if (!root) return root.error();
    bid = *root;
  } else {
    auto root = ndb.writeData(property.value);
    if (!root) return root.error();
    bid = *root;
  }
  return SubnodeEntry{nids.next(NidType::kLtp), bid, 0};
}

Result<NodeContent> writePropertyContext(NdbWriter& ndb, std::vector<PcProperty> properties, LocalNids& nids) {
  std::sort(properties.begin(), properties.end(), [](const PcProperty& a, const PcProperty& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < properties.size(); ++i) {
    if (properties[i].id == properties[i - 1].id) {
      return Error{"pstgen.duplicate_property", "property 0x" + std::to_string(properties[i].id) + " given twice",
                   ndb.path()};
    }
  }
  NodeContent content;
  HeapWriter heap(ndb, kClientPropertyContext);
  // Outlook allocates the BTHHEADER and a single leaf before the values they point to; doing the
  // same makes small PCs byte-identical to Outlook's. Larger PCs build the BTH after the values.
  constexpr std::size_t kRecordSize = 8;
  const bool single_leaf = !properties.empty() && properties.size() * kRecordSize <= kMaxHeapAllocation;
  Hid header_hid = 0;
  Hid leaf_hid = 0;
  if (single_leaf) {
    auto header = heap.allocate(Bytes(8, 0));
    if (!header) return header.error();
    header_hid = *header;
    auto leaf = heap.allocate(Bytes(properties.size() * kRecordSize, 0));
    if (!leaf) return leaf.error();
    leaf_hid = *leaf;
  }
  // Records: wPropId (key), wPropType + dwValueHnid (data) ([MS-PST] 2.3.3.3 PC BTH record).
  Bytes records;
  for (const PcProperty& entry : properties) {
    const Property& property = entry.property;
    if (!isKnownType(property.type)) {
      return Error{"pstgen.property_type", "unsupported property type " + std::to_string(property.type), ndb.path()};
    }
    std::uint32_t value_hnid = 0;
    if (isInlineType(property.type)) {
      const std::size_t expected = property.type == ptype::kBoolean ? 1 : property.type == ptype::kInteger16 ? 2 : 4;
      if (property.value.size() != expected) {
        return Error{"pstgen.property_value", "wrong value size for property " + std::to_string(entry.id), ndb.path()};
      }
      for (std::size_t i = 0; i < expected; ++i) value_hnid |= static_cast<std::uint32_t>(property.value[i]) << (8 * i);
    } else {
      const std::uint64_t size = property.generated ? property.generated->storedSize() : property.value.size();
      if (size == 0) {
        value_hnid = 0;  // an empty value has no allocation (as Outlook writes empty strings)
      } else if (size <= kMaxHeapAllocation) {
        Bytes small = property.value;
        if (property.generated) small = ContentFiller(*property.generated).next(static_cast<std::size_t>(size));
        auto hid = heap.allocate(small);
        if (!hid) return hid.error();
        value_hnid = *hid;
      } else {
        auto subnode = writeValueSubnode(ndb, nids, property);
        if (!subnode) return subnode.error();
        content.subnodes.push_back(*subnode);
        value_hnid = subnode->nid;
      }
    }
    putU16(records, entry.id);
    putU16(records, property.type);
    putU32(records, value_hnid);
  }
  if (single_leaf) {
    // BTHHEADER: bType, cbKey 2, cbEnt 6, no index levels, the leaf.
    Bytes header;
    putU8(header, kClientBTree);
    putU8(header, 2);
    putU8(header, 6);
    putU8(header, 0);
    putU32(header, leaf_hid);
    if (auto status = heap.patch(header_hid, header); !status) return status.error();
    if (auto status = heap.patch(leaf_hid, records); !status) return status.error();
    heap.setUserRoot(header_hid);
    auto data = heap.finish();
    if (!data) return data.error();
    content.bid_data = *data;
    return content;
  }
  auto bth = writeBTreeOnHeap(heap, 2, 6, records);
  if (!bth) return bth.error();
  heap.setUserRoot(*bth);
  auto data = heap.finish();
  if (!data) return data.error();
  content.bid_data = *data;
  return content;
}

}  // namespace m2z::pstgen
