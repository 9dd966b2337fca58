// Runs the Outlook client rules stream decoder and its model mapping over the fuzz bytes: any
// input must give rules or an Error, never a crash, a hang or unbounded memory.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "readers/mapi/rule_stream.h"
#include "readers/mapi/rule_stream_mapper.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  auto header = m2z::readers::mapi::parseRulesStreamHeader(bytes, "fuzz");
  auto rules = m2z::readers::mapi::parseRulesStream(bytes, "fuzz");
  // Every rule takes at least a dozen bytes of the input.
  if (rules.ok() && rules.value().size() > size / 12 + 1) std::abort();
  std::vector<m2z::model::Finding> findings;
  auto mapped = m2z::readers::mapi::rulesFromClientStream(bytes, {"fuzz", "", ""}, findings);
  // Every rule is accounted for: mapped one to one, or none and a finding naming the error.
  if (rules.ok() && mapped.size() != rules.value().size()) std::abort();
  if (!rules.ok() && (!mapped.empty() || findings.empty())) std::abort();
  (void)header;
  return 0;
}
