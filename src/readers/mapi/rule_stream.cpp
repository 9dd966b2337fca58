#include "readers/mapi/rule_stream.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "readers/mapi/blob_parsers.h"
#include "readers/mapi/byte_reader.h"
#include "readers/mapi/codepage.h"

namespace m2z::readers::mapi {

namespace {

struct KnownVersion {
  std::uint32_t signature;
  const char* name;
  bool has_flags;  // a second 4-byte word, and a ninth unknown word before the count
  bool unicode;
};

// Version stamps Outlook writes first in the stream (decimal dates or version numbers).
constexpr KnownVersion kVersions[] = {
    {1310720, "2019", true, true}, {1200000, "2007", true, true}, {1100000, "2003", true, true},
    {1000000, "2002", true, true}, {980413, "2000", false, false}, {970812, "98", false, false},
};

// Outlook 97 streams have no header, no per-rule stamp and no footer.
bool isOutlook97(const RulesStreamHeader& header) { return header.signature == 0 && header.outlook_version == "97"; }

// An MFC-style counted string: a 1-byte length, or 0xFF then a 2-byte length; the length counts
// characters (UTF-16 units for Unicode strings). 8-bit text is Windows-1252, Outlook's default.
std::optional<std::string> readCountedString(ByteReader& reader, bool unicode, std::string_view field) {
  const auto short_length = reader.u8(field);
  if (!short_length) return std::nullopt;
  std::size_t length = *short_length;
  if (length == 0xFF) {
    const auto long_length = reader.u16(field);
    if (!long_length) return std::nullopt;
    length = *long_length;
  }
  const auto bytes = reader.take(unicode ? length * 2 : length, field);
  if (!bytes) return std::nullopt;
  if (unicode) return utf16LeToUtf8(*bytes);
  auto text = decodeCodepage(*bytes, kDefaultCodepage);
  return text.ok() ? std::move(text.value()) : std::string(bytes->begin(), bytes->end());
}

// Reads the stream header, leaving `reader` at the rule count.
bool readPreamble(ByteReader& reader, RulesStreamHeader& header) {
  const auto signature = reader.u32("signature");
  if (!signature) return false;
  const KnownVersion* version = nullptr;
  for (const auto& known : kVersions) {
    if (known.signature == *signature) version = &known;
  }
  if (version != nullptr) {
    header.signature = *signature;
    header.outlook_version = version->name;
    header.unicode = version->unicode;
    // flags (2002+), eight unknown words, and a ninth one (2002+).
    const std::size_t skip = (version->has_flags ? 4 : 0) + 32 + (version->has_flags ? 4 : 0);
    return reader.take(skip, "header").has_value();
  }
  if (*signature == 0) {
    // Outlook 2003 without a stamp: the zero just read and eight more words; names are 8-bit
    // (NoSignatureFromOutlook2003.rwz).
    header.outlook_version = "2003";
    return reader.take(32, "header").has_value();
  }
  // Outlook 97: no header at all, the rule count comes first.
  header.outlook_version = "97";
  return reader.seek(0, "header");
}

std::string upperHex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const auto byte : bytes) {
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0x0F];
  }
  return out;
}

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find(';', start);
    auto part = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    while (!part.empty() && part.front() == ' ') part.erase(part.begin());
    while (!part.empty() && part.back() == ' ') part.pop_back();
    if (!part.empty()) parts.push_back(std::move(part));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return parts;
}

// How an element's parameter is laid out. Every parameter starts with a reserved 4-byte word.
enum class Param {
  kNone,           // no parameter
  kNumber,         // one 4-byte value
  kTwoNumbers,     // size range, relevance range
  kText,           // one counted string (UTF-16 from Outlook 2002 on, else 8-bit)
  kTextList,       // like kText, a ';'-separated list (categories)
  kUnicodeText,    // one counted UTF-16 string whatever the version
  kAnsiText,       // one counted 8-bit string whatever the version
  kAddresses,      // a list of address-book rows
  kFolder,         // folder entry id, store entry id, folder name
  kDateSpan,       // two optional OLE dates
  kFlag,           // days, action name, unknown word
  kFlagged,        // unknown word, action name, unknown word
  kFollowUp,       // follow-up code, UTF-16 action name
  kAccount,        // UTF-16 account name, 8-bit account stamp
  kGuid,           // 16 bytes (profile stamp)
  kEntryAndName,   // entry id, UTF-16 name (address book, server reply template)
  kFormType,       // form name, 8-bit message class
  kScript,         // two UTF-16 strings
  kCustomAction,   // four strings
  kRetention,      // GUID, UTF-16 name
  kForm,           // forms, document properties, message classes
};

