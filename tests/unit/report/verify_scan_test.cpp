// Verify logs in the scan and the user report: a log written the way `mapi2zimbra verify`
// writes it (run option command=verify, one verify.* finding per item, GetAppointmentRequest
// read-backs), with planted outcomes; the expected flags are exactly the planted non-matches.
#include <gtest/gtest.h>

#include "report/scan.h"
#include "report/user_report.h"
#include "report_test_support.h"

namespace m2z::report {
namespace {

using testing::TempDir;

audit::Entry readBack(const std::string& entry_id, const std::string& subject, const std::string& outcome,
                      const std::string& fault_code = "") {
  audit::Entry entry;
  entry.operation = "GetAppointmentRequest";
  entry.source = testing::at(entry_id);
  entry.item = audit::ItemSummary{"appointment", subject, "uid-" + entry_id, "2024-03-01", "2024-03-01", true};
  entry.outcome = outcome;
  entry.http_status = outcome == "ok" ? 200 : 500;
  entry.fault_code = fault_code;
  return entry;
}

model::Finding verifyFinding(const std::string& entry_id, const std::string& outcome, const std::string& field = "",
                             const std::string& before = "", const std::string& after = "") {
  model::Finding finding;
  finding.kind = "verify." + outcome;
  finding.item = testing::at(entry_id);
  finding.field = field;
  finding.before = before;
  finding.after = after;
  finding.why = outcome;
  return finding;
}

// 200 matches; 201 mismatch on start (2024-03-01 → 2024-03-02); 202 missing (NO_SUCH_APPT);
// 203 extra; 204 skipped on purpose (the migration log reports it).
std::filesystem::path writeVerifyLog(const std::filesystem::path& path) {
  audit::FixedClock clock("2024-03-02T09:30:00.000Z");
  audit::RunInfo run = testing::runFor("alice@example.com", "verify-1");
  run.options.emplace_back("command", "verify");
  auto created = audit::AuditLog::create(path, run, clock);
  EXPECT_TRUE(created.ok());
  auto& log = *created;
  EXPECT_TRUE(log->append(readBack("200", "Standup", "ok")).ok());
  EXPECT_TRUE(log->appendFinding(verifyFinding("200", "match")).ok());
  EXPECT_TRUE(log->append(readBack("201", "Holiday", "ok")).ok());
  EXPECT_TRUE(log->appendFinding(verifyFinding("201", "mismatch", "start", "20240301", "20240302")).ok());
  EXPECT_TRUE(log->append(readBack("202", "Offsite", "fault", "mail.NO_SUCH_APPT")).ok());
  EXPECT_TRUE(log->appendFinding(verifyFinding("202", "missing")).ok());
  EXPECT_TRUE(log->append(readBack("203", "Old", "ok")).ok());
  EXPECT_TRUE(log->appendFinding(verifyFinding("203", "extra")).ok());
  EXPECT_TRUE(log->appendFinding(verifyFinding("204", "skipped")).ok());
  EXPECT_TRUE(log->close(audit::Summary{{audit::KindCounts{"appointment:verify.match", 1, 0, 0}}, true}).ok());
  return path;
}

std::vector<std::string> flagsOf(const std::vector<Flag>& flags) {
  std::vector<std::string> out;
  for (const Flag& flag : flags) out.push_back(flag.source.entry_id + ":" + std::string(toString(flag.kind)));
  return out;
}

TEST(VerifyScanTest, FlagsExactlyThePlantedNonMatches) {
  TempDir dir;
  auto ledger = loadLedger(writeVerifyLog(dir / "verify.xml"));
  ASSERT_TRUE(ledger.ok()) << ledger.error().describe();
  EXPECT_TRUE(isVerifyRun(*ledger));
  const auto flags = scanLedger(*ledger);
  const std::vector<std::string> expected = {"201:verify-mismatch", "202:verify-missing", "203:verify-extra"};
  EXPECT_EQ(flagsOf(flags), expected);
  ASSERT_EQ(flags.size(), 3U);
  EXPECT_EQ(flags[0].before, "20240301");
  EXPECT_EQ(flags[0].after, "20240302");
  EXPECT_EQ(flags[0].subject, "Holiday");
  EXPECT_TRUE(flags[0].user_relevant);
}

TEST(VerifyScanTest, MigrationLogIsNotAVerifyRun) {
  TempDir dir;
  auto ledger = loadLedger(testing::writeAliceLog(dir / "alice.xml"));
  ASSERT_TRUE(ledger.ok());
  EXPECT_FALSE(isVerifyRun(*ledger));
}

TEST(VerifyScanTest, UserReportListsVerifyFindingsInBothLanguages) {
  TempDir dir;
  std::vector<Ledger> ledgers;
  auto ledger = loadLedger(writeVerifyLog(dir / "verify.xml"));
  ASSERT_TRUE(ledger.ok());
  ledgers.push_back(std::move(ledger).value());
  auto english = Catalogue::load(Language::kEnglish);
  auto german = Catalogue::load(Language::kGerman);
  ASSERT_TRUE(english.ok() && german.ok());
  const auto reports = buildUserReports(ledgers, *english);
  ASSERT_EQ(reports.size(), 1U);
  EXPECT_EQ(flagsOf(reports[0].items),
            (std::vector<std::string>{"201:verify-mismatch", "202:verify-missing", "203:verify-extra"}));
  EXPECT_NE(reports[0].html.find("this item differs there from your old calendar"), std::string::npos);
  EXPECT_NE(reports[0].html.find("20240301 → 20240302"), std::string::npos);
  EXPECT_NE(reports[0].html.find("not on the new server"), std::string::npos);
  const auto german_reports = buildUserReports(ledgers, *german);
  EXPECT_NE(german_reports[0].html.find("Dieser Eintrag ist dort nicht vorhanden"), std::string::npos);
}

TEST(VerifyScanTest, VerifyRunDoesNotHideAnUnfinishedMigration) {
  // A migration log without a summary (died) plus a complete verify log: the run-incomplete
  // flag stays, since the verify run finished nothing of the migration.
  TempDir dir;
  {
    audit::FixedClock clock("2024-03-01T09:30:00.000Z");
    auto created = audit::AuditLog::create(dir / "died.xml", testing::runFor("alice@example.com"), clock);
    ASSERT_TRUE(created.ok());
    EXPECT_TRUE((*created)->append(testing::setAppointment("100", "Standup", "2024-03-04T09:00:00 Europe/Berlin",
                                                           "20240304T090000", false)).ok());
  }
  std::vector<Ledger> ledgers;
  for (const auto& path : {dir / "died.xml", writeVerifyLog(dir / "verify.xml")}) {
    auto ledger = loadLedger(path);
    ASSERT_TRUE(ledger.ok());
    ledgers.push_back(std::move(ledger).value());
  }
  std::vector<const Ledger*> pointers{&ledgers[0], &ledgers[1]};
  bool incomplete = false;
  for (const Flag& flag : itemsToCheck(pointers)) incomplete = incomplete || flag.kind == FlagKind::kRunIncomplete;
  EXPECT_TRUE(incomplete);
}

}  // namespace
}  // namespace m2z::report
