// The PST-side pieces of the contact/task reader that need no real file: the stored form of
// multi-valued binaries ([MS-PST] 2.3.3.4.2) and failures on files that are not PSTs.
#include "readers/pst/multi_value_blob.h"
#include "readers/pst/pst_items_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "recording_groupware_sink.h"
#include "test_bytes.h"

namespace m2z::readers::pst {
namespace {

using testing::fromHex;

TEST(MultipleBinaryTest, ReadsCountOffsetsAndValues) {
  // [MS-PST] 2.3.3.4.2: count 2, offsets 12 and 14, values "AB" and "CDE".
  auto values = parseMultipleBinary(fromHex("02000000 0c000000 0e000000 4142 434445"), "x");
  ASSERT_TRUE(values) << values.error().describe();
  ASSERT_EQ(values->size(), 2u);
  EXPECT_EQ((*values)[0], fromHex("4142"));
  EXPECT_EQ((*values)[1], fromHex("434445"));
}

TEST(MultipleBinaryTest, ZeroedCountIsTakenFromTheFirstOffset) {
  // The same value after libpff 20180714 has zeroed its count (seen on java-libpst__dist-list.pst).
  auto values = parseMultipleBinary(fromHex("00000000 0c000000 0e000000 4142 434445"), "x");
  ASSERT_TRUE(values);
  EXPECT_EQ(values->size(), 2u);
  auto empty = parseMultipleBinary(fromHex("00000000"), "x");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(MultipleBinaryTest, BadLayoutsFail) {
  EXPECT_FALSE(parseMultipleBinary(fromHex("0200"), "x"));                            // no count
  EXPECT_FALSE(parseMultipleBinary(fromHex("ffffffff 08000000"), "x"));               // count too large
  EXPECT_FALSE(parseMultipleBinary(fromHex("02000000 0e000000 0c000000 41424344"), "x"));  // decreasing
  EXPECT_FALSE(parseMultipleBinary(fromHex("01000000 40000000 41"), "x"));            // beyond the end
  EXPECT_FALSE(parseMultipleBinary(fromHex("01000000 02000000 41"), "x"));            // inside the offsets
  EXPECT_FALSE(parseMultipleBinary(fromHex("00000000 02000000"), "x"));               // first offset below 4
}

TEST(GroupwareReaderTest, MissingAndForeignFilesFailWithTheirPath) {
  testing::RecordingGroupwareSink sink;
  auto missing = readGroupware("/nonexistent/file.pst", sink);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "pst.open");
  EXPECT_EQ(missing.error().context, "/nonexistent/file.pst");

  const auto path = std::filesystem::temp_directory_path() / ("m2z_not_a_pst_" + std::to_string(getpid()));
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string(4096, 'x');
  }
  auto foreign = readGroupware(path.string(), sink);
  std::filesystem::remove(path);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().context, path.string());
  EXPECT_TRUE(sink.contacts.empty());
}

}  // namespace
}  // namespace m2z::readers::pst
