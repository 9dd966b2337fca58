// A small PST decoder for the pstgen tests, written from [MS-PST] apart from pstgen's writer and
// using libpff's own CRC-32 and block decoding, so that the writer is checked against code it
// shares nothing with. It records every structural problem it meets instead of stopping.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace m2z::pstgen::testing {

using Bytes = std::vector<std::uint8_t>;

// libpff's implementation of the [MS-PST] 5.3 CRC (exported by libpff.so as part of libfmapi).
std::uint32_t libpffCrc(const std::uint8_t* data, std::size_t size);
// libpff's decoding of "compressible" blocks; returns false if libpff reports an error.
bool libpffDecodeCompressible(Bytes& data);

struct Node {
  std::uint64_t bid_data = 0;
  std::uint64_t bid_sub = 0;
  std::uint32_t parent = 0;
};

struct Block {
  std::uint64_t ib = 0;
  std::uint16_t cb = 0;
  std::uint16_t ref_count = 0;
};

struct PropertyValue {
  std::uint16_t type = 0;
  Bytes data;  // inline values as 4 little-endian bytes
};

struct Table {
  std::uint16_t ends[4] = {};  // rgib
  struct Column {
    std::uint32_t tag;
    std::uint16_t offset;
    std::uint8_t size;
    std::uint8_t bit;
  };
  std::vector<Column> columns;
  // Rows in row-index order, each as tag -> cell value (absent cells left out; variable-size
  // cells resolved to their bytes).
  std::vector<std::map<std::uint32_t, Bytes>> rows;
  std::vector<std::uint32_t> row_ids;
  std::uint8_t index_levels = 0;
  std::size_t row_blocks = 0;
};

class PstInspector {
 public:
  explicit PstInspector(const std::string& path);

  bool loaded() const { return loaded_; }
  const std::vector<std::string>& problems() const { return problems_; }
  const Bytes& file() const { return file_; }

  std::uint16_t version() const;
  std::uint8_t cryptMethod() const;
  std::uint64_t headerU64(std::size_t offset) const;
  std::uint32_t headerU32(std::size_t offset) const;

  const std::map<std::uint32_t, Node>& nodes() const { return nodes_; }
  const std::map<std::uint64_t, Block>& blocks() const { return blocks_; }
  std::size_t btreePages() const { return btree_pages_; }

  // The data of one block (decoded), or nullopt with a problem recorded.
  std::optional<Bytes> block(std::uint64_t bid);
  // A node's data as the list of its data blocks (expanding XBLOCKs and XXBLOCKs).
  std::vector<Bytes> nodeData(std::uint64_t bid);
  std::map<std::uint32_t, Node> subnodes(std::uint64_t bid_sub);
  std::optional<std::uint8_t> dataTreeLevel(std::uint64_t bid);

  // Heap-on-node reading over a node's pages.
  std::optional<Bytes> heapItem(const std::vector<Bytes>& pages, std::uint32_t hid);
  std::vector<std::pair<Bytes, Bytes>> bthRecords(const std::vector<Bytes>& pages, std::uint32_t header_hid,
                                                  std::uint8_t* index_levels = nullptr);
  std::map<std::uint16_t, PropertyValue> propertyContext(std::uint64_t bid_data, std::uint64_t bid_sub);
  std::map<std::uint16_t, PropertyValue> propertyContext(std::uint32_t nid);
  std::optional<Table> tableContext(std::uint64_t bid_data, std::uint64_t bid_sub);
  std::optional<Table> tableContext(std::uint32_t nid);

  // Every allocation map bit against the blocks and pages actually in use.
  std::size_t amapMismatches();
  std::uint64_t amapFreeBytes();

 private:
  void problem(const std::string& text) { problems_.push_back(text); }
  void readBTree(std::uint64_t ib, std::uint64_t bid, std::uint8_t ptype, int depth);
  void checkPage(std::uint64_t ib, std::uint64_t bid, std::uint8_t ptype, bool signature);
  Bytes valueOf(const std::vector<Bytes>& pages, const std::map<std::uint32_t, Node>& subs, std::uint32_t hnid);

  bool loaded_ = false;
  Bytes file_;
  std::vector<std::string> problems_;
  std::map<std::uint32_t, Node> nodes_;
  std::map<std::uint64_t, Block> blocks_;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> allocations_;  // ib, size of pages and blocks
  std::size_t btree_pages_ = 0;
};

// Runs a shell command, returns its exit status and standard output.
int runCommand(const std::string& command, std::string* output);
std::string shellQuote(const std::string& text);

}  // namespace m2z::pstgen::testing
