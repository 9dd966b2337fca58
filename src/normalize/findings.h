// The one way the normalizer's passes build a Finding, so every finding names the item and field.
#pragma once

#include <string>
#include <utility>

#include "model/finding.h"
#include "model/provenance.h"

namespace m2z::normalize {

inline model::Finding makeFinding(const model::Provenance& item, std::string kind, model::Severity severity,
                                  std::string field, std::string before, std::string after, std::string why) {
  model::Finding finding;
  finding.kind = std::move(kind);
  finding.severity = severity;
  finding.item = item;
  finding.field = std::move(field);
  finding.before = std::move(before);
  finding.after = std::move(after);
  finding.why = std::move(why);
  return finding;
}

}  // namespace m2z::normalize
