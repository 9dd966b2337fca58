// A table context ([MS-PST] 2.3.4): column descriptions, a row index BTH and the row matrix. Rows
// stream out block by block, so a folder with many messages costs 8 bytes of memory per row.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "model/result.h"
#include "pstgen/heap_writer.h"
#include "pstgen/node_content.h"

namespace m2z::pstgen {

inline constexpr std::uint32_t kTagLtpRowId = 0x67F20003;   // PidTagLtpRowId
inline constexpr std::uint32_t kTagLtpRowVer = 0x67F30003;  // PidTagLtpRowVer

struct TableCell {
  std::uint32_t tag = 0;  // property tag: id << 16 | type
  Property value;         // only value/generated are used; the type comes from the tag
};

class TableWriter {
 public:
  // `tags` are the columns besides PidTagLtpRowId and PidTagLtpRowVer, which every TC has.
  TableWriter(NdbWriter& ndb, std::vector<std::uint32_t> tags);

  // Cells whose tag is not a column are an error; missing cells are left absent (CEB bit clear).
  [[nodiscard]] Status addRow(std::uint32_t row_id, std::span<const TableCell> cells);
  [[nodiscard]] Result<NodeContent> finish();
  std::size_t rowCount() const { return index_.size(); }
  bool hasColumn(std::uint32_t tag) const;

 private:
  struct Column {
    std::uint32_t tag;
    std::uint16_t offset;
    std::uint8_t size;
    std::uint8_t bit;
  };
  Status flushRowBlock(bool last);

  NdbWriter& ndb_;
  HeapWriter heap_;
  LocalNids nids_;
  std::vector<Column> columns_;  // sorted by tag, as TCOLDESCs are
  std::uint16_t ends_[4] = {};   // rgib: TCI_4b, TCI_2b, TCI_1b, TCI_bm
  std::size_t rows_per_block_ = 0;
  Bytes pending_rows_;
  std::vector<BlockRef> row_blocks_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> index_;  // row id, row number
  std::vector<SubnodeEntry> subnodes_;
};

}  // namespace m2z::pstgen
