#include "pstgen/ndb_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "pstgen/checksum.h"

namespace m2z::pstgen {

namespace {

constexpr std::uint64_t kFirstAMap = 0x4400;
constexpr std::uint64_t kRegionSize = 496 * 8 * 64;  // bytes one AMap page maps ([MS-PST] 2.2.2.7.2)
constexpr std::uint64_t kSlotSize = 64;
constexpr std::size_t kHeaderSize = 564;
constexpr std::size_t kFlushThreshold = 8u << 20;

constexpr std::uint8_t kPtypeBbt = 0x80;
constexpr std::uint8_t kPtypeNbt = 0x81;
constexpr std::uint8_t kPtypeFMap = 0x82;
constexpr std::uint8_t kPtypePMap = 0x83;
constexpr std::uint8_t kPtypeAMap = 0x84;
constexpr std::uint8_t kPtypeFPMap = 0x85;

constexpr std::size_t kMaxTreeEntries = (kMaxBlockData - 8) / 8;   // 1021 BIDs per XBLOCK/XXBLOCK
constexpr std::size_t kMaxSlEntries = (kMaxBlockData - 8) / 24;    // 340 SLENTRYs per SLBLOCK
constexpr std::size_t kMaxSiEntries = (kMaxBlockData - 8) / 16;    // 510 SIENTRYs per SIBLOCK

std::uint64_t regionStart(std::uint64_t region) { return kFirstAMap + region * kRegionSize; }

// Deprecated maps still have to sit at their places ([MS-PST] 2.2.2.7.3-6): a PMap after every
// 8th AMap, an FMap after every 496th AMap from the 128th (the header's rgbFM covers the first
// 128), an FPMap every 496*64 AMaps from the 8192nd (the header's rgbFP covers the first 8192).
bool hasPMap(std::uint64_t region) { return region % 8 == 0; }
bool hasFMap(std::uint64_t region) { return region >= 128 && (region - 128) % 496 == 0; }
bool hasFPMap(std::uint64_t region) { return region >= 8192 && (region - 8192) % (496 * 64) == 0; }
std::uint64_t reservedPages(std::uint64_t region) {
  return 1 + (hasPMap(region) ? 1 : 0) + (hasFMap(region) ? 1 : 0) + (hasFPMap(region) ? 1 : 0);
}

}  // namespace

Result<std::unique_ptr<NdbWriter>> NdbWriter::create(const std::string& path, Encryption encryption) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Error{"pstgen.io", std::string("cannot create the PST: ") + std::strerror(errno), path};
  return std::unique_ptr<NdbWriter>(new NdbWriter(path, fd, encryption));
}

NdbWriter::NdbWriter(std::string path, int fd, Encryption encryption)
    : path_(std::move(path)), fd_(fd), encryption_(encryption) {
  // rgnid[] starts at 0x400 for every type except those Outlook numbers from higher bases
  // (normal messages 0x10000, associated messages 0x8000, search folders 0x4000).
  rgnid_.fill(0x400);
  rgnid_[static_cast<std::size_t>(NidType::kSearchFolder)] = 0x4000;
  rgnid_[static_cast<std::size_t>(NidType::kNormalMessage)] = 0x10000;
  rgnid_[static_cast<std::size_t>(NidType::kAssocMessage)] = 0x8000;
  buffer_.assign(kFirstAMap, 0);  // the header area, written last
  cursor_ = kFirstAMap;
  openRegion(0);
}

NdbWriter::~NdbWriter() {
  if (fd_ >= 0) ::close(fd_);
}

Error NdbWriter::ioError(const std::string& what) const {
  return Error{"pstgen.io", what + ": " + std::strerror(errno), path_};
}

Nid NdbWriter::allocateNid(NidType type) {
  std::uint32_t& counter = rgnid_[static_cast<std::size_t>(type)];
  // nidIndex has 27 bits; past that NIDs would repeat, so the file fails instead.
  if (counter >= (1u << 27) - 1) {
    if (failed_) failed_ = Error{"pstgen.too_many_nodes", "no NIDs left for this node type", path_};
    return makeNid(type, counter);
  }
  ++counter;
  return makeNid(type, counter);
}

void NdbWriter::addNode(const NodeEntry& entry) { nbt_.push_back(entry); }

