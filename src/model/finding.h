// A Finding records something a reader or normalizer noticed or changed about one item: what,
// why, and the value before and after, so reports and audits can show users what happened.
#pragma once

#include <string>

#include "model/provenance.h"

namespace m2z::model {

enum class Severity { kInfo, kWarning, kError };

// How an item ended up; every item read is counted under exactly one of these.
enum class ItemOutcome { kCreated, kSkipped, kFailed };

struct Finding {
  std::string kind;        // stable, dotted: "recurrence.not_converted", "item.unreadable", ...
  Severity severity = Severity::kInfo;
  Provenance item;
  std::string field;       // the property or model field concerned, if any
  std::string before;
  std::string after;
  std::string why;
  // True when the item itself is not carried over because of this finding (it is then
  // accounted for as skipped with this finding as the reason).
  bool item_skipped = false;
};

const char* toString(Severity severity);
const char* toString(ItemOutcome outcome);

}  // namespace m2z::model
