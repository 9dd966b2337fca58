#include "pstgen/expected_items.h"

#include <cerrno>
#include <cstring>

namespace m2z::pstgen {

namespace {

nlohmann::json toJson(const model::TransitionDate& date) {
  return {{"month", date.month},   {"week", date.week},     {"day_of_week", date.day_of_week},
          {"hour", date.hour},     {"minute", date.minute}, {"second", date.second}};
}

nlohmann::json toJson(const model::Person& person) {
  return {{"display_name", person.display_name}, {"email", person.email}, {"address_type", person.address_type}};
}

nlohmann::json toJson(const model::Recurrence& recurrence) {
  nlohmann::json weekdays = nlohmann::json::array();
  for (const model::Weekday day : recurrence.weekdays) weekdays.push_back(model::toString(day));
  nlohmann::json deleted = nlohmann::json::array();
  for (const model::CivilDate& day : recurrence.deleted_dates) deleted.push_back(day.toIsoString());
  nlohmann::json out = {{"pattern", model::toString(recurrence.pattern)},
                        {"interval", recurrence.interval},
                        {"weekdays", weekdays},
                        {"every_weekday", recurrence.every_weekday},
                        {"day_of_month", recurrence.day_of_month},
                        {"week_of_month", recurrence.week_of_month},
                        {"month", recurrence.month},
                        {"first_day_of_week", model::toString(recurrence.first_day_of_week)},
                        {"start_date", recurrence.start_date.toIsoString()},
                        {"start_minute", recurrence.start_minute},
                        {"end_minute", recurrence.end_minute},
                        {"deleted_dates", deleted}};
  nlohmann::json exceptions = nlohmann::json::array();
  for (const model::AppointmentException& exception : recurrence.exceptions) {
    const auto optional = [](const auto& value, auto convert) {
      return value ? nlohmann::json(convert(*value)) : nlohmann::json(nullptr);
    };
    const auto same = [](const auto& value) { return value; };
    exceptions.push_back({{"original_start", exception.original_start.toIsoString()},
                          {"start", exception.start.toIsoString()},
                          {"end", exception.end.toIsoString()},
                          {"subject", optional(exception.subject, same)},
                          {"location", optional(exception.location, same)},
                          {"all_day", optional(exception.all_day, same)},
                          {"busy_status", optional(exception.busy_status, [](model::BusyStatus status) {
                             return std::string(model::toString(status));
                           })}});
  }
  out["exceptions"] = exceptions;
  switch (recurrence.end) {
    case model::RecurrenceEnd::kNever: out["end"] = "never"; break;
    case model::RecurrenceEnd::kAfterCount:
      out["end"] = "count";
      out["count"] = recurrence.count;
      break;
    case model::RecurrenceEnd::kByDate:
      out["end"] = "date";
      out["end_date"] = recurrence.end_date.toIsoString();
      break;
  }
  return out;
}

}  // namespace

nlohmann::json toJson(const model::TimeZoneDefinition& zone) {
  nlohmann::json rules = nlohmann::json::array();
  for (const model::TimeZoneRule& rule : zone.rules) {
    rules.push_back({{"year", rule.year},
                     {"effective", rule.effective},
                     {"bias", rule.bias},
                     {"standard_bias", rule.standard_bias},
                     {"daylight_bias", rule.daylight_bias},
                     {"standard_date", toJson(rule.standard_date)},
                     {"daylight_date", toJson(rule.daylight_date)}});
  }
  return {{"key_name", zone.key_name}, {"source_property", zone.source_property}, {"rules", rules}};
}

nlohmann::json toJson(const model::Appointment& appointment) {
  nlohmann::json out;
  out["folder"] = appointment.provenance.folder_path;
  out["nid"] = std::stoull(appointment.provenance.entry_id.empty() ? "0" : appointment.provenance.entry_id);
  out["message_class"] = appointment.message_class;
  out["uid"] = appointment.uid;
  out["uid_origin"] = model::toString(appointment.uid_origin);
  out["subject"] = appointment.subject;
  out["location"] = appointment.location;
  if (appointment.body.size() <= kMaxInlineBody) {
    out["body"] = appointment.body;
  } else {
    out["body_length"] = appointment.body.size();
    out["body_prefix"] = appointment.body.substr(0, 256);
  }
  out["start"] = model::toIsoString(appointment.start);
  out["end"] = model::toIsoString(appointment.end);
  out["all_day"] = appointment.all_day;
  out["start_zone"] = appointment.start_zone ? toJson(*appointment.start_zone) : nlohmann::json(nullptr);
  out["end_zone"] = appointment.end_zone ? toJson(*appointment.end_zone) : nlohmann::json(nullptr);
  out["zone_description"] = appointment.zone_description;
  out["organizer"] = appointment.organizer ? toJson(*appointment.organizer) : nlohmann::json(nullptr);
  nlohmann::json attendees = nlohmann::json::array();
  for (const model::Attendee& attendee : appointment.attendees) {
    nlohmann::json entry = toJson(attendee.person);
    entry["role"] = model::toString(attendee.role);
    entry["response"] = model::toString(attendee.response);
    attendees.push_back(entry);
  }
  out["attendees"] = attendees;
  out["reminder_minutes_before"] =
      appointment.reminder_minutes_before ? nlohmann::json(*appointment.reminder_minutes_before) : nlohmann::json(nullptr);
  out["busy_status"] = model::toString(appointment.busy_status);
  out["sensitivity"] = model::toString(appointment.sensitivity);
  out["categories"] = appointment.categories;
  out["is_meeting"] = appointment.is_meeting;
  out["is_recurring"] = appointment.is_recurring;
  out["recurrence"] = appointment.recurrence ? toJson(*appointment.recurrence) : nlohmann::json(nullptr);
  return out;
}

Result<std::unique_ptr<ExpectedWriter>> ExpectedWriter::create(const std::string& path, nlohmann::json header) {
  std::FILE* file = nullptr;
  if (!path.empty()) {
    file = std::fopen(path.c_str(), "wb");
    if (file == nullptr) return Error{"pstgen.io", std::string("cannot create: ") + std::strerror(errno), path};
  }
  std::unique_ptr<ExpectedWriter> writer(new ExpectedWriter(path, file));
  std::string text = header.dump(2);
  text.pop_back();  // reopen the object: items follow
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (auto status = writer->write(text + (header.empty() ? "\n  \"items\": [" : ",\n  \"items\": [")); !status) {
    return status.error();
  }
  return writer;
}

ExpectedWriter::ExpectedWriter(std::string path, std::FILE* file) : path_(std::move(path)), file_(file) {}

ExpectedWriter::~ExpectedWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

Status ExpectedWriter::write(const std::string& text) {
  if (file_ == nullptr) return {};
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
    return Error{"pstgen.io", std::string("cannot write: ") + std::strerror(errno), path_};
  }
  return {};
}

