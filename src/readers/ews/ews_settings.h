// EWS mailbox settings: t:Rule of GetInboxRules responses as model::Rule ([MS-OXWSRULES]) and
// OofSettings of GetUserOofSettings responses as model::OofSettings ([MS-OXWSOOF]).
#pragma once

#include <vector>

#include "model/finding.h"
#include "model/oof.h"
#include "model/rule.h"
#include "xml/xml.h"

namespace m2z::readers::ews {

// Conditions and exceptions come out sorted by kind and actions by kind (stop last), so the same
// rule read from another export compares equal whatever order its source listed them in.
model::Rule convertInboxRule(const xml::Element& element, const model::Provenance& item,
                             std::vector<model::Finding>& findings);

// Duration is kept only for the Scheduled state, where it is in force.
model::OofSettings convertOofSettings(const xml::Element& element, const model::Provenance& item,
                                      std::vector<model::Finding>& findings);

}  // namespace m2z::readers::ews