void NdbWriter::openRegion(std::uint64_t region) {
  region_ = region;
  amap_.fill(0);
  const std::uint64_t reserved = reservedPages(region) * kPageSize;
  markAllocated(regionStart(region), reserved);
  cursor_ = regionStart(region) + reserved;
  buffer_.resize(cursor_ - buffer_start_, 0);
}

void NdbWriter::markAllocated(std::uint64_t ib, std::uint64_t size) {
  const std::uint64_t first = (ib - regionStart(region_)) / kSlotSize;
  const std::uint64_t last = (ib + size - 1 - regionStart(region_)) / kSlotSize;
  for (std::uint64_t slot = first; slot <= last; ++slot) {
    amap_[slot / 8] = static_cast<std::uint8_t>(amap_[slot / 8] | (0x80 >> (slot % 8)));
  }
}

Status NdbWriter::writeMapPage(std::uint64_t ib, std::uint8_t ptype, ByteView bits) {
  Bytes page(kPageSize, 0);
  std::copy(bits.begin(), bits.end(), page.begin());
  std::uint8_t* trailer = page.data() + 496;
  trailer[0] = ptype;
  trailer[1] = ptype;
  setU16(trailer + 2, 0);  // map pages carry no signature
  setU32(trailer + 4, computeCrc(ByteView(page.data(), 496)));
  setU64(trailer + 8, ib);  // and their own offset where a BID would be
  return writeAt(ib, page);
}

Status NdbWriter::closeRegion() {
  std::uint64_t free_slots = 0;
  std::uint64_t run = 0;
  std::uint64_t longest = 0;
  for (std::size_t slot = 0; slot < 496 * 8; ++slot) {
    if ((amap_[slot / 8] & (0x80 >> (slot % 8))) == 0) {
      ++free_slots;
      longest = std::max(longest, ++run);
    } else {
      run = 0;
    }
  }
  free_bytes_ += free_slots * kSlotSize;
  longest_free_.push_back(static_cast<std::uint8_t>(std::min<std::uint64_t>(longest, 0xFF)));
  const std::uint64_t start = regionStart(region_);
  if (auto status = writeMapPage(start, kPtypeAMap, amap_); !status) return status;
  if (hasPMap(region_)) {
    // Version 23 files leave the deprecated PMap all ones, as Outlook 2007 and later do.
    const Bytes all_set(496, 0xFF);
    if (auto status = writeMapPage(start + kPageSize, kPtypePMap, all_set); !status) return status;
  }
  return {};
}

Result<std::uint64_t> NdbWriter::allocate(std::uint64_t size, std::uint64_t alignment) {
  for (;;) {
    const std::uint64_t ib = alignUp(cursor_, alignment);
    if (ib + size <= regionStart(region_ + 1)) {
      markAllocated(ib, size);
      cursor_ = ib + size;
      buffer_.resize(cursor_ - buffer_start_, 0);
      if (buffer_.size() >= kFlushThreshold) {
        if (auto status = flushBuffer(); !status) return status.error();
      }
      return ib;
    }
    if (auto status = closeRegion(); !status) return status.error();
    cursor_ = regionStart(region_ + 1);
    buffer_.resize(cursor_ - buffer_start_, 0);
    openRegion(region_ + 1);
  }
}

Status NdbWriter::writeAt(std::uint64_t ib, ByteView bytes) {
  if (ib >= buffer_start_) {
    std::copy(bytes.begin(), bytes.end(), buffer_.begin() + static_cast<std::ptrdiff_t>(ib - buffer_start_));
    return {};
  }
  // Only map pages and the header go behind the buffer; they never straddle it.
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t written = ::pwrite(fd_, bytes.data() + done, bytes.size() - done,
                                     static_cast<off_t>(ib + done));
    if (written < 0) {
      if (errno == EINTR) continue;
      return ioError("cannot write the PST");
    }
    done += static_cast<std::size_t>(written);
  }
  return {};
}

Status NdbWriter::flushBuffer() {
  // Map pages are written when their region closes, after their bytes may have left the buffer;
  // writeAt() then writes them in place, so nothing needs to stay behind here.
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t written = ::pwrite(fd_, buffer_.data() + done, buffer_.size() - done,
                                     static_cast<off_t>(buffer_start_ + done));
    if (written < 0) {
      if (errno == EINTR) continue;
      return ioError("cannot write the PST");
    }
    done += static_cast<std::size_t>(written);
  }
  buffer_start_ += buffer_.size();
  buffer_.clear();
  return {};
}