struct ElementKind {
  std::uint32_t id;  // condition ids also stand for their exception (id + 300)
  const char* name;
  Param param;
};

constexpr ElementKind kKinds[] = {
    {rwz::kEventFlags, "event-flags", Param::kNumber},
    {rwz::kUnknown64, "unknown-0x64", Param::kNumber},
    {rwz::kNameInTo, "name-in-to", Param::kNone},
    {rwz::kSentOnlyToMe, "sent-only-to-me", Param::kNone},
    {rwz::kNameNotInTo, "name-not-in-to", Param::kNone},
    {rwz::kFrom, "from", Param::kAddresses},
    {rwz::kSentTo, "sent-to", Param::kAddresses},
    {rwz::kSubjectWords, "subject-contains", Param::kTextList},
    {rwz::kBodyWords, "body-contains", Param::kTextList},
    {rwz::kSubjectOrBodyWords, "subject-or-body-contains", Param::kTextList},
    {rwz::kFlaggedForAction, "flagged-for-action", Param::kFlagged},
    {rwz::kImportance, "importance", Param::kNumber},
    {rwz::kSensitivity, "sensitivity", Param::kNumber},
    {rwz::kCategory, "category", Param::kTextList},
    {rwz::kAutomaticReply, "automatic-reply", Param::kNone},
    {rwz::kHasAttachment, "has-attachment", Param::kNone},
    {rwz::kDocumentProperties, "document-properties", Param::kForm},
    {rwz::kSizeRange, "size-range", Param::kTwoNumbers},
    {rwz::kDateSpan, "received-date-span", Param::kDateSpan},
    {rwz::kNameInCc, "name-in-cc", Param::kNone},
    {rwz::kNameInToOrCc, "name-in-to-or-cc", Param::kNone},
    {rwz::kUsesForm, "uses-form", Param::kFormType},
    {rwz::kRecipientAddressWords, "recipient-address-contains", Param::kTextList},
    {rwz::kSenderAddressWords, "sender-address-contains", Param::kTextList},
    {rwz::kHeaderWords, "header-contains", Param::kTextList},
    {rwz::kExceptionList, "exception-list", Param::kAnsiText},
    {rwz::kJunk, "junk", Param::kAnsiText},
    {rwz::kAdult, "adult-content", Param::kAnsiText},
    {rwz::kRelevanceRange, "relevance-range", Param::kTwoNumbers},
    {rwz::kThroughAccount, "through-account", Param::kAccount},
    {rwz::kOnThisMachineOnly, "on-this-machine-only", Param::kGuid},
    {rwz::kSenderInAddressBook, "sender-in-address-book", Param::kEntryAndName},
    {rwz::kMeetingRequest, "meeting-request", Param::kNone},
    {rwz::kAlert, "alert", Param::kUnicodeText},
    {rwz::kInfoPathForm, "infopath-form", Param::kFormType},
    {rwz::kRssTitleWords, "rss-title-contains", Param::kTextList},
    {rwz::kAnyCategory, "any-category", Param::kNone},
    {rwz::kAnyRssFeed, "any-rss-feed", Param::kNone},
    {rwz::kMoveToFolder, "move-to-folder", Param::kFolder},
    {rwz::kDelete, "delete", Param::kNone},
    {rwz::kForward, "forward", Param::kAddresses},
    {rwz::kReplyWithTemplate, "reply-with-template", Param::kText},
    {rwz::kShowNewItemAlert, "new-item-alert", Param::kText},
    {rwz::kFlagForAction, "flag-for-action", Param::kFlag},
    {rwz::kClearFlag, "clear-flag", Param::kNone},
    {rwz::kAssignCategory, "assign-category", Param::kTextList},
    {rwz::kPlaySound, "play-sound", Param::kText},
    {rwz::kMarkImportance, "mark-importance", Param::kNumber},
    {rwz::kMarkSensitivity, "mark-sensitivity", Param::kNumber},
    {rwz::kCopyToFolder, "copy-to-folder", Param::kFolder},
    {rwz::kNotifyRead, "notify-read", Param::kNone},
    {rwz::kNotifyDelivered, "notify-delivered", Param::kNone},
    {rwz::kCc, "cc", Param::kAddresses},
    {rwz::kDeferDelivery, "defer-delivery", Param::kNumber},
    {rwz::kCustomAction, "custom-action", Param::kCustomAction},
    {rwz::kStopProcessing, "stop-processing", Param::kNone},
    {rwz::kNoJunkScan, "no-junk-scan", Param::kNone},
    {rwz::kRedirect, "redirect", Param::kAddresses},
    {rwz::kAddToRelevance, "add-to-relevance", Param::kNumber},
    {rwz::kServerReply, "server-reply", Param::kEntryAndName},
    {rwz::kForwardAsAttachment, "forward-as-attachment", Param::kAddresses},
    {rwz::kPrint, "print", Param::kNone},
    {rwz::kStartApplication, "start-application", Param::kText},
    {rwz::kPermanentlyDelete, "permanently-delete", Param::kNone},
    {rwz::kRunScript, "run-script", Param::kScript},
    {rwz::kMarkRead, "mark-read", Param::kNone},
    {rwz::kDesktopAlert, "desktop-alert", Param::kNone},
    {rwz::kFlagForFollowUp, "flag-for-follow-up", Param::kFollowUp},
    {rwz::kClearCategories, "clear-categories", Param::kNone},
    {rwz::kRetentionPolicy, "retention-policy", Param::kRetention},
};

