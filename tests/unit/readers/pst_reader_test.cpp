// readCalendars on files that are not PSTs, made at test time.
#include "readers/pst/pst_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <utility>

#include <unistd.h>

#include "recording_sink.h"

namespace m2z::readers::pst {
namespace {

namespace fs = std::filesystem;

// One folder per test process, removed when the process ends so runs leave nothing behind.
struct TempFolder {
  fs::path path = fs::temp_directory_path() / ("m2z_pst_reader_test_" + std::to_string(::getpid()));
  ~TempFolder() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

fs::path writeTempFile(const std::string& name, const std::string& content) {
  static TempFolder folder;
  const fs::path& dir = folder.path;
  fs::create_directories(dir);
  const fs::path file = dir / name;
  std::ofstream(file, std::ios::binary) << content;
  return file;
}

TEST(ReadCalendarsTest, MissingFileIsAnOpenError) {
  testing::RecordingSink sink;
  auto result = readCalendars("/nonexistent/dir/none.pst", sink);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, "pst.open");
  EXPECT_EQ(result.error().context, "/nonexistent/dir/none.pst");
  EXPECT_TRUE(sink.folders.empty());
}

TEST(ReadCalendarsTest, NonPstFilesAreOpenErrors) {
  std::mt19937 random(7);
  std::string noise(70000, '\0');
  for (auto& c : noise) c = static_cast<char>(random());
  // "!BDN" is the PST signature ([MS-PST] 2.2.2.6); a file that has it and nothing valid after.
  std::string fake_header = "!BDN" + std::string(600, '\xFF');
  for (const auto& [name, content] : {std::pair{std::string("empty.pst"), std::string()},
                                      std::pair{std::string("text.pst"), std::string("BEGIN:VCALENDAR\r\n")},
                                      std::pair{std::string("noise.pst"), noise},
                                      std::pair{std::string("header.pst"), fake_header}}) {
    const auto path = writeTempFile(name, content);
    testing::RecordingSink sink;
    auto result = readCalendars(path.string(), sink, ReadOptions{.recover = true});
    ASSERT_FALSE(result) << name;
    EXPECT_TRUE(result.error().code == "pst.open" || result.error().code == "pst.read") << result.error().code;
    EXPECT_EQ(result.error().context, path.string());
    EXPECT_FALSE(result.error().message.empty());
    fs::remove(path);
  }
}

}  // namespace
}  // namespace m2z::readers::pst
