#include "readers/msg/msg_properties.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <utility>

#include "readers/mapi/blob_parsers.h"
#include "readers/msg/rtf_decompress.h"

namespace m2z::readers::msg {

namespace {

constexpr const char* kPropertyStream = "__properties_version1.0";
constexpr const char* kNameIdStorage = "__nameid_version1.0";
constexpr const char* kRecipientPrefix = "__recip_version1.0_#";
constexpr const char* kAttachmentPrefix = "__attach_version1.0_#";
constexpr const char* kEmbeddedMessageStorage = "__substg1.0_3701000D";

// [MS-OXCDATA] 2.11.1 types this reader turns into values; the rest are never read by the mapping.
constexpr std::uint16_t kTypeInteger16 = 0x0002;
constexpr std::uint16_t kTypeInteger32 = 0x0003;
constexpr std::uint16_t kTypeFloating64 = 0x0005;
constexpr std::uint16_t kTypeBoolean = 0x000B;
constexpr std::uint16_t kTypeInteger64 = 0x0014;
constexpr std::uint16_t kTypeString8 = 0x001E;
constexpr std::uint16_t kTypeUnicode = 0x001F;
constexpr std::uint16_t kTypeTime = 0x0040;
constexpr std::uint16_t kTypeGuid = 0x0048;
constexpr std::uint16_t kTypeBinary = 0x0102;
constexpr std::uint16_t kTypeMultipleString8 = 0x101E;
constexpr std::uint16_t kTypeMultipleUnicode = 0x101F;
constexpr std::uint16_t kTypeMultipleBinary = 0x1102;

constexpr std::uint16_t kPidTagMessageClass = 0x001A;
constexpr std::uint16_t kPidTagBody = 0x1000;
constexpr std::uint16_t kPidTagRtfCompressed = 0x1009;
constexpr std::uint16_t kPidTagAttachDataBinary = 0x3701;
constexpr std::uint16_t kPidTagAttachmentContactPhoto = 0x7FFF;
constexpr std::uint16_t kPidTagInternetCodepage = 0x3FDE;
constexpr std::uint16_t kPidTagMessageLocaleId = 0x3FF1;
constexpr std::uint16_t kPidTagMessageCodepage = 0x3FFD;
// A contact photo is scaled down by Outlook to far less than this.
constexpr std::size_t kMaxPhotoBytes = std::size_t{16} << 20;

std::string hexId(std::uint16_t id) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%04X", static_cast<unsigned>(id));
  return text;
}

std::string join(const std::string& path, const std::string& name) { return path.empty() ? name : path + "/" + name; }

std::int32_t int32Of(const PropertyEntry& entry) {
  std::uint32_t bits = static_cast<std::uint32_t>(entry.value[0]) | static_cast<std::uint32_t>(entry.value[1]) << 8 |
                       static_cast<std::uint32_t>(entry.value[2]) << 16 |
                       static_cast<std::uint32_t>(entry.value[3]) << 24;
  std::int32_t value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

std::uint64_t uint64Of(const PropertyEntry& entry) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 8; ++i) value |= static_cast<std::uint64_t>(entry.value[i]) << (8 * i);
  return value;
}

std::optional<std::int32_t> findInt32(const std::vector<PropertyEntry>& entries, std::uint16_t id) {
  for (const auto& entry : entries) {
    if (entry.id == id && entry.type == kTypeInteger32) return int32Of(entry);
  }
  return std::nullopt;
}

