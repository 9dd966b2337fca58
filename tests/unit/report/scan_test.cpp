// The scan finds exactly the problems planted in logs written with the real AuditLog.
#include "report/scan.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

#include "report/ledger.h"
#include "report_test_support.h"

namespace m2z::report {
namespace {

using testing::TempDir;

std::vector<std::pair<std::int64_t, std::string>> kindsBySeq(const std::vector<Flag>& flags) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (const Flag& flag : flags) out.emplace_back(flag.seq, std::string(toString(flag.kind)));
  return out;
}

Ledger load(const std::filesystem::path& path) {
  Result<Ledger> ledger = loadLedger(path);
  EXPECT_TRUE(ledger.ok()) << (ledger.ok() ? "" : ledger.error().describe());
  return ledger.ok() ? std::move(ledger).value() : Ledger{};
}

TEST(ScanTest, FindsExactlyThePlantedProblems) {
  // The plan in report_test_support.h, seq by seq; item 100 and the retried-then-ok item 104's
  // second attempt are fine and must not show.
  TempDir dir;
  const std::vector<Flag> flags = scanLedger(load(testing::writeAliceLog(dir / "alice.xml")));
  const std::vector<std::pair<std::int64_t, std::string>> expected = {
      {2, "date-changed"}, {3, "all-day-not-date"}, {4, "not-created"}, {5, "fault"},
      {5, "retry"},        {7, "zone-guessed"},     {8, "not-created"}, {8, "fault"}};
  EXPECT_EQ(kindsBySeq(flags), expected);
}

TEST(ScanTest, ShiftedAllDayEventShowsBothDates) {
  TempDir dir;
  const std::vector<Flag> flags = scanLedger(load(testing::writeAliceLog(dir / "alice.xml")));
  ASSERT_FALSE(flags.empty());
  const Flag& shifted = flags.front();
  EXPECT_EQ(shifted.source.entry_id, "101");
  EXPECT_EQ(shifted.subject, "Holiday");
  EXPECT_EQ(shifted.before, "2024-03-01");  // the item summary's start
  EXPECT_EQ(shifted.after, "2024-03-02");   // <s d="20240302">
  EXPECT_TRUE(shifted.user_relevant);
}

TEST(ScanTest, MissingItemsCarryTheirReason) {
  TempDir dir;
  const std::vector<Flag> flags = scanLedger(load(testing::writeAliceLog(dir / "alice.xml")));
  std::vector<std::string> reasons;
  for (const Flag& flag : flags) {
    if (flag.kind == FlagKind::kNotCreated) reasons.push_back(flag.source.entry_id + ": " + flag.reason);
  }
  const std::vector<std::string> expected = {
      "103: skipped (recurrence.not_converted): recurrence pattern type 0x000C is not supported",
      "106: never created: the last attempt ended fault mail.INVALID_REQUEST (HTTP 500)"};
  EXPECT_EQ(reasons, expected);
}

TEST(ScanTest, TornLogIsAnIncompleteRun) {
  TempDir dir;
  const Ledger ledger = load(testing::writeTornBobLog(dir / "bob.xml"));
  EXPECT_FALSE(ledger.summary.has_value());
  EXPECT_GT(ledger.torn_bytes, 0U);
  const std::vector<Flag> flags = scanLedger(ledger);
  ASSERT_EQ(flags.size(), 2U);
  EXPECT_EQ(flags[0].kind, FlagKind::kRunIncomplete);
  EXPECT_NE(flags[0].reason.find("no summary"), std::string::npos);
  EXPECT_EQ(flags[1].kind, FlagKind::kRunIncomplete);
  EXPECT_NE(flags[1].reason.find("torn"), std::string::npos);
}

TEST(ScanTest, RunThatStoppedEarlyIsFlagged) {
  TempDir dir;
  const auto path = dir / "early.xml";
  audit::FixedClock clock("2024-03-01T09:30:00.000Z");
  auto log = audit::AuditLog::create(path, testing::runFor("dave@example.com"), clock);
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->close(audit::Summary{{}, false}).ok());
  const std::vector<Flag> flags = scanLedger(load(path));
  ASSERT_EQ(flags.size(), 1U);
  EXPECT_EQ(flags[0].kind, FlagKind::kRunIncomplete);
  EXPECT_NE(flags[0].reason.find("complete=\"false\""), std::string::npos);
}

