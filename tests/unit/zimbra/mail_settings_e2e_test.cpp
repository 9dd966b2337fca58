// Mail rules and out-of-office settings against tools/zimbra-test-server: the client's filter and
// preference calls, and migrateMailSettings keeping what the user already has (rules byte-identical
// and in order, OOF not overwritten), re-runs adding nothing, failures accounted for, and the
// rules of the PST/OST files in ../shared read and carried over (names and count as the
// independent libpff property dumps in ../shared/testdata/rules/fai-dumps show them).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "fixtures.h"
#include "pipeline/mail_settings_migration.h"
#include "readers/pst/pst_rules_reader.h"
#include "zimbra/client.h"
#include "zimbra/filter_rules.h"
#include "zimbra_test_server.h"

namespace m2z::zimbra {
namespace {

using testing::RecordingObserver;
using testing::ZimbraTestServer;

constexpr const char* kAccount = "user1@test.local";
constexpr const char* kOther = "user2@test.local";
ZimbraTestServer* g_server = nullptr;
std::string g_start_failure;

// The user's own rules, as another client would have written them (compact, no namespace on the
// rule itself: it inherits urn:zimbraMail from the request).
const std::string kUserRuleA =
    "<filterRule xmlns=\"urn:zimbraMail\" name=\"From boss\" active=\"1\"><filterTests condition=\"anyof\">"
    "<addressTest index=\"0\" header=\"from\" part=\"all\" stringComparison=\"contains\" value=\"boss@x.org\"/>"
    "</filterTests><filterActions><actionFlag index=\"0\" flagName=\"flagged\"/></filterActions></filterRule>";
const std::string kUserRuleB =
    "<filterRule xmlns=\"urn:zimbraMail\" name=\"Lists\" active=\"0\"><filterTests condition=\"allof\">"
    "<headerTest index=\"0\" header=\"list-id\" stringComparison=\"contains\" value=\"dev &amp; ops\"/>"
    "</filterTests><filterActions><actionFileInto index=\"0\" folderPath=\"/Lists\"/><actionStop index=\"1\"/>"
    "</filterActions></filterRule>";

std::string json(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

model::Rule rule(std::string name, int sequence, std::vector<model::RuleCondition> conditions,
                 std::vector<model::RuleAction> actions) {
  model::Rule r;
  r.provenance = model::Provenance{"/data/a.pst", "/Inbox", "rule-" + name};
  r.name = std::move(name);
  r.enabled = true;
  r.sequence = sequence;
  r.conditions = std::move(conditions);
  r.actions = std::move(actions);
  return r;
}

model::RuleCondition subject(std::string text) {
  model::RuleCondition c;
  c.kind = model::RuleConditionKind::kSubjectContains;
  c.values = {std::move(text)};
  c.description = "subject contains";
  return c;
}

model::RuleAction action(model::RuleActionKind kind, std::string folder = {}) {
  model::RuleAction a;
  a.kind = kind;
  a.folder_path = std::move(folder);
  return a;
}

// Source rules: a complete one, two added disabled, one skipped (no action), and one named like
// the user's "From boss" but different. Given out of sequence order: Outlook runs them by sequence.
std::vector<model::Rule> sourceRules() {
  return {rule("Reports", 2, {subject("Report")}, {action(model::RuleActionKind::kMove, "/Inbox/Reports")}),
          rule("Important", 1, {subject("URGENT")},
               {action(model::RuleActionKind::kFlag), action(model::RuleActionKind::kSetImportance)}),
          rule("Client only", 3, {subject("x")}, {action(model::RuleActionKind::kDeferred)}),
          rule("From boss", 4, {subject("boss")}, {action(model::RuleActionKind::kMarkRead)}),
          rule("Nothing", 5, {subject("y")}, {})};
}

std::map<std::string, const pipeline::MailSettingsItem*> byName(const std::vector<pipeline::MailSettingsItem>& items) {
  std::map<std::string, const pipeline::MailSettingsItem*> out;
  for (const auto& item : items) out[item.item.entry_id.empty() ? item.name : item.item.entry_id] = &item;
  return out;
}

int requestCount(const std::string& name) {
  const auto log = g_server->requests(0);
  int count = 0;
  for (const auto& [key, value] : log) {
    if (key.size() > 5 && key.compare(key.size() - 5, 5, ".name") == 0 && value == name) ++count;
  }
  return count;
}

class MailSettingsE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    g_server = new ZimbraTestServer(M2Z_SOURCE_DIR, M2Z_SHARED_DIR);
    if (!g_server->start({kAccount, kOther}, g_start_failure)) {
      delete g_server;
      g_server = nullptr;
    }
  }
  static void TearDownTestSuite() {
    delete g_server;
    g_server = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(g_server, nullptr) << g_start_failure;
    g_server->control("{\"reset\": true}");
  }
  std::unique_ptr<ZimbraClient> connected(ServerConfig config, RecordingObserver* observer = nullptr) {
    config.max_requests_per_second = 0;
    auto client = ZimbraClient::create(std::move(config), observer);
    EXPECT_TRUE(client.ok()) << client.error().describe();
    if (!client.ok()) return nullptr;
    Status status = (*client)->connect();
    EXPECT_TRUE(status.ok()) << status.error().describe();
    return status.ok() ? std::move(client).value() : nullptr;
  }
  static void seedUserRules() {
    const std::string reply = g_server->control("{\"mail_settings\": {\"account\": " + json(kAccount) +
                                                ", \"filterRules\": [" + json(kUserRuleA) + ", " + json(kUserRuleB) +
                                                "]}}");
    ASSERT_NE(reply.find("\"ok\": true"), std::string::npos) << reply;
  }
};

TEST_F(MailSettingsE2E, ClientReadsAndReplacesRules) {
  seedUserRules();
  auto client = connected(g_server->config());
  ASSERT_TRUE(client);
  Result<std::vector<StoredFilterRule>> rules = client->getFilterRules(kAccount, nullptr);
  ASSERT_TRUE(rules.ok()) << rules.error().describe();
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_EQ((*rules)[0].name, "From boss");
  EXPECT_TRUE((*rules)[0].active);
  EXPECT_EQ((*rules)[1].name, "Lists");
  EXPECT_FALSE((*rules)[1].active);
  // Sending them back in the other order stores that order; reading gives the same texts.
  ASSERT_TRUE(client->modifyFilterRules(kAccount, {(*rules)[1].xml, (*rules)[0].xml}, nullptr).ok());
  Result<std::vector<StoredFilterRule>> again = client->getFilterRules(kAccount, nullptr);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, (std::vector<StoredFilterRule>{(*rules)[1], (*rules)[0]}));
  // The other account is untouched.
  EXPECT_EQ(g_server->state(kOther)["filterRules.size"], "0");
}

