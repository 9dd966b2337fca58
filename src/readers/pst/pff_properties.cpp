#include "readers/pst/pff_properties.h"

#include "readers/mapi/blob_parsers.h"

#include <cstdio>
#include <cstring>

namespace m2z::readers::pst {

namespace {

// Larger values are not calendar data (the mapping reads text and small blobs); refusing them
// keeps memory per item bounded whatever the file claims.
constexpr std::size_t kMaxValueBytes = std::size_t{32} << 20;
constexpr int kMaxMultiValues = 4096;

std::string hexId(std::uint32_t id) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%04X", static_cast<unsigned>(id));
  return text;
}

// A string value as UTF-8 (libpff converts PT_STRING8 with the file's codepage), without its
// terminator.
template <class SizeFn, class ReadFn>
Result<std::string> readUtf8(SizeFn size_fn, ReadFn read_fn) {
  PffError error;
  std::size_t size = 0;
  if (size_fn(&size, error.out()) != 1) return Error{"pst.property", error.text(), ""};
  if (size > kMaxValueBytes) return Error{"pst.property", "string of " + std::to_string(size) + " bytes is too large", ""};
  if (size == 0) return std::string();
  std::string text(size, '\0');
  if (read_fn(reinterpret_cast<std::uint8_t*>(text.data()), size, error.out()) != 1) {
    return Error{"pst.property", error.text(), ""};
  }
  text.resize(std::strlen(text.c_str()));
  return text;
}

Result<mapi::Binary> entryBinary(libpff_record_entry_t* entry);

Result<std::string> entryString(libpff_record_entry_t* entry) {
  // Unicode strings are decoded here from their UTF-16LE bytes: libpff 20180714 (through libuna)
  // turns surrogate pairs into wrong characters, so an emoji in a subject would come out changed.
  PffError type_error;
  std::uint32_t value_type = 0;
  if (libpff_record_entry_get_value_type(entry, &value_type, type_error.out()) == 1 && value_type == 0x001F) {
    auto bytes = entryBinary(entry);
    if (!bytes) return bytes.error();
    std::string text = mapi::utf16LeToUtf8(*bytes);
    text.resize(std::strlen(text.c_str()));  // up to the first NUL, as libpff's accessor does
    return text;
  }
  return readUtf8(
      [&](std::size_t* size, libpff_error_t** error) {
        return libpff_record_entry_get_data_as_utf8_string_size(entry, size, error);
      },
      [&](std::uint8_t* data, std::size_t size, libpff_error_t** error) {
        return libpff_record_entry_get_data_as_utf8_string(entry, data, size, error);
      });
}

Result<mapi::Binary> entryBinary(libpff_record_entry_t* entry) {
  PffError error;
  std::size_t size = 0;
  if (libpff_record_entry_get_data_size(entry, &size, error.out()) != 1) return Error{"pst.property", error.text(), ""};
  if (size > kMaxValueBytes) return Error{"pst.property", "value of " + std::to_string(size) + " bytes is too large", ""};
  mapi::Binary data(size);
  if (size > 0 && libpff_record_entry_get_data(entry, data.data(), size, error.out()) != 1) {
    return Error{"pst.property", error.text(), ""};
  }
  return data;
}

Result<mapi::PropertyValue> multiValue(libpff_record_entry_t* entry, bool strings) {
  PffError error;
  PffMultiValue multi;
  const int found = libpff_record_entry_get_multi_value(entry, multi.out(), error.out());
  if (found == 0) return strings ? mapi::PropertyValue{std::vector<std::string>{}} : mapi::PropertyValue{std::vector<mapi::Binary>{}};
  if (found != 1) return Error{"pst.property", error.text(), ""};
  int count = 0;
  if (libpff_multi_value_get_number_of_values(multi.get(), &count, error.out()) != 1) {
    return Error{"pst.property", error.text(), ""};
  }
  if (count < 0 || count > kMaxMultiValues) {
    return Error{"pst.property", "multi-value with " + std::to_string(count) + " values is not plausible", ""};
  }
  if (strings) {
    std::vector<std::string> values;
    for (int i = 0; i < count; ++i) {
      auto value = readUtf8(
          [&](std::size_t* size, libpff_error_t** e) {
            return libpff_multi_value_get_value_utf8_string_size(multi.get(), i, size, e);
          },
          [&](std::uint8_t* data, std::size_t size, libpff_error_t** e) {
            return libpff_multi_value_get_value_utf8_string(multi.get(), i, data, size, e);
          });
      if (!value) return value.error();
      values.push_back(std::move(value).value());
    }
    return mapi::PropertyValue{std::move(values)};
  }
  std::vector<mapi::Binary> values;
  std::size_t total = 0;
  for (int i = 0; i < count; ++i) {
    std::size_t size = 0;
    if (libpff_multi_value_get_value_binary_data_size(multi.get(), i, &size, error.out()) != 1) {
      return Error{"pst.property", error.text(), ""};
    }
    total += size;
    if (total > kMaxValueBytes) return Error{"pst.property", "multi-value binary is too large", ""};
    mapi::Binary data(size);
    if (size > 0 && libpff_multi_value_get_value_binary_data(multi.get(), i, data.data(), size, error.out()) != 1) {
      return Error{"pst.property", error.text(), ""};
    }
    values.push_back(std::move(data));
  }
  return mapi::PropertyValue{std::move(values)};
}

// The value of one entry, or nullopt for types the mapping never reads (floating point, ...).
Result<std::optional<mapi::PropertyValue>> entryValue(libpff_record_entry_t* entry, std::uint32_t value_type) {
  PffError error;
  using mapi::PropertyValue;
  switch (value_type) {
    case LIBPFF_VALUE_TYPE_INTEGER_16BIT_SIGNED: {
      std::uint16_t value = 0;
      if (libpff_record_entry_get_data_as_16bit_integer(entry, &value, error.out()) != 1) break;
      return std::optional<PropertyValue>(static_cast<std::int32_t>(static_cast<std::int16_t>(value)));
    }
    case LIBPFF_VALUE_TYPE_INTEGER_32BIT_SIGNED: {
      std::uint32_t value = 0;
      if (libpff_record_entry_get_data_as_32bit_integer(entry, &value, error.out()) != 1) break;
      return std::optional<PropertyValue>(static_cast<std::int32_t>(value));
    }
    case LIBPFF_VALUE_TYPE_INTEGER_64BIT_SIGNED: {
      std::uint64_t value = 0;
      if (libpff_record_entry_get_data_as_64bit_integer(entry, &value, error.out()) != 1) break;
      return std::optional<PropertyValue>(static_cast<std::int64_t>(value));
    }
    case LIBPFF_VALUE_TYPE_BOOLEAN: {
      std::uint8_t value = 0;
      if (libpff_record_entry_get_data_as_boolean(entry, &value, error.out()) != 1) break;
      return std::optional<PropertyValue>(value != 0);
    }
    case LIBPFF_VALUE_TYPE_FILETIME: {
      std::uint64_t value = 0;
      if (libpff_record_entry_get_data_as_filetime(entry, &value, error.out()) != 1) break;
      return std::optional<PropertyValue>(mapi::FileTime{value});
    }
    case LIBPFF_VALUE_TYPE_STRING_ASCII:
    case LIBPFF_VALUE_TYPE_STRING_UNICODE: {
      auto text = entryString(entry);
      if (!text) return text.error();
      return std::optional<PropertyValue>(std::move(text).value());
    }
    case LIBPFF_VALUE_TYPE_BINARY_DATA:
    case LIBPFF_VALUE_TYPE_GUID: {
      auto data = entryBinary(entry);
      if (!data) return data.error();
      return std::optional<PropertyValue>(std::move(data).value());
    }
    case LIBPFF_VALUE_TYPE_MULTI_VALUE_STRING_ASCII:
    case LIBPFF_VALUE_TYPE_MULTI_VALUE_STRING_UNICODE:
    case LIBPFF_VALUE_TYPE_MULTI_VALUE_BINARY_DATA: {
      auto value = multiValue(entry, value_type != LIBPFF_VALUE_TYPE_MULTI_VALUE_BINARY_DATA);
      if (!value) return value.error();
      return std::optional<PropertyValue>(std::move(value).value());
    }
    default:
      return std::optional<PropertyValue>();
  }
  return Error{"pst.property", error.text(), ""};
}

struct NamedId {
  mapi::Guid property_set;
  std::variant<std::uint32_t, std::string> name;
};

// The named property behind a 0x8000+ id, or nullopt for an ordinary tagged property.
Result<std::optional<NamedId>> namedId(libpff_record_entry_t* entry) {
  PffError error;
  libpff_name_to_id_map_entry_t* map_entry = nullptr;  // owned by the file's map, not by us
  const int found = libpff_record_entry_get_name_to_id_map_entry(entry, &map_entry, error.out());
  if (found == 0 || map_entry == nullptr) return std::optional<NamedId>();
  if (found != 1) return Error{"pst.property", error.text(), ""};
  NamedId id;
  if (libpff_name_to_id_map_entry_get_guid(map_entry, id.property_set.bytes.data(), id.property_set.bytes.size(),
                                           error.out()) != 1) {
    return Error{"pst.property", error.text(), ""};
  }
  std::uint8_t kind = 0;
  if (libpff_name_to_id_map_entry_get_type(map_entry, &kind, error.out()) != 1) {
    return Error{"pst.property", error.text(), ""};
  }
  if (kind == LIBPFF_NAME_TO_ID_MAP_ENTRY_TYPE_STRING) {
    auto name = readUtf8(
        [&](std::size_t* size, libpff_error_t** e) {
          return libpff_name_to_id_map_entry_get_utf8_string_size(map_entry, size, e);
        },
        [&](std::uint8_t* data, std::size_t size, libpff_error_t** e) {
          return libpff_name_to_id_map_entry_get_utf8_string(map_entry, data, size, e);
        });
    if (!name) return name.error();
    id.name = std::move(name).value();
  } else {
    std::uint32_t number = 0;
    if (libpff_name_to_id_map_entry_get_number(map_entry, &number, error.out()) != 1) {
      return Error{"pst.property", error.text(), ""};
    }
    id.name = number;
  }
  return std::optional<NamedId>(std::move(id));
}

std::string describe(std::uint32_t property_id, const std::optional<NamedId>& named) {
  if (!named) return hexId(property_id);
  if (const auto* number = std::get_if<std::uint32_t>(&named->name)) {
    return named->property_set.toString() + "/" + hexId(*number);
  }
  return named->property_set.toString() + "/" + std::get<std::string>(named->name);
}

void readEntries(libpff_record_set_t* set, mapi::PropertyBag& bag, std::vector<PropertyProblem>& problems) {
  PffError error;
  int count = 0;
  if (libpff_record_set_get_number_of_entries(set, &count, error.out()) != 1) {
    problems.push_back({"(record set)", error.text()});
    return;
  }
  for (int index = 0; index < count; ++index) {
    PffRecordEntry entry;
    if (libpff_record_set_get_entry_by_index(set, index, entry.out(), error.out()) != 1) {
      problems.push_back({"(entry " + std::to_string(index) + ")", error.text()});
      continue;
    }
    std::uint32_t property_id = 0;
    std::uint32_t value_type = 0;
    if (libpff_record_entry_get_entry_type(entry.get(), &property_id, error.out()) != 1 ||
        libpff_record_entry_get_value_type(entry.get(), &value_type, error.out()) != 1) {
      continue;  // not a MAPI property (libpff also keeps other kinds of entries)
    }
    auto named = namedId(entry.get());
    if (!named) {
      problems.push_back({hexId(property_id), named.error().message});
      continue;
    }
    auto value = entryValue(entry.get(), value_type);
    if (!value) {
      problems.push_back({describe(property_id, *named), value.error().message});
      continue;
    }
    if (!*value) continue;
    if (*named) {
      bag.named.insert_or_assign(mapi::NamedKey{(*named)->property_set, std::move((*named)->name)}, std::move(**value));
    } else {
      bag.set(static_cast<std::uint16_t>(property_id), static_cast<mapi::PropertyType>(value_type), std::move(**value));
    }
  }
}

}  // namespace

