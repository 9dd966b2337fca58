// diff matches items by source and reports exactly the planted differences.
#include "report/diff.h"

#include <gtest/gtest.h>

#include "report_test_support.h"

namespace m2z::report {
namespace {

using testing::TempDir;

// A second run over Alice's source: 101's start moved, 103 now created (its skip finding gone),
// 104 created at once, 105 without its zone guess, 106 missing, 107 new.
std::filesystem::path writeSecondRun(const std::filesystem::path& path) {
  audit::FixedClock clock("2024-03-02T09:30:00.000Z");
  auto created = audit::AuditLog::create(path, testing::runFor("alice@example.com", "run-2"), clock);
  EXPECT_TRUE(created.ok());
  auto& log = *created;
  EXPECT_TRUE(log->append(testing::setAppointment("100", "Standup", "2024-03-04T09:00:00 Europe/Berlin", "20240304T090000", false)).ok());
  EXPECT_TRUE(log->append(testing::setAppointment("101", "Holiday", "2024-03-02", "20240302", true)).ok());
  EXPECT_TRUE(log->append(testing::setAppointment("102", "Offsite", "2024-03-05", "20240305T000000", true)).ok());
  EXPECT_TRUE(log->append(testing::setAppointment("103", "Series", "2024-03-01T08:00:00 UTC", "20240301T080000", false)).ok());
  EXPECT_TRUE(log->append(testing::setAppointment("104", "Review", "2024-03-06T14:00:00 Europe/Berlin", "20240306T140000", false)).ok());
  EXPECT_TRUE(log->append(testing::setAppointment("105", "Call NYC", "2024-03-07T15:00:00 UTC", "20240307T150000", false)).ok());
  EXPECT_TRUE(log->append(testing::setAppointment("107", "New", "2024-03-09T10:00:00 UTC", "20240309T100000", false)).ok());
  EXPECT_TRUE(log->close(audit::Summary{{audit::KindCounts{"appointment", 7, 0, 0}}, true}).ok());
  return path;
}

TEST(DiffTest, ReportsExactlyThePlantedDifferences) {
  TempDir dir;
  Result<Ledger> a = loadLedger(testing::writeAliceLog(dir / "a.xml"));
  Result<Ledger> b = loadLedger(writeSecondRun(dir / "b.xml"));
  ASSERT_TRUE(a.ok() && b.ok());
  const std::string expected =
      "item /data/alice.pst:/Calendar#101 \"Holiday\": start=2024-03-01 -> start=2024-03-02\n"
      "outcome /data/alice.pst:/Calendar#103 \"Series\": skipped -> created\n"
      "item /data/alice.pst:/Calendar#103 \"Series\": subject=, start=, uid= -> subject=Series, start=2024-03-01T08:00:00 UTC, uid=uid-103\n"
      "findings /data/alice.pst:/Calendar#103 \"Series\": removed [recurrence.not_converted(PidLidAppointmentRecur)] added []\n"
      "findings /data/alice.pst:/Calendar#105 \"Call NYC\": removed [zone.missing(time zone)] added []\n"
      "only-in-a /data/alice.pst:/Calendar#106 \"Board\": failed (fault mail.INVALID_REQUEST)\n"
      "only-in-b /data/alice.pst:/Calendar#107 \"New\": created\n";
  EXPECT_EQ(formatChanges(diffLedgers(*a, *b)), expected);
}

TEST(DiffTest, SameLogHasNoDifferences) {
  TempDir dir;
  Result<Ledger> a = loadLedger(testing::writeAliceLog(dir / "a.xml"));
  Result<Ledger> b = loadLedger(testing::writeAliceLog(dir / "b.xml"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(diffLedgers(*a, *b).empty());
  EXPECT_EQ(formatChanges({}), "No differences.\n");
}

}  // namespace
}  // namespace m2z::report
