// readRulesAndOof on the PST/OST files under ../shared, and the rules-stream header on the .rwz
// exports. Expected values come from ../shared/testdata/MANIFEST.md (section 1 and 6), the
// libpff property dumps in ../shared/testdata/rules/fai-dumps, and the .rwz bytes as xxd shows them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "model/item_sink.h"
#include "readers/mapi/rule_stream.h"
#include "readers/pst/pst_rules_reader.h"

namespace m2z::readers::pst {
namespace {

const std::string kShared = M2Z_SHARED_DIR;
const std::string kPst = kShared + "/testdata/pst/";
const std::string kRwz = kShared + "/testdata/rules/outlookrulesreader-rwz/";

struct RuleSink : model::ItemSink {
  std::vector<model::Rule> rules;
  std::vector<model::OofSettings> oof;
  std::vector<model::Finding> findings;
  void onFolder(const model::SourceFolder&) override {}
  void onAppointment(model::Appointment) override {}
  void onRule(model::Rule rule) override { rules.push_back(std::move(rule)); }
  void onOofSettings(model::OofSettings settings) override { oof.push_back(std::move(settings)); }
  void onFinding(model::Finding finding) override { findings.push_back(std::move(finding)); }
  std::vector<model::Finding> ofKind(const std::string& kind) const {
    std::vector<model::Finding> out;
    for (const auto& finding : findings) {
      if (finding.kind == kind) out.push_back(finding);
    }
    return out;
  }
};

TEST(RulesRealData, SampleOstJunkMailRule) {
  // MANIFEST: Inbox FAI IPM.ExtendedRule.Message 'Junk E-mail Rule' (PR_RULE_MSG_PROVIDER
  // "JunkEmailRule"), IPM.RuleOrganizer with a 66-byte empty rules stream; 2 FAI in a pooled
  // search folder cannot be opened; no OOF template anywhere.
  RuleSink sink;
  auto summary = readRulesAndOof(kPst + "aspose-net__SampleOstFile.ost", sink);
  ASSERT_TRUE(summary.ok()) << summary.error().describe();
  ASSERT_EQ(sink.rules.size(), 1u);
  const auto& rule = sink.rules[0];
  EXPECT_EQ(rule.name, "Junk E-mail Rule");
  EXPECT_EQ(rule.provider, "JunkEmailRule");
  EXPECT_EQ(rule.provenance.folder_path, "/Inbox");
  EXPECT_EQ(rule.sequence, 0);     // 0x65F3 = 0 in the dump
  EXPECT_EQ(rule.state, 0x31u);    // 0x65E9 = 0x31 in the dump
  EXPECT_TRUE(rule.enabled);
  ASSERT_FALSE(rule.actions.empty());
  EXPECT_EQ(rule.actions[0].kind, model::RuleActionKind::kMove);
  // The target is a 46-byte Exchange folder entry id; this OST's folders carry no PidTagSourceKey
  // (a libpff walk of their record sets shows none), so the target stays unresolved and says so.
  EXPECT_EQ(rule.actions[0].folder_entry_id.size(), 46u * 2);
  EXPECT_TRUE(rule.actions[0].folder_path.empty());
  EXPECT_EQ(sink.ofKind("rule.folder_unresolved").size(), 1u);
  const auto empty = sink.ofKind("rule.client_rules_empty");
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(empty[0].item.folder_path, "/Inbox");
  EXPECT_EQ(sink.ofKind("item.unreadable").size(), 2u);
  EXPECT_EQ(sink.ofKind("oof.not_found").size(), 1u);
  EXPECT_TRUE(sink.oof.empty());
  EXPECT_EQ(summary->rules, 1);
  EXPECT_EQ(summary->client_rule_streams, 1);
  // Every rule-related item is accounted for: a rule handed over, or a finding that skips it.
  int skipped = 0;
  for (const auto& finding : sink.findings) skipped += finding.item_skipped ? 1 : 0;
  EXPECT_EQ(summary->skipped, skipped);
  EXPECT_EQ(summary->rule_items, summary->rules + summary->skipped + 1);  // + the empty organizer
}

TEST(RulesRealData, JaneDoeClientRulesStream) {
  // MANIFEST: Inbox IPM.RuleOrganizer with one rule 'Clear categories on mail (recommended)'; 2 FAI
  // cannot be opened; no extended rules.
  RuleSink sink;
  auto summary = readRulesAndOof(kPst + "process-pst__flags_jane_doe.pst", sink);
  ASSERT_TRUE(summary.ok()) << summary.error().describe();
  // The stream's one rule is decoded (fai-dumps: 245-byte PidTagRwRulesStream; condition element
  // 0xF6 "assigned to any category", action 0x152 "clear categories"), not kept as raw bytes.
  ASSERT_EQ(sink.rules.size(), 1u);
  EXPECT_EQ(sink.rules[0].name, "Clear categories on mail (recommended)");
  EXPECT_EQ(sink.rules[0].provider, "RuleOrganizer");
  EXPECT_FALSE(sink.rules[0].conditions.empty());
  EXPECT_FALSE(sink.rules[0].actions.empty());
  EXPECT_TRUE(sink.ofKind("rule.client_rules_not_decoded").empty());
  EXPECT_EQ(summary->client_rule_streams, 1);
  EXPECT_EQ(sink.ofKind("item.unreadable").size(), 2u);
}

TEST(RulesRealData, BackupWithRulesHasNoRuleItems) {
  // MANIFEST: despite the name, no rule FAI is visible to libpff.
  RuleSink sink;
  auto summary = readRulesAndOof(kPst + "pstreader__backup_with_rules.pst", sink);
  ASSERT_TRUE(summary.ok()) << summary.error().describe();
  EXPECT_TRUE(sink.rules.empty());
  EXPECT_EQ(summary->client_rule_streams, 0);
  EXPECT_TRUE(sink.oof.empty());
}

TEST(RulesRealData, MissingFileFails) {
  RuleSink sink;
  auto summary = readRulesAndOof(kPst + "no-such-file.pst", sink);
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.error().code, "pst.open");
}

std::vector<std::uint8_t> readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(RulesRealData, RwzExportsShareTheStreamHeader) {
  // xxd: Outlook2007_EmptyRule_2002.rwz = stamp 1000000, count 1 at 0x2C, then a 4-byte stamp,
  // length 0x0A and UTF-16 "Empty Rule"; Outlook2000_Multiple_Default.rwz = stamp 970812, count 2 at
  // 0x24, then length 0x1E and "where my name is in the C..." in 8-bit characters.
  auto empty = mapi::parseRulesStreamHeader(readFile(kRwz + "Empty/Outlook2007_EmptyRule_2002.rwz"), "rwz");
  ASSERT_TRUE(empty.ok()) << empty.error().describe();
  EXPECT_EQ(empty->outlook_version, "2002");
  EXPECT_EQ(empty->rule_count, 1);
  EXPECT_EQ(empty->first_rule_name, "Empty Rule");
  auto multiple = mapi::parseRulesStreamHeader(readFile(kRwz + "Multiple/Outlook2000_Multiple_Default.rwz"), "rwz");
  ASSERT_TRUE(multiple.ok()) << multiple.error().describe();
  EXPECT_EQ(multiple->rule_count, 2);
  ASSERT_TRUE(multiple->first_rule_name.has_value());
  EXPECT_EQ(multiple->first_rule_name->substr(0, 25), "where my name is in the C");
  // An Outlook 2007 export in the Outlook 98 format of a rule Outlook 98 cannot hold: xxd shows the
  // 58-byte file is the header with count 0 at 0x24 and zeros after it.
  auto none = mapi::parseRulesStreamHeader(
      readFile(kRwz + "Conditions/SenderInAddressBookCondition/Outlook2007_SenderInAddressBook_98.rwz"), "rwz");
  ASSERT_TRUE(none.ok()) << none.error().describe();
  EXPECT_EQ(none->rule_count, 0);
  EXPECT_FALSE(none->first_rule_name.has_value());
  // The unstamped Outlook 2003 export: count 1 at 0x24, then length 0x21 and 8-bit text (xxd).
  auto unstamped = mapi::parseRulesStreamHeader(readFile(kRwz + "Versions/Outlook2003/NoSignatureFromOutlook2003.rwz"), "rwz");
  ASSERT_TRUE(unstamped.ok()) << unstamped.error().describe();
  EXPECT_EQ(unstamped->first_rule_name, "which is an Out of Office message");
  // Every export gives a header, never an error or a crash.
  int files = 0;
  int parsed = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kRwz)) {
    if (entry.path().extension() != ".rwz") continue;
    ++files;
    auto header = mapi::parseRulesStreamHeader(readFile(entry.path()), entry.path().string());
    if (header) ++parsed;
    else ADD_FAILURE() << header.error().describe();
  }
  // The MANIFEST says 330 files; the folder holds 300 (find | wc -l), and the files win.
  EXPECT_EQ(files, 300);
  EXPECT_EQ(parsed, files);
}

}  // namespace
}  // namespace m2z::readers::pst