const ElementKind* kindOf(std::uint32_t id) {
  const std::uint32_t base = id >= 500 && id < 600 ? id - rwz::kExceptionOffset : id;
  for (const auto& kind : kKinds) {
    if (kind.id == base) return &kind;
  }
  return nullptr;
}

ClientElementRole roleOf(std::uint32_t id) {
  if (id >= 200 && id < 300) return ClientElementRole::kCondition;
  if (id >= 300 && id < 400) return ClientElementRole::kAction;
  if (id >= 500 && id < 600) return ClientElementRole::kException;
  return ClientElementRole::kInternal;
}

// PT_ types that can occur in an address row, and how their value is stored after the headers.
constexpr std::uint16_t kPtLong = 0x0003;
constexpr std::uint16_t kPtString8 = 0x001E;
constexpr std::uint16_t kPtUnicode = 0x001F;
constexpr std::uint16_t kPtBinary = 0x0102;

// One address-book row: 16-byte property headers (tag, pad, 8-byte value whose first word is a
// PT_BINARY's size), then the variable-length values in header order (binary: that many bytes;
// strings: NUL-terminated). Only the address fields are kept; the row's own size bounds it.
std::optional<ClientAddress> readAddressRow(std::span<const std::uint8_t> row, std::uint32_t property_count,
                                            std::string_view property, std::string& why) {
  ByteReader reader(row, property);
  if (property_count > row.size() / 16) {
    why = "the address row claims " + std::to_string(property_count) + " properties in " +
          std::to_string(row.size()) + " bytes";
    return std::nullopt;
  }
  struct Header {
    std::uint32_t tag;
    std::uint32_t size;
  };
  std::vector<Header> headers;
  headers.reserve(property_count);
  for (std::uint32_t i = 0; i < property_count; ++i) {
    const auto tag = reader.u32("property tag");
    reader.take(4, "pad");
    const auto size = reader.u32("value");
    reader.take(4, "value");
    if (reader.failed()) break;
    headers.push_back({*tag, *size});
  }
  ClientAddress address;
  std::string email_address;
  std::string smtp_address;
  std::string search_key_address;
  for (const auto& header : headers) {
    const auto type = static_cast<std::uint16_t>(header.tag & 0xFFFF);
    const auto id = static_cast<std::uint16_t>(header.tag >> 16);
    std::string text;
    if (type == kPtBinary) {
      const auto bytes = reader.take(header.size, "binary value");
      if (!bytes) break;
      // PidTagSearchKey is "ADDRTYPE:ADDRESS" in upper case plus a NUL; some rows carry the SMTP
      // address only there.
      static constexpr std::string_view kSmtpKey = "SMTP:";
      if (id == 0x300B && bytes->size() > kSmtpKey.size() &&
          std::equal(kSmtpKey.begin(), kSmtpKey.end(), bytes->begin())) {
        for (auto byte = bytes->begin() + static_cast<std::ptrdiff_t>(kSmtpKey.size()); byte != bytes->end() && *byte != 0;
             ++byte) {
          search_key_address += static_cast<char>(*byte >= 'A' && *byte <= 'Z' ? *byte + ('a' - 'A') : *byte);
        }
      }
      continue;
    }
    if (type == kPtString8) {
      const auto start = reader.offset();
      std::size_t end = start;
      while (end < row.size() && row[end] != 0) ++end;
      if (end >= row.size()) {
        why = "an 8-bit string of the address row has no terminator";
        return std::nullopt;
      }
      auto decoded = decodeCodepage(row.subspan(start, end - start), kDefaultCodepage);
      text = decoded.ok() ? decoded.value() : std::string(row.begin() + static_cast<std::ptrdiff_t>(start),
                                                          row.begin() + static_cast<std::ptrdiff_t>(end));
      reader.seek(end + 1, "string value");
    } else if (type == kPtUnicode) {
      const auto start = reader.offset();
      std::size_t end = start;
      while (end + 1 < row.size() && (row[end] != 0 || row[end + 1] != 0)) end += 2;
      if (end + 1 >= row.size()) {
        why = "a UTF-16 string of the address row has no terminator";
        return std::nullopt;
      }
      text = utf16LeToUtf8(row.subspan(start, end - start));
      reader.seek(end + 2, "string value");
    } else if ((type & 0x1000) != 0) {
      // Multi-valued values are not laid out as above; the row's address fields come first.
      break;
    } else {
      continue;  // fixed-size values live in the header
    }
    if (id == 0x3001) address.display_name = text;
    if (id == 0x3002) address.address_type = text;
    if (id == 0x3003) email_address = text;
    if (id == 0x39FE) smtp_address = text;
  }
  address.email = !smtp_address.empty() ? smtp_address : email_address;
  if (address.email.empty()) address.email = search_key_address;
  return address;
}

