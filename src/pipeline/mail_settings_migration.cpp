#include "pipeline/mail_settings_migration.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <utility>

#include "xml/xml.h"
#include "zimbra/filter_rules.h"
#include "zimbra/prefs_requests.h"

namespace m2z::pipeline {

namespace {

constexpr std::string_view kOofName = "out of office";

// A rule's XML with active="1", so that a rule the user switched on or off after an earlier run
// still counts as the same rule.
std::string ignoringActive(const std::string& fragment) {
  Result<xml::Element> parsed = xml::parse(fragment, "filterRule");
  if (!parsed) return fragment;
  for (xml::Attribute& attribute : parsed->attributes) {
    if (attribute.name == "active") attribute.value = "1";
  }
  return xml::toCanonicalText(*parsed);
}

// The canonical <filterTests> of a rule: which mail it applies to.
std::string testsOf(const std::string& fragment) {
  Result<xml::Element> parsed = xml::parse(fragment, "filterRule");
  if (!parsed) return fragment;
  const xml::Element* tests = parsed->child("filterTests");
  return tests == nullptr ? std::string() : xml::toCanonicalText(*tests);
}

model::Finding settingsFinding(const model::Provenance& item, std::string kind, model::Severity severity,
                               std::string field, std::string before, std::string after, std::string why) {
  model::Finding f;
  f.kind = std::move(kind);
  f.severity = severity;
  f.item = item;
  f.field = std::move(field);
  f.before = std::move(before);
  f.after = std::move(after);
  f.why = std::move(why);
  return f;
}

struct PendingRule {
  std::size_t item;  // index into the results
  std::string xml;
};

void migrateRules(zimbra::ZimbraClient& client, std::string_view account, const std::vector<model::Rule>& rules,
                  std::vector<MailSettingsItem>& results) {
  if (rules.empty()) return;
  std::vector<std::size_t> order(rules.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return rules[a].sequence < rules[b].sequence; });

  // Translate first: a rule that cannot be built is accounted for whatever the server says.
  std::vector<std::pair<std::size_t, zimbra::Translation>> translated;  // (result index, translation)
  for (std::size_t index : order) {
    const model::Rule& rule = rules[index];
    MailSettingsItem item{rule.provenance, "rule", rule.name, "", "", {}};
    Result<zimbra::Translation> translation = zimbra::translateRule(rule);
    if (!translation) {
      item.outcome = "failed";
      item.reason = translation.error().describe();
      results.push_back(std::move(item));
      continue;
    }
    item.name = translation->name;
    item.findings = translation->findings;
    if (translation->disposition == zimbra::RuleDisposition::kSkipped) {
      item.outcome = "skipped";
      item.reason = translation->reason;
      results.push_back(std::move(item));
      continue;
    }
    results.push_back(std::move(item));
    translated.emplace_back(results.size() - 1, std::move(translation).value());
  }
  if (translated.empty()) return;

  const auto fail_all = [&](const std::string& reason) {
    for (auto& [index, translation] : translated) {
      results[index].outcome = "failed";
      results[index].reason = reason;
    }
  };
  Result<std::vector<zimbra::StoredFilterRule>> existing = client.getFilterRules(account, nullptr);
  if (!existing) {
    fail_all("reading the account's filter rules failed: " + existing.error().describe());
    return;
  }
  std::map<std::string, const zimbra::StoredFilterRule*> by_name;
  for (const zimbra::StoredFilterRule& stored : *existing) by_name.emplace(stored.name, &stored);
  std::set<std::string> taken;
  for (const auto& [name, stored] : by_name) taken.insert(name);

  std::vector<PendingRule> added;
  for (auto& [index, translation] : translated) {
    MailSettingsItem& item = results[index];
    std::string name = translation.name;
    std::string fragment = translation.xml;
    // Follow the name chain: Name, then "Name (migrated)", "Name (migrated 2)", ... until a free
    // name or one holding this very rule (an earlier run's).
    bool present = false;
    for (int attempt = 1;; ++attempt) {
      const auto found = by_name.find(name);
      if (found == by_name.end()) {
        if (taken.count(name) == 0) break;  // taken by an earlier rule of this batch
      } else if (ignoringActive(found->second->xml) == ignoringActive(fragment)) {
        present = true;
        if (found->second->active != translation.active) {
          item.findings.push_back(settingsFinding(item.item, "rule.already_present_active_differs", model::Severity::kInfo,
                                                  "active", translation.active ? "1" : "0",
                                                  found->second->active ? "1" : "0",
                                                  "rule \"" + name + "\" is already on the server, switched " +
                                                      (found->second->active ? "on" : "off") + "; it is left as it is"));
        }
        break;
      } else if (testsOf(found->second->xml) == testsOf(fragment)) {
        // Same conditions, other actions: ours from an earlier run, edited since. It stays.
        present = true;
        item.findings.push_back(settingsFinding(item.item, "rule.already_present_differs", model::Severity::kWarning,
                                                "filterActions", fragment, found->second->xml,
                                                "rule \"" + name + "\" is already on the server with the same "
                                                "conditions but other actions; it is left as it is"));
        break;
      }
      // A different rule under this name (the user's own, or an earlier source rule of this
      // run): keep it and take the next name.
      std::string next = translation.name + std::string(kCollisionSuffix);
      if (attempt > 1) next += " " + std::to_string(attempt);
      item.findings.push_back(settingsFinding(
          item.item, "rule.name_collision", model::Severity::kInfo, "name", name, next,
          found == by_name.end() ? "another source rule is already named \"" + name + "\""
                                 : "a different rule named \"" + name + "\" is already on the server; it is kept "
                                   "unchanged"));
      name = std::move(next);
    }
    item.name = name;
    if (present) {
      item.outcome = "already_present";
      item.reason = "a rule with this name and content is already on the server";
      continue;
    }
    if (name != translation.name) {
      Result<std::string> renamed = zimbra::withRuleName(fragment, name);
      if (!renamed) {
        item.outcome = "failed";
        item.reason = renamed.error().describe();
        continue;
      }
      fragment = std::move(renamed).value();
    }
    taken.insert(name);
    item.outcome = translation.disposition == zimbra::RuleDisposition::kDisabled ? "created_disabled" : "created";
    item.reason = translation.reason;
    added.push_back(PendingRule{index, std::move(fragment)});
  }
  // The findings of a collision chain that ended in "already present" are noise: drop them.
  for (auto& [index, translation] : translated) {
    MailSettingsItem& item = results[index];
    if (item.outcome != "already_present") continue;
    std::erase_if(item.findings, [](const model::Finding& f) { return f.kind == "rule.name_collision"; });
  }
  if (added.empty()) return;

