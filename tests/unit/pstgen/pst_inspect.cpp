#include "pst_inspect.h"

#include <sys/types.h>

#include <cstdio>
#include <fstream>
#include <iterator>

extern "C" {
// Exported by libpff.so (libfmapi and libpff internals); error arguments are libcerror_error_t**.
int libfmapi_checksum_calculate_weak_crc32(std::uint32_t* checksum, const std::uint8_t* buffer, std::size_t size,
                                           std::uint32_t initial_value, void** error);
ssize_t libpff_encryption_decrypt(std::uint8_t encryption_type, std::uint32_t key, std::uint8_t* data,
                                  std::size_t size, void** error);
}

namespace m2z::pstgen::testing {

namespace {

std::uint16_t u16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }
std::uint32_t u32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
std::uint64_t u64(const std::uint8_t* p) { return u32(p) | (static_cast<std::uint64_t>(u32(p + 4)) << 32); }

std::string hex(std::uint64_t value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "0x%llx", static_cast<unsigned long long>(value));
  return buffer;
}

// [MS-PST] 5.5, written out again here on purpose.
std::uint16_t signature(std::uint64_t ib, std::uint64_t bid) {
  const std::uint64_t x = ib ^ bid;
  return static_cast<std::uint16_t>((x >> 16) ^ x);
}

constexpr std::uint64_t kFirstAMap = 0x4400;
constexpr std::uint64_t kRegion = 253952;

}  // namespace

std::uint32_t libpffCrc(const std::uint8_t* data, std::size_t size) {
  std::uint32_t crc = 0;
  libfmapi_checksum_calculate_weak_crc32(&crc, data, size, 0, nullptr);
  return crc;
}

bool libpffDecodeCompressible(Bytes& data) {
  // LIBPFF_ENCRYPTION_TYPE_COMPRESSIBLE is 1, the bCryptMethod value.
  return libpff_encryption_decrypt(1, 0, data.data(), data.size(), nullptr) == static_cast<ssize_t>(data.size());
}

int runCommand(const std::string& command, std::string* output) {
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[65536];
  std::size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    if (output != nullptr) output->append(buffer, read);
  }
  const int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string shellQuote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

PstInspector::PstInspector(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problem("cannot open " + path);
    return;
  }
  file_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (file_.size() < 0x4400 + 512 || std::string(file_.begin(), file_.begin() + 4) != "!BDN") {
    problem("not a PST");
    return;
  }
  if (version() < 23) {
    problem("not a Unicode PST");
    return;
  }
  if (libpffCrc(&file_[8], 471) != u32(&file_[4])) problem("dwCRCPartial");
  if (libpffCrc(&file_[8], 516) != u32(&file_[0x20C])) problem("dwCRCFull");
  if (headerU64(0xB8) != file_.size()) problem("ibFileEof is not the file size");
  readBTree(headerU64(0xE0), headerU64(0xD8), 0x81, 0);
  readBTree(headerU64(0xF0), headerU64(0xE8), 0x80, 0);
  loaded_ = true;
}

std::uint16_t PstInspector::version() const { return u16(&file_[10]); }
std::uint8_t PstInspector::cryptMethod() const { return file_[0x201]; }
std::uint64_t PstInspector::headerU64(std::size_t offset) const { return u64(&file_[offset]); }
std::uint32_t PstInspector::headerU32(std::size_t offset) const { return u32(&file_[offset]); }

void PstInspector::checkPage(std::uint64_t ib, std::uint64_t bid, std::uint8_t ptype, bool with_signature) {
  if (ib + 512 > file_.size()) {
    problem("page beyond the end " + hex(ib));
    return;
  }
  const std::uint8_t* trailer = &file_[ib + 496];
  if (trailer[0] != ptype || trailer[1] != ptype) problem("page type at " + hex(ib));
  if (u32(trailer + 4) != libpffCrc(&file_[ib], 496)) problem("page CRC at " + hex(ib));
  if (u64(trailer + 8) != bid) problem("page BID at " + hex(ib));
  const std::uint16_t expected = with_signature ? signature(ib, bid) : 0;
  if (u16(trailer + 2) != expected) problem("page signature at " + hex(ib));
  allocations_.emplace_back(ib, 512);
}

