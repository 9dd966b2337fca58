// Every filter-rule and preference body validates against Zimbra's generated schemas in
// ../shared/zimbra-schemas (all three builds), for rules of every condition and action kind.
#include <gtest/gtest.h>

#include <memory>

#include "xml/xml.h"
#include "zimbra/filter_rules.h"
#include "zimbra/prefs_requests.h"

namespace m2z::zimbra {
namespace {

using model::RuleActionKind;
using model::RuleConditionKind;

std::unique_ptr<xml::SchemaValidator> validator(const std::string& build) {
  const std::string dir = std::string(M2Z_SHARED_DIR) + "/zimbra-schemas/" + build;
  auto loaded = xml::SchemaValidator::load(
      {dir + "/zimbra.xsd", dir + "/zimbraMail.xsd", dir + "/zimbraAdmin.xsd", dir + "/zimbraAccount.xsd"});
  EXPECT_TRUE(loaded.ok()) << loaded.error().describe();
  return loaded.ok() ? std::move(loaded).value() : nullptr;
}

model::RuleCondition cond(RuleConditionKind kind, std::vector<std::string> values = {},
                          std::optional<std::int64_t> number = std::nullopt) {
  model::RuleCondition c;
  c.kind = kind;
  c.values = std::move(values);
  c.number = number;
  c.description = "\"odd\" <restriction> & more";
  return c;
}

model::RuleAction act(RuleActionKind kind) {
  model::RuleAction a;
  a.kind = kind;
  a.folder_path = "/Inbox/Sub";
  a.recipients.push_back(model::Person{"X", "x@example.com", "SMTP"});
  return a;
}

// One rule per condition kind (with one exception each) and one with every action kind.
std::vector<std::string> fragments() {
  const std::vector<model::RuleCondition> conditions = {
      cond(RuleConditionKind::kFrom, {"a@x.org"}),        cond(RuleConditionKind::kSentTo, {"b@x.org"}),
      cond(RuleConditionKind::kSentToMe),                 cond(RuleConditionKind::kSentOnlyToMe),
      cond(RuleConditionKind::kCcMe),                     cond(RuleConditionKind::kSubjectContains, {"s"}),
      cond(RuleConditionKind::kBodyContains, {"b"}),      cond(RuleConditionKind::kHeaderContains, {"h"}),
      cond(RuleConditionKind::kSubjectOrBodyContains, {"x", "y"}),
      cond(RuleConditionKind::kSizeAtLeast, {}, 100),     cond(RuleConditionKind::kSizeAtMost, {}, 100),
      cond(RuleConditionKind::kImportance, {}, 1),        cond(RuleConditionKind::kSensitivity, {}, 0),
      cond(RuleConditionKind::kSensitivity, {}, 2),       cond(RuleConditionKind::kHasAttachment),
      cond(RuleConditionKind::kCategory, {"Blue"}),       cond(RuleConditionKind::kOther)};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    model::Rule r;
    r.name = "rule " + std::to_string(i);
    r.enabled = true;
    r.conditions = {conditions[i]};
    r.exceptions = {conditions[(i + 1) % conditions.size()]};
    r.actions = {act(RuleActionKind::kMove)};
    auto t = translateRule(r);
    EXPECT_TRUE(t.ok());
    if (t.ok()) out.push_back(t->xml);
  }
  model::Rule all;
  all.name = "all actions";
  for (int kind = 0; kind <= static_cast<int>(RuleActionKind::kStopProcessing); ++kind) {
    all.actions.push_back(act(static_cast<RuleActionKind>(kind)));
  }
  auto t = translateRule(all);
  EXPECT_TRUE(t.ok());
  if (t.ok()) out.push_back(t->xml);
  return out;
}

TEST(FilterRuleSchemas, BodiesValidateInEveryBuild) {
  model::OofSettings oof;
  oof.enabled = true;
  oof.internal_reply = "in";
  oof.external_reply = "out";
  oof.external_audience = model::OofExternalAudience::kKnownSenders;
  oof.start = model::Instant{1704182400};
  oof.end = model::Instant{1704475800};
  Result<std::string> modify_prefs = buildModifyPrefsRequest(oofPrefs(oof).prefs);
  ASSERT_TRUE(modify_prefs.ok());
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"GetFilterRulesRequest", buildGetFilterRulesRequest()},
      {"ModifyFilterRulesRequest", buildModifyFilterRulesRequest(fragments())},
      {"ModifyFilterRulesRequest (empty)", buildModifyFilterRulesRequest({})},
      {"GetPrefsRequest", buildGetPrefsRequest(oofPrefNames())},
      {"ModifyPrefsRequest", *modify_prefs},
  };
  for (const std::string build : {"zcs8-2014a", "zcs8-2014b", "carbonio-2023"}) {
    auto v = validator(build);
    ASSERT_TRUE(v);
    // The validator does reject a rule without its required @active.
    EXPECT_FALSE(v->validate("<ModifyFilterRulesRequest xmlns=\"urn:zimbraMail\"><filterRules><filterRule "
                             "name=\"x\"><filterTests condition=\"allof\"/></filterRule></filterRules>"
                             "</ModifyFilterRulesRequest>",
                             "bad")
                     .empty());
    for (const auto& [what, body] : bodies) {
      const auto problems = v->validate(body, what);
      std::string text;
      for (const auto& p : problems) text += p + "\n";
      EXPECT_TRUE(problems.empty()) << build << " " << what << ":\n" << text << body;
    }
  }
}

}  // namespace
}  // namespace m2z::zimbra
