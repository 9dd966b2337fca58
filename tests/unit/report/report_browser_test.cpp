// The user report as a browser shows it: headless Chromium renders the page (screenshot kept
// under the build tree) and its DOM holds the flagged items and not the fine ones.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>

#include "report/user_report.h"
#include "report_test_support.h"

namespace m2z::report {
namespace {

// Runs a command and returns its standard output; `status` gets pclose's result.
std::string capture(const std::string& command, int& status) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    status = -1;
    return out;
  }
  std::array<char, 4096> buffer{};
  std::size_t got = 0;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), got);
  status = ::pclose(pipe);
  return out;
}

std::string chromium(const std::filesystem::path& profile, const std::string& arguments) {
  // Flags from the task: no sandbox (root in a container), no GPU, nothing fetched in the
  // background; `timeout` so a stuck browser fails the test instead of hanging it.
  return "timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking "
         "--disable-component-update --disable-sync --no-first-run --user-data-dir='" + profile.string() + "' " +
         arguments + " 2>/dev/null";
}

TEST(ReportBrowserTest, RendersTheFlaggedItems) {
  testing::TempDir dir;
  Result<Ledger> ledger = loadLedger(testing::writeAliceLog(dir / "alice.xml"));
  ASSERT_TRUE(ledger.ok());
  Result<Catalogue> words = Catalogue::load(Language::kEnglish);
  ASSERT_TRUE(words.ok());
  const auto reports = buildUserReports({*ledger}, *words);
  ASSERT_EQ(reports.size(), 1U);

  const std::filesystem::path artifacts = M2Z_ARTIFACT_DIR;
  std::filesystem::create_directories(artifacts);
  const auto page = artifacts / "alice-report.html";
  const auto screenshot = artifacts / "alice-report.png";
  testing::writeFile(page, reports[0].html);
  std::filesystem::remove(screenshot);

  int status = 0;
  capture(chromium(dir / "profile-shot", "--screenshot='" + screenshot.string() + "' --window-size=1200,1600 'file://" +
                                             page.string() + "'"),
          status);
  ASSERT_TRUE(std::filesystem::exists(screenshot)) << "chromium exit status " << status;
  const std::string png = testing::readFile(screenshot);
  ASSERT_GT(png.size(), 8U);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_GT(png.size(), 10000U);  // a rendered page, not a blank image

  const std::string dom = capture(chromium(dir / "profile-dom", "--dump-dom 'file://" + page.string() + "'"), status);
  ASSERT_NE(dom.find("<table id=\"items\">"), std::string::npos) << dom.substr(0, 500);
  // The rows the browser built, one per flagged item (data attributes as we wrote them).
  for (const char* row : {"data-flag=\"date-changed\" data-entry=\"101\"", "data-flag=\"all-day-not-date\" data-entry=\"102\"",
                          "data-flag=\"not-created\" data-entry=\"103\"", "data-flag=\"zone-guessed\" data-entry=\"105\"",
                          "data-flag=\"not-created\" data-entry=\"106\""}) {
    EXPECT_NE(dom.find(row), std::string::npos) << row;
  }
  for (const char* subject : {"Holiday", "Offsite", "Call NYC", "Board"}) EXPECT_NE(dom.find(subject), std::string::npos);
  EXPECT_EQ(dom.find("Standup"), std::string::npos);
}

}  // namespace
}  // namespace m2z::report