void PstInspector::readBTree(std::uint64_t ib, std::uint64_t bid, std::uint8_t ptype, int depth) {
  if (depth > 8) {
    problem("B-tree too deep");
    return;
  }
  checkPage(ib, bid, ptype, true);
  if (ib + 512 > file_.size()) return;
  ++btree_pages_;
  const std::uint8_t* page = &file_[ib];
  const std::uint8_t count = page[488];
  const std::uint8_t max = page[489];
  const std::uint8_t size = page[490];
  const std::uint8_t level = page[491];
  const std::uint8_t expected_size = level > 0 ? 24 : (ptype == 0x81 ? 32 : 24);
  const std::uint8_t expected_max = level > 0 ? 20 : (ptype == 0x81 ? 15 : 20);
  if (size != expected_size || max != expected_max || count > max) {
    problem("B-tree page header at " + hex(ib));
    return;
  }
  std::uint64_t previous = 0;
  for (std::uint8_t i = 0; i < count; ++i) {
    const std::uint8_t* entry = page + i * size;
    const std::uint64_t key = u64(entry);
    if (i > 0 && key <= previous) problem("B-tree keys out of order at " + hex(ib));
    previous = key;
    if (level > 0) {
      readBTree(u64(entry + 16), u64(entry + 8), ptype, depth + 1);
    } else if (ptype == 0x81) {
      nodes_[static_cast<std::uint32_t>(key)] = Node{u64(entry + 8), u64(entry + 16), u32(entry + 24)};
    } else {
      blocks_[key] = Block{u64(entry + 8), u16(entry + 16), u16(entry + 18)};
      const std::uint64_t block_ib = u64(entry + 8);
      const std::uint16_t cb = u16(entry + 16);
      const std::uint64_t total = (cb + 16 + 63) / 64 * 64;
      if (block_ib + total > file_.size()) {
        problem("block beyond the end " + hex(key));
        continue;
      }
      const std::uint8_t* trailer = &file_[block_ib + total - 16];
      if (u16(trailer) != cb) problem("block size " + hex(key));
      if (u16(trailer + 2) != signature(block_ib, key)) problem("block signature " + hex(key));
      if (u32(trailer + 4) != libpffCrc(&file_[block_ib], cb)) problem("block CRC " + hex(key));
      if (u64(trailer + 8) != key) problem("block BID " + hex(key));
      allocations_.emplace_back(block_ib, total);
    }
  }
}

std::optional<Bytes> PstInspector::block(std::uint64_t bid) {
  const auto found = blocks_.find(bid);
  if (found == blocks_.end()) {
    problem("no block " + hex(bid));
    return std::nullopt;
  }
  Bytes data(file_.begin() + static_cast<std::ptrdiff_t>(found->second.ib),
             file_.begin() + static_cast<std::ptrdiff_t>(found->second.ib + found->second.cb));
  const bool internal = (bid & 2) != 0;
  if (!internal && cryptMethod() == 1 && !libpffDecodeCompressible(data)) problem("libpff cannot decode " + hex(bid));
  return data;
}

std::optional<std::uint8_t> PstInspector::dataTreeLevel(std::uint64_t bid) {
  if ((bid & 2) == 0) return 0;
  const auto data = block(bid);
  if (!data || data->size() < 8 || (*data)[0] != 0x01) return std::nullopt;
  return (*data)[1];
}

std::vector<Bytes> PstInspector::nodeData(std::uint64_t bid) {
  std::vector<Bytes> out;
  if (bid == 0) return out;
  auto data = block(bid);
  if (!data) return out;
  if ((bid & 2) == 0) {
    out.push_back(std::move(*data));
    return out;
  }
  if (data->size() < 8 || (*data)[0] != 0x01) {
    problem("not an XBLOCK " + hex(bid));
    return out;
  }
  const std::uint8_t level = (*data)[1];
  const std::uint16_t count = u16(&(*data)[2]);
  const std::uint32_t total = u32(&(*data)[4]);
  std::uint64_t seen = 0;
  for (std::uint16_t i = 0; i < count && 8 + 8u * i + 8 <= data->size(); ++i) {
    const std::uint64_t child = u64(&(*data)[8 + 8u * i]);
    if (level == 1) {
      if (auto leaf = block(child)) {
        seen += leaf->size();
        out.push_back(std::move(*leaf));
      }
    } else {
      for (Bytes& leaf : nodeData(child)) {
        seen += leaf.size();
        out.push_back(std::move(leaf));
      }
    }
  }
  if (seen != total) problem("lcbTotal of " + hex(bid));
  return out;
}

