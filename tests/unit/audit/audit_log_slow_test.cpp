// Tests that move tens of megabytes: labelled slow.
#include <gtest/gtest.h>

#include "audit/audit_log.h"
#include "audit/audit_reader.h"
#include "test_support.h"

namespace m2z::audit {
namespace {

using testing::readFile;
using testing::TempDir;

TEST(AuditLogSlowTest, BodyThatEscapesPastTheParserLimitIsKeptAsBase64) {
  // 16 MiB of '<' (the default body limit) escapes to 64 MiB of "&lt;", past the 64 MiB a
  // record may have (xml::ParseLimits); as base64 it is 4/3 of that, and fits.
  TempDir dir;
  FixedClock clock("2024-03-01T09:30:00.000Z");
  RunInfo run;
  run.account = "alice@example.com";
  run.run_id = "run-big";
  auto log = AuditLog::create(dir / "log.xml", run, clock);
  ASSERT_TRUE(log.ok()) << log.error().describe();
  Entry entry;
  entry.operation = "GetInfoRequest";
  entry.outcome = std::string(kOutcomeTransportError);
  entry.response_xml = std::string(std::size_t{16} * 1024 * 1024, '<');
  ASSERT_TRUE((*log)->append(entry).ok());
  ASSERT_TRUE((*log)->close(Summary{}).ok());

  const std::string bytes = readFile(dir / "log.xml");
  EXPECT_NE(bytes.find("encoding=\"base64\">PDw8"), std::string::npos);  // "<<<" is 3C 3C 3C -> "PDw8"
  auto read = readEntries(dir / "log.xml");
  ASSERT_TRUE(read.ok()) << read.error().describe();
  ASSERT_EQ(read->records.size(), 1u);
  EXPECT_EQ(read->records[0].entry.response_xml, entry.response_xml);
}

}  // namespace
}  // namespace m2z::audit
