// The action buffers of rules ([MS-OXORULE] 2.2.5) and the NamedPropertyInformation prefix of
// extended rule buffers (2.2.4.2): pure, bounds-checked parsers.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "model/result.h"
#include "readers/mapi/byte_reader.h"
#include "readers/mapi/property_bag.h"
#include "readers/mapi/rule_restriction.h"

namespace m2z::readers::mapi {

enum class ActionType : std::uint8_t {
  kMove = 0x01,
  kCopy = 0x02,
  kReply = 0x03,
  kOofReply = 0x04,
  kDeferAction = 0x05,
  kBounce = 0x06,
  kForward = 0x07,
  kDelegate = 0x08,
  kTag = 0x09,
  kDelete = 0x0A,
  kMarkAsRead = 0x0B,
};

// ActionFlavor bits ([MS-OXORULE] 2.2.5.1).
inline constexpr std::uint32_t kFwdPreserveSender = 0x00000001;
inline constexpr std::uint32_t kFwdDoNotMungeMessage = 0x00000002;
inline constexpr std::uint32_t kFwdAsAttachment = 0x00000004;
inline constexpr std::uint32_t kFwdAsSmsAlert = 0x00000008;
inline constexpr std::uint32_t kReplyDoNotSendToOriginator = 0x00000001;
inline constexpr std::uint32_t kReplyStockTemplate = 0x00000002;

// One ActionBlock. Which fields are set depends on the type.
struct ParsedAction {
  ActionType type = ActionType::kDeferAction;
  std::uint32_t flavor = 0;
  std::uint32_t flags = 0;
  // OP_MOVE / OP_COPY
  bool folder_in_this_store = true;
  Binary store_entry_id;
  Binary folder_entry_id;
  // OP_REPLY / OP_OOF_REPLY: standard rules name the template by folder and message id,
  // extended rules by entry id.
  std::uint64_t template_folder_id = 0;
  std::uint64_t template_message_id = 0;
  Binary template_entry_id;
  Binary template_guid;
  // OP_FORWARD / OP_DELEGATE: one property list per recipient
  std::vector<std::vector<RuleValue>> recipients;
  // OP_TAG
  std::optional<RuleValue> tag;
  // OP_BOUNCE
  std::uint32_t bounce_code = 0;
  // OP_DEFER_ACTION, and any action type this parser does not know: the ActionData as stored
  Binary raw_data;
  bool operator==(const ParsedAction&) const = default;
};

// A RuleAction structure: NoOfActions then the blocks, counts as `width` says.
[[nodiscard]] Result<std::vector<ParsedAction>> parseRuleActions(std::span<const std::uint8_t> data, CountWidth width,
                                                                 std::string_view property);

// NamedPropertyInformation from the start of `reader`'s buffer.
std::optional<std::vector<NamedPropertyName>> readNamedPropertyInformation(ByteReader& reader);

struct ExtendedCondition {
  std::vector<NamedPropertyName> named;
  Restriction restriction;
};
struct ExtendedActions {
  std::vector<NamedPropertyName> named;
  std::vector<ParsedAction> actions;
};

// PidTagExtendedRuleMessageCondition ([MS-OXORULE] 2.2.4.1.10): NamedPropertyInformation, then a
// restriction with 4-byte counts.
[[nodiscard]] Result<ExtendedCondition> parseExtendedRuleCondition(std::span<const std::uint8_t> data);
// PidTagExtendedRuleMessageActions ([MS-OXORULE] 2.2.4.1.9): NamedPropertyInformation, RuleVersion
// (1), then a RuleAction with 4-byte counts.
[[nodiscard]] Result<ExtendedActions> parseExtendedRuleActions(std::span<const std::uint8_t> data);

}  // namespace m2z::readers::mapi
