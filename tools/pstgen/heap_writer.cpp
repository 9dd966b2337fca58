#include "pstgen/heap_writer.h"

#include <algorithm>

namespace m2z::pstgen {

namespace {

constexpr std::uint8_t kHeapSignature = 0xEC;
constexpr std::size_t kMaxAllocationsPerPage = 2047;  // hidIndex has 11 bits

bool isBitmapPage(std::size_t page_index) { return page_index % 128 == 8; }

}  // namespace

std::uint8_t heapFillLevel(std::size_t free_bytes) {
  static constexpr std::size_t kThresholds[] = {3584, 2560, 2048, 1792, 1536, 1280, 1024, 768,
                                                512,  256,  128,  64,   32,   16,   8};
  std::uint8_t level = 0;
  for (const std::size_t threshold : kThresholds) {
    if (free_bytes >= threshold) return level;
    ++level;
  }
  return 0x0F;
}

HeapWriter::HeapWriter(NdbWriter& ndb, std::uint8_t client_signature)
    : ndb_(ndb), client_signature_(client_signature) {}

std::size_t HeapWriter::headerSize(std::size_t page_index) {
  if (page_index == 0) return 12;             // HNHDR
  if (isBitmapPage(page_index)) return 66;    // HNBITMAPHDR
  return 2;                                   // HNPAGEHDR
}

Result<Hid> HeapWriter::allocate(ByteView data) {
  if (data.empty() || data.size() > kMaxHeapAllocation) {
    return Error{"pstgen.heap_allocation", "a heap allocation must be 1.." + std::to_string(kMaxHeapAllocation) + " bytes",
                 ndb_.path()};
  }
  auto fits = [&](const Page& page) {
    const std::size_t map_size = 4 + 2 * (page.starts.size() + 2);
    return page.starts.size() < kMaxAllocationsPerPage &&
           alignUp(page.data.size() + data.size(), 2) + map_size <= kMaxBlockData;
  };
  if (pages_.empty() || !pages_.back() || !fits(*pages_.back())) {
    if (!pages_.empty()) {
      if (auto status = retirePage(pages_.size() - 1); !status) return status.error();
    }
    if (pages_.size() > 0xFFFF) {  // hidBlockIndex has 16 bits
      return Error{"pstgen.heap_size", "a heap cannot have more than 65536 pages", ndb_.path()};
    }
    Page page;
    page.data.assign(headerSize(pages_.size()), 0);
    pages_.push_back(std::move(page));
    written_.emplace_back();
    page_sizes_.push_back(0);
  }
  Page& page = *pages_.back();
  page.starts.push_back(static_cast<std::uint16_t>(page.data.size()));
  putBytes(page.data, data);
  // HID: hidType 0 (5 bits), 1-based hidIndex (11 bits), hidBlockIndex (16 bits).
  const auto index = static_cast<std::uint32_t>(page.starts.size());
  return static_cast<Hid>((index << 5) | (static_cast<std::uint32_t>(pages_.size() - 1) << 16));
}

Status HeapWriter::patch(Hid hid, ByteView data) {
  const std::size_t page_index = hid >> 16;
  const std::size_t index = (hid >> 5) & 0x7FF;
  if (page_index >= pages_.size() || !pages_[page_index] || index == 0 || index > pages_[page_index]->starts.size()) {
    return Error{"pstgen.heap_patch", "no such allocation in memory", ndb_.path()};
  }
  Page& page = *pages_[page_index];
  const std::size_t start = page.starts[index - 1];
  const std::size_t end = index < page.starts.size() ? page.starts[index] : page.data.size();
  if (end - start != data.size()) return Error{"pstgen.heap_patch", "patch size differs", ndb_.path()};
  std::copy(data.begin(), data.end(), page.data.begin() + static_cast<std::ptrdiff_t>(start));
  return {};
}

Bytes HeapWriter::serialize(std::size_t page_index, Page& page) const {
  Bytes out = std::move(page.data);
  const auto data_end = static_cast<std::uint16_t>(out.size());
  if (out.size() % 2 != 0) out.push_back(0);  // the page map starts on a 2-byte boundary
  const auto map_offset = static_cast<std::uint16_t>(out.size());
  // HNPAGEMAP: cAlloc, cFree, rgibAlloc[cAlloc + 1]; the extra entry is where the last allocation ends.
  putU16(out, static_cast<std::uint16_t>(page.starts.size()));
  putU16(out, 0);
  for (const std::uint16_t start : page.starts) putU16(out, start);
  putU16(out, data_end);
  setU16(out.data(), map_offset);  // ibHnpm
  if (page_index == 0) {
    out[2] = kHeapSignature;
    out[3] = client_signature_;
    setU32(out.data() + 4, user_root_);
  }
  return out;
}

Status HeapWriter::retirePage(std::size_t page_index) {
  // Page 0 and bitmap pages wait for finish(): their headers describe pages not yet written.
  if (page_index == 0 || isBitmapPage(page_index) || !pages_[page_index]) return {};
  Page& page = *pages_[page_index];
  Bytes bytes = serialize(page_index, page);
  page_sizes_[page_index] = static_cast<std::uint16_t>(bytes.size());
  pages_[page_index].reset();
  auto block = ndb_.writeBlock(bytes);
  if (!block) return block.error();
  written_[page_index] = *block;
  return {};
}

Result<Bid> HeapWriter::finish() {
  if (pages_.empty()) {
    Page page;
    page.data.assign(headerSize(0), 0);
    pages_.push_back(std::move(page));
    written_.emplace_back();
    page_sizes_.push_back(0);
  }
  // Sizes first: every page's final size feeds the fill levels in page 0 and the bitmap pages.
  std::vector<Bytes> held(pages_.size());
  for (std::size_t i = 0; i < pages_.size(); ++i) {
    if (!pages_[i]) continue;
    held[i] = serialize(i, *pages_[i]);
    page_sizes_[i] = static_cast<std::uint16_t>(held[i].size());
    pages_[i].reset();
  }
  auto fillLevel = [&](std::size_t page_index) { return heapFillLevel(kMaxBlockData - page_sizes_[page_index]); };
  auto setLevels = [&](Bytes& page, std::size_t offset, std::size_t first, std::size_t count) {
    for (std::size_t j = 0; j < count && first + j < pages_.size(); ++j) {
      const std::uint8_t level = fillLevel(first + j);
      page[offset + j / 2] = static_cast<std::uint8_t>(page[offset + j / 2] | (j % 2 == 0 ? level : level << 4));
    }
  };
  for (std::size_t i = 0; i < pages_.size(); ++i) {
    if (held[i].empty()) continue;
    if (i == 0) setLevels(held[i], 8, 0, 8);
    if (isBitmapPage(i)) setLevels(held[i], 2, i, 128);
    auto block = ndb_.writeBlock(held[i]);
    if (!block) return block.error();
    written_[i] = *block;
  }
  std::vector<BlockRef> blocks;
  blocks.reserve(written_.size());
  for (const auto& block : written_) blocks.push_back(*block);
  return ndb_.writeDataTree(blocks);
}

Result<Hid> writeBTreeOnHeap(HeapWriter& heap, std::uint8_t key_size, std::uint8_t data_size, ByteView records) {
  const std::size_t record_size = static_cast<std::size_t>(key_size) + data_size;
  Hid root = 0;
  std::uint8_t index_levels = 0;
  if (!records.empty()) {
    // Leaves: as many records as one allocation holds; then index levels of (first key, HID).
    const std::size_t per_leaf = kMaxHeapAllocation / record_size;
    std::vector<std::pair<Bytes, Hid>> level;
    for (std::size_t first = 0; first < records.size(); first += per_leaf * record_size) {
      const std::size_t length = std::min(per_leaf * record_size, records.size() - first);
      auto hid = heap.allocate(records.subspan(first, length));
      if (!hid) return hid.error();
      level.emplace_back(Bytes(records.begin() + static_cast<std::ptrdiff_t>(first),
                               records.begin() + static_cast<std::ptrdiff_t>(first + key_size)),
                         *hid);
    }
    const std::size_t per_index = kMaxHeapAllocation / (static_cast<std::size_t>(key_size) + 4);
    while (level.size() > 1) {
      ++index_levels;
      std::vector<std::pair<Bytes, Hid>> parents;
      for (std::size_t first = 0; first < level.size(); first += per_index) {
        Bytes node;
        const std::size_t count = std::min(per_index, level.size() - first);
        for (std::size_t i = first; i < first + count; ++i) {
          putBytes(node, level[i].first);
          putU32(node, level[i].second);
        }
        auto hid = heap.allocate(node);
        if (!hid) return hid.error();
        parents.emplace_back(level[first].first, *hid);
      }
      level = std::move(parents);
    }
    root = level.front().second;
  }
  // BTHHEADER: bType, cbKey, cbEnt, bIdxLevels, hidRoot.
  Bytes header;
  putU8(header, kClientBTree);
  putU8(header, key_size);
  putU8(header, data_size);
  putU8(header, index_levels);
  putU32(header, root);
  return heap.allocate(header);
}

}  // namespace m2z::pstgen
