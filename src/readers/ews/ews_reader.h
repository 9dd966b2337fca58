// The EWS XML reader: streams the t:CalendarItem elements of Exchange Web Services responses
// (GetItem, FindItem, SyncFolderItems) into an ItemSink as Appointments; other item kinds are
// accounted for as skipped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "model/item_sink.h"
#include "model/result.h"

namespace m2z::readers::ews {

struct ReadOptions {
  std::string folder_path = "/Calendar";  // folder the items are reported under
  std::size_t max_bytes = std::size_t{64} * 1024 * 1024;
};

struct ReadSummary {
  int items_seen = 0;        // item elements (CalendarItem, Contact, Task, Message, ...)
  int appointments = 0;      // handed to onAppointment
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
