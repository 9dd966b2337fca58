// A mail rule as Outlook or Exchange keeps it (server rules and extended rules, [MS-OXORULE]),
// reduced to the conditions and actions a filter writer can express, with anything that could
// not be reduced kept as raw bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/appointment_parts.h"
#include "model/provenance.h"

namespace m2z::model {

// Which kind of source object the rule was read from.
enum class RuleSource {
  kServerRule,    // IPM.Rule.Version2.Message: a standard rule kept as a hidden message
  kExtendedRule,  // IPM.ExtendedRule.Message ([MS-OXORULE] 2.2.4)
};

enum class RuleConditionKind {
  kFrom,               // sender name or address contains / is one of `values`
  kSentTo,             // a To or Cc recipient contains / is one of `values`
  kSentToMe,           // I am a recipient (PidTagMessageToMe)
  kSentOnlyToMe,       // I am the only To recipient
  kCcMe,               // I am on Cc (PidTagMessageCcMe)
  kSubjectContains,
  kBodyContains,
  kHeaderContains,     // the transport headers contain one of `values`
  kSubjectOrBodyContains,
  kSizeAtLeast,        // `number` bytes
  kSizeAtMost,         // `number` bytes
  kImportance,         // `number`: 0 low, 1 normal, 2 high
  kSensitivity,        // `number`: 0 normal, 1 personal, 2 private, 3 confidential
  kHasAttachment,
  kCategory,           // one of the categories in `values`
  kOther,              // not reduced: `description` says what the restriction was
};

struct RuleCondition {
  RuleConditionKind kind = RuleConditionKind::kOther;
  std::vector<std::string> values;   // texts or addresses, any of which matches
  std::optional<std::int64_t> number;
  std::string description;           // the restriction as text, always set (for audits)
  bool operator==(const RuleCondition&) const = default;
};

enum class RuleActionKind {
  kMove,
  kCopy,
  kDelete,
  kForward,
  kForwardAsAttachment,
  kRedirect,        // forward keeping the original sender
  kReply,           // reply with the template in `template_entry_id`
  kOofReply,        // out-of-office reply with a template
  kMarkRead,
  kSetImportance,   // `number`: 0 low, 1 normal, 2 high
  kSetSensitivity,  // `number`
  kFlag,            // follow-up flag (PidTagFlagStatus = `number`)
  kSetProperty,     // OP_TAG on another property: `property` and `value_text`
  kBounce,          // `number`: the bounce code
  kDelegate,
  kDeferred,        // client-side action (OP_DEFER_ACTION): the data is only meaningful to Outlook
  kStopProcessing,  // no later rule runs (ST_EXIT_LEVEL in the rule state)
};

struct RuleAction {
  RuleActionKind kind = RuleActionKind::kDeferred;
  std::string folder_entry_id;     // move/copy: folder entry id, uppercase hex
  std::string folder_path;         // move/copy: the target as a folder path, when the reader resolved it
  std::string store_entry_id;      // move/copy to another store: its entry id, uppercase hex
  std::vector<Person> recipients;  // forward, redirect, delegate
  std::string template_entry_id;   // reply / OOF reply: the template message, uppercase hex
  std::string template_guid;       // reply: ReplyTemplateGUID
  std::optional<std::int64_t> number;
  std::string property;            // kSetProperty: the property tag, "0x0017" or a named property
  std::string value_text;          // kSetProperty: the value as text
  std::uint32_t flavor = 0;        // ActionFlavor as stored
  bool operator==(const RuleAction&) const = default;
};

// Bytes of the source that were not turned into conditions or actions.
struct RawRulePart {
  std::string field;  // e.g. "PidTagExtendedRuleMessageActions", "OP_DEFER_ACTION data"
  std::vector<std::uint8_t> bytes;
  std::string why;
  bool operator==(const RawRulePart&) const = default;
};

struct Rule {
  Provenance provenance;
  RuleSource source = RuleSource::kExtendedRule;
  std::string name;
  bool enabled = false;
  std::int32_t sequence = 0;  // lower runs first
  std::string provider;       // "RuleOrganizer", "JunkEmailRule", "MSFT:TDX OOF Rules", ...
  std::uint32_t state = 0;    // PidTagRuleMessageState as stored
  bool only_when_oof = false;
  bool stop_processing = false;
  // All conditions must hold; the rule does not run if any exception holds.
  std::vector<RuleCondition> conditions;
  std::vector<RuleCondition> exceptions;
  std::vector<RuleAction> actions;
  std::string condition_text;  // the whole restriction as text
  std::vector<RawRulePart> undecoded;
  bool operator==(const Rule&) const = default;
};

const char* toString(RuleSource source);
const char* toString(RuleConditionKind kind);
const char* toString(RuleActionKind kind);

}  // namespace m2z::model