Result<BlockRef> NdbWriter::writeRawBlock(ByteView data, bool internal) {
  if (!failed_) return failed_.error();
  if (data.size() > kMaxBlockData) {
    return Error{"pstgen.block_size", "a block holds at most 8176 bytes", path_};
  }
  const Bid bid = next_block_bid_ | (internal ? 2 : 0);
  next_block_bid_ += 4;
  const std::uint64_t total = alignUp(data.size() + 16, 64);
  auto ib = allocate(total, 64);
  if (!ib) {
    failed_ = ib.error();
    return ib.error();
  }
  Bytes block(total, 0);
  std::copy(data.begin(), data.end(), block.begin());
  std::uint8_t* trailer = block.data() + total - 16;
  setU16(trailer, static_cast<std::uint16_t>(data.size()));
  setU16(trailer + 2, computeSignature(*ib, bid));
  setU32(trailer + 4, computeCrc(data));  // over the data as stored (after encoding)
  setU64(trailer + 8, bid);
  if (auto status = writeAt(*ib, block); !status) {
    failed_ = status;
    return status.error();
  }
  bbt_.push_back({bid, *ib, static_cast<std::uint16_t>(data.size())});
  return BlockRef{bid, static_cast<std::uint32_t>(data.size())};
}

Result<BlockRef> NdbWriter::writeBlock(ByteView data) {
  if (encryption_ == Encryption::kNone) return writeRawBlock(data, false);
  Bytes encoded(data.begin(), data.end());
  encodePermute(encoded);
  auto written = writeRawBlock(encoded, false);
  if (written) written->size = static_cast<std::uint32_t>(data.size());
  return written;
}

Result<Bid> NdbWriter::writeDataTree(std::span<const BlockRef> blocks) {
  if (blocks.empty()) return Bid{0};
  if (blocks.size() == 1) return blocks.front().bid;
  // XBLOCK/XXBLOCK: btype 0x01, cLevel, cEnt, lcbTotal, rgbid[] ([MS-PST] 2.2.2.8.3.2.1-2).
  auto writeLevel = [this](std::span<const BlockRef> children, std::uint8_t level) -> Result<BlockRef> {
    std::uint64_t total = 0;
    Bytes block;
    putU8(block, 0x01);
    putU8(block, level);
    putU16(block, static_cast<std::uint16_t>(children.size()));
    for (const BlockRef& child : children) total += child.size;
    if (total > 0xFFFFFFFFu) return Error{"pstgen.stream_size", "a node's data must be under 4 GiB", path_};
    putU32(block, static_cast<std::uint32_t>(total));
    for (const BlockRef& child : children) putU64(block, child.bid);
    auto written = writeRawBlock(block, true);
    if (!written) return written.error();
    return BlockRef{written->bid, static_cast<std::uint32_t>(total)};
  };
  std::vector<BlockRef> xblocks;
  for (std::size_t first = 0; first < blocks.size(); first += kMaxTreeEntries) {
    const std::size_t count = std::min(kMaxTreeEntries, blocks.size() - first);
    auto xblock = writeLevel(blocks.subspan(first, count), 1);
    if (!xblock) return xblock.error();
    xblocks.push_back(*xblock);
  }
  if (xblocks.size() == 1) return xblocks.front().bid;
  if (xblocks.size() > kMaxTreeEntries) {
    return Error{"pstgen.stream_size", "a node's data does not fit an XXBLOCK", path_};
  }
  auto xxblock = writeLevel(xblocks, 2);
  if (!xxblock) return xxblock.error();
  return xxblock->bid;
}

Result<Bid> NdbWriter::writeData(ByteView data) {
  std::vector<BlockRef> blocks;
  for (std::size_t offset = 0; offset < data.size(); offset += kMaxBlockData) {
    auto block = writeBlock(data.subspan(offset, std::min(kMaxBlockData, data.size() - offset)));
    if (!block) return block.error();
    blocks.push_back(*block);
  }
  return writeDataTree(blocks);
}

