// Rule and out-of-office translation: the exact <filterRule> for every condition and action kind,
// exceptions, and the rules Zimbra cannot express; the OOF preferences. Expected XML is worked
// out from [MS-OXORULE]'s meaning of each condition/action and zimbraMail.xsd's filterRule
// (filterTests of one condition "allof"/"anyof", tests and actions with an index), not from our
// output.
#include <gtest/gtest.h>

#include <string>

#include "zimbra/filter_rules.h"
#include "zimbra/prefs_requests.h"

namespace m2z::zimbra {
namespace {

using model::RuleActionKind;
using model::RuleConditionKind;

model::RuleCondition cond(RuleConditionKind kind, std::vector<std::string> values = {},
                          std::optional<std::int64_t> number = std::nullopt) {
  model::RuleCondition c;
  c.kind = kind;
  c.values = std::move(values);
  c.number = number;
  c.description = std::string(model::toString(kind));
  return c;
}

model::RuleAction act(RuleActionKind kind) {
  model::RuleAction a;
  a.kind = kind;
  return a;
}

model::RuleAction moveTo(std::string path) {
  model::RuleAction a = act(RuleActionKind::kMove);
  a.folder_entry_id = "00AB";
  a.folder_path = std::move(path);
  return a;
}

model::Rule rule(std::string name, std::vector<model::RuleCondition> conditions, std::vector<model::RuleAction> actions) {
  model::Rule r;
  r.provenance = model::Provenance{"/data/a.pst", "/Inbox", "2097188"};
  r.name = std::move(name);
  r.enabled = true;
  r.conditions = std::move(conditions);
  r.actions = std::move(actions);
  return r;
}

// The canonical fragment for one rule: tests and actions are single lines inside their lists.
std::string expected(const std::string& name, bool active, const std::string& condition,
                     const std::vector<std::string>& tests, const std::vector<std::string>& actions) {
  std::string out = "<filterRule xmlns=\"urn:zimbraMail\" name=\"" + name + "\" active=\"" + (active ? "1" : "0") + "\">\n";
  out += "  <filterTests condition=\"" + condition + "\">\n";
  for (const auto& t : tests) out += "    " + t + "\n";
  out += "  </filterTests>\n  <filterActions>\n";
  for (const auto& a : actions) out += "    " + a + "\n";
  out += "  </filterActions>\n</filterRule>\n";
  return out;
}

Translation translated(const model::Rule& r) {
  Result<Translation> t = translateRule(r);
  EXPECT_TRUE(t.ok()) << t.error().describe();
  return t.ok() ? std::move(t).value() : Translation{};
}

bool hasFinding(const Translation& t, const std::string& kind) {
  for (const auto& f : t.findings) {
    if (f.kind == kind) return true;
  }
  return false;
}

const std::string kFolderAction = "<actionFileInto index=\"0\" folderPath=\"/Reports\"/>";

// Each condition kind alone, with a move to /Inbox/Reports -> fileinto "/Inbox/Reports".
TEST(FilterRules, EveryConditionKindHasItsTest) {
  struct Case {
    model::RuleCondition condition;
    std::string condition_mode;
    std::vector<std::string> tests;
  };
  const std::vector<Case> cases = {
      // From contains (PR_SENDER_*): an address test on From, any part of the address.
      {cond(RuleConditionKind::kFrom, {"boss@example.com"}), "allof",
       {R"(<addressTest index="0" header="from" part="all" stringComparison="contains" value="boss@example.com"/>)"}},
      // Sent to (a To or Cc recipient): Zimbra's address test takes "to,cc".
      {cond(RuleConditionKind::kSentTo, {"team@example.com"}), "allof",
       {R"(<addressTest index="0" header="to,cc" part="all" stringComparison="contains" value="team@example.com"/>)"}},
      // PidTagMessageToMe: I am a To recipient -> meTest on "to"; PidTagMessageCcMe -> "cc".
      {cond(RuleConditionKind::kSentToMe), "allof", {R"(<meTest index="0" header="to"/>)"}},
      {cond(RuleConditionKind::kCcMe), "allof", {R"(<meTest index="0" header="cc"/>)"}},
      {cond(RuleConditionKind::kSubjectContains, {"Report"}), "allof",
       {R"(<headerTest index="0" header="subject" stringComparison="contains" value="Report"/>)"}},
      {cond(RuleConditionKind::kBodyContains, {"invoice"}), "allof", {R"(<bodyTest index="0" value="invoice"/>)"}},
      // Size at least 1 MiB = over 1048575 bytes (Sieve :over is strict).
      {cond(RuleConditionKind::kSizeAtLeast, {}, 1048576), "allof",
       {R"(<sizeTest index="0" numberComparison="over" s="1048575"/>)"}},
      // Size at most 10240 = under 10241.
      {cond(RuleConditionKind::kSizeAtMost, {}, 10240), "allof",
       {R"(<sizeTest index="0" numberComparison="under" s="10241"/>)"}},
      // PidTagImportance 2 = high (zimbraMail.xsd importance: high/normal/low).
      {cond(RuleConditionKind::kImportance, {}, 2), "allof", {R"(<importanceTest index="0" imp="high"/>)"}},
      {cond(RuleConditionKind::kImportance, {}, 0), "allof", {R"(<importanceTest index="0" imp="low"/>)"}},
      // PidTagSensitivity 3 = confidential -> RFC 2156 "Sensitivity: Company-Confidential".
      {cond(RuleConditionKind::kSensitivity, {}, 3), "allof",
       {R"(<headerTest index="0" header="Sensitivity" stringComparison="is" value="Company-Confidential"/>)"}},
      // Sensitivity normal: the header is absent.
      {cond(RuleConditionKind::kSensitivity, {}, 0), "allof",
       {R"(<headerExistsTest index="0" negative="1" header="Sensitivity"/>)"}},
      {cond(RuleConditionKind::kHasAttachment), "allof", {R"(<attachmentTest index="0"/>)"}},
      // Categories arrive in the Keywords header.
      {cond(RuleConditionKind::kCategory, {"Red"}), "allof",
       {R"(<headerTest index="0" header="keywords" stringComparison="contains" value="Red"/>)"}},
      // One condition with two values: either matches -> anyof.
      {cond(RuleConditionKind::kFrom, {"a@x.org", "b@x.org"}), "anyof",
       {R"(<addressTest index="0" header="from" part="all" stringComparison="contains" value="a@x.org"/>)",
        R"(<addressTest index="1" header="from" part="all" stringComparison="contains" value="b@x.org"/>)"}},
      // Subject or body contains "x": two tests, any of them.
      {cond(RuleConditionKind::kSubjectOrBodyContains, {"x"}), "anyof",
       {R"(<headerTest index="0" header="subject" stringComparison="contains" value="x"/>)",
        R"(<bodyTest index="1" value="x"/>)"}},
  };
  for (const Case& c : cases) {
    const Translation t = translated(rule("R", {c.condition}, {moveTo("/Reports")}));
    EXPECT_EQ(t.disposition, RuleDisposition::kComplete) << c.condition.description << ": " << t.reason;
    EXPECT_TRUE(t.active);
    EXPECT_EQ(t.xml, expected("R", true, c.condition_mode, c.tests, {kFolderAction})) << c.condition.description;
  }
}

TEST(FilterRules, EveryExpressibleActionKind) {
  model::RuleAction forward = act(RuleActionKind::kRedirect);
  forward.recipients.push_back(model::Person{"Assistant", "assistant@example.com", "SMTP"});
  struct Case {
    std::vector<model::RuleAction> actions;
    std::vector<std::string> xml;
  };
  const std::vector<Case> cases = {
      // Move: fileinto the resolved folder; Outlook's "Deleted Items" is Zimbra's Trash.
      {{moveTo("/Inbox/Projects")}, {R"(<actionFileInto index="0" folderPath="/Inbox/Projects"/>)"}},
      {{moveTo("/Deleted Items/Old")}, {R"(<actionFileInto index="0" folderPath="/Trash/Old"/>)"}},
      // Copy: fileinto plus keep, so the message also stays in the Inbox.
      {{[] {
         model::RuleAction a = moveTo("/Archive");
         a.kind = RuleActionKind::kCopy;
         return a;
       }()},
       {R"(<actionFileInto index="0" folderPath="/Archive"/>)", R"(<actionKeep index="1"/>)"}},
      // Delete: Outlook moves to Deleted Items; never Zimbra's discard.
      {{act(RuleActionKind::kDelete)}, {R"(<actionFileInto index="0" folderPath="/Trash"/>)"}},
      // Redirect: the message goes on and stays (Sieve's redirect cancels the implicit keep).
      {{forward}, {R"(<actionRedirect index="0" a="assistant@example.com"/>)", R"(<actionKeep index="1"/>)"}},
      {{act(RuleActionKind::kMarkRead)}, {R"(<actionFlag index="0" flagName="read"/>)"}},
      {{act(RuleActionKind::kFlag)}, {R"(<actionFlag index="0" flagName="flagged"/>)"}},
      // Stop processing more rules comes last.
      {{act(RuleActionKind::kStopProcessing), act(RuleActionKind::kMarkRead)},
       {R"(<actionFlag index="0" flagName="read"/>)", R"(<actionStop index="1"/>)"}},
  };
  for (const Case& c : cases) {
    const Translation t = translated(rule("A", {cond(RuleConditionKind::kHasAttachment)}, c.actions));
    EXPECT_EQ(t.disposition, RuleDisposition::kComplete) << t.reason;
    EXPECT_EQ(t.xml, expected("A", true, "allof", {R"(<attachmentTest index="0"/>)"}, c.xml));
  }
}

TEST(FilterRules, ForwardBecomesRedirectWithAnInfoFinding) {
  model::RuleAction forward = act(RuleActionKind::kForward);
  forward.recipients.push_back(model::Person{"", "me@home.example", "SMTP"});
  const Translation t = translated(rule("Fwd", {}, {forward}));
  EXPECT_EQ(t.disposition, RuleDisposition::kComplete);
  // No condition: every message (trueTest).
  EXPECT_EQ(t.xml, expected("Fwd", true, "allof", {R"(<trueTest index="0"/>)"},
                            {R"(<actionRedirect index="0" a="me@home.example"/>)", R"(<actionKeep index="1"/>)"}));
  EXPECT_TRUE(hasFinding(t, "rule.forward_as_redirect"));
}

TEST(FilterRules, ExceptionsBecomeNegativeTestsUnderAllOf) {
  model::Rule r = rule("Reports", {cond(RuleConditionKind::kSubjectContains, {"Report"})}, {moveTo("/Reports")});
  // "except if from a or b" = not from a and not from b.
  r.exceptions = {cond(RuleConditionKind::kFrom, {"a@x.org", "b@x.org"}), cond(RuleConditionKind::kHasAttachment)};
  r.stop_processing = true;
  const Translation t = translated(r);
  EXPECT_EQ(t.disposition, RuleDisposition::kComplete);
  EXPECT_EQ(t.xml, expected("Reports", true, "allof",
                            {R"(<headerTest index="0" header="subject" stringComparison="contains" value="Report"/>)",
                             R"(<addressTest index="1" negative="1" header="from" part="all" stringComparison="contains" value="a@x.org"/>)",
                             R"(<addressTest index="2" negative="1" header="from" part="all" stringComparison="contains" value="b@x.org"/>)",
                             R"(<attachmentTest index="3" negative="1"/>)"},
                            {kFolderAction, R"(<actionStop index="1"/>)"}));
}

TEST(FilterRules, DisabledSourceRuleStaysInactive) {
  model::Rule r = rule("Off", {cond(RuleConditionKind::kHasAttachment)}, {act(RuleActionKind::kFlag)});
  r.enabled = false;
  const Translation t = translated(r);
  EXPECT_EQ(t.disposition, RuleDisposition::kComplete);
  EXPECT_FALSE(t.active);
  EXPECT_NE(t.xml.find("active=\"0\""), std::string::npos);
}

TEST(FilterRules, InexpressibleConditionMakesAnInertDisabledRule) {
  model::RuleCondition other = cond(RuleConditionKind::kOther);
  other.description = "PidTagMessageFlags & 0x4";
  model::Rule r = rule("Odd", {cond(RuleConditionKind::kHasAttachment), other}, {moveTo("/Reports")});
  const Translation t = translated(r);
  EXPECT_EQ(t.disposition, RuleDisposition::kDisabled);
  EXPECT_FALSE(t.active);
  EXPECT_TRUE(hasFinding(t, "rule.condition_not_expressible"));
  EXPECT_TRUE(hasFinding(t, "rule.added_disabled"));
  // The stand-in test can never match, so enabling the rule by mistake moves nothing.
  EXPECT_EQ(t.xml, expected("Odd", false, "allof",
                            {R"(<attachmentTest index="0"/>)",
                             R"(<headerTest index="1" header="X-Mapi2zimbra-Untranslated" stringComparison="is" value="PidTagMessageFlags &amp; 0x4"/>)"},
                            {kFolderAction}));
  for (const auto& f : t.findings) EXPECT_NE(f.why.find("\"Odd\""), std::string::npos) << f.kind;
}

TEST(FilterRules, EitherOrBesideAnotherConditionIsNotExpressible) {
  model::Rule r = rule("Mix", {cond(RuleConditionKind::kFrom, {"a@x.org", "b@x.org"}),
                               cond(RuleConditionKind::kHasAttachment)},
                       {act(RuleActionKind::kFlag)});
  const Translation t = translated(r);
  EXPECT_EQ(t.disposition, RuleDisposition::kDisabled);
  EXPECT_TRUE(hasFinding(t, "rule.condition_not_expressible"));
}

TEST(FilterRules, PartlyExpressibleActionsAddTheRuleDisabled) {
  model::Rule r = rule("Half", {cond(RuleConditionKind::kHasAttachment)},
                       {act(RuleActionKind::kSetImportance), act(RuleActionKind::kMarkRead)});
  const Translation t = translated(r);
  EXPECT_EQ(t.disposition, RuleDisposition::kDisabled);
  EXPECT_EQ(t.xml, expected("Half", false, "allof", {R"(<attachmentTest index="0"/>)"},
                            {R"(<actionFlag index="0" flagName="read"/>)"}));
  EXPECT_TRUE(hasFinding(t, "rule.action_not_expressible"));
}

TEST(FilterRules, NoExpressibleActionKeepsAnInertDisabledRule) {
  model::RuleAction reply = act(RuleActionKind::kReply);
  reply.template_entry_id = "0011";
  for (const auto& actions : std::vector<std::vector<model::RuleAction>>{
           {reply}, {act(RuleActionKind::kDeferred)}, {moveTo("")}}) {
    const Translation t = translated(rule("Kept", {cond(RuleConditionKind::kHasAttachment)}, actions));
    EXPECT_EQ(t.disposition, RuleDisposition::kDisabled);
    // keep is what happens to mail without any rule: enabling this one changes nothing.
    EXPECT_EQ(t.xml, expected("Kept", false, "allof", {R"(<attachmentTest index="0"/>)"}, {R"(<actionKeep index="0"/>)"}));
    EXPECT_TRUE(hasFinding(t, "rule.action_not_expressible"));
  }
}

TEST(FilterRules, RuleWithoutActionsIsSkipped) {
  const Translation t = translated(rule("Empty", {cond(RuleConditionKind::kHasAttachment)}, {}));
  EXPECT_EQ(t.disposition, RuleDisposition::kSkipped);
  EXPECT_TRUE(t.xml.empty());
  EXPECT_EQ(t.reason, "the rule has no action");
  EXPECT_TRUE(hasFinding(t, "rule.skipped"));
}

TEST(FilterRules, OnlyWhenOofAndUndecodedPartsDisable) {
  model::Rule r = rule("Oof", {cond(RuleConditionKind::kHasAttachment)}, {act(RuleActionKind::kFlag)});
  r.only_when_oof = true;
  EXPECT_EQ(translated(r).disposition, RuleDisposition::kDisabled);
  r.only_when_oof = false;
  r.undecoded.push_back(model::RawRulePart{"PidTagExtendedRuleMessageActions", {1, 2}, "unknown action type"});
  const Translation t = translated(r);
  EXPECT_EQ(t.disposition, RuleDisposition::kDisabled);
  EXPECT_TRUE(hasFinding(t, "rule.undecoded"));
}

TEST(FilterRules, NamesAreCleaned) {
  EXPECT_EQ(translated(rule("a\nb", {}, {act(RuleActionKind::kFlag)})).name, "a b");
  model::Rule unnamed = rule("", {}, {act(RuleActionKind::kFlag)});
  unnamed.sequence = 7;
  const Translation t = translated(unnamed);
  EXPECT_EQ(t.name, "Outlook rule 7");
  EXPECT_TRUE(hasFinding(t, "rule.name_changed"));
}

TEST(FilterRules, RenameKeepsEverythingElse) {
  const Translation t = translated(rule("X", {}, {act(RuleActionKind::kFlag)}));
  Result<std::string> renamed = withRuleName(t.xml, "X (migrated)");
  ASSERT_TRUE(renamed.ok());
  std::string want = t.xml;
  want.replace(want.find("name=\"X\""), 8, "name=\"X (migrated)\"");
  EXPECT_EQ(*renamed, want);
}

TEST(FilterRules, ModifyBodyCarriesFragmentsInOrder) {
  const std::string body = buildModifyFilterRulesRequest({"<filterRule xmlns=\"urn:zimbraMail\" name=\"a\" active=\"1\">\n"
                                                          "  <filterTests condition=\"allof\"/>\n</filterRule>\n"});
  EXPECT_EQ(body,
            "<ModifyFilterRulesRequest xmlns=\"urn:zimbraMail\">\n"
            "  <filterRules>\n"
            "    <filterRule xmlns=\"urn:zimbraMail\" name=\"a\" active=\"1\">\n"
            "      <filterTests condition=\"allof\"/>\n"
            "    </filterRule>\n"
            "  </filterRules>\n"
            "</ModifyFilterRulesRequest>\n");
}

TEST(FilterRules, ReadsStoredRulesCanonically) {
  Result<xml::Element> response = xml::parse(
      "<GetFilterRulesResponse xmlns=\"urn:zimbraMail\"><filterRules>"
      "<filterRule name=\"x\" active=\"true\"><filterTests condition=\"anyof\"><trueTest index=\"0\"/></filterTests></filterRule>"
      "<filterRule name=\"y\" active=\"0\"><filterTests condition=\"allof\"/></filterRule>"
      "</filterRules></GetFilterRulesResponse>",
      "test");
  ASSERT_TRUE(response.ok());
  Result<std::vector<StoredFilterRule>> rules = readFilterRules(*response);
  ASSERT_TRUE(rules.ok());
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_EQ((*rules)[0], (StoredFilterRule{"x", true,
                                           "<filterRule xmlns=\"urn:zimbraMail\" name=\"x\" active=\"true\">\n"
                                           "  <filterTests condition=\"anyof\">\n"
                                           "    <trueTest index=\"0\"/>\n"
                                           "  </filterTests>\n"
                                           "</filterRule>\n"}));
  EXPECT_FALSE((*rules)[1].active);
  Result<xml::Element> empty = xml::parse("<GetFilterRulesResponse xmlns=\"urn:zimbraMail\"/>", "test");
  EXPECT_FALSE(readFilterRules(*empty).ok());
}

// ---- out of office ----

TEST(OofPrefs, AllValuesMapToTheirPreferences) {
  model::OofSettings oof;
  oof.enabled = true;
  oof.internal_reply = "Back on Monday";
  oof.external_reply = "Out of office";
  oof.external_audience = model::OofExternalAudience::kAll;
  // 2024-01-02T08:00:00Z = 1704182400 (date -u -d @1704182400); 2024-01-05T17:30:00Z = 1704475800.
  oof.start = model::Instant{1704182400};
  oof.end = model::Instant{1704475800};
  const OofPrefs prefs = oofPrefs(oof);
  const PrefList want = {{"zimbraPrefOutOfOfficeReplyEnabled", "TRUE"},
                         {"zimbraPrefOutOfOfficeReply", "Back on Monday"},
                         {"zimbraPrefOutOfOfficeExternalReply", "Out of office"},
                         {"zimbraPrefOutOfOfficeExternalReplyEnabled", "TRUE"},
                         {"zimbraPrefExternalSendersType", "ALL"},
                         {"zimbraPrefOutOfOfficeFromDate", "20240102080000Z"},
                         {"zimbraPrefOutOfOfficeUntilDate", "20240105173000Z"}};
  EXPECT_EQ(prefs.prefs, want);
  EXPECT_TRUE(prefs.findings.empty());
}

TEST(OofPrefs, AudienceNoneSuppressesExternalReplies) {
  model::OofSettings oof;
  oof.enabled = false;
  oof.external_audience = model::OofExternalAudience::kNone;
  const PrefList want = {{"zimbraPrefOutOfOfficeReplyEnabled", "FALSE"},
                         {"zimbraPrefOutOfOfficeExternalReplyEnabled", "FALSE"},
                         {"zimbraPrefOutOfOfficeSuppressExternalReply", "TRUE"}};
  EXPECT_EQ(oofPrefs(oof).prefs, want);
}

TEST(OofPrefs, UnknownStaysUnset) {
  model::OofSettings oof;
  EXPECT_TRUE(oofPrefs(oof).prefs.empty());
  oof.external_reply = "x";
  const OofPrefs prefs = oofPrefs(oof);
  EXPECT_EQ(prefs.prefs, (PrefList{{"zimbraPrefOutOfOfficeExternalReply", "x"}}));
  ASSERT_EQ(prefs.findings.size(), 1u);
  EXPECT_EQ(prefs.findings[0].kind, "oof.external_audience_unknown");
}

TEST(OofPrefs, GeneralizedTime) {
  EXPECT_EQ(generalizedTime(model::Instant{0}), "19700101000000Z");
  // 2000-02-29T23:59:59Z = 951868799.
  EXPECT_EQ(generalizedTime(model::Instant{951868799}), "20000229235959Z");
}

TEST(OofPrefs, RequestBodies) {
  EXPECT_EQ(buildGetPrefsRequest({"a", "b"}),
            "<GetPrefsRequest xmlns=\"urn:zimbraAccount\">\n  <pref name=\"a\"/>\n  <pref name=\"b\"/>\n</GetPrefsRequest>\n");
  Result<std::string> body = buildModifyPrefsRequest({{"zimbraPrefOutOfOfficeReply", "a & b"}});
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body,
            "<ModifyPrefsRequest xmlns=\"urn:zimbraAccount\">\n"
            "  <pref name=\"zimbraPrefOutOfOfficeReply\">a &amp; b</pref>\n"
            "</ModifyPrefsRequest>\n");
  EXPECT_FALSE(buildModifyPrefsRequest({{"zimbraMailQuota", "1"}}).ok());
}

TEST(OofPrefs, ReadsMultiValuedPrefs) {
  Result<xml::Element> response = xml::parse(
      "<GetPrefsResponse xmlns=\"urn:zimbraAccount\"><pref name=\"a\">1</pref><pref name=\"a\">2</pref>"
      "<pref name=\"b\">x</pref></GetPrefsResponse>",
      "test");
  ASSERT_TRUE(response.ok());
  Result<std::map<std::string, std::vector<std::string>>> prefs = readPrefs(*response);
  ASSERT_TRUE(prefs.ok());
  EXPECT_EQ((*prefs)["a"], (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ((*prefs)["b"], (std::vector<std::string>{"x"}));
}

}  // namespace
}  // namespace m2z::zimbra
