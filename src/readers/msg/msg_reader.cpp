#include "readers/msg/msg_reader.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>
#include <exception>
#include <string_view>
#include <utility>
#include <vector>

#include "readers/mapi/appointment_mapper.h"
#include "readers/mapi/contact_mapper.h"
#include "readers/mapi/property_ids.h"
#include "readers/mapi/task_mapper.h"
#include "readers/msg/msg_properties.h"
#include "readers/msg/olecf_storage.h"

namespace m2z::readers::msg {

namespace {

enum class ItemKind { kAppointment, kContact, kDistList, kTask, kOther };

bool startsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

// A class or a custom form derived from it ("IPM.Contact", "IPM.Contact.MyForm").
bool isClass(std::string_view message_class, std::string_view base) {
  if (!startsWithIgnoreCase(message_class, base)) return false;
  return message_class.size() == base.size() || message_class[base.size()] == '.';
}

ItemKind kindOf(std::string_view message_class) {
  // A meeting request, response or cancellation carries the meeting's own calendar properties.
  if (isClass(message_class, "IPM.Appointment") || startsWithIgnoreCase(message_class, "IPM.Schedule.Meeting.")) {
    return ItemKind::kAppointment;
  }
  if (isClass(message_class, "IPM.Contact")) return ItemKind::kContact;
  if (isClass(message_class, "IPM.DistList")) return ItemKind::kDistList;
  if (isClass(message_class, "IPM.Task")) return ItemKind::kTask;
  return ItemKind::kOther;
}

std::string fileName(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

class MessageConverter {
 public:
  MessageConverter(model::ItemSink& sink, model::Provenance provenance)
      : sink_(sink), provenance_(std::move(provenance)) {}

  void convert(const mapi::PropertyBag& bag) {
    summary_.message_class = bag.message_class;
    ++summary_.items_seen;
    std::vector<model::Finding> findings;
    switch (kindOf(bag.message_class)) {
      case ItemKind::kAppointment: {
        auto appointment = mapi::mapAppointment(bag, provenance_, findings);
        flush(findings);
        if (!appointment) {
          if (appointment.error().code.rfind("mapi.recurrence.", 0) == 0) {
            return skip("recurrence.not_converted", model::Severity::kWarning,
                        std::string(mapi::kPidLidAppointmentRecur.name), "", appointment.error().message);
          }
          return unconvertible(appointment.error());
        }
        ++summary_.appointments;
        return sink_.onAppointment(std::move(appointment).value());
      }
      case ItemKind::kContact: {
        auto contact = mapi::mapContact(bag, provenance_, findings);
        flush(findings);
        if (!contact) return unconvertible(contact.error());
        ++summary_.contacts;
        return sink_.onContact(std::move(contact).value());
      }
      case ItemKind::kDistList: {
        // A .msg holds one message: members that name other store items cannot be resolved and
        // keep their stored names and addresses.
        auto list = mapi::mapDistList(bag, provenance_, findings);
        flush(findings);
        if (!list) return unconvertible(list.error());
        ++summary_.dist_lists;
        return sink_.onDistList(std::move(list).value());
      }
      case ItemKind::kTask: {
        auto task = mapi::mapTask(bag, provenance_, findings);
        flush(findings);
        if (!task) return unconvertible(task.error());
        ++summary_.tasks;
        return sink_.onTask(std::move(task).value());
      }
      case ItemKind::kOther:
        return skip("item.not_groupware", model::Severity::kInfo, std::string(mapi::kPidTagMessageClass.name),
                    bag.message_class,
                    "the file holds a message of class \"" + bag.message_class +
                        "\", which is not an appointment, meeting request, contact, distribution list or task");
    }
  }

  const MsgReadSummary& summary() const { return summary_; }

 private:
  void flush(std::vector<model::Finding>& findings) {
    for (auto& finding : findings) sink_.onFinding(std::move(finding));
    findings.clear();
  }

  void unconvertible(const Error& error) {
    skip("item.unconvertible", model::Severity::kError, error.context, "", error.message);
  }

  void skip(std::string kind, model::Severity severity, std::string field, std::string before, std::string why) {
    ++summary_.skipped;
    sink_.onFinding(model::Finding{std::move(kind), severity, provenance_, std::move(field), std::move(before), "",
                                   std::move(why), true});
  }

  model::ItemSink& sink_;
  model::Provenance provenance_;
  MsgReadSummary summary_;
};

// The header is checked before libolecf reads the file (see checkCompoundFileHeader).
Status checkHeader(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"msg.open", "cannot open the file", path};
  std::array<std::uint8_t, 512> header{};
  in.read(reinterpret_cast<char*>(header.data()), header.size());
  const auto got = static_cast<std::size_t>(in.gcount());
  std::error_code size_error;
  const auto size = std::filesystem::file_size(path, size_error);
  if (size_error) return Error{"msg.open", "cannot size the file: " + size_error.message(), path};
  auto checked = checkCompoundFileHeader(std::span<const std::uint8_t>(header.data(), got), size);
  if (!checked) return Error{checked.error().code, checked.error().message, path};
  return Status();
}

Result<MsgReadSummary> readUnguarded(const std::string& path, model::ItemSink& sink) {
  if (auto header = checkHeader(path); !header) return header.error();
  OleError error;
  OleFile file;  // declared first: every item below refers into it and is released before it
  if (libolecf_file_initialize(file.out(), error.out()) != 1) {
    return Error{"msg.open", "cannot set up libolecf: " + error.text(), path};
  }
  if (libolecf_file_open(file.get(), path.c_str(), LIBOLECF_OPEN_READ, error.out()) != 1) {
    return Error{"msg.open", "cannot open the file as an OLE compound file (.msg): " + error.text(), path};
  }
  OleItem root_item;
  if (libolecf_file_get_root_item(file.get(), root_item.out(), error.out()) != 1 || !root_item) {
    return Error{"msg.open", "cannot read the root storage: " + error.text(), path};
  }
  OleStorage root(std::move(root_item));
  const std::string name = fileName(path);
  const model::Provenance provenance{path, "/" + name, name};

  const ReadLimits limits;
  std::vector<PropertyProblem> problems;
  auto names = readNameIdMap(root, limits, problems);
  if (!names) {
    problems.push_back({names.error().context, names.error().message + "; named properties are not read"});
    names = NamedPropertyMap{};
  }
  auto bag = readMessageStorage(root, StorageKind::kTopLevelMessage, *names, limits, problems);
  if (!bag) {
    return Error{bag.error().code, "cannot read the message: " + bag.error().message,
                 path + ": " + bag.error().context};
  }
  sink.onFolder(model::SourceFolder{"/" + name, "", path, 1});
  for (auto& problem : problems) {
    sink.onFinding(model::Finding{"property.unreadable", model::Severity::kWarning, provenance, problem.where, "",
                                  "", "cannot read from the .msg file: " + problem.why, false});
  }
  MessageConverter converter(sink, provenance);
  converter.convert(*bag);
  return converter.summary();
}

}  // namespace

Result<MsgReadSummary> readMsgFile(const std::string& path, model::ItemSink& sink) {
  try {
    return readUnguarded(path, sink);
  } catch (const std::exception& e) {
    return Error{"msg.internal", std::string("reading the file failed: ") + e.what(), path};
  }
}

}  // namespace m2z::readers::msg
