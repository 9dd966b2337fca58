// The PST/OST calendar reader: streams every calendar folder and item of a Personal Folders
// file into an ItemSink. Built on libpff; nothing outside readers/pst sees libpff.
#pragma once

#include <cstdint>
#include <string>

#include "model/item_sink.h"
#include "model/result.h"

namespace m2z::readers::pst {

struct ReadOptions {
  // Also read the items libpff recovers from the file's free space and the orphan items no
  // folder lists (deleted, or cut off by damage). Each goes through the same mapping, in folder
  // "/(recovered)" or "/(orphan)", with a Finding; they may duplicate live items.
  bool recover = false;
  // An appointment's file attachment with more content than this is not read (a Finding says so).
  std::uint64_t max_attachment_bytes = std::uint64_t{50} << 20;
  // All file attachments of one item together.
  std::uint64_t max_item_attachment_bytes = std::uint64_t{200} << 20;
};

struct ReadSummary {
  int calendar_folders = 0;
  int items_seen = 0;    // items in calendar folders; each is counted once below
  int appointments = 0;  // handed to onAppointment
  int skipped = 0;       // reported through a Finding with item_skipped set
  // Appointments kept outside calendar folders (e.g. Deleted Items): not migrated, so a deleted
  // entry does not come back, but each is reported through a Finding with item_skipped set.
  int stray_appointments = 0;
  // With ReadOptions::recover: orphan and recovered items looked at, and those of an appointment
  // class among them (also counted in items_seen, and converted or skipped as live items are).
  // onFolder announces "/(orphan)" or "/(recovered)" before the first such appointment.
  int recovered_items = 0;
  int recovered_appointments = 0;
};

// Streams every calendar folder (container class IPF.Appointment*, at any depth) and each of its
// items into `sink`: onFolder for each calendar folder, onAppointment per converted item,
// onFinding for everything else. Folder paths are "/"-separated below the store's IPM subtree
// ("/Calendar", "/Calendar/Team"); entry ids are libpff item identifiers in decimal. Fails only
// when the file itself cannot be opened or read as a PST/OST.
[[nodiscard]] Result<ReadSummary> readCalendars(const std::string& path, model::ItemSink& sink,
                                                const ReadOptions& options = {});

}  // namespace m2z::readers::pst
