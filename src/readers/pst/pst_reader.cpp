#include "readers/pst/pst_reader.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <exception>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "readers/mapi/appointment_mapper.h"
#include "readers/mapi/property_ids.h"
#include "readers/pst/pff_folders.h"
#include "readers/pst/pff_handles.h"
#include "readers/pst/pff_properties.h"
#include "readers/pst/pff_recovered.h"

namespace m2z::readers::pst {

namespace {

bool isAppointmentClass(std::string_view message_class) {
  // IPM.Appointment, or a custom form derived from it (IPM.Appointment.Xyz).
  return message_class.size() == 15 ? startsWithIgnoreCase(message_class, "IPM.Appointment")
                                    : startsWithIgnoreCase(message_class, "IPM.Appointment.");
}

class CalendarWalker {
 public:
  CalendarWalker(std::string source_file, model::ItemSink& sink, std::optional<std::uint32_t> ipm_subtree_id,
                 const ReadOptions& options)
      : source_file_(std::move(source_file)), sink_(sink), ipm_subtree_id_(ipm_subtree_id), options_(options) {}

  // Orphan and recovered items (ReadOptions::recover): the appointments among them go through
  // the same mapping, each with a Finding saying where it came from. Items whose class cannot be
  // read are reported here (once per file; readGroupware leaves them to this reader).
  void readLooseItems(libpff_file_t* file) {
    forEachLooseItem(
        file,
        [&](const std::string& folder, int index, libpff_item_t* item) {
          ++summary_.recovered_items;
          model::Provenance provenance{source_file_, folder, "index " + std::to_string(index)};
          if (const auto identifier = identifierOf(item)) provenance.entry_id = std::to_string(*identifier);
          const auto message_class = readStringProperty(item, mapi::kPidTagMessageClass.id);
          if (!message_class) {
            sink_.onFinding(model::Finding{"item.unreadable", model::Severity::kInfo, provenance,
                                           std::string(mapi::kPidTagMessageClass.name), "", "",
                                           "a " + std::string(folder == kOrphanFolder ? "orphan" : "recovered") +
                                               " item without a readable message class (a fragment of a deleted "
                                               "or damaged item); not migrated",
                                           false});
            return;
          }
          if (!isAppointmentClass(*message_class)) return;
          if (announced_loose_folders_.insert(folder).second) {
            sink_.onFolder(model::SourceFolder{folder, "IPF.Appointment", source_file_, -1});
          }
          ++summary_.items_seen;
          ++summary_.recovered_appointments;
          sink_.onFinding(model::Finding{folder == kOrphanFolder ? "item.orphan" : "item.recovered",
                                         model::Severity::kWarning, provenance, "", "", "",
                                         folder == kOrphanFolder
                                             ? "an item no folder lists (cut off from the folder tree); it is "
                                               "migrated and may duplicate a live item"
                                             : "an item recovered from the file's free space (deleted, or left "
                                               "behind by an edit); it is migrated and may duplicate a live item",
                                         false});
          readItem(item, provenance);
        },
        [&](const std::string& folder, int index, const std::string& why) {
          model::Provenance provenance{source_file_, folder, index < 0 ? "" : "index " + std::to_string(index)};
          sink_.onFinding(model::Finding{"item.unreadable", model::Severity::kInfo, provenance, "", "", "", why,
                                         false});
        });
  }

  void walkChildren(libpff_item_t* folder, const std::string& path, int depth) {
    PffError error;
    int count = 0;
    if (libpff_folder_get_number_of_sub_folders(folder, &count, error.out()) != 1) {
      folderFinding(path, "folder.unreadable", "cannot list the sub folders: " + error.text());
      return;
    }
    for (int index = 0; index < count; ++index) {
      PffItem child;
      if (libpff_folder_get_sub_folder(folder, index, child.out(), error.out()) != 1 || !child) {
        folderFinding(path, "folder.unreadable",
                      "cannot open sub folder " + std::to_string(index) + ": " + error.text());
        continue;
      }
      walkFolder(child.get(), path, depth + 1);
    }
  }

  const ReadSummary& summary() const { return summary_; }

