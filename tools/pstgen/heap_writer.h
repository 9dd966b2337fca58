// Heap-on-node ([MS-PST] 2.3.1) and the BTree-on-heap built in it (2.3.2): the storage under every
// property context and table context.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/result.h"
#include "pstgen/bytes.h"
#include "pstgen/ndb_writer.h"

namespace m2z::pstgen {

using Hid = std::uint32_t;

inline constexpr std::size_t kMaxHeapAllocation = 3580;  // larger values go to subnodes

// bClientSig values ([MS-PST] 2.3.1.2).
inline constexpr std::uint8_t kClientTableContext = 0x7C;
inline constexpr std::uint8_t kClientBTree = 0xB5;
inline constexpr std::uint8_t kClientPropertyContext = 0xBC;

// The fill-level nibble of a heap page with `free_bytes` unused ([MS-PST] 2.3.1.2 rgbFillLevel).
std::uint8_t heapFillLevel(std::size_t free_bytes);

// Builds a heap page by page. Full pages are written out as soon as the heap moves on, except
// page 0 and the bitmap pages (8, 136, ...), whose headers hold the fill levels of later pages.
class HeapWriter {
 public:
  HeapWriter(NdbWriter& ndb, std::uint8_t client_signature);

  // One allocation of 1..kMaxHeapAllocation bytes.
  [[nodiscard]] Result<Hid> allocate(ByteView data);
  // Overwrites an allocation still in memory with bytes of the same size (for structures whose
  // contents depend on allocations made after them).
  [[nodiscard]] Status patch(Hid hid, ByteView data);
  void setUserRoot(Hid hid) { user_root_ = hid; }
  // Writes the remaining pages and returns the node's data (a block, or a tree of pages).
  [[nodiscard]] Result<Bid> finish();

 private:
  struct Page {
    Bytes data;                        // header + allocations
    std::vector<std::uint16_t> starts;  // offset of each allocation
  };
  static std::size_t headerSize(std::size_t page_index);
  Bytes serialize(std::size_t page_index, Page& page) const;
  Status retirePage(std::size_t page_index);

  NdbWriter& ndb_;
  std::uint8_t client_signature_;
  Hid user_root_ = 0;
  std::vector<std::optional<Page>> pages_;   // nullopt once written
  std::vector<std::uint16_t> page_sizes_;    // final size of every retired page
  std::vector<std::optional<BlockRef>> written_;
};

// A BTree-on-heap over `records` (each key_size + data_size bytes, sorted by key, keys unique);
// returns the HID of its BTHHEADER. Leaves and index nodes are each one heap allocation.
[[nodiscard]] Result<Hid> writeBTreeOnHeap(HeapWriter& heap, std::uint8_t key_size, std::uint8_t data_size,
                                           ByteView records);

}  // namespace m2z::pstgen
