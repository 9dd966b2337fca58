// The node database layer of a Unicode PST ([MS-PST] 2.2): blocks, data trees, subnode trees, the
// node and block B-trees, allocation maps and the header, written front to back in one pass.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "model/result.h"
#include "pstgen/block_encoding.h"
#include "pstgen/bytes.h"

namespace m2z::pstgen {

inline constexpr std::size_t kMaxBlockData = 8176;  // 8192-byte block minus its 16-byte BLOCKTRAILER
inline constexpr std::size_t kPageSize = 512;

using Bid = std::uint64_t;
using Nid = std::uint32_t;

// [MS-PST] 2.2.2.1 nidType values.
enum class NidType : std::uint8_t {
  kHid = 0x00,
  kInternal = 0x01,
  kNormalFolder = 0x02,
  kSearchFolder = 0x03,
  kNormalMessage = 0x04,
  kAttachment = 0x05,
  kSearchUpdateQueue = 0x06,
  kSearchCriteriaObject = 0x07,
  kAssocMessage = 0x08,
  kContentsTableIndex = 0x0A,
  kReceiveFolderTable = 0x0B,
  kOutgoingQueueTable = 0x0C,
  kHierarchyTable = 0x0D,
  kContentsTable = 0x0E,
  kAssocContentsTable = 0x0F,
  kSearchContentsTable = 0x10,
  kAttachmentTable = 0x11,
  kRecipientTable = 0x12,
  kSearchTableIndex = 0x13,
  kLtp = 0x1F,
};

constexpr Nid makeNid(NidType type, std::uint32_t index) {
  return (index << 5) | static_cast<std::uint32_t>(type);
}
constexpr std::uint32_t nidIndex(Nid nid) { return nid >> 5; }

struct BlockRef {
  Bid bid = 0;
  std::uint32_t size = 0;  // bytes of data the block (or tree) holds
};

struct SubnodeEntry {
  Nid nid = 0;
  Bid bid_data = 0;
  Bid bid_sub = 0;
};

struct NodeEntry {
  Nid nid = 0;
  Bid bid_data = 0;
  Bid bid_sub = 0;
  Nid parent = 0;
};

// What finish() reports, for tests and the benchmark numbers.
struct NdbSummary {
  std::uint64_t file_size = 0;
  std::uint64_t blocks = 0;
  std::uint64_t nodes = 0;
  std::uint64_t free_bytes = 0;  // cbAMapFree
};

class NdbWriter {
 public:
  // Creates (truncates) `path`. Nothing is valid on disk until finish() succeeds.
  [[nodiscard]] static Result<std::unique_ptr<NdbWriter>> create(const std::string& path, Encryption encryption);
  ~NdbWriter();
  NdbWriter(const NdbWriter&) = delete;
  NdbWriter& operator=(const NdbWriter&) = delete;

  // One external data block (at most kMaxBlockData bytes), encoded as the file's encryption says.
  [[nodiscard]] Result<BlockRef> writeBlock(ByteView data);
  // The root of a data tree over blocks already written, in order: the block itself when there is
  // one, else an XBLOCK, else an XXBLOCK ([MS-PST] 2.2.2.8.3.2). 0 when `blocks` is empty.
  [[nodiscard]] Result<Bid> writeDataTree(std::span<const BlockRef> blocks);
  // A whole stream as a data tree (split into full blocks); 0 for an empty stream.
  [[nodiscard]] Result<Bid> writeData(ByteView data);
  // A subnode BTree (SLBLOCK, or SIBLOCK over SLBLOCKs); 0 when there are no entries.
  [[nodiscard]] Result<Bid> writeSubnodeTree(std::vector<SubnodeEntry> entries);

  void addNode(const NodeEntry& entry);
  // The next unused NID of `type`, counted in the header's rgnid[] as Outlook does.
  Nid allocateNid(NidType type);

  // Writes the B-trees, the last allocation map, the header, and closes the file.
  [[nodiscard]] Result<NdbSummary> finish();

  const std::string& path() const { return path_; }
  Encryption encryption() const { return encryption_; }

 private:
  NdbWriter(std::string path, int fd, Encryption encryption);

  struct BbtEntry {
    Bid bid;
    std::uint64_t ib;
    std::uint16_t cb;
  };
  struct PageRef {
    std::uint64_t key;
    Bid bid;
    std::uint64_t ib;
  };

  Result<BlockRef> writeRawBlock(ByteView data, bool internal);
  Result<std::uint64_t> allocate(std::uint64_t size, std::uint64_t alignment);
  Status writeAt(std::uint64_t ib, ByteView bytes);
  Status flushBuffer();
  void openRegion(std::uint64_t region);
  Status closeRegion();
  void markAllocated(std::uint64_t ib, std::uint64_t size);
  Status writeMapPage(std::uint64_t ib, std::uint8_t ptype, ByteView bits);
  Result<PageRef> writeBTreePage(std::uint8_t ptype, std::uint8_t level, std::uint8_t entry_size,
                                 std::uint8_t max_entries, ByteView entries, std::uint64_t first_key);
  Result<PageRef> writeBTree(std::uint8_t ptype, std::uint8_t leaf_entry_size, std::uint8_t leaf_max,
                             std::vector<std::pair<std::uint64_t, Bytes>> leaf_entries);
  Status writeHeader(const PageRef& nbt, const PageRef& bbt, std::uint64_t file_size);
  Error ioError(const std::string& what) const;

  std::string path_;
  int fd_ = -1;
  Encryption encryption_;
  Status failed_;  // the first I/O error; every later call returns it

  Bytes buffer_;                  // file bytes [buffer_start_, cursor_) not yet written
  std::uint64_t buffer_start_ = 0;
  std::uint64_t cursor_ = 0;      // next unallocated offset

  std::uint64_t region_ = 0;      // index of the AMap region being filled
  std::array<std::uint8_t, 496> amap_{};
  std::vector<std::uint8_t> longest_free_;  // per closed region, for the FMaps
  std::uint64_t free_bytes_ = 0;

  Bid next_block_bid_ = 4;
  Bid next_page_bid_ = 4;
  std::array<std::uint32_t, 32> rgnid_{};
  std::vector<BbtEntry> bbt_;
  std::vector<NodeEntry> nbt_;
};

// A long stream written block by block as it is produced, so that only one block is in memory.
class DataStreamWriter {
 public:
  explicit DataStreamWriter(NdbWriter& ndb) : ndb_(ndb) {}
  [[nodiscard]] Status append(ByteView data);
  [[nodiscard]] Result<Bid> finish();
  std::uint64_t size() const { return size_; }

 private:
  NdbWriter& ndb_;
  Bytes pending_;
  std::vector<BlockRef> blocks_;
  std::uint64_t size_ = 0;
};

}  // namespace m2z::pstgen