Result<Bid> NdbWriter::writeSubnodeTree(std::vector<SubnodeEntry> entries) {
  if (entries.empty()) return Bid{0};
  std::sort(entries.begin(), entries.end(), [](const SubnodeEntry& a, const SubnodeEntry& b) { return a.nid < b.nid; });
  for (std::size_t i = 1; i < entries.size(); ++i) {
    if (entries[i].nid == entries[i - 1].nid) {
      return Error{"pstgen.duplicate_subnode", "two subnodes of one node share a NID", path_};
    }
  }
  // SLBLOCK: btype 0x02, cLevel 0, cEnt, dwPadding, SLENTRY{nid(8), bidData, bidSub}[].
  std::vector<std::pair<Nid, Bid>> leaves;
  for (std::size_t first = 0; first < entries.size(); first += kMaxSlEntries) {
    const std::size_t count = std::min(kMaxSlEntries, entries.size() - first);
    Bytes block;
    putU8(block, 0x02);
    putU8(block, 0);
    putU16(block, static_cast<std::uint16_t>(count));
    putU32(block, 0);
    for (std::size_t i = first; i < first + count; ++i) {
      putU64(block, entries[i].nid);
      putU64(block, entries[i].bid_data);
      putU64(block, entries[i].bid_sub);
    }
    auto written = writeRawBlock(block, true);
    if (!written) return written.error();
    leaves.emplace_back(entries[first].nid, written->bid);
  }
  if (leaves.size() == 1) return leaves.front().second;
  if (leaves.size() > kMaxSiEntries) {
    return Error{"pstgen.too_many_subnodes", "a node has more subnodes than one SIBLOCK can index", path_};
  }
  // SIBLOCK: btype 0x02, cLevel 1, cEnt, dwPadding, SIENTRY{nid(8), bid}[].
  Bytes block;
  putU8(block, 0x02);
  putU8(block, 1);
  putU16(block, static_cast<std::uint16_t>(leaves.size()));
  putU32(block, 0);
  for (const auto& [nid, bid] : leaves) {
    putU64(block, nid);
    putU64(block, bid);
  }
  auto written = writeRawBlock(block, true);
  if (!written) return written.error();
  return written->bid;
}

Result<NdbWriter::PageRef> NdbWriter::writeBTreePage(std::uint8_t ptype, std::uint8_t level, std::uint8_t entry_size,
                                                     std::uint8_t max_entries, ByteView entries,
                                                     std::uint64_t first_key) {
  auto ib = allocate(kPageSize, kPageSize);
  if (!ib) return ib.error();
  const Bid bid = next_page_bid_;
  next_page_bid_ += 4;
  Bytes page(kPageSize, 0);
  std::copy(entries.begin(), entries.end(), page.begin());
  page[488] = static_cast<std::uint8_t>(entries.size() / entry_size);  // cEnt
  page[489] = max_entries;                                           // cEntMax
  page[490] = entry_size;                                            // cbEnt
  page[491] = level;                                                 // cLevel
  std::uint8_t* trailer = page.data() + 496;
  trailer[0] = ptype;
  trailer[1] = ptype;
  setU16(trailer + 2, computeSignature(*ib, bid));
  setU32(trailer + 4, computeCrc(ByteView(page.data(), 496)));
  setU64(trailer + 8, bid);
  if (auto status = writeAt(*ib, page); !status) return status.error();
  return PageRef{first_key, bid, *ib};
}

Result<NdbWriter::PageRef> NdbWriter::writeBTree(std::uint8_t ptype, std::uint8_t leaf_entry_size,
                                                 std::uint8_t leaf_max,
                                                 std::vector<std::pair<std::uint64_t, Bytes>> leaf_entries) {
  // Intermediate entries (BTENTRY): btkey(8), BREF{bid(8), ib(8)}; 20 fit in the 488 bytes.
  constexpr std::uint8_t kBtEntrySize = 24;
  constexpr std::uint8_t kBtEntryMax = 20;
  std::vector<PageRef> level_pages;
  if (leaf_entries.empty()) {
    auto page = writeBTreePage(ptype, 0, leaf_entry_size, leaf_max, {}, 0);
    if (!page) return page.error();
    return *page;
  }
  for (std::size_t first = 0; first < leaf_entries.size(); first += leaf_max) {
    const std::size_t count = std::min<std::size_t>(leaf_max, leaf_entries.size() - first);
    Bytes entries;
    for (std::size_t i = first; i < first + count; ++i) putBytes(entries, leaf_entries[i].second);
    auto page = writeBTreePage(ptype, 0, leaf_entry_size, leaf_max, entries, leaf_entries[first].first);
    if (!page) return page.error();
    level_pages.push_back(*page);
  }
  std::uint8_t level = 0;
  while (level_pages.size() > 1) {
    ++level;
    std::vector<PageRef> parents;
    for (std::size_t first = 0; first < level_pages.size(); first += kBtEntryMax) {
      const std::size_t count = std::min<std::size_t>(kBtEntryMax, level_pages.size() - first);
      Bytes entries;
      for (std::size_t i = first; i < first + count; ++i) {
        putU64(entries, level_pages[i].key);
        putU64(entries, level_pages[i].bid);
        putU64(entries, level_pages[i].ib);
      }
      auto page = writeBTreePage(ptype, level, kBtEntrySize, kBtEntryMax, entries, level_pages[first].key);
      if (!page) return page.error();
      parents.push_back(*page);
    }
    level_pages = std::move(parents);
  }
  return level_pages.front();
}

