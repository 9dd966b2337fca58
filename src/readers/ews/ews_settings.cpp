#include "readers/ews/ews_settings.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "readers/ews/ews_values.h"

namespace m2z::readers::ews {

namespace {

using model::RuleActionKind;
using model::RuleConditionKind;

model::Finding finding(const model::Provenance& item, std::string kind, model::Severity severity, std::string field,
                       std::string before, std::string after, std::string why) {
  return model::Finding{std::move(kind), severity, item, std::move(field), std::move(before), std::move(after),
                        std::move(why), false};
}

// The condition as text for audits; built from the model values only, so every reader of the same
// rule writes the same text.
std::string describe(const model::RuleCondition& condition) {
  std::string text = model::toString(condition.kind);
  if (condition.number) text += " " + std::to_string(*condition.number);
  for (std::size_t i = 0; i < condition.values.size(); ++i) text += (i == 0 ? " \"" : ", \"") + condition.values[i] + "\"";
  return text;
}

model::RuleCondition condition(RuleConditionKind kind, std::vector<std::string> values = {},
                               std::optional<std::int64_t> number = std::nullopt) {
  model::RuleCondition out{kind, std::move(values), number, ""};
  out.description = describe(out);
  return out;
}

std::vector<std::string> strings(const xml::Element& element) {
  std::vector<std::string> out;
  for (const xml::Element* text : element.childrenNamed("String")) out.push_back(text->text);
  return out;
}

// EmailAddressType entries of an ArrayOfEmailAddressesType.
std::vector<model::Person> people(const xml::Element& element) {
  std::vector<model::Person> out;
  for (const auto& address : element.children) {
    model::Person person;
    person.display_name = childText(address, "Name");
    person.email = childText(address, "EmailAddress");
    person.address_type = childText(address, "RoutingType");
    if (person.address_type.empty()) person.address_type = "SMTP";
    out.push_back(std::move(person));
  }
  return out;
}

std::vector<std::string> addresses(const xml::Element& element) {
  std::vector<std::string> out;
  for (const auto& person : people(element)) out.push_back(person.email.empty() ? person.display_name : person.email);
  return out;
}

std::optional<std::int64_t> importanceNumber(const std::string& text) {
  if (text == "Low") return 0;
  if (text == "Normal") return 1;
  if (text == "High") return 2;
  return std::nullopt;
}

std::optional<std::int64_t> sensitivityNumber(const std::string& text) {
  if (text == "Normal") return 0;
  if (text == "Personal") return 1;
  if (text == "Private") return 2;
  if (text == "Confidential") return 3;
  return std::nullopt;
}

// Well-known folders by their DistinguishedFolderId, as paths under the mailbox's top.
std::string distinguishedFolderPath(const std::string& id) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kFolders{{
      {"inbox", "/Inbox"},
      {"deleteditems", "/Deleted Items"},
      {"junkemail", "/Junk Email"},
      {"drafts", "/Drafts"},
      {"sentitems", "/Sent Items"},
      {"outbox", "/Outbox"},
      {"archive", "/Archive"},
      {"notes", "/Notes"},
  }};
  for (const auto& [name, path] : kFolders) {
    if (name == id) return std::string(path);
  }
  return {};
}

class RuleConverter {
 public:
  RuleConverter(const model::Provenance& item, std::vector<model::Finding>& findings) : item_(item), findings_(findings) {}

