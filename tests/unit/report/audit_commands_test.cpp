// The audit and report commands over files: exit codes and what they print and write.
#include "pipeline/audit_commands.h"

#include <gtest/gtest.h>

#include <sstream>

#include "report_test_support.h"

namespace m2z::pipeline {
namespace {

using report::testing::TempDir;

TEST(AuditCommandsTest, VerifyChainSaysIntactOrWhereItBroke) {
  TempDir dir;
  const auto path = report::testing::writeAliceLog(dir / "alice.xml");
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(auditVerifyChain(path, out, err), kAuditClean);
  EXPECT_EQ(out.str(), path.string() + ": intact: 8 records, closed\n");
  std::string text = report::testing::readFile(path);
  text.replace(text.find("<subject>Board</subject>"), 24, "<subject>B0ard</subject>");
  report::testing::writeFile(path, text);
  out.str("");
  EXPECT_EQ(auditVerifyChain(path, out, err), kAuditFindings);
  EXPECT_EQ(out.str(), path.string() + ": broken at seq 8: record 8 does not match its hash: it was edited after it was written\n");
  EXPECT_EQ(auditVerifyChain(dir / "missing.xml", out, err), kAuditError);
}

TEST(AuditCommandsTest, ScanReportsUnreadableLogsAndScansTheRest) {
  TempDir dir;
  const auto good = report::testing::writeCleanCarolLog(dir / "carol.xml");
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(auditScan({good}, report::ScanFormat::kTable, out, err), kAuditClean);
  EXPECT_EQ(out.str(), "No findings.\n");
  out.str("");
  EXPECT_EQ(auditScan({dir / "absent.xml", report::testing::writeAliceLog(dir / "alice.xml")}, report::ScanFormat::kCsv, out, err),
            kAuditError);
  EXPECT_NE(err.str().find("absent.xml"), std::string::npos);
  EXPECT_NE(out.str().find("date-changed"), std::string::npos);
}

TEST(AuditCommandsTest, DiffAndReportsWriteTheirFiles) {
  TempDir dir;
  const auto alice = report::testing::writeAliceLog(dir / "alice.xml");
  const auto carol = report::testing::writeCleanCarolLog(dir / "carol.xml");
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(auditDiff(alice, alice, out, err), kAuditClean);
  EXPECT_EQ(auditDiff(alice, carol, out, err), kAuditFindings);
  EXPECT_EQ(reportUser({alice, carol}, dir / "user", report::Language::kGerman, std::nullopt, out, err), kAuditClean);
  EXPECT_TRUE(std::filesystem::exists(dir / "user" / "alice@example.com.html"));
  EXPECT_TRUE(std::filesystem::exists(dir / "user" / "carol@example.com.txt"));
  EXPECT_EQ(reportStaff({alice, carol}, dir / "staff", out, err), kAuditClean);
  for (const char* name : {"staff-summary.html", "staff-summary.csv", "staff-findings.csv"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / "staff" / name)) << name;
  }
  EXPECT_EQ(err.str(), "");
}

}  // namespace
}  // namespace m2z::pipeline
