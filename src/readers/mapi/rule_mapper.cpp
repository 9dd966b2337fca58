#include "readers/mapi/rule_mapper.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "readers/mapi/property_ids.h"
#include "readers/mapi/rule_actions.h"

namespace m2z::readers::mapi {

namespace {

using model::RuleActionKind;
using model::RuleConditionKind;

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string hexBytes(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string text;
  text.reserve(bytes.size() * 2);
  for (const auto byte : bytes) {
    text.push_back(kDigits[byte >> 4]);
    text.push_back(kDigits[byte & 0x0F]);
  }
  return text;
}

std::uint16_t idOf(std::uint32_t tag) { return static_cast<std::uint16_t>(tag >> 16); }

bool isSenderProperty(std::uint16_t id) {
  switch (id) {
    case 0x0042:  // PidTagSentRepresentingName
    case 0x0065:  // PidTagSentRepresentingEmailAddress
    case 0x0C19:  // PidTagSenderEntryId
    case 0x0C1A:  // PidTagSenderName
    case 0x0C1D:  // PidTagSenderSearchKey
    case 0x0C1F:  // PidTagSenderEmailAddress
    case 0x5D01:  // PidTagSenderSmtpAddress
    case 0x5D02:  // PidTagSentRepresentingSmtpAddress
      return true;
    default:
      return false;
  }
}

bool isRecipientProperty(std::uint16_t id) {
  switch (id) {
    case 0x3001:  // PidTagDisplayName
    case 0x3003:  // PidTagEmailAddress
    case 0x300B:  // PidTagSearchKey
    case 0x39FE:  // PidTagSmtpAddress
    case 0x0FFF:  // PidTagEntryId
      return true;
    default:
      return false;
  }
}

bool isKeywords(std::uint32_t tag, std::span<const NamedPropertyName> named) {
  const auto id = idOf(tag);
  if (id < 0x8000) return false;
  for (const auto& name : named) {
    if (name.id != id) continue;
    const auto* text = std::get_if<std::string>(&name.name);
    return name.property_set == kPidNameKeywords.property_set && text != nullptr &&
           *text == kPidNameKeywords.string_name;
  }
  return false;
}

// A search key or address entry as text: Outlook stores "SMTP:USER@EXAMPLE.COM\0" as bytes.
std::string binaryAsText(const Binary& bytes) {
  std::string text;
  for (const auto byte : bytes) {
    if (byte == 0) break;
    if (byte < 0x20 || byte > 0x7E) return "0x" + hexBytes(bytes);
    text.push_back(static_cast<char>(byte));
  }
  if (text.size() > 5 && equalsIgnoreCase(std::string_view(text).substr(0, 5), "SMTP:")) text.erase(0, 5);
  return text;
}

std::optional<std::string> valueText(const RuleValue& value) {
  if (const auto* text = std::get_if<std::string>(&value.value)) return *text;
  if (const auto* bytes = std::get_if<Binary>(&value.value)) return binaryAsText(*bytes);
  if (const auto* texts = std::get_if<std::vector<std::string>>(&value.value)) {
    if (texts->size() == 1) return texts->front();
  }
  return std::nullopt;
}

std::optional<std::int64_t> valueNumber(const RuleValue& value) {
  if (const auto* number = std::get_if<std::int64_t>(&value.value)) return *number;
  if (const auto* flag = std::get_if<bool>(&value.value)) return *flag ? 1 : 0;
  return std::nullopt;
}

model::RuleCondition textCondition(RuleConditionKind kind, std::string value, std::string description) {
  return model::RuleCondition{kind, {std::move(value)}, std::nullopt, std::move(description)};
}

// Strings a recipient sub-restriction compares recipients with.
bool collectRecipientValues(const Restriction& restriction, std::vector<std::string>& values) {
  switch (restriction.type) {
    case RestrictionType::kAnd:
    case RestrictionType::kOr:
    case RestrictionType::kComment: {
      bool any = false;
      for (const auto& child : restriction.children) {
        if (!collectRecipientValues(child, values)) return false;
        any = true;
      }
      return any;
    }
    case RestrictionType::kContent:
    case RestrictionType::kProperty: {
      // The recipient type test that keeps To/Cc apart is not a value to match.
      if (idOf(restriction.tag) == 0x0C15) return true;
      if (!isRecipientProperty(idOf(restriction.tag)) || !restriction.value) return false;
      const auto text = valueText(*restriction.value);
      if (!text) return false;
      values.push_back(*text);
      return true;
    }
    default:
      return false;
  }
}

std::optional<model::RuleCondition> recognize(const Restriction& r, std::span<const NamedPropertyName> named) {
  const std::string description = describe(r, named);
  switch (r.type) {
    case RestrictionType::kComment:
      // Outlook wraps a condition in a comment holding its display form; the child decides.
      if (r.children.size() == 1) {
        auto inner = recognize(r.children.front(), named);
        if (inner) inner->description = description;
        return inner;
      }
      return std::nullopt;
    case RestrictionType::kOr: {
      // "subject contains A or B": one condition with several values.
      std::optional<model::RuleCondition> merged;
      for (const auto& child : r.children) {
        auto inner = recognize(child, named);
        if (!inner || inner->values.empty() || inner->number) return std::nullopt;
        if (!merged) {
          merged = std::move(inner);
        } else if (merged->kind == inner->kind) {
          merged->values.insert(merged->values.end(), inner->values.begin(), inner->values.end());
        } else if ((merged->kind == RuleConditionKind::kSubjectContains && inner->kind == RuleConditionKind::kBodyContains) ||
                   (merged->kind == RuleConditionKind::kBodyContains && inner->kind == RuleConditionKind::kSubjectContains) ||
                   merged->kind == RuleConditionKind::kSubjectOrBodyContains) {
          if (inner->kind != RuleConditionKind::kSubjectContains && inner->kind != RuleConditionKind::kBodyContains &&
              inner->kind != RuleConditionKind::kSubjectOrBodyContains) {
            return std::nullopt;
          }
          merged->kind = RuleConditionKind::kSubjectOrBodyContains;
          for (auto& value : inner->values) {
            if (std::find(merged->values.begin(), merged->values.end(), value) == merged->values.end()) {
              merged->values.push_back(value);
            }
          }
        } else {
          return std::nullopt;
        }
      }
      if (merged) merged->description = description;
      return merged;
    }
    case RestrictionType::kContent: {
      if (!r.value) return std::nullopt;
      const auto text = valueText(*r.value);
      if (!text) return std::nullopt;
      const auto id = idOf(r.tag);
      if (id == 0x0037 || id == 0x0E1D) return textCondition(RuleConditionKind::kSubjectContains, *text, description);
      if (id == 0x1000) return textCondition(RuleConditionKind::kBodyContains, *text, description);
      if (id == 0x007D) return textCondition(RuleConditionKind::kHeaderContains, *text, description);
      if (isSenderProperty(id)) return textCondition(RuleConditionKind::kFrom, *text, description);
      if (id == 0x0E04 || id == 0x0E03) return textCondition(RuleConditionKind::kSentTo, *text, description);
      if (isKeywords(r.tag, named)) return textCondition(RuleConditionKind::kCategory, *text, description);
      return std::nullopt;
    }
    case RestrictionType::kProperty: {
      if (!r.value) return std::nullopt;
      const auto id = idOf(r.tag);
      const auto number = valueNumber(*r.value);
      if ((id == 0x0057 || id == 0x0058) && r.rel_op == kRelOpEq && number == 1) {
        return model::RuleCondition{id == 0x0057 ? RuleConditionKind::kSentToMe : RuleConditionKind::kCcMe, {},
                                    std::nullopt, description};
      }
      if ((id == 0x0017 || id == 0x0036) && r.rel_op == kRelOpEq && number) {
        return model::RuleCondition{id == 0x0017 ? RuleConditionKind::kImportance : RuleConditionKind::kSensitivity, {},
                                    number, description};
      }
      if (id == 0x0E08 && number) {
        if (r.rel_op == kRelOpGt) return model::RuleCondition{RuleConditionKind::kSizeAtLeast, {}, *number + 1, description};
        if (r.rel_op == kRelOpGe) return model::RuleCondition{RuleConditionKind::kSizeAtLeast, {}, *number, description};
        if (r.rel_op == kRelOpLt) return model::RuleCondition{RuleConditionKind::kSizeAtMost, {}, *number - 1, description};
        if (r.rel_op == kRelOpLe) return model::RuleCondition{RuleConditionKind::kSizeAtMost, {}, *number, description};
        return std::nullopt;
      }
      if (isSenderProperty(id) && r.rel_op == kRelOpEq) {
        const auto text = valueText(*r.value);
        if (text) return textCondition(RuleConditionKind::kFrom, *text, description);
      }
      if (isKeywords(r.tag, named) && r.rel_op == kRelOpEq) {
        const auto text = valueText(*r.value);
        if (text) return textCondition(RuleConditionKind::kCategory, *text, description);
      }
      return std::nullopt;
    }
    case RestrictionType::kBitmask:
      // MSGFLAG_HASATTACH ([MS-OXCMSG] 2.2.1.6).
      if (idOf(r.tag) == 0x0E07 && r.number == 0x00000010 && r.rel_op == kBmrNez) {
        return model::RuleCondition{RuleConditionKind::kHasAttachment, {}, std::nullopt, description};
      }
      return std::nullopt;
    case RestrictionType::kSubRestriction: {
      if (idOf(r.tag) != 0x0E12 || r.children.size() != 1) return std::nullopt;
      std::vector<std::string> values;
      if (!collectRecipientValues(r.children.front(), values) || values.empty()) return std::nullopt;
      return model::RuleCondition{RuleConditionKind::kSentTo, std::move(values), std::nullopt, description};
    }
    default:
      return std::nullopt;
  }
}

model::RuleCondition other(const Restriction& r, std::span<const NamedPropertyName> named) {
  return model::RuleCondition{RuleConditionKind::kOther, {}, std::nullopt, describe(r, named)};
}

// Outlook's "sent only to me": PidTagMessageToMe true and no ";" (a second name) in PidTagDisplayTo.
bool isNotSecondToRecipient(const Restriction& r) {
  if (r.type != RestrictionType::kNot || r.children.size() != 1) return false;
  const auto& inner = r.children.front();
  if (inner.type != RestrictionType::kContent || idOf(inner.tag) != 0x0E04 || !inner.value) return false;
  const auto text = valueText(*inner.value);
  return text && *text == ";";
}

void fillAction(const ParsedAction& parsed, std::span<const NamedPropertyName> named, model::Rule& rule,
                std::vector<model::Finding>& findings, const model::Provenance& provenance) {
  model::RuleAction action;
  action.flavor = parsed.flavor;
  switch (parsed.type) {
    case ActionType::kMove:
    case ActionType::kCopy:
      action.kind = parsed.type == ActionType::kMove ? RuleActionKind::kMove : RuleActionKind::kCopy;
      action.folder_entry_id = hexBytes(parsed.folder_entry_id);
      if (!parsed.folder_in_this_store || !parsed.store_entry_id.empty()) {
        action.store_entry_id = hexBytes(parsed.store_entry_id);
      }
      break;
    case ActionType::kReply:
    case ActionType::kOofReply:
      action.kind = parsed.type == ActionType::kReply ? RuleActionKind::kReply : RuleActionKind::kOofReply;
      action.template_entry_id = parsed.template_entry_id.empty()
                                     ? "FID:" + std::to_string(parsed.template_folder_id) +
                                           "/MID:" + std::to_string(parsed.template_message_id)
                                     : hexBytes(parsed.template_entry_id);
      action.template_guid = hexBytes(parsed.template_guid);
      break;
    case ActionType::kBounce:
      action.kind = RuleActionKind::kBounce;
      action.number = parsed.bounce_code;
      break;
    case ActionType::kForward:
    case ActionType::kDelegate:
      if (parsed.type == ActionType::kDelegate) {
        action.kind = RuleActionKind::kDelegate;
      } else if (parsed.flavor & kFwdAsAttachment) {
        action.kind = RuleActionKind::kForwardAsAttachment;
      } else if (parsed.flavor & kFwdPreserveSender) {
        // Redirect keeps the original sender ([MS-OXORULE] 2.2.5.1, PR flavor).
        action.kind = RuleActionKind::kRedirect;
      } else {
        action.kind = RuleActionKind::kForward;
      }
      for (const auto& properties : parsed.recipients) {
        model::Person person;
        for (const auto& value : properties) {
          const auto text = valueText(value);
          if (!text) continue;
          switch (value.id()) {
            case 0x3001: person.display_name = *text; break;
            case 0x3002: person.address_type = *text; break;
            case 0x3003:
              if (person.email.empty()) person.email = *text;
              break;
            case 0x39FE: person.email = *text; break;
            default: break;
          }
        }
        action.recipients.push_back(std::move(person));
      }
      break;
    case ActionType::kTag: {
      const auto& tag = *parsed.tag;
      const auto number = valueNumber(tag);
      if (tag.id() == 0x0017 && number) {
        action.kind = RuleActionKind::kSetImportance;
        action.number = number;
      } else if (tag.id() == 0x0036 && number) {
        action.kind = RuleActionKind::kSetSensitivity;
        action.number = number;
      } else if (tag.id() == 0x1090 && number) {
        action.kind = RuleActionKind::kFlag;
        action.number = number;
      } else {
        action.kind = RuleActionKind::kSetProperty;
        action.property = describeTag(tag.tag, named);
        action.value_text = describeValue(tag);
      }
      break;
    }
    case ActionType::kDelete:
      action.kind = RuleActionKind::kDelete;
      break;
    case ActionType::kMarkAsRead:
      action.kind = RuleActionKind::kMarkRead;
      break;
    case ActionType::kDeferAction:
      action.kind = RuleActionKind::kDeferred;
      rule.undecoded.push_back(model::RawRulePart{
          "PidTagExtendedRuleMessageActions: OP_DEFER_ACTION data", parsed.raw_data,
          "a client-side action whose data only Outlook understands"});
      findings.push_back(model::Finding{"rule.action_not_decoded", model::Severity::kWarning, provenance,
                                        "PidTagExtendedRuleMessageActions", hexBytes(parsed.raw_data), "",
                                        "rule \"" + rule.name +
                                            "\" has a client-side (deferred) action; its data is kept as raw bytes",
                                        false});
      break;
  }
  rule.actions.push_back(std::move(action));
}

const Binary* binaryProperty(const PropertyBag& bag, std::uint16_t id) {
  const auto* value = bag.findTagged(id);
  return value ? std::get_if<Binary>(value) : nullptr;
}

}  // namespace

bool isRuleMessageClass(std::string_view message_class) {
  return equalsIgnoreCase(message_class, kRuleMessageClass) || equalsIgnoreCase(message_class, kExtendedRuleMessageClass);
}

ReducedCondition reduceRestriction(const Restriction& restriction, std::span<const NamedPropertyName> named) {
  ReducedCondition reduced;
  std::vector<const Restriction*> terms;
  if (restriction.type == RestrictionType::kAnd) {
    for (const auto& child : restriction.children) terms.push_back(&child);
  } else {
    terms.push_back(&restriction);
  }
  // Outlook's "sent only to me" is written as two terms; fold them into one condition.
  const bool to_me = std::any_of(terms.begin(), terms.end(), [](const Restriction* t) {
    return t->type == RestrictionType::kProperty && idOf(t->tag) == 0x0057;
  });
  const bool only = to_me && std::any_of(terms.begin(), terms.end(), [](const Restriction* t) { return isNotSecondToRecipient(*t); });
  for (const auto* term : terms) {
    if (only && isNotSecondToRecipient(*term)) continue;
    if (term->type == RestrictionType::kNot && term->children.size() == 1) {
      auto inner = recognize(term->children.front(), named);
      reduced.exceptions.push_back(inner ? std::move(*inner) : other(term->children.front(), named));
      continue;
    }
    auto condition = recognize(*term, named);
    if (condition && only && condition->kind == RuleConditionKind::kSentToMe) {
      condition->kind = RuleConditionKind::kSentOnlyToMe;
    }
    reduced.conditions.push_back(condition ? std::move(*condition) : other(*term, named));
  }
  return reduced;
}

Result<model::Rule> mapRule(const PropertyBag& bag, const model::Provenance& provenance,
                            std::vector<model::Finding>& findings) {
  if (!isRuleMessageClass(bag.message_class)) {
    return Error{"mapi.rule.not_rule", "message class \"" + bag.message_class + "\" is not a rule message",
                 provenance.describe()};
  }
  model::Rule rule;
  rule.provenance = provenance;
  rule.source = equalsIgnoreCase(bag.message_class, kRuleMessageClass) ? model::RuleSource::kServerRule
                                                                       : model::RuleSource::kExtendedRule;
  const auto text = [&](std::uint16_t id) -> std::string {
    const auto* value = bag.findTagged(id);
    const auto* string = value ? std::get_if<std::string>(value) : nullptr;
    return string ? *string : std::string();
  };
  const auto integer = [&](std::uint16_t id) -> std::optional<std::int32_t> {
    const auto* value = bag.findTagged(id);
    const auto* number = value ? std::get_if<std::int32_t>(value) : nullptr;
    return number ? std::optional<std::int32_t>(*number) : std::nullopt;
  };
  rule.name = text(kPidTagRuleMessageName.id);
  rule.provider = text(kPidTagRuleMessageProvider.id);
  rule.sequence = integer(kPidTagRuleMessageSequence.id).value_or(0);
  const auto state = integer(kPidTagRuleMessageState.id);
  if (!state) {
    findings.push_back(model::Finding{"rule.state_missing", model::Severity::kWarning, provenance,
                                      std::string(kPidTagRuleMessageState.name), "", "disabled",
                                      "rule \"" + rule.name + "\" has no state; it is taken as disabled", false});
  }
  rule.state = static_cast<std::uint32_t>(state.value_or(0));
  rule.enabled = (rule.state & kRuleStateEnabled) != 0;
  rule.only_when_oof = (rule.state & kRuleStateOnlyWhenOof) != 0 || rule.provider == kOofRulesProvider;
  rule.stop_processing = (rule.state & kRuleStateExitLevel) != 0;

  std::vector<NamedPropertyName> named;
  if (const auto* blob = binaryProperty(bag, kPidTagExtendedRuleMessageCondition.id)) {
    auto condition = parseExtendedRuleCondition(*blob);
    if (!condition) {
      rule.undecoded.push_back(model::RawRulePart{std::string(kPidTagExtendedRuleMessageCondition.name), *blob,
                                                  condition.error().message});
      findings.push_back(model::Finding{"rule.condition_unreadable", model::Severity::kWarning, provenance,
                                        std::string(kPidTagExtendedRuleMessageCondition.name), hexBytes(*blob), "",
                                        "rule \"" + rule.name + "\": " + condition.error().message +
                                            "; the condition is kept as raw bytes",
                                        false});
    } else {
      named = condition->named;
      rule.condition_text = describe(condition->restriction, named);
      auto reduced = reduceRestriction(condition->restriction, named);
      rule.conditions = std::move(reduced.conditions);
      rule.exceptions = std::move(reduced.exceptions);
      const auto not_mapped = [](const model::RuleCondition& c) { return c.kind == RuleConditionKind::kOther; };
      if (std::any_of(rule.conditions.begin(), rule.conditions.end(), not_mapped) ||
          std::any_of(rule.exceptions.begin(), rule.exceptions.end(), not_mapped)) {
        rule.undecoded.push_back(model::RawRulePart{std::string(kPidTagExtendedRuleMessageCondition.name), *blob,
                                                    "part of the condition has no filter counterpart"});
        findings.push_back(model::Finding{"rule.condition_not_mapped", model::Severity::kWarning, provenance,
                                          std::string(kPidTagExtendedRuleMessageCondition.name), rule.condition_text,
                                          "", "rule \"" + rule.name +
                                                  "\" tests something a filter cannot express; the condition is "
                                                  "kept as text and raw bytes",
                                          false});
      }
    }
  } else {
    findings.push_back(model::Finding{"rule.condition_missing", model::Severity::kInfo, provenance,
                                      std::string(kPidTagExtendedRuleMessageCondition.name), "", "",
                                      "rule \"" + rule.name + "\" has no condition: it applies to every message",
                                      false});
  }

  if (const auto* blob = binaryProperty(bag, kPidTagExtendedRuleMessageActions.id)) {
    auto actions = parseExtendedRuleActions(*blob);
    if (!actions) {
      rule.undecoded.push_back(model::RawRulePart{std::string(kPidTagExtendedRuleMessageActions.name), *blob,
                                                  actions.error().message});
      findings.push_back(model::Finding{"rule.actions_unreadable", model::Severity::kWarning, provenance,
                                        std::string(kPidTagExtendedRuleMessageActions.name), hexBytes(*blob), "",
                                        "rule \"" + rule.name + "\": " + actions.error().message +
                                            "; the actions are kept as raw bytes",
                                        false});
    } else {
      for (const auto& action : actions->actions) fillAction(action, actions->named, rule, findings, provenance);
    }
  } else {
    findings.push_back(model::Finding{"rule.actions_missing", model::Severity::kWarning, provenance,
                                      std::string(kPidTagExtendedRuleMessageActions.name), "", "",
                                      "rule \"" + rule.name + "\" has no actions", false});
  }
  if (rule.stop_processing) {
    model::RuleAction stop;
    stop.kind = RuleActionKind::kStopProcessing;
    rule.actions.push_back(std::move(stop));
  }
  return rule;
}

}  // namespace m2z::readers::mapi
