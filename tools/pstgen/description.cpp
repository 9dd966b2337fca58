#include "pstgen/description.h"

#include <stdexcept>

#include "pstgen/builder.h"
#include "pstgen/windows_zones.h"

namespace m2z::pstgen {

namespace {

using nlohmann::json;

// Thrown inside this file only; buildFromDescription() turns it into an Error.
struct DescriptionError : std::runtime_error {
  DescriptionError(const std::string& at, const std::string& what) : std::runtime_error(what), where(at) {}
  std::string where;
};

[[noreturn]] void fail(const std::string& where, const std::string& what) { throw DescriptionError(where, what); }

std::string str(const json& object, const char* key, const std::string& where, const std::string& fallback = "") {
  if (!object.contains(key)) return fallback;
  if (!object[key].is_string()) fail(where + "." + key, "must be a string");
  return object[key].get<std::string>();
}

std::uint64_t number(const json& value, const std::string& where) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(value.get<std::int64_t>());
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    try {
      std::size_t used = 0;
      const std::uint64_t parsed = std::stoull(text, &used, 0);
      if (used == text.size()) return parsed;
    } catch (const std::exception&) {
    }
  }
  fail(where, "must be a non-negative number (or a \"0x...\" string)");
}

std::int64_t signedNumber(const json& value, const std::string& where) {
  if (value.is_number_integer()) return value.get<std::int64_t>();
  return static_cast<std::int64_t>(number(value, where));
}

Bytes fromHex(const std::string& text, const std::string& where) {
  if (text.size() % 2 != 0) fail(where, "hex needs an even number of digits");
  Bytes out;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    try {
      std::size_t used = 0;
      const unsigned long byte = std::stoul(text.substr(i, 2), &used, 16);
      if (used != 2) fail(where, "not hex");
      out.push_back(static_cast<std::uint8_t>(byte));
    } catch (const std::invalid_argument&) {
      fail(where, "not hex");
    }
  }
  return out;
}

model::Instant utcTime(const std::string& text, const std::string& where) {
  const auto parsed = parseIsoTime(text);
  if (!parsed || !parsed->utc) fail(where, "must be an ISO time in UTC, like 2024-03-10T09:00:00Z");
  return model::fromLocal(parsed->local, 0);
}

// A time in the item's zone, or UTC when it ends in Z.
model::Instant itemTime(const std::string& text, const WindowsZone* zone, const std::string& where) {
  const auto parsed = parseIsoTime(text);
  if (!parsed) fail(where, "must be an ISO time like 2024-03-10T09:00:00 (Z for UTC)");
  if (parsed->utc) return model::fromLocal(parsed->local, 0);
  if (zone == nullptr) fail(where, "a local time needs \"time_zone\" (or end the time with Z)");
  return toUtc(*zone, parsed->local);
}

GeneratedContent generated(const json& spec, bool text, const std::string& where) {
  if (!spec.is_object()) fail(where, "must be an object with size and seed");
  GeneratedContent content;
  content.size = number(spec.value("size", json(0)), where + ".size");
  content.seed = number(spec.value("seed", json(0)), where + ".seed");
  content.text = text;
  if (content.storedSize() > 0xFFFFFFFFu) fail(where + ".size", "a generated value must be under 4 GiB as stored");
  return content;
}

const std::map<std::string, std::uint16_t>& typeNames() {
  static const std::map<std::string, std::uint16_t> names = {
      {"int16", ptype::kInteger16},       {"int32", ptype::kInteger32},     {"int64", ptype::kInteger64},
      {"bool", ptype::kBoolean},          {"double", ptype::kFloating64},   {"time", ptype::kTime},
      {"string", ptype::kString},         {"binary", ptype::kBinary},       {"guid", ptype::kGuid},
      {"multistring", ptype::kMultipleString}, {"multiint32", ptype::kMultipleInteger32},
      {"multibinary", ptype::kMultipleBinary}};
  return names;
}