class StreamParser {
 public:
  StreamParser(std::span<const std::uint8_t> data, std::string_view property, const RulesStreamHeader& header)
      : data_(data), property_(property), header_(header) {}

  Result<std::vector<ClientRule>> parse() {
    ByteReader reader(data_, property_);
    RulesStreamHeader ignored;
    if (!readPreamble(reader, ignored)) return reader.error();
    const auto count = reader.u16("rule count");
    if (!count) return reader.error();
    std::vector<ClientRule> rules;
    for (std::uint16_t index = 0; index < *count; ++index) {
      // Each rule takes at least a dozen bytes, so a corrupt count cannot make us loop long.
      if (reader.offset() >= data_.size()) {
        return Error{"rules_stream.truncated",
                     std::string(property_) + ": rule " + std::to_string(index + 1) + " of " +
                         std::to_string(*count) + " is missing (the stream ends)",
                     std::string(property_)};
      }
      auto rule = readRule(reader, index);
      if (!rule.ok()) return rule.error();
      rules.push_back(std::move(rule.value()));
    }
    if (!isOutlook97(header_)) {
      // Footer: the template directory (counted in characters by a 4-byte length), the date the
      // rules were saved (12 bytes) and one unknown word.
      const auto length = reader.u32("template directory length");
      if (length) reader.take(static_cast<std::size_t>(*length) * (header_.unicode ? 2 : 1), "template directory");
      reader.take(16, "footer");
      if (reader.failed()) return reader.error();
    }
    return rules;
  }

 private:
  Error ruleError(std::size_t index, const std::string& name, const std::string& why) const {
    return Error{"rules_stream.invalid",
                 std::string(property_) + ": rule " + std::to_string(index + 1) +
                     (name.empty() ? std::string() : " \"" + name + "\"") + ": " + why,
                 std::string(property_)};
  }

  // Where the rule's element count is: the count is followed by the element class tag (0xFFFF,
  // schema 0, "CRuleElement" the first time the class occurs, 0x8001 after) and the first element
  // is always the event flags (0x190). The words between "enabled" and the count differ by
  // version (two for Outlook 97, three for 98/2000, four plus the rule size from 2002 on).
  std::optional<std::size_t> findElementCount(std::size_t from) const {
    static constexpr std::uint8_t kClassTag[] = {0xFF, 0xFF, 0x00, 0x00, 0x0C, 0x00, 'C', 'R', 'u', 'l',
                                                 'e',  'E',  'l',  'e',  'm',  'e',  'n', 't'};
    for (std::size_t gap = 8; gap <= 20; gap += 4) {
      const std::size_t at = from + gap;
      if (at + 2 > data_.size()) break;
      std::size_t element = at + 2;
      if (data_.size() - element >= sizeof kClassTag && std::memcmp(&data_[element], kClassTag, sizeof kClassTag) == 0) {
        element += sizeof kClassTag;
      } else if (data_.size() - element >= 2 && data_[element] == 0x01 && data_[element + 1] == 0x80) {
        element += 2;
      } else {
        continue;
      }
      if (data_.size() - element >= 4 && data_[element] == 0x90 && data_[element + 1] == 0x01 &&
          data_[element + 2] == 0 && data_[element + 3] == 0) {
        return at;
      }
    }
    return std::nullopt;
  }

