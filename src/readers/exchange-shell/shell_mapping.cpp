#include "readers/exchange-shell/shell_mapping.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "model/time.h"

namespace m2z::readers::exchange_shell {

namespace {

using model::RuleActionKind;
using model::RuleConditionKind;

model::Finding finding(const model::Provenance& item, std::string kind, model::Severity severity, std::string field,
                       std::string before, std::string after, std::string why) {
  return model::Finding{std::move(kind), severity, item, std::move(field), std::move(before), std::move(after),
                        std::move(why), false};
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trimmed(std::string_view text) {
  std::size_t first = 0;
  std::size_t last = text.size();
  while (first < last && std::isspace(static_cast<unsigned char>(text[first]))) ++first;
  while (last > first && std::isspace(static_cast<unsigned char>(text[last - 1]))) --last;
  return std::string(text.substr(first, last - first));
}

std::string clipped(const std::string& text) { return text.size() > 200 ? text.substr(0, 200) + "..." : text; }

bool isTrue(const ShellValue* value) { return value != nullptr && !value->nil && lower(trimmed(value->text)) == "true"; }

bool isSet(const ShellValue& value) {
  if (value.nil || value.values_lost) return !value.nil;
  if (value.is_list) return !value.items.empty();
  const std::string text = lower(trimmed(value.text));
  return !text.empty() && text != "false" && text != "0" && text != "none";
}

std::string shown(const ShellValue& value) {
  if (value.values_lost) return value.text;
  if (!value.is_list) return clipped(value.text);
  std::string out;
  for (const auto& item : value.items) out += (out.empty() ? "" : "; ") + item;
  return clipped(out);
}

// A multi-valued property's values: CLIXML lists as they are; a CSV cell one value per line.
std::vector<std::string> valuesOf(const ShellValue& value) {
  if (value.is_list) return value.items;
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at <= value.text.size()) {
    const std::size_t end = value.text.find('\n', at);
    std::string line = trimmed(std::string_view(value.text).substr(at, end == std::string::npos ? std::string::npos : end - at));
    if (!line.empty()) out.push_back(std::move(line));
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return out;
}

std::optional<int> digits(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<std::int64_t> importanceNumber(std::string_view text) {
  const std::string value = lower(trimmed(text));
  if (value == "low") return 0;
  if (value == "normal") return 1;
  if (value == "high") return 2;
  return std::nullopt;
}

// Exchange's sensitivity names; "CompanyConfidential" is its word for Confidential.
std::optional<std::int64_t> sensitivityNumber(std::string_view text) {
  const std::string value = lower(trimmed(text));
  if (value == "normal") return 0;
  if (value == "personal") return 1;
  if (value == "private") return 2;
  if (value == "companyconfidential" || value == "confidential") return 3;
  return std::nullopt;
}

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

// Properties that say nothing about what the rule or setting does (ids, validation state, the
// remoting session), or that repeat other properties (Description is the rule as prose).
constexpr std::array<std::string_view, 19> kBookkeeping{
    "Identity",       "RuleIdentity",       "MailboxOwnerId",        "Description", "IsValid",
    "ObjectState",    "RunspaceId",         "PSComputerName",        "PSShowComputerName",
    "PSSourceJobInstanceId", "SupportedByTask", "Legacy",            "OriginatingServer",
    "ExchangeVersion", "DistinguishedName", "Guid",                  "WhenChanged", "ErrorType",
    "ErrorTypeDescription"};

bool isBookkeeping(std::string_view name) {
  return std::find(kBookkeeping.begin(), kBookkeeping.end(), name) != kBookkeeping.end();
}

struct ConditionProperty {
  std::string_view name;
  RuleConditionKind kind;
  enum class Shape { kWords, kRecipients, kFlag, kImportance, kSensitivity, kSize } shape;
};

constexpr std::array<ConditionProperty, 14> kConditionProperties{{
    {"SubjectContainsWords", RuleConditionKind::kSubjectContains, ConditionProperty::Shape::kWords},
    {"BodyContainsWords", RuleConditionKind::kBodyContains, ConditionProperty::Shape::kWords},
    {"SubjectOrBodyContainsWords", RuleConditionKind::kSubjectOrBodyContains, ConditionProperty::Shape::kWords},
    {"HeaderContainsWords", RuleConditionKind::kHeaderContains, ConditionProperty::Shape::kWords},
    {"FromAddressContainsWords", RuleConditionKind::kFrom, ConditionProperty::Shape::kWords},
    {"RecipientAddressContainsWords", RuleConditionKind::kSentTo, ConditionProperty::Shape::kWords},
    {"From", RuleConditionKind::kFrom, ConditionProperty::Shape::kRecipients},
    {"SentTo", RuleConditionKind::kSentTo, ConditionProperty::Shape::kRecipients},
    {"HasAttachment", RuleConditionKind::kHasAttachment, ConditionProperty::Shape::kFlag},
    {"MyNameInToBox", RuleConditionKind::kSentToMe, ConditionProperty::Shape::kFlag},
    {"SentOnlyToMe", RuleConditionKind::kSentOnlyToMe, ConditionProperty::Shape::kFlag},
    {"MyNameInCcBox", RuleConditionKind::kCcMe, ConditionProperty::Shape::kFlag},
    {"WithImportance", RuleConditionKind::kImportance, ConditionProperty::Shape::kImportance},
    {"WithSensitivity", RuleConditionKind::kSensitivity, ConditionProperty::Shape::kSensitivity},
}};

// Conditions Exchange has but a filter cannot express.
constexpr std::array<std::string_view, 9> kOtherConditions{
    "FlaggedForAction", "FromSubscription", "HasClassification", "MessageTypeMatches", "MyNameInToOrCcBox",
    "MyNameNotInToBox", "ReceivedAfterDate", "ReceivedBeforeDate", "WithinDateRange"};

class RuleMapper {
 public:
  RuleMapper(const ShellRecord& record, const model::Provenance& item, std::vector<model::Finding>& findings)
      : record_(record), item_(item), findings_(findings) {}

  model::Rule map() {
    model::Rule rule;
    rule.provenance = item_;
    rule.source = model::RuleSource::kServerRule;
    if (const ShellValue* name = record_.field("Name")) rule.name = name->text;
    name_ = rule.name;
    rule.enabled = isTrue(record_.field("Enabled"));
    if (const ShellValue* priority = record_.field("Priority")) rule.sequence = digits(trimmed(priority->text)).value_or(0);
    for (const auto& [name, value] : record_.fields) {
      if (name == "Name" || name == "Enabled" || name == "Priority" || isBookkeeping(name)) continue;
      if (name == "InError") {
        if (isTrue(&value)) {
          findings_.push_back(finding(item_, "rule.in_error", model::Severity::kWarning, name, "True", "",
                                      "Exchange marks rule \"" + name_ + "\" as in error; it is carried over as read"));
        }
        continue;
      }
      if (!isSet(value)) continue;
      const bool exception = name.rfind("ExceptIf", 0) == 0;
      const std::string base = exception ? name.substr(8) : name;
      auto& list = exception ? rule.exceptions : rule.conditions;
      if (mapCondition(name, base, value, list)) continue;
      if (!exception && mapAction(name, value, rule)) continue;
      findings_.push_back(finding(item_, "shell.property_not_carried", model::Severity::kInfo, name, shown(value), "",
                                  "rule \"" + name_ + "\": the property " + name + " has no place in the target"));
    }
    if (rule.actions.empty() && !rule.stop_processing) {
      findings_.push_back(finding(item_, "rule.actions_missing", model::Severity::kWarning, "actions", "", "",
                                  "rule \"" + name_ + "\" has no action a filter can carry out"));
    }
    finish(rule);
    return rule;
  }

 private:
  // A value Export-Csv could not write: the condition stays, as one a filter cannot express.
  bool lost(const std::string& name, const ShellValue& value, std::vector<model::RuleCondition>& list) {
    if (!value.values_lost) return false;
    list.push_back(model::RuleCondition{RuleConditionKind::kOther, {}, std::nullopt, name + " (values not exported)"});
    findings_.push_back(finding(item_, "shell.values_lost", model::Severity::kWarning, name, value.text, "",
                                "rule \"" + name_ + "\": Export-Csv wrote the collection's type name instead of its "
                                "values; export with Export-Clixml (or join the values) to carry them over"));
    return true;
  }

  bool mapCondition(const std::string& name, const std::string& base, const ShellValue& value,
                    std::vector<model::RuleCondition>& list) {
    if (base == "WithinSizeRangeMinimum" || base == "WithinSizeRangeMaximum") {
      const auto bytes = byteSizeOf(value.text);
      if (!bytes) {
        unreadable(name, value);
        return true;
      }
      list.push_back(condition(base == "WithinSizeRangeMinimum" ? RuleConditionKind::kSizeAtLeast
                                                                : RuleConditionKind::kSizeAtMost,
                               {}, *bytes));
      return true;
    }
    if (std::find(kOtherConditions.begin(), kOtherConditions.end(), base) != kOtherConditions.end()) {
      list.push_back(model::RuleCondition{RuleConditionKind::kOther, {}, std::nullopt, name + " " + shown(value)});
      findings_.push_back(finding(item_, "rule.condition_not_mapped", model::Severity::kWarning, name, shown(value), "",
                                  "rule \"" + name_ + "\" tests " + name + ", which a filter cannot express; it is "
                                  "kept as text"));
      return true;
    }
    const auto known = std::find_if(kConditionProperties.begin(), kConditionProperties.end(),
                                    [&](const ConditionProperty& p) { return p.name == base; });
    if (known == kConditionProperties.end()) return false;
    if (lost(name, value, list)) return true;
    switch (known->shape) {
      case ConditionProperty::Shape::kWords:
        list.push_back(condition(known->kind, valuesOf(value)));
        break;
      case ConditionProperty::Shape::kRecipients: {
        std::vector<std::string> addresses;
        for (const auto& text : valuesOf(value)) {
          const model::Person person = parseRecipient(text);
          addresses.push_back(person.email.empty() ? person.display_name : person.email);
        }
        list.push_back(condition(known->kind, std::move(addresses)));
        break;
      }
      case ConditionProperty::Shape::kFlag:
        if (isTrue(&value)) list.push_back(condition(known->kind));
        break;
      case ConditionProperty::Shape::kImportance:
      case ConditionProperty::Shape::kSensitivity: {
        const auto number = known->shape == ConditionProperty::Shape::kImportance ? importanceNumber(value.text)
                                                                                  : sensitivityNumber(value.text);
        if (!number) {
          unreadable(name, value);
        } else {
          list.push_back(condition(known->kind, {}, number));
        }
        break;
      }
      case ConditionProperty::Shape::kSize:
        break;
    }
    return true;
  }

  bool mapAction(const std::string& name, const ShellValue& value, model::Rule& rule) {
    model::RuleAction action;
    if (name == "MoveToFolder" || name == "CopyToFolder") {
      action.kind = name == "MoveToFolder" ? RuleActionKind::kMove : RuleActionKind::kCopy;
      action.folder_path = folderPathOf(value.text);
      if (action.folder_path.empty()) {
        findings_.push_back(finding(item_, "rule.folder_unresolved", model::Severity::kWarning, name, shown(value), "",
                                    "rule \"" + name_ + "\": the folder is not named by a path; the target folder "
                                    "must be chosen by hand"));
      }
    } else if (name == "DeleteMessage") {
      // Get-InboxRule's DeleteMessage moves to Deleted Items, as EWS Delete does.
      action.kind = RuleActionKind::kMove;
      action.folder_path = "/Deleted Items";
    } else if (name == "SoftDeleteMessage") {
      action.kind = RuleActionKind::kDelete;
    } else if (name == "ForwardTo" || name == "ForwardAsAttachmentTo" || name == "RedirectTo") {
      action.kind = name == "ForwardTo"               ? RuleActionKind::kForward
                    : name == "ForwardAsAttachmentTo" ? RuleActionKind::kForwardAsAttachment
                                                      : RuleActionKind::kRedirect;
      if (value.values_lost) {
        findings_.push_back(finding(item_, "shell.values_lost", model::Severity::kWarning, name, value.text, "",
                                    "rule \"" + name_ + "\": Export-Csv wrote the collection's type name instead of "
                                    "the recipients; the action is left out"));
        return true;
      }
      for (const auto& text : valuesOf(value)) action.recipients.push_back(parseRecipient(text));
    } else if (name == "MarkAsRead") {
      if (!isTrue(&value)) return true;
      action.kind = RuleActionKind::kMarkRead;
    } else if (name == "MarkImportance") {
      action.number = importanceNumber(value.text);
      if (!action.number) {
        unreadable(name, value);
        return true;
      }
      action.kind = RuleActionKind::kSetImportance;
    } else if (name == "ApplyCategory") {
      for (auto& category : valuesOf(value)) {
        model::RuleAction assign;
        assign.kind = RuleActionKind::kSetProperty;
        assign.property = "Keywords";
        assign.value_text = std::move(category);
        rule.actions.push_back(std::move(assign));
      }
      return true;
    } else if (name == "StopProcessingRules") {
      rule.stop_processing = isTrue(&value);
      return true;
    } else if (name == "SendTextMessageNotificationTo" || name == "PinMessage" || name == "ApplySystemCategory" ||
               name == "DeleteSystemCategory") {
      findings_.push_back(finding(item_, "rule.action_not_mapped", model::Severity::kWarning, name, shown(value), "",
                                  "rule \"" + name_ + "\" does " + name + ", which a filter cannot do; it is left out"));
      return true;
    } else {
      return false;
    }
    rule.actions.push_back(std::move(action));
    return true;
  }

  void unreadable(const std::string& name, const ShellValue& value) {
    findings_.push_back(finding(item_, "shell.value_unreadable", model::Severity::kWarning, name, shown(value), "",
                                "rule \"" + name_ + "\": the value is not in a known form; it is left out"));
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

  const ShellRecord& record_;
  const model::Provenance& item_;
  std::vector<model::Finding>& findings_;
  std::string name_;
};

struct ShellDateTime {
  model::LocalDateTime local;
  std::optional<int> offset_minutes;
};

// ISO 8601 as CLIXML writes it ("2026-12-21T09:00:00.0000000+01:00", "...Z", or no zone), or the
// en-US text Export-Csv writes ("12/21/2026 9:00:00 AM").
std::optional<ShellDateTime> dateTimeOf(std::string_view text) {
  const std::string value = trimmed(text);
  ShellDateTime out;
  if (value.size() >= 19 && value[4] == '-' && value[7] == '-' && value[10] == 'T' && value[13] == ':' &&
      value[16] == ':') {
    const auto year = digits(value.substr(0, 4));
    const auto month = digits(value.substr(5, 2));
    const auto day = digits(value.substr(8, 2));
    const auto hour = digits(value.substr(11, 2));
    const auto minute = digits(value.substr(14, 2));
    const auto second = digits(value.substr(17, 2));
    if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
    out.local = model::LocalDateTime{model::CivilDate{*year, *month, *day}, *hour, *minute, *second};
    std::string_view rest = std::string_view(value).substr(19);
    if (!rest.empty() && rest[0] == '.') {
      std::size_t end = 1;
      while (end < rest.size() && std::isdigit(static_cast<unsigned char>(rest[end]))) ++end;
      rest.remove_prefix(end);
    }
    if (rest == "Z") {
      out.offset_minutes = 0;
    } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
      const auto h = digits(rest.substr(1, 2));
      const auto m = digits(rest.substr(4, 2));
      if (!h || !m) return std::nullopt;
      out.offset_minutes = (rest[0] == '-' ? -1 : 1) * (*h * 60 + *m);
    } else if (!rest.empty()) {
      return std::nullopt;
    }
  } else {
    // M/d/yyyy h:mm:ss AM|PM
    const std::size_t slash1 = value.find('/');
    const std::size_t slash2 = value.find('/', slash1 == std::string::npos ? 0 : slash1 + 1);
    const std::size_t space = value.find(' ');
    if (slash1 == std::string::npos || slash2 == std::string::npos || space == std::string::npos || space < slash2) {
      return std::nullopt;
    }
    const auto month = digits(value.substr(0, slash1));
    const auto day = digits(value.substr(slash1 + 1, slash2 - slash1 - 1));
    const auto year = digits(value.substr(slash2 + 1, space - slash2 - 1));
    std::string clock = value.substr(space + 1);
    bool pm = false;
    bool am = false;
    if (clock.size() > 3 && (clock.substr(clock.size() - 3) == " PM" || clock.substr(clock.size() - 3) == " AM")) {
      pm = clock.substr(clock.size() - 2) == "PM";
      am = !pm;
      clock.resize(clock.size() - 3);
    }
    const std::size_t colon1 = clock.find(':');
    const std::size_t colon2 = clock.find(':', colon1 == std::string::npos ? 0 : colon1 + 1);
    if (colon1 == std::string::npos || colon2 == std::string::npos) return std::nullopt;
    auto hour = digits(clock.substr(0, colon1));
    const auto minute = digits(clock.substr(colon1 + 1, colon2 - colon1 - 1));
    const auto second = digits(clock.substr(colon2 + 1));
    if (!month || !day || !year || !hour || !minute || !second) return std::nullopt;
    if ((am || pm) && (*hour < 1 || *hour > 12)) return std::nullopt;
    if (pm && *hour != 12) *hour += 12;
    if (am && *hour == 12) *hour = 0;
    out.local = model::LocalDateTime{model::CivilDate{*year, *month, *day}, *hour, *minute, *second};
  }
  if (!out.local.date.isValid() || out.local.hour > 23 || out.local.minute > 59 || out.local.second > 60) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

model::Person parseRecipient(std::string_view text) {
  model::Person person;
  std::string value = trimmed(text);
  const std::size_t open = value.rfind('[');
  if (open != std::string::npos && !value.empty() && value.back() == ']') {
    const std::string inner = value.substr(open + 1, value.size() - open - 2);
    const std::size_t colon = inner.find(':');
    if (colon != std::string::npos) {
      person.address_type = inner.substr(0, colon);
      person.email = inner.substr(colon + 1);
    } else {
      person.email = inner;
    }
    std::string name = trimmed(std::string_view(value).substr(0, open));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
    person.display_name = name;
  } else if (value.find('@') != std::string::npos && value.find(' ') == std::string::npos) {
    person.email = value;
  } else {
    person.display_name = value;
  }
  if (person.address_type.empty() && !person.email.empty()) person.address_type = "SMTP";
  return person;
}

std::string folderPathOf(std::string_view text) {
  std::string value = trimmed(text);
  if (const std::size_t mailbox = value.find(":\\"); mailbox != std::string::npos) {
    value = value.substr(mailbox + 2);
  } else if (value.find('\\') == std::string::npos && value.find(' ') == std::string::npos && value.size() > 40) {
    return {};  // a folder id ("LgAAAAB..."), not a path
  }
  std::string out;
  std::size_t at = 0;
  while (at <= value.size()) {
    const std::size_t end = value.find('\\', at);
    const std::string part = value.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (!part.empty()) out += "/" + part;
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return out;
}

std::optional<std::int64_t> byteSizeOf(std::string_view text) {
  const std::string value = trimmed(text);
  const auto number = [](std::string_view part) -> std::optional<std::int64_t> {
    std::int64_t out = 0;
    bool any = false;
    for (char c : part) {
      if (c == ',' || c == '.' || c == ' ' || c == '\xA0') continue;  // group separators of any culture
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      if (out > (std::int64_t{1} << 50)) return std::nullopt;
      out = out * 10 + (c - '0');
      any = true;
    }
    return any ? std::optional<std::int64_t>(out) : std::nullopt;
  };
  const std::size_t open = value.find('(');
  const std::size_t bytes = value.find(" bytes)");
  if (open != std::string::npos && bytes != std::string::npos && bytes > open) {
    return number(std::string_view(value).substr(open + 1, bytes - open - 1));
  }
  return number(value);
}

std::string htmlToText(std::string_view html) {
  std::string out;
  std::size_t at = 0;
  while (at < html.size()) {
    if (html[at] == '<') {
      const std::size_t close = html.find('>', at);
      if (close == std::string_view::npos) break;
      const std::string tag = lower(html.substr(at + 1, std::min<std::size_t>(close - at - 1, 4)));
      if (tag.rfind("br", 0) == 0 || tag.rfind("/p", 0) == 0 || tag.rfind("/div", 0) == 0) out += '\n';
      at = close + 1;
      continue;
    }
    static constexpr std::array<std::pair<std::string_view, char>, 6> kEntities{
        {{"&nbsp;", ' '}, {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}}};
    bool replaced = false;
    for (const auto& [entity, character] : kEntities) {
      if (html.substr(at, entity.size()) == entity) {
        out += character;
        at += entity.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += html[at++];
  }
  return trimmed(out);
}

model::Rule mapInboxRule(const ShellRecord& record, const model::Provenance& item, std::vector<model::Finding>& findings) {
  return RuleMapper(record, item, findings).map();
}

model::OofSettings mapAutoReplyConfiguration(const ShellRecord& record, const model::Provenance& item,
                                             const MappingOptions& options, std::vector<model::Finding>& findings) {
  model::OofSettings settings;
  settings.provenance = item;
  const ShellValue* state_value = record.field("AutoReplyState");
  const std::string state = state_value == nullptr ? "" : trimmed(state_value->text);
  if (state == "Enabled" || state == "Scheduled") settings.enabled = true;
  if (state == "Disabled") settings.enabled = false;
  if (!settings.enabled) {
    findings.push_back(finding(item, "oof.state_unknown", model::Severity::kWarning, "AutoReplyState", state, "",
                               "AutoReplyState is not Enabled, Disabled or Scheduled; the state is left unknown"));
  }
  const ShellValue* audience_value = record.field("ExternalAudience");
  const std::string audience = audience_value == nullptr ? "" : trimmed(audience_value->text);
  if (audience == "None") settings.external_audience = model::OofExternalAudience::kNone;
  if (audience == "Known") settings.external_audience = model::OofExternalAudience::kKnownSenders;
  if (audience == "All") settings.external_audience = model::OofExternalAudience::kAll;
  if (settings.external_audience == model::OofExternalAudience::kUnknown) {
    findings.push_back(finding(item, "oof.audience_unknown", model::Severity::kInfo, "ExternalAudience", audience, "",
                               "ExternalAudience is not None, Known or All"));
  }
  const auto instant = [&](const char* name) -> std::optional<model::Instant> {
    const ShellValue* value = record.field(name);
    if (value == nullptr || value->nil) return std::nullopt;
    const auto parsed = dateTimeOf(value->text);
    if (!parsed) {
      findings.push_back(finding(item, "shell.value_unreadable", model::Severity::kWarning, name, clipped(value->text),
                                 "", "not a date and time in ISO 8601 or en-US form; the period is left out"));
      return std::nullopt;
    }
    if (parsed->offset_minutes) return model::fromLocal(parsed->local, *parsed->offset_minutes);
    const int offset = options.exporter_offset_minutes.value_or(0);
    if (!options.exporter_offset_minutes) {
      findings.push_back(finding(item, "oof.time_zone_assumed", model::Severity::kWarning, name, value->text,
                                 model::toIsoString(model::fromLocal(parsed->local, 0)),
                                 "the export gives a wall time without a zone (the exporting machine's); UTC was "
                                 "assumed"));
    }
    return model::fromLocal(parsed->local, offset);
  };
  if (state == "Scheduled") {
    settings.start = instant("StartTime");
    settings.end = instant("EndTime");
  } else if (const ShellValue* start = record.field("StartTime"); start != nullptr && !start->nil) {
    findings.push_back(finding(item, "oof.schedule_not_in_force", model::Severity::kInfo, "StartTime", start->text, "",
                               "the state is " + state + ", so the stored period is not used"));
  }
  const auto message = [&](const char* name) -> std::optional<std::string> {
    const ShellValue* value = record.field(name);
    if (value == nullptr) return std::nullopt;
    if (value->nil) return std::string();
    return htmlToText(value->text);
  };
  settings.internal_reply = message("InternalMessage");
  settings.external_reply = message("ExternalMessage");
  for (const auto& [name, value] : record.fields) {
    if (name == "AutoReplyState" || name == "ExternalAudience" || name == "StartTime" || name == "EndTime" ||
        name == "InternalMessage" || name == "ExternalMessage" || isBookkeeping(name) || !isSet(value)) {
      continue;
    }
    findings.push_back(finding(item, "shell.property_not_carried", model::Severity::kInfo, name, shown(value), "",
                               "the auto-reply property " + name + " has no place in the target"));
  }
  return settings;
}

}  // namespace m2z::readers::exchange_shell