Result<mapi::PropertyBag> readRecordSet(libpff_item_t* item, int set_index, std::vector<PropertyProblem>& problems) {
  PffError error;
  PffRecordSet set;
  if (libpff_item_get_record_set_by_index(item, set_index, set.out(), error.out()) != 1) {
    return Error{"pst.item", "cannot read the item's properties: " + error.text(), ""};
  }
  mapi::PropertyBag bag;
  readEntries(set.get(), bag, problems);
  return bag;
}

Result<mapi::PropertyBag> readMessage(libpff_item_t* message, std::vector<PropertyProblem>& problems) {
  auto bag = readRecordSet(message, 0, problems);
  if (!bag) return bag;
  if (const auto* message_class = bag->findTagged(0x001A)) {
    if (const auto* text = std::get_if<std::string>(message_class)) bag->message_class = *text;
  }
  PffError error;
  PffItem recipients;
  const int found = libpff_message_get_recipients(message, recipients.out(), error.out());
  if (found == -1) {
    problems.push_back({"(recipients)", error.text()});
  } else if (found == 1 && recipients) {
    int rows = 0;
    if (libpff_item_get_number_of_record_sets(recipients.get(), &rows, error.out()) != 1) {
      problems.push_back({"(recipients)", error.text()});
      rows = 0;
    }
    for (int row = 0; row < rows; ++row) {
      auto recipient = readRecordSet(recipients.get(), row, problems);
      if (!recipient) {
        problems.push_back({"(recipient " + std::to_string(row) + ")", recipient.error().message});
        continue;
      }
      bag->recipients.push_back(std::move(recipient).value());
    }
  }
  return bag;
}

