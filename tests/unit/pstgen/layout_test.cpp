// The node database and LTP structures tools/pstgen writes, decoded by the test's own inspector
// (pst_inspect.cpp) and checked against the layouts of [MS-PST] 2.2 and 2.3.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "pst_inspect.h"
#include "pstgen/heap_writer.h"
#include "pstgen/pst_writer.h"
#include "pstgen/table_context.h"
#include "test_support.h"

namespace m2z::pstgen {
namespace {

using testing::Node;
using testing::PstInspector;
using testing::ScratchDir;

std::string describeProblems(const PstInspector& inspector) {
  std::string out;
  for (const std::string& problem : inspector.problems()) out += problem + "; ";
  return out;
}

// Writes a file with one extra node whose data is built by `build`, returns the node.
template <class Build>
std::string writeWithNode(const ScratchDir& dir, Nid nid, Build&& build) {
  const std::string path = dir.file("node.pst");
  auto ndb = NdbWriter::create(path, Encryption::kNone);
  EXPECT_TRUE(ndb);
  if (!ndb) return path;
  build(**ndb, nid);
  auto summary = (*ndb)->finish();
  EXPECT_TRUE(summary) << (summary ? "" : summary.error().describe());
  return path;
}

TEST(PstLayoutTest, EmptyStoreIsOneAMapRegionWithTheMandatoryNodes) {
  ScratchDir dir;
  const std::string path = dir.file("empty.pst");
  auto writer = PstWriter::create(path, StoreOptions{});
  ASSERT_TRUE(writer);
  ASSERT_TRUE((*writer)->finish());
  PstInspector pst(path);
  ASSERT_TRUE(pst.loaded()) << describeProblems(pst);
  // 0x4400 bytes of header area plus one AMap region of 496 * 8 * 64 bytes: the 271,360 bytes of
  // an empty Outlook 2007+ PST.
  EXPECT_EQ(pst.file().size(), 0x4400u + 253952u);
  EXPECT_EQ(pst.version(), 23);
  EXPECT_EQ(pst.cryptMethod(), 0);
  EXPECT_EQ(pst.file()[0x200], 0x80);  // bSentinel
  // Mandatory nodes ([MS-PST] 2.4.1, 2.7.1): store, name map, root folder and its tables, search
  // queues, the table templates, and the IPM subtree, search root and deleted items folders.
  for (const std::uint32_t nid : {0x21u, 0x61u, 0x122u, 0x12Du, 0x12Eu, 0x12Fu, 0x1E1u, 0x201u, 0x261u, 0x60Du,
                                  0x60Eu, 0x60Fu, 0x610u, 0x671u, 0x692u, 0x8022u, 0x802Du, 0x802Eu, 0x802Fu,
                                  0x8042u, 0x8062u}) {
    EXPECT_EQ(pst.nodes().count(nid), 1u) << std::hex << nid;
  }
  EXPECT_EQ(pst.nodes().at(0x122).parent, 0x122u);   // the root folder is its own parent
  EXPECT_EQ(pst.nodes().at(0x8022).parent, 0x122u);
  EXPECT_EQ(pst.nodes().at(0x8062).parent, 0x8022u);  // Deleted Items under the IPM subtree
  EXPECT_EQ(pst.amapMismatches(), 0u);
  EXPECT_EQ(pst.headerU64(0xC8), pst.amapFreeBytes());  // cbAMapFree
  EXPECT_TRUE(pst.problems().empty()) << describeProblems(pst);
}

TEST(PstLayoutTest, StoreEntryIdsNameTheSpecialFolders) {
  ScratchDir dir;
  const std::string path = dir.file("store.pst");
  StoreOptions options;
  for (std::size_t i = 0; i < 16; ++i) options.record_key[i] = static_cast<std::uint8_t>(0xA0 + i);
  auto writer = PstWriter::create(path, options);
  ASSERT_TRUE(writer);
  ASSERT_TRUE((*writer)->finish());
  PstInspector pst(path);
  const auto store = pst.propertyContext(0x21);
  // EntryID: 4 flag bytes (0), the store's record key, the NID little-endian ([MS-PST] 2.4.3.2).
  auto entryId = [&](std::uint32_t nid) {
    testing::Bytes id(4, 0);
    for (std::size_t i = 0; i < 16; ++i) id.push_back(static_cast<std::uint8_t>(0xA0 + i));
    for (int i = 0; i < 4; ++i) id.push_back(static_cast<std::uint8_t>(nid >> (8 * i)));
    return id;
  };
  ASSERT_EQ(store.count(0x35E0), 1u);
  EXPECT_EQ(store.at(0x35E0).data, entryId(0x8022));  // PidTagIpmSubTreeEntryId
  EXPECT_EQ(store.at(0x35E3).data, entryId(0x8062));  // PidTagIpmWastebasketEntryId
  EXPECT_EQ(store.at(0x35E7).data, entryId(0x8042));  // PidTagFinderEntryId
  EXPECT_TRUE(pst.problems().empty()) << describeProblems(pst);
}

TEST(PstLayoutTest, SmallPropertyContextHasTheSpecLayout) {
  ScratchDir dir;
  const std::string path = writeWithNode(dir, 0x8022, [](NdbWriter& ndb, Nid nid) {
    LocalNids nids;
    std::vector<PcProperty> properties = {{0x3602, taggedInt32(0x3602, 5)}, {0x3001, taggedString(0x3001, "ab")}};
    auto pc = writePropertyContext(ndb, properties, nids);
    ASSERT_TRUE(pc);
    ndb.addNode({nid, pc->bid_data, 0, 0});
  });
  PstInspector pst(path);
  const auto pages = pst.nodeData(pst.nodes().at(0x8022).bid_data);
  ASSERT_EQ(pages.size(), 1u);
  // Worked out from [MS-PST] 2.3.1 and 2.3.3:
  //   HNHDR: ibHnpm 0x28, bSig 0xEC, bClientSig 0xBC (PC), hidUserRoot 0x20, fill levels 0
  //   alloc 1 @12 (HID 0x20): BTHHEADER bType 0xB5, cbKey 2, cbEnt 6, no index levels, root 0x40
  //   alloc 2 @20 (HID 0x40): records by property id: 0x3001 string -> HID 0x60, 0x3602 int32 = 5
  //   alloc 3 @36 (HID 0x60): "ab" as UTF-16LE, no terminator
  //   HNPAGEMAP @40: cAlloc 3, cFree 0, rgibAlloc 12, 20, 36, 40
  const testing::Bytes expected = {
      0x28, 0x00, 0xEC, 0xBC, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // HNHDR
      0xB5, 0x02, 0x06, 0x00, 0x40, 0x00, 0x00, 0x00,                          // BTHHEADER
      0x01, 0x30, 0x1F, 0x00, 0x60, 0x00, 0x00, 0x00,                          // 0x3001 PtypString
      0x02, 0x36, 0x03, 0x00, 0x05, 0x00, 0x00, 0x00,                          // 0x3602 PtypInteger32
      0x61, 0x00, 0x62, 0x00,                                                  // "ab"
      0x03, 0x00, 0x00, 0x00, 0x0C, 0x00, 0x14, 0x00, 0x24, 0x00, 0x28, 0x00};  // HNPAGEMAP
  EXPECT_EQ(pages[0], expected);
  EXPECT_TRUE(pst.problems().empty()) << describeProblems(pst);
}

TEST(PstLayoutTest, PropertyValuesGoInlineOnTheHeapOrToSubnodes) {
  ScratchDir dir;
  const std::string long_text(1800, 'x');   // 3600 bytes as UTF-16: over the 3580-byte heap limit
  const std::string heap_text(1790, 'y');   // 3580 bytes: the largest heap allocation
  const std::string path = writeWithNode(dir, 0x200024, [&](NdbWriter& ndb, Nid nid) {
    LocalNids nids;
    Property body = tagged(0x1000, ptype::kString, {});
    body.generated = GeneratedContent{100000, 7, true};  // 200,000 bytes: a data tree
    std::vector<PcProperty> properties = {
        {0x0017, taggedInt32(0x0017, -2)},
        {0x0057, taggedBool(0x0057, true)},
        {0x0005, tagged(0x0005, ptype::kInteger16, encodeInt16(513))},
        {0x0037, taggedString(0x0037, heap_text)},
        {0x0070, taggedString(0x0070, long_text)},
        {0x3007, taggedTime(0x3007, fileTimeFromUnix(0))},
        {0x1000, body},
        {0x0001, tagged(0x0001, ptype::kMultipleString, encodeMultiString({"a", "bc"}))}};
    auto pc = writePropertyContext(ndb, properties, nids);
    ASSERT_TRUE(pc) << pc.error().describe();
    auto sub = ndb.writeSubnodeTree(pc->subnodes);
    ASSERT_TRUE(sub);
    ndb.addNode({nid, pc->bid_data, *sub, 0});
  });
  PstInspector pst(path);
  const Node node = pst.nodes().at(0x200024);
  const auto properties = pst.propertyContext(node.bid_data, node.bid_sub);
  // Inline values keep their 4-byte slot ([MS-PST] 2.3.3.3): -2, true, 513.
  EXPECT_EQ(properties.at(0x0017).data, (testing::Bytes{0xFE, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(properties.at(0x0057).data[0], 1);
  EXPECT_EQ(properties.at(0x0005).data[0] | (properties.at(0x0005).data[1] << 8), 513);
  EXPECT_EQ(properties.at(0x0037).data.size(), 3580u);
  EXPECT_EQ(properties.at(0x0070).data.size(), 3600u);
  // FILETIME of the Unix epoch: 11644473600 s * 10^7 = 0x019DB1DED53E8000.
  EXPECT_EQ(properties.at(0x3007).data, (testing::Bytes{0x00, 0x80, 0x3E, 0xD5, 0xDE, 0xB1, 0x9D, 0x01}));
  EXPECT_EQ(properties.at(0x1000).data.size(), 200000u);
  // PtypMultipleString: count 2, offsets 12 and 14, then "a" and "bc" in UTF-16LE.
  EXPECT_EQ(properties.at(0x0001).data,
            (testing::Bytes{2, 0, 0, 0, 12, 0, 0, 0, 14, 0, 0, 0, 'a', 0, 'b', 0, 'c', 0}));
  // The two large values are subnodes; the 200,000-byte one needs 25 blocks under an XBLOCK.
  const auto subs = pst.subnodes(node.bid_sub);
  EXPECT_EQ(subs.size(), 2u);
  std::size_t trees = 0;
  for (const auto& [nid, sub] : subs) {
    EXPECT_EQ(nid & 0x1F, 0x1Fu);  // NID_TYPE_LTP
    if (pst.dataTreeLevel(sub.bid_data) == 1) {
      ++trees;
      EXPECT_EQ(pst.nodeData(sub.bid_data).size(), 25u);  // ceil(200000 / 8176)
    }
  }
  EXPECT_EQ(trees, 1u);
  EXPECT_TRUE(pst.problems().empty()) << describeProblems(pst);
}

TEST(PstLayoutTest, TableRowsFollowTheColumnOrderAndSpanPaddedBlocks) {
  ScratchDir dir;
  // The hierarchy-table columns in Outlook's order; 4-byte cells from offset 8, the 8-byte
  // 0x0E330014 among them, then the one boolean: rgib = 52, 52, 53 and 53 + ceil(13 / 8) = 55.
  const std::vector<std::uint32_t> columns = {0x3001001F, 0x36020003, 0x36030003, 0x360A000B, 0x0E300102, 0x0E330014,
                                              0x0E340102, 0x0E380003, 0x3613001F, 0x66350003, 0x66360003};
  constexpr std::uint32_t kRows = 1000;
  const std::string path = writeWithNode(dir, 0x802D, [&](NdbWriter& ndb, Nid nid) {
    TableWriter table(ndb, columns);
    for (std::uint32_t i = 0; i < kRows; ++i) {
      const std::vector<TableCell> cells = {{0x3001001F, taggedString(0x3001, "F" + std::to_string(i))},
                                            {0x36020003, taggedInt32(0x3602, static_cast<std::int32_t>(i))},
                                            {0x360A000B, taggedBool(0x360A, i % 2 == 0)}};
      ASSERT_TRUE(table.addRow(0x8000 + i * 32 + 2, cells));
    }
    auto content = table.finish();
    ASSERT_TRUE(content);
    auto sub = ndb.writeSubnodeTree(content->subnodes);
    ASSERT_TRUE(sub);
    ndb.addNode({nid, content->bid_data, *sub, 0});
  });
  PstInspector pst(path);
  const auto table = pst.tableContext(0x802D);
  ASSERT_TRUE(table);
  EXPECT_EQ(table->ends[0], 52);
  EXPECT_EQ(table->ends[1], 52);
  EXPECT_EQ(table->ends[2], 53);
  EXPECT_EQ(table->ends[3], 55);
  // Display name right after row id and version; the boolean in the 1-byte group.
  auto column = [&](std::uint32_t tag) {
    return *std::find_if(table->columns.begin(), table->columns.end(), [&](const auto& c) { return c.tag == tag; });
  };
  EXPECT_EQ(column(0x3001001F).offset, 8);
  EXPECT_EQ(column(0x0E330014).offset, 24);
  EXPECT_EQ(column(0x0E330014).size, 8);
  EXPECT_EQ(column(0x360A000B).offset, 52);
  // 8176 / 55 = 148 rows per block: 1000 rows need 7 blocks; 8 bytes per row-index record, 447 per
  // leaf, so 3 leaves under one index level.
  EXPECT_EQ(table->row_blocks, 7u);
  EXPECT_EQ(table->index_levels, 1);
  ASSERT_EQ(table->rows.size(), kRows);
  for (std::uint32_t i = 0; i < kRows; i += 111) {
    EXPECT_EQ(table->row_ids[i], 0x8000 + i * 32 + 2);
    const auto& name = table->rows[i].at(0x3001001F);
    const std::string expected = "F" + std::to_string(i);
    ASSERT_EQ(name.size(), expected.size() * 2);
    for (std::size_t c = 0; c < expected.size(); ++c) EXPECT_EQ(name[2 * c], expected[c]);
    EXPECT_EQ(table->rows[i].at(0x360A000B)[0], i % 2 == 0 ? 1 : 0);
    EXPECT_EQ(table->rows[i].count(0x3613001F), 0u);  // never set: its existence bit is clear
  }
  EXPECT_TRUE(pst.problems().empty()) << describeProblems(pst);
}

TEST(PstLayoutTest, LongStreamsUseXxblocksAndManySubnodesAnSiblock) {
  ScratchDir dir;
  // 1021 full blocks fill one XBLOCK ([MS-PST] 2.2.2.8.3.2.1); one byte more needs an XXBLOCK.
  const std::size_t size = 8176u * 1021u + 1u;
  const std::string path = writeWithNode(dir, 0x200024, [&](NdbWriter& ndb, Nid nid) {
    testing::Bytes data(size);
    for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<std::uint8_t>(i * 7);
    auto stream = ndb.writeData(data);
    ASSERT_TRUE(stream);
    // 400 subnodes: more than the 340 of one SLBLOCK, so an SIBLOCK over two.
    std::vector<SubnodeEntry> subnodes;
    for (std::uint32_t i = 1; i <= 400; ++i) subnodes.push_back({makeNid(NidType::kLtp, i), *stream, 0});
    auto sub = ndb.writeSubnodeTree(subnodes);
    ASSERT_TRUE(sub);
    ndb.addNode({nid, *stream, *sub, 0});
  });
  PstInspector pst(path);
  const Node node = pst.nodes().at(0x200024);
  EXPECT_EQ(pst.dataTreeLevel(node.bid_data), 2);
  const auto blocks = pst.nodeData(node.bid_data);
  ASSERT_EQ(blocks.size(), 1022u);
  EXPECT_EQ(blocks.back().size(), 1u);
  EXPECT_EQ(blocks[5][3], static_cast<std::uint8_t>((5 * 8176 + 3) * 7));
  EXPECT_EQ(pst.subnodes(node.bid_sub).size(), 400u);
  const auto root = pst.block(node.bid_sub);
  ASSERT_TRUE(root);
  EXPECT_EQ((*root)[1], 1);  // cLevel 1: an SIBLOCK
  EXPECT_EQ(pst.amapMismatches(), 0u);
  EXPECT_TRUE(pst.problems().empty()) << describeProblems(pst);
}

TEST(PstLayoutTest, FilesPastThe128thAMapGetFMapsAndStayConsistent) {
  ScratchDir dir;
  // 128 AMap regions cover 0x4400 + 128 * 253952 = 0x1F04400 bytes; write a bit more so that the
  // 129th region (AMap, PMap, FMap at 0x1F04400, 0x1F04600, 0x1F04800) exists.
  const std::string path = writeWithNode(dir, 0x200024, [&](NdbWriter& ndb, Nid nid) {
    DataStreamWriter stream(ndb);
    const testing::Bytes chunk(1 << 20, 0x5A);
    for (int i = 0; i < 33; ++i) ASSERT_TRUE(stream.append(chunk));
    auto root = stream.finish();
    ASSERT_TRUE(root);
    ndb.addNode({nid, *root, 0, 0});
  });
  PstInspector pst(path);
  ASSERT_GT(pst.file().size(), 0x1F04A00u);
  EXPECT_EQ(pst.file()[0x1F04400 + 496], 0x84);  // AMap
  EXPECT_EQ(pst.file()[0x1F04600 + 496], 0x83);  // PMap
  EXPECT_EQ(pst.file()[0x1F04800 + 496], 0x82);  // FMap
  EXPECT_EQ(pst.amapMismatches(), 0u);
  EXPECT_EQ(pst.headerU64(0xC8), pst.amapFreeBytes());
  EXPECT_EQ(pst.headerU64(0xC0), pst.file().size() - 253952u);  // ibAMapLast: the last region's AMap
  EXPECT_TRUE(pst.problems().empty()) << describeProblems(pst);
}

TEST(PstLayoutTest, CompressibleEncodingIsReadableByLibpff) {
  ScratchDir dir;
  const std::string path = dir.file("compressible.pst");
  StoreOptions options;
  options.encryption = Encryption::kCompressible;
  options.display_name = "Geschäftlich";
  auto writer = PstWriter::create(path, options);
  ASSERT_TRUE(writer);
  ASSERT_TRUE((*writer)->finish());
  PstInspector pst(path);  // decodes external blocks with libpff's own table
  EXPECT_EQ(pst.cryptMethod(), 1);
  const auto store = pst.propertyContext(0x21);
  // "Geschäftlich" in UTF-16LE: ä is U+00E4.
  const testing::Bytes name = {'G', 0, 'e', 0, 's', 0, 'c', 0, 'h', 0, 0xE4, 0, 'f', 0, 't', 0, 'l', 0, 'i', 0, 'c', 0, 'h', 0};
  EXPECT_EQ(store.at(0x3001).data, name);
  EXPECT_TRUE(pst.problems().empty()) << describeProblems(pst);
}

TEST(PstLayoutTest, BadRequestsAreErrorsNotCrashes) {
  ScratchDir dir;
  auto missing = NdbWriter::create(dir.file("no/such/dir/x.pst"), Encryption::kNone);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "pstgen.io");

  auto ndb = NdbWriter::create(dir.file("bad.pst"), Encryption::kNone);
  ASSERT_TRUE(ndb);
  EXPECT_FALSE((*ndb)->writeBlock(testing::Bytes(8177, 0)));
  HeapWriter heap(**ndb, kClientPropertyContext);
  EXPECT_FALSE(heap.allocate({}));
  EXPECT_FALSE(heap.allocate(testing::Bytes(3581, 0)));
  LocalNids nids;
  EXPECT_FALSE(writePropertyContext(**ndb, {{0x3001, taggedString(0x3001, "a")}, {0x3001, taggedString(0x3001, "b")}}, nids));
  EXPECT_FALSE(writePropertyContext(**ndb, {{0x3001, tagged(0x3001, 0x0999, {})}}, nids));
  EXPECT_FALSE(writePropertyContext(**ndb, {{0x3602, tagged(0x3602, ptype::kInteger32, {1, 2})}}, nids));
  TableWriter table(**ndb, {0x3001001F});
  const std::vector<TableCell> unknown = {{0x36020003, taggedInt32(0x3602, 1)}};
  EXPECT_FALSE(table.addRow(1, unknown));
  (*ndb)->addNode({0x21, 0, 0, 0});
  (*ndb)->addNode({0x21, 0, 0, 0});
  auto finished = (*ndb)->finish();
  ASSERT_FALSE(finished);
  EXPECT_EQ(finished.error().code, "pstgen.duplicate_node");
}

}  // namespace
}  // namespace m2z::pstgen
