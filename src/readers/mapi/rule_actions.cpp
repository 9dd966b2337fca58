#include "readers/mapi/rule_actions.h"

#include <string>

#include "readers/mapi/blob_parsers.h"

namespace m2z::readers::mapi {

namespace {

std::optional<std::uint32_t> readCount(ByteReader& reader, CountWidth width, std::string_view field) {
  if (width == CountWidth::k16) {
    const auto count = reader.u16(field);
    if (!count) return std::nullopt;
    return *count;
  }
  return reader.u32(field);
}

std::optional<Binary> readSized(ByteReader& reader, CountWidth width, std::string_view field) {
  const auto size = readCount(reader, width, field);
  if (!size) return std::nullopt;
  const auto bytes = reader.take(*size, field);
  if (!bytes) return std::nullopt;
  return Binary(bytes->begin(), bytes->end());
}

std::optional<std::uint64_t> readU64(ByteReader& reader, std::string_view field) {
  const auto low = reader.u32(field);
  const auto high = reader.u32(field);
  if (!low || !high) return std::nullopt;
  return static_cast<std::uint64_t>(*high) << 32 | *low;
}

// The ActionData of one block, read from a reader that holds exactly that data.
bool readActionData(ByteReader& data, ParsedAction& action, CountWidth width) {
  switch (action.type) {
    case ActionType::kMove:
    case ActionType::kCopy: {
      if (width == CountWidth::k16) {
        // Standard rules: FolderInThisStore, then StoreEID and FolderEID with 2-byte sizes
        // ([MS-OXORULE] 2.2.5.1.2.1); in this store the folder is a ServerEid.
        const auto in_this_store = data.u8("FolderInThisStore");
        if (!in_this_store) return false;
        action.folder_in_this_store = *in_this_store != 0;
      }
      auto store = readSized(data, width, "StoreEID");
      if (!store) return false;
      auto folder = readSized(data, width, "FolderEID");
      if (!folder) return false;
      action.store_entry_id = std::move(*store);
      action.folder_entry_id = std::move(*folder);
      if (width == CountWidth::k32) action.folder_in_this_store = action.store_entry_id.empty();
      return true;
    }
    case ActionType::kReply:
    case ActionType::kOofReply: {
      if (width == CountWidth::k16) {
        const auto folder = readU64(data, "ReplyTemplateFID");
        const auto message = readU64(data, "ReplyTemplateMID");
        if (!folder || !message) return false;
        action.template_folder_id = *folder;
        action.template_message_id = *message;
      } else {
        auto entry_id = readSized(data, width, "ReplyTemplateMessageEID");
        if (!entry_id) return false;
        action.template_entry_id = std::move(*entry_id);
      }
      const auto guid = data.take(16, "ReplyTemplateGUID");
      if (!guid) return false;
      action.template_guid.assign(guid->begin(), guid->end());
      return true;
    }
    case ActionType::kBounce: {
      const auto code = data.u32("BounceCode");
      if (!code) return false;
      action.bounce_code = *code;
      return true;
    }
    case ActionType::kForward:
    case ActionType::kDelegate: {
      const auto count_at = data.offset();
      const auto count = readCount(data, width, "RecipientCount");
      if (!count) return false;
      if (*count > data.size() - data.offset()) {
        data.invalid("RecipientCount", count_at, "is " + std::to_string(*count) + ", more than the bytes left");
        return false;
      }
      for (std::uint32_t i = 0; i < *count; ++i) {
        const auto reserved = data.u8("RecipientBlock Reserved");
        if (!reserved) return false;
        const auto values_at = data.offset();
        const auto values = readCount(data, width, "NoOfProperties");
        if (!values) return false;
        if (*values > data.size() - data.offset()) {
          data.invalid("NoOfProperties", values_at, "is " + std::to_string(*values) + ", more than the bytes left");
          return false;
        }
        std::vector<RuleValue> properties;
        for (std::uint32_t j = 0; j < *values; ++j) {
          auto value = readTaggedValue(data, width);
          if (!value) return false;
          properties.push_back(std::move(*value));
        }
        action.recipients.push_back(std::move(properties));
      }
      return true;
    }
    case ActionType::kTag: {
      action.tag = readTaggedValue(data, width);
      return action.tag.has_value();
    }
    case ActionType::kDelete:
    case ActionType::kMarkAsRead:
      return true;
    case ActionType::kDeferAction:
      break;
  }
  // OP_DEFER_ACTION's data is the client's own; unknown types are kept the same way.
  const auto rest = data.take(data.size() - data.offset(), "ActionData");
  if (!rest) return false;
  action.raw_data.assign(rest->begin(), rest->end());
  return true;
}

std::optional<std::vector<ParsedAction>> readRuleActions(ByteReader& reader, CountWidth width,
                                                         std::string_view property) {
  const auto count_at = reader.offset();
  const auto count = readCount(reader, width, "NoOfActions");
  if (!count) return std::nullopt;
  if (*count > reader.size() - reader.offset()) {
    reader.invalid("NoOfActions", count_at, "is " + std::to_string(*count) + ", more than the bytes left");
    return std::nullopt;
  }
  std::vector<ParsedAction> actions;
  for (std::uint32_t i = 0; i < *count; ++i) {
    const auto block_at = reader.offset();
    const auto length = readCount(reader, width, "ActionLength");
    if (!length) return std::nullopt;
    const auto block = reader.take(*length, "ActionBlock");
    if (!block) return std::nullopt;
    ByteReader data(*block, property);
    const auto type = data.u8("ActionType");
    const auto flavor = data.u32("ActionFlavor");
    const auto flags = data.u32("ActionFlags");
    if (!type || !flavor || !flags) {
      reader.invalid("ActionLength", block_at, "is " + std::to_string(*length) + ", too short for an action header");
      return std::nullopt;
    }
    ParsedAction action;
    action.type = static_cast<ActionType>(*type);
    action.flavor = *flavor;
    action.flags = *flags;
    if (*type < 0x01 || *type > 0x0B) action.type = ActionType::kDeferAction;
    if (!readActionData(data, action, width)) {
      reader.invalid("action " + std::to_string(i), block_at, data.error().message);
      return std::nullopt;
    }
    if (data.offset() != data.size()) {
      reader.invalid("action " + std::to_string(i), block_at,
                     "has " + std::to_string(data.size() - data.offset()) + " byte(s) after its data");
      return std::nullopt;
    }
    if (*type < 0x01 || *type > 0x0B) {
      // Keep the unknown type visible: raw_data has the data, the type byte goes in front.
      action.raw_data.insert(action.raw_data.begin(), *type);
    }
    actions.push_back(std::move(action));
  }
  return actions;
}

}  // namespace

Result<std::vector<ParsedAction>> parseRuleActions(std::span<const std::uint8_t> data, CountWidth width,
                                                   std::string_view property) {
  ByteReader reader(data, property);
  auto actions = readRuleActions(reader, width, property);
  if (!actions) return reader.error();
  if (reader.offset() != reader.size()) {
    return Error{"mapi.blob.invalid",
                 std::string(property) + ": " + std::to_string(reader.size() - reader.offset()) +
                     " byte(s) after the actions",
                 std::string(property)};
  }
  return std::move(*actions);
}

std::optional<std::vector<NamedPropertyName>> readNamedPropertyInformation(ByteReader& reader) {
  const auto count = reader.u16("NoOfNamedProps");
  if (!count) return std::nullopt;
  std::vector<NamedPropertyName> names;
  // With no named properties the structure ends here: NamedPropertiesSize is absent
  // ([MS-OXORULE] 2.2.4.2), as the Junk E-mail rule's condition in SampleOstFile.ost shows.
  if (*count == 0) return names;
  if (std::size_t{*count} * 2 > reader.size() - reader.offset()) {
    reader.invalid("NoOfNamedProps", 0, "is " + std::to_string(*count) + ", more than the bytes left");
    return std::nullopt;
  }
  for (std::uint16_t i = 0; i < *count; ++i) {
    const auto id = reader.u16("PropId");
    if (!id) return std::nullopt;
    names.push_back(NamedPropertyName{*id, {}, std::uint32_t{0}});
  }
  const auto size = reader.u32("NamedPropertiesSize");
  if (!size) return std::nullopt;
  const auto block = reader.take(*size, "NamedProperties");
  if (!block) return std::nullopt;
  ByteReader properties(*block, "NamedProperties");
  for (auto& name : names) {
    // PropertyName ([MS-OXCDATA] 2.6.1): Kind, GUID, then a LID (Kind 0) or NameSize + UTF-16 name (Kind 1).
    const auto kind = properties.u8("Kind");
    const auto guid = properties.take(16, "GUID");
    if (!kind || !guid) {
      reader.invalid("NamedProperties", reader.offset(), properties.error().message);
      return std::nullopt;
    }
    std::copy(guid->begin(), guid->end(), name.property_set.bytes.begin());
    if (*kind == 0x00) {
      const auto lid = properties.u32("LID");
      if (!lid) {
        reader.invalid("NamedProperties", reader.offset(), properties.error().message);
        return std::nullopt;
      }
      name.name = *lid;
    } else if (*kind == 0x01) {
      const auto name_size = properties.u8("NameSize");
      const auto text = name_size ? properties.take(*name_size, "Name") : std::nullopt;
      if (!text) {
        reader.invalid("NamedProperties", reader.offset(), properties.error().message);
        return std::nullopt;
      }
      std::string utf8 = utf16LeToUtf8(*text);
      while (!utf8.empty() && utf8.back() == '\0') utf8.pop_back();  // NameSize counts the terminator
      name.name = std::move(utf8);
    } else {
      reader.invalid("NamedProperties Kind", reader.offset(), "is " + std::to_string(*kind) + ", neither 0 nor 1");
      return std::nullopt;
    }
  }
  if (properties.offset() != properties.size()) {
    reader.invalid("NamedPropertiesSize", reader.offset(),
                   "leaves " + std::to_string(properties.size() - properties.offset()) + " byte(s) unused");
    return std::nullopt;
  }
  return names;
}

Result<ExtendedCondition> parseExtendedRuleCondition(std::span<const std::uint8_t> data) {
  constexpr std::string_view kProperty = "PidTagExtendedRuleMessageCondition";
  ByteReader reader(data, kProperty);
  auto named = readNamedPropertyInformation(reader);
  if (!named) return reader.error();
  auto restriction = readRestriction(reader, CountWidth::k32);
  if (!restriction) return reader.error();
  if (reader.offset() != reader.size()) {
    return Error{"mapi.blob.invalid",
                 std::string(kProperty) + ": " + std::to_string(reader.size() - reader.offset()) +
                     " byte(s) after the restriction",
                 std::string(kProperty)};
  }
  return ExtendedCondition{std::move(*named), std::move(*restriction)};
}

Result<ExtendedActions> parseExtendedRuleActions(std::span<const std::uint8_t> data) {
  constexpr std::string_view kProperty = "PidTagExtendedRuleMessageActions";
  ByteReader reader(data, kProperty);
  auto named = readNamedPropertyInformation(reader);
  if (!named) return reader.error();
  const auto version_at = reader.offset();
  const auto version = reader.u32("RuleVersion");
  if (!version) return reader.error();
  if (*version != 1) {
    reader.invalid("RuleVersion", version_at, "is " + std::to_string(*version) + ", not 1");
    return reader.error();
  }
  auto actions = readRuleActions(reader, CountWidth::k32, kProperty);
  if (!actions) return reader.error();
  if (reader.offset() != reader.size()) {
    return Error{"mapi.blob.invalid",
                 std::string(kProperty) + ": " + std::to_string(reader.size() - reader.offset()) +
                     " byte(s) after the actions",
                 std::string(kProperty)};
  }
  return ExtendedActions{std::move(*named), std::move(*actions)};
}

}  // namespace m2z::readers::mapi