TEST(ScanTest, AllDayItemNotAtMidnightAndGuessedKinds) {
  TempDir dir;
  const auto path = dir / "kinds.xml";
  audit::FixedClock clock("2024-03-01T09:30:00.000Z");
  auto log = audit::AuditLog::create(path, testing::runFor("erin@example.com"), clock);
  ASSERT_TRUE(log.ok());
  // Summary start at 10:00 for an all-day item; date sent matches.
  ASSERT_TRUE((*log)->append(testing::setAppointment("400", "Trip", "2024-03-01T10:00:00", "20240301", true)).ok());
  audit::Entry approximated = testing::setAppointment("401", "Monthly", "2024-03-31T09:00:00 UTC", "20240331T090000", false);
  model::Finding month_day{"recurrence.month_day_approximated", model::Severity::kWarning, testing::at("401"),
                           "PidLidAppointmentRecur", "31", "-1", "day 31 becomes the last day", false};
  model::Finding shortened{"uid.shortened", model::Severity::kWarning, testing::at("401"), "uid", "long", "short", "too long", false};
  model::Finding from_name{"zone.from_display_name", model::Severity::kInfo, testing::at("401"), "PidLidTimeZoneDescription",
                           "", "Europe/Berlin", "zone taken from its display name", false};
  model::Finding unrelated{"time.end_fallback", model::Severity::kInfo, testing::at("401"), "end", "", "", "", false};
  approximated.findings = {month_day, shortened, from_name, unrelated};
  ASSERT_TRUE((*log)->append(approximated).ok());
  ASSERT_TRUE((*log)->close(audit::Summary{{}, true}).ok());
  const std::vector<std::pair<std::int64_t, std::string>> expected = {
      {1, "all-day-not-midnight"}, {2, "recurrence-approximated"}, {2, "uid-changed"}, {2, "zone-guessed"}};
  EXPECT_EQ(kindsBySeq(scanLedger(load(path))), expected);
}

TEST(ScanTest, CsvHasOneRowPerFlagAndQuotes) {
  Flag flag;
  flag.kind = FlagKind::kNotCreated;
  flag.account = "a@example.com";
  flag.seq = 3;
  flag.subject = "Lunch, \"big\" one";
  flag.reason = "x";
  const std::string csv = formatCsv({flag});
  // RFC 4180: a field with a comma or quote is quoted, inner quotes doubled; CRLF line ends.
  EXPECT_EQ(csv,
            "account,run,log,seq,flag,file,folder,entry_id,item_kind,subject,start,finding,before,after,reason\r\n"
            "a@example.com,,,3,not-created,,,,,\"Lunch, \"\"big\"\" one\",,,,,x\r\n");
}

TEST(ScanTest, JsonAndTableCarryTheSameFlags) {
  TempDir dir;
  const std::vector<Flag> flags = scanLedger(load(testing::writeAliceLog(dir / "alice.xml")));
  const nlohmann::json parsed = nlohmann::json::parse(formatJson(flags));
  ASSERT_TRUE(parsed.is_array());
  ASSERT_EQ(parsed.size(), flags.size());
  EXPECT_EQ(parsed[0]["flag"], "date-changed");
  EXPECT_EQ(parsed[0]["source"]["entryId"], "101");
  EXPECT_EQ(parsed[0]["seq"], 2);
  const std::string table = formatTable(flags);
  EXPECT_NE(table.find("date-changed"), std::string::npos);
  EXPECT_NE(table.find("Holiday"), std::string::npos);
  // Two items missing from /Calendar: 106 was sent as an appointment; 103 was skipped before an
  // item summary was made, so its kind is unknown ("item").
  EXPECT_NE(table.find("alice@example.com /Calendar  appointment: 1\n"), std::string::npos) << table;
  EXPECT_NE(table.find("alice@example.com /Calendar  item: 1\n"), std::string::npos) << table;
  EXPECT_EQ(formatTable({}), "No findings.\n");
}

TEST(ScanTest, UnreadableLogIsAnErrorNotACrash) {
  TempDir dir;
  testing::writeFile(dir / "junk.xml", std::string("\x00\xff<<<", 5));
  EXPECT_FALSE(loadLedger(dir / "junk.xml").ok());
  EXPECT_FALSE(loadLedger(dir / "absent.xml").ok());
}

}  // namespace
}  // namespace m2z::report