  std::vector<std::string> fragments;
  for (const zimbra::StoredFilterRule& stored : *existing) fragments.push_back(stored.xml);
  for (const PendingRule& rule : added) fragments.push_back(rule.xml);
  const auto fail_added = [&](const std::string& reason) {
    for (const PendingRule& rule : added) {
      results[rule.item].outcome = "failed";
      results[rule.item].reason = reason;
    }
  };
  if (Status sent = client.modifyFilterRules(account, fragments, nullptr); !sent) {
    fail_added("ModifyFilterRulesRequest failed: " + sent.error().describe());
    return;
  }
  if (client.dryRun()) return;

  Result<std::vector<zimbra::StoredFilterRule>> after = client.getFilterRules(account, nullptr);
  if (!after) {
    fail_added("reading the rules back failed: " + after.error().describe());
    return;
  }
  if (after->size() != existing->size() + added.size()) {
    fail_added("read back " + std::to_string(after->size()) + " filter rules, expected " +
               std::to_string(existing->size()) + " existing + " + std::to_string(added.size()) + " added");
    return;
  }
  for (std::size_t i = 0; i < existing->size(); ++i) {
    if ((*after)[i].name != (*existing)[i].name) {
      fail_added("after the update, rule " + std::to_string(i + 1) + " is \"" + (*after)[i].name + "\", was \"" +
                 (*existing)[i].name + "\": the existing rules changed order");
      return;
    }
  }
  for (std::size_t i = 0; i < added.size(); ++i) {
    const std::string& expected = results[added[i].item].name;
    if ((*after)[existing->size() + i].name != expected) {
      results[added[i].item].outcome = "failed";
      results[added[i].item].reason = "read back as \"" + (*after)[existing->size() + i].name + "\"";
    }
  }
}

std::string firstValue(const std::map<std::string, std::vector<std::string>>& prefs, std::string_view name) {
  const auto found = prefs.find(std::string(name));
  return found == prefs.end() || found->second.empty() ? std::string() : found->second.front();
}

MailSettingsItem migrateOof(zimbra::ZimbraClient& client, std::string_view account, const model::OofSettings& oof) {
  MailSettingsItem item{oof.provenance, "oof", std::string(kOofName), "", "", {}};
  zimbra::OofPrefs wanted = zimbra::oofPrefs(oof);
  item.findings = wanted.findings;
  if (wanted.prefs.empty()) {
    item.outcome = "skipped";
    item.reason = "the source holds no out-of-office values";
    return item;
  }
  Result<std::map<std::string, std::vector<std::string>>> current =
      client.getPrefs(account, zimbra::oofPrefNames(), &oof.provenance);
  if (!current) {
    item.outcome = "failed";
    item.reason = "reading the account's preferences failed: " + current.error().describe();
    return item;
  }
  const bool same = std::all_of(wanted.prefs.begin(), wanted.prefs.end(), [&](const auto& pref) {
    return firstValue(*current, pref.first) == pref.second;
  });
  if (same) {
    item.outcome = "already_present";
    item.reason = "the account already has these out-of-office settings";
    return item;
  }
  const std::string enabled = firstValue(*current, zimbra::kPrefOofEnabled);
  const std::string reply = firstValue(*current, zimbra::kPrefOofReply);
  std::string ours;
  for (const auto& [name, value] : wanted.prefs) {
    if (name == zimbra::kPrefOofReply) ours = value;
  }
  if (enabled == "TRUE" || (!reply.empty() && reply != ours)) {
    item.outcome = "skipped";
    item.reason = enabled == "TRUE" ? "the account already has an out-of-office reply switched on; it is not overwritten"
                                    : "the account already has its own out-of-office text; it is not overwritten";
    item.findings.push_back(settingsFinding(oof.provenance, "oof.target_configured", model::Severity::kWarning,
                                            std::string(zimbra::kPrefOofReply), ours, reply, item.reason));
    return item;
  }
  if (Status sent = client.modifyPrefs(account, wanted.prefs, &oof.provenance); !sent) {
    item.outcome = "failed";
    item.reason = "ModifyPrefsRequest failed: " + sent.error().describe();
    return item;
  }
  item.outcome = "created";
  return item;
}

}  // namespace

std::vector<MailSettingsItem> migrateMailSettings(zimbra::ZimbraClient& client, std::string_view account,
                                                  const std::vector<model::Rule>& rules,
                                                  const std::optional<model::OofSettings>& oof) {
  std::vector<MailSettingsItem> results;
  migrateRules(client, account, rules, results);
  if (oof) results.push_back(migrateOof(client, account, *oof));
  return results;
}

}  // namespace m2z::pipeline
