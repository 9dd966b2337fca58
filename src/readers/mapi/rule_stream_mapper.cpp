#include "readers/mapi/rule_stream_mapper.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace m2z::readers::mapi {

namespace {

constexpr const char* kField = "PidTagRwRulesStream";

std::string join(const std::vector<std::string>& values, const char* separator) {
  std::string out;
  for (const auto& value : values) {
    if (!out.empty()) out += separator;
    out += value;
  }
  return out;
}

// An OLE automation date (days since 1899-12-30, fraction = time of day) as "YYYY-MM-DDTHH:MM:SS".
std::string oleDateText(double days) {
  if (!std::isfinite(days) || days < -657434 || days > 2958466) return "invalid date";  // years 100..9999
  const auto seconds = static_cast<std::int64_t>(std::llround((days - 25569.0) * 86400.0));
  std::int64_t day = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  const std::int64_t second_of_day = seconds - day * 86400;
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
  day += 719468;
  const std::int64_t era = (day >= 0 ? day : day - 146096) / 146097;
  const std::int64_t doe = day - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char text[128];
  std::snprintf(text, sizeof text, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d), static_cast<long long>(second_of_day / 3600),
                static_cast<long long>(second_of_day / 60 % 60), static_cast<long long>(second_of_day % 60));
  return text;
}

std::vector<std::string> addressValues(const ClientRuleElement& element) {
  std::vector<std::string> values;
  for (const auto& address : element.addresses) {
    values.push_back(!address.email.empty() ? address.email : address.display_name);
  }
  return values;
}

class Mapper {
 public:
  Mapper(model::Rule& rule, std::vector<model::Finding>& findings) : rule_(rule), findings_(findings) {}

  void finding(std::string kind, model::Severity severity, const ClientRuleElement& element, std::string why) {
    findings_.push_back(model::Finding{std::move(kind), severity, rule_.provenance,
                                       std::string(kField) + " " + element.name, element.name, "",
                                       "rule \"" + rule_.name + "\": " + std::move(why), false});
  }

  void keepRaw(const ClientRuleElement& element, const std::string& why) {
    char id[16];
    std::snprintf(id, sizeof id, "0x%03X", static_cast<unsigned>(element.id));
    rule_.undecoded.push_back(
        model::RawRulePart{std::string(kField) + " element " + id + " " + element.name, element.raw, why});
  }

  model::RuleCondition condition(const ClientRuleElement& element) {
    using Kind = model::RuleConditionKind;
    const std::uint32_t base = element.role == ClientElementRole::kException ? element.id - rwz::kExceptionOffset
                                                                             : element.id;
    model::RuleCondition out;
    auto with = [&](Kind kind, std::vector<std::string> values, std::string description) {
      out.kind = kind;
      out.values = std::move(values);
      out.description = std::move(description);
      return out;
    };
    switch (base) {
      case rwz::kNameInTo: return with(Kind::kSentToMe, {}, "my name is in the To box");
      case rwz::kSentOnlyToMe: return with(Kind::kSentOnlyToMe, {}, "sent only to me");
      case rwz::kNameInCc: return with(Kind::kCcMe, {}, "my name is in the Cc box");
      case rwz::kFrom:
        return with(Kind::kFrom, addressValues(element), "from " + join(addressValues(element), " or "));
      case rwz::kSentTo:
        return with(Kind::kSentTo, addressValues(element), "sent to " + join(addressValues(element), " or "));
      case rwz::kSenderAddressWords:
        return with(Kind::kFrom, element.texts, "sender's address contains " + join(element.texts, " or "));
      case rwz::kRecipientAddressWords:
        return with(Kind::kSentTo, element.texts, "recipient's address contains " + join(element.texts, " or "));
      case rwz::kSubjectWords:
        return with(Kind::kSubjectContains, element.texts, "subject contains " + join(element.texts, " or "));
      case rwz::kBodyWords:
        return with(Kind::kBodyContains, element.texts, "body contains " + join(element.texts, " or "));
      case rwz::kSubjectOrBodyWords:
        return with(Kind::kSubjectOrBodyContains, element.texts,
                    "subject or body contains " + join(element.texts, " or "));
      case rwz::kHeaderWords:
        return with(Kind::kHeaderContains, element.texts, "message header contains " + join(element.texts, " or "));
      case rwz::kHasAttachment: return with(Kind::kHasAttachment, {}, "has an attachment");
      case rwz::kCategory:
        return with(Kind::kCategory, element.texts, "assigned to category " + join(element.texts, " or "));
      case rwz::kSizeRange:
        // Split by ruleFromClientRule into at-least / at-most; this is the at-most half.
        if (element.number2) {
          with(Kind::kSizeAtMost, {}, "size is at most " + std::to_string(*element.number2) + " KB");
          out.number = static_cast<std::int64_t>(*element.number2) * 1024;
          return out;
        }
        break;
      case rwz::kImportance:
        if (element.number && *element.number <= 2) {
          with(Kind::kImportance, {}, "importance is " + std::to_string(*element.number));
          out.number = *element.number;
          return out;
        }
        break;
      case rwz::kSensitivity:
        if (element.number && *element.number <= 3) {
          with(Kind::kSensitivity, {}, "sensitivity is " + std::to_string(*element.number));
          out.number = *element.number;
          return out;
        }
        break;
      default: break;
    }
    // No model kind: say what it was; the filter writer reports it as a gap.
    std::string description = element.name;
    std::vector<std::string> values = element.texts;
    if (base == rwz::kDateSpan) {
      values.clear();
      description = "received";
      if (element.after_date) {
        values.push_back(oleDateText(*element.after_date));
        description += " after " + values.back();
      }
      if (element.before_date) {
        values.push_back(oleDateText(*element.before_date));
        description += (element.after_date ? " and before " : " before ") + values.back();
      }
    } else if (base == rwz::kNameInToOrCc) {
      description = "my name is in the To or Cc box";
    } else if (base == rwz::kThroughAccount && !values.empty()) {
      values.resize(1);  // the account name; the second text is Outlook's account stamp
      description = "through account " + values.front();
    } else if (!values.empty()) {
      description += " " + join(values, " or ");
    }
    out = with(Kind::kOther, std::move(values), std::move(description));
    if (!element.raw.empty()) keepRaw(element, "no model condition for " + element.name);
    finding("rule.condition_not_mapped", model::Severity::kWarning, element,
            std::string(element.role == ClientElementRole::kException ? "exception" : "condition") + " \"" +
                out.description + "\" has no model counterpart");
    return out;
  }