Status NdbWriter::writeHeader(const PageRef& nbt, const PageRef& bbt, std::uint64_t file_size) {
  // HEADER, Unicode layout ([MS-PST] 2.2.2.6).
  Bytes header;
  putBytes(header, ByteView(reinterpret_cast<const std::uint8_t*>("!BDN"), 4));  // dwMagic
  putU32(header, 0);                                                             // dwCRCPartial, below
  putBytes(header, ByteView(reinterpret_cast<const std::uint8_t*>("SM"), 2));    // wMagicClient
  putU16(header, 23);                                                            // wVer: Unicode
  putU16(header, 19);                                                            // wVerClient
  putU8(header, 0x01);                                                           // bPlatformCreate
  putU8(header, 0x01);                                                           // bPlatformAccess
  putU32(header, 0);                                                             // dwReserved1
  putU32(header, 0);                                                             // dwReserved2
  putU64(header, 0);                                                             // bidUnused
  putU64(header, next_page_bid_);                                                // bidNextP
  putU32(header, 1);                                                             // dwUnique
  for (const std::uint32_t nid : rgnid_) putU32(header, nid);                    // rgnid[32]
  putU64(header, 0);                                                             // qwUnused
  // ROOT
  putU32(header, 0);                                    // dwReserved
  putU64(header, file_size);                            // ibFileEof
  putU64(header, regionStart(region_));                 // ibAMapLast
  putU64(header, free_bytes_);                          // cbAMapFree
  putU64(header, 0);                                    // cbPMapFree
  putU64(header, nbt.bid);                              // BREFNBT
  putU64(header, nbt.ib);
  putU64(header, bbt.bid);                              // BREFBBT
  putU64(header, bbt.ib);
  putU8(header, 0x02);                                  // fAMapValid: VALID_AMAP2
  putU8(header, 0);                                     // bReserved
  putU16(header, 0);                                    // wReserved
  putU32(header, 0);                                    // dwAlign
  header.insert(header.end(), 128, 0xFF);               // rgbFM: deprecated, all 0xFF
  header.insert(header.end(), 128, 0xFF);               // rgbFP: deprecated, all 0xFF
  putU8(header, 0x80);                                  // bSentinel
  putU8(header, static_cast<std::uint8_t>(encryption_));  // bCryptMethod
  putU16(header, 0);                                    // rgbReserved
  putU64(header, next_block_bid_);                      // bidNextB
  putU32(header, 0);                                    // dwCRCFull, below
  putZeros(header, 3 + 1 + 32);                         // rgbReserved2, bReserved, rgbReserved3
  if (header.size() != kHeaderSize) return Error{"pstgen.internal", "header layout", path_};
  setU32(header.data() + 4, computeCrc(ByteView(header.data() + 8, 471)));
  setU32(header.data() + 0x20C, computeCrc(ByteView(header.data() + 8, 516)));
  return writeAt(0, header);
}