// Rows are storages named prefix + 8 hex digits; sorted so their order is the file's.
std::vector<std::string> rowStorages(const std::vector<std::string>& children, std::string_view prefix) {
  std::vector<std::string> rows;
  for (const auto& name : children) {
    if (name.size() == prefix.size() + 8 && name.compare(0, prefix.size(), prefix) == 0) rows.push_back(name);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::string utf16Text(const std::vector<std::uint8_t>& bytes) {
  std::string text = mapi::utf16LeToUtf8(bytes);
  text.resize(std::strlen(text.c_str()));  // up to the first NUL: the terminator, or damage after it
  return text;
}

class StorageReader {
 public:
  StorageReader(const NamedPropertyMap& names, const ReadLimits& limits, std::vector<PropertyProblem>& problems)
      : names_(names), limits_(limits), problems_(problems), budget_(limits.max_total_bytes) {}

  Result<mapi::PropertyBag> message(MsgStorage& storage, StorageKind kind, const std::string& path) {
    auto entries = propertyEntries(storage, kind, path);
    if (!entries) return entries.error();
    const std::uint32_t codepage =
        string8Codepage(findInt32(*entries, kPidTagMessageCodepage), findInt32(*entries, kPidTagMessageLocaleId),
                        findInt32(*entries, kPidTagInternetCodepage));
    mapi::PropertyBag bag = values(storage, *entries, codepage, path, {});
    if (const auto* message_class = bag.findTagged(kPidTagMessageClass)) {
      if (const auto* text = std::get_if<std::string>(message_class)) bag.message_class = *text;
    }
    rtfBody(bag, path);
    auto children = storage.childNames();
    if (!children) {
      problems_.push_back({join(path, "(children)"), children.error().message});
      return bag;
    }
    for (const auto& row_name : limited(rowStorages(*children, kRecipientPrefix), path, "recipients")) {
      const std::string row_path = join(path, row_name);
      auto row_storage = storage.openStorage(row_name);
      if (!row_storage || !*row_storage) {
        problems_.push_back({row_path, row_storage ? "the storage cannot be opened" : row_storage.error().message});
        continue;
      }
      auto row_entries = propertyEntries(**row_storage, StorageKind::kRecipient, row_path);
      if (!row_entries) {
        problems_.push_back({row_path, row_entries.error().message});
        continue;
      }
      bag.recipients.push_back(values(**row_storage, *row_entries, codepage, row_path, {}));
    }
    if (kind == StorageKind::kTopLevelMessage) {
      for (const auto& row_name : limited(rowStorages(*children, kAttachmentPrefix), path, "attachments")) {
        attachment(storage, row_name, codepage, join(path, row_name), bag);
      }
    }
    return bag;
  }

 private:
  // A message whose body is only PidTagRtfCompressed: the decompressed RTF goes into
  // bag.rtf_body for the mapping to turn into text (libpff does this step for PST items).
  void rtfBody(mapi::PropertyBag& bag, const std::string& path) {
    if (bag.findTagged(kPidTagBody) != nullptr) return;
    const auto* stored = bag.findTagged(kPidTagRtfCompressed);
    const auto* bytes = stored != nullptr ? std::get_if<mapi::Binary>(stored) : nullptr;
    if (bytes == nullptr) return;
    auto rtf = decompressRtf(*bytes, std::min(limits_.max_value_bytes, budget_));
    if (!rtf) {
      problems_.push_back({join(path, valueStreamName(kPidTagRtfCompressed, kTypeBinary)), rtf.error().message});
      return;
    }
    budget_ -= std::min(budget_, rtf->size());
    bag.rtf_body = std::move(rtf).value();
  }

  std::vector<std::string> limited(std::vector<std::string> rows, const std::string& path, const char* what) {
    if (rows.size() > limits_.max_rows) {
      problems_.push_back({join(path, std::string("(") + what + ")"),
                           std::to_string(rows.size()) + " " + what + "; only the first " +
                               std::to_string(limits_.max_rows) + " are read"});
      rows.resize(limits_.max_rows);
    }
    return rows;
  }

  // Keeps the row when it holds an embedded message or the contact photo: all the mapping reads.
  void attachment(MsgStorage& message, const std::string& row_name, std::uint32_t codepage, const std::string& path,
                  mapi::PropertyBag& bag) {
    auto storage = message.openStorage(row_name);
    if (!storage || !*storage) {
      problems_.push_back({path, storage ? "the storage cannot be opened" : storage.error().message});
      return;
    }
    auto entries = propertyEntries(**storage, StorageKind::kAttachment, path);
    if (!entries) {
      problems_.push_back({path, entries.error().message});
      return;
    }
    // The data of a file attachment can be large and is read only for the photo, below.
    mapi::PropertyBag row = values(**storage, *entries, codepage, path, {kPidTagAttachDataBinary});
    auto embedded = (*storage)->openStorage(kEmbeddedMessageStorage);
    if (!embedded) {
      problems_.push_back({join(path, kEmbeddedMessageStorage), embedded.error().message});
      return;
    }
    if (*embedded) {
      auto embedded_bag = this->message(**embedded, StorageKind::kEmbeddedMessage, join(path, kEmbeddedMessageStorage));
      if (!embedded_bag) {
        problems_.push_back({join(path, kEmbeddedMessageStorage), embedded_bag.error().message});
        return;
      }
      row.embedded_message.push_back(std::move(embedded_bag).value());
      bag.attachments.push_back(std::move(row));
      return;
    }
    const auto* is_photo = row.findTagged(kPidTagAttachmentContactPhoto);
    if (is_photo == nullptr || !std::holds_alternative<bool>(*is_photo) || !std::get<bool>(*is_photo)) return;
    const std::string stream = valueStreamName(kPidTagAttachDataBinary, kTypeBinary);
    auto data = readCounted(**storage, stream, std::min(kMaxPhotoBytes, limits_.max_value_bytes), join(path, stream));
    if (data && *data) row.set(kPidTagAttachDataBinary, mapi::PropertyType::kBinary, std::move(**data));
    bag.attachments.push_back(std::move(row));
  }

  Result<std::vector<PropertyEntry>> propertyEntries(MsgStorage& storage, StorageKind kind, const std::string& path) {
    auto stream = storage.readStream(kPropertyStream, limits_.max_property_stream_bytes);
    if (!stream) return Error{stream.error().code, stream.error().message, join(path, kPropertyStream)};
    if (!*stream) return Error{"msg.property_stream", "the storage has no property stream", join(path, kPropertyStream)};
    auto entries = parsePropertyStream(**stream, kind);
    if (!entries) return Error{entries.error().code, entries.error().message, join(path, kPropertyStream)};
    return entries;
  }

  // A stream read against the file's byte budget; problems are recorded, nullopt when absent.
  Result<std::optional<std::vector<std::uint8_t>>> readCounted(MsgStorage& storage, const std::string& name,
                                                               std::size_t max_bytes, const std::string& where) {
    const std::size_t cap = std::min(max_bytes, budget_);
    auto data = storage.readStream(name, cap);
    if (!data) {
      // Past the file's budget the stream may be fine, just more than is left.
      problems_.push_back({where, cap < max_bytes ? "the values of this file pass " +
                                                        std::to_string(limits_.max_total_bytes >> 20) +
                                                        " MiB together; this one is not read (" +
                                                        data.error().message + ")"
                                                  : data.error().message});
      return data;
    }
    if (*data) budget_ -= std::min(budget_, (*data)->size());
    return data;
  }

  mapi::PropertyBag values(MsgStorage& storage, const std::vector<PropertyEntry>& entries, std::uint32_t codepage,
                           const std::string& path, std::initializer_list<std::uint16_t> deferred) {
    mapi::PropertyBag bag;
    for (const auto& entry : entries) {
      if (std::find(deferred.begin(), deferred.end(), entry.id) != deferred.end()) continue;
      std::optional<mapi::NamedKey> named;
      if (entry.id >= 0x8000) {
        const auto it = names_.find(entry.id);
        if (it == names_.end()) {
          problems_.push_back({join(path, hexId(entry.id)), "the named property id has no entry in __nameid_version1.0"});
          continue;
        }
        named = it->second;
      }
      auto value = this->value(storage, entry, codepage, path, named.has_value());
      if (!value) continue;
      if (named) {
        bag.named.insert_or_assign(std::move(*named), std::move(*value));
      } else {
        bag.set(entry.id, static_cast<mapi::PropertyType>(entry.type), std::move(*value));
      }
    }
    return bag;
  }

  std::optional<mapi::PropertyValue> value(MsgStorage& storage, const PropertyEntry& entry, std::uint32_t codepage,
                                           const std::string& path, bool named) {
    switch (entry.type) {
      case kTypeInteger16: {
        const auto bits = static_cast<std::uint16_t>(entry.value[0] | entry.value[1] << 8);
        std::int16_t value;
        std::memcpy(&value, &bits, sizeof value);
        return mapi::PropertyValue{static_cast<std::int32_t>(value)};
      }
      case kTypeInteger32:
        return mapi::PropertyValue{int32Of(entry)};
      case kTypeBoolean:
        return mapi::PropertyValue{entry.value[0] != 0};
      case kTypeInteger64: {
        const std::uint64_t bits = uint64Of(entry);
        std::int64_t value;
        std::memcpy(&value, &bits, sizeof value);
        return mapi::PropertyValue{value};
      }
      case kTypeTime:
        return mapi::PropertyValue{mapi::FileTime{uint64Of(entry)}};
      case kTypeFloating64:
        // The mapping takes PtypFloating64 named values (PidLidPercentComplete) as their 8 bytes,
        // as the PST reader passes them.
        if (!named) return std::nullopt;
        return mapi::PropertyValue{mapi::Binary(entry.value.begin(), entry.value.end())};
      case kTypeString8:
      case kTypeUnicode:
      case kTypeBinary:
      case kTypeGuid: {
        const std::string stream = valueStreamName(entry.id, entry.type);
        auto data = readCounted(storage, stream, limits_.max_value_bytes, join(path, stream));
        if (!data) return std::nullopt;
        if (!*data) {
          problems_.push_back({join(path, stream), "the property stream lists the value but its stream is missing"});
          return std::nullopt;
        }
        if (entry.type == kTypeUnicode) return mapi::PropertyValue{utf16Text(**data)};
        if (entry.type == kTypeString8) return mapi::PropertyValue{string8ToUtf8(**data, codepage)};
        return mapi::PropertyValue{std::move(**data)};
      }
      case kTypeMultipleString8:
      case kTypeMultipleUnicode:
      case kTypeMultipleBinary:
        return multiValue(storage, entry, codepage, path);
      default:
        return std::nullopt;  // types the mapping never reads (floating point, currency, object, ...)
    }
  }

  // [MS-OXMSG] 2.1.4.2: a length stream with one entry per value (4 bytes for strings, 8 for
  // binaries), and one stream per value named with its index.
  std::optional<mapi::PropertyValue> multiValue(MsgStorage& storage, const PropertyEntry& entry, std::uint32_t codepage,
                                                const std::string& path) {
    const std::string lengths_name = valueStreamName(entry.id, entry.type);
    const std::size_t entry_size = entry.type == kTypeMultipleBinary ? 8 : 4;
    auto lengths = readCounted(storage, lengths_name, limits_.max_multi_values * entry_size, join(path, lengths_name));
    if (!lengths) return std::nullopt;
    if (!*lengths) {
      problems_.push_back({join(path, lengths_name), "the property stream lists the value but its stream is missing"});
      return std::nullopt;
    }
    const std::size_t count = (*lengths)->size() / entry_size;
    std::vector<std::string> strings;
    std::vector<mapi::Binary> binaries;
    for (std::size_t index = 0; index < count; ++index) {
      const std::string name = valueStreamName(entry.id, entry.type, static_cast<std::uint32_t>(index));
      auto data = readCounted(storage, name, limits_.max_value_bytes, join(path, name));
      if (!data) return std::nullopt;
      if (!*data) {
        problems_.push_back({join(path, name), "value " + std::to_string(index) + " of " + std::to_string(count) +
                                                   " is missing; the property is not read"});
        return std::nullopt;
      }
      if (entry.type == kTypeMultipleBinary) {
        binaries.push_back(std::move(**data));
      } else {
        strings.push_back(entry.type == kTypeMultipleUnicode ? utf16Text(**data) : string8ToUtf8(**data, codepage));
      }
    }
    if (entry.type == kTypeMultipleBinary) return mapi::PropertyValue{std::move(binaries)};
    return mapi::PropertyValue{std::move(strings)};
  }

  const NamedPropertyMap& names_;
  const ReadLimits& limits_;
  std::vector<PropertyProblem>& problems_;
  std::size_t budget_;
};

}  // namespace

Result<NamedPropertyMap> readNameIdMap(MsgStorage& root, const ReadLimits& limits,
                                       std::vector<PropertyProblem>& problems) {
  auto storage = root.openStorage(kNameIdStorage);
  if (!storage) return Error{storage.error().code, storage.error().message, kNameIdStorage};
  if (!*storage) return NamedPropertyMap{};
  std::vector<std::vector<std::uint8_t>> streams;
  for (const char* name : {"__substg1.0_00020102", "__substg1.0_00030102", "__substg1.0_00040102"}) {
    auto data = (*storage)->readStream(name, limits.max_value_bytes);
    if (!data) return Error{data.error().code, data.error().message, join(kNameIdStorage, name)};
    streams.push_back(*data ? std::move(**data) : std::vector<std::uint8_t>{});
  }
  std::vector<std::string> map_problems;
  auto map = parseNameIdMap(streams[0], streams[1], streams[2], map_problems);
  for (auto& problem : map_problems) problems.push_back({kNameIdStorage, std::move(problem)});
  return map;
}

Result<mapi::PropertyBag> readMessageStorage(MsgStorage& storage, StorageKind kind, const NamedPropertyMap& names,
                                             const ReadLimits& limits, std::vector<PropertyProblem>& problems) {
  StorageReader reader(names, limits, problems);
  return reader.message(storage, kind, "");
}

}  // namespace m2z::readers::msg
