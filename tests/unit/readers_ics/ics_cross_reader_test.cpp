// Cross-reader: the one task of ../shared/testdata/pst/pstreader__hughbe_Outlook.pst, read by the
// PST reader, equals the same task written by hand as a VTODO (first VTODO of
// testdata/ics/outlook-tasks.ics) and read by the iCalendar reader.
//
// What `pffexport -m items -f all -d` shows for Tasks/Task00001 (Task.txt and ItemValues.txt):
//   Subject: Task; Importance: Normal (0x0017 = 1); Status 0x00000002 (PidLidTaskStatus,
//   complete); Percentage complete 1 (PidLidPercentComplete, double 1.0); Is complete: yes;
//   PidLidTaskDateCompleted (0x810F) = 00 00 41 ae 88 fa d6 01 = FILETIME 0x01D6FA88AE410000 =
//   2021-02-04T00:00:00Z; no PidLidTaskStartDate (0x8104) or PidLidTaskDueDate (0x8105).
// The VTODO says the same in RFC 5545 terms: SUMMARY:Task, STATUS:COMPLETED, PERCENT-COMPLETE:100,
// PRIORITY:5 (medium, RFC 5545 3.8.1.9) with X-MICROSOFT-CDO-IMPORTANCE:1, COMPLETED:20210204T000000Z,
// no DTSTART or DUE.
#include <gtest/gtest.h>

#include <string>

#include "readers/ics/ics_reader.h"
#include "readers/pst/pst_items_reader.h"
#include "recording_sink.h"

namespace m2z::readers::ics {
namespace {

using testing::RecordingSink;

TEST(IcsCrossReader, PstTaskEqualsItsVtodo) {
  RecordingSink pst_sink;
  auto pst = readers::pst::readGroupware(std::string(M2Z_SHARED_DIR) + "/testdata/pst/pstreader__hughbe_Outlook.pst",
                                         pst_sink);
  ASSERT_TRUE(pst.ok()) << pst.error().describe();
  ASSERT_EQ(pst_sink.tasks.size(), 1u);

  RecordingSink ics_sink;
  auto ics = readCalendarFile(std::string(M2Z_SOURCE_DIR) + "/testdata/ics/outlook-tasks.ics", ics_sink);
  ASSERT_TRUE(ics.ok()) << ics.error().describe();
  ASSERT_FALSE(ics_sink.tasks.empty());

  const model::Task& from_pst = pst_sink.tasks[0];
  const model::Task& from_ics = ics_sink.tasks[0];
  // Against pffexport's values first, so that equality below is equality to the right thing.
  EXPECT_EQ(from_pst.subject, "Task");
  EXPECT_EQ(from_pst.status, model::TaskStatus::kComplete);
  EXPECT_EQ(from_pst.percent_complete, 100);
  EXPECT_EQ(from_pst.importance, model::Importance::kNormal);
  ASSERT_TRUE(from_pst.date_completed.has_value());
  EXPECT_EQ(model::toIsoString(*from_pst.date_completed), "2021-02-04T00:00:00Z");

  EXPECT_EQ(from_ics.subject, from_pst.subject);
  EXPECT_EQ(from_ics.message_class, from_pst.message_class);
  EXPECT_EQ(from_ics.start, from_pst.start);
  EXPECT_EQ(from_ics.due, from_pst.due);
  EXPECT_EQ(from_ics.date_completed, from_pst.date_completed);
  EXPECT_EQ(from_ics.status, from_pst.status);
  EXPECT_EQ(from_ics.complete, from_pst.complete);
  EXPECT_EQ(from_ics.percent_complete, from_pst.percent_complete);
  EXPECT_EQ(from_ics.importance, from_pst.importance);
  EXPECT_EQ(from_ics.is_recurring, from_pst.is_recurring);
  EXPECT_EQ(from_ics.reminder, from_pst.reminder);
}

}  // namespace
}  // namespace m2z::readers::ics
