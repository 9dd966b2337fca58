// The Outlook client's own rules stream (PidTagRwRulesStream on the IPM.RuleOrganizer message,
// and the same bytes in a Rules Wizard .rwz export): its header, and every rule with its
// conditions, actions and exceptions as Outlook's rule elements.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

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

// Rule element ids as Outlook writes them (the Rules Wizard's condition/action/exception lines).
// Conditions are 200-299, actions 300-399, exceptions 500-599 (a condition's id + 300).
namespace rwz {
inline constexpr std::uint32_t kNameInTo = 0xC8;
inline constexpr std::uint32_t kSentOnlyToMe = 0xC9;
inline constexpr std::uint32_t kNameNotInTo = 0xCA;
inline constexpr std::uint32_t kFrom = 0xCB;
inline constexpr std::uint32_t kSentTo = 0xCC;
inline constexpr std::uint32_t kSubjectWords = 0xCD;
inline constexpr std::uint32_t kBodyWords = 0xCE;
inline constexpr std::uint32_t kSubjectOrBodyWords = 0xCF;
inline constexpr std::uint32_t kFlaggedForAction = 0xD0;
inline constexpr std::uint32_t kImportance = 0xD2;
inline constexpr std::uint32_t kSensitivity = 0xD3;
inline constexpr std::uint32_t kCategory = 0xD7;
inline constexpr std::uint32_t kAutomaticReply = 0xDC;
inline constexpr std::uint32_t kHasAttachment = 0xDE;
inline constexpr std::uint32_t kDocumentProperties = 0xDF;
inline constexpr std::uint32_t kSizeRange = 0xE0;
inline constexpr std::uint32_t kDateSpan = 0xE1;
inline constexpr std::uint32_t kNameInCc = 0xE2;
inline constexpr std::uint32_t kNameInToOrCc = 0xE3;
inline constexpr std::uint32_t kUsesForm = 0xE4;
inline constexpr std::uint32_t kRecipientAddressWords = 0xE5;
inline constexpr std::uint32_t kSenderAddressWords = 0xE6;
inline constexpr std::uint32_t kHeaderWords = 0xE8;
inline constexpr std::uint32_t kExceptionList = 0xE9;
inline constexpr std::uint32_t kJunk = 0xEB;
inline constexpr std::uint32_t kAdult = 0xEC;
inline constexpr std::uint32_t kRelevanceRange = 0xED;
inline constexpr std::uint32_t kThroughAccount = 0xEE;
inline constexpr std::uint32_t kOnThisMachineOnly = 0xEF;
inline constexpr std::uint32_t kSenderInAddressBook = 0xF0;
inline constexpr std::uint32_t kMeetingRequest = 0xF1;
inline constexpr std::uint32_t kAlert = 0xF3;
inline constexpr std::uint32_t kInfoPathForm = 0xF4;
inline constexpr std::uint32_t kRssTitleWords = 0xF5;
inline constexpr std::uint32_t kAnyCategory = 0xF6;
inline constexpr std::uint32_t kAnyRssFeed = 0xF7;

inline constexpr std::uint32_t kMoveToFolder = 0x12C;
inline constexpr std::uint32_t kDelete = 0x12D;
inline constexpr std::uint32_t kForward = 0x12E;
inline constexpr std::uint32_t kReplyWithTemplate = 0x12F;
inline constexpr std::uint32_t kShowNewItemAlert = 0x130;
inline constexpr std::uint32_t kFlagForAction = 0x131;
inline constexpr std::uint32_t kClearFlag = 0x132;
inline constexpr std::uint32_t kAssignCategory = 0x133;
inline constexpr std::uint32_t kPlaySound = 0x136;
inline constexpr std::uint32_t kMarkImportance = 0x137;
inline constexpr std::uint32_t kMarkSensitivity = 0x138;
inline constexpr std::uint32_t kCopyToFolder = 0x139;
inline constexpr std::uint32_t kNotifyRead = 0x13A;
inline constexpr std::uint32_t kNotifyDelivered = 0x13B;
inline constexpr std::uint32_t kCc = 0x13C;
inline constexpr std::uint32_t kDeferDelivery = 0x13E;
inline constexpr std::uint32_t kCustomAction = 0x13F;
inline constexpr std::uint32_t kStopProcessing = 0x142;
inline constexpr std::uint32_t kNoJunkScan = 0x143;
inline constexpr std::uint32_t kRedirect = 0x144;
inline constexpr std::uint32_t kAddToRelevance = 0x145;
inline constexpr std::uint32_t kServerReply = 0x146;
inline constexpr std::uint32_t kForwardAsAttachment = 0x147;
inline constexpr std::uint32_t kPrint = 0x148;
inline constexpr std::uint32_t kStartApplication = 0x149;
inline constexpr std::uint32_t kPermanentlyDelete = 0x14A;
inline constexpr std::uint32_t kRunScript = 0x14B;
inline constexpr std::uint32_t kMarkRead = 0x14C;
inline constexpr std::uint32_t kDesktopAlert = 0x14F;
inline constexpr std::uint32_t kFlagForFollowUp = 0x151;
inline constexpr std::uint32_t kClearCategories = 0x152;
inline constexpr std::uint32_t kRetentionPolicy = 0x153;

inline constexpr std::uint32_t kExceptionOffset = 300;  // exception id = condition id + 300
inline constexpr std::uint32_t kEventFlags = 0x190;     // which messages the rule runs on
inline constexpr std::uint32_t kUnknown64 = 0x64;       // always present, meaning unknown
}  // namespace rwz

