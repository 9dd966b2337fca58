// User reports list what needs checking (and nothing else), in English and German, from the
// message catalogues.
#include "report/user_report.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "report_test_support.h"

namespace m2z::report {
namespace {

using testing::TempDir;

std::vector<Ledger> loadAll(const std::vector<std::filesystem::path>& paths) {
  std::vector<Ledger> ledgers;
  for (const auto& path : paths) {
    Result<Ledger> ledger = loadLedger(path);
    EXPECT_TRUE(ledger.ok()) << (ledger.ok() ? "" : ledger.error().describe());
    if (ledger.ok()) ledgers.push_back(std::move(ledger).value());
  }
  return ledgers;
}

Catalogue catalogue(Language language) {
  Result<Catalogue> loaded = Catalogue::load(language);
  EXPECT_TRUE(loaded.ok());
  return loaded.ok() ? *loaded : Catalogue{};
}

std::vector<std::string> entryIds(const UserReport& report) {
  std::vector<std::string> ids;
  for (const Flag& flag : report.items) ids.push_back(flag.source.entry_id + ":" + std::string(toString(flag.kind)));
  return ids;
}

TEST(UserReportTest, ListsOnlyWhatTheUserShouldCheck) {
  // Alice's planted problems minus server trouble that resolved itself (104's retry) and items
  // that are fine (100).
  TempDir dir;
  const auto ledgers = loadAll({testing::writeAliceLog(dir / "alice.xml")});
  const auto reports = buildUserReports(ledgers, catalogue(Language::kEnglish));
  ASSERT_EQ(reports.size(), 1U);
  const std::vector<std::string> expected = {"101:date-changed", "102:all-day-not-date", "103:not-created",
                                             "105:zone-guessed", "106:not-created"};
  EXPECT_EQ(entryIds(reports[0]), expected);
  const std::string& html = reports[0].html;
  for (const char* subject : {"Holiday", "Offsite", "Call NYC", "Board"}) EXPECT_NE(html.find(subject), std::string::npos);
  EXPECT_EQ(html.find("Standup"), std::string::npos);
  EXPECT_EQ(html.find("Review"), std::string::npos);
  EXPECT_NE(html.find("2024-03-01 → 2024-03-02"), std::string::npos);  // what was changed for 101
  EXPECT_NE(html.find("The date in the new calendar differs"), std::string::npos);
  EXPECT_NE(html.find("set to UTC"), std::string::npos);  // 105: zone.missing, after="UTC"
  EXPECT_EQ(reports[0].mail_subject, "Your calendar migration: 5 item(s) to check");
  EXPECT_NE(reports[0].text.find("1. Holiday\n"), std::string::npos) << reports[0].text;
  EXPECT_EQ(reports[0].text.find("Standup"), std::string::npos);
}

TEST(UserReportTest, HtmlIsSelfContained) {
  TempDir dir;
  const auto reports = buildUserReports(loadAll({testing::writeAliceLog(dir / "alice.xml")}), catalogue(Language::kEnglish));
  ASSERT_EQ(reports.size(), 1U);
  const std::string& html = reports[0].html;
  EXPECT_NE(html.find("<style>"), std::string::npos);
  for (const char* external : {"<link", "<script", "src=", "http://", "https://", "url("}) {
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  }
}

TEST(UserReportTest, GermanComesFromTheGermanCatalogue) {
  TempDir dir;
  const auto reports = buildUserReports(loadAll({testing::writeAliceLog(dir / "alice.xml")}), catalogue(Language::kGerman));
  ASSERT_EQ(reports.size(), 1U);
  EXPECT_NE(reports[0].html.find("<html lang=\"de\">"), std::string::npos);
  EXPECT_NE(reports[0].html.find("Das Datum im neuen Kalender weicht vom Datum im alten Kalender ab."), std::string::npos);
  EXPECT_NE(reports[0].html.find("nicht übertragen"), std::string::npos);
  EXPECT_EQ(reports[0].mail_subject, "Ihre Kalender-Migration: 5 Eintrag/Einträge zu prüfen");
  EXPECT_NE(reports[0].text.find("Warum: "), std::string::npos);
}

TEST(UserReportTest, CleanAccountGetsAnAllClear) {
  TempDir dir;
  const auto reports = buildUserReports(loadAll({testing::writeCleanCarolLog(dir / "carol.xml")}), catalogue(Language::kEnglish));
  ASSERT_EQ(reports.size(), 1U);
  EXPECT_TRUE(reports[0].items.empty());
  EXPECT_NE(reports[0].html.find("id=\"all-clear\""), std::string::npos);
  EXPECT_EQ(reports[0].html.find("<table"), std::string::npos);
  EXPECT_EQ(reports[0].mail_subject, "Your calendar migration: nothing to check");
}

TEST(UserReportTest, TornRunIsNotAnAllClearUntilALaterRunFinishes) {
  TempDir dir;
  const auto torn = loadAll({testing::writeTornBobLog(dir / "bob.xml")});
  auto reports = buildUserReports(torn, catalogue(Language::kEnglish));
  ASSERT_EQ(reports.size(), 1U);
  ASSERT_EQ(reports[0].items.size(), 1U);  // the two incomplete-run flags are one thing to check
  EXPECT_EQ(reports[0].items[0].kind, FlagKind::kRunIncomplete);
  EXPECT_NE(reports[0].html.find("Your whole calendar"), std::string::npos);
}

TEST(UserReportTest, ItemCreatedByALaterRunIsNotListedAsMissing) {
  TempDir dir;
  testing::writeAliceLog(dir / "run1.xml");
  audit::FixedClock clock("2024-03-02T09:30:00.000Z");
  auto second = audit::AuditLog::create(dir / "run2.xml", testing::runFor("alice@example.com", "run-2"), clock);
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE((*second)->append(testing::setAppointment("106", "Board", "2024-03-08T10:00:00 Europe/Berlin", "20240308T100000", false)).ok());
  ASSERT_TRUE((*second)->close(audit::Summary{{}, true}).ok());
  const auto reports = buildUserReports(loadAll({dir / "run1.xml", dir / "run2.xml"}), catalogue(Language::kEnglish));
  ASSERT_EQ(reports.size(), 1U);
  const std::vector<std::string> expected = {"101:date-changed", "102:all-day-not-date", "103:not-created", "105:zone-guessed"};
  EXPECT_EQ(entryIds(reports[0]), expected);
}

TEST(UserReportTest, HostileSubjectIsEscaped) {
  TempDir dir;
  audit::FixedClock clock("2024-03-01T09:30:00.000Z");
  auto log = audit::AuditLog::create(dir / "x.xml", testing::runFor("x@example.com"), clock);
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE((*log)->append(testing::setAppointment("1", "<script>alert(1)</script>", "2024-03-01", "20240302", true)).ok());
  ASSERT_TRUE((*log)->close(audit::Summary{{}, true}).ok());
  const auto reports = buildUserReports(loadAll({dir / "x.xml"}), catalogue(Language::kEnglish));
  ASSERT_EQ(reports.size(), 1U);
  EXPECT_EQ(reports[0].html.find("<script>"), std::string::npos);
  EXPECT_NE(reports[0].html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
}

TEST(CatalogueTest, BothLanguagesHaveTheSameKeys) {
  // A key missing in one language would show as the bare key in that report.
  const std::vector<std::string> keys = {"mail_subject", "mail_subject_clear", "title", "title_clear", "greeting", "intro",
                                         "all_clear", "col_what", "col_when", "col_why", "col_changed", "whole_calendar",
                                         "no_subject", "unknown_time", "changed", "set_to", "nothing_changed", "details", "footer",
                                         "change.not-created"};
  std::vector<std::string> all = keys;
  for (const FlagKind kind : {FlagKind::kAllDayNotDate, FlagKind::kAllDayNotMidnight, FlagKind::kDateChanged,
                              FlagKind::kZoneGuessed, FlagKind::kUidChanged, FlagKind::kRecurrenceApproximated,
                              FlagKind::kNotCreated, FlagKind::kRunIncomplete, FlagKind::kFault, FlagKind::kRetry}) {
    all.push_back("reason." + std::string(toString(kind)));
  }
  for (const Language language : {Language::kEnglish, Language::kGerman}) {
    const Catalogue words = catalogue(language);
    for (const auto& key : all) EXPECT_TRUE(words.has(key)) << key;
  }
  EXPECT_FALSE(parseLanguage("fr").ok());
  EXPECT_TRUE(parseLanguage("de").ok());
}

TEST(CatalogueTest, PlaceholdersAreFilled) {
  Result<Catalogue> words = Catalogue::parse(R"({"hi": "Hello {name}, {missing}!"})", "test");
  ASSERT_TRUE(words.ok());
  EXPECT_EQ(words->text("hi", {{"name", "Ann"}}), "Hello Ann, {missing}!");
  EXPECT_EQ(words->text("absent"), "absent");
  EXPECT_FALSE(Catalogue::parse("not json", "test").ok());
}

TEST(ReportFileStemTest, KeepsAddressesAndNeutralisesPaths) {
  EXPECT_EQ(reportFileStem("alice@example.com"), "alice@example.com");
  EXPECT_EQ(reportFileStem("../etc/passwd"), "_.._etc_passwd");
  EXPECT_EQ(reportFileStem(""), "_");
}

}  // namespace
}  // namespace m2z::report