  void predicates(const xml::Element& element, std::vector<model::RuleCondition>& out, const std::string& where) {
    for (const auto& child : element.children) {
      const std::string& name = child.name;
      if (name == "ContainsSubjectStrings") {
        out.push_back(condition(RuleConditionKind::kSubjectContains, strings(child)));
      } else if (name == "ContainsBodyStrings") {
        out.push_back(condition(RuleConditionKind::kBodyContains, strings(child)));
      } else if (name == "ContainsHeaderStrings") {
        out.push_back(condition(RuleConditionKind::kHeaderContains, strings(child)));
      } else if (name == "ContainsSubjectOrBodyStrings") {
        out.push_back(condition(RuleConditionKind::kSubjectOrBodyContains, strings(child)));
      } else if (name == "ContainsSenderStrings") {
        out.push_back(condition(RuleConditionKind::kFrom, strings(child)));
      } else if (name == "ContainsRecipientStrings") {
        out.push_back(condition(RuleConditionKind::kSentTo, strings(child)));
      } else if (name == "FromAddresses") {
        out.push_back(condition(RuleConditionKind::kFrom, addresses(child)));
      } else if (name == "SentToAddresses") {
        out.push_back(condition(RuleConditionKind::kSentTo, addresses(child)));
      } else if (name == "Categories") {
        out.push_back(condition(RuleConditionKind::kCategory, strings(child)));
      } else if ((name == "SentToMe" || name == "SentOnlyToMe" || name == "SentCcMe" || name == "HasAttachments") &&
                 isTrue(child.text)) {
        out.push_back(condition(name == "SentToMe"       ? RuleConditionKind::kSentToMe
                                : name == "SentOnlyToMe" ? RuleConditionKind::kSentOnlyToMe
                                : name == "SentCcMe"     ? RuleConditionKind::kCcMe
                                                         : RuleConditionKind::kHasAttachment));
      } else if (name == "Importance" && importanceNumber(child.text)) {
        out.push_back(condition(RuleConditionKind::kImportance, {}, importanceNumber(child.text)));
      } else if (name == "Sensitivity" && sensitivityNumber(child.text)) {
        out.push_back(condition(RuleConditionKind::kSensitivity, {}, sensitivityNumber(child.text)));
      } else if (name == "WithinSizeRange") {
        // Sizes are in kilobytes ([MS-OXWSRULES] 2.2.4.3 SizeRangeType).
        if (const auto minimum = digits(childText(child, "MinimumSize"))) {
          out.push_back(condition(RuleConditionKind::kSizeAtLeast, {}, std::int64_t{*minimum} * 1024));
        }
        if (const auto maximum = digits(childText(child, "MaximumSize"))) {
          out.push_back(condition(RuleConditionKind::kSizeAtMost, {}, std::int64_t{*maximum} * 1024));
        }
      } else if ((name == "SentToMe" || name == "SentOnlyToMe" || name == "SentCcMe" || name == "HasAttachments") &&
                 !isTrue(child.text)) {
        // "false" tests nothing.
      } else {
        model::RuleCondition other{RuleConditionKind::kOther, {}, std::nullopt, name + " " + summary(child)};
        out.push_back(other);
        undecoded_.push_back(model::RawRulePart{where + "/" + name, bytesOf(xml::toCanonicalText(child)),
                                                "no filter counterpart"});
        findings_.push_back(finding(item_, "rule.condition_not_mapped", model::Severity::kWarning, where + "/" + name,
                                    summary(child), "", "rule \"" + rule_name_ + "\" tests " + name +
                                                            ", which a filter cannot express; it is kept as text"));
      }
    }
  }

