// The iCalendar reader: streams the VEVENTs and VTODOs of an .ics file (RFC 5545, as Outlook and
// Exchange export them) into an ItemSink as Appointments and Tasks, with every other component
// accounted for.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/item_sink.h"
#include "model/result.h"
#include "model/time_zone.h"

namespace m2z::readers::ics {

struct ReadOptions {
  // The zone floating times (no TZID, no "Z") are taken to be in; UTC when unset.
  std::optional<model::TimeZoneDefinition> floating_zone;
  // Folder path the items are reported under (an .ics file has no folders).
  std::string folder_path = "/Calendar";
  // Folder path the VTODOs are reported under; announced (IPF.Task) before the first task.
  std::string task_folder_path = "/Tasks";
  // Inline (BASE64) attachments larger than this, decoded, are left out with a finding.
  std::uint64_t max_attachment_bytes = std::uint64_t{50} * 1024 * 1024;
  // Larger files are refused: libical holds the whole calendar in memory.
  std::size_t max_bytes = std::size_t{256} * 1024 * 1024;
};

struct ReadSummary {
  int events_seen = 0;       // VEVENT components, overrides included
  int appointments = 0;      // handed to onAppointment (a series with its overrides counts once)
  int overrides_merged = 0;  // VEVENTs with a RECURRENCE-ID carried as exceptions of their series
  int skipped = 0;           // components reported through a Finding with item_skipped set
  int tasks_seen = 0;        // VTODO components
  int tasks = 0;             // handed to onTask
  int other_components = 0;  // VJOURNAL, VFREEBUSY, ... (each also counted in skipped)
};

// Reads iCalendar text; `source_name` names it in provenance and errors. Per-item problems become
// Findings; fails only when the text is not iCalendar at all.
[[nodiscard]] Result<ReadSummary> readCalendarText(std::string_view text, const std::string& source_name,
                                                   model::ItemSink& sink, const ReadOptions& options = {});

// Reads an .ics file as readCalendarText does.
[[nodiscard]] Result<ReadSummary> readCalendarFile(const std::string& path, model::ItemSink& sink,
                                                   const ReadOptions& options = {});

}  // namespace m2z::readers::ics