enum class ClientElementRole { kCondition, kAction, kException, kInternal };

// A recipient of an address-list element ("from", "sent to", "forward to", ...).
struct ClientAddress {
  std::string display_name;
  std::string address_type;  // PidTagAddressType: "SMTP", "EX", ...
  std::string email;         // PidTagSmtpAddress, else PidTagEmailAddress
  bool operator==(const ClientAddress&) const = default;
};

// One rule element with its parameter decoded into the fields its kind uses.
struct ClientRuleElement {
  std::uint32_t id = 0;
  ClientElementRole role = ClientElementRole::kInternal;
  std::string name;                    // "from", "move-to-folder", ... (unknown ids: "element-0x...")
  std::vector<std::string> texts;      // words, categories (split at ';'), paths, names, account
  std::vector<ClientAddress> addresses;
  std::optional<std::uint32_t> number;   // importance, sensitivity, minimum size (KB), flag, minutes, ...
  std::optional<std::uint32_t> number2;  // maximum size (KB), relevance maximum
  std::optional<double> after_date;      // date span: OLE automation dates (days since 1899-12-30)
  std::optional<double> before_date;
  std::string entry_id;        // folder / template / address book entry id, uppercase hex
  std::string store_entry_id;  // move/copy: the store's entry id, uppercase hex
  std::vector<std::uint8_t> raw;  // the element's parameter bytes as stored
  bool decoded = true;            // false: the parameter layout is not known; see `raw`
  bool operator==(const ClientRuleElement&) const = default;
};

struct ClientRule {
  std::string name;
  bool enabled = false;
  std::uint32_t event_flags = 0;  // the 0x190 element's flags
  bool client_only = false;       // has "on this machine only" (0xEF): Outlook runs it itself
  std::vector<ClientRuleElement> conditions;
  std::vector<ClientRuleElement> actions;
  std::vector<ClientRuleElement> exceptions;
  // Set when the rule's elements could not all be read (Outlook 2002+ streams give each rule's
  // size, so reading resumes at the next rule): the unread bytes and why.
  std::vector<std::uint8_t> undecoded;
  std::string undecoded_why;
  bool operator==(const ClientRule&) const = default;
};

// Every rule of the stream. Fails (naming `property`, the rule and the field) when the stream is
// truncated or not laid out as expected; in Outlook 2002+ streams, which give each rule's size, an
// unreadable element only leaves the rest of its rule in ClientRule::undecoded.
[[nodiscard]] Result<std::vector<ClientRule>> parseRulesStream(std::span<const std::uint8_t> data,
                                                               std::string_view property);

}  // namespace m2z::readers::mapi