  Result<ClientRule> readRule(ByteReader& reader, std::size_t index) {
    ClientRule rule;
    if (header_.unicode && !reader.take(4, "rule stamp")) return reader.error();
    auto name = readCountedString(reader, header_.unicode, "rule name");
    if (!name) return reader.error();
    rule.name = std::move(*name);
    const auto enabled = reader.u32("enabled");
    if (!enabled) return reader.error();
    rule.enabled = *enabled != 0;
    const auto count_at = findElementCount(reader.offset());
    if (!count_at) return ruleError(index, rule.name, "no rule elements where they should start");
    // From Outlook 2002 on, the word before the count is the size of the rest of the rule.
    std::size_t end = data_.size();
    if (header_.unicode) {
      std::uint32_t size = 0;
      std::memcpy(&size, &data_[*count_at - 4], sizeof size);  // little-endian hosts only (x86/arm64)
      if (size > data_.size() - *count_at) return ruleError(index, rule.name, "its size runs past the stream");
      end = *count_at + size;
    }
    reader.seek(*count_at, "element count");
    const auto element_count = reader.u16("element count");
    if (!element_count) return reader.error();
    ByteReader elements(data_.subspan(0, end), property_);
    elements.seek(reader.offset(), "elements");
    for (std::uint16_t i = 0; i < *element_count; ++i) {
      const auto marker = elements.u16("element class");
      if (marker && *marker == 0xFFFF) elements.take(16, "element class name");
      std::string why;
      if (!elements.failed()) {
        auto element = readElement(elements, why);
        if (element) {
          if (element->id == rwz::kEventFlags && element->number) rule.event_flags = *element->number;
          if (element->id == rwz::kOnThisMachineOnly) rule.client_only = true;
          switch (element->role) {
            case ClientElementRole::kCondition: rule.conditions.push_back(std::move(*element)); break;
            case ClientElementRole::kAction: rule.actions.push_back(std::move(*element)); break;
            case ClientElementRole::kException: rule.exceptions.push_back(std::move(*element)); break;
            case ClientElementRole::kInternal: break;
          }
          continue;
        }
      }
      if (why.empty()) why = elements.failed() ? elements.error().message : "unreadable element";
      if (!header_.unicode) return ruleError(index, rule.name, "element " + std::to_string(i + 1) + ": " + why);
      // The rule's size tells where the next rule starts: keep the rest of this one as bytes.
      const std::size_t from = std::min(elements.offset(), end);
      rule.undecoded.assign(data_.begin() + static_cast<std::ptrdiff_t>(from),
                            data_.begin() + static_cast<std::ptrdiff_t>(end));
      rule.undecoded_why = "element " + std::to_string(i + 1) + ": " + why;
      reader.seek(end, "next rule");
      return rule;
    }
    if (header_.unicode && elements.offset() != end) {
      rule.undecoded.assign(data_.begin() + static_cast<std::ptrdiff_t>(elements.offset()),
                            data_.begin() + static_cast<std::ptrdiff_t>(end));
      rule.undecoded_why = "bytes after the last element";
    }
    reader.seek(header_.unicode ? end : elements.offset(), "next rule");
    return rule;
  }

  std::optional<std::string> text(ByteReader& reader, bool unicode, std::string_view field) {
    return readCountedString(reader, unicode, field);
  }

  std::optional<std::string> entryId(ByteReader& reader, std::string_view field) {
    const auto size = reader.u32(field);
    if (!size) return std::nullopt;
    const auto bytes = reader.take(*size, field);
    if (!bytes) return std::nullopt;
    return upperHex(*bytes);
  }