TEST_F(MailSettingsE2E, ClientReadsAndWritesPrefs) {
  auto client = connected(g_server->config());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->modifyPrefs(kAccount, {{"zimbraPrefOutOfOfficeReply", "Back <soon> & well"},
                                             {"zimbraPrefOutOfOfficeFromDate", "20240102080000Z"}},
                                  nullptr)
                  .ok());
  auto prefs = client->getPrefs(kAccount, oofPrefNames(), nullptr);
  ASSERT_TRUE(prefs.ok()) << prefs.error().describe();
  EXPECT_EQ((*prefs)["zimbraPrefOutOfOfficeReply"], (std::vector<std::string>{"Back <soon> & well"}));
  EXPECT_EQ((*prefs)["zimbraPrefOutOfOfficeReplyEnabled"], (std::vector<std::string>{"FALSE"}));  // new account
  // The server refuses what Zimbra refuses; the client reports its fault code.
  Status bad = client->modifyPrefs(kAccount, {{"zimbraPrefOutOfOfficeReplyEnabled", "yes"}}, nullptr);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "account.INVALID_ATTR_VALUE");
}

TEST_F(MailSettingsE2E, UserRulesSurviveByteIdenticalAndNewOnesAreAppended) {
  seedUserRules();
  const auto state_before = g_server->state(kAccount);
  auto client = connected(g_server->config());
  ASSERT_TRUE(client);
  const auto before = client->getFilterRules(kAccount, nullptr);
  ASSERT_TRUE(before.ok());

  const auto items = pipeline::migrateMailSettings(*client, kAccount, sourceRules(), std::nullopt);
  ASSERT_EQ(items.size(), 5u);  // every source rule accounted for once
  const auto by = byName(items);
  EXPECT_EQ(by.at("rule-Important")->outcome, "created_disabled");
  EXPECT_EQ(by.at("rule-Reports")->outcome, "created");
  EXPECT_EQ(by.at("rule-Client only")->outcome, "created_disabled");
  EXPECT_FALSE(by.at("rule-Client only")->reason.empty());
  EXPECT_EQ(by.at("rule-Nothing")->outcome, "skipped");
  EXPECT_EQ(by.at("rule-Nothing")->reason, "the rule has no action");
  EXPECT_EQ(by.at("rule-From boss")->outcome, "created");
  EXPECT_EQ(by.at("rule-From boss")->name, "From boss (migrated)");

  const auto after = client->getFilterRules(kAccount, nullptr);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 6u);  // 2 the user had + 4 added
  EXPECT_EQ((*after)[0], (*before)[0]);
  EXPECT_EQ((*after)[1], (*before)[1]);
  // New rules after them, in Outlook's order (sequence 1, 2, 3, 4).
  EXPECT_EQ((*after)[2].name, "Important");
  EXPECT_FALSE((*after)[2].active);
  EXPECT_EQ((*after)[3].name, "Reports");
  EXPECT_TRUE((*after)[3].active);
  EXPECT_EQ((*after)[4].name, "Client only");
  EXPECT_FALSE((*after)[4].active);
  EXPECT_EQ((*after)[5].name, "From boss (migrated)");
  // What the server stores for the user's rules is byte-identical to before.
  const auto state_after = g_server->state(kAccount);
  EXPECT_EQ(state_after.at("filterRules[0]"), state_before.at("filterRules[0]"));
  EXPECT_EQ(state_after.at("filterRules[1]"), state_before.at("filterRules[1]"));
  EXPECT_EQ(requestCount("ModifyFilterRulesRequest"), 1);
}