std::map<std::uint32_t, Node> PstInspector::subnodes(std::uint64_t bid_sub) {
  std::map<std::uint32_t, Node> out;
  if (bid_sub == 0) return out;
  const auto data = block(bid_sub);
  if (!data || data->size() < 8 || (*data)[0] != 0x02) {
    problem("not an SLBLOCK/SIBLOCK " + hex(bid_sub));
    return out;
  }
  const std::uint8_t level = (*data)[1];
  const std::uint16_t count = u16(&(*data)[2]);
  for (std::uint16_t i = 0; i < count; ++i) {
    if (level == 0) {
      const std::uint8_t* entry = &(*data)[8 + 24u * i];
      out[static_cast<std::uint32_t>(u64(entry))] = Node{u64(entry + 8), u64(entry + 16), 0};
    } else {
      const std::uint8_t* entry = &(*data)[8 + 16u * i];
      for (const auto& [nid, node] : subnodes(u64(entry + 8))) out[nid] = node;
    }
  }
  return out;
}

std::optional<Bytes> PstInspector::heapItem(const std::vector<Bytes>& pages, std::uint32_t hid) {
  const std::size_t page_index = hid >> 16;
  const std::size_t index = (hid >> 5) & 0x7FF;
  if ((hid & 0x1F) != 0 || page_index >= pages.size() || index == 0) {
    problem("bad HID " + hex(hid));
    return std::nullopt;
  }
  const Bytes& page = pages[page_index];
  const std::uint16_t map = u16(page.data());
  if (map + 4u > page.size()) {
    problem("ibHnpm out of the page");
    return std::nullopt;
  }
  const std::uint16_t allocations = u16(&page[map]);
  if (index > allocations || map + 4u + 2u * (allocations + 1u) > page.size()) {
    problem("HID beyond the page map " + hex(hid));
    return std::nullopt;
  }
  const std::uint16_t start = u16(&page[map + 4 + 2 * (index - 1)]);
  const std::uint16_t end = u16(&page[map + 4 + 2 * index]);
  if (start > end || end > map) {
    problem("heap allocation bounds " + hex(hid));
    return std::nullopt;
  }
  return Bytes(page.begin() + start, page.begin() + end);
}

std::vector<std::pair<Bytes, Bytes>> PstInspector::bthRecords(const std::vector<Bytes>& pages, std::uint32_t header_hid,
                                                              std::uint8_t* index_levels) {
  std::vector<std::pair<Bytes, Bytes>> out;
  const auto header = heapItem(pages, header_hid);
  if (!header || header->size() != 8 || (*header)[0] != 0xB5) {
    problem("not a BTHHEADER");
    return out;
  }
  const std::uint8_t key = (*header)[1];
  const std::uint8_t data = (*header)[2];
  const std::uint8_t levels = (*header)[3];
  if (index_levels != nullptr) *index_levels = levels;
  auto walk = [&](auto&& self, std::uint32_t hid, int level) -> void {
    const auto node = heapItem(pages, hid);
    if (!node) return;
    const std::size_t record = level == 0 ? key + data : key + 4u;
    if (node->size() % record != 0) problem("BTH node size");
    for (std::size_t i = 0; i + record <= node->size(); i += record) {
      if (level == 0) {
        out.emplace_back(Bytes(node->begin() + static_cast<std::ptrdiff_t>(i), node->begin() + static_cast<std::ptrdiff_t>(i + key)),
                         Bytes(node->begin() + static_cast<std::ptrdiff_t>(i + key), node->begin() + static_cast<std::ptrdiff_t>(i + record)));
      } else {
        self(self, u32(&(*node)[i + key]), level - 1);
      }
    }
  };
  const std::uint32_t root = u32(&(*header)[4]);
  if (root != 0) walk(walk, root, levels);
  return out;
}

