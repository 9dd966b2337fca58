// mapRule: the one mapping from a rule message's MAPI properties (IPM.Rule.Version2.Message,
// IPM.ExtendedRule.Message) to a model::Rule, whatever container the properties came from.
#pragma once

#include <string_view>
#include <vector>

#include "model/finding.h"
#include "model/provenance.h"
#include "model/result.h"
#include "model/rule.h"
#include "readers/mapi/property_bag.h"
#include "readers/mapi/rule_restriction.h"

namespace m2z::readers::mapi {

inline constexpr std::string_view kRuleMessageClass = "IPM.Rule.Version2.Message";
inline constexpr std::string_view kExtendedRuleMessageClass = "IPM.ExtendedRule.Message";
inline constexpr std::string_view kOofRulesProvider = "MSFT:TDX OOF Rules";

// True for the two message classes mapRule reads (case-insensitive, as MAPI compares classes).
bool isRuleMessageClass(std::string_view message_class);

// The rule in `bag`. Blobs that cannot be parsed, and parts that parse but have no model
// counterpart, are kept in rule.undecoded with a Finding naming the property; conditions that
// parse but are not reduced become kOther conditions with a Finding. Fails only when the message
// is not a rule message (code "mapi.rule.not_rule").
[[nodiscard]] Result<model::Rule> mapRule(const PropertyBag& bag, const model::Provenance& provenance,
                                          std::vector<model::Finding>& findings);

// A restriction reduced to conditions (all must hold) and exceptions (none may hold). Terms that
// cannot be reduced come back as kOther with their text. Pure; exposed for tests.
struct ReducedCondition {
  std::vector<model::RuleCondition> conditions;
  std::vector<model::RuleCondition> exceptions;
};
ReducedCondition reduceRestriction(const Restriction& restriction, std::span<const NamedPropertyName> named);

}  // namespace m2z::readers::mapi