Guid propertySet(const std::string& text, const std::string& where) {
  static const std::map<std::string, Guid (*)()> known = {
      {"PS_MAPI", psMapi},         {"PS_PUBLIC_STRINGS", psPublicStrings}, {"PSETID_Appointment", psetidAppointment},
      {"PSETID_Meeting", psetidMeeting}, {"PSETID_Common", psetidCommon}, {"PSETID_Address", psetidAddress},
      {"PSETID_Task", psetidTask}};
  if (const auto found = known.find(text); found != known.end()) return found->second();
  const auto guid = Guid::parse(text);
  if (!guid) fail(where, "unknown property set \"" + text + "\" (a known name or a {GUID})");
  return *guid;
}

Property parseProperty(const json& spec, const std::string& where) {
  if (!spec.is_object()) fail(where, "must be an object");
  Property property;
  if (spec.contains("named")) {
    const json& name = spec["named"];
    const std::string set = str(name, "set", where + ".named");
    property.name = PropertyName{propertySet(set, where + ".named.set"), std::nullopt, ""};
    if (name.contains("lid")) {
      property.name->lid = static_cast<std::uint32_t>(number(name["lid"], where + ".named.lid"));
    } else {
      property.name->name = str(name, "name", where + ".named");
      if (property.name->name.empty()) fail(where + ".named", "needs \"lid\" or a non-empty \"name\"");
    }
  } else if (spec.contains("tag")) {
    const std::uint64_t id = number(spec["tag"], where + ".tag");
    if (id == 0 || id >= 0x8000) fail(where + ".tag", "a tagged property id is 0x0001..0x7FFF");
    property.id = static_cast<std::uint16_t>(id);
  } else {
    fail(where, "needs \"tag\" or \"named\"");
  }
  const std::string type = str(spec, "type", where);
  const auto found = typeNames().find(type);
  if (found == typeNames().end()) fail(where + ".type", "unknown type \"" + type + "\"");
  property.type = found->second;
  if (spec.contains("generate")) {
    if (property.type != ptype::kString && property.type != ptype::kBinary) {
      fail(where + ".generate", "only string and binary values can be generated");
    }
    property.generated = generated(spec["generate"], property.type == ptype::kString, where + ".generate");
    return property;
  }
  if (!spec.contains("value")) fail(where, "needs \"value\" or \"generate\"");
  const json& value = spec["value"];
  const std::string at = where + ".value";
  switch (property.type) {
    case ptype::kInteger16: property.value = encodeInt16(static_cast<std::int16_t>(signedNumber(value, at))); break;
    case ptype::kInteger32: property.value = encodeInt32(static_cast<std::int32_t>(signedNumber(value, at))); break;
    case ptype::kInteger64: property.value = encodeInt64(signedNumber(value, at)); break;
    case ptype::kBoolean:
      if (!value.is_boolean()) fail(at, "must be true or false");
      property.value = encodeBool(value.get<bool>());
      break;
    case ptype::kFloating64:
      if (!value.is_number()) fail(at, "must be a number");
      property.value = encodeDouble(value.get<double>());
      break;
    case ptype::kTime:
      if (!value.is_string()) fail(at, "must be an ISO time in UTC");
      property.value = encodeFileTime(fileTimeFromUnix(utcTime(value.get<std::string>(), at).unix_seconds));
      break;
    case ptype::kString:
      if (!value.is_string()) fail(at, "must be a string");
      property.value = encodeString(value.get<std::string>());
      break;
    case ptype::kBinary:
      if (!value.is_string()) fail(at, "must be a hex string");
      property.value = fromHex(value.get<std::string>(), at);
      break;
    case ptype::kGuid: {
      if (!value.is_string()) fail(at, "must be a {GUID}");
      const auto guid = Guid::parse(value.get<std::string>());
      if (!guid) fail(at, "must be a {GUID}");
      property.value.assign(guid->bytes.begin(), guid->bytes.end());
      break;
    }
    case ptype::kMultipleString: {
      if (!value.is_array()) fail(at, "must be an array of strings");
      std::vector<std::string> values;
      for (const json& item : value) {
        if (!item.is_string()) fail(at, "must be an array of strings");
        values.push_back(item.get<std::string>());
      }
      property.value = encodeMultiString(values);
      break;
    }
    case ptype::kMultipleInteger32: {
      if (!value.is_array()) fail(at, "must be an array of numbers");
      std::vector<std::int32_t> values;
      for (const json& item : value) values.push_back(static_cast<std::int32_t>(signedNumber(item, at)));
      property.value = encodeMultiInt32(values);
      break;
    }
    case ptype::kMultipleBinary: {
      if (!value.is_array()) fail(at, "must be an array of hex strings");
      std::vector<Bytes> values;
      for (const json& item : value) {
        if (!item.is_string()) fail(at, "must be an array of hex strings");
        values.push_back(fromHex(item.get<std::string>(), at));
      }
      property.value = encodeMultiBinary(values);
      break;
    }
    default: fail(where + ".type", "unsupported type");
  }
  return property;
}

