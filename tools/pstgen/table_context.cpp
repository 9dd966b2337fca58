#include "pstgen/table_context.h"

#include <algorithm>

namespace m2z::pstgen {

TableWriter::TableWriter(NdbWriter& ndb, std::vector<std::uint32_t> tags) : ndb_(ndb), heap_(ndb, kClientTableContext) {
  // Columns keep the order they are given in (Outlook's creation order); duplicates and the two
  // columns every TC has are dropped.
  std::vector<std::uint32_t> ordered;
  for (const std::uint32_t tag : tags) {
    if (tag == kTagLtpRowId || tag == kTagLtpRowVer) continue;
    if (std::find(ordered.begin(), ordered.end(), tag) == ordered.end()) ordered.push_back(tag);
  }
  // Row layout ([MS-PST] 2.3.4.4): row id and row version first, then the 8- and 4-byte cells
  // (TCI_4b), 2-byte cells (TCI_2b), 1-byte cells (TCI_1b), then the cell existence bitmap; each
  // group in column order, and the existence bits in column order too, as Outlook lays them out.
  std::vector<Column> layout;
  layout.push_back({kTagLtpRowId, 0, 4, 0});
  layout.push_back({kTagLtpRowVer, 4, 4, 1});
  std::uint16_t offset = 8;
  auto place = [&](auto&& wanted) {
    for (std::size_t i = 0; i < ordered.size(); ++i) {
      const std::size_t size = tableCellSize(static_cast<std::uint16_t>(ordered[i] & 0xFFFF));
      if (!wanted(size)) continue;
      layout.push_back({ordered[i], offset, static_cast<std::uint8_t>(size), static_cast<std::uint8_t>(i + 2)});
      offset = static_cast<std::uint16_t>(offset + size);
    }
  };
  place([](std::size_t size) { return size >= 4; });
  ends_[0] = offset;
  place([](std::size_t size) { return size == 2; });
  ends_[1] = offset;
  place([](std::size_t size) { return size == 1; });
  ends_[2] = offset;
  ends_[3] = static_cast<std::uint16_t>(offset + (layout.size() + 7) / 8);
  std::sort(layout.begin(), layout.end(), [](const Column& a, const Column& b) { return a.tag < b.tag; });
  columns_ = std::move(layout);
  rows_per_block_ = kMaxBlockData / ends_[3];
}

bool TableWriter::hasColumn(std::uint32_t tag) const {
  return std::any_of(columns_.begin(), columns_.end(), [tag](const Column& column) { return column.tag == tag; });
}

Status TableWriter::flushRowBlock(bool last) {
  // Rows never straddle blocks; every block but the last is padded to the full block size, so a
  // reader finds row N in block N / rows-per-block ([MS-PST] 2.3.4.4.1).
  const std::size_t row_size = ends_[3];
  const std::size_t bytes = std::min(pending_rows_.size(), rows_per_block_ * row_size);
  Bytes block(pending_rows_.begin(), pending_rows_.begin() + static_cast<std::ptrdiff_t>(bytes));
  pending_rows_.erase(pending_rows_.begin(), pending_rows_.begin() + static_cast<std::ptrdiff_t>(bytes));
  if (!last) block.resize(kMaxBlockData, 0);
  auto written = ndb_.writeBlock(block);
  if (!written) return written.error();
  row_blocks_.push_back(*written);
  return {};
}

Status TableWriter::addRow(std::uint32_t row_id, std::span<const TableCell> cells) {
  const std::size_t row_size = ends_[3];
  if (pending_rows_.size() >= rows_per_block_ * row_size) {
    if (auto status = flushRowBlock(false); !status) return status;
  }
  Bytes row(row_size, 0);
  std::uint8_t* ceb = row.data() + ends_[2];
  auto setPresent = [&](const Column& column) {
    ceb[column.bit / 8] = static_cast<std::uint8_t>(ceb[column.bit / 8] | (0x80 >> (column.bit % 8)));
  };
  for (const Column& column : columns_) {
    if (column.tag == kTagLtpRowId) {
      setU32(row.data() + column.offset, row_id);
      setPresent(column);
    } else if (column.tag == kTagLtpRowVer) {
      setU32(row.data() + column.offset, 1);
      setPresent(column);
    }
  }
  for (const TableCell& cell : cells) {
    const auto column = std::find_if(columns_.begin(), columns_.end(), [&](const Column& c) { return c.tag == cell.tag; });
    if (column == columns_.end()) {
      return Error{"pstgen.table_column", "no column for tag " + std::to_string(cell.tag), ndb_.path()};
    }
    const auto type = static_cast<std::uint16_t>(cell.tag & 0xFFFF);
    const Property& value = cell.value;
    if (tableCellSize(type) != 4 || isInlineType(type)) {
      // Fixed-size cell: the value itself.
      if (value.value.size() != column->size && !(type == ptype::kBoolean && value.value.size() == 1)) {
        return Error{"pstgen.table_cell", "wrong cell size for tag " + std::to_string(cell.tag), ndb_.path()};
      }
      std::copy(value.value.begin(), value.value.end(), row.begin() + column->offset);
    } else {
      // Variable-size cell: an HNID to the heap or to a subnode.
      const std::uint64_t size = value.generated ? value.generated->storedSize() : value.value.size();
      std::uint32_t hnid = 0;
      if (size > kMaxHeapAllocation) {
        auto subnode = writeValueSubnode(ndb_, nids_, value);
        if (!subnode) return subnode.error();
        subnodes_.push_back(*subnode);
        hnid = subnode->nid;
      } else if (size > 0) {
        Bytes small = value.value;
        if (value.generated) small = ContentFiller(*value.generated).next(static_cast<std::size_t>(size));
        auto hid = heap_.allocate(small);
        if (!hid) return hid.error();
        hnid = *hid;
      }
      setU32(row.data() + column->offset, hnid);
    }
    setPresent(*column);
  }
  index_.emplace_back(row_id, static_cast<std::uint32_t>(index_.size()));
  putBytes(pending_rows_, row);
  return {};
}

Result<NodeContent> TableWriter::finish() {
  NodeContent content;
  std::uint32_t rows_hnid = 0;
  if (!index_.empty()) {
    if (row_blocks_.empty() && pending_rows_.size() <= kMaxHeapAllocation) {
      auto hid = heap_.allocate(pending_rows_);
      if (!hid) return hid.error();
      rows_hnid = *hid;
    } else {
      while (!pending_rows_.empty()) {
        const bool last = pending_rows_.size() <= rows_per_block_ * ends_[3];
        if (auto status = flushRowBlock(last); !status) return status.error();
      }
      auto root = ndb_.writeDataTree(row_blocks_);
      if (!root) return root.error();
      const Nid nid = nids_.next(NidType::kLtp);
      subnodes_.push_back({nid, *root, 0});
      rows_hnid = nid;
    }
  }
  // Row index: BTH keyed by dwRowID with dwRowIndex as data (4 bytes each in Unicode files).
  std::sort(index_.begin(), index_.end());
  for (std::size_t i = 1; i < index_.size(); ++i) {
    if (index_[i].first == index_[i - 1].first) {
      return Error{"pstgen.duplicate_row", "two rows share row id " + std::to_string(index_[i].first), ndb_.path()};
    }
  }
  Bytes records;
  records.reserve(index_.size() * 8);
  for (const auto& [row_id, row_index] : index_) {
    putU32(records, row_id);
    putU32(records, row_index);
  }
  index_.clear();
  index_.shrink_to_fit();
  auto row_index = writeBTreeOnHeap(heap_, 4, 4, records);
  if (!row_index) return row_index.error();
  // TCINFO: bType, cCols, rgib[4], hidRowIndex, hnidRows, hidIndex, TCOLDESC[] (tag, ibData, cbData, iBit).
  Bytes info;
  putU8(info, kClientTableContext);
  putU8(info, static_cast<std::uint8_t>(columns_.size()));
  for (const std::uint16_t end : ends_) putU16(info, end);
  putU32(info, *row_index);
  putU32(info, rows_hnid);
  putU32(info, 0);
  for (const Column& column : columns_) {
    putU32(info, column.tag);
    putU16(info, column.offset);
    putU8(info, column.size);
    putU8(info, column.bit);
  }
  auto info_hid = heap_.allocate(info);
  if (!info_hid) return info_hid.error();
  heap_.setUserRoot(*info_hid);
  auto data = heap_.finish();
  if (!data) return data.error();
  content.bid_data = *data;
  content.subnodes = std::move(subnodes_);
  return content;
}

}  // namespace m2z::pstgen