  void action(const ClientRuleElement& element) {
    using Kind = model::RuleActionKind;
    model::RuleAction out;
    auto recipients = [&] {
      for (const auto& address : element.addresses) {
        out.recipients.push_back(model::Person{address.display_name, address.email, address.address_type});
      }
    };
    switch (element.id) {
      case rwz::kMoveToFolder:
      case rwz::kCopyToFolder:
        out.kind = element.id == rwz::kMoveToFolder ? Kind::kMove : Kind::kCopy;
        out.folder_entry_id = element.entry_id;
        out.store_entry_id = element.store_entry_id;
        out.value_text = element.texts.empty() ? std::string() : element.texts.front();  // the folder's name
        break;
      case rwz::kDelete: out.kind = Kind::kDelete; break;
      case rwz::kPermanentlyDelete:
        // A migration never destroys mail: Outlook's permanent delete becomes a move to Trash.
        out.kind = Kind::kDelete;
        finding("rule.permanent_delete_to_trash", model::Severity::kWarning, element,
                "\"permanently delete it\" is migrated as \"delete it\" (move to Trash)");
        break;
      case rwz::kForward: out.kind = Kind::kForward; recipients(); break;
      case rwz::kForwardAsAttachment: out.kind = Kind::kForwardAsAttachment; recipients(); break;
      case rwz::kRedirect: out.kind = Kind::kRedirect; recipients(); break;
      case rwz::kServerReply:
        out.kind = Kind::kReply;
        out.template_entry_id = element.entry_id;
        break;
      case rwz::kReplyWithTemplate:
        // The template is an .oft file on the Outlook machine, named by its path.
        out.kind = Kind::kReply;
        out.value_text = element.texts.empty() ? std::string() : element.texts.front();
        keepRaw(element, "reply template is a file on the Outlook machine: " + out.value_text);
        finding("rule.reply_template_file", model::Severity::kWarning, element,
                "reply uses the template file " + out.value_text + ", which is not in the source");
        break;
      case rwz::kMarkRead: out.kind = Kind::kMarkRead; break;
      case rwz::kMarkImportance:
        out.kind = Kind::kSetImportance;
        if (element.number) out.number = *element.number;
        break;
      case rwz::kMarkSensitivity:
        out.kind = Kind::kSetSensitivity;
        if (element.number) out.number = *element.number;
        break;
      case rwz::kFlagForAction:
      case rwz::kFlagForFollowUp:
        out.kind = Kind::kFlag;
        out.number = 2;  // PidTagFlagStatus followupFlagged
        out.value_text = element.texts.empty() ? std::string() : element.texts.front();  // "Follow up", ...
        break;
      case rwz::kAssignCategory:
        out.kind = Kind::kSetProperty;
        out.property = "Keywords";  // PidNameKeywords: the categories, ';'-separated here
        out.value_text = join(element.texts, ";");
        break;
      case rwz::kClearCategories:
        out.kind = Kind::kSetProperty;
        out.property = "Keywords";
        out.value_text.clear();
        break;
      case rwz::kStopProcessing:
        out.kind = Kind::kStopProcessing;
        rule_.stop_processing = true;
        break;
      default:
        // Play a sound, run a script, start an application, print, alerts, notifications, ...:
        // only Outlook itself can do these.
        out.kind = Kind::kDeferred;
        out.value_text = element.name;
        keepRaw(element, "Outlook client action \"" + element.name + "\" has no server equivalent");
        finding("rule.client_action_not_expressible", model::Severity::kWarning, element,
                "action \"" + element.name + (element.texts.empty() ? "" : " " + join(element.texts, ", ")) +
                    "\" runs only inside Outlook");
        break;
    }
    rule_.actions.push_back(std::move(out));
  }

