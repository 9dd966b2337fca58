// Folder-walk helpers shared by the PST readers (calendars, groupware items, rules): folder
// names, item identifiers and the IPM subtree, so every reader names folders the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/result.h"
#include "readers/pst/pff_handles.h"

namespace m2z::readers::pst {

inline constexpr std::uint32_t kPidTagContainerClass = 0x3613;
// A PST entry id ([MS-PST] EntryID): 4 flag bytes, the 16-byte store UID, the folder's 4-byte NID.
inline constexpr std::size_t kStoreEntryIdSize = 24;
inline constexpr std::size_t kEntryIdNidOffset = 20;
// Real stores nest a few levels; a deeper chain can only come from a damaged (looping) tree.
inline constexpr int kMaxFolderDepth = 128;

bool startsWithIgnoreCase(std::string_view text, std::string_view prefix);

// The folder's display name (UTF-8), or nullopt when libpff cannot give one.
std::optional<std::string> folderName(libpff_item_t* folder);

// libpff's identifier (the node id) of a folder or message: the entry id findings name.
std::optional<std::uint32_t> identifierOf(libpff_item_t* item);

// The node id of the IPM subtree (the folder users see as the top of their mailbox), read from
// the message store's PidTagIpmSubtreeEntryId; folder paths are relative to it.
std::optional<std::uint32_t> ipmSubtreeIdOfStore(libpff_item_t* store);
std::optional<std::uint32_t> ipmSubtreeId(libpff_file_t* file);

// A PST/OST opened for reading, with its root folder; the readers each open the file this way.
struct OpenedPst {
  PffFile file;
  PffItem root;
};

// Fails with "pst.open" when libpff cannot open the file, "pst.read" when it has no readable
// root folder or folder tree; the error names the file.
[[nodiscard]] Result<OpenedPst> openPst(const std::string& path);

}  // namespace m2z::readers::pst