Bytes PstInspector::valueOf(const std::vector<Bytes>& pages, const std::map<std::uint32_t, Node>& subs, std::uint32_t hnid) {
  if (hnid == 0) return {};
  if ((hnid & 0x1F) == 0) return heapItem(pages, hnid).value_or(Bytes{});
  const auto found = subs.find(hnid);
  if (found == subs.end()) {
    problem("no subnode " + hex(hnid));
    return {};
  }
  Bytes out;
  for (const Bytes& part : nodeData(found->second.bid_data)) out.insert(out.end(), part.begin(), part.end());
  return out;
}

std::map<std::uint16_t, PropertyValue> PstInspector::propertyContext(std::uint64_t bid_data, std::uint64_t bid_sub) {
  std::map<std::uint16_t, PropertyValue> out;
  const std::vector<Bytes> pages = nodeData(bid_data);
  if (pages.empty() || pages[0].size() < 12 || pages[0][2] != 0xEC || pages[0][3] != 0xBC) {
    problem("not a PC");
    return out;
  }
  const auto subs = subnodes(bid_sub);
  for (const auto& [key, data] : bthRecords(pages, u32(&pages[0][4]))) {
    if (key.size() != 2 || data.size() != 6) {
      problem("PC record size");
      continue;
    }
    PropertyValue value;
    value.type = u16(data.data());
    const std::uint32_t hnid = u32(&data[2]);
    const bool inline_value = value.type == 0x0002 || value.type == 0x0003 || value.type == 0x0004 ||
                              value.type == 0x000A || value.type == 0x000B;
    value.data = inline_value ? Bytes(data.begin() + 2, data.end()) : valueOf(pages, subs, hnid);
    out[u16(key.data())] = std::move(value);
  }
  return out;
}

std::map<std::uint16_t, PropertyValue> PstInspector::propertyContext(std::uint32_t nid) {
  const auto found = nodes_.find(nid);
  if (found == nodes_.end()) {
    problem("no node " + hex(nid));
    return {};
  }
  return propertyContext(found->second.bid_data, found->second.bid_sub);
}

