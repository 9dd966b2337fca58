// The staff summary counts per status and per finding kind, worst accounts first.
#include "report/staff_summary.h"

#include <gtest/gtest.h>

#include "report_test_support.h"

namespace m2z::report {
namespace {

using testing::TempDir;

TEST(StaffSummaryTest, CountsAndOrdersAccounts) {
  TempDir dir;
  std::vector<Ledger> ledgers;
  for (const auto& path : {testing::writeCleanCarolLog(dir / "carol.xml"), testing::writeTornBobLog(dir / "bob.xml"),
                           testing::writeAliceLog(dir / "alice.xml")}) {
    Result<Ledger> ledger = loadLedger(path);
    ASSERT_TRUE(ledger.ok());
    ledgers.push_back(std::move(ledger).value());
  }
  const StaffSummary summary = buildStaffSummary(ledgers);
  ASSERT_EQ(summary.accounts.size(), 3U);
  // Alice: 5 items to check; Bob: 1 (his run died); Carol: none.
  EXPECT_EQ(summary.accounts[0].account, "alice@example.com");
  EXPECT_EQ(summary.accounts[1].account, "bob@example.com");
  EXPECT_EQ(summary.accounts[2].account, "carol@example.com");
  // Alice: 100, 101, 102, 104, 105 created; 103 skipped; 106 failed. Bob: 200, 201 created (202
  // was torn away). Carol: 300 created.
  const std::string expected_csv =
      "account,logs,incomplete_runs,created,skipped,failed,dry_run,items_to_check,faults\r\n"
      "alice@example.com,1,0,5,1,1,0,5,2\r\n"
      "bob@example.com,1,1,2,0,0,0,1,0\r\n"
      "carol@example.com,1,0,1,0,0,0,0,0\r\n";
  EXPECT_EQ(staffCsv(summary), expected_csv);
  EXPECT_EQ(staffFindingsCsv(summary),
            "account,finding,count\r\n"
            "alice@example.com,recurrence.not_converted,1\r\n"
            "alice@example.com,zone.missing,1\r\n");
  EXPECT_EQ(summary.by_status.at("created"), 8);
  const std::string html = staffHtml(summary);
  EXPECT_LT(html.find("alice@example.com"), html.find("bob@example.com"));
  EXPECT_LT(html.find("bob@example.com"), html.find("carol@example.com"));
  EXPECT_NE(html.find("<td>zone.missing</td><td>1</td>"), std::string::npos);
}

}  // namespace
}  // namespace m2z::report
