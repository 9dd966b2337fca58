// Outlook client rules (the PidTagRwRulesStream / .rwz rule elements) as model::Rule values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "model/finding.h"
#include "model/provenance.h"
#include "model/rule.h"
#include "readers/mapi/rule_stream.h"

namespace m2z::readers::mapi {

// One client rule as a model rule (provider "RuleOrganizer", sequence = `index`). Elements with
// no model counterpart become kOther conditions or kDeferred actions whose bytes are kept in
// rule.undecoded, each with a Finding; "permanently delete" becomes kDelete (move to Trash).
model::Rule ruleFromClientRule(const ClientRule& client, std::size_t index, const model::Provenance& where,
                               std::vector<model::Finding>& findings);

// Every rule of a PidTagRwRulesStream value. A stream that cannot be read yields no rules and
// one Finding ("rule.client_stream_unreadable", item_skipped) naming the error.
std::vector<model::Rule> rulesFromClientStream(std::span<const std::uint8_t> data, const model::Provenance& where,
                                               std::vector<model::Finding>& findings);

}  // namespace m2z::readers::mapi