std::vector<Property> parseProperties(const json& spec, const std::string& where) {
  std::vector<Property> out;
  if (!spec.contains("properties")) return out;
  if (!spec["properties"].is_array()) fail(where + ".properties", "must be an array");
  for (std::size_t i = 0; i < spec["properties"].size(); ++i) {
    out.push_back(parseProperty(spec["properties"][i], where + ".properties[" + std::to_string(i) + "]"));
  }
  return out;
}

model::Person parsePerson(const json& spec, const std::string& where) {
  if (!spec.is_object()) fail(where, "must be an object");
  return {str(spec, "name", where), str(spec, "email", where), str(spec, "address_type", where, "SMTP")};
}

template <class Enum>
Enum parseEnum(const json& spec, const char* key, const std::string& where, Enum fallback,
               const std::map<std::string, Enum>& names) {
  if (!spec.contains(key)) return fallback;
  const std::string text = str(spec, key, where);
  const auto found = names.find(text);
  if (found == names.end()) fail(where + "." + key, "unknown value \"" + text + "\"");
  return found->second;
}

model::Recurrence parseRecurrence(const json& spec, const std::string& where);

AppointmentSpec parseAppointment(const json& spec, const std::string& where) {
  if (!spec.is_object()) fail(where, "must be an object");
  AppointmentSpec out;
  out.message_class = str(spec, "message_class", where, "IPM.Appointment");
  out.subject = str(spec, "subject", where);
  out.location = str(spec, "location", where);
  out.body = str(spec, "body", where);
  if (spec.contains("body_generate")) out.generated_body = generated(spec["body_generate"], true, where + ".body_generate");
  out.zone_key = str(spec, "time_zone", where);
  out.end_zone_key = str(spec, "end_time_zone", where);
  const WindowsZone* zone = nullptr;
  if (!out.zone_key.empty()) {
    zone = findWindowsZone(out.zone_key);
    if (zone == nullptr) fail(where + ".time_zone", "unknown Windows zone \"" + out.zone_key + "\"");
  }
  const WindowsZone* end_zone = zone;
  if (!out.end_zone_key.empty()) {
    end_zone = findWindowsZone(out.end_zone_key);
    if (end_zone == nullptr) fail(where + ".end_time_zone", "unknown Windows zone \"" + out.end_zone_key + "\"");
  }
  out.start = itemTime(str(spec, "start", where), zone, where + ".start");
  out.end = spec.contains("end") ? itemTime(str(spec, "end", where), end_zone, where + ".end") : out.start;
  out.all_day = spec.value("all_day", false);
  out.write_tz_definitions = spec.value("write_tz_definitions", true);
  out.write_zone_struct = spec.value("write_zone_struct", true);
  out.uid_style = UidStyle::kNone;
  if (spec.contains("uid")) {
    out.uid_style = UidStyle::kVcalUid;
    out.uid = str(spec, "uid", where);
  } else if (spec.contains("outlook_uid")) {
    out.uid_style = UidStyle::kOutlook;
    out.outlook_uid_data = fromHex(str(spec, "outlook_uid", where), where + ".outlook_uid");
  }
  out.created_unix = spec.contains("created") ? utcTime(str(spec, "created", where), where + ".created").unix_seconds
                                              : out.start.unix_seconds - 86400;
  if (spec.contains("reminder_minutes")) {
    out.reminder_minutes = static_cast<int>(signedNumber(spec["reminder_minutes"], where + ".reminder_minutes"));
  }
  out.busy_status = parseEnum<model::BusyStatus>(spec, "busy_status", where, model::BusyStatus::kBusy,
                                                 {{"free", model::BusyStatus::kFree},
                                                  {"tentative", model::BusyStatus::kTentative},
                                                  {"busy", model::BusyStatus::kBusy},
                                                  {"out-of-office", model::BusyStatus::kOutOfOffice},
                                                  {"working-elsewhere", model::BusyStatus::kWorkingElsewhere}});
  out.sensitivity = parseEnum<model::Sensitivity>(spec, "sensitivity", where, model::Sensitivity::kNormal,
                                                  {{"normal", model::Sensitivity::kNormal},
                                                   {"personal", model::Sensitivity::kPersonal},
                                                   {"private", model::Sensitivity::kPrivate},
                                                   {"confidential", model::Sensitivity::kConfidential}});
  if (spec.contains("categories")) {
    for (const json& category : spec["categories"]) {
      if (!category.is_string()) fail(where + ".categories", "must be strings");
      out.categories.push_back(category.get<std::string>());
    }
  }
  if (spec.contains("organizer")) out.organizer = parsePerson(spec["organizer"], where + ".organizer");
  if (spec.contains("attendees")) {
    for (std::size_t i = 0; i < spec["attendees"].size(); ++i) {
      const std::string at = where + ".attendees[" + std::to_string(i) + "]";
      const json& attendee = spec["attendees"][i];
      model::Attendee parsed;
      parsed.person = parsePerson(attendee, at);
      parsed.role = parseEnum<model::AttendeeRole>(attendee, "role", at, model::AttendeeRole::kRequired,
                                                   {{"required", model::AttendeeRole::kRequired},
                                                    {"optional", model::AttendeeRole::kOptional},
                                                    {"resource", model::AttendeeRole::kResource}});
      parsed.response = parseEnum<model::ResponseStatus>(attendee, "response", at, model::ResponseStatus::kNone,
                                                         {{"none", model::ResponseStatus::kNone},
                                                          {"organized", model::ResponseStatus::kOrganized},
                                                          {"tentative", model::ResponseStatus::kTentative},
                                                          {"accepted", model::ResponseStatus::kAccepted},
                                                          {"declined", model::ResponseStatus::kDeclined},
                                                          {"not-responded", model::ResponseStatus::kNotResponded}});
      out.attendees.push_back(parsed);
    }
  }
  if (spec.contains("recurrence")) {
    out.recurrence = parseRecurrence(spec["recurrence"], where + ".recurrence");
    anchorRecurrence(out);
  }
  if (spec.contains("attachments")) {
    for (std::size_t i = 0; i < spec["attachments"].size(); ++i) {
      const std::string at = where + ".attachments[" + std::to_string(i) + "]";
      const json& attachment = spec["attachments"][i];
      AttachmentSpec parsed;
      parsed.filename = str(attachment, "filename", at);
      parsed.mime_type = str(attachment, "mime_type", at);
      if (attachment.contains("text")) {
        const std::string text = str(attachment, "text", at);
        parsed.data.assign(text.begin(), text.end());
      } else if (attachment.contains("hex")) {
        parsed.data = fromHex(str(attachment, "hex", at), at + ".hex");
      } else if (attachment.contains("generate")) {
        parsed.generated = generated(attachment["generate"], false, at + ".generate");
      }
      out.attachments.push_back(std::move(parsed));
    }
  }
  return out;
}

