// A property context ([MS-PST] 2.3.3): a heap whose BTH maps property ids to typed values.
#pragma once

#include <vector>

#include "model/result.h"
#include "pstgen/node_content.h"

namespace m2z::pstgen {

// One PC record: the property id (after named-property mapping) and its value.
struct PcProperty {
  std::uint16_t id = 0;
  Property property;  // type, value or generated content
};

// Writes the PC; values over kMaxHeapAllocation become subnodes (listed in the result).
[[nodiscard]] Result<NodeContent> writePropertyContext(NdbWriter& ndb, std::vector<PcProperty> properties,
                                                       LocalNids& nids);

}  // namespace m2z::pstgen
