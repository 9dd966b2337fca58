#include "model/time_zone.h"

namespace m2z::model {

const TimeZoneRule* TimeZoneDefinition::ruleForYear(int year) const {
  if (rules.empty()) return nullptr;
  const TimeZoneRule* best = &rules.front();
  for (const auto& rule : rules) {
    if (rule.year <= year) best = &rule;
  }
  return best;
}

}  // namespace m2z::model
