// The Outlook client's own rules stream (PidTagRwRulesStream on the IPM.RuleOrganizer message,
// and the same bytes in a Rules Wizard .rwz export): its header, rule count and first rule name.
// The rule elements themselves are not decoded; callers keep the stream as raw bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/result.h"

namespace m2z::readers::mapi {

struct RulesStreamHeader {
  std::uint32_t signature = 0;   // the writing Outlook's version stamp; 0 when the stream has none
  std::string outlook_version;   // "97", "98", "2000", "2002", "2003", "2007", "2019"
  bool unicode = false;          // rule names are UTF-16 (Outlook 2002 and later), else 8-bit
  std::uint16_t rule_count = 0;
  std::optional<std::string> first_rule_name;  // when the stream holds at least one rule
};

// The format is undocumented; the layout used here follows hughbe/OutlookRulesReader's reading
// of it and was checked against the streams and .rwz files under ../shared/testdata/rules.
[[nodiscard]] Result<RulesStreamHeader> parseRulesStreamHeader(std::span<const std::uint8_t> data,
                                                               std::string_view property);

}  // namespace m2z::readers::mapi
