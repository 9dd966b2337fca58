// tools/pstgen against PST files Outlook wrote (../shared/testdata/pst): the same checksums for
// the same bytes, and byte-identical heap, property-context and table-context layouts for the
// folders and table templates every PST has.
#include <gtest/gtest.h>

#include <libpff.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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

// What libpff 20180714 makes of multi-valued properties: for each one of `type` in record set 0
// of every item under the root folder, the count libpff_record_entry_get_multi_value gives and
// the raw value bytes.
struct MultiValue {
  int libpff_count = -1;
  std::vector<std::uint8_t> raw;        // before libpff_record_entry_get_multi_value
  std::vector<std::uint8_t> raw_after;  // after it
  std::string name;  // the named property's string name, if any
};

std::vector<MultiValue> multiValues(const std::string& path, std::uint32_t type) {
  std::vector<MultiValue> out;
  libpff_file_t* file = nullptr;
  if (libpff_file_initialize(&file, nullptr) != 1) return out;
  if (libpff_file_open(file, path.c_str(), LIBPFF_OPEN_READ, nullptr) != 1) {
    libpff_file_free(&file, nullptr);
    return out;
  }
  std::function<void(libpff_item_t*)> walk = [&](libpff_item_t* item) {
    libpff_record_set_t* set = nullptr;
    if (libpff_item_get_record_set_by_index(item, 0, &set, nullptr) == 1) {
      int entries = 0;
      libpff_record_set_get_number_of_entries(set, &entries, nullptr);
      for (int i = 0; i < entries; ++i) {
        libpff_record_entry_t* entry = nullptr;
        if (libpff_record_set_get_entry_by_index(set, i, &entry, nullptr) != 1) continue;
        std::uint32_t value_type = 0;
        if (libpff_record_entry_get_value_type(entry, &value_type, nullptr) == 1 && value_type == type) {
          MultiValue value;
          const auto data = [&] {
            std::vector<std::uint8_t> bytes;
            std::size_t size = 0;
            if (libpff_record_entry_get_data_size(entry, &size, nullptr) == 1 && size > 0 && size < (1u << 20)) {
              bytes.resize(size);
              libpff_record_entry_get_data(entry, bytes.data(), size, nullptr);
            }
            return bytes;
          };
          value.raw = data();
          libpff_multi_value_t* multi = nullptr;
          if (libpff_record_entry_get_multi_value(entry, &multi, nullptr) == 1) {
            libpff_multi_value_get_number_of_values(multi, &value.libpff_count, nullptr);
            libpff_multi_value_free(&multi, nullptr);
          }
          value.raw_after = data();
          libpff_name_to_id_map_entry_t* named = nullptr;  // owned by the file
          std::size_t name_size = 0;
          if (libpff_record_entry_get_name_to_id_map_entry(entry, &named, nullptr) == 1 && named != nullptr &&
              libpff_name_to_id_map_entry_get_utf8_string_size(named, &name_size, nullptr) == 1 && name_size > 1) {
            std::string name(name_size, '\0');
            libpff_name_to_id_map_entry_get_utf8_string(named, reinterpret_cast<std::uint8_t*>(name.data()), name_size,
                                                        nullptr);
            name.resize(name_size - 1);
            value.name = name;
          }
          out.push_back(std::move(value));
        }
        libpff_record_entry_free(&entry, nullptr);
      }
      libpff_record_set_free(&set, nullptr);
    }
    int children = 0;
    libpff_item_get_number_of_sub_items(item, &children, nullptr);
    for (int i = 0; i < children; ++i) {
      libpff_item_t* child = nullptr;
      if (libpff_item_get_sub_item(item, i, &child, nullptr) != 1) continue;
      walk(child);
      libpff_item_free(&child, nullptr);
    }
  };
  libpff_item_t* root = nullptr;
  if (libpff_file_get_root_folder(file, &root, nullptr) == 1) {
    walk(root);
    libpff_item_free(&root, nullptr);
  }
  libpff_file_close(file, nullptr);
  libpff_file_free(&file, nullptr);
  return out;
}