Status ExpectedWriter::addFolder(const std::string& path, const std::string& container_class, std::uint32_t nid) {
  folders_.push_back({{"path", path}, {"container_class", container_class}, {"nid", nid}});
  return {};
}

Status ExpectedWriter::addItem(const std::string& kind, nlohmann::json item) {
  ++counts_[kind];
  if (file_ == nullptr) return {};
  item["kind"] = kind;
  const std::string text = (first_item_ ? "\n    " : ",\n    ") + item.dump();
  first_item_ = false;
  return write(text);
}

Status ExpectedWriter::addAppointment(const AppointmentSpec& spec, const model::Appointment& expected) {
  nlohmann::json item = toJson(expected);
  if (spec.generated_body && spec.generated_body->size > kMaxMaterializedBody) {
    item.erase("body");
    item["body_length"] = spec.generated_body->size;  // ASCII filler: bytes = characters
    item["body_prefix"] = expected.body.substr(0, 256);
    item["body_generated"] = {{"size", spec.generated_body->size}, {"seed", spec.generated_body->seed}};
  }
  nlohmann::json attachments = nlohmann::json::array();
  for (const AttachmentSpec& attachment : spec.attachments) {
    const std::uint64_t size = attachment.generated ? attachment.generated->size : attachment.data.size();
    attachments.push_back({{"filename", attachment.filename}, {"size", size}});
  }
  item["attachments"] = attachments;
  return addItem("appointment", std::move(item));
}

Status ExpectedWriter::finish(nlohmann::json summary) {
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& [kind, count] : counts_) counts[kind] = count;
  summary["counts"] = counts;
  summary["folders"] = folders_;
  std::string text = summary.dump(2);
  // Append the summary's members after the items array.
  text = text.substr(1);
  if (auto status = write((first_item_ ? "]," : "\n  ],") + text + "\n"); !status) return status;
  if (file_ != nullptr) {
    std::FILE* file = std::exchange(file_, nullptr);
    if (std::fclose(file) != 0) return Error{"pstgen.io", std::string("cannot close: ") + std::strerror(errno), path_};
  }
  return {};
}

}  // namespace m2z::pstgen
