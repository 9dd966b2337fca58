#include "zimbra/filter_rules.h"

#include <optional>
#include <utility>

#include "zimbra/soap.h"

namespace m2z::zimbra {

namespace {

using Attributes = xml::XmlWriter::Attributes;

// One Zimbra filter test, before its index is known.
struct Test {
  std::string element;
  Attributes attributes;
  bool negative = false;
};

Test headerContains(std::string header, std::string value) {
  return Test{"headerTest", {{"header", std::move(header)}, {"stringComparison", "contains"}, {"value", std::move(value)}}};
}

Test addressContains(std::string header, std::string value) {
  return Test{"addressTest",
              {{"header", std::move(header)}, {"part", "all"}, {"stringComparison", "contains"}, {"value", std::move(value)}}};
}

// Stands for a condition Zimbra cannot express. Never negated: the rule then matches nothing.
Test placeholder(const model::RuleCondition& condition) {
  const std::string text = condition.description.empty() ? toString(condition.kind) : condition.description;
  return Test{"headerTest",
              {{"header", std::string(kUntranslatedHeader)}, {"stringComparison", "is"}, {"value", text}}};
}

// The tests any of which make the condition hold, or nullopt with `why` set when Zimbra has no
// equivalent.
std::optional<std::vector<Test>> alternatives(const model::RuleCondition& condition, std::string& why) {
  using Kind = model::RuleConditionKind;
  std::vector<Test> tests;
  const auto each = [&](auto make) -> std::optional<std::vector<Test>> {
    if (condition.values.empty()) {
      why = "the condition names no text or address to look for";
      return std::nullopt;
    }
    for (const std::string& value : condition.values) tests.push_back(make(value));
    return tests;
  };
  switch (condition.kind) {
    case Kind::kFrom: return each([](const std::string& v) { return addressContains("from", v); });
    case Kind::kSentTo: return each([](const std::string& v) { return addressContains("to,cc", v); });
    case Kind::kSentToMe: return std::vector<Test>{Test{"meTest", {{"header", "to"}}}};
    case Kind::kCcMe: return std::vector<Test>{Test{"meTest", {{"header", "cc"}}}};
    case Kind::kSubjectContains: return each([](const std::string& v) { return headerContains("subject", v); });
    case Kind::kBodyContains:
      return each([](const std::string& v) { return Test{"bodyTest", {{"value", v}}}; });
    case Kind::kSubjectOrBodyContains:
      if (condition.values.empty()) break;
      for (const std::string& value : condition.values) {
        tests.push_back(headerContains("subject", value));
        tests.push_back(Test{"bodyTest", {{"value", value}}});
      }
      return tests;
    case Kind::kCategory:
      // Categories of incoming mail arrive in the Keywords header (Outlook maps it to PidNameKeywords).
      return each([](const std::string& v) { return headerContains("keywords", v); });
    case Kind::kSizeAtLeast:
    case Kind::kSizeAtMost: {
      if (!condition.number || *condition.number < 0) break;
      const std::int64_t bytes = *condition.number;
      // Sieve's :over and :under are strict; "at least n" is "over n-1", "at most n" is "under n+1".
      if (condition.kind == Kind::kSizeAtLeast) {
        if (bytes == 0) return std::vector<Test>{Test{"trueTest", {}}};
        return std::vector<Test>{Test{"sizeTest", {{"numberComparison", "over"}, {"s", std::to_string(bytes - 1)}}}};
      }
      return std::vector<Test>{Test{"sizeTest", {{"numberComparison", "under"}, {"s", std::to_string(bytes + 1)}}}};
    }
    case Kind::kImportance: {
      if (!condition.number) break;
      static constexpr const char* kLevels[] = {"low", "normal", "high"};
      if (*condition.number < 0 || *condition.number > 2) break;
      return std::vector<Test>{Test{"importanceTest", {{"imp", kLevels[*condition.number]}}}};
    }
    case Kind::kSensitivity: {
      if (!condition.number) break;
      // RFC 2156's Sensitivity header: Personal, Private, Company-Confidential; normal mail has none.
      switch (*condition.number) {
        case 0: return std::vector<Test>{Test{"headerExistsTest", {{"header", "Sensitivity"}}, true}};
        case 1: return std::vector<Test>{Test{"headerTest", {{"header", "Sensitivity"}, {"stringComparison", "is"}, {"value", "Personal"}}}};
        case 2: return std::vector<Test>{Test{"headerTest", {{"header", "Sensitivity"}, {"stringComparison", "is"}, {"value", "Private"}}}};
        case 3:
          return std::vector<Test>{
              Test{"headerTest", {{"header", "Sensitivity"}, {"stringComparison", "is"}, {"value", "Company-Confidential"}}}};
        default: break;
      }
      break;
    }
    case Kind::kHasAttachment: return std::vector<Test>{Test{"attachmentTest", {}}};
    case Kind::kSentOnlyToMe:
      why = "Zimbra can test that the account is a recipient, not that it is the only one";
      return std::nullopt;
    case Kind::kHeaderContains:
      why = "Zimbra header tests name the header; Outlook searches all of them";
      return std::nullopt;
    case Kind::kOther:
      why = "the restriction has no Zimbra filter test";
      return std::nullopt;
  }
  if (why.empty()) why = "the condition's value is missing or out of range";
  return std::nullopt;
}

std::string cleanName(std::string_view name) {
  std::string out;
  for (char c : name) out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  const auto first = out.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

model::Finding finding(const model::Rule& rule, std::string kind, model::Severity severity, std::string field,
                       std::string before, std::string why) {
  model::Finding f;
  f.kind = std::move(kind);
  f.severity = severity;
  f.item = rule.provenance;
  f.field = std::move(field);
  f.before = std::move(before);
  f.why = "rule \"" + rule.name + "\": " + why;
  return f;
}

struct Action {
  std::string element;
  Attributes attributes;
};

Result<std::string> canonical(const std::string& text, std::string_view what) {
  Result<xml::Element> parsed = xml::parse(text, what);
  if (!parsed) return parsed.error();
  return xml::toCanonicalText(*parsed);
}

}  // namespace

const char* toString(RuleDisposition disposition) {
  switch (disposition) {
    case RuleDisposition::kComplete: return "complete";
    case RuleDisposition::kDisabled: return "disabled";
    case RuleDisposition::kSkipped: return "skipped";
  }
  return "skipped";
}

std::string defaultFolderPath(std::string_view source_path) {
  static const std::pair<std::string_view, std::string_view> kSystem[] = {
      {"Inbox", "Inbox"},         {"Deleted Items", "Trash"}, {"Junk E-mail", "Junk"}, {"Junk Email", "Junk"},
      {"Sent Items", "Sent"},     {"Drafts", "Drafts"},
  };
  std::string_view rest = source_path;
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  const std::size_t slash = rest.find('/');
  const std::string_view top = rest.substr(0, slash);
  std::string out = "/";
  bool mapped = false;
  for (const auto& [outlook, zimbra] : kSystem) {
    if (top == outlook) {
      out += zimbra;
      mapped = true;
      break;
    }
  }
  if (!mapped) out += top;
  if (slash != std::string_view::npos) out += rest.substr(slash);
  return out;
}

Result<Translation> translateRule(const model::Rule& rule, const FilterTranslationOptions& options) {
  using Severity = model::Severity;
  Translation out;
  out.name = cleanName(rule.name);
  if (out.name.empty()) {
    out.name = "Outlook rule " + std::to_string(rule.sequence);
    out.findings.push_back(finding(rule, "rule.name_changed", Severity::kInfo, "name", rule.name,
                                   "the rule has no name; it is called \"" + out.name + "\""));
  } else if (out.name != rule.name) {
    out.findings.push_back(finding(rule, "rule.name_changed", Severity::kInfo, "name", rule.name,
                                   "control characters in the name became spaces"));
  }
  std::vector<std::string> gaps;  // what keeps the rule from being complete

  // ---- conditions and exceptions ----
  std::vector<std::optional<std::vector<Test>>> conditions;
  bool conditions_ok = true;
  for (std::size_t i = 0; i < rule.conditions.size(); ++i) {
    std::string why;
    conditions.push_back(alternatives(rule.conditions[i], why));
    if (!conditions.back()) {
      conditions_ok = false;
      gaps.push_back("condition " + std::string(toString(rule.conditions[i].kind)));
      out.findings.push_back(finding(rule, "rule.condition_not_expressible", Severity::kWarning,
                                     "conditions[" + std::to_string(i) + "]", rule.conditions[i].description, why));
    }
  }
  std::vector<std::optional<std::vector<Test>>> exceptions;
  for (std::size_t i = 0; i < rule.exceptions.size(); ++i) {
    std::string why;
    exceptions.push_back(alternatives(rule.exceptions[i], why));
    if (!exceptions.back()) {
      conditions_ok = false;
      gaps.push_back("exception " + std::string(toString(rule.exceptions[i].kind)));
      out.findings.push_back(finding(rule, "rule.exception_not_expressible", Severity::kWarning,
                                     "exceptions[" + std::to_string(i) + "]", rule.exceptions[i].description, why));
    }
  }
  // One filterTests holds all-of or any-of, not a mix: an either-or condition works alone
  // (any-of), or beside others only if it has a single alternative.
  const bool single_either_or = conditions_ok && rule.conditions.size() == 1 && rule.exceptions.empty() &&
                                conditions[0]->size() > 1;
  std::vector<Test> tests;
  if (single_either_or) {
    tests = *conditions[0];
  } else {
    for (std::size_t i = 0; i < conditions.size(); ++i) {
      if (conditions[i] && conditions[i]->size() == 1) {
        tests.push_back(conditions[i]->front());
        continue;
      }
      if (conditions[i]) {
        gaps.push_back("either-or condition " + std::string(toString(rule.conditions[i].kind)));
        out.findings.push_back(finding(rule, "rule.condition_not_expressible", Severity::kWarning,
                                       "conditions[" + std::to_string(i) + "]", rule.conditions[i].description,
                                       "a condition matching any of several values cannot be combined with other "
                                       "conditions or exceptions in one Zimbra rule"));
      }
      tests.push_back(placeholder(rule.conditions[i]));
    }
    for (std::size_t i = 0; i < exceptions.size(); ++i) {
      if (!exceptions[i]) {
        tests.push_back(placeholder(rule.exceptions[i]));
        continue;
      }
      // not (a or b) = not a and not b: each alternative becomes a negative test under all-of.
      for (Test test : *exceptions[i]) {
        test.negative = !test.negative;
        tests.push_back(std::move(test));
      }
    }
    if (tests.empty()) tests.push_back(Test{"trueTest", {}});  // no condition: every message
  }

  // ---- actions ----
  std::vector<Action> actions;
  bool keep = false;      // a copy or forward leaves the message in the Inbox too
  bool files_away = false;
  bool stop = rule.stop_processing;
  const auto folder = [&](const std::string& path) {
    return options.folder_path ? options.folder_path(path) : defaultFolderPath(path);
  };
  const auto action_gap = [&](std::size_t i, const std::string& why) {
    gaps.push_back("action " + std::string(toString(rule.actions[i].kind)));
    out.findings.push_back(finding(rule, "rule.action_not_expressible", Severity::kWarning,
                                   "actions[" + std::to_string(i) + "]", toString(rule.actions[i].kind), why));
  };
  using ActionKind = model::RuleActionKind;
  for (std::size_t i = 0; i < rule.actions.size(); ++i) {
    const model::RuleAction& action = rule.actions[i];
    switch (action.kind) {
      case ActionKind::kMove:
      case ActionKind::kCopy:
        if (action.folder_path.empty()) {
          action_gap(i, "the target folder is not in this source file (entry id " + action.folder_entry_id + ")");
          break;
        }
        actions.push_back(Action{"actionFileInto", {{"folderPath", folder(action.folder_path)}}});
        if (action.kind == ActionKind::kCopy) keep = true; else files_away = true;
        break;
      case ActionKind::kDelete:
        // Outlook's delete moves to Deleted Items; Zimbra's discard would destroy the message.
        actions.push_back(Action{"actionFileInto", {{"folderPath", "/Trash"}}});
        files_away = true;
        break;
      case ActionKind::kForward:
      case ActionKind::kForwardAsAttachment:
      case ActionKind::kRedirect: {
        std::size_t sent = 0;
        for (const model::Person& person : action.recipients) {
          if (!person.hasSmtpAddress()) {
            action_gap(i, "recipient \"" + person.display_name + "\" has no SMTP address");
            continue;
          }
          actions.push_back(Action{"actionRedirect", {{"a", person.email}}});
          ++sent;
        }
        if (action.recipients.empty()) action_gap(i, "the action names no recipient");
        if (sent > 0) {
          keep = true;
          if (action.kind != ActionKind::kRedirect) {
            out.findings.push_back(finding(rule, "rule.forward_as_redirect", Severity::kInfo,
                                           "actions[" + std::to_string(i) + "]", toString(action.kind),
                                           "Zimbra redirects the message unchanged (original sender) instead of "
                                           "forwarding it"));
          }
        }
        break;
      }
      case ActionKind::kReply:
        action_gap(i, "the reply template's text is not carried by the source reader (template " +
                          action.template_entry_id + ")");
        break;
      case ActionKind::kOofReply:
        action_gap(i, "an out-of-office reply rule; the out-of-office settings carry the reply instead");
        break;
      case ActionKind::kMarkRead: actions.push_back(Action{"actionFlag", {{"flagName", "read"}}}); break;
      case ActionKind::kFlag: actions.push_back(Action{"actionFlag", {{"flagName", "flagged"}}}); break;
      case ActionKind::kSetImportance: action_gap(i, "Zimbra filters cannot set the importance"); break;
      case ActionKind::kSetSensitivity: action_gap(i, "Zimbra filters cannot set the sensitivity"); break;
      case ActionKind::kSetProperty: action_gap(i, "Zimbra filters cannot set property " + action.property); break;
      case ActionKind::kBounce: action_gap(i, "Zimbra filters of this version cannot bounce a message"); break;
      case ActionKind::kDelegate: action_gap(i, "delegate forwarding has no Zimbra filter action"); break;
      case ActionKind::kDeferred: action_gap(i, "an Outlook client-side action (only Outlook can run it)"); break;
      case ActionKind::kStopProcessing: stop = true; break;
    }
  }
  if (keep && !files_away) actions.push_back(Action{"actionKeep", {}});
  if (actions.empty() && !rule.actions.empty()) {
    // Nothing Zimbra can do: keep (what happens to mail anyway) stands in, so the rule is valid,
    // does nothing if enabled, and the user still finds it with its conditions.
    actions.push_back(Action{"actionKeep", {}});
  }
  if (stop) actions.push_back(Action{"actionStop", {}});

  if (rule.only_when_oof) {
    gaps.push_back("runs only while out of office");
    out.findings.push_back(finding(rule, "rule.only_when_oof", Severity::kWarning, "state", std::to_string(rule.state),
                                   "Zimbra filters cannot depend on the out-of-office state"));
  }
  for (const model::RawRulePart& part : rule.undecoded) {
    gaps.push_back("undecoded " + part.field);
    out.findings.push_back(finding(rule, "rule.undecoded", Severity::kWarning, part.field,
                                   std::to_string(part.bytes.size()) + " bytes", part.why));
  }

  if (rule.actions.empty()) {
    out.disposition = RuleDisposition::kSkipped;
    out.active = false;
    out.reason = "the rule has no action";
    out.findings.push_back(finding(rule, "rule.skipped", Severity::kWarning, "actions", "", out.reason));
    return out;
  }
  if (!gaps.empty()) {
    out.disposition = RuleDisposition::kDisabled;
    out.reason = "not expressible in Zimbra: ";
    for (std::size_t i = 0; i < gaps.size(); ++i) out.reason += (i == 0 ? "" : ", ") + gaps[i];
    out.findings.push_back(finding(rule, "rule.added_disabled", Severity::kWarning, "enabled",
                                   rule.enabled ? "1" : "0", out.reason + "; added disabled for the user to finish"));
  }
  out.active = rule.enabled && out.disposition == RuleDisposition::kComplete;

  xml::XmlWriter writer;
  writer.open("filterRule", {{"xmlns", std::string(kMailNamespace)}, {"name", out.name}, {"active", out.active ? "1" : "0"}});
  writer.open("filterTests", {{"condition", single_either_or ? "anyof" : "allof"}});
  for (std::size_t i = 0; i < tests.size(); ++i) {
    Attributes attributes{{"index", std::to_string(i)}};
    if (tests[i].negative) attributes.emplace_back("negative", "1");
    attributes.insert(attributes.end(), tests[i].attributes.begin(), tests[i].attributes.end());
    writer.empty(tests[i].element, attributes);
  }
  writer.close();
  writer.open("filterActions");
  for (std::size_t i = 0; i < actions.size(); ++i) {
    Attributes attributes{{"index", std::to_string(i)}};
    attributes.insert(attributes.end(), actions[i].attributes.begin(), actions[i].attributes.end());
    writer.empty(actions[i].element, attributes);
  }
  writer.close();
  writer.close();
  Result<std::string> text = canonical(writer.text(), "filterRule " + out.name);
  if (!text) return Error{"rules.invalid", text.error().message, rule.provenance.describe() + " rule " + out.name};
  out.xml = std::move(text).value();
  return out;
}

Result<std::string> withRuleName(std::string_view fragment, std::string_view name) {
  Result<xml::Element> parsed = xml::parse(fragment, "filterRule");
  if (!parsed) return parsed.error();
  if (parsed->name != "filterRule") return Error{"rules.invalid", "not a <filterRule>", parsed->name};
  for (xml::Attribute& attribute : parsed->attributes) {
    if (attribute.name == "name") attribute.value = std::string(name);
  }
  return xml::toCanonicalText(*parsed);
}

std::string buildGetFilterRulesRequest() { return "<GetFilterRulesRequest xmlns=\"urn:zimbraMail\"/>\n"; }

std::string buildModifyFilterRulesRequest(const std::vector<std::string>& rule_xml_fragments) {
  xml::XmlWriter writer;
  writer.open("ModifyFilterRulesRequest", {{"xmlns", std::string(kMailNamespace)}});
  writer.open("filterRules");
  for (const std::string& fragment : rule_xml_fragments) writer.raw(fragment);
  writer.close();
  writer.close();
  return writer.release();
}

Result<std::vector<StoredFilterRule>> readFilterRules(const xml::Element& response) {
  const xml::Element* rules = response.child("filterRules");
  if (rules == nullptr) {
    return Error{"soap.unexpected", "the GetFilterRulesResponse has no <filterRules>", response.name};
  }
  std::vector<StoredFilterRule> out;
  for (const xml::Element* rule : rules->childrenNamed("filterRule")) {
    StoredFilterRule stored;
    stored.name = rule->attributeOr("name", "");
    const std::string active = rule->attributeOr("active", "0");
    stored.active = active == "1" || active == "true" || active == "TRUE";
    stored.xml = xml::toCanonicalText(*rule);
    out.push_back(std::move(stored));
  }
  return out;
}

}  // namespace m2z::zimbra