// [MS-PST] 2.3.3.4.2 read by hand: ulCount, ulCount offsets from the value's start, then the
// UTF-16LE strings back to back. Only the ASCII and Latin-1 characters the sample uses are needed,
// so code units below 0x800 are turned into UTF-8 here.
std::vector<std::string> decodeMultipleString(const std::vector<std::uint8_t>& raw) {
  std::vector<std::string> out;
  if (raw.size() < 4) return out;
  const std::uint32_t count = u32(raw, 0);
  if (count > (raw.size() - 4) / 4) return out;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::size_t begin = u32(raw, 4 + 4 * i);
    const std::size_t end = i + 1 < count ? u32(raw, 4 + 4 * (i + 1)) : raw.size();
    std::string text;
    for (std::size_t at = begin; at + 1 < end && end <= raw.size(); at += 2) {
      const unsigned unit = raw[at] | (raw[at + 1] << 8);
      if (unit < 0x80) {
        text += static_cast<char>(unit);
      } else if (unit < 0x800) {
        text += static_cast<char>(0xC0 | (unit >> 6));
        text += static_cast<char>(0x80 | (unit & 0x3F));
      } else {
        text += static_cast<char>(0xE0 | (unit >> 12));
        text += static_cast<char>(0x80 | ((unit >> 6) & 0x3F));
        text += static_cast<char>(0x80 | (unit & 0x3F));
      }
    }
    out.push_back(text);
  }
  return out;
}

// The categories question (docs/pstgen.md, "Categories"): Outlook's PtypMultipleString values and
// pstgen's have the same layout, and libpff 20180714 reports zero values for both, while it counts
// PtypMultipleInteger32 values right. If libpff ever reads them, this test says so.
TEST(PstRealDataTest, LibpffReadsNoMultiValuedStringsFromOutlookOrPstgen) {
  const auto outlook = multiValues((kPstDir / "pstreader__backup_with_rules.pst").string(), 0x101F);
  ASSERT_GE(outlook.size(), 3u);  // EntityNames, EntityNamesDelayed, KeyPhrases on its messages
  for (const MultiValue& value : outlook) {
    SCOPED_TRACE(value.name);
    ASSERT_GE(value.raw.size(), 8u);
    const std::uint32_t count = u32(value.raw, 0);
    EXPECT_GT(count, 0u);
    EXPECT_EQ(u32(value.raw, 4), 4 + 4 * count);  // the first string right after the offsets
    EXPECT_EQ(value.libpff_count, 0);             // libpff's defect
    // ... which also leaves the cached value's ulCount zeroed: read the raw bytes first.
    ASSERT_EQ(value.raw_after.size(), value.raw.size());
    EXPECT_EQ(u32(value.raw_after, 0), 0u);
    EXPECT_TRUE(std::equal(value.raw.begin() + 4, value.raw.end(), value.raw_after.begin() + 4));
  }
  const auto integers = multiValues((kPstDir / "pstreader__backup_with_rules.pst").string(), 0x1003);
  ASSERT_FALSE(integers.empty());
  for (const MultiValue& value : integers) {
    ASSERT_GE(value.raw.size(), 4u);
    EXPECT_EQ(value.libpff_count, static_cast<int>(value.raw.size() / 4));  // fixed-size ones are fine
  }

  // pstgen's Keywords in the committed sample decode, by the layout above, to the categories its
  // expected file lists (which leaves out empty strings), and libpff reports zero values again.
  const fs::path sample = fs::path(M2Z_SOURCE_DIR) / "testdata" / "pstgen";
  std::ifstream in(sample / "generated-seed1-expected.json");
  const auto expected = nlohmann::json::parse(in);
  std::multiset<std::vector<std::string>> expected_categories;
  for (const auto& item : expected["items"]) {
    if (item.contains("categories") && !item["categories"].empty()) {
      expected_categories.insert(item["categories"].get<std::vector<std::string>>());
    }
  }
  std::multiset<std::vector<std::string>> written;
  for (const MultiValue& value : multiValues((sample / "generated-seed1.pst").string(), 0x101F)) {
    EXPECT_EQ(value.name, "Keywords");
    EXPECT_EQ(value.libpff_count, 0);
    std::vector<std::string> categories;
    for (std::string& text : decodeMultipleString(value.raw)) {
      if (!text.empty()) categories.push_back(std::move(text));
    }
    if (!categories.empty()) written.insert(categories);
  }
  EXPECT_EQ(written, expected_categories);
}

}  // namespace
}  // namespace m2z::pstgen
