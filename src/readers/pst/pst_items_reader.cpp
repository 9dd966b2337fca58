#include "readers/pst/pst_items_reader.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <exception>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "readers/mapi/contact_mapper.h"
#include "readers/mapi/property_ids.h"
#include "readers/mapi/task_mapper.h"
#include "readers/pst/pff_folders.h"
#include "readers/pst/pff_handles.h"
#include "readers/pst/pff_properties.h"
#include "readers/pst/pff_recovered.h"

namespace m2z::readers::pst {

namespace {

constexpr std::uint32_t kPidTagMessageClass = 0x001A;
// Outlook scales contact photos down to well under this.
constexpr std::size_t kMaxPhotoBytes = std::size_t{16} << 20;
// Outlook keeps a contact's attachments few; a huge count can only come from damage.
constexpr int kMaxContactAttachments = 256;
constexpr std::uint32_t kValueTypeFloating64 = 0x0005;

enum class ItemKind { kContact, kDistList, kTask, kOther };

// A class or a custom form derived from it ("IPM.Contact", "IPM.Contact.MyForm").
bool isClass(std::string_view message_class, std::string_view base) {
  if (!startsWithIgnoreCase(message_class, base)) return false;
  return message_class.size() == base.size() || message_class[base.size()] == '.';
}

ItemKind kindOf(std::string_view message_class) {
  if (isClass(message_class, "IPM.Contact")) return ItemKind::kContact;
  if (isClass(message_class, "IPM.DistList")) return ItemKind::kDistList;
  if (isClass(message_class, "IPM.Task")) return ItemKind::kTask;
  return ItemKind::kOther;
}

// The named value the shared record-set reader cannot give: PidLidPercentComplete is a
// PtypFloating64, passed on as its 8 bytes, as the mapping expects. (Multi-valued binaries, which
// libpff reports as empty, are read from their stored form by the shared reader.)
void addMissingNamedValues(libpff_item_t* message, mapi::PropertyBag& bag) {
  PffError error;
  PffRecordSet set;
  if (libpff_item_get_record_set_by_index(message, 0, set.out(), error.out()) != 1) return;
  int count = 0;
  if (libpff_record_set_get_number_of_entries(set.get(), &count, error.out()) != 1) return;
  for (int index = 0; index < count; ++index) {
    PffRecordEntry entry;
    if (libpff_record_set_get_entry_by_index(set.get(), index, entry.out(), error.out()) != 1) continue;
    std::uint32_t value_type = 0;
    if (libpff_record_entry_get_value_type(entry.get(), &value_type, error.out()) != 1 ||
        value_type != kValueTypeFloating64) {
      continue;
    }
    libpff_name_to_id_map_entry_t* map_entry = nullptr;  // owned by the file's map
    if (libpff_record_entry_get_name_to_id_map_entry(entry.get(), &map_entry, error.out()) != 1 ||
        map_entry == nullptr) {
      continue;
    }
    std::uint8_t kind = 0;
    std::uint32_t number = 0;
    mapi::Guid guid;
    if (libpff_name_to_id_map_entry_get_type(map_entry, &kind, error.out()) != 1 ||
        kind == LIBPFF_NAME_TO_ID_MAP_ENTRY_TYPE_STRING ||
        libpff_name_to_id_map_entry_get_number(map_entry, &number, error.out()) != 1 ||
        libpff_name_to_id_map_entry_get_guid(map_entry, guid.bytes.data(), guid.bytes.size(), error.out()) != 1) {
      continue;
    }
    if (guid != mapi::kPidLidPercentComplete.property_set || number != mapi::kPidLidPercentComplete.lid) continue;
    double value = 0;
    if (libpff_record_entry_get_data_as_floating_point(entry.get(), &value, error.out()) != 1) continue;
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    mapi::Binary bytes(8);
    for (std::size_t i = 0; i < 8; ++i) bytes[i] = static_cast<std::uint8_t>(bits >> (8 * i));
    bag.setNamed(guid, number, std::move(bytes));
  }
}

// The contact photo ([MS-OXOCNTC] 2.2.1.8): the file attachment with PidTagAttachmentContactPhoto,
// put into bag.attachments with its data in PidTagAttachDataBinary. Other attachments are not kept.
void addContactPhoto(libpff_item_t* message, mapi::PropertyBag& bag, std::vector<PropertyProblem>& problems) {
  PffError error;
  int count = 0;
  if (libpff_message_get_number_of_attachments(message, &count, error.out()) != 1) {
    problems.push_back({"(attachments)", error.text()});
    return;
  }
  count = std::min(count, kMaxContactAttachments);
  for (int index = 0; index < count; ++index) {
    const std::string which = "(attachment " + std::to_string(index) + ")";
    PffItem attachment;
    if (libpff_message_get_attachment(message, index, attachment.out(), error.out()) != 1 || !attachment) {
      problems.push_back({which, error.text()});
      continue;
    }
    int type = LIBPFF_ATTACHMENT_TYPE_UNDEFINED;
    if (libpff_attachment_get_type(attachment.get(), &type, error.out()) != 1 || type != LIBPFF_ATTACHMENT_TYPE_DATA) {
      continue;
    }
    std::vector<PropertyProblem> row_problems;
    auto row = readRecordSet(attachment.get(), 0, row_problems);
    if (!row) {
      problems.push_back({which, row.error().message});
      continue;
    }
    const auto* is_photo = row->findTagged(mapi::kPidTagAttachmentContactPhoto.id);
    if (is_photo == nullptr || !std::holds_alternative<bool>(*is_photo) || !std::get<bool>(*is_photo)) continue;
    problems.insert(problems.end(), row_problems.begin(), row_problems.end());
    if (row->findTagged(mapi::kPidTagAttachDataBinary.id) == nullptr) {
      size64_t size = 0;
      if (libpff_attachment_get_data_size(attachment.get(), &size, error.out()) != 1) {
        problems.push_back({which, "cannot size the photo: " + error.text()});
      } else if (size > kMaxPhotoBytes) {
        problems.push_back({which, "the photo has " + std::to_string(size) + " bytes, more than a photo can have"});
      } else {
        mapi::Binary data(static_cast<std::size_t>(size));
        const ssize_t read =
            data.empty() ? 0 : libpff_attachment_data_read_buffer(attachment.get(), data.data(), data.size(), error.out());
        if (read < 0 || static_cast<std::size_t>(read) != data.size()) {
          problems.push_back({which, "cannot read the photo: " + error.text()});
        } else {
          row->set(mapi::kPidTagAttachDataBinary.id, mapi::PropertyType::kBinary, std::move(data));
        }
      }
    }
    bag.attachments.push_back(std::move(row).value());
    return;
  }
}

class GroupwareWalker {
 public:
  GroupwareWalker(std::string source_file, libpff_file_t* file, model::ItemSink& sink,
                  std::optional<std::uint32_t> ipm_subtree_id)
      : source_file_(std::move(source_file)), file_(file), sink_(sink), ipm_subtree_id_(ipm_subtree_id) {}

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
        folderFinding(path, "folder.unreadable", "cannot open sub folder " + std::to_string(index) + ": " + error.text());
        continue;
      }
      walkFolder(child.get(), path, depth + 1);
    }
  }

  const GroupwareSummary& summary() const { return summary_; }

  // Orphan and recovered contacts, lists and tasks (ReadOptions::recover), each with a Finding
  // saying where it came from. Items whose class cannot be read are readCalendars' to report.
  void readLooseItems() {
    forEachLooseItem(
        file_,
        [&](const std::string& folder, int index, libpff_item_t* item) {
          const auto message_class = readStringProperty(item, kPidTagMessageClass);
          if (!message_class) return;
          const ItemKind kind = kindOf(*message_class);
          if (kind == ItemKind::kOther) return;
          const std::string container_class = kind == ItemKind::kTask ? "IPF.Task" : "IPF.Contact";
          if (announced_loose_folders_.insert(folder + "\n" + container_class).second) {
            sink_.onFolder(model::SourceFolder{folder, container_class, source_file_, -1});
          }
          ++summary_.items_seen;
          ++summary_.recovered;
          model::Provenance provenance{source_file_, folder, "index " + std::to_string(index)};
          if (const auto identifier = identifierOf(item)) provenance.entry_id = std::to_string(*identifier);
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
        [](const std::string&, int, const std::string&) {});
  }

 private:
  struct Folder {
    std::string path;
    std::string container_class;
    int item_count = -1;
    bool announced = false;
  };

  void walkFolder(libpff_item_t* folder, const std::string& parent_path, int depth) {
    const auto name = folderName(folder).value_or("");
    const auto identifier = identifierOf(folder);
    const std::string path = isIpmTop(identifier, name, parent_path) ? std::string() : parent_path + "/" + name;
    if (depth > kMaxFolderDepth) {
      folderFinding(path, "folder.too_deep",
                    "folders nest deeper than " + std::to_string(kMaxFolderDepth) + " levels; the rest is not read");
      return;
    }
    Folder current{path.empty() ? "/" : path, readStringProperty(folder, kPidTagContainerClass).value_or(""), -1, false};
    PffError count_error;
    if (libpff_folder_get_number_of_sub_messages(folder, &current.item_count, count_error.out()) != 1) {
      current.item_count = -1;
    }
    if (startsWithIgnoreCase(current.container_class, "IPF.Contact") ||
        startsWithIgnoreCase(current.container_class, "IPF.Task")) {
      ++(startsWithIgnoreCase(current.container_class, "IPF.Contact") ? summary_.contact_folders
                                                                       : summary_.task_folders);
      announce(current);
      readAllItems(folder, current);
    } else if (!startsWithIgnoreCase(current.container_class, "IPF.Appointment") && current.item_count > 0) {
      // Calendars belong to readCalendars; elsewhere only items of our classes are ours.
      readMatchingItems(folder, current);
    }
    walkChildren(folder, path, depth);
  }

  bool isIpmTop(std::optional<std::uint32_t> identifier, std::string_view name, std::string_view parent_path) const {
    if (ipm_subtree_id_) return identifier == ipm_subtree_id_;
    return (parent_path.empty() && (name == "Top of Personal Folders" || name == "Top of Outlook data file")) ||
           (parent_path == "/Root - Mailbox" && name == "IPM_SUBTREE");
  }

  void announce(Folder& folder) {
    if (folder.announced) return;
    folder.announced = true;
    sink_.onFolder(model::SourceFolder{folder.path, folder.container_class, source_file_, folder.item_count});
  }

  // A contact or task folder: every item is ours to account for.
  void readAllItems(libpff_item_t* folder, Folder& current) {
    PffError error;
    int count = 0;
    if (libpff_folder_get_number_of_sub_messages(folder, &count, error.out()) != 1) {
      folderFinding(current.path, "folder.unreadable", "cannot list the folder's items: " + error.text(),
                    model::Severity::kError);
      return;
    }
    for (int index = 0; index < count; ++index) {
      ++summary_.items_seen;
      model::Provenance provenance{source_file_, current.path, "index " + std::to_string(index)};
      PffItem message;
      if (libpff_folder_get_sub_message(folder, index, message.out(), error.out()) != 1 || !message) {
        skip(provenance, "item.unreadable", model::Severity::kError, "", "", "libpff cannot open the item: " + error.text());
        continue;
      }
      if (const auto identifier = identifierOf(message.get())) provenance.entry_id = std::to_string(*identifier);
      readItem(message.get(), provenance);
    }
  }

  // Another folder: only items whose class is a contact, list or task are read; the rest belong
  // to other readers and are not looked at beyond their class.
  void readMatchingItems(libpff_item_t* folder, Folder& current) {
    PffError error;
    int count = 0;
    if (libpff_folder_get_number_of_sub_messages(folder, &count, error.out()) != 1) return;
    for (int index = 0; index < count; ++index) {
      PffItem message;
      if (libpff_folder_get_sub_message(folder, index, message.out(), error.out()) != 1 || !message) continue;
      const auto message_class = readStringProperty(message.get(), kPidTagMessageClass);
      if (!message_class || kindOf(*message_class) == ItemKind::kOther) continue;
      if (!current.announced) {
        ++summary_.other_folders;
        announce(current);
      }
      ++summary_.items_seen;
      model::Provenance provenance{source_file_, current.path, "index " + std::to_string(index)};
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
    const ItemKind kind = kindOf(bag->message_class);
    if (kind == ItemKind::kOther) {
      skip(provenance, "item.not_groupware", model::Severity::kInfo, std::string(mapi::kPidTagMessageClass.name),
           bag->message_class,
           "the folder holds a message of class \"" + bag->message_class +
               "\", which is not a contact, distribution list or task");
      return;
    }
    if (kind == ItemKind::kContact) addContactPhoto(message, *bag, problems);
    addMissingNamedValues(message, *bag);
    for (auto& problem : problems) {
      sink_.onFinding(model::Finding{"property.unreadable", model::Severity::kWarning, provenance, problem.property,
                                     "", "", "libpff cannot read the property: " + problem.why, false});
    }
    std::vector<model::Finding> findings;
    switch (kind) {
      case ItemKind::kContact: {
        auto contact = mapi::mapContact(*bag, provenance, findings);
        flush(findings);
        if (!contact) return unconvertible(provenance, contact.error());
        ++summary_.contacts;
        sink_.onContact(std::move(contact).value());
        return;
      }
      case ItemKind::kDistList: {
        auto list = mapi::mapDistList(*bag, provenance, findings);
        if (list) resolveMembers(*list, findings);
        flush(findings);
        if (!list) return unconvertible(provenance, list.error());
        ++summary_.dist_lists;
        sink_.onDistList(std::move(list).value());
        return;
      }
      case ItemKind::kTask: {
        auto task = mapi::mapTask(*bag, provenance, findings);
        flush(findings);
        if (!task) return unconvertible(provenance, task.error());
        ++summary_.tasks;
        sink_.onTask(std::move(task).value());
        return;
      }
      case ItemKind::kOther:
        return;
    }
  }

  // Members that are contacts of this file get the contact's current address: the one-off copy
  // in the list is what the address was when the member was added.
  void resolveMembers(model::DistList& list, std::vector<model::Finding>& findings) {
    for (auto& member : list.members) {
      if (member.target_entry_id.empty()) continue;
      const auto target = lookUp(member.target_entry_id);
      if (!target) {
        findings.push_back(model::Finding{"distlist.member_unresolved", model::Severity::kInfo, list.provenance,
                                          std::string(mapi::kPidLidDistributionListMembers.name),
                                          member.target_entry_id, member.email,
                                          "the member names an item this file does not hold (or cannot read); "
                                          "its stored name and address are kept",
                                          false});
        continue;
      }
      if (member.display_name.empty()) member.display_name = target->display_name;
      if (target->emails.empty()) continue;
      const bool still_there = std::any_of(target->emails.begin(), target->emails.end(),
                                           [&](const model::ContactEmail& e) { return e.address == member.email; });
      if (!still_there) {
        findings.push_back(model::Finding{"distlist.member_resolved", model::Severity::kInfo, list.provenance,
                                          std::string(mapi::kPidLidDistributionListMembers.name), member.email,
                                          target->emails.front().address,
                                          "the member's contact now has another address; the contact's is used",
                                          false});
        member.email = target->emails.front().address;
        member.address_type = target->emails.front().address_type;
      }
    }
  }

  std::optional<model::Contact> lookUp(const std::string& entry_id) {
    std::uint32_t identifier = 0;
    try {
      const unsigned long parsed = std::stoul(entry_id);
      if (parsed > 0xFFFFFFFFul) return std::nullopt;
      identifier = static_cast<std::uint32_t>(parsed);
    } catch (const std::exception&) {
      return std::nullopt;
    }
    PffError error;
    PffItem item;
    if (libpff_file_get_item_by_identifier(file_, identifier, item.out(), error.out()) != 1 || !item) {
      return std::nullopt;
    }
    std::vector<PropertyProblem> problems;
    auto bag = readMessage(item.get(), problems);
    if (!bag || kindOf(bag->message_class) == ItemKind::kOther) return std::nullopt;
    std::vector<model::Finding> ignored;  // reported when the item itself is read
    auto contact = mapi::mapContact(*bag, model::Provenance{source_file_, "", entry_id}, ignored);
    if (!contact) return std::nullopt;
    return std::move(contact).value();
  }

  void flush(std::vector<model::Finding>& findings) {
    for (auto& finding : findings) sink_.onFinding(std::move(finding));
    findings.clear();
  }

  void unconvertible(const model::Provenance& provenance, const Error& error) {
    skip(provenance, "item.unconvertible", model::Severity::kError, error.context, "", error.message);
  }

  void skip(const model::Provenance& provenance, std::string kind, model::Severity severity, std::string field,
            std::string before, std::string why) {
    ++summary_.skipped;
    sink_.onFinding(model::Finding{std::move(kind), severity, provenance, std::move(field), std::move(before), "",
                                   std::move(why), true});
  }

  void folderFinding(const std::string& path, std::string kind, std::string why,
                     model::Severity severity = model::Severity::kWarning) {
    sink_.onFinding(model::Finding{std::move(kind), severity,
                                   model::Provenance{source_file_, path.empty() ? "/" : path, ""}, "", "", "",
                                   std::move(why), false});
  }

  std::string source_file_;
  libpff_file_t* file_;
  model::ItemSink& sink_;
  std::optional<std::uint32_t> ipm_subtree_id_;
  std::set<std::string> announced_loose_folders_;
  GroupwareSummary summary_;
};

Result<GroupwareSummary> readUnguarded(const std::string& path, model::ItemSink& sink, const ReadOptions& options) {
  auto opened = openPst(path);
  if (!opened) return opened.error();
  PffFile& file = opened->file;
  PffItem& root = opened->root;
  GroupwareWalker walker(path, file.get(), sink, ipmSubtreeId(file.get()));
  walker.walkChildren(root.get(), "", 0);
  if (options.recover) walker.readLooseItems();
  return walker.summary();
}

}  // namespace

Result<GroupwareSummary> readGroupware(const std::string& path, model::ItemSink& sink, const ReadOptions& options) {
  try {
    return readUnguarded(path, sink, options);
  } catch (const std::exception& e) {
    return Error{"pst.internal", std::string("reading the file failed: ") + e.what(), path};
  }
}

}  // namespace m2z::readers::pst
