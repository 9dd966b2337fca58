// The items outside the folder tree, for ReadOptions::recover: libpff's orphan items (no folder
// lists them) and the items it recovers from the file's free space. Private to readers/pst.
#pragma once

#include <functional>
#include <string>

#include "readers/pst/pff_handles.h"

namespace m2z::readers::pst {

inline constexpr const char* kOrphanFolder = "/(orphan)";
inline constexpr const char* kRecoveredFolder = "/(recovered)";

// Calls `visit(folder, index, item)` for every orphan item (folder kOrphanFolder), then, after
// libpff has scanned the file's free space, for every recovered item (kRecoveredFolder); folders
// among them are passed over. `unreadable(folder, index, why)` gets each item libpff cannot hand
// out, and index -1 when a whole list cannot be read.
void forEachLooseItem(libpff_file_t* file,
                      const std::function<void(const std::string& folder, int index, libpff_item_t* item)>& visit,
                      const std::function<void(const std::string& folder, int index, const std::string& why)>& unreadable);

}  // namespace m2z::readers::pst