namespace {

// Bytes a value holds in memory (fixed-size values count as 8).
struct ValueBytes {
  std::size_t operator()(const std::string& v) const { return v.size(); }
  std::size_t operator()(const mapi::Binary& v) const { return v.size(); }
  std::size_t operator()(const std::vector<std::string>& v) const {
    std::size_t total = 0;
    for (const auto& item : v) total += item.size();
    return total;
  }
  std::size_t operator()(const std::vector<mapi::Binary>& v) const {
    std::size_t total = 0;
    for (const auto& item : v) total += item.size();
    return total;
  }
  template <class T>
  std::size_t operator()(const T&) const {
    return 8;
  }
};

// Bytes held by a bag's values, recipients and attachments: what reading it cost in memory.
std::size_t bagBytes(const mapi::PropertyBag& bag) {
  std::size_t total = 0;
  for (const auto& [key, value] : bag.tagged) total += std::visit(ValueBytes{}, value);
  for (const auto& [key, value] : bag.named) total += std::visit(ValueBytes{}, value);
  for (const auto& row : bag.recipients) total += bagBytes(row);
  for (const auto& row : bag.attachments) total += bagBytes(row);
  for (const auto& row : bag.embedded_message) total += bagBytes(row);
  return total;
}

// A series has one attachment per exception; Outlook caps a series far below this.
constexpr int kMaxAttachments = 4096;
// All exceptions of one series together; beyond this the rest keep the series' values.
constexpr std::size_t kMaxAttachmentBytes = std::size_t{64} << 20;

}  // namespace

