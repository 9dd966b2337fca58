// The PST/OST reader for contacts, distribution lists and tasks: streams them into an ItemSink.
// Built on libpff; nothing outside readers/pst sees libpff.
#pragma once

#include <string>

#include "model/item_sink.h"
#include "model/result.h"
#include "readers/pst/pst_reader.h"

namespace m2z::readers::pst {

struct GroupwareSummary {
  int contact_folders = 0;  // container class IPF.Contact*
  int task_folders = 0;     // container class IPF.Task*
  int other_folders = 0;    // folders of another class that hold contacts, lists or tasks
  int items_seen = 0;       // items accounted for below, each once
  int contacts = 0;         // handed to onContact
  int dist_lists = 0;       // handed to onDistList
  int tasks = 0;            // handed to onTask
  int skipped = 0;          // reported through a Finding with item_skipped set
  // With ReadOptions::recover: orphan and recovered contacts, lists and tasks (also counted in
  // items_seen and converted or skipped as live items are), in "/(orphan)" or "/(recovered)".
  int recovered = 0;
};

// Streams every contact (IPM.Contact*), distribution list (IPM.DistList*) and task (IPM.Task*)
// into `sink`. Every item of a contact or task folder (container class IPF.Contact* / IPF.Task*,
// at any depth) is accounted for: converted, or skipped with a Finding. Items of those classes in
// other folders (contacts filed in a mail folder) are converted too; calendar folders are left to
// readCalendars. onFolder comes once per folder before its first item; paths and entry ids as
// readCalendars gives them. A distribution list member that names a contact of the same file gets
// that contact's address. Fails only when the file cannot be opened or read as a PST/OST.
[[nodiscard]] Result<GroupwareSummary> readGroupware(const std::string& path, model::ItemSink& sink,
                                                     const ReadOptions& options = {});

}  // namespace m2z::readers::pst
