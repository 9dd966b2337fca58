// The shell export reader over testdata/exchange-shell (see testdata/README.md: written by hand
// following the Export-Csv / Export-Clixml formats); expected values are read off those files.
#include "readers/exchange-shell/exchange_shell_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "../readers_ews/recording_sink.h"
#include "readers/detect/detect_format.h"
#include "readers/exchange-shell/shell_mapping.h"

namespace m2z::readers::exchange_shell {
namespace {

using model::RuleActionKind;
using model::RuleConditionKind;
using testing::RecordingSink;

std::string testdata(const std::string& name) {
  return std::string(M2Z_SOURCE_DIR) + "/testdata/exchange-shell/" + name;
}

RecordingSink readFile(const std::string& name, ReadSummary* summary = nullptr, const ReadOptions& options = {}) {
  RecordingSink sink;
  auto result = readExchangeShell(testdata(name), sink, options);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().describe());
  if (result.ok()) {
    // Every object is a rule, a setting, or skipped with a finding.
    EXPECT_EQ(result->rules + result->oof_settings + result->skipped, result->objects);
    if (summary != nullptr) *summary = *result;
  }
  return sink;
}

TEST(ShellValues, RecipientsFoldersAndSizes) {
  EXPECT_EQ(parseRecipient("\"Ann Example\" [SMTP:ann@example.com]"), (model::Person{"Ann Example", "ann@example.com", "SMTP"}));
  EXPECT_EQ(parseRecipient("[EX:/o=Org/cn=Recipients/cn=ann]"), (model::Person{"", "/o=Org/cn=Recipients/cn=ann", "EX"}));
  EXPECT_EQ(parseRecipient("ann@example.com"), (model::Person{"", "ann@example.com", "SMTP"}));
  EXPECT_EQ(parseRecipient("Ann Example"), (model::Person{"Ann Example", "", ""}));
  EXPECT_EQ(folderPathOf("ann:\\Inbox\\Newsletters"), "/Inbox/Newsletters");
  EXPECT_EQ(folderPathOf("ann@example.com:\\Junk Email"), "/Junk Email");
  EXPECT_EQ(folderPathOf("Inbox\\Sub"), "/Inbox/Sub");
  EXPECT_EQ(folderPathOf("LgAAAACp0ZZjbUDnRqwc4WX3xSdwAQD5bzTnrlnjTq4Cy3mYHgKAAAAAAAEMAAAB"), "");
  EXPECT_EQ(byteSizeOf("100 KB (102,400 bytes)"), 102400);
  EXPECT_EQ(byteSizeOf("5 MB (5.242.880 bytes)"), 5242880);  // German group separators
  EXPECT_EQ(byteSizeOf("2048"), 2048);
  EXPECT_FALSE(byteSizeOf("lots").has_value());
  EXPECT_EQ(htmlToText("<p>a &amp; b</p><br>c"), "a & b\n\nc");
}

TEST(ShellReader, InboxRulesFromClixmlInUtf16) {
  // inbox_rules.clixml: UTF-16 LE with BOM, two InboxRule objects.
  // "Project mail": Priority 2, enabled, From "Ann Example" [SMTP:ann@example.com],
  // SubjectContainsWords Project X / PX-2026, HasAttachment, WithinSizeRangeMinimum 100 KB
  // (102,400 bytes), ExceptIfBodyContainsWords newsletter (TNRef 3), MoveToFolder ann:\Junk Email,
  // ForwardTo Bob Example, MarkImportance High (enum), ApplyCategory Projects, StopProcessingRules.
  // "Cleanup": Priority 3, disabled, From = <Ref RefId="1"/> (Ann again), WithImportance Low,
  // DeleteMessage and MarkAsRead.
  ReadSummary summary;
  auto sink = readFile("inbox_rules.clixml", &summary);
  EXPECT_EQ(summary.format, "clixml");
  EXPECT_EQ(summary.cmdlet, "Get-InboxRule");
  ASSERT_EQ(sink.rules.size(), 2u);
  const auto& r = sink.rules[0];
  EXPECT_EQ(r.name, "Project mail");
  EXPECT_TRUE(r.enabled);
  EXPECT_EQ(r.sequence, 2);
  EXPECT_EQ(r.provenance.entry_id, "1234567890123456789");
  ASSERT_EQ(r.conditions.size(), 4u);
  EXPECT_EQ(r.conditions[0].kind, RuleConditionKind::kFrom);
  EXPECT_EQ(r.conditions[0].values, (std::vector<std::string>{"ann@example.com"}));
  EXPECT_EQ(r.conditions[1].values, (std::vector<std::string>{"Project X", "PX-2026"}));
  EXPECT_EQ(r.conditions[2].kind, RuleConditionKind::kSizeAtLeast);
  EXPECT_EQ(r.conditions[2].number, 102400);
  EXPECT_EQ(r.conditions[3].kind, RuleConditionKind::kHasAttachment);
  ASSERT_EQ(r.exceptions.size(), 1u);
  EXPECT_EQ(r.exceptions[0].values, (std::vector<std::string>{"newsletter"}));
  ASSERT_EQ(r.actions.size(), 5u);
  EXPECT_EQ(r.actions[0].kind, RuleActionKind::kMove);
  EXPECT_EQ(r.actions[0].folder_path, "/Junk Email");
  EXPECT_EQ(r.actions[1].kind, RuleActionKind::kForward);
  EXPECT_EQ(r.actions[1].recipients.at(0), (model::Person{"Bob Example", "bob@example.com", "SMTP"}));
  EXPECT_EQ(r.actions[2].kind, RuleActionKind::kSetImportance);
  EXPECT_EQ(r.actions[2].number, 2);
  EXPECT_EQ(r.actions[3].value_text, "Projects");
  EXPECT_EQ(r.actions[4].kind, RuleActionKind::kStopProcessing);
  const auto& cleanup = sink.rules[1];
  EXPECT_EQ(cleanup.name, "Cleanup");
  EXPECT_FALSE(cleanup.enabled);
  ASSERT_EQ(cleanup.conditions.size(), 2u);
  EXPECT_EQ(cleanup.conditions[0].values, (std::vector<std::string>{"ann@example.com"}));
  EXPECT_EQ(cleanup.conditions[1].number, 0);  // Low
  ASSERT_EQ(cleanup.actions.size(), 2u);
  EXPECT_EQ(cleanup.actions[0].folder_path, "/Deleted Items");  // DeleteMessage moves to Deleted Items
  EXPECT_EQ(cleanup.actions[1].kind, RuleActionKind::kMarkRead);
  // Identity, Description, IsValid, ObjectState are bookkeeping; nothing else was left over.
  EXPECT_EQ(sink.count("shell.property_not_carried"), 0);
}

TEST(ShellReader, InboxRulesFromCsv) {
  // inbox_rules.csv: #TYPE ...InboxRule, three rows.
  // Newsletters: SubjectContainsWords "newsletter\r\nunsubscribe" (values joined by line breaks),
  //   MoveToFolder ann:\Inbox\Newsletters, MarkAsRead; Description with doubled quotes.
  // Boss: From "System.Collections.ArrayList" (what Export-Csv writes for a collection),
  //   WithImportance High, MyNameInToBox, MarkImportance High, StopProcessingRules.
  // Large attachments: disabled, HasAttachment, WithinSizeRangeMinimum 5 MB (5,242,880 bytes),
  //   ExceptIfSubjectContainsWords keep, CopyToFolder ann:\Archive, DeleteMessage.
  ReadSummary summary;
  auto sink = readFile("inbox_rules.csv", &summary);
  EXPECT_EQ(summary.format, "csv");
  ASSERT_EQ(sink.rules.size(), 3u);
  const auto& news = sink.rules[0];
  EXPECT_EQ(news.provenance.entry_id, "9000000000000000001");
  ASSERT_EQ(news.conditions.size(), 1u);
  EXPECT_EQ(news.conditions[0].values, (std::vector<std::string>{"newsletter", "unsubscribe"}));
  ASSERT_EQ(news.actions.size(), 2u);
  EXPECT_EQ(news.actions[0].folder_path, "/Inbox/Newsletters");
  EXPECT_EQ(news.actions[1].kind, RuleActionKind::kMarkRead);
  const auto& boss = sink.rules[1];
  ASSERT_EQ(boss.conditions.size(), 3u);  // sent-to-me, importance, other (the lost From)
  EXPECT_EQ(boss.conditions[0].kind, RuleConditionKind::kSentToMe);
  EXPECT_EQ(boss.conditions[1].number, 2);
  EXPECT_EQ(boss.conditions[2].kind, RuleConditionKind::kOther);
  ASSERT_NE(sink.first("shell.values_lost"), nullptr);
  EXPECT_EQ(sink.first("shell.values_lost")->field, "From");
  EXPECT_TRUE(boss.stop_processing);
  const auto& large = sink.rules[2];
  EXPECT_FALSE(large.enabled);
  ASSERT_EQ(large.conditions.size(), 2u);
  EXPECT_EQ(large.conditions[0].number, 5242880);
  EXPECT_EQ(large.exceptions.at(0).values, (std::vector<std::string>{"keep"}));
  ASSERT_EQ(large.actions.size(), 2u);
  EXPECT_EQ(large.actions[0].folder_path, "/Deleted Items");
  EXPECT_EQ(large.actions[1].kind, RuleActionKind::kCopy);
  EXPECT_EQ(large.actions[1].folder_path, "/Archive");
}

TEST(ShellReader, AutoReplyFromCsv) {
  // auto_reply.csv: Scheduled, StartTime "12/21/2026 9:00:00 AM", EndTime "1/4/2027 9:00:00 AM"
  // (en-US, no zone), ExternalAudience All, InternalMessage HTML with &amp; and <br>,
  // ExternalMessage HTML over several lines, CreateOOFEvent True, OOFEventSubject "On holiday".
  auto sink = readFile("auto_reply.csv");
  ASSERT_EQ(sink.oof_settings.size(), 1u);
  const auto& oof = sink.oof_settings[0];
  EXPECT_EQ(oof.enabled, true);
  EXPECT_EQ(oof.external_audience, model::OofExternalAudience::kAll);
  EXPECT_EQ(model::toIsoString(*oof.start), "2026-12-21T09:00:00Z");  // zone assumed UTC
  EXPECT_EQ(model::toIsoString(*oof.end), "2027-01-04T09:00:00Z");
  EXPECT_EQ(sink.count("oof.time_zone_assumed"), 2);
  EXPECT_EQ(oof.internal_reply, "Away until 4 January & back on the 5th.\nAnn");
  EXPECT_EQ(oof.external_reply, "I am away until 4 January; for urgent matters call +1 555 0100.");
  EXPECT_EQ(sink.count("shell.property_not_carried"), 2);  // CreateOOFEvent, OOFEventSubject

  // With the exporting machine's offset (Berlin, +60) the wall times become exact instants.
  ReadOptions options;
  options.exporter_offset_minutes = 60;
  auto exact = readFile("auto_reply.csv", nullptr, options);
  EXPECT_EQ(model::toIsoString(*exact.oof_settings.at(0).start), "2026-12-21T08:00:00Z");
  EXPECT_EQ(exact.count("oof.time_zone_assumed"), 0);
}

TEST(ShellReader, WrongInputSaysWhatWasExpected) {
  RecordingSink sink;
  auto other = readExchangeShellText("#TYPE System.Diagnostics.Process\r\n\"Name\",\"Id\"\r\n\"x\",\"1\"\r\n", "p.csv", sink);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, "shell.unknown_export");
  EXPECT_NE(other.error().message.find("Get-InboxRule"), std::string::npos);
  EXPECT_NE(other.error().message.find("System.Diagnostics.Process"), std::string::npos);
  EXPECT_EQ(other.error().context, "p.csv");
  auto not_csv = readExchangeShellText("a,\"b\nc", "q.csv", sink);
  ASSERT_FALSE(not_csv.ok());
  EXPECT_EQ(not_csv.error().code, "shell.csv_malformed");
  EXPECT_FALSE(readExchangeShellText("<Objs/>", "r.xml", sink).ok());
  EXPECT_FALSE(readExchangeShellFile(testdata("missing.csv"), sink).ok());
  EXPECT_TRUE(readExchangeShellFile(testdata("inbox_rules.csv"), sink).ok());
  // An export without -NoTypeInformation's #TYPE line is known by its columns.
  RecordingSink by_columns;
  auto columns = readExchangeShellText("\"AutoReplyState\",\"ExternalAudience\"\r\n\"Disabled\",\"None\"\r\n", "o.csv", by_columns);
  ASSERT_TRUE(columns.ok());
  EXPECT_EQ(by_columns.oof_settings.at(0).enabled, false);
  EXPECT_EQ(by_columns.oof_settings.at(0).external_audience, model::OofExternalAudience::kNone);
}

TEST(ShellReader, TruncationsNeverCrash) {
  for (const char* name : {"inbox_rules.csv", "auto_reply.clixml", "inbox_rules.clixml"}) {
    std::ifstream in(testdata(name), std::ios::binary);
    const std::string full((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::size_t length = 0; length < full.size(); length += 37) {
      RecordingSink sink;
      (void)readExchangeShellText(std::string_view(full).substr(0, length), name, sink);
    }
  }
}

TEST(ShellDetect, PowerShellExportsAreRecognised) {
  for (const char* name : {"inbox_rules.csv", "auto_reply.csv"}) {
    auto detected = detect::detectFormat(testdata(name));
    ASSERT_TRUE(detected.ok()) << name;
    EXPECT_EQ(detected->format, detect::Format::kCsv) << name;
  }
  for (const char* name : {"inbox_rules.clixml", "auto_reply.clixml"}) {
    auto detected = detect::detectFormat(testdata(name));
    ASSERT_TRUE(detected.ok()) << name;
    EXPECT_EQ(detected->format, detect::Format::kCliXml) << name;
  }
}

}  // namespace
}  // namespace m2z::readers::exchange_shell