TEST_F(MailSettingsE2E, SecondRunAddsNothing) {
  seedUserRules();
  auto client = connected(g_server->config());
  ASSERT_TRUE(client);
  (void)pipeline::migrateMailSettings(*client, kAccount, sourceRules(), std::nullopt);
  const auto first = client->getFilterRules(kAccount, nullptr);
  ASSERT_TRUE(first.ok());
  const auto items = pipeline::migrateMailSettings(*client, kAccount, sourceRules(), std::nullopt);
  const auto by = byName(items);
  EXPECT_EQ(by.at("rule-Important")->outcome, "already_present");
  EXPECT_EQ(by.at("rule-Reports")->outcome, "already_present");
  EXPECT_EQ(by.at("rule-From boss")->outcome, "already_present");
  EXPECT_EQ(by.at("rule-From boss")->name, "From boss (migrated)");
  EXPECT_EQ(by.at("rule-Client only")->outcome, "already_present");
  EXPECT_EQ(by.at("rule-Nothing")->outcome, "skipped");
  const auto second = client->getFilterRules(kAccount, nullptr);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, *first);
  EXPECT_EQ(requestCount("ModifyFilterRulesRequest"), 1);  // only the first run wrote
}

TEST_F(MailSettingsE2E, UserSwitchingAMigratedRuleOnIsNotADifferentRule) {
  auto client = connected(g_server->config());
  ASSERT_TRUE(client);
  (void)pipeline::migrateMailSettings(*client, kAccount, sourceRules(), std::nullopt);
  auto rules = client->getFilterRules(kAccount, nullptr);
  ASSERT_TRUE(rules.ok());
  ASSERT_EQ((*rules)[0].name, "Important");
  std::string enabled = (*rules)[0].xml;
  enabled.replace(enabled.find("active=\"0\""), 10, "active=\"1\"");
  std::vector<std::string> texts{enabled};
  for (std::size_t i = 1; i < rules->size(); ++i) texts.push_back((*rules)[i].xml);
  ASSERT_TRUE(client->modifyFilterRules(kAccount, texts, nullptr).ok());
  const auto items = pipeline::migrateMailSettings(*client, kAccount, sourceRules(), std::nullopt);
  EXPECT_EQ(byName(items).at("rule-Important")->outcome, "already_present");
  EXPECT_EQ(client->getFilterRules(kAccount, nullptr)->size(), rules->size());
}