  // One element: id, parameter count, parameters. nullopt with `why` (or a reader error) when it
  // cannot be read; then the caller cannot know where the next element starts.
  std::optional<ClientRuleElement> readElement(ByteReader& reader, std::string& why) {
    const auto id = reader.u32("element id");
    const auto parameter_count = reader.u32("parameter count");
    if (reader.failed()) return std::nullopt;
    ClientRuleElement element;
    element.id = *id;
    element.role = roleOf(*id);
    const ElementKind* kind = kindOf(*id);
    if (kind == nullptr) {
      why = "unknown element id 0x" + upperHex(std::array<std::uint8_t, 2>{static_cast<std::uint8_t>(*id >> 8),
                                                                          static_cast<std::uint8_t>(*id)});
      return std::nullopt;
    }
    element.name = kind->name;
    if (*parameter_count == 0) return element;
    // Word lists and form lists store one parameter per entry; each takes at least 5 bytes.
    if (kind->param == Param::kNone || *parameter_count > (reader.size() - reader.offset()) / 5) {
      why = std::string(kind->name) + " has " + std::to_string(*parameter_count) + " parameter(s)";
      return std::nullopt;
    }
    const std::size_t start = reader.offset();
    for (std::uint32_t i = 0; i < *parameter_count; ++i) {
      if (!readParameter(reader, *kind, element, why)) return std::nullopt;
    }
    element.raw.assign(data_.begin() + static_cast<std::ptrdiff_t>(start),
                       data_.begin() + static_cast<std::ptrdiff_t>(reader.offset()));
    return element;
  }

