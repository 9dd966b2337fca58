// The EWS XML reader: streams the items of Exchange Web Services responses (GetItem, FindItem,
// SyncFolderItems: calendar items, contacts, distribution lists, tasks) and mailbox settings
// (GetInboxRules, GetUserOofSettings) into an ItemSink; other item kinds are accounted for as skipped.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "model/item_sink.h"
#include "model/result.h"

namespace m2z::readers::ews {

struct ReadOptions {
  std::string folder_path = "/Calendar";  // folder the calendar items are reported under
  std::string contacts_folder_path = "/Contacts";  // contacts and distribution lists
  std::string tasks_folder_path = "/Tasks";
  std::string rules_folder_path = "/Inbox";  // inbox rules and out-of-office settings
  // The mailbox owner's UTC offset in minutes, when known: all-day dates (birthdays, task dates)
  // are then read exactly; without it they are taken to the nearest midnight with a finding.
  std::optional<int> user_offset_minutes;
  std::size_t max_bytes = std::size_t{64} * 1024 * 1024;
};

struct ReadSummary {
  int items_seen = 0;        // item elements (CalendarItem, Contact, Task, Message, ...), rules, OOF settings
  int appointments = 0;      // handed to onAppointment
  int contacts = 0;          // handed to onContact
  int dist_lists = 0;        // handed to onDistList
  int tasks = 0;             // handed to onTask
  int rules = 0;             // handed to onRule
  int oof_settings = 0;      // handed to onOofSettings
  int exceptions_merged = 0;  // Exception-type CalendarItems carried inside their series
  int skipped = 0;           // reported through a Finding with item_skipped set
};

// Reads EWS response XML; `source_name` names it in provenance and errors. Character references
// XML 1.0 forbids (&#x0; and other controls, which Exchange does emit) are replaced by U+FFFD with
// a finding before parsing. Fails only when the text is not XML.
[[nodiscard]] Result<ReadSummary> readEwsText(std::string_view text, const std::string& source_name,
                                              model::ItemSink& sink, const ReadOptions& options = {});

[[nodiscard]] Result<ReadSummary> readEwsFile(const std::string& path, model::ItemSink& sink,
                                              const ReadOptions& options = {});

}  // namespace m2z::readers::ews
