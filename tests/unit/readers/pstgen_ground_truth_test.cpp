// Ground truth: PSTs written by tools/pstgen (which does not use our reader) are read back by
// our PST reader, and every appointment must equal what pstgen says it wrote (its expected-items
// JSON), field by field. One committed sample, and a larger one generated at test time.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "pstgen_ground_truth.h"
#include "readers/pst/pst_items_reader.h"
#include "readers/pst/pst_reader.h"
#include "recording_groupware_sink.h"

namespace m2z::readers::pst {
namespace {

int readAndCompare(const std::filesystem::path& pst, const nlohmann::json& expected) {
  testing::RecordingSink sink;
  auto summary = readCalendars(pst.string(), sink);
  EXPECT_TRUE(summary) << (summary ? "" : summary.error().describe());
  return testing::compareAppointments(sink.appointments, expected);
}

TEST(PstgenGroundTruth, CommittedGeneratedMailboxReadsBackExactly) {
  const std::filesystem::path dir = std::filesystem::path(M2Z_SOURCE_DIR) / "testdata" / "pstgen";
  const auto expected = testing::loadJson(dir / "generated-seed1-expected.json");
  EXPECT_EQ(readAndCompare(dir / "generated-seed1.pst", expected), 25);
}

// testdata/pstgen/demo.pst, built from demo-description.json (the mailbox tools/demo.sh migrates):
// appointments in ten zones, the DESY all-day trap (Europe/Berlin 2014-11-01, stored from
// 2014-10-31T23:00Z), a long UID, series with deleted and modified instances, contacts, a
// distribution list and tasks.
TEST(PstgenGroundTruth, CommittedDemoMailboxReadsBackExactly) {
  const std::filesystem::path dir = std::filesystem::path(M2Z_SOURCE_DIR) / "testdata" / "pstgen";
  const auto expected = testing::loadJson(dir / "demo-expected.json");
  testing::RecordingGroupwareSink calendar_sink;
  auto calendars = readCalendars((dir / "demo.pst").string(), calendar_sink);
  ASSERT_TRUE(calendars) << calendars.error().describe();
  EXPECT_EQ(testing::compareAppointments(calendar_sink.appointments, expected), 20);
  EXPECT_EQ(calendar_sink.skippedItems(), 0);
  for (const auto& finding : calendar_sink.findings) ADD_FAILURE() << finding.kind << ": " << finding.why;

  testing::RecordingGroupwareSink sink;
  auto groupware = readGroupware((dir / "demo.pst").string(), sink);
  ASSERT_TRUE(groupware) << groupware.error().describe();
  EXPECT_EQ(testing::compareContacts(sink.contacts, expected), 12);
  EXPECT_EQ(testing::compareDistLists(sink.dist_lists, expected), 1);
  EXPECT_EQ(testing::compareTasks(sink.tasks, expected), 7);
  EXPECT_EQ(groupware->skipped, 0);

  // The DESY trap, spelled out: midnight to midnight in Berlin (UTC+1 in November) is
  // 2014-10-31T23:00Z to 2014-11-01T23:00Z.
  const auto desy = std::find_if(calendar_sink.appointments.begin(), calendar_sink.appointments.end(),
                                 [](const model::Appointment& a) { return a.uid == "desy-trap-2014-11-01@example.org"; });
  ASSERT_NE(desy, calendar_sink.appointments.end());
  EXPECT_TRUE(desy->all_day);
  EXPECT_EQ(model::toIsoString(desy->start), "2014-10-31T23:00:00Z");
  EXPECT_EQ(model::toIsoString(desy->end), "2014-11-01T23:00:00Z");

  // The weekly series: 2024-04-16 deleted; 04-09 moved to 14:00-15:00 with a new subject and
  // location; 04-23 only tentative. DeletedInstanceDates holds the originals of both kinds.
  const auto weekly = std::find_if(calendar_sink.appointments.begin(), calendar_sink.appointments.end(),
                                   [](const model::Appointment& a) { return a.uid == "weekly-sync@example.org"; });
  ASSERT_NE(weekly, calendar_sink.appointments.end());
  ASSERT_TRUE(weekly->recurrence);
  ASSERT_EQ(weekly->recurrence->exceptions.size(), 2u);
  const auto& moved = weekly->recurrence->exceptions[0];
  EXPECT_EQ(moved.original_start.toIsoString(), "2024-04-09T10:00:00");
  EXPECT_EQ(moved.start.toIsoString(), "2024-04-09T14:00:00");
  EXPECT_EQ(moved.end.toIsoString(), "2024-04-09T15:00:00");
  EXPECT_EQ(moved.subject, "Weekly sync – moved");
  EXPECT_EQ(moved.location, "München");
  EXPECT_EQ(weekly->recurrence->exceptions[1].busy_status, model::BusyStatus::kTentative);
  EXPECT_FALSE(weekly->recurrence->exceptions[1].subject);
}

TEST(PstgenGroundTruth, LargerGeneratedMailboxReadsBackExactly) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("m2z-pstgen-truth-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string command = std::string(M2Z_PSTGEN) + " generate --seed 7 --appointments 1500 --contacts 50 --tasks 20" +
                              " --out " + (dir / "big.pst").string() + " --expected " + (dir / "big.json").string() +
                              " > /dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  const auto expected = testing::loadJson(dir / "big.json");
  EXPECT_EQ(readAndCompare(dir / "big.pst", expected), 1500);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace m2z::readers::pst