  bool readParameter(ByteReader& reader, const ElementKind& element_kind, ClientRuleElement& element,
                     std::string& why) {
    const ElementKind* kind = &element_kind;
    if (!reader.take(4, "reserved")) return false;
    const bool unicode = header_.unicode;
    switch (kind->param) {
      case Param::kNone: break;
      case Param::kNumber: element.number = reader.u32(kind->name); break;
      case Param::kTwoNumbers:
        element.number = reader.u32(kind->name);
        element.number2 = reader.u32(kind->name);
        break;
      case Param::kText:
      case Param::kTextList:
      case Param::kUnicodeText:
      case Param::kAnsiText: {
        const bool wide = kind->param == Param::kUnicodeText || (kind->param != Param::kAnsiText && unicode);
        auto value = text(reader, wide, kind->name);
        if (!value) break;
        if (kind->param == Param::kTextList) {
          for (auto& part : splitList(*value)) element.texts.push_back(std::move(part));
        } else {
          element.texts.push_back(std::move(*value));
        }
        break;
      }
      case Param::kAddresses: {
        const auto count = reader.u32("address count");
        if (!count) break;
        if (*count > reader.size() / 12) {
          why = std::string(kind->name) + " claims " + std::to_string(*count) + " addresses";
          return false;
        }
        for (std::uint32_t i = 0; i < *count && !reader.failed(); ++i) {
          reader.take(4, "address row tag");
          const auto property_count = reader.u32("address property count");
          const auto size = reader.u32("address row size");
          if (!size) break;
          const auto row = reader.take(*size, "address row");
          if (!row) break;
          auto address = readAddressRow(*row, *property_count, property_, why);
          if (!address) return false;
          element.addresses.push_back(std::move(*address));
        }
        reader.take(8, "address list trailer");
        break;
      }
      case Param::kFolder: {
        auto folder = entryId(reader, "folder entry id");
        auto store = entryId(reader, "store entry id");
        auto name = text(reader, unicode, "folder name");
        if (!isOutlook97(header_)) reader.take(4, "other user's store flag");
        if (reader.failed()) break;
        element.entry_id = std::move(*folder);
        element.store_entry_id = std::move(*store);
        element.texts.push_back(std::move(*name));
        break;
      }
      case Param::kDateSpan: {
        // Each bound: a 4-byte "used" flag, then an OLE DATE (a status word, then the double).
        for (int bound = 0; bound < 2 && !reader.failed(); ++bound) {
          const auto used = reader.u32("date used");
          reader.take(4, "date status");
          const auto bytes = reader.take(8, "date");
          if (!bytes) break;
          double value = 0;
          std::memcpy(&value, bytes->data(), sizeof value);  // IEEE 754 little-endian, as on x86/arm64
          if (*used != 0) (bound == 0 ? element.after_date : element.before_date) = value;
        }
        break;
      }
      case Param::kFlag: {
        element.number2 = reader.u32("days");
        auto action = text(reader, unicode, "flag action");
        reader.take(4, "flag trailer");
        if (action) element.texts.push_back(std::move(*action));
        break;
      }
      case Param::kFlagged: {
        reader.take(4, "flagged unknown");
        auto action = text(reader, unicode, "flag action");
        reader.take(4, "flagged trailer");
        if (action) element.texts.push_back(std::move(*action));
        break;
      }
      case Param::kFollowUp: {
        element.number = reader.u32("follow up");
        auto action = text(reader, true, "flag action");
        if (action) element.texts.push_back(std::move(*action));
        break;
      }
      case Param::kAccount: {
        auto account = text(reader, true, "account name");
        auto stamp = text(reader, false, "account stamp");
        if (account && stamp) {
          element.texts.push_back(std::move(*account));
          element.texts.push_back(std::move(*stamp));
        }
        break;
      }
      case Param::kGuid: {
        const auto guid = reader.take(16, "profile stamp");
        if (guid) element.entry_id = upperHex(*guid);
        break;
      }
      case Param::kEntryAndName: {
        auto entry = entryId(reader, "entry id");
        auto name = text(reader, true, "name");
        if (entry && name) {
          element.entry_id = std::move(*entry);
          element.texts.push_back(std::move(*name));
        }
        break;
      }
      case Param::kFormType: {
        auto name = text(reader, unicode, "form name");
        auto message_class = text(reader, false, "message class");
        if (name && message_class) {
          element.texts.push_back(std::move(*name));
          element.texts.push_back(std::move(*message_class));
        }
        break;
      }
      case Param::kScript: {
        auto script = text(reader, true, "script");
        auto function = text(reader, true, "function");
        if (script && function) {
          element.texts.push_back(std::move(*script));
          element.texts.push_back(std::move(*function));
        }
        break;
      }
      case Param::kCustomAction: {
        for (int i = 0; i < 4 && !reader.failed(); ++i) {
          auto value = text(reader, unicode, "custom action");
          if (value) element.texts.push_back(std::move(*value));
        }
        break;
      }
      case Param::kRetention: {
        const auto guid = reader.take(16, "retention policy");
        auto name = text(reader, true, "retention policy name");
        if (guid && name) {
          element.entry_id = upperHex(*guid);
          element.texts.push_back(std::move(*name));
        }
        break;
      }
      case Param::kForm: {
        auto forms = text(reader, unicode, "forms");
        const auto property_count = reader.u16("document property count");
        if (!forms || !property_count) break;
        for (auto& part : splitList(*forms)) element.texts.push_back(std::move(part));
        for (std::uint16_t i = 0; i < *property_count && !reader.failed(); ++i) {
          // field name, tag, string match + value, number match + two values, bool match, a word,
          // date match, OLE date (12), a word.
          text(reader, unicode, "document property field");
          reader.take(8, "document property");
          text(reader, unicode, "document property value");
          reader.take(40, "document property");
        }
        const auto class_count = reader.u32("form class count");
        if (!class_count) break;
        if (*class_count > reader.size()) {
          why = "document-properties claims " + std::to_string(*class_count) + " form classes";
          return false;
        }
        for (std::uint32_t i = 0; i < *class_count && !reader.failed(); ++i) text(reader, false, "form class");
        break;
      }
    }
    return !reader.failed();
  }

  std::span<const std::uint8_t> data_;
  std::string_view property_;
  const RulesStreamHeader& header_;
};

}  // namespace

Result<RulesStreamHeader> parseRulesStreamHeader(std::span<const std::uint8_t> data, std::string_view property) {
  ByteReader reader(data, property);
  RulesStreamHeader header;
  if (!readPreamble(reader, header)) return reader.error();
  const auto count = reader.u16("rule count");
  if (!count) return reader.error();
  header.rule_count = *count;
  if (header.rule_count > 0) {
    if (header.unicode && !reader.take(4, "rule stamp")) return reader.error();
    auto name = readCountedString(reader, header.unicode, "rule name");
    if (!name) return reader.error();
    header.first_rule_name = std::move(*name);
  }
  return header;
}

Result<std::vector<ClientRule>> parseRulesStream(std::span<const std::uint8_t> data, std::string_view property) {
  ByteReader reader(data, property);
  RulesStreamHeader header;
  if (!readPreamble(reader, header)) return reader.error();
  return StreamParser(data, property, header).parse();
}

}  // namespace m2z::readers::mapi
