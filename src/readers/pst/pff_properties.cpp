#include "readers/pst/pff_properties.h"

#include "readers/mapi/blob_parsers.h"
#include "readers/mapi/codepage.h"
#include "readers/pst/multi_value_blob.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <span>

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

// A PT_STRING8 value's bytes up to the first NUL, decoded from `codepage`.
Result<std::string> string8(const mapi::Binary& bytes, int codepage) {
  const auto end = std::find(bytes.begin(), bytes.end(), std::uint8_t{0});
  return mapi::decodeCodepage(std::span<const std::uint8_t>(bytes.data(), static_cast<std::size_t>(end - bytes.begin())),
                              codepage);
}

std::string unicodeString(const mapi::Binary& bytes) {
  std::string text = mapi::utf16LeToUtf8(bytes);
  text.resize(std::strlen(text.c_str()));  // up to the first NUL, as libpff's accessor does
  return text;
}

Result<std::string> entryString(libpff_record_entry_t* entry, int codepage) {
  // Strings are decoded here from their stored bytes: libpff 20180714 (through libuna) turns
  // surrogate pairs into wrong characters, and its UTF-8 accessor for PT_STRING8 ignores the
  // item's code page (and gives an empty subject for some ANSI files).
  PffError type_error;
  std::uint32_t value_type = 0;
  if (libpff_record_entry_get_value_type(entry, &value_type, type_error.out()) == 1 &&
      (value_type == 0x001F || value_type == 0x001E)) {
    auto bytes = entryBinary(entry);
    if (!bytes) return bytes.error();
    if (value_type == 0x001F) return unicodeString(*bytes);
    auto text = string8(*bytes, codepage);
    if (text) return text;
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

// A variable-size multi-valued property, read from its stored form ([MS-PST] 2.3.3.4.2) for every
// type: libpff 20180714 reports no values for PT_MV_BINARY (a list's members, a contact's
// entry ids) and reads PT_MV_STRING8 without the item's code page.
Result<mapi::PropertyValue> multiValue(libpff_record_entry_t* entry, std::uint32_t value_type, int codepage,
                                       const std::string& property) {
  auto data = entryBinary(entry);
  if (!data) return data.error();
  if (data->empty()) {
    if (value_type == LIBPFF_VALUE_TYPE_MULTI_VALUE_BINARY_DATA) return mapi::PropertyValue{std::vector<mapi::Binary>{}};
    return mapi::PropertyValue{std::vector<std::string>{}};
  }
  auto values = parseMultipleBinary(*data, property);
  if (!values) return values.error();
  if (values->size() > static_cast<std::size_t>(kMaxMultiValues)) {
    return Error{"pst.property", "multi-value with " + std::to_string(values->size()) + " values is not plausible", ""};
  }
  if (value_type == LIBPFF_VALUE_TYPE_MULTI_VALUE_BINARY_DATA) return mapi::PropertyValue{std::move(values).value()};
  std::vector<std::string> strings;
  strings.reserve(values->size());
  for (const auto& value : *values) {
    if (value_type == LIBPFF_VALUE_TYPE_MULTI_VALUE_STRING_UNICODE) {
      strings.push_back(unicodeString(value));
      continue;
    }
    auto text = string8(value, codepage);
    if (!text) return text.error();
    strings.push_back(std::move(text).value());
  }
  return mapi::PropertyValue{std::move(strings)};
}

// The value of one entry, or nullopt for types the mapping never reads (floating point, ...).
Result<std::optional<mapi::PropertyValue>> entryValue(libpff_record_entry_t* entry, std::uint32_t value_type,
                                                      int codepage, const std::string& property) {
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
      auto text = entryString(entry, codepage);
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
      auto value = multiValue(entry, value_type, codepage, property);
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

std::optional<std::int32_t> integerEntry(libpff_record_set_t* set, std::uint32_t property_id) {
  PffError error;
  PffRecordEntry entry;
  if (libpff_record_set_get_entry_by_type(set, property_id, LIBPFF_VALUE_TYPE_INTEGER_32BIT_SIGNED, entry.out(), 0,
                                          error.out()) != 1) {
    return std::nullopt;
  }
  std::uint32_t value = 0;
  if (libpff_record_entry_get_data_as_32bit_integer(entry.get(), &value, error.out()) != 1) return std::nullopt;
  return static_cast<std::int32_t>(value);
}

// The code page of the record set's PT_STRING8 values (mapi::string8Codepage).
int recordSetCodepage(libpff_record_set_t* set) {
  return mapi::string8Codepage(integerEntry(set, 0x3FFD), integerEntry(set, 0x3FDE));
}

void readEntries(libpff_record_set_t* set, mapi::PropertyBag& bag, std::vector<PropertyProblem>& problems) {
  PffError error;
  const int codepage = recordSetCodepage(set);
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
    auto value = entryValue(entry.get(), value_type, codepage, describe(property_id, *named));
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

namespace {

// A message without PidTagBody whose body is only PidTagRtfCompressed: the RTF, decompressed by
// libpff ([MS-OXRTFCP]), goes into bag.rtf_body for the mapping to turn into text.
void readRtfBody(libpff_item_t* message, mapi::PropertyBag& bag, std::vector<PropertyProblem>& problems) {
  constexpr std::uint16_t kPidTagBody = 0x1000;
  constexpr std::uint16_t kPidTagRtfCompressed = 0x1009;
  if (bag.findTagged(kPidTagBody) != nullptr || bag.findTagged(kPidTagRtfCompressed) == nullptr) return;
  PffError error;
  std::size_t size = 0;
  const int found = libpff_message_get_rtf_body_size(message, &size, error.out());
  if (found == 0) return;
  if (found != 1) {
    problems.push_back({"PidTagRtfCompressed", "cannot decompress the RTF body: " + error.text()});
    return;
  }
  if (size > kMaxValueBytes) {
    problems.push_back({"PidTagRtfCompressed", "the RTF body of " + std::to_string(size) + " bytes is too large"});
    return;
  }
  if (size == 0) return;
  std::string rtf(size, '\0');
  if (libpff_message_get_rtf_body(message, reinterpret_cast<std::uint8_t*>(rtf.data()), size, error.out()) != 1) {
    problems.push_back({"PidTagRtfCompressed", "cannot decompress the RTF body: " + error.text()});
    return;
  }
  while (!rtf.empty() && rtf.back() == '\0') rtf.pop_back();
  bag.rtf_body = std::move(rtf);
}

}  // namespace

Result<mapi::PropertyBag> readMessage(libpff_item_t* message, std::vector<PropertyProblem>& problems) {
  auto bag = readRecordSet(message, 0, problems);
  if (!bag) return bag;
  if (const auto* message_class = bag->findTagged(0x001A)) {
    if (const auto* text = std::get_if<std::string>(message_class)) bag->message_class = *text;
  }
  readRtfBody(message, *bag, problems);
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

void readFileAttachments(libpff_item_t* message, mapi::PropertyBag& bag, std::uint64_t max_bytes,
                         std::uint64_t max_total_bytes, std::vector<PropertyProblem>& problems,
                         std::vector<PropertyProblem>& not_read) {
  constexpr std::uint16_t kPidTagAttachDataBinary = 0x3701;
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
  std::uint64_t total = 0;
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
    if (type == LIBPFF_ATTACHMENT_TYPE_ITEM) continue;
    auto row = readRecordSet(attachment.get(), 0, problems);
    if (!row) {
      problems.push_back({which, row.error().message});
      continue;
    }
    std::string name = which;
    for (const std::uint16_t id : {std::uint16_t{0x3707}, std::uint16_t{0x3704}, std::uint16_t{0x3001}}) {
      const auto* value = row->findTagged(id);
      if (value != nullptr && std::holds_alternative<std::string>(*value) && !std::get<std::string>(*value).empty()) {
        name = std::get<std::string>(*value);
        break;
      }
    }
    if (type == LIBPFF_ATTACHMENT_TYPE_REFERENCE) {
      not_read.push_back({name, "the attachment is a link to a file kept elsewhere, not the file"});
      continue;
    }
    row->tagged.erase(mapi::TaggedKey{kPidTagAttachDataBinary, mapi::PropertyType::kBinary});
    size64_t size = 0;
    if (libpff_attachment_get_data_size(attachment.get(), &size, error.out()) != 1) {
      problems.push_back({which, "cannot size the attachment's content: " + error.text()});
      continue;
    }
    if (size > max_bytes) {
      not_read.push_back({name, "the attachment has " + std::to_string(size) + " bytes, more than the " +
                                    std::to_string(max_bytes) + " an attachment may have"});
      continue;
    }
    if (total + size > max_total_bytes) {
      not_read.push_back({name, "the item's attachments pass " + std::to_string(max_total_bytes) +
                                    " bytes together; this one is not read"});
      continue;
    }
    mapi::Binary data(static_cast<std::size_t>(size));
    if (!data.empty()) {
      // libpff reads attachment data from an offset it keeps per handle; this handle is fresh.
      const ssize_t read = libpff_attachment_data_read_buffer(attachment.get(), data.data(), data.size(), error.out());
      if (read < 0 || static_cast<std::size_t>(read) != data.size()) {
        problems.push_back({which, "cannot read the attachment's content: " + error.text()});
        continue;
      }
    }
    total += size;
    row->set(kPidTagAttachDataBinary, mapi::PropertyType::kBinary, std::move(data));
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
  auto text = entryString(entry.get(), recordSetCodepage(set.get()));
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