  void actions(const xml::Element& element, model::Rule& rule) {
    for (const auto& child : element.children) {
      const std::string& name = child.name;
      model::RuleAction action;
      if (name == "MoveToFolder" || name == "CopyToFolder") {
        action.kind = name == "MoveToFolder" ? RuleActionKind::kMove : RuleActionKind::kCopy;
        if (const xml::Element* distinguished = child.child("DistinguishedFolderId")) {
          action.folder_path = distinguishedFolderPath(distinguished->attributeOr("Id", ""));
        }
        if (action.folder_path.empty()) {
          const xml::Element* id = child.children.empty() ? nullptr : &child.children.front();
          const std::string text = id == nullptr ? "" : id->name + " " + id->attributeOr("Id", "");
          undecoded_.push_back(model::RawRulePart{"Actions/" + name, bytesOf(text),
                                                  "an EWS folder id, which names no folder path"});
          findings_.push_back(finding(item_, "rule.folder_unresolved", model::Severity::kWarning, "Actions/" + name,
                                      text, "", "rule \"" + rule_name_ +
                                                    "\": the response names the folder by an EWS id only; the "
                                                    "target folder must be chosen by hand"));
        }
      } else if (name == "Delete") {
        if (!isTrue(child.text)) continue;
        // EWS Delete moves to Deleted Items ([MS-OXWSRULES] 2.2.4.1); PermanentDelete deletes.
        action.kind = RuleActionKind::kMove;
        action.folder_path = "/Deleted Items";
      } else if (name == "PermanentDelete") {
        if (!isTrue(child.text)) continue;
        action.kind = RuleActionKind::kDelete;
      } else if (name == "ForwardToRecipients" || name == "ForwardAsAttachmentToRecipients" ||
                 name == "RedirectToRecipients") {
        action.kind = name == "ForwardToRecipients"               ? RuleActionKind::kForward
                      : name == "ForwardAsAttachmentToRecipients" ? RuleActionKind::kForwardAsAttachment
                                                                  : RuleActionKind::kRedirect;
        action.recipients = people(child);
      } else if (name == "MarkAsRead") {
        if (!isTrue(child.text)) continue;
        action.kind = RuleActionKind::kMarkRead;
      } else if (name == "MarkImportance" && importanceNumber(child.text)) {
        action.kind = RuleActionKind::kSetImportance;
        action.number = importanceNumber(child.text);
      } else if (name == "AssignCategories") {
        for (auto& category : strings(child)) {
          model::RuleAction assign;
          assign.kind = RuleActionKind::kSetProperty;
          assign.property = "Keywords";
          assign.value_text = std::move(category);
          rule.actions.push_back(std::move(assign));
        }
        continue;
      } else if (name == "StopProcessingRules") {
        rule.stop_processing = isTrue(child.text);
        continue;
      } else if (name == "ServerReplyWithMessage") {
        action.kind = RuleActionKind::kReply;
        const xml::Element* id = child.child("ItemId");
        const std::string text = id == nullptr ? "" : id->attributeOr("Id", "");
        undecoded_.push_back(model::RawRulePart{"Actions/ServerReplyWithMessage", bytesOf(text),
                                                "the reply template is named by an EWS item id"});
        findings_.push_back(finding(item_, "rule.reply_template_not_carried", model::Severity::kWarning,
                                    "Actions/ServerReplyWithMessage", text, "",
                                    "rule \"" + rule_name_ +
                                        "\": the reply text lives in a separate message the response does not hold"));
      } else {
        undecoded_.push_back(model::RawRulePart{"Actions/" + name, bytesOf(xml::toCanonicalText(child)),
                                                "no filter counterpart"});
        findings_.push_back(finding(item_, "rule.action_not_mapped", model::Severity::kWarning, "Actions/" + name,
                                    summary(child), "", "rule \"" + rule_name_ + "\" does " + name +
                                                            ", which a filter cannot do; it is left out"));
        continue;
      }
      rule.actions.push_back(std::move(action));
    }
  }

  model::Rule convert(const xml::Element& element) {
    model::Rule rule;
    rule.provenance = item_;
    rule.source = model::RuleSource::kServerRule;
    rule.name = childText(element, "DisplayName");
    rule_name_ = rule.name;
    rule.sequence = digits(childText(element, "Priority")).value_or(0);
    rule.enabled = isTrue(childText(element, "IsEnabled"));
    if (const xml::Element* conditions = element.child("Conditions")) predicates(*conditions, rule.conditions, "Conditions");
    if (const xml::Element* exceptions = element.child("Exceptions")) predicates(*exceptions, rule.exceptions, "Exceptions");
    if (const xml::Element* actions_element = element.child("Actions")) actions(*actions_element, rule);
    if (rule.actions.empty() && !rule.stop_processing) {
      findings_.push_back(finding(item_, "rule.actions_missing", model::Severity::kWarning, "Actions", "", "",
                                  "rule \"" + rule.name + "\" has no action a filter can carry out"));
    }
    if (isTrue(childText(element, "IsInError"))) {
      findings_.push_back(finding(item_, "rule.in_error", model::Severity::kWarning, "IsInError", "true", "",
                                  "Exchange marks rule \"" + rule.name + "\" as in error; it is carried over as read"));
    }
    finish(rule);
    rule.undecoded = std::move(undecoded_);
    return rule;
  }

