// buildOofSettings: the out-of-office settings a store holds, from its OOF reply templates, its
// OOF state and its OOF rules, with a Finding for each part the store does not say.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/finding.h"
#include "model/oof.h"
#include "model/provenance.h"
#include "model/rule.h"
#include "readers/mapi/property_bag.h"

namespace m2z::readers::mapi {

// Exchange keeps the internal reply in the first class and the external one in the second.
inline constexpr std::string_view kOofTemplateClass = "IPM.Note.Rules.OofTemplate.Microsoft";
inline constexpr std::string_view kExternalOofTemplateClass = "IPM.Note.Rules.ExternalOofTemplate.Microsoft";

bool isOofTemplateClass(std::string_view message_class);

struct OofTemplate {
  model::Provenance provenance;
  bool external = false;
  std::string body;  // PidTagBody: the reply text
};

// The template in `bag`, or nullopt when `bag` is not an OOF template message.
std::optional<OofTemplate> oofTemplateFromBag(const PropertyBag& bag, const model::Provenance& provenance);

struct OofSources {
  model::Provenance store;                // the message store
  std::optional<bool> store_state;        // PidTagOutOfOfficeState, when the store has it
  std::vector<OofTemplate> templates;
  std::vector<model::Rule> oof_rules;     // rules whose provider is "MSFT:TDX OOF Rules"
};

// True when the store holds anything about out-of-office at all.
bool hasOofData(const OofSources& sources);

model::OofSettings buildOofSettings(const OofSources& sources, std::vector<model::Finding>& findings);

}  // namespace m2z::readers::mapi
