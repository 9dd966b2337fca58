// What an LTP structure leaves behind in the NDB layer: the node's data and its subnodes.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "model/result.h"
#include "pstgen/ndb_writer.h"
#include "pstgen/property.h"

namespace m2z::pstgen {

struct NodeContent {
  Bid bid_data = 0;
  std::vector<SubnodeEntry> subnodes;
};

// NIDs of the subnodes of one node: unique within that node only ([MS-PST] 2.2.2.1).
class LocalNids {
 public:
  Nid next(NidType type) { return makeNid(type, ++counters_[static_cast<std::size_t>(type)]); }

 private:
  std::array<std::uint32_t, 32> counters_{};
};

// Writes a value too large for the heap as a subnode of its own and returns its entry.
[[nodiscard]] Result<SubnodeEntry> writeValueSubnode(NdbWriter& ndb, LocalNids& nids, const Property& property);

}  // namespace m2z::pstgen