model::Recurrence parseRecurrence(const json& spec, const std::string& where) {
  if (!spec.is_object()) fail(where, "must be an object");
  model::Recurrence out;
  const std::string pattern = str(spec, "pattern", where);
  static const std::map<std::string, model::RecurrencePattern> patterns = {
      {"daily", model::RecurrencePattern::kDaily},         {"weekly", model::RecurrencePattern::kWeekly},
      {"monthly", model::RecurrencePattern::kMonthlyByDay}, {"monthly_nth", model::RecurrencePattern::kMonthlyNth},
      {"yearly", model::RecurrencePattern::kYearlyByDay},   {"yearly_nth", model::RecurrencePattern::kYearlyNth}};
  const auto found = patterns.find(pattern);
  if (found == patterns.end()) fail(where + ".pattern", "daily, weekly, monthly, monthly_nth, yearly or yearly_nth");
  out.pattern = found->second;
  out.interval = static_cast<int>(signedNumber(spec.value("interval", json(1)), where + ".interval"));
  if (out.interval < 1 || out.interval > 999) fail(where + ".interval", "must be 1..999");
  out.every_weekday = spec.value("every_weekday", false);
  static const std::map<std::string, model::Weekday> days = {
      {"SU", model::Weekday::kSunday},   {"MO", model::Weekday::kMonday}, {"TU", model::Weekday::kTuesday},
      {"WE", model::Weekday::kWednesday}, {"TH", model::Weekday::kThursday}, {"FR", model::Weekday::kFriday},
      {"SA", model::Weekday::kSaturday}};
  if (spec.contains("weekdays")) {
    for (const json& day : spec["weekdays"]) {
      const auto weekday = day.is_string() ? days.find(day.get<std::string>()) : days.end();
      if (weekday == days.end()) fail(where + ".weekdays", "days are SU, MO, TU, WE, TH, FR, SA");
      out.weekdays.push_back(weekday->second);
    }
  }
  out.day_of_month = static_cast<int>(spec.value("day_of_month", 0));
  out.week_of_month = static_cast<int>(spec.value("week_of_month", 0));
  out.month = static_cast<int>(spec.value("month", 0));
  const std::string first_day = str(spec, "first_day_of_week", where, "SU");
  if (days.find(first_day) == days.end()) fail(where + ".first_day_of_week", "days are SU, MO, ...");
  out.first_day_of_week = days.at(first_day);
  const std::string end = str(spec, "end", where, "never");
  if (end == "count") {
    out.end = model::RecurrenceEnd::kAfterCount;
    out.count = static_cast<int>(signedNumber(spec.value("count", json(0)), where + ".count"));
    if (out.count < 1 || out.count > 999) fail(where + ".count", "must be 1..999");
  } else if (end == "date") {
    out.end = model::RecurrenceEnd::kByDate;
    const auto date = parseIsoTime(str(spec, "end_date", where));
    if (!date) fail(where + ".end_date", "must be a date like 2024-12-31");
    out.end_date = date->local.date;
  } else if (end != "never") {
    fail(where + ".end", "must be never, count or date");
  }
  if (spec.contains("deleted")) {
    for (const json& day : spec["deleted"]) {
      const auto date = day.is_string() ? parseIsoTime(day.get<std::string>()) : std::nullopt;
      if (!date) fail(where + ".deleted", "dates like 2024-03-18");
      out.deleted_dates.push_back(date->local.date);
    }
  }
  if (spec.contains("modified")) {
    if (!spec["modified"].is_array()) fail(where + ".modified", "must be an array");
    for (std::size_t i = 0; i < spec["modified"].size(); ++i) {
      const std::string at = where + ".modified[" + std::to_string(i) + "]";
      const json& item = spec["modified"][i];
      if (!item.is_object()) fail(at, "must be an object");
      // Wall times in the series' zone, as ExceptionInfo stores them; the original start's time
      // of day is the series' (filled in by anchorRecurrence).
      const auto wall = [&](const char* key) {
        const auto parsed = parseIsoTime(str(item, key, at));
        if (!parsed || parsed->utc) fail(at + "." + key, "must be a wall time like 2024-04-16T11:00:00 (no Z)");
        return parsed->local;
      };
      model::AppointmentException exception;
      exception.original_start = wall("original_date");
      exception.start = wall("start");
      exception.end = wall("end");
      if (item.contains("subject")) exception.subject = str(item, "subject", at);
      if (item.contains("location")) exception.location = str(item, "location", at);
      if (item.contains("all_day")) {
        if (!item["all_day"].is_boolean()) fail(at + ".all_day", "must be true or false");
        exception.all_day = item["all_day"].get<bool>();
      }
      if (item.contains("busy_status")) {
        exception.busy_status = parseEnum<model::BusyStatus>(item, "busy_status", at, model::BusyStatus::kBusy,
                                                             {{"free", model::BusyStatus::kFree},
                                                              {"tentative", model::BusyStatus::kTentative},
                                                              {"busy", model::BusyStatus::kBusy},
                                                              {"out-of-office", model::BusyStatus::kOutOfOffice},
                                                              {"working-elsewhere", model::BusyStatus::kWorkingElsewhere}});
      }
      out.exceptions.push_back(std::move(exception));
    }
  }
  return out;
}