 private:
  model::Rule& rule_;
  std::vector<model::Finding>& findings_;
};

}  // namespace

model::Rule ruleFromClientRule(const ClientRule& client, std::size_t index, const model::Provenance& where,
                               std::vector<model::Finding>& findings) {
  model::Rule rule;
  rule.provenance = where;
  rule.provenance.entry_id = where.entry_id + (where.entry_id.empty() ? "" : "/") + "client-rule-" +
                             std::to_string(index + 1);
  rule.name = client.name;
  rule.enabled = client.enabled;
  rule.sequence = static_cast<std::int32_t>(index);
  rule.provider = "RuleOrganizer";
  Mapper mapper(rule, findings);
  std::vector<std::string> texts;
  // Outlook's size range (KB) is two model conditions in bytes; a zero minimum says nothing.
  auto add = [&](std::vector<model::RuleCondition>& to, const ClientRuleElement& element) {
    const std::uint32_t base = element.role == ClientElementRole::kException ? element.id - rwz::kExceptionOffset
                                                                             : element.id;
    if (base == rwz::kSizeRange && element.number && *element.number > 0) {
      to.push_back(model::RuleCondition{model::RuleConditionKind::kSizeAtLeast, {},
                                        static_cast<std::int64_t>(*element.number) * 1024,
                                        "size is at least " + std::to_string(*element.number) + " KB"});
    }
    to.push_back(mapper.condition(element));
  };
  for (const auto& element : client.conditions) {
    if (element.id == rwz::kOnThisMachineOnly) continue;  // where it runs, not what it matches
    add(rule.conditions, element);
  }
  for (const auto& element : client.exceptions) add(rule.exceptions, element);
  for (const auto& condition : rule.conditions) texts.push_back(condition.description);
  for (const auto& condition : rule.exceptions) texts.push_back("not (" + condition.description + ")");
  for (const auto& element : client.actions) mapper.action(element);
  rule.condition_text = join(texts, " and ");
  if (client.client_only) {
    findings.push_back(model::Finding{"rule.client_only", model::Severity::kInfo, rule.provenance, kField, "", "",
                                      "rule \"" + rule.name + "\" was marked \"on this computer only\"; the "
                                      "migrated rule runs on the server for every client",
                                      false});
  }
  if (!client.undecoded.empty()) {
    rule.undecoded.push_back(model::RawRulePart{kField, client.undecoded, client.undecoded_why});
    findings.push_back(model::Finding{"rule.client_elements_not_decoded", model::Severity::kWarning, rule.provenance,
                                      kField, std::to_string(client.undecoded.size()) + " bytes", "",
                                      "rule \"" + rule.name + "\": " + client.undecoded_why, false});
  }
  return rule;
}

std::vector<model::Rule> rulesFromClientStream(std::span<const std::uint8_t> data, const model::Provenance& where,
                                               std::vector<model::Finding>& findings) {
  std::vector<model::Rule> rules;
  auto parsed = parseRulesStream(data, kField);
  if (!parsed.ok()) {
    findings.push_back(model::Finding{"rule.client_stream_unreadable", model::Severity::kError, where, kField,
                                      std::to_string(data.size()) + " bytes", "", parsed.error().message, true});
    return rules;
  }
  for (std::size_t i = 0; i < parsed.value().size(); ++i) {
    rules.push_back(ruleFromClientRule(parsed.value()[i], i, where, findings));
  }
  return rules;
}

}  // namespace m2z::readers::mapi