 private:
  void walkFolder(libpff_item_t* folder, const std::string& parent_path, int depth) {
    const auto name = folderName(folder).value_or("");
    const auto identifier = identifierOf(folder);
    const std::string path = isIpmTop(identifier, name, parent_path) ? std::string() : parent_path + "/" + name;
    if (depth > kMaxFolderDepth) {
      folderFinding(path, "folder.too_deep",
                    "folders nest deeper than " + std::to_string(kMaxFolderDepth) + " levels; the rest is not read");
      return;
    }
    const auto container_class = readStringProperty(folder, kPidTagContainerClass).value_or("");
    if (startsWithIgnoreCase(container_class, "IPF.Appointment")) {
      ++summary_.calendar_folders;
      // The item count lets progress show an ETA; a folder that cannot count says so in readItems.
      PffError count_error;
      int item_count = -1;
      if (libpff_folder_get_number_of_sub_messages(folder, &item_count, count_error.out()) != 1) item_count = -1;
      sink_.onFolder(model::SourceFolder{path.empty() ? "/" : path, container_class, source_file_, item_count});
      readItems(folder, path.empty() ? "/" : path);
    } else {
      reportStrayAppointments(folder, path.empty() ? "/" : path);
    }
    walkChildren(folder, path, depth);
  }

  // Only the message class of each item is read here: a mail folder costs one small property
  // read per message, and meeting requests (IPM.Schedule.*) are mail, not appointments.
  void reportStrayAppointments(libpff_item_t* folder, const std::string& path) {
    PffError error;
    int count = 0;
    if (libpff_folder_get_number_of_sub_messages(folder, &count, error.out()) != 1) return;
    for (int index = 0; index < count; ++index) {
      PffItem message;
      if (libpff_folder_get_sub_message(folder, index, message.out(), error.out()) != 1 || !message) continue;
      const auto message_class = readStringProperty(message.get(), mapi::kPidTagMessageClass.id).value_or("");
      if (!isAppointmentClass(message_class)) continue;
      model::Provenance provenance{source_file_, path, "index " + std::to_string(index)};
      if (const auto identifier = identifierOf(message.get())) provenance.entry_id = std::to_string(*identifier);
      ++summary_.stray_appointments;
      sink_.onFinding(model::Finding{"item.outside_calendar", model::Severity::kWarning, provenance,
                                     std::string(mapi::kPidTagMessageClass.name), message_class, "",
                                     "an appointment kept in \"" + path +
                                         "\", which is not a calendar folder (e.g. Deleted Items); it is not "
                                         "migrated, so that a deleted entry does not come back",
                                     true});
    }
  }

  bool isIpmTop(std::optional<std::uint32_t> identifier, std::string_view name, std::string_view parent_path) const {
    if (ipm_subtree_id_) return identifier == ipm_subtree_id_;
    // Without the store's pointer, fall back on the names Outlook gives the top folder.
    return (parent_path.empty() && (name == "Top of Personal Folders" || name == "Top of Outlook data file")) ||
           (parent_path == "/Root - Mailbox" && name == "IPM_SUBTREE");
  }

  // Normal contents only: folder-associated items (views, rules, IPM.Configuration.*) are
  // settings, not calendar entries.
  void readItems(libpff_item_t* folder, const std::string& path) {
    PffError error;
    int count = 0;
    if (libpff_folder_get_number_of_sub_messages(folder, &count, error.out()) != 1) {
      folderFinding(path, "folder.unreadable", "cannot list the calendar's items: " + error.text(),
                    model::Severity::kError);
      return;
    }
    for (int index = 0; index < count; ++index) {
      ++summary_.items_seen;
      model::Provenance provenance{source_file_, path, "index " + std::to_string(index)};
      PffItem message;
      if (libpff_folder_get_sub_message(folder, index, message.out(), error.out()) != 1 || !message) {
        skip(provenance, "item.unreadable", model::Severity::kError, "", "", "libpff cannot open the item: " + error.text());
        continue;
      }
      if (const auto identifier = identifierOf(message.get())) provenance.entry_id = std::to_string(*identifier);
      readItem(message.get(), provenance);
    }
  }