// Deeper folder trees than Outlook allows (it stops far earlier) are refused rather than recursed.
constexpr int kMaxFolderDepth = 64;

struct Context {
  Builder& builder;
};

void buildFolder(Context& context, FolderId parent, const json& spec, const std::string& where, int depth) {
  if (!spec.is_object()) fail(where, "must be an object");
  if (depth > kMaxFolderDepth) fail(where, "folders nest deeper than " + std::to_string(kMaxFolderDepth));
  const std::string name = str(spec, "name", where);
  if (name.empty()) fail(where + ".name", "a folder needs a name");
  auto folder = context.builder.addFolder(parent, name, str(spec, "container_class", where, "IPF.Note"));
  if (!folder) fail(where, folder.error().describe());
  auto check = [&](const Status& status, const std::string& at) {
    if (!status) fail(at, status.error().describe());
  };
  auto each = [&](const char* key, auto&& handle) {
    if (!spec.contains(key)) return;
    if (!spec[key].is_array()) fail(where + "." + key, "must be an array");
    for (std::size_t i = 0; i < spec[key].size(); ++i) handle(spec[key][i], where + "." + key + "[" + std::to_string(i) + "]");
  };
  each("appointments", [&](const json& item, const std::string& at) {
    check(context.builder.addAppointment(*folder, parseAppointment(item, at)), at);
  });
  each("contacts", [&](const json& item, const std::string& at) {
    ContactSpec contact;
    contact.display_name = str(item, "display_name", at);
    contact.given_name = str(item, "given_name", at);
    contact.surname = str(item, "surname", at);
    contact.company = str(item, "company", at);
    contact.email = str(item, "email", at);
    contact.phone = str(item, "phone", at);
    check(context.builder.addContact(*folder, contact), at);
  });
  each("tasks", [&](const json& item, const std::string& at) {
    TaskSpec task;
    task.subject = str(item, "subject", at);
    task.body = str(item, "body", at);
    if (item.contains("start")) task.start = utcTime(str(item, "start", at), at + ".start");
    if (item.contains("due")) task.due = utcTime(str(item, "due", at), at + ".due");
    task.status = static_cast<int>(signedNumber(item.value("status", json(0)), at + ".status"));
    task.percent_complete = item.value("percent_complete", 0.0);
    check(context.builder.addTask(*folder, task), at);
  });
  each("distribution_lists", [&](const json& item, const std::string& at) {
    DistributionListSpec list;
    list.name = str(item, "name", at);
    if (item.contains("members")) {
      for (std::size_t i = 0; i < item["members"].size(); ++i) {
        list.members.push_back(parsePerson(item["members"][i], at + ".members[" + std::to_string(i) + "]"));
      }
    }
    check(context.builder.addDistributionList(*folder, list), at);
  });
  each("associated", [&](const json& item, const std::string& at) {
    const std::string kind = str(item, "kind", at);
    if (kind != "rule" && kind != "oof_template") fail(at + ".kind", "must be \"rule\" or \"oof_template\"");
    check(context.builder.addAssociated(*folder, kind == "rule" ? AssociatedKind::kRule : AssociatedKind::kOofTemplate,
                                        str(item, "name", at)),
          at);
  });
  each("messages", [&](const json& item, const std::string& at) {
    Message message;
    message.associated = item.value("associated", false);
    message.properties = parseProperties(item, at);
    if (item.contains("recipients")) {
      for (std::size_t i = 0; i < item["recipients"].size(); ++i) {
        message.recipients.push_back({parseProperties(item["recipients"][i], at + ".recipients[" + std::to_string(i) + "]")});
      }
    }
    if (item.contains("attachments")) {
      for (std::size_t i = 0; i < item["attachments"].size(); ++i) {
        Attachment attachment;
        attachment.properties = parseProperties(item["attachments"][i], at + ".attachments[" + std::to_string(i) + "]");
        message.attachments.push_back(std::move(attachment));
      }
    }
    std::string message_class;
    for (std::size_t i = 0; i < message.properties.size(); ++i) {
      const Property& property = message.properties[i];
      const json& source = item["properties"][i];
      if (!property.name && property.id == 0x001A && source.contains("value") && source["value"].is_string()) {
        message_class = source["value"].get<std::string>();
      }
    }
    json expected = {{"message_class", message_class},
                     {"properties", message.properties.size()},
                     {"recipients", message.recipients.size()},
                     {"attachments", message.attachments.size()}};
    check(context.builder.addMessage(*folder, message, expected), at);
  });
  each("folders", [&](const json& item, const std::string& at) { buildFolder(context, *folder, item, at, depth + 1); });
}

}  // namespace

