#include "readers/pst/pff_folders.h"

#include <algorithm>
#include <cctype>

#include "readers/pst/pff_properties.h"

namespace m2z::readers::pst {

namespace {
constexpr std::uint32_t kPidTagIpmSubtreeEntryId = 0x35E0;
}  // namespace

bool startsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

std::optional<std::string> folderName(libpff_item_t* folder) {
  PffError error;
  std::size_t size = 0;
  if (libpff_folder_get_utf8_name_size(folder, &size, error.out()) != 1 || size == 0 || size > 4096) {
    return std::nullopt;
  }
  std::string name(size, '\0');
  if (libpff_folder_get_utf8_name(folder, reinterpret_cast<std::uint8_t*>(name.data()), size, error.out()) != 1) {
    return std::nullopt;
  }
  name.resize(name.find('\0') == std::string::npos ? name.size() : name.find('\0'));
  return name;
}

std::optional<std::uint32_t> identifierOf(libpff_item_t* item) {
  PffError error;
  std::uint32_t identifier = 0;
  if (libpff_item_get_identifier(item, &identifier, error.out()) != 1) return std::nullopt;
  return identifier;
}

std::optional<std::uint32_t> ipmSubtreeIdOfStore(libpff_item_t* store) {
  const auto entry_id = readBinaryProperty(store, kPidTagIpmSubtreeEntryId);
  if (!entry_id || entry_id->size() != kStoreEntryIdSize) return std::nullopt;
  const auto* nid = entry_id->data() + kEntryIdNidOffset;
  return static_cast<std::uint32_t>(nid[0]) | static_cast<std::uint32_t>(nid[1]) << 8 |
         static_cast<std::uint32_t>(nid[2]) << 16 | static_cast<std::uint32_t>(nid[3]) << 24;
}

std::optional<std::uint32_t> ipmSubtreeId(libpff_file_t* file) {
  PffError error;
  PffItem store;
  if (libpff_file_get_message_store(file, store.out(), error.out()) != 1 || !store) return std::nullopt;
  return ipmSubtreeIdOfStore(store.get());
}

Result<OpenedPst> openPst(const std::string& path) {
  PffError error;
  OpenedPst opened;
  if (libpff_file_initialize(opened.file.out(), error.out()) != 1) {
    return Error{"pst.open", "cannot set up libpff: " + error.text(), path};
  }
  if (libpff_file_open(opened.file.get(), path.c_str(), LIBPFF_OPEN_READ, error.out()) != 1) {
    return Error{"pst.open", "cannot open the file as a PST/OST: " + error.text(), path};
  }
  const int has_root = libpff_file_get_root_folder(opened.file.get(), opened.root.out(), error.out());
  if (has_root != 1 || !opened.root) {
    return Error{"pst.read",
                 has_root == 0 ? std::string("the file has no root folder; it is truncated or damaged")
                               : "cannot read the root folder: " + error.text(),
                 path};
  }
  int top_level = 0;
  if (libpff_folder_get_number_of_sub_folders(opened.root.get(), &top_level, error.out()) != 1) {
    return Error{"pst.read", "cannot read the folder tree: " + error.text(), path};
  }
  return opened;
}

}  // namespace m2z::readers::pst
