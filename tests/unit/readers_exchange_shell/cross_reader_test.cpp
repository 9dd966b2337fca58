// The same inbox rules and OOF settings fetched over EWS (GetInboxRules, GetUserOofSettings) and
// exported with Get-InboxRule / Get-MailboxAutoReplyConfiguration | Export-Clixml must give equal
// model values (testdata/exchange-shell/*.ews.xml and *.clixml, built from the same settings).
#include <gtest/gtest.h>

#include "../readers_ews/recording_sink.h"
#include "readers/ews/ews_reader.h"
#include "readers/exchange-shell/exchange_shell_reader.h"

namespace m2z::readers {
namespace {

std::string testdata(const std::string& name) { return std::string(M2Z_SOURCE_DIR) + "/testdata/exchange-shell/" + name; }

TEST(ShellCrossReader, InboxRulesAreEqual) {
  testing::RecordingSink ews_sink;
  ASSERT_TRUE(ews::readEwsFile(testdata("inbox_rules.ews.xml"), ews_sink).ok());
  testing::RecordingSink shell_sink;
  ASSERT_TRUE(exchange_shell::readExchangeShell(testdata("inbox_rules.clixml"), shell_sink).ok());
  ASSERT_EQ(ews_sink.rules.size(), 2u);
  ASSERT_EQ(shell_sink.rules.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    auto ews_rule = ews_sink.rules[i];
    auto shell_rule = shell_sink.rules[i];
    SCOPED_TRACE(ews_rule.name);
    // Where each came from differs by nature (file, rule id); everything else must not.
    EXPECT_EQ(ews_rule.provenance.folder_path, shell_rule.provenance.folder_path);
    ews_rule.provenance = shell_rule.provenance = {};
    EXPECT_EQ(ews_rule.conditions, shell_rule.conditions);
    EXPECT_EQ(ews_rule.exceptions, shell_rule.exceptions);
    EXPECT_EQ(ews_rule.actions, shell_rule.actions);
    EXPECT_EQ(ews_rule.condition_text, shell_rule.condition_text);
    EXPECT_EQ(ews_rule, shell_rule);
  }
  // And both are what the files say (see shell_reader_test for the shell side field by field).
  EXPECT_EQ(ews_sink.rules[0].actions.at(0).folder_path, "/Junk Email");
  EXPECT_EQ(ews_sink.rules[0].condition_text,
            "from \"ann@example.com\" and subject-contains \"Project X\", \"PX-2026\" and size-at-least 102400 and "
            "has-attachment and not body-contains \"newsletter\"");
}

TEST(ShellCrossReader, OofSettingsAreEqual) {
  // Both: Scheduled 2026-12-21T08:00Z (09:00+01:00) to 2027-01-04T08:00Z, audience Known,
  // internal HTML "Away until 4 January.", external "Away.".
  testing::RecordingSink ews_sink;
  ASSERT_TRUE(ews::readEwsFile(testdata("auto_reply.ews.xml"), ews_sink).ok());
  testing::RecordingSink shell_sink;
  ASSERT_TRUE(exchange_shell::readExchangeShell(testdata("auto_reply.clixml"), shell_sink).ok());
  ASSERT_EQ(ews_sink.oof_settings.size(), 1u);
  ASSERT_EQ(shell_sink.oof_settings.size(), 1u);
  auto ews_oof = ews_sink.oof_settings[0];
  auto shell_oof = shell_sink.oof_settings[0];
  ews_oof.provenance = shell_oof.provenance = {};
  EXPECT_EQ(ews_oof, shell_oof);
  EXPECT_EQ(model::toIsoString(*shell_oof.start), "2026-12-21T08:00:00Z");
  EXPECT_EQ(shell_oof.internal_reply, "Away until 4 January.");
  EXPECT_EQ(shell_sink.count("shell.property_not_carried"), 0);
}

}  // namespace
}  // namespace m2z::readers