std::optional<ParsedTime> parseIsoTime(const std::string& text) {
  ParsedTime out;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::string rest = text;
  if (!rest.empty() && rest.back() == 'Z') {
    out.utc = true;
    rest.pop_back();
  }
  int consumed = 0;
  if (std::sscanf(rest.c_str(), "%4d-%2d-%2d%n", &year, &month, &day, &consumed) != 3) return std::nullopt;
  const std::string time = rest.substr(static_cast<std::size_t>(consumed));
  if (!time.empty()) {
    int used = 0;
    if (std::sscanf(time.c_str(), "T%2d:%2d%n", &hour, &minute, &used) != 2) return std::nullopt;
    const std::string seconds = time.substr(static_cast<std::size_t>(used));
    if (!seconds.empty()) {
      int used_seconds = 0;
      if (std::sscanf(seconds.c_str(), ":%2d%n", &second, &used_seconds) != 1 ||
          static_cast<std::size_t>(used_seconds) != seconds.size()) {
        return std::nullopt;
      }
    }
  }
  out.local = {{year, month, day}, hour, minute, second};
  if (!out.local.date.isValid() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  return out;
}

Result<PstSummary> buildFromDescription(const json& description, const std::string& pst_path,
                                        const std::string& expected_path) {
  try {
    if (!description.is_object()) fail("$", "the description must be a JSON object");
    StoreOptions options;
    const json store = description.value("store", json::object());
    options.display_name = str(store, "display_name", "$.store", "Personal Folders");
    const std::string encryption = str(store, "encryption", "$.store", "none");
    if (encryption == "compressible") {
      options.encryption = Encryption::kCompressible;
    } else if (encryption != "none") {
      fail("$.store.encryption", "must be \"none\" or \"compressible\"");
    }
    const std::uint64_t seed = number(store.value("seed", json(1)), "$.store.seed");
    for (std::size_t i = 0; i < 16; ++i) options.record_key[i] = static_cast<std::uint8_t>((seed >> (8 * (i % 8))) + i * 37);
    options.filetime = fileTimeFromUnix(store.contains("created") ? utcTime(str(store, "created", "$.store"), "$.store.created").unix_seconds
                                                                  : 1704067200);  // 2024-01-01
    auto builder = Builder::create(pst_path, expected_path, options, {{"generator", "pstgen build"}, {"seed", seed}});
    if (!builder) return builder.error();
    Context context{**builder};
    if (description.contains("folders")) {
      if (!description["folders"].is_array()) fail("$.folders", "must be an array");
      for (std::size_t i = 0; i < description["folders"].size(); ++i) {
        buildFolder(context, (*builder)->ipmSubtree(), description["folders"][i], "$.folders[" + std::to_string(i) + "]", 1);
      }
    }
    return (*builder)->finish();
  } catch (const DescriptionError& error) {
    return Error{"pstgen.description", error.what(), error.where};
  } catch (const std::exception& error) {
    return Error{"pstgen.description", error.what(), "$"};
  }
}

}  // namespace m2z::pstgen
