#include "readers/mapi/oof_mapper.h"

#include <algorithm>
#include <cctype>

#include "readers/mapi/property_ids.h"

namespace m2z::readers::mapi {

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool containsIgnoreCase(std::string_view text, std::string_view part) {
  return std::search(text.begin(), text.end(), part.begin(), part.end(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         }) != text.end();
}

model::Finding unknown(const model::Provenance& where, std::string kind, std::string field, std::string why) {
  return model::Finding{std::move(kind), model::Severity::kInfo, where, std::move(field), "", "", std::move(why), false};
}

}  // namespace

bool isOofTemplateClass(std::string_view message_class) {
  return equalsIgnoreCase(message_class, kOofTemplateClass) || equalsIgnoreCase(message_class, kExternalOofTemplateClass);
}

std::optional<OofTemplate> oofTemplateFromBag(const PropertyBag& bag, const model::Provenance& provenance) {
  if (!isOofTemplateClass(bag.message_class)) return std::nullopt;
  OofTemplate result;
  result.provenance = provenance;
  result.external = equalsIgnoreCase(bag.message_class, kExternalOofTemplateClass);
  if (const auto* value = bag.findTagged(kPidTagBody.id)) {
    if (const auto* text = std::get_if<std::string>(value)) result.body = *text;
  }
  return result;
}

bool hasOofData(const OofSources& sources) {
  return sources.store_state.has_value() || !sources.templates.empty() || !sources.oof_rules.empty();
}

model::OofSettings buildOofSettings(const OofSources& sources, std::vector<model::Finding>& findings) {
  model::OofSettings settings;
  settings.provenance = sources.store;
  settings.enabled = sources.store_state;
  if (!settings.enabled) {
    std::string why = "the store has no PidTagOutOfOfficeState; whether automatic replies were on is unknown";
    if (!sources.oof_rules.empty()) {
      const auto on = std::count_if(sources.oof_rules.begin(), sources.oof_rules.end(),
                                    [](const model::Rule& rule) { return rule.enabled; });
      why += " (" + std::to_string(on) + " of " + std::to_string(sources.oof_rules.size()) + " OOF rules are enabled)";
    }
    findings.push_back(unknown(sources.store, "oof.state_unknown", std::string(kPidTagOutOfOfficeState.name), why));
  }
  for (const auto& oof_template : sources.templates) {
    auto& reply = oof_template.external ? settings.external_reply : settings.internal_reply;
    if (reply) {
      findings.push_back(model::Finding{"oof.template_duplicate", model::Severity::kWarning, oof_template.provenance,
                                        std::string(kPidTagBody.name), oof_template.body, *reply,
                                        "the store holds more than one " +
                                            std::string(oof_template.external ? "external" : "internal") +
                                            " OOF template; the first one read is kept",
                                        false});
      continue;
    }
    reply = oof_template.body;
    settings.provenance = oof_template.provenance;
  }
  if (!settings.internal_reply) {
    findings.push_back(unknown(sources.store, "oof.reply_unknown", "internal_reply",
                               "the store holds no " + std::string(kOofTemplateClass) + " message"));
  }
  if (!settings.external_reply) {
    findings.push_back(unknown(sources.store, "oof.reply_unknown", "external_reply",
                               "the store holds no " + std::string(kExternalOofTemplateClass) + " message"));
  }
  // Exchange names its OOF rules after the audience they answer; an enabled one says who gets the
  // external reply. Anything else leaves the audience unknown.
  for (const auto& rule : sources.oof_rules) {
    if (!rule.enabled) continue;
    if (containsIgnoreCase(rule.name, "AllExternalSenders")) {
      settings.external_audience = model::OofExternalAudience::kAll;
    } else if (containsIgnoreCase(rule.name, "KnownExternalSenders") &&
               settings.external_audience != model::OofExternalAudience::kAll) {
      settings.external_audience = model::OofExternalAudience::kKnownSenders;
    }
  }
  if (settings.external_audience == model::OofExternalAudience::kUnknown) {
    findings.push_back(unknown(sources.store, "oof.audience_unknown", "external_audience",
                               "no enabled OOF rule names the external audience"));
  }
  findings.push_back(unknown(sources.store, "oof.schedule_unknown", "start/end",
                             "a PST/OST does not keep the scheduled out-of-office period"));
  return settings;
}

}  // namespace m2z::readers::mapi
