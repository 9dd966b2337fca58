// Reads every PST/OST in ../shared/testdata/pst through normalizeSources: nothing may crash or
// go unaccounted, and the per-file findings summary is printed for the project's notes.
//
// Expected item and folder counts per file come from pffexport alone, as worked out for the
// reader's own real-data test (tests/unit/readers/pffexport_calendar_counts.py):
//   pffexport -d -m items -f text -q -t <tmp>/<name> <file>
// counting messages in folders whose PidTagContainerClass starts with "IPF.Appointment".
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "pipeline/normalize_report.h"

namespace m2z::pipeline {
namespace {

struct Expected {
  int calendar_folders;
  int calendar_items;
  // Appointments outside calendar folders, reported as skipped items: pffexport exports 4 from
  // the OST's "Deleted Items" and none elsewhere.
  int stray_appointments = 0;
};

const std::map<std::string, Expected> kExpected = {
    {"aspose-net__Outlook.pst", {1, 1}},
    {"aspose-net__PersonalStorageFile1.pst", {0, 0}},
    {"aspose-net__SampleOstFile.ost", {1, 1, 4}},
    {"aspose-net__Test_part1.pst", {1, 9}},
    {"go-pst__32-bit.pst", {1, 1}},
    {"java-libpst__dist-list.pst", {1, 1}},
    {"java-libpst__passworded.pst", {1, 0}},
    {"process-pst__flags_jane_doe.pst", {0, 0}},
    {"pst2john__2003_high-encryption_quickquick.pst", {0, 0}},
    {"pstreader__Outlook98Backup.pst", {0, 0}},
    {"pstreader__backup_with_rules.pst", {1, 0}},
    {"pstreader__hughbe_Outlook.pst", {1, 1}},
};

std::vector<std::string> sourceFiles() {
  std::vector<std::string> files;
  const std::filesystem::path dir = std::filesystem::path(M2Z_SHARED_DIR) / "testdata" / "pst";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(NormalizeReportRealData, EveryFileNormalizesWithEveryItemAccountedFor) {
  const auto files = sourceFiles();
  ASSERT_EQ(files.size(), kExpected.size());
  std::cout << "\nNormalizer findings per file (kind: count)\n";
  for (const auto& path : files) {
    const std::string name = std::filesystem::path(path).filename().string();
    SCOPED_TRACE(name);
    auto report = normalizeSources({path});
    ASSERT_TRUE(report) << report.error().describe();
    ASSERT_EQ(report->files.size(), 1u);
    const auto& file = report->files[0];
    const auto expected = kExpected.find(name);
    ASSERT_NE(expected, kExpected.end()) << "new test file: add its pffexport counts to kExpected";
    EXPECT_FALSE(file.error) << file.error->describe();
    EXPECT_EQ(file.calendar_folders, expected->second.calendar_folders);
    EXPECT_EQ(file.items_seen, expected->second.calendar_items + expected->second.stray_appointments);
    EXPECT_TRUE(file.allAccountedFor());
    for (const auto& folder : file.folders) {
      EXPECT_FALSE(folder.target_path.empty());
      EXPECT_NE(folder.target_path, "/");
    }
    if (name == "aspose-net__Test_part1.pst") {
      // pffexport -m items -f text shows nine items in Calendar, each with Subject "Weekly
      // meeting", Start time Jun 22, 2011 05:30 UTC and End time 06:00 UTC, and none carries
      // PidLidGlobalObjectId: the same appointment nine times, so eight are reported duplicates
      // and all nine are still carried over.
      EXPECT_EQ(file.findings_by_kind.count("item.duplicate") ? file.findings_by_kind.at("item.duplicate") : 0, 8);
      EXPECT_EQ(file.ready, 9);
    }
    std::cout << formatNormalizeReport(*report);
  }
}

TEST(NormalizeReportRealData, AllFilesTogetherShareOneNormalizer) {
  // One migration of every file into one account: the counts add up to the per-file ones.
  const auto files = sourceFiles();
  auto report = normalizeSources(files);
  ASSERT_TRUE(report);
  int items = 0;
  int expected_items = 0;
  for (const auto& file : report->files) {
    items += file.items_seen;
    EXPECT_TRUE(file.allAccountedFor()) << file.source_file;
  }
  for (const auto& [name, expected] : kExpected) expected_items += expected.calendar_items + expected.stray_appointments;
  EXPECT_EQ(items, expected_items);
  std::map<std::string, int> totals;
  for (const auto& file : report->files) {
    for (const auto& [kind, n] : file.findings_by_kind) totals[kind] += n;
  }
  std::cout << "\nAll files into one account (kind: count)\n";
  for (const auto& [kind, n] : totals) std::cout << "  " << kind << ": " << n << "\n";
}

TEST(NormalizeReport, MissingFileIsReportedAndTheOthersStillRead) {
  const std::filesystem::path good = std::filesystem::path(M2Z_SHARED_DIR) / "testdata" / "pst" / "go-pst__32-bit.pst";
  auto report = normalizeSources({"/nonexistent/nothing.pst", good.string()});
  ASSERT_TRUE(report);
  ASSERT_EQ(report->files.size(), 2u);
  EXPECT_TRUE(report->files[0].error);
  EXPECT_EQ(report->files[0].findings_by_kind.at("source.unreadable"), 1);
  EXPECT_FALSE(report->files[1].error);
  EXPECT_EQ(report->files[1].items_seen, 1);  // pffexport: one calendar item
}

TEST(NormalizeReport, NoSourceIsAnError) {
  auto report = normalizeSources({});
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, "normalize.no_sources");
}

}  // namespace
}  // namespace m2z::pipeline
