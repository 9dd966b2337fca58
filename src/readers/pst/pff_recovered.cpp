#include "readers/pst/pff_recovered.h"

namespace m2z::readers::pst {

namespace {

using CountFn = int (*)(libpff_file_t*, int*, libpff_error_t**);
using ItemFn = int (*)(libpff_file_t*, int, libpff_item_t**, libpff_error_t**);

void visitList(libpff_file_t* file, const std::string& folder, CountFn count_fn, ItemFn item_fn,
               const std::function<void(const std::string&, int, libpff_item_t*)>& visit,
               const std::function<void(const std::string&, int, const std::string&)>& unreadable) {
  PffError error;
  int count = 0;
  if (count_fn(file, &count, error.out()) != 1) {
    unreadable(folder, -1, "libpff cannot count the items: " + error.text());
    return;
  }
  for (int index = 0; index < count; ++index) {
    PffItem item;
    if (item_fn(file, index, item.out(), error.out()) != 1 || !item) {
      unreadable(folder, index, "libpff cannot open the item: " + error.text());
      continue;
    }
    std::uint8_t type = LIBPFF_ITEM_TYPE_UNDEFINED;
    PffError type_error;
    if (libpff_item_get_type(item.get(), &type, type_error.out()) == 1 && type == LIBPFF_ITEM_TYPE_FOLDER) continue;
    visit(folder, index, item.get());
  }
}

}  // namespace

void forEachLooseItem(libpff_file_t* file,
                      const std::function<void(const std::string& folder, int index, libpff_item_t* item)>& visit,
                      const std::function<void(const std::string& folder, int index, const std::string& why)>& unreadable) {
  visitList(file, kOrphanFolder, libpff_file_get_number_of_orphan_items, libpff_file_get_orphan_item_by_index, visit,
            unreadable);
  PffError error;
  // Flags 0: only the unallocated space is scanned, as pffexport -m recovered does.
  if (libpff_file_recover_items(file, 0, error.out()) != 1) {
    unreadable(kRecoveredFolder, -1, "libpff cannot scan the file for deleted items: " + error.text());
    return;
  }
  visitList(file, kRecoveredFolder, libpff_file_get_number_of_recovered_items, libpff_file_get_recovered_item_by_index,
            visit, unreadable);
}

}  // namespace m2z::readers::pst
