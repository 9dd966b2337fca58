// The hash chain: planted edits, removals, reorderings and torn tails are found at the right
// record, and an untouched log verifies.
#include "audit/hash_chain.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "audit/audit_reader.h"
#include "test_support.h"

namespace m2z::audit {
namespace {

using testing::readFile;
using testing::TempDir;
using testing::writeFile;

RunInfo chainRun() {
  RunInfo run;
  run.account = "alice@example.com";
  run.run_id = "run-1";
  run.tool_version = "0.1.0";
  return run;
}

Entry okEntry(const std::string& entry_id, const std::string& subject) {
  Entry entry;
  entry.operation = "SetAppointmentRequest";
  entry.source = model::Provenance{"/data/alice.pst", "/Calendar", entry_id};
  entry.item = ItemSummary{"appointment", subject, "uid-" + entry_id, "2024-03-01T10:00:00 UTC", "2024-03-01T11:00:00 UTC", false};
  entry.outcome = "ok";
  entry.http_status = 200;
  return entry;
}

// Four records (three entries and a standalone finding) and a summary.
std::filesystem::path writeChainedLog(const TempDir& dir, bool close = true) {
  const auto path = dir / "log.xml";
  FixedClock clock("2024-03-01T09:30:00.000Z");
  auto log = AuditLog::create(path, chainRun(), clock);
  EXPECT_TRUE(log.ok());
  EXPECT_TRUE((*log)->append(okEntry("100", "One")).ok());
  EXPECT_TRUE((*log)->append(okEntry("101", "Two")).ok());
  model::Finding skipped;
  skipped.kind = "item.unreadable";
  skipped.severity = model::Severity::kError;
  skipped.item = model::Provenance{"/data/alice.pst", "/Calendar", "102"};
  skipped.item_skipped = true;
  skipped.why = "damaged";
  EXPECT_TRUE((*log)->appendFinding(skipped).ok());
  EXPECT_TRUE((*log)->append(okEntry("103", "Four")).ok());
  if (close) {
    EXPECT_TRUE((*log)->close(Summary{{KindCounts{"appointment", 3, 1, 0}}, true}).ok());
  }
  return path;
}

// The file split into header, one string per record (entry, finding, summary), and the end.
struct Pieces {
  std::string header;
  std::vector<std::string> records;
  std::string end;
};

Pieces split(const std::string& text) {
  Pieces pieces;
  std::size_t pos = 0;
  bool in_header = true;
  while (pos < text.size()) {
    const std::size_t newline = text.find('\n', pos);
    const std::size_t next = newline == std::string::npos ? text.size() : newline + 1;
    const std::string line = text.substr(pos, next - pos);
    pos = next;
    const bool starts = line.rfind("  <entry ", 0) == 0 || line.rfind("  <finding ", 0) == 0 || line.rfind("  <summary ", 0) == 0;
    if (line.rfind("</auditLog>", 0) == 0) {
      pieces.end += line;
      in_header = false;
    } else if (starts) {
      pieces.records.push_back(line);
      in_header = false;
    } else if (in_header) {
      pieces.header += line;
    } else if (!pieces.end.empty()) {
      pieces.end += line;
    } else {
      pieces.records.back() += line;
    }
  }
  return pieces;
}

std::string join(const Pieces& pieces) {
  std::string text = pieces.header;
  for (const auto& record : pieces.records) text += record;
  return text + pieces.end;
}

ChainCheck verify(const std::filesystem::path& path) {
  Result<ChainCheck> check = verifyChain(path);
  EXPECT_TRUE(check.ok()) << (check.ok() ? "" : check.error().describe());
  return check.ok() ? *check : ChainCheck{};
}

TEST(Sha256Test, MatchesTheFips180Examples) {
  // FIPS 180-2 appendix B.1 ("abc") and the empty message's well-known digest.
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(HashChainTest, UntouchedLogIsIntact) {
  TempDir dir;
  const ChainCheck check = verify(writeChainedLog(dir));
  EXPECT_TRUE(check.intact()) << check.broken->why;
  EXPECT_EQ(check.records, 4);
  EXPECT_TRUE(check.closed);
  EXPECT_EQ(check.torn_bytes, 0U);
}

TEST(HashChainTest, EveryRecordLinksToTheOneBefore) {
  // The rule from docs/audit-log.md, applied by hand: record 1's prevHash is the header's
  // SHA-256; each later prevHash is the hash of the record before.
  TempDir dir;
  const Pieces pieces = split(readFile(writeChainedLog(dir)));
  ASSERT_EQ(pieces.records.size(), 5U);
  std::string previous = sha256Hex(pieces.header);
  const std::regex attributes(R"re( prevHash="([0-9a-f]{64})" hash="([0-9a-f]{64})")re");
  for (const auto& record : pieces.records) {
    std::smatch match;
    ASSERT_TRUE(std::regex_search(record, match, attributes)) << record;
    EXPECT_EQ(match[1].str(), previous);
    std::string without_hash = record;
    without_hash.erase(static_cast<std::size_t>(match.position(2)) - 7, 7 + 64 + 1);  // ` hash="` … `"`
    EXPECT_EQ(match[2].str(), sha256Hex(without_hash));
    previous = match[2].str();
  }
}

TEST(HashChainTest, EditedEntryIsFoundAtItsSeq) {
  TempDir dir;
  const auto path = writeChainedLog(dir);
  std::string text = readFile(path);
  const std::size_t at = text.find("<subject>Two</subject>");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 22, "<subject>Tw0</subject>");
  writeFile(path, text);
  const ChainCheck check = verify(path);
  ASSERT_FALSE(check.intact());
  EXPECT_EQ(check.broken->seq, 2);
  EXPECT_NE(check.broken->why.find("edited"), std::string::npos) << check.broken->why;
  // The tolerant reader cannot see this: the record is still well-formed.
  EXPECT_TRUE(readEntries(path).ok());
}

TEST(HashChainTest, RemovedEntryIsFoundAtTheNextRecord) {
  TempDir dir;
  const auto path = writeChainedLog(dir);
  Pieces pieces = split(readFile(path));
  pieces.records.erase(pieces.records.begin() + 1);  // record 2
  writeFile(path, join(pieces));
  const ChainCheck check = verify(path);
  ASSERT_FALSE(check.intact());
  EXPECT_EQ(check.broken->seq, 3);
  EXPECT_NE(check.broken->why.find("missing"), std::string::npos) << check.broken->why;
}

TEST(HashChainTest, RemovedAndRenumberedEntryIsAnEdit) {
  // Whoever removes record 2 and renumbers record 3 to hide the gap changes record 3's bytes.
  TempDir dir;
  const auto path = writeChainedLog(dir);
  Pieces pieces = split(readFile(path));
  pieces.records.erase(pieces.records.begin() + 1);
  pieces.records[1].replace(pieces.records[1].find("seq=\"3\""), 7, "seq=\"2\"");
  writeFile(path, join(pieces));
  const ChainCheck check = verify(path);
  ASSERT_FALSE(check.intact());
  EXPECT_EQ(check.broken->seq, 2);
  EXPECT_NE(check.broken->why.find("edited"), std::string::npos) << check.broken->why;
}

TEST(HashChainTest, ReorderedEntriesAreFound) {
  TempDir dir;
  const auto path = writeChainedLog(dir);
  Pieces pieces = split(readFile(path));
  std::swap(pieces.records[1], pieces.records[2]);
  writeFile(path, join(pieces));
  const ChainCheck check = verify(path);
  ASSERT_FALSE(check.intact());
  EXPECT_EQ(check.broken->seq, 3);  // the first record out of place
}

TEST(HashChainTest, EditedHeaderBreaksTheFirstLink) {
  TempDir dir;
  const auto path = writeChainedLog(dir);
  std::string text = readFile(path);
  text.replace(text.find("alice@example.com"), 17, "mallory@example.c");
  writeFile(path, text);
  const ChainCheck check = verify(path);
  ASSERT_FALSE(check.intact());
  EXPECT_EQ(check.broken->seq, 1);
  EXPECT_NE(check.broken->why.find("header"), std::string::npos) << check.broken->why;
}

TEST(HashChainTest, RemovedLastRecordBreaksTheSummary) {
  TempDir dir;
  const auto path = writeChainedLog(dir);
  Pieces pieces = split(readFile(path));
  pieces.records.erase(pieces.records.begin() + 3);  // record 4, just before the summary
  writeFile(path, join(pieces));
  const ChainCheck check = verify(path);
  ASSERT_FALSE(check.intact());
  EXPECT_EQ(check.broken->seq, 4);  // the summary, after record 3
}

TEST(HashChainTest, TornTailIsNotABreak) {
  TempDir dir;
  const auto path = writeChainedLog(dir, false);
  std::string text = readFile(path);
  text.resize(text.size() - 40);  // a crash in the middle of writing record 4
  writeFile(path, text);
  const ChainCheck check = verify(path);
  EXPECT_TRUE(check.intact()) << check.broken->why;
  EXPECT_EQ(check.records, 3);
  EXPECT_FALSE(check.closed);
  EXPECT_GT(check.torn_bytes, 0U);
}

TEST(HashChainTest, RecordCutInItsFirstBytesIsTorn) {
  // A crash after "  <ent" of record 5: the four records before are whole.
  TempDir dir;
  const auto path = writeChainedLog(dir, false);
  writeFile(path, readFile(path) + "  <ent");
  const ChainCheck check = verify(path);
  EXPECT_TRUE(check.intact()) << check.broken->why;
  EXPECT_EQ(check.records, 4);
  EXPECT_EQ(check.torn_bytes, 6U);
}

TEST(HashChainTest, UnclosedLogIsIntactButNotClosed) {
  TempDir dir;
  const ChainCheck check = verify(writeChainedLog(dir, false));
  EXPECT_TRUE(check.intact());
  EXPECT_EQ(check.records, 4);
  EXPECT_FALSE(check.closed);
}

TEST(HashChainTest, DataAppendedAfterCloseIsABreak) {
  TempDir dir;
  const auto path = writeChainedLog(dir);
  writeFile(path, readFile(path) + "  <entry seq=\"5\"/>\n");
  EXPECT_FALSE(verify(path).intact());
}

TEST(HashChainTest, StrippedHashIsABreak) {
  TempDir dir;
  const auto path = writeChainedLog(dir);
  const std::string text = readFile(path);
  writeFile(path, std::regex_replace(text, std::regex(R"re( prevHash="[0-9a-f]{64}" hash="[0-9a-f]{64}")re"), ""));
  const ChainCheck check = verify(path);
  ASSERT_FALSE(check.intact());
  EXPECT_EQ(check.broken->seq, 1);
}

TEST(HashChainTest, NotALogIsAnError) {
  TempDir dir;
  writeFile(dir / "x.xml", "<html><body>hello</body></html>\n");
  Result<ChainCheck> check = verifyChain(dir / "x.xml");
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.error().code, "audit.not_a_log");
  EXPECT_FALSE(verifyChain(dir / "missing.xml").ok());
}

}  // namespace
}  // namespace m2z::audit