Result<NdbSummary> NdbWriter::finish() {
  if (!failed_) return failed_.error();
  if (fd_ < 0) return Error{"pstgen.finished", "the PST was already finished", path_};

  std::sort(nbt_.begin(), nbt_.end(), [](const NodeEntry& a, const NodeEntry& b) { return a.nid < b.nid; });
  for (std::size_t i = 1; i < nbt_.size(); ++i) {
    if (nbt_[i].nid == nbt_[i - 1].nid) {
      return Error{"pstgen.duplicate_node", "two nodes share NID " + std::to_string(nbt_[i].nid), path_};
    }
  }
  // NBTENTRY: nid (8, zero-extended), bidData, bidSub, nidParent, dwPadding; 15 per page.
  std::vector<std::pair<std::uint64_t, Bytes>> nbt_entries;
  nbt_entries.reserve(nbt_.size());
  for (const NodeEntry& node : nbt_) {
    Bytes entry;
    putU64(entry, node.nid);
    putU64(entry, node.bid_data);
    putU64(entry, node.bid_sub);
    putU32(entry, node.parent);
    putU32(entry, 0);
    nbt_entries.emplace_back(node.nid, std::move(entry));
  }
  const std::uint64_t node_count = nbt_.size();
  nbt_.clear();
  nbt_.shrink_to_fit();
  auto nbt = writeBTree(kPtypeNbt, 32, 15, std::move(nbt_entries));
  if (!nbt) return nbt.error();

  // BBTENTRY: BREF{bid, ib}, cb, cRef, dwPadding; 20 per page. Each block has one reference from
  // the tree that uses it, and Outlook counts the BBT's own as another: cRef 2.
  std::sort(bbt_.begin(), bbt_.end(), [](const BbtEntry& a, const BbtEntry& b) { return a.bid < b.bid; });
  std::vector<std::pair<std::uint64_t, Bytes>> bbt_entries;
  bbt_entries.reserve(bbt_.size());
  for (const BbtEntry& block : bbt_) {
    Bytes entry;
    putU64(entry, block.bid);
    putU64(entry, block.ib);
    putU16(entry, block.cb);
    putU16(entry, 2);
    putU32(entry, 0);
    bbt_entries.emplace_back(block.bid, std::move(entry));
  }
  const std::uint64_t block_count = bbt_.size();
  bbt_.clear();
  bbt_.shrink_to_fit();
  auto bbt = writeBTree(kPtypeBbt, 24, 20, std::move(bbt_entries));
  if (!bbt) return bbt.error();

  // Outlook grows a PST by whole AMap regions; the rest of the last one stays free.
  const std::uint64_t file_size = regionStart(region_ + 1);
  cursor_ = file_size;
  buffer_.resize(cursor_ - buffer_start_, 0);
  if (auto status = closeRegion(); !status) return status.error();

  // FMaps: one byte per AMap region, the longest run of free 64-byte slots in it.
  for (std::uint64_t region = 0; region <= region_; ++region) {
    if (!hasFMap(region)) continue;
    Bytes bits(496, 0);
    for (std::uint64_t i = 0; i < 496 && region + i < longest_free_.size(); ++i) bits[i] = longest_free_[region + i];
    const std::uint64_t ib = regionStart(region) + 2 * kPageSize;
    if (auto status = writeMapPage(ib, kPtypeFMap, bits); !status) return status.error();
  }
  for (std::uint64_t region = 0; region <= region_; ++region) {
    if (!hasFPMap(region)) continue;
    const Bytes bits(496, 0xFF);
    const std::uint64_t ib = regionStart(region) + (reservedPages(region) - 1) * kPageSize;
    if (auto status = writeMapPage(ib, kPtypeFPMap, bits); !status) return status.error();
  }
  if (auto status = writeHeader(*nbt, *bbt, file_size); !status) return status.error();
  if (auto status = flushBuffer(); !status) return status.error();
  if (::ftruncate(fd_, static_cast<off_t>(file_size)) != 0) return ioError("cannot size the PST");
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) return ioError("cannot close the PST");
  return NdbSummary{file_size, block_count, node_count, free_bytes_};
}

Status DataStreamWriter::append(ByteView data) {
  size_ += data.size();
  std::size_t offset = 0;
  while (offset < data.size()) {
    const std::size_t take = std::min(kMaxBlockData - pending_.size(), data.size() - offset);
    pending_.insert(pending_.end(), data.begin() + static_cast<std::ptrdiff_t>(offset),
                    data.begin() + static_cast<std::ptrdiff_t>(offset + take));
    offset += take;
    if (pending_.size() == kMaxBlockData) {
      auto block = ndb_.writeBlock(pending_);
      if (!block) return block.error();
      blocks_.push_back(*block);
      pending_.clear();
    }
  }
  return {};
}

Result<Bid> DataStreamWriter::finish() {
  if (!pending_.empty()) {
    auto block = ndb_.writeBlock(pending_);
    if (!block) return block.error();
    blocks_.push_back(*block);
    pending_.clear();
  }
  return ndb_.writeDataTree(blocks_);
}

}  // namespace m2z::pstgen
