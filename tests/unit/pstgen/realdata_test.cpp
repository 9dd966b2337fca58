// tools/pstgen against PST files Outlook wrote (../shared/testdata/pst): the same checksums for
// the same bytes, and byte-identical heap, property-context and table-context layouts for the
// folders and table templates every PST has.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "pst_inspect.h"
#include "pstgen/checksum.h"
#include "pstgen/pst_writer.h"
#include "test_support.h"

namespace m2z::pstgen {
namespace {

namespace fs = std::filesystem;
using testing::PstInspector;

const fs::path kPstDir = fs::path(M2Z_SHARED_DIR) / "testdata" / "pst";

std::uint32_t u32(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  return static_cast<std::uint32_t>(bytes[at]) | (static_cast<std::uint32_t>(bytes[at + 1]) << 8) |
         (static_cast<std::uint32_t>(bytes[at + 2]) << 16) | (static_cast<std::uint32_t>(bytes[at + 3]) << 24);
}

TEST(PstRealDataTest, OurCrcAndSignaturesMatchOutlooksOnEveryUnicodeFile) {
  ASSERT_TRUE(fs::is_directory(kPstDir)) << kPstDir;
  int files = 0;
  for (const auto& entry : fs::directory_iterator(kPstDir)) {
    const PstInspector pst(entry.path().string());
    if (!pst.loaded()) continue;  // ANSI files are not what pstgen writes
    SCOPED_TRACE(entry.path().filename().string());
    ++files;
    const auto& file = pst.file();
    // The header's own checksums ([MS-PST] 2.2.2.6).
    EXPECT_EQ(computeCrc(ByteView(file.data() + 8, 471)), u32(file, 4));
    EXPECT_EQ(computeCrc(ByteView(file.data() + 8, 516)), u32(file, 0x20C));
    // Every block's trailer: CRC over the stored data, signature from its offset and BID.
    for (const auto& [bid, block] : pst.blocks()) {
      const std::size_t total = (block.cb + 16u + 63u) / 64u * 64u;
      const std::uint8_t* trailer = file.data() + block.ib + total - 16;
      EXPECT_EQ(computeCrc(ByteView(file.data() + block.ib, block.cb)), u32(file, block.ib + total - 12));
      EXPECT_EQ(computeSignature(block.ib, bid), static_cast<std::uint16_t>(trailer[2] | (trailer[3] << 8)));
    }
  }
  EXPECT_GE(files, 5);
}

TEST(PstRealDataTest, FolderAndTemplateNodesAreByteIdenticalToOutlooks) {
  // aspose-net__PersonalStorageFile1.pst is an Outlook 2010 store; its root folder, special
  // folders and table templates hold the same properties and columns pstgen writes for an empty
  // store, so the heaps must be the same bytes.
  testing::ScratchDir dir;
  const std::string path = dir.file("empty.pst");
  auto writer = PstWriter::create(path, StoreOptions{});
  ASSERT_TRUE(writer);
  ASSERT_TRUE((*writer)->finish());
  PstInspector ours(path);
  PstInspector theirs((kPstDir / "aspose-net__PersonalStorageFile1.pst").string());
  ASSERT_TRUE(theirs.loaded());
  // 0x122 root, 0x8022 IPM subtree, 0x8042 search root, 0x8062 deleted items; templates 0x60D
  // hierarchy, 0x60E contents, 0x60F associated contents, 0x610 search contents, 0x671
  // attachments, 0x692 recipients.
  for (const std::uint32_t nid : {0x122u, 0x8022u, 0x8042u, 0x8062u, 0x60Du, 0x60Eu, 0x60Fu, 0x610u, 0x671u, 0x692u}) {
    SCOPED_TRACE(nid);
    ASSERT_EQ(ours.nodes().count(nid), 1u);
    ASSERT_EQ(theirs.nodes().count(nid), 1u);
    EXPECT_EQ(ours.nodeData(ours.nodes().at(nid).bid_data), theirs.nodeData(theirs.nodes().at(nid).bid_data));
  }
  EXPECT_TRUE(ours.problems().empty());
}

}  // namespace
}  // namespace m2z::pstgen