TEST_F(MailSettingsE2E, AMigratedRuleEditedSinceStaysAndIsReported) {
  auto client = connected(g_server->config());
  ASSERT_TRUE(client);
  (void)pipeline::migrateMailSettings(*client, kAccount, sourceRules(), std::nullopt);
  auto rules = client->getFilterRules(kAccount, nullptr);
  ASSERT_TRUE(rules.ok());
  ASSERT_EQ((*rules)[1].name, "Reports");
  std::vector<std::string> texts;
  for (const auto& stored : *rules) texts.push_back(stored.xml);
  texts[1].replace(texts[1].find("/Inbox/Reports"), 14, "/Elsewhere");  // the user changed the target
  ASSERT_TRUE(client->modifyFilterRules(kAccount, texts, nullptr).ok());
  const auto items = pipeline::migrateMailSettings(*client, kAccount, sourceRules(), std::nullopt);
  const auto* reports = byName(items).at("rule-Reports");
  EXPECT_EQ(reports->outcome, "already_present");
  bool reported = false;
  for (const auto& f : reports->findings) reported |= f.kind == "rule.already_present_differs";
  EXPECT_TRUE(reported);
  auto after = client->getFilterRules(kAccount, nullptr);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), rules->size());
  EXPECT_EQ((*after)[1].xml, texts[1]);
}

TEST_F(MailSettingsE2E, FailedModifyFailsEveryRuleOfTheBatch) {
  seedUserRules();
  g_server->control(
      "{\"faults\": [{\"kind\": \"soap_fault\", \"request\": \"ModifyFilterRulesRequest\", \"code\": "
      "\"service.INVALID_REQUEST\", \"reason\": \"injected\"}]}");
  auto client = connected(g_server->config());
  ASSERT_TRUE(client);
  const auto items = pipeline::migrateMailSettings(*client, kAccount, sourceRules(), std::nullopt);
  for (const auto& item : items) {
    if (item.outcome == "skipped") continue;
    EXPECT_EQ(item.outcome, "failed") << item.name;
    EXPECT_NE(item.reason.find("service.INVALID_REQUEST"), std::string::npos) << item.reason;
  }
  EXPECT_EQ(g_server->state(kAccount)["filterRules.size"], "2");  // the user's rules untouched
}

TEST_F(MailSettingsE2E, OofIsSetOnAFreshAccountAndNotOverwrittenOnAConfiguredOne) {
  model::OofSettings oof;
  oof.provenance = model::Provenance{"/data/a.pst", "/Inbox", "oof"};
  oof.enabled = true;
  oof.internal_reply = "Away until Monday";
  auto client = connected(g_server->config());
  ASSERT_TRUE(client);
  auto items = pipeline::migrateMailSettings(*client, kAccount, {}, oof);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].kind, "oof");
  EXPECT_EQ(items[0].outcome, "created");
  auto state = g_server->state(kAccount);
  EXPECT_EQ(state["prefs.zimbraPrefOutOfOfficeReply[0]"], "Away until Monday");
  EXPECT_EQ(state["prefs.zimbraPrefOutOfOfficeReplyEnabled[0]"], "TRUE");
  // A re-run finds its own settings.
  items = pipeline::migrateMailSettings(*client, kAccount, {}, oof);
  EXPECT_EQ(items[0].outcome, "already_present");

  // The other user set their own reply on the new server: it stays.
  g_server->control("{\"mail_settings\": {\"account\": \"user2@test.local\", \"prefs\": "
                    "{\"zimbraPrefOutOfOfficeReply\": \"Mine\"}}}");
  items = pipeline::migrateMailSettings(*client, kOther, {}, oof);
  EXPECT_EQ(items[0].outcome, "skipped");
  EXPECT_FALSE(items[0].reason.empty());
  state = g_server->state(kOther);
  EXPECT_EQ(state["prefs.zimbraPrefOutOfOfficeReply[0]"], "Mine");
  EXPECT_EQ(state["prefs.zimbraPrefOutOfOfficeReplyEnabled[0]"], "FALSE");
}

TEST_F(MailSettingsE2E, DryRunBuildsValidatesAndStoresNothing) {
  RecordingObserver observer;
  ServerConfig config = g_server->config();
  config.dry_run = true;
  auto client = connected(config, &observer);
  ASSERT_TRUE(client);
  model::OofSettings oof;
  oof.enabled = false;
  oof.internal_reply = "x";
  const auto items = pipeline::migrateMailSettings(*client, kAccount, sourceRules(), oof);
  for (const auto& item : items) EXPECT_NE(item.outcome, "failed") << item.name << ": " << item.reason;
  std::set<std::string> names;
  for (const auto& exchange : observer.exchanges) {
    EXPECT_EQ(exchange.outcome, ExchangeOutcome::kDryRun) << exchange.request_name << ": " << exchange.error;
    names.insert(exchange.request_name);
  }
  EXPECT_EQ(names, (std::set<std::string>{"AuthRequest", "GetFilterRulesRequest", "ModifyFilterRulesRequest",
                                          "GetPrefsRequest", "ModifyPrefsRequest"}));
  EXPECT_EQ(g_server->state(kAccount)["filterRules.size"], "0");
}

