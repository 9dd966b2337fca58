#include "audit/audit_reader.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace m2z::audit {
namespace {

using testing::TempDir;
using testing::writeFile;

// Logs written by hand in the documented layout (docs/audit-log.md), so the reader is tested on
// damage the writer itself would never produce.
const std::string kHeader =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<auditLog xmlns=\"urn:mapi2zimbra:audit:1\" account=\"bob@example.com\" runId=\"r7\" tool=\"mapi2zimbra 0.2.0\" "
    "started=\"2024-05-01T00:00:00.000Z\">\n"
    "  <run>\n"
    "    <target url=\"https://zimbra.example.org/service/soap\"/>\n"
    "  </run>\n";

std::string entry(int seq) {
  return "  <entry seq=\"" + std::to_string(seq) +
         "\" time=\"2024-05-01T00:00:01.000Z\" durationMs=\"5\" operation=\"NoOpRequest\" outcome=\"ok\" httpStatus=\"200\"/>\n";
}

std::string finding(int seq) {
  return "  <finding seq=\"" + std::to_string(seq) +
         "\" time=\"2024-05-01T00:00:01.000Z\" kind=\"item.unreadable\" severity=\"error\" itemSkipped=\"true\">\n"
         "    <source file=\"b.pst\" folder=\"/Calendar\" entryId=\"33\"/>\n"
         "    <why>property stream truncated</why>\n"
         "  </finding>\n";
}

std::string summary(int records) {
  return "  <summary ended=\"2024-05-01T00:01:00.000Z\" records=\"" + std::to_string(records) +
         "\" complete=\"true\">\n"
         "    <count kind=\"appointment\" created=\"1\" skipped=\"1\" failed=\"0\"/>\n"
         "  </summary>\n"
         "</auditLog>\n";
}

Result<LogContents> readText(const TempDir& dir, const std::string& text) {
  writeFile(dir / "log.xml", text);
  return readEntries(dir / "log.xml");
}

TEST(AuditReaderTest, ReadsAClosedLog) {
  TempDir dir;
  auto read = readText(dir, kHeader + entry(1) + finding(2) + summary(2));
  ASSERT_TRUE(read.ok()) << read.error().describe();
  EXPECT_EQ(read->run.account, "bob@example.com");
  EXPECT_EQ(read->run.run_id, "r7");
  EXPECT_EQ(read->run.tool_version, "0.2.0");
  EXPECT_EQ(read->run.target_url, "https://zimbra.example.org/service/soap");
  ASSERT_EQ(read->records.size(), 2u);
  EXPECT_EQ(read->records[0].entry.operation, "NoOpRequest");
  EXPECT_EQ(read->records[0].entry.http_status, 200);
  EXPECT_EQ(read->records[1].kind, RecordKind::kFinding);
  EXPECT_EQ(read->records[1].finding.severity, model::Severity::kError);
  EXPECT_EQ(read->records[1].finding.why, "property stream truncated");
  ASSERT_TRUE(read->summary.has_value());
  EXPECT_TRUE(read->summary->complete);
  EXPECT_EQ(read->torn_bytes, 0u);
}

TEST(AuditReaderTest, TornTailIsToleratedAndCounted) {
  TempDir dir;
  const std::string torn = "  <entry seq=\"3\" time=\"2024-05-01T00:00:01.000Z\" durationMs=\"5\" operat";
  auto read = readText(dir, kHeader + entry(1) + finding(2) + torn);
  ASSERT_TRUE(read.ok()) << read.error().describe();
  EXPECT_EQ(read->records.size(), 2u);
  EXPECT_EQ(read->torn_bytes, torn.size());
  EXPECT_FALSE(read->summary.has_value());
}

TEST(AuditReaderTest, HeaderOnlyLogHasNoRecords) {
  TempDir dir;
  auto read = readText(dir, kHeader);
  ASSERT_TRUE(read.ok()) << read.error().describe();
  EXPECT_TRUE(read->records.empty());
  EXPECT_FALSE(read->summary.has_value());
}

TEST(AuditReaderTest, GapInSeqIsAnError) {
  // A missing record is exactly what an auditor must hear about.
  TempDir dir;
  auto read = readText(dir, kHeader + entry(1) + entry(3) + summary(3));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, "audit.seq_gap");
  EXPECT_NE(read.error().message.find("expected seq 2, found 3"), std::string::npos) << read.error().message;
}

TEST(AuditReaderTest, DamageBeforeTheTailIsAnError) {
  TempDir dir;
  const std::string damaged = "  <entry seq=\"2\" time=\"x\" <<<\n";
  auto read = readText(dir, kHeader + entry(1) + damaged + entry(3));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, "audit.corrupt");
  // Points at where the damaged record starts.
  EXPECT_NE(read.error().context.find("at byte " + std::to_string(kHeader.size() + entry(1).size())), std::string::npos)
      << read.error().context;
}

TEST(AuditReaderTest, SummaryMustCountTheRecords) {
  TempDir dir;
  auto read = readText(dir, kHeader + entry(1) + summary(2));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, "audit.summary_mismatch");
}

TEST(AuditReaderTest, NothingMayFollowTheEnd) {
  TempDir dir;
  auto read = readText(dir, kHeader + entry(1) + summary(1) + entry(2));
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, "audit.trailing_data");
}

TEST(AuditReaderTest, OtherDocumentsAreNotLogs) {
  TempDir dir;
  auto read = readText(dir, "<?xml version=\"1.0\"?>\n<calendar xmlns=\"urn:other\">\n");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, "audit.not_a_log");
  auto missing = readEntries(dir / "no-such-file.xml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "audit.open");
}

TEST(AuditReaderTest, StreamsRecordsToACallbackThatCanStopTheRead) {
  TempDir dir;
  writeFile(dir / "log.xml", kHeader + entry(1) + finding(2) + entry(3) + summary(3));
  std::vector<std::int64_t> seen;
  auto read = readEntries(dir / "log.xml", [&](Record record) -> Status {
    seen.push_back(record.seq);
    return {};
  });
  ASSERT_TRUE(read.ok()) << read.error().describe();
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_TRUE(read->records.empty());
  EXPECT_TRUE(read->summary.has_value());

  auto stopped = readEntries(dir / "log.xml", [](Record record) -> Status {
    if (record.seq == 2) return Error{"test.stop", "enough", ""};
    return {};
  });
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error().code, "test.stop");
}

}  // namespace
}  // namespace m2z::audit