std::optional<Table> PstInspector::tableContext(std::uint64_t bid_data, std::uint64_t bid_sub) {
  const std::vector<Bytes> pages = nodeData(bid_data);
  if (pages.empty() || pages[0].size() < 12 || pages[0][2] != 0xEC || pages[0][3] != 0x7C) {
    problem("not a TC");
    return std::nullopt;
  }
  const auto info = heapItem(pages, u32(&pages[0][4]));
  if (!info || info->size() < 22 || (*info)[0] != 0x7C || info->size() != 22u + 8u * (*info)[1]) {
    problem("TCINFO");
    return std::nullopt;
  }
  Table table;
  for (int i = 0; i < 4; ++i) table.ends[i] = u16(&(*info)[2 + 2 * i]);
  for (std::size_t i = 0; i < (*info)[1]; ++i) {
    const std::uint8_t* column = &(*info)[22 + 8 * i];
    table.columns.push_back({u32(column), u16(column + 4), column[6], column[7]});
  }
  const auto subs = subnodes(bid_sub);
  const auto index = bthRecords(pages, u32(&(*info)[10]), &table.index_levels);
  const std::uint32_t rows_hnid = u32(&(*info)[14]);
  std::vector<Bytes> row_blocks;
  if ((rows_hnid & 0x1F) == 0 && rows_hnid != 0) {
    if (auto rows = heapItem(pages, rows_hnid)) row_blocks.push_back(*rows);
  } else if (rows_hnid != 0) {
    const auto found = subs.find(rows_hnid);
    if (found == subs.end()) {
      problem("no row matrix subnode");
      return std::nullopt;
    }
    row_blocks = nodeData(found->second.bid_data);
  }
  table.row_blocks = row_blocks.size();
  const std::size_t row_size = table.ends[3];
  if (row_size == 0) return table;
  // Rows never straddle blocks: row N is in block N / (8176 / row size) ([MS-PST] 2.3.4.4.1).
  const std::size_t per_block = 8176 / row_size;
  for (const auto& [key, data] : index) {
    const std::uint32_t row_id = u32(key.data());
    const std::uint32_t row_index = u32(data.data());
    const bool in_heap = (rows_hnid & 0x1F) == 0;
    const std::size_t which = in_heap ? 0 : row_index / per_block;
    const std::size_t offset = (in_heap ? row_index : row_index % per_block) * row_size;
    if (which >= row_blocks.size() || offset + row_size > row_blocks[which].size()) {
      problem("row " + std::to_string(row_index) + " outside the row matrix");
      continue;
    }
    const std::uint8_t* row = &row_blocks[which][offset];
    if (u32(row) != row_id) problem("row id mismatch in row " + std::to_string(row_index));
    std::map<std::uint32_t, Bytes> cells;
    for (const Table::Column& column : table.columns) {
      const bool present = (row[table.ends[2] + column.bit / 8] & (0x80 >> (column.bit % 8))) != 0;
      if (!present) continue;
      const std::uint16_t type = static_cast<std::uint16_t>(column.tag & 0xFFFF);
      const bool fixed = column.size != 4 || type == 0x0003 || type == 0x0004 || type == 0x000A;
      if (fixed) {
        cells[column.tag] = Bytes(row + column.offset, row + column.offset + column.size);
      } else {
        cells[column.tag] = valueOf(pages, subs, u32(row + column.offset));
      }
    }
    if (table.rows.size() <= row_index) {
      table.rows.resize(row_index + 1);
      table.row_ids.resize(row_index + 1);
    }
    table.rows[row_index] = std::move(cells);
    table.row_ids[row_index] = row_id;
  }
  return table;
}

std::optional<Table> PstInspector::tableContext(std::uint32_t nid) {
  const auto found = nodes_.find(nid);
  if (found == nodes_.end()) {
    problem("no node " + hex(nid));
    return std::nullopt;
  }
  return tableContext(found->second.bid_data, found->second.bid_sub);
}

std::size_t PstInspector::amapMismatches() {
  // Map pages: an AMap at the start of every region, a PMap after every 8th, an FMap after every
  // 496th from the 128th ([MS-PST] 2.2.2.7.2-5).
  for (std::uint64_t region = 0; kFirstAMap + region * kRegion < file_.size(); ++region) {
    const std::uint64_t start = kFirstAMap + region * kRegion;
    checkPage(start, start, 0x84, false);
    std::uint64_t next = start + 512;
    if (region % 8 == 0) {
      checkPage(next, next, 0x83, false);
      next += 512;
    }
    if (region >= 128 && (region - 128) % 496 == 0) checkPage(next, next, 0x82, false);
  }
  std::map<std::uint64_t, bool> slots;
  for (const auto& [ib, size] : allocations_) {
    for (std::uint64_t offset = ib; offset < ib + size; offset += 64) {
      if (slots.count(offset) != 0) problem("two allocations overlap at " + hex(offset));
      slots[offset] = true;
    }
  }
  std::size_t mismatches = 0;
  for (std::uint64_t start = kFirstAMap; start < file_.size(); start += kRegion) {
    for (std::uint64_t slot = 0; slot < 496 * 8; ++slot) {
      const bool set = (file_[start + slot / 8] & (0x80 >> (slot % 8))) != 0;
      if (set != (slots.count(start + slot * 64) != 0)) ++mismatches;
    }
  }
  return mismatches;
}

std::uint64_t PstInspector::amapFreeBytes() {
  std::uint64_t free_bytes = 0;
  for (std::uint64_t start = kFirstAMap; start < file_.size(); start += kRegion) {
    for (std::uint64_t slot = 0; slot < 496 * 8; ++slot) {
      if ((file_[start + slot / 8] & (0x80 >> (slot % 8))) == 0) free_bytes += 64;
    }
  }
  return free_bytes;
}

}  // namespace m2z::pstgen::testing