// ---- real data ----

class RuleCollector final : public model::ItemSink {
 public:
  void onFolder(const model::SourceFolder&) override {}
  void onAppointment(model::Appointment) override {}
  void onRule(model::Rule rule) override { rules.push_back(std::move(rule)); }
  void onOofSettings(model::OofSettings settings) override { oof = std::move(settings); }
  void onFinding(model::Finding) override {}
  std::vector<model::Rule> rules;
  std::optional<model::OofSettings> oof;
};

// The rule names in a libpff property dump: for each IPM.Rule.Version2.Message or
// IPM.ExtendedRule.Message item, its PidTagRuleMessageName (0x65EC, PT_UNICODE) line.
std::vector<std::string> dumpedRuleNames(const std::string& dump_path) {
  std::ifstream in(dump_path);
  std::vector<std::string> names;
  bool in_rule = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("=== ITEM", 0) == 0) {
      in_rule = line.find("class=IPM.Rule.Version2.Message") != std::string::npos ||
                line.find("class=IPM.ExtendedRule.Message") != std::string::npos;
      continue;
    }
    const std::string tag = "  0x65ec/001f size=";
    if (in_rule && line.rfind(tag, 0) == 0) names.push_back(line.substr(line.find(": ") + 2));
  }
  return names;
}

std::string findingsText(const std::vector<model::Finding>& findings) {
  std::string out;
  for (const auto& f : findings) out += "\n  " + f.kind + " " + f.field + " [" + f.before + "] " + f.why;
  return out;
}

TEST_F(MailSettingsE2E, RulesOfTheSharedPstFilesArriveAsTheDumpsShow) {
  const std::string shared = M2Z_SHARED_DIR;
  // Server rules are named by the dumps' PidTagRuleMsgName (0x65EC); client rules live in the
  // RuleOrganizer's 0x6802 stream, whose hex in the jane_doe dump spells (UTF-16LE, after the
  // length byte 0x26 = 38 characters) "Clear categories on mail (recommended)". The sample OST's
  // stream is the empty 66-byte one (no client rules).
  struct SharedFile {
    std::string pst;
    std::string dump;
    std::vector<std::string> client_rules;
  };
  const std::vector<SharedFile> files = {
      {"pst/aspose-net__SampleOstFile.ost", "rules/fai-dumps/aspose-net__SampleOstFile.ost.rule-fai-props.txt", {}},
      {"pst/process-pst__flags_jane_doe.pst", "rules/fai-dumps/process-pst__flags_jane_doe.pst.rule-fai-props.txt",
       {"Clear categories on mail (recommended)"}},
  };
  auto client = connected(g_server->config());
  ASSERT_TRUE(client);
  for (const auto& [pst, dump, client_rules] : files) {
    SCOPED_TRACE(pst);
    g_server->control("{\"reset\": true}");
    ASSERT_TRUE(client->connect().ok());
    std::vector<std::string> expected = dumpedRuleNames(shared + "/testdata/" + dump);
    expected.insert(expected.end(), client_rules.begin(), client_rules.end());
    RuleCollector collector;
    auto summary = readers::pst::readRulesAndOof(shared + "/testdata/" + pst, collector);
    ASSERT_TRUE(summary.ok()) << summary.error().describe();
    ASSERT_EQ(collector.rules.size(), expected.size());
    const auto items = pipeline::migrateMailSettings(*client, kAccount, collector.rules, collector.oof);
    std::vector<std::string> created;
    for (const auto& item : items) {
      if (item.kind != "rule") continue;
      EXPECT_TRUE(item.outcome == "created" || item.outcome == "created_disabled")
          << item.name << ": " << item.outcome << " " << item.reason << findingsText(item.findings);
      created.push_back(item.name);
    }
    EXPECT_EQ(created, expected);
    const auto on_server = client->getFilterRules(kAccount, nullptr);
    ASSERT_TRUE(on_server.ok());
    std::vector<std::string> names;
    for (const auto& stored : *on_server) names.push_back(stored.name);
    EXPECT_EQ(names, expected);
  }
}

}  // namespace
}  // namespace m2z::zimbra
