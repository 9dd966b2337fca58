// Rule condition and action buffers ([MS-OXCDATA] 2.12, [MS-OXORULE] 2.2.4-2.2.5), the client
// rules stream header, the rule mapping and the OOF settings. Hand-built buffers follow the field
// tables of the specs byte by byte (each is spelled out next to it); the real buffers come from
// ../shared/testdata/rules/fai-dumps (libpff property dumps of SampleOstFile.ost and
// flags_jane_doe.pst), whose meaning the MANIFEST and the specs give.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "readers/mapi/oof_mapper.h"
#include "readers/mapi/property_ids.h"
#include "readers/mapi/rule_actions.h"
#include "readers/mapi/rule_mapper.h"
#include "readers/mapi/rule_restriction.h"
#include "readers/mapi/rule_stream.h"
#include "test_bytes.h"

namespace m2z::readers::mapi {
namespace {

using testing::fromHex;
using model::RuleActionKind;
using model::RuleConditionKind;

// 0x0E9A of the "Junk E-mail Rule" (IPM.ExtendedRule.Message) in aspose-net__SampleOstFile.ost.
const char* const kJunkCondition =
    "0000000200000001020000000100000000000200000001020000000002000000080300764004020300764003007640ffffffff01"
    "000000000201020000000100000000090d00120e01000000000201030000000100000000090d00120e01000000000100000000";
// 0x0E99 of the same rule.
const char* const kJunkActions =
    "01006a8084000000012903020000000000c0000000000000467268007400740070003a002f002f0073006300680065006d006100"
    "73002e006d006900630072006f0073006f00660074002e0063006f006d002f00650078006300680061006e00670065002f006a00"
    "75006e006b0065006d00610069006c006d006f00760065007300740061006d00700000000100000002000000f000000001000000"
    "0000000000b10000000000000038a1bb1005e5101aa1bb08002b2a56c20000454d534d44422e444c4c00000000000000001b55fa"
    "20aa6611cd9bc800aa002fc45a0c000000455832303130002f6f3d486f6d65204f7267616e697a6174696f6e2f6f753d45786368"
    "616e67652041646d696e6973747261746976652047726f7570202846594449424f484632335350444c54292f636e3d5265636970"
    "69656e74732f636e3d53617169622052617a7a61713265653035313939002e00000000000000975647ad64823b458dacb3f7f1e8"
    "d53e01006aa62d7a1b3ac5449d53431fbea2940200000000005100001100000009000000000000000003006a8033affd9f";
// 0x6802 (PidTagRwRulesStream) of the IPM.RuleOrganizer in SampleOstFile.ost: "66 B = empty rule list".
const char* const kEmptyRulesStream =
    "804f1200804f12000000000000000000000000000100000000000000000000000100000001000000000000000000000000000200"
    "0000000000000000000000000000";
// 0x6802 of the IPM.RuleOrganizer in process-pst__flags_jane_doe.pst: one rule, "Clear categories on
// mail (recommended)" (MANIFEST).
const char* const kJaneDoeRulesStream =
    "00001400000014000000000000000000000000000100000000000000000000000100000001000000000000000100804f12052643"
    "006c006500610072002000630061007400650067006f00720069006500730020006f006e0020006d00610069006c002000280072"
    "00650063006f006d006d0065006e00640065006400290001000000000000000000000000000000000000004a0000000400ffff00"
    "000c004352756c65456c656d656e74900100000100000000000000010000000180640000000100000000000000010000000180f6"
    "00000000000000018052010000000000000000000002000000000000000000000000000000";

TEST(RuleRestriction, ContentRestrictionWithExtendedCounts) {
  // RES_CONTENT (0x03), FuzzyLevelLow FL_SUBSTRING (0x0001), FuzzyLevelHigh FL_IGNORECASE (0x0001),
  // PropertyTag PidTagSubject 0x0037001F, TaggedValue: the tag again, then "ab" as UTF-16 + NUL.
  const auto bytes = fromHex("03 0100 0100 1f003700 1f003700 6100 6200 0000");
  auto parsed = parseRestriction(bytes, CountWidth::k32, "test");
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  EXPECT_EQ(parsed->type, RestrictionType::kContent);
  EXPECT_EQ(parsed->tag, 0x0037001Fu);
  EXPECT_EQ(parsed->fuzzy_low, kFlSubstring);
  ASSERT_TRUE(parsed->value.has_value());
  EXPECT_EQ(std::get<std::string>(parsed->value->value), "ab");
}

TEST(RuleRestriction, CountWidthDecidesTheAndCount) {
  // RES_AND with RestrictCount 1 then RES_EXIST on PidTagImportance (0x00170003): 2-byte count in
  // ROP buffers, 4-byte count in extended rules ([MS-OXCDATA] 2.12.1).
  const auto rop = fromHex("00 0100 08 03001700");
  const auto extended = fromHex("00 01000000 08 03001700");
  auto a = parseRestriction(rop, CountWidth::k16, "rop");
  auto b = parseRestriction(extended, CountWidth::k32, "extended");
  ASSERT_TRUE(a.ok()) << a.error().describe();
  ASSERT_TRUE(b.ok()) << b.error().describe();
  EXPECT_EQ(*a, *b);
  ASSERT_EQ(a->children.size(), 1u);
  EXPECT_EQ(a->children[0].type, RestrictionType::kExist);
  EXPECT_EQ(a->children[0].tag, 0x00170003u);
  EXPECT_FALSE(parseRestriction(rop, CountWidth::k32, "rop").ok());  // wrong width leaves bytes over
}

TEST(RuleRestriction, EveryRestrictionType) {
  // AND(6): OR(2): NOT(RES_PROPERTY RELOP_EQ PidTagImportance == 2), RES_COMPAREPROPS RELOP_NE tag1 tag2;
  // then BITMASK BMR_NEZ PidTagMessageFlags & 0x10, SIZE RELOP_GT PidTagBody 100, COMMENT with
  // one tagged value (PidTagImportance = 1) and no restriction, COUNT 5 of EXIST(PidTagSubject),
  // SUBRESTRICTION PidTagMessageRecipients (0x0E12000D) of EXIST(PidTagDisplayName).
  const auto bytes = fromHex(
      "00 0600"
      "  01 0200"
      "    02 04 04 03001700 03001700 02000000"
      "    05 05 1f003700 1f001d0e"
      "  06 01 03000707 10000000"   // tag bytes 03 00 07 0E would be 0x0E070003; see below
      "  07 02 1f000010 64000000"
      "  0a 01 03001700 01000000 00"
      "  0b 05000000 08 1f003700"
      "  09 0d00120e 08 1f000130");
  // The bitmask tag above is 0x07070003 on purpose (any tag is legal); check it is read as given.
  auto parsed = parseRestriction(bytes, CountWidth::k16, "test");
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  ASSERT_EQ(parsed->children.size(), 6u);
  const auto& orr = parsed->children[0];
  EXPECT_EQ(orr.type, RestrictionType::kOr);
  EXPECT_EQ(orr.children[0].type, RestrictionType::kNot);
  EXPECT_EQ(orr.children[0].children[0].rel_op, kRelOpEq);
  EXPECT_EQ(std::get<std::int64_t>(orr.children[0].children[0].value->value), 2);
  EXPECT_EQ(orr.children[1].type, RestrictionType::kCompareProps);
  EXPECT_EQ(orr.children[1].tag2, 0x0E1D001Fu);
  EXPECT_EQ(parsed->children[1].type, RestrictionType::kBitmask);
  EXPECT_EQ(parsed->children[1].tag, 0x07070003u);
  EXPECT_EQ(parsed->children[1].number, 0x10u);
  EXPECT_EQ(parsed->children[2].type, RestrictionType::kSize);
  EXPECT_EQ(parsed->children[2].number, 100u);
  EXPECT_EQ(parsed->children[3].type, RestrictionType::kComment);
  EXPECT_EQ(parsed->children[3].comment_values.size(), 1u);
  EXPECT_TRUE(parsed->children[3].children.empty());
  EXPECT_EQ(parsed->children[4].type, RestrictionType::kCount);
  EXPECT_EQ(parsed->children[4].number, 5u);
  EXPECT_EQ(parsed->children[5].type, RestrictionType::kSubRestriction);
  EXPECT_EQ(parsed->children[5].tag, 0x0E12000Du);
  EXPECT_EQ(parsed->children[5].children[0].tag, 0x3001001Fu);
}

TEST(RuleRestriction, RefusesBadInputWithoutCrashing) {
  // A count far beyond the bytes, an unknown restriction type, nesting 100 NOTs deep.
  EXPECT_EQ(parseRestriction(fromHex("00 ffffffff"), CountWidth::k32, "p").error().code, "mapi.blob.invalid");
  EXPECT_EQ(parseRestriction(fromHex("0c"), CountWidth::k32, "p").error().code, "mapi.blob.invalid");
  std::vector<std::uint8_t> deep(100, 0x02);
  deep.push_back(0x08);
  deep.insert(deep.end(), {0x03, 0x00, 0x17, 0x00});
  auto parsed = parseRestriction(deep, CountWidth::k32, "PidTagX");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("deeper"), std::string::npos);
  EXPECT_EQ(parsed.error().context, "PidTagX");
}

TEST(ExtendedRule, JunkMailConditionFromSampleOst) {
  // NoOfNamedProps 0 and no NamedPropertiesSize, then the restriction; PidTag 0x40760003 is
  // PidTagContentFilterSpamConfidenceLevel, 0x0E12000D PidTagMessageRecipients.
  auto parsed = parseExtendedRuleCondition(fromHex(kJunkCondition));
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  EXPECT_TRUE(parsed->named.empty());
  EXPECT_EQ(parsed->restriction.type, RestrictionType::kAnd);
  const std::string text = describe(parsed->restriction);
  EXPECT_NE(text.find("EXISTS(PidTagContentFilterSpamConfidenceLevel)"), std::string::npos) << text;
  EXPECT_NE(text.find("PidTagContentFilterSpamConfidenceLevel > -1"), std::string::npos) << text;
  EXPECT_NE(text.find("SUB[PidTagMessageRecipients]"), std::string::npos) << text;
}

TEST(ExtendedRule, JunkMailActionsFromSampleOst) {
  // One named property, id 0x806A = PS_PUBLIC_STRINGS "http://schemas.microsoft.com/exchange/
  // junkemailmovestamp" (the MANIFEST quotes the name); RuleVersion 1; two actions: OP_MOVE with a
  // 0xB1-byte store entry id and a 0x2E-byte folder entry id, then OP_TAG setting 0x806A0003.
  auto parsed = parseExtendedRuleActions(fromHex(kJunkActions));
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  ASSERT_EQ(parsed->named.size(), 1u);
  EXPECT_EQ(parsed->named[0].id, 0x806A);
  EXPECT_EQ(parsed->named[0].property_set, kPsPublicStrings);
  EXPECT_EQ(std::get<std::string>(parsed->named[0].name), "http://schemas.microsoft.com/exchange/junkemailmovestamp");
  ASSERT_EQ(parsed->actions.size(), 2u);
  EXPECT_EQ(parsed->actions[0].type, ActionType::kMove);
  EXPECT_EQ(parsed->actions[0].store_entry_id.size(), 0xB1u);
  EXPECT_EQ(parsed->actions[0].folder_entry_id.size(), 0x2Eu);
  EXPECT_EQ(parsed->actions[1].type, ActionType::kTag);
  EXPECT_EQ(parsed->actions[1].tag->tag, 0x806A0003u);
  EXPECT_EQ(std::get<std::int64_t>(parsed->actions[1].tag->value), static_cast<std::int32_t>(0x9FFDAF33));
}

TEST(ExtendedRule, EveryTruncationFailsCleanly) {
  const auto condition = fromHex(kJunkCondition);
  const auto actions = fromHex(kJunkActions);
  for (std::size_t size = 0; size < condition.size(); ++size) {
    EXPECT_FALSE(parseExtendedRuleCondition(std::span(condition).first(size)).ok()) << size;
  }
  for (std::size_t size = 0; size < actions.size(); ++size) {
    EXPECT_FALSE(parseExtendedRuleActions(std::span(actions).first(size)).ok()) << size;
  }
}

TEST(RuleActions, StandardRuleBlocks) {
  // ROP form ([MS-OXORULE] 2.2.5): NoOfActions 5 (2 bytes); each block: ActionLength (2 bytes),
  // ActionType, ActionFlavor, ActionFlags, data.
  //  1. OP_MOVE, FolderInThisStore 1, StoreEIDSize 1 + "aa", FolderEIDSize 2 + "bbcc" (length 17)
  //  2. OP_FORWARD flavor FWD_PRESERVE_SENDER|FWD_DO_NOT_MUNGE_MSG (redirect), 1 recipient, Reserved 1,
  //     2 properties: PidTagDisplayName "A", PidTagSmtpAddress "a@b"
  //  3. OP_REPLY: ReplyTemplateFID 1, ReplyTemplateMID 2, GUID 16 x 0x11
  //  4. OP_DELETE, 5. OP_MARK_AS_READ: no data.
  const auto bytes = fromHex(
      "0500"
      "1100 01 00000000 00000000 01 0100 aa 0200 bbcc"
      "2200 07 03000000 00000000 0100 01 0200 1f000130 4100 0000 1f00fe39 6100 4000 6200 0000"
      "2900 03 00000000 00000000 0100000000000000 0200000000000000 11111111111111111111111111111111"
      "0900 0a 00000000 00000000"
      "0900 0b 00000000 00000000");
  auto parsed = parseRuleActions(bytes, CountWidth::k16, "PidTagRuleActions");
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  ASSERT_EQ(parsed->size(), 5u);
  EXPECT_EQ((*parsed)[0].type, ActionType::kMove);
  EXPECT_TRUE((*parsed)[0].folder_in_this_store);
  EXPECT_EQ((*parsed)[0].folder_entry_id, fromHex("bbcc"));
  EXPECT_EQ((*parsed)[1].type, ActionType::kForward);
  ASSERT_EQ((*parsed)[1].recipients.size(), 1u);
  EXPECT_EQ(std::get<std::string>((*parsed)[1].recipients[0][1].value), "a@b");
  EXPECT_EQ((*parsed)[2].template_folder_id, 1u);
  EXPECT_EQ((*parsed)[2].template_message_id, 2u);
  EXPECT_EQ((*parsed)[3].type, ActionType::kDelete);
  EXPECT_EQ((*parsed)[4].type, ActionType::kMarkAsRead);
}

TEST(RuleActions, DeferredActionDataIsKept) {
  // OP_DEFER_ACTION (0x05) with 3 bytes of client data.
  const auto bytes = fromHex("01000000 0c000000 05 00000000 00000000 010203");
  auto parsed = parseRuleActions(bytes, CountWidth::k32, "p");
  ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
  EXPECT_EQ((*parsed)[0].raw_data, fromHex("010203"));
  // An ActionLength beyond the buffer fails.
  EXPECT_FALSE(parseRuleActions(fromHex("01000000 ff000000 05"), CountWidth::k32, "p").ok());
}

PropertyBag junkRuleBag() {
  // The properties of the dump: 0x65EC "Junk E-mail Rule", 0x65EB "JunkEmailRule", 0x65F3 0,
  // 0x65E9 0x31 = ST_ENABLED | ST_EXIT_LEVEL | ST_SKIP_IF_SCL_IS_SAFE ([MS-OXORULE] 2.2.1.3.1.3).
  PropertyBag bag;
  bag.message_class = "IPM.ExtendedRule.Message";
  bag.set(0x65EC, PropertyType::kUnicode, std::string("Junk E-mail Rule"));
  bag.set(0x65EB, PropertyType::kUnicode, std::string("JunkEmailRule"));
  bag.set(0x65F3, PropertyType::kInteger32, std::int32_t{0});
  bag.set(0x65E9, PropertyType::kInteger32, std::int32_t{0x31});
  bag.set(0x0E99, PropertyType::kBinary, fromHex(kJunkActions));
  bag.set(0x0E9A, PropertyType::kBinary, fromHex(kJunkCondition));
  return bag;
}

TEST(RuleMapper, JunkMailRule) {
  std::vector<model::Finding> findings;
  const model::Provenance where{"x.ost", "/Inbox", "42"};
  auto rule = mapRule(junkRuleBag(), where, findings);
  ASSERT_TRUE(rule.ok()) << rule.error().describe();
  EXPECT_EQ(rule->name, "Junk E-mail Rule");
  EXPECT_EQ(rule->provider, "JunkEmailRule");
  EXPECT_EQ(rule->source, model::RuleSource::kExtendedRule);
  EXPECT_TRUE(rule->enabled);
  EXPECT_TRUE(rule->stop_processing);
  ASSERT_EQ(rule->actions.size(), 3u);
  EXPECT_EQ(rule->actions[0].kind, RuleActionKind::kMove);
  EXPECT_EQ(rule->actions[0].folder_entry_id.size(), 0x2Eu * 2);
  EXPECT_EQ(rule->actions[1].kind, RuleActionKind::kSetProperty);
  EXPECT_EQ(rule->actions[1].property,
            "{00020329-0000-0000-C000-000000000046}/http://schemas.microsoft.com/exchange/junkemailmovestamp");
  EXPECT_EQ(rule->actions[2].kind, RuleActionKind::kStopProcessing);
  // The spam-confidence tests have no filter counterpart: kept as text and raw bytes, with a finding.
  ASSERT_FALSE(rule->conditions.empty());
  EXPECT_EQ(rule->conditions[0].kind, RuleConditionKind::kOther);
  ASSERT_EQ(rule->undecoded.size(), 1u);
  EXPECT_EQ(rule->undecoded[0].bytes, fromHex(kJunkCondition));
  bool found = false;
  for (const auto& finding : findings) {
    if (finding.kind == "rule.condition_not_mapped") {
      found = true;
      EXPECT_EQ(finding.item.describe(), "x.ost:/Inbox#42");
      EXPECT_EQ(finding.field, "PidTagExtendedRuleMessageCondition");
    }
  }
  EXPECT_TRUE(found);
}

TEST(RuleMapper, DamagedBlobsAreKeptRaw) {
  auto bag = junkRuleBag();
  bag.set(0x0E99, PropertyType::kBinary, fromHex("0000 01000000 05000000"));  // 5 actions, no bytes
  std::vector<model::Finding> findings;
  auto rule = mapRule(bag, {"x.ost", "/Inbox", "1"}, findings);
  ASSERT_TRUE(rule.ok());
  ASSERT_FALSE(rule->undecoded.empty());
  EXPECT_EQ(rule->undecoded.back().field, "PidTagExtendedRuleMessageActions");
  EXPECT_EQ(rule->undecoded.back().bytes, fromHex("0000 01000000 05000000"));
  EXPECT_FALSE(mapRule(PropertyBag{}, {}, findings).ok());
}

// Helpers that build restrictions as the spec's structures, without bytes.
Restriction content(std::uint32_t tag, std::string text) {
  Restriction r;
  r.type = RestrictionType::kContent;
  r.tag = tag;
  r.fuzzy_low = kFlSubstring;
  r.value = RuleValue{tag, std::move(text)};
  return r;
}
Restriction property(std::uint32_t tag, std::uint8_t rel_op, RuleValue value) {
  Restriction r;
  r.type = RestrictionType::kProperty;
  r.tag = tag;
  r.rel_op = rel_op;
  r.value = std::move(value);
  return r;
}
Restriction combine(RestrictionType type, std::vector<Restriction> children) {
  Restriction r;
  r.type = type;
  r.children = std::move(children);
  return r;
}

TEST(RuleMapper, ReducesOutlookConditions) {
  Restriction bitmask;
  bitmask.type = RestrictionType::kBitmask;
  bitmask.tag = 0x0E070003;  // PidTagMessageFlags, MSGFLAG_HASATTACH 0x10
  bitmask.rel_op = kBmrNez;
  bitmask.number = 0x10;
  Restriction recipients;
  recipients.type = RestrictionType::kSubRestriction;
  recipients.tag = 0x0E12000D;
  recipients.children.push_back(content(0x39FE001F, "boss@example.com"));
  const std::vector<NamedPropertyName> named{{0x8001, kPsPublicStrings, std::string("Keywords")}};
  const auto restriction = combine(
      RestrictionType::kAnd,
      {combine(RestrictionType::kOr, {content(0x0037001F, "invoice"), content(0x0037001F, "bill")}),
       content(0x0C1F001F, "alice@example.com"), property(0x0E080003, kRelOpGt, RuleValue{0x0E080003, std::int64_t{1000}}),
       property(0x00170003, kRelOpEq, RuleValue{0x00170003, std::int64_t{2}}), bitmask, recipients,
       content(0x8001101F, "Red"),
       combine(RestrictionType::kNot, {content(0x1000001F, "unsubscribe")})});
  const auto reduced = reduceRestriction(restriction, named);
  ASSERT_EQ(reduced.conditions.size(), 7u);
  EXPECT_EQ(reduced.conditions[0].kind, RuleConditionKind::kSubjectContains);
  EXPECT_EQ(reduced.conditions[0].values, (std::vector<std::string>{"invoice", "bill"}));
  EXPECT_EQ(reduced.conditions[1].kind, RuleConditionKind::kFrom);
  EXPECT_EQ(reduced.conditions[2].kind, RuleConditionKind::kSizeAtLeast);
  EXPECT_EQ(reduced.conditions[2].number, 1001);  // "> 1000" is "at least 1001"
  EXPECT_EQ(reduced.conditions[3].kind, RuleConditionKind::kImportance);
  EXPECT_EQ(reduced.conditions[3].number, 2);
  EXPECT_EQ(reduced.conditions[4].kind, RuleConditionKind::kHasAttachment);
  EXPECT_EQ(reduced.conditions[5].kind, RuleConditionKind::kSentTo);
  EXPECT_EQ(reduced.conditions[5].values, (std::vector<std::string>{"boss@example.com"}));
  EXPECT_EQ(reduced.conditions[6].kind, RuleConditionKind::kCategory);
  ASSERT_EQ(reduced.exceptions.size(), 1u);
  EXPECT_EQ(reduced.exceptions[0].kind, RuleConditionKind::kBodyContains);
}

TEST(RuleMapper, SentOnlyToMe) {
  // Outlook: PidTagMessageToMe == TRUE and NOT(PidTagDisplayTo contains ";").
  const auto restriction = combine(
      RestrictionType::kAnd, {property(0x0057000B, kRelOpEq, RuleValue{0x0057000B, true}),
                              combine(RestrictionType::kNot, {content(0x0E04001F, ";")})});
  const auto reduced = reduceRestriction(restriction, {});
  ASSERT_EQ(reduced.conditions.size(), 1u);
  EXPECT_EQ(reduced.conditions[0].kind, RuleConditionKind::kSentOnlyToMe);
  EXPECT_TRUE(reduced.exceptions.empty());
}

TEST(RulesStream, HeaderOfRealStreams) {
  auto empty = parseRulesStreamHeader(fromHex(kEmptyRulesStream), "PidTagRwRulesStream");
  ASSERT_TRUE(empty.ok()) << empty.error().describe();
  EXPECT_EQ(empty->outlook_version, "2007");  // 0x00124F80 = 1200000
  EXPECT_EQ(empty->rule_count, 0);
  auto jane = parseRulesStreamHeader(fromHex(kJaneDoeRulesStream), "PidTagRwRulesStream");
  ASSERT_TRUE(jane.ok()) << jane.error().describe();
  EXPECT_EQ(jane->rule_count, 1);
  EXPECT_EQ(jane->first_rule_name, "Clear categories on mail (recommended)");
  EXPECT_FALSE(parseRulesStreamHeader(fromHex("804f1200 00"), "p").ok());
}

TEST(Oof, SettingsFromTemplatesAndState) {
  PropertyBag internal;
  internal.message_class = "IPM.Note.Rules.OofTemplate.Microsoft";
  internal.set(0x1000, PropertyType::kUnicode, std::string("Away until Monday."));
  OofSources sources;
  sources.store = {"x.pst", "/", "message store"};
  sources.store_state = true;
  sources.templates.push_back(*oofTemplateFromBag(internal, {"x.pst", "/Inbox", "7"}));
  model::Rule all;
  all.name = "Microsoft.Exchange.OOF.AllExternalSenders.Global";
  all.enabled = true;
  sources.oof_rules.push_back(all);
  std::vector<model::Finding> findings;
  const auto settings = buildOofSettings(sources, findings);
  EXPECT_EQ(settings.enabled, true);
  EXPECT_EQ(settings.internal_reply, "Away until Monday.");
  EXPECT_FALSE(settings.external_reply.has_value());
  EXPECT_EQ(settings.external_audience, model::OofExternalAudience::kAll);
  std::vector<std::string> kinds;
  for (const auto& finding : findings) kinds.push_back(finding.kind + ":" + finding.field);
  EXPECT_EQ(kinds, (std::vector<std::string>{"oof.reply_unknown:external_reply", "oof.schedule_unknown:start/end"}));
}

TEST(Oof, NothingKnown) {
  OofSources sources;
  EXPECT_FALSE(hasOofData(sources));
  std::vector<model::Finding> findings;
  const auto settings = buildOofSettings(sources, findings);
  EXPECT_FALSE(settings.enabled.has_value());
  EXPECT_EQ(findings.size(), 5u);  // state, both replies, audience, schedule
}

}  // namespace
}  // namespace m2z::readers::mapi