  void readItem(libpff_item_t* message, const model::Provenance& provenance) {
    std::vector<PropertyProblem> problems;
    auto bag = readMessage(message, problems);
    if (!bag) {
      skip(provenance, "item.unreadable", model::Severity::kError, "(property table)", "", bag.error().message);
      return;
    }
    for (auto& problem : problems) {
      sink_.onFinding(model::Finding{"property.unreadable", model::Severity::kWarning, provenance, problem.property,
                                     "", "", "libpff cannot read the property: " + problem.why, false});
    }
    if (!isAppointmentClass(bag->message_class)) {
      skip(provenance, "item.not_appointment", model::Severity::kInfo, std::string(mapi::kPidTagMessageClass.name),
           bag->message_class, "the calendar holds a message of class \"" + bag->message_class +
                                   "\", which is not an appointment");
      return;
    }
    if (bag->findNamed(mapi::kPidLidAppointmentRecur.property_set, mapi::kPidLidAppointmentRecur.lid) != nullptr) {
      // A series keeps its modified instances as embedded messages ([MS-OXOCAL] 2.2.10).
      std::vector<PropertyProblem> attachment_problems;
      readEmbeddedAttachments(message, *bag, attachment_problems);
      for (auto& problem : attachment_problems) {
        sink_.onFinding(model::Finding{"property.unreadable", model::Severity::kWarning, provenance, problem.property,
                                       "", "", "libpff cannot read the exception attachment: " + problem.why, false});
      }
    }
    readFiles(message, *bag, provenance);
    std::vector<model::Finding> findings;
    auto appointment = mapi::mapAppointment(*bag, provenance, findings);
    for (auto& finding : findings) sink_.onFinding(std::move(finding));
    if (!appointment) {
      const bool recurrence = appointment.error().code.rfind("mapi.recurrence.", 0) == 0;
      if (recurrence) {
        skip(provenance, "recurrence.not_converted", model::Severity::kWarning,
             std::string(mapi::kPidLidAppointmentRecur.name), "", appointment.error().message);
      } else {
        skip(provenance, "item.unconvertible", model::Severity::kError, appointment.error().context, "",
             appointment.error().message);
      }
      return;
    }
    ++summary_.appointments;
    sink_.onAppointment(std::move(appointment).value());
  }

  void readFiles(libpff_item_t* message, mapi::PropertyBag& bag, const model::Provenance& provenance) {
    std::vector<PropertyProblem> problems;
    std::vector<PropertyProblem> not_read;
    readFileAttachments(message, bag, options_.max_attachment_bytes, options_.max_item_attachment_bytes, problems,
                        not_read);
    for (auto& problem : problems) {
      sink_.onFinding(model::Finding{"property.unreadable", model::Severity::kWarning, provenance, problem.property,
                                     "", "", "libpff cannot read the attachment: " + problem.why, false});
    }
    for (auto& skipped : not_read) {
      sink_.onFinding(model::Finding{"attachment.not_migrated", model::Severity::kWarning, provenance,
                                     std::string(mapi::kPidTagAttachDataBinary.name), skipped.property, "",
                                     skipped.why + "; it is not migrated", false});
    }
  }

  void skip(const model::Provenance& provenance, std::string kind, model::Severity severity, std::string field,
            std::string before, std::string why) {
    ++summary_.skipped;
    sink_.onFinding(model::Finding{std::move(kind), severity, provenance, std::move(field), std::move(before), "",
                                   std::move(why), true});
  }

  void folderFinding(const std::string& path, std::string kind, std::string why,
                     model::Severity severity = model::Severity::kWarning) {
    sink_.onFinding(model::Finding{std::move(kind), severity, model::Provenance{source_file_, path.empty() ? "/" : path, ""},
                                   "", "", "", std::move(why), false});
  }

  std::string source_file_;
  model::ItemSink& sink_;
  std::optional<std::uint32_t> ipm_subtree_id_;
  ReadOptions options_;
  std::set<std::string> announced_loose_folders_;
  ReadSummary summary_;
};

Result<ReadSummary> readUnguarded(const std::string& path, model::ItemSink& sink, const ReadOptions& options) {
  auto opened = openPst(path);
  if (!opened) return opened.error();
  PffFile& file = opened->file;
  PffItem& root = opened->root;
  CalendarWalker walker(path, sink, ipmSubtreeId(file.get()), options);
  walker.walkChildren(root.get(), "", 0);
  if (options.recover) walker.readLooseItems(file.get());
  return walker.summary();
}

}  // namespace

Result<ReadSummary> readCalendars(const std::string& path, model::ItemSink& sink, const ReadOptions& options) {
  try {
    return readUnguarded(path, sink, options);
  } catch (const std::exception& e) {
    return Error{"pst.internal", std::string("reading the file failed: ") + e.what(), path};
  }
}

}  // namespace m2z::readers::pst