void readEmbeddedAttachments(libpff_item_t* message, mapi::PropertyBag& bag, std::vector<PropertyProblem>& problems) {
  PffError error;
  int count = 0;
  if (libpff_message_get_number_of_attachments(message, &count, error.out()) != 1) {
    problems.push_back({"(attachments)", error.text()});
    return;
  }
  if (count > kMaxAttachments) {
    problems.push_back({"(attachments)", std::to_string(count) + " attachments; only the first " +
                                             std::to_string(kMaxAttachments) + " are read"});
    count = kMaxAttachments;
  }
  std::size_t budget = kMaxAttachmentBytes;
  for (int index = 0; index < count; ++index) {
    const std::string which = "(attachment " + std::to_string(index) + ")";
    PffItem attachment;
    if (libpff_message_get_attachment(message, index, attachment.out(), error.out()) != 1 || !attachment) {
      problems.push_back({which, error.text()});
      continue;
    }
    int type = LIBPFF_ATTACHMENT_TYPE_UNDEFINED;
    if (libpff_attachment_get_type(attachment.get(), &type, error.out()) != 1) {
      problems.push_back({which, error.text()});
      continue;
    }
    if (type != LIBPFF_ATTACHMENT_TYPE_ITEM) continue;  // file data is never a calendar exception
    auto row = readRecordSet(attachment.get(), 0, problems);
    if (!row) {
      problems.push_back({which, row.error().message});
      continue;
    }
    PffItem embedded;
    if (libpff_attachment_get_item(attachment.get(), embedded.out(), error.out()) != 1 || !embedded) {
      problems.push_back({which, "cannot open the embedded message: " + error.text()});
      continue;
    }
    auto embedded_bag = readMessage(embedded.get(), problems);
    if (!embedded_bag) {
      problems.push_back({which, embedded_bag.error().message});
      continue;
    }
    row->embedded_message.push_back(std::move(embedded_bag).value());
    const std::size_t size = bagBytes(*row);
    if (size > budget) {
      problems.push_back({which, "the embedded messages pass " + std::to_string(kMaxAttachmentBytes >> 20) +
                                     " MiB together; this and later ones are not read"});
      return;
    }
    budget -= size;
    bag.attachments.push_back(std::move(row).value());
  }
}

std::optional<std::string> readStringProperty(libpff_item_t* item, std::uint32_t property_id) {
  PffError error;
  PffRecordSet set;
  if (libpff_item_get_record_set_by_index(item, 0, set.out(), error.out()) != 1) return std::nullopt;
  PffRecordEntry entry;
  if (libpff_record_set_get_entry_by_type(set.get(), property_id, 0, entry.out(),
                                          LIBPFF_ENTRY_VALUE_FLAG_MATCH_ANY_VALUE_TYPE, error.out()) != 1) {
    return std::nullopt;
  }
  auto text = entryString(entry.get());
  if (!text) return std::nullopt;
  return std::move(text).value();
}

std::optional<mapi::Binary> readBinaryProperty(libpff_item_t* item, std::uint32_t property_id) {
  PffError error;
  PffRecordSet set;
  if (libpff_item_get_record_set_by_index(item, 0, set.out(), error.out()) != 1) return std::nullopt;
  PffRecordEntry entry;
  if (libpff_record_set_get_entry_by_type(set.get(), property_id, LIBPFF_VALUE_TYPE_BINARY_DATA, entry.out(), 0,
                                          error.out()) != 1) {
    return std::nullopt;
  }
  auto data = entryBinary(entry.get());
  if (!data) return std::nullopt;
  return std::move(data).value();
}

}  // namespace m2z::readers::pst
