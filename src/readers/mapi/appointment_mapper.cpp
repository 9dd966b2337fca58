#include "readers/mapi/appointment_mapper.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "model/time.h"
#include "readers/mapi/attachment_mapper.h"
#include "readers/mapi/blob_parsers.h"
#include "readers/mapi/field_reader.h"
#include "readers/mapi/property_ids.h"
#include "readers/mapi/rtf_text.h"
#include "readers/mapi/recurrence_blob.h"

namespace m2z::readers::mapi {

namespace {

constexpr std::size_t kMaxShownValueLength = 120;

std::string describeValue(const PropertyValue& value) {
  struct Describe {
    std::string operator()(std::int32_t v) const { return std::to_string(v); }
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const FileTime& v) const { return "FILETIME " + std::to_string(v.ticks); }
    std::string operator()(const std::string& v) const {
      return v.size() > kMaxShownValueLength ? v.substr(0, kMaxShownValueLength) + "..." : v;
    }
    std::string operator()(const Binary& v) const { return std::to_string(v.size()) + " byte(s) of binary"; }
    std::string operator()(const std::vector<std::string>& v) const { return std::to_string(v.size()) + " string(s)"; }
    std::string operator()(const std::vector<Binary>& v) const { return std::to_string(v.size()) + " binary value(s)"; }
  };
  return std::visit(Describe{}, value);
}

template <class T>
constexpr std::string_view typeName() {
  if constexpr (std::is_same_v<T, std::int32_t>) return "PtypInteger32";
  if constexpr (std::is_same_v<T, std::int64_t>) return "PtypInteger64";
  if constexpr (std::is_same_v<T, bool>) return "PtypBoolean";
  if constexpr (std::is_same_v<T, FileTime>) return "PtypTime";
  if constexpr (std::is_same_v<T, std::string>) return "PtypString";
  if constexpr (std::is_same_v<T, Binary>) return "PtypBinary";
  if constexpr (std::is_same_v<T, std::vector<std::string>>) return "PtypMultipleString";
  return "PtypMultipleBinary";
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Typed reads from one bag; a value of the wrong type is reported once and treated as absent.
class Fields {
 public:
  Fields(const PropertyBag& bag, const model::Provenance& item, std::vector<model::Finding>& findings)
      : bag_(bag), item_(item), findings_(findings) {}

  template <class T>
  const T* get(const TaggedProperty& property) {
    return typed<T>(bag_.findTagged(property.id), property.name);
  }
  template <class T>
  const T* get(const NamedProperty& property) {
    return typed<T>(bag_.findNamed(property.property_set, property.lid), property.name);
  }
  template <class T>
  const T* get(const StringNamedProperty& property) {
    return typed<T>(bag_.findNamed(property.property_set, property.string_name), property.name);
  }
  bool has(const NamedProperty& property) const {
    return bag_.findNamed(property.property_set, property.lid) != nullptr;
  }
  std::string string(const TaggedProperty& property) {
    const auto* value = get<std::string>(property);
    return value ? *value : std::string();
  }
  std::string string(const NamedProperty& property) {
    const auto* value = get<std::string>(property);
    return value ? *value : std::string();
  }

  void report(std::string kind, model::Severity severity, std::string_view field, std::string before,
              std::string after, std::string why) {
    findings_.push_back(model::Finding{std::move(kind), severity, item_, std::string(field), std::move(before),
                                       std::move(after), std::move(why), false});
  }
  void badValue(std::string_view field, std::string before, std::string after, std::string why) {
    report("property.bad_value", model::Severity::kWarning, field, std::move(before), std::move(after),
           std::move(why));
  }

 private:
  template <class T>
  const T* typed(const PropertyValue* value, std::string_view name) {
    if (value == nullptr) return nullptr;
    if (const T* typed_value = std::get_if<T>(value)) return typed_value;
    report("property.wrong_type", model::Severity::kWarning, name, describeValue(*value), "",
           "expected " + std::string(typeName<T>()) + "; the value is ignored");
    return nullptr;
  }

  const PropertyBag& bag_;
  const model::Provenance& item_;
  std::vector<model::Finding>& findings_;
};

std::optional<model::Instant> readTime(Fields& fields, const auto& property) {
  const auto* value = fields.template get<FileTime>(property);
  if (value == nullptr) return std::nullopt;
  const auto instant = model::instantFromFileTime(value->ticks);
  if (!instant) {
    fields.badValue(property.name, "FILETIME " + std::to_string(value->ticks), "",
                    "the value is MAPI's \"no date\" marker or out of range");
  }
  return instant;
}

// One organizer candidate from a name / address-type / e-mail / SMTP property group.
std::optional<model::Person> personFrom(Fields& fields, const TaggedProperty& name, const TaggedProperty& address_type,
                                        const TaggedProperty& email, const TaggedProperty& smtp) {
  model::Person person;
  person.display_name = fields.string(name);
  person.address_type = fields.string(address_type);
  person.email = fields.string(smtp);
  if (person.email.empty() && equalsIgnoreCase(person.address_type, "SMTP")) person.email = fields.string(email);
  if (person.display_name.empty() && person.email.empty()) return std::nullopt;
  return person;
}

void mapSubject(Fields& fields, model::Appointment& appointment) {
  if (const auto* subject = fields.get<std::string>(kPidTagSubject)) {
    appointment.subject = stripSubjectMarker(*subject);
    return;
  }
  // Some stores keep only the two halves ([MS-OXCMSG] 2.2.1.9, 2.2.1.10).
  appointment.subject = fields.string(kPidTagSubjectPrefix) + stripSubjectMarker(fields.string(kPidTagNormalizedSubject));
}

Status mapTimes(Fields& fields, const model::Provenance& provenance, model::Appointment& appointment) {
  auto start = readTime(fields, kPidLidAppointmentStartWhole);
  if (!start) {
    start = readTime(fields, kPidTagStartDate);
    if (start) {
      fields.report("time.start_fallback", model::Severity::kInfo, kPidLidAppointmentStartWhole.name, "",
                    model::toIsoString(*start), "start taken from PidTagStartDate");
    }
  }
  if (!start) {
    return Error{"mapi.missing_start",
                 "the item has no usable start time (neither PidLidAppointmentStartWhole nor PidTagStartDate)",
                 provenance.describe() + " field " + std::string(kPidLidAppointmentStartWhole.name)};
  }
  auto end = readTime(fields, kPidLidAppointmentEndWhole);
  if (!end) {
    end = readTime(fields, kPidTagEndDate);
    if (end) {
      fields.report("time.end_fallback", model::Severity::kInfo, kPidLidAppointmentEndWhole.name, "",
                    model::toIsoString(*end), "end taken from PidTagEndDate");
    }
  }
  if (!end) {
    fields.report("time.missing_end", model::Severity::kWarning, kPidLidAppointmentEndWhole.name, "",
                  model::toIsoString(*start), "no end time; the appointment is given no duration");
    end = start;
  } else if (*end < *start) {
    fields.report("time.end_before_start", model::Severity::kWarning, kPidLidAppointmentEndWhole.name,
                  model::toIsoString(*end), model::toIsoString(*start),
                  "the end lies before the start; the appointment is given no duration");
    end = start;
  }
  appointment.start = *start;
  appointment.end = *end;
  if (const auto* all_day = fields.get<bool>(kPidLidAppointmentSubType)) appointment.all_day = *all_day;
  return {};
}

std::optional<model::TimeZoneDefinition> readZone(Fields& fields, const NamedProperty& property, bool is_tzreg) {
  const auto* blob = fields.get<Binary>(property);
  if (blob == nullptr) return std::nullopt;
  auto parsed = is_tzreg ? parseTimeZoneStruct(*blob, property.name) : parseTimeZoneDefinition(*blob, property.name);
  if (!parsed) {
    fields.report("zone.unparsable", model::Severity::kWarning, property.name, describeValue(*blob), "",
                  parsed.error().message);
    return std::nullopt;
  }
  return std::move(parsed).value();
}

bool sameEffectiveRule(const model::TimeZoneDefinition& definition, const model::TimeZoneRule& tzreg) {
  const auto effective = std::find_if(definition.rules.begin(), definition.rules.end(),
                                      [](const model::TimeZoneRule& rule) { return rule.effective; });
  return effective != definition.rules.end() && effective->bias == tzreg.bias &&
         effective->standard_bias == tzreg.standard_bias && effective->daylight_bias == tzreg.daylight_bias &&
         effective->standard_date == tzreg.standard_date && effective->daylight_date == tzreg.daylight_date;
}

void mapZones(Fields& fields, model::Appointment& appointment, bool recurring) {
  appointment.zone_description = fields.string(kPidLidTimeZoneDescription);
  if (recurring) {
    // A series' pattern times are local to the zone of PidLidTimeZoneStruct ([MS-OXOCAL]
    // 2.2.1.44.1), which PidLidAppointmentTimeZoneDefinitionRecur describes in full; every
    // instance is shown in that one zone. The definition counts only while its effective rule
    // agrees with PidLidTimeZoneStruct (2.2.1.41), which older clients may have changed alone.
    auto definition = readZone(fields, kPidLidAppointmentTimeZoneDefinitionRecur, false);
    auto tzreg = readZone(fields, kPidLidTimeZoneStruct, true);
    if (definition && tzreg && !sameEffectiveRule(*definition, tzreg->rules.front())) {
      fields.report("zone.recurrence_definition_inconsistent", model::Severity::kInfo,
                    kPidLidAppointmentTimeZoneDefinitionRecur.name, definition->key_name, appointment.zone_description,
                    "its effective rule differs from PidLidTimeZoneStruct, which is used instead, as [MS-OXOCAL] "
                    "2.2.1.41 prescribes");
      definition.reset();
    }
    appointment.start_zone = definition ? std::move(definition) : std::move(tzreg);
    if (!appointment.start_zone) {
      appointment.start_zone = readZone(fields, kPidLidAppointmentTimeZoneDefinitionStartDisplay, false);
      if (appointment.start_zone) {
        fields.report("zone.recurrence_from_start_display", model::Severity::kWarning,
                      kPidLidAppointmentTimeZoneDefinitionRecur.name, "", appointment.zone_description,
                      "the series has neither PidLidAppointmentTimeZoneDefinitionRecur nor PidLidTimeZoneStruct; "
                      "its pattern is read in the zone of PidLidAppointmentTimeZoneDefinitionStartDisplay");
      }
    }
    appointment.end_zone = appointment.start_zone;
    return;
  }
  appointment.start_zone = readZone(fields, kPidLidAppointmentTimeZoneDefinitionStartDisplay, false);
  appointment.end_zone = readZone(fields, kPidLidAppointmentTimeZoneDefinitionEndDisplay, false);
  if (!appointment.start_zone) {
    // Clients before Outlook 2007 only wrote the single-rule TZREG ([MS-OXOCAL] 2.2.1.39).
    appointment.start_zone = readZone(fields, kPidLidTimeZoneStruct, true);
    if (appointment.start_zone) {
      fields.report("zone.from_time_zone_struct", model::Severity::kInfo,
                    kPidLidAppointmentTimeZoneDefinitionStartDisplay.name, "", appointment.zone_description,
                    "no usable PidLidAppointmentTimeZoneDefinitionStartDisplay; zone taken from PidLidTimeZoneStruct "
                    "and PidLidTimeZoneDescription");
    }
  }
  // Without an end zone the end is shown in the start's zone ([MS-OXOCAL] 2.2.1.43).
  if (!appointment.end_zone) appointment.end_zone = appointment.start_zone;
}

void mapUid(Fields& fields, model::Appointment& appointment) {
  for (const NamedProperty* property : {&kPidLidGlobalObjectId, &kPidLidCleanGlobalObjectId}) {
    const auto* blob = fields.get<Binary>(*property);
    if (blob == nullptr) continue;
    auto uid = uidFromGlobalObjectId(*blob, property->name);
    if (uid) {
      appointment.uid = std::move(uid->uid);
      appointment.uid_origin = uid->origin;
      return;
    }
    fields.report("uid.unparsable", model::Severity::kWarning, property->name, describeValue(*blob), "",
                  uid.error().message);
  }
  fields.report("uid.missing", model::Severity::kInfo, kPidLidGlobalObjectId.name, "", "",
                "the item has no usable global object id; a UID has to be made up for it");
}

std::optional<model::AttendeeRole> roleFor(std::int32_t recipient_type) {
  // [MS-OXOCAL] 2.2.4.10: To = required, Cc = optional, Bcc = resource.
  switch (recipient_type) {
    case 1: return model::AttendeeRole::kRequired;
    case 2: return model::AttendeeRole::kOptional;
    case 3: return model::AttendeeRole::kResource;
    default: return std::nullopt;
  }
}

std::optional<model::ResponseStatus> responseFor(std::int32_t track_status) {
  // [MS-OXOCAL] 2.2.1.11 numbering, which PidTagRecipientTrackStatus shares.
  switch (track_status) {
    case 0: return model::ResponseStatus::kNone;
    case 1: return model::ResponseStatus::kOrganized;
    case 2: return model::ResponseStatus::kTentative;
    case 3: return model::ResponseStatus::kAccepted;
    case 4: return model::ResponseStatus::kDeclined;
    case 5: return model::ResponseStatus::kNotResponded;
    default: return std::nullopt;
  }
}

void mapPeople(Fields& fields, const PropertyBag& bag, const model::Provenance& provenance,
               std::vector<model::Finding>& findings, model::Appointment& appointment) {
  appointment.organizer = personFrom(fields, kPidTagSentRepresentingName, kPidTagSentRepresentingAddressType,
                                     kPidTagSentRepresentingEmailAddress, kPidTagSentRepresentingSmtpAddress);
  if (!appointment.organizer) {
    appointment.organizer =
        personFrom(fields, kPidTagSenderName, kPidTagSenderAddressType, kPidTagSenderEmailAddress, kPidTagSenderSmtpAddress);
  }
  for (std::size_t row = 0; row < bag.recipients.size(); ++row) {
    Fields recipient(bag.recipients[row], provenance, findings);
    model::Person person;
    person.display_name = recipient.string(kPidTagDisplayName);
    if (person.display_name.empty()) person.display_name = recipient.string(kPidTagRecipientDisplayName);
    person.address_type = recipient.string(kPidTagAddressType);
    person.email = recipient.string(kPidTagSmtpAddress);
    if (person.email.empty() && equalsIgnoreCase(person.address_type, "SMTP")) {
      person.email = recipient.string(kPidTagEmailAddress);
    }
    const auto* flags = recipient.get<std::int32_t>(kPidTagRecipientFlags);
    const auto* type = recipient.get<std::int32_t>(kPidTagRecipientType);
    // In an exception's rows, a removed attendee stays as a row with this flag ([MS-OXOCAL] 2.2.4.10.1).
    if (flags != nullptr && (*flags & kRecipExceptionalDeleted) != 0) continue;
    // The resend flags ([MS-OXOMSG] 2.2.3.1) may be ORed into the type; they say nothing about the role.
    const std::int32_t base_type = type != nullptr ? (*type & kRecipientTypeMask) : 1;
    if ((flags != nullptr && (*flags & kRecipOrganizer) != 0) || base_type == kRecipientTypeOriginator) {
      // The organizer's own row is not an attendee; it names the organizer when the sender
      // properties do not.
      if (!appointment.organizer) appointment.organizer = person;
      continue;
    }
    model::Attendee attendee;
    attendee.person = std::move(person);
    if (type != nullptr) {
      if (const auto role = roleFor(base_type)) {
        attendee.role = *role;
      } else {
        recipient.badValue(kPidTagRecipientType.name, std::to_string(*type), toString(attendee.role),
                           "recipient row " + std::to_string(row) + ": not To (1), Cc (2) or Bcc (3)");
      }
    }
    if (const auto* status = recipient.get<std::int32_t>(kPidTagRecipientTrackStatus)) {
      if (const auto response = responseFor(*status)) {
        attendee.response = *response;
      } else {
        recipient.badValue(kPidTagRecipientTrackStatus.name, std::to_string(*status), toString(attendee.response),
                           "recipient row " + std::to_string(row) + ": not a response status 0-5");
      }
    }
    appointment.attendees.push_back(std::move(attendee));
  }
}

void mapReminder(Fields& fields, model::Appointment& appointment) {
  const auto* reminder_set = fields.get<bool>(kPidLidReminderSet);
  if (reminder_set == nullptr || !*reminder_set) return;
  const auto* delta = fields.get<std::int32_t>(kPidLidReminderDelta);
  if (delta == nullptr) {
    fields.badValue(kPidLidReminderDelta.name, "", "0", "the reminder is on but has no delta; it fires at the start");
    appointment.reminder_minutes_before = 0;
  } else if (*delta < 0) {
    fields.badValue(kPidLidReminderDelta.name, std::to_string(*delta), "0",
                    "a reminder after the start is not possible; it fires at the start");
    appointment.reminder_minutes_before = 0;
  } else {
    appointment.reminder_minutes_before = *delta;
  }
}

void mapStatus(Fields& fields, model::Appointment& appointment) {
  if (const auto* busy = fields.get<std::int32_t>(kPidLidBusyStatus)) {
    // [MS-OXOCAL] 2.2.1.2
    constexpr model::BusyStatus kByValue[] = {model::BusyStatus::kFree, model::BusyStatus::kTentative,
                                              model::BusyStatus::kBusy, model::BusyStatus::kOutOfOffice,
                                              model::BusyStatus::kWorkingElsewhere};
    if (*busy >= 0 && *busy < 5) {
      appointment.busy_status = kByValue[*busy];
    } else {
      fields.badValue(kPidLidBusyStatus.name, std::to_string(*busy), toString(appointment.busy_status),
                      "not a busy status 0-4");
    }
  }
  if (const auto* sensitivity = fields.get<std::int32_t>(kPidTagSensitivity)) {
    // [MS-OXCMSG] 2.2.1.13
    constexpr model::Sensitivity kByValue[] = {model::Sensitivity::kNormal, model::Sensitivity::kPersonal,
                                               model::Sensitivity::kPrivate, model::Sensitivity::kConfidential};
    if (*sensitivity >= 0 && *sensitivity < 4) {
      appointment.sensitivity = kByValue[*sensitivity];
    } else {
      fields.badValue(kPidTagSensitivity.name, std::to_string(*sensitivity), toString(appointment.sensitivity),
                      "not a sensitivity 0-3");
    }
  }
  if (const auto* keywords = fields.get<std::vector<std::string>>(kPidNameKeywords)) {
    for (const auto& keyword : *keywords) {
      if (!keyword.empty()) appointment.categories.push_back(keyword);
    }
  }
  if (const auto* state = fields.get<std::int32_t>(kPidLidAppointmentStateFlags)) {
    appointment.is_meeting = (*state & kAsfMeeting) != 0;
  }
}

std::string narrowedSubject(Fields& fields) {
  if (const auto* subject = fields.get<std::string>(kPidTagSubject)) return stripSubjectMarker(*subject);
  return {};
}

// The UTC instants a local wall time can stand for in the series' zone: one per offset its rules
// use (or UTC itself without a zone). Instances of one series lie a day or more apart, so these
// candidates never fit two of them.
std::vector<model::Instant> candidateInstants(const model::LocalDateTime& local,
                                              const std::optional<model::TimeZoneDefinition>& zone) {
  std::vector<int> offsets;
  if (zone) {
    for (const auto& rule : zone->rules) {
      offsets.push_back(-(rule.bias + rule.standard_bias));
      if (rule.observesDaylightTime()) offsets.push_back(-(rule.bias + rule.daylight_bias));
    }
  }
  if (offsets.empty()) offsets.push_back(0);
  std::vector<model::Instant> instants;
  for (const int offset : offsets) instants.push_back(model::fromLocal(local, offset));
  return instants;
}

// An exception attachment ([MS-OXOCAL] 2.2.10.1) as far as matching it to an instance needs.
struct ExceptionAttachment {
  std::size_t row = 0;
  // PidLidExceptionReplaceTime on its message: the replaced instance's start in UTC
  // ([MS-OXOCAL] 2.2.10.2).
  std::optional<model::Instant> replace_time;
  // PidTagExceptionReplaceTime on the attachment: UTC by the spec, but Outlook writes local time.
  std::optional<model::Instant> attachment_replace_time;
  bool used = false;
};

std::vector<ExceptionAttachment> exceptionAttachments(const PropertyBag& bag, const model::Provenance& provenance,
                                                      std::vector<model::Finding>& findings) {
  std::vector<ExceptionAttachment> found;
  for (std::size_t row = 0; row < bag.attachments.size(); ++row) {
    const PropertyBag& attachment_bag = bag.attachments[row];
    if (attachment_bag.embedded_message.empty()) continue;
    Fields attachment(attachment_bag, provenance, findings);
    Fields message(attachment_bag.embedded_message.front(), provenance, findings);
    const auto* flags = attachment.get<std::int32_t>(kPidTagAttachmentFlags);
    const bool is_exception = (flags != nullptr && (*flags & kAfException) != 0) ||
                              equalsIgnoreCase(attachment_bag.embedded_message.front().message_class,
                                               kExceptionMessageClass);
    if (!is_exception) continue;
    ExceptionAttachment entry;
    entry.row = row;
    if (const auto* time = message.get<FileTime>(kPidLidExceptionReplaceTime)) {
      entry.replace_time = model::instantFromFileTime(time->ticks);
    }
    if (const auto* time = attachment.get<FileTime>(kPidTagExceptionReplaceTime)) {
      entry.attachment_replace_time = model::instantFromFileTime(time->ticks);
    }
    found.push_back(entry);
  }
  return found;
}

bool replacesInstance(const ExceptionAttachment& attachment, const model::LocalDateTime& original,
                      const std::vector<model::Instant>& candidates) {
  const auto among = [&](model::Instant instant) {
    return std::find(candidates.begin(), candidates.end(), instant) != candidates.end();
  };
  if (attachment.replace_time) return among(*attachment.replace_time);
  if (attachment.attachment_replace_time) {
    return among(*attachment.attachment_replace_time) ||
           *attachment.attachment_replace_time == model::fromLocal(original, 0);
  }
  return false;
}

// Adds what only the exception attachments hold (bodies, attendees) to the exceptions read from
// the pattern, matching each ExceptionInfo with its attachment by the original start of the
// instance it replaces.
void addExceptionDetails(const PropertyBag& bag, const AppointmentRecurrencePattern& pattern,
                         const model::Appointment& series, const model::Provenance& provenance,
                         std::vector<model::Finding>& findings, model::Recurrence& recurrence) {
  std::vector<ExceptionAttachment> attachments = exceptionAttachments(bag, provenance, findings);
  for (std::size_t index = 0; index < recurrence.exceptions.size() && index < pattern.exceptions.size(); ++index) {
    model::AppointmentException& exception = recurrence.exceptions[index];
    const ExceptionInfo& info = pattern.exceptions[index];
    const auto candidates = candidateInstants(exception.original_start, series.start_zone);
    const auto match = std::find_if(attachments.begin(), attachments.end(), [&](const ExceptionAttachment& a) {
      return !a.used && replacesInstance(a, exception.original_start, candidates);
    });
    if (match == attachments.end()) {
      if (info.override_flags & kAroExceptionalBody) {
        findings.push_back(model::Finding{"recurrence.exception_attachment_missing", model::Severity::kWarning,
                                          provenance, std::string(kPidLidExceptionReplaceTime.name),
                                          exception.original_start.toIsoString(), "",
                                          "no exception attachment replaces this instance; it keeps the series' "
                                          "body and attendees",
                                          false});
      }
      continue;
    }
    match->used = true;
    const PropertyBag& message_bag = bag.attachments[match->row].embedded_message.front();
    Fields message(message_bag, provenance, findings);
    if (const auto* body = message.get<std::string>(kPidTagBody); body && *body != series.body) exception.body = *body;
    if ((info.override_flags & kAroSubject) && !info.wide_subject) {
      if (std::string subject = narrowedSubject(message); !subject.empty()) exception.subject = subject;
    }
    if ((info.override_flags & kAroLocation) && !info.wide_location) {
      if (const auto* location = message.get<std::string>(kPidLidLocation)) exception.location = *location;
    }
    if (!message_bag.recipients.empty()) {
      model::Appointment instance;
      mapPeople(message, message_bag, provenance, findings, instance);
      if (instance.attendees != series.attendees) exception.attendees = std::move(instance.attendees);
    }
  }
  for (const ExceptionAttachment& attachment : attachments) {
    if (attachment.used) continue;
    findings.push_back(model::Finding{"recurrence.exception_attachment_unmatched", model::Severity::kWarning,
                                      provenance, std::string(kPidLidExceptionReplaceTime.name),
                                      "attachment " + std::to_string(attachment.row), "",
                                      "this exception attachment replaces no instance the pattern lists; it is "
                                      "not carried over",
                                      false});
  }
}

Status mapRecurrence(Fields& fields, const PropertyBag& bag, const model::Provenance& provenance,
                     std::vector<model::Finding>& findings, model::Appointment& appointment) {
  const std::string context = provenance.describe() + " field " + std::string(kPidLidAppointmentRecur.name);
  const auto* blob = fields.get<Binary>(kPidLidAppointmentRecur);
  if (blob == nullptr) {
    return Error{"mapi.recurrence.missing",
                 "the item is marked recurring (PidLidRecurring) but has no usable PidLidAppointmentRecur pattern",
                 context};
  }
  auto pattern = parseAppointmentRecurrence(*blob, kPidLidAppointmentRecur.name);
  if (!pattern) return Error{"mapi.recurrence.unreadable", pattern.error().message, context};
  auto recurrence = toRecurrence(*pattern, kPidLidAppointmentRecur.name, provenance, findings);
  if (!recurrence) return recurrence.error();
  addExceptionDetails(bag, *pattern, appointment, provenance, findings, *recurrence);
  appointment.recurrence = std::move(recurrence).value();
  return {};
}

Result<model::Appointment> mapUnguarded(const PropertyBag& bag, const model::Provenance& provenance,
                                        std::vector<model::Finding>& findings) {
  Fields fields(bag, provenance, findings);
  model::Appointment appointment;
  appointment.provenance = provenance;
  appointment.message_class = bag.message_class.empty() ? fields.string(kPidTagMessageClass) : bag.message_class;
  if (auto status = mapTimes(fields, provenance, appointment); !status) return status.error();
  mapSubject(fields, appointment);
  appointment.location = fields.string(kPidLidLocation);
  {
    FieldReader body_fields(bag, provenance, findings);
    appointment.body = readBody(body_fields);
  }
  appointment.attachments = mapAttachments(bag, provenance, findings);
  const auto* recurring = fields.get<bool>(kPidLidRecurring);
  const bool is_series = (recurring != nullptr && *recurring) || fields.has(kPidLidAppointmentRecur);
  mapZones(fields, appointment, is_series);
  mapUid(fields, appointment);
  mapPeople(fields, bag, provenance, findings, appointment);
  mapReminder(fields, appointment);
  mapStatus(fields, appointment);
  appointment.is_recurring = is_series;
  if (appointment.is_recurring) {
    if (auto status = mapRecurrence(fields, bag, provenance, findings, appointment); !status) return status.error();
  }
  return appointment;
}

}  // namespace

std::string stripSubjectMarker(std::string subject) {
  if (subject.size() < 2 || subject[0] != '\x01') return subject;
  // The second character may be any code point; drop its whole UTF-8 sequence.
  std::size_t end = 2;
  while (end < subject.size() && (static_cast<unsigned char>(subject[end]) & 0xC0) == 0x80) ++end;
  return subject.substr(end);
}

Result<model::Appointment> mapAppointment(const PropertyBag& bag, const model::Provenance& provenance,
                                          std::vector<model::Finding>& findings) {
  try {
    return mapUnguarded(bag, provenance, findings);
  } catch (const std::exception& e) {
    return Error{"mapi.internal", std::string("mapping the item failed: ") + e.what(), provenance.describe()};
  }
}

}  // namespace m2z::readers::mapi
