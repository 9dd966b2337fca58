// Item-by-item differences between two audit logs, matched by source (file + folder + entry id).
#pragma once

#include <string>
#include <vector>

#include "report/ledger.h"

namespace m2z::report {

enum class ChangeKind { kOnlyInA, kOnlyInB, kOutcome, kItem, kFindings };
std::string_view toString(ChangeKind kind);

struct Change {
  ChangeKind kind = ChangeKind::kOutcome;
  std::string key;      // itemKey() of the source
  std::string subject;  // B's subject when it has one, else A's
  std::string a;        // what A says (empty for kOnlyInB)
  std::string b;        // what B says (empty for kOnlyInA)
};

// In A's item order, then items only in B in B's order.
std::vector<Change> diffLedgers(const Ledger& a, const Ledger& b);

// One change per line: "<kind> <key> "<subject>": <a> -> <b>".
std::string formatChanges(const std::vector<Change>& changes);

}  // namespace m2z::report