  static void finish(model::Rule& rule) {
    const auto by_kind = [](const model::RuleCondition& a, const model::RuleCondition& b) { return a.kind < b.kind; };
    std::stable_sort(rule.conditions.begin(), rule.conditions.end(), by_kind);
    std::stable_sort(rule.exceptions.begin(), rule.exceptions.end(), by_kind);
    std::stable_sort(rule.actions.begin(), rule.actions.end(),
                     [](const model::RuleAction& a, const model::RuleAction& b) { return a.kind < b.kind; });
    if (rule.stop_processing) {
      model::RuleAction stop;
      stop.kind = RuleActionKind::kStopProcessing;
      rule.actions.push_back(std::move(stop));
    }
    for (std::size_t i = 0; i < rule.conditions.size(); ++i) {
      rule.condition_text += (i == 0 ? "" : " and ") + rule.conditions[i].description;
    }
    for (const auto& exception : rule.exceptions) {
      rule.condition_text += (rule.condition_text.empty() ? "not " : " and not ") + exception.description;
    }
  }

 private:
  static std::string summary(const xml::Element& element) {
    std::string text = element.text;
    for (const auto& child : element.children) {
      if (text.size() > 200) break;
      text += (text.empty() ? "" : " ") + child.name + (child.text.empty() ? "" : "=" + child.text);
    }
    return text.size() > 200 ? text.substr(0, 200) + "..." : text;
  }

  static std::vector<std::uint8_t> bytesOf(const std::string& text) { return {text.begin(), text.end()}; }

  const model::Provenance& item_;
  std::vector<model::Finding>& findings_;
  std::vector<model::RawRulePart> undecoded_;
  std::string rule_name_;
};

}  // namespace

model::Rule convertInboxRule(const xml::Element& element, const model::Provenance& item,
                             std::vector<model::Finding>& findings) {
  return RuleConverter(item, findings).convert(element);
}

model::OofSettings convertOofSettings(const xml::Element& element, const model::Provenance& item,
                                      std::vector<model::Finding>& findings) {
  model::OofSettings settings;
  settings.provenance = item;
  const std::string state = childText(element, "OofState");
  if (state == "Enabled" || state == "Scheduled") settings.enabled = true;
  if (state == "Disabled") settings.enabled = false;
  if (!settings.enabled) {
    findings.push_back(finding(item, "oof.state_unknown", model::Severity::kWarning, "OofState", state, "",
                               "OofState is not Enabled, Disabled or Scheduled; the state is left unknown"));
  }
  const std::string audience = childText(element, "ExternalAudience");
  if (audience == "None") settings.external_audience = model::OofExternalAudience::kNone;
  if (audience == "Known") settings.external_audience = model::OofExternalAudience::kKnownSenders;
  if (audience == "All") settings.external_audience = model::OofExternalAudience::kAll;
  if (settings.external_audience == model::OofExternalAudience::kUnknown) {
    findings.push_back(finding(item, "oof.audience_unknown", model::Severity::kInfo, "ExternalAudience", audience, "",
                               "ExternalAudience is not None, Known or All"));
  }
  if (const xml::Element* duration = element.child("Duration")) {
    const auto start = instantOf(childText(*duration, "StartTime"));
    const auto end = instantOf(childText(*duration, "EndTime"));
    if (state == "Scheduled") {
      settings.start = start;
      settings.end = end;
      if (!start || !end) {
        findings.push_back(finding(item, "oof.schedule_unreadable", model::Severity::kWarning, "Duration",
                                   childText(*duration, "StartTime") + " - " + childText(*duration, "EndTime"), "",
                                   "the scheduled period has no readable start or end"));
      }
    } else {
      findings.push_back(finding(item, "oof.schedule_not_in_force", model::Severity::kInfo, "Duration",
                                 childText(*duration, "StartTime") + " - " + childText(*duration, "EndTime"), "",
                                 "the state is " + state + ", so the stored period is not used"));
    }
  }
  // Message is xs:string; Exchange 2010+ stores HTML in it.
  const auto reply = [](const xml::Element* parent) -> std::optional<std::string> {
    if (parent == nullptr) return std::nullopt;
    const xml::Element* message = parent->child("Message");
    if (message == nullptr) return std::string();
    return looksLikeHtml(message->text) ? htmlToText(message->text) : message->text;
  };
  settings.internal_reply = reply(element.child("InternalReply"));
  settings.external_reply = reply(element.child("ExternalReply"));
  return settings;
}

}  // namespace m2z::readers::ews
