#include "pstgen/calendar_items.h"

#include <algorithm>
#include <cstdio>
#include <memory>

#include "pstgen/recurrence_blob.h"
#include "pstgen/windows_zones.h"

namespace m2z::pstgen {

namespace {

PropertyName appointmentName(std::uint32_t lid) { return {psetidAppointment(), lid, ""}; }
PropertyName meetingName(std::uint32_t lid) { return {psetidMeeting(), lid, ""}; }
PropertyName commonName(std::uint32_t lid) { return {psetidCommon(), lid, ""}; }
PropertyName addressName(std::uint32_t lid) { return {psetidAddress(), lid, ""}; }
PropertyName taskName(std::uint32_t lid) { return {psetidTask(), lid, ""}; }

std::uint64_t fileTime(model::Instant instant) { return fileTimeFromUnix(instant.unix_seconds); }

std::int32_t busyValue(model::BusyStatus status) {
  switch (status) {
    case model::BusyStatus::kFree: return 0;
    case model::BusyStatus::kTentative: return 1;
    case model::BusyStatus::kBusy: return 2;
    case model::BusyStatus::kOutOfOffice: return 3;
    case model::BusyStatus::kWorkingElsewhere: return 4;
  }
  return 2;
}

std::int32_t sensitivityValue(model::Sensitivity sensitivity) {
  switch (sensitivity) {
    case model::Sensitivity::kNormal: return 0;
    case model::Sensitivity::kPersonal: return 1;
    case model::Sensitivity::kPrivate: return 2;
    case model::Sensitivity::kConfidential: return 3;
  }
  return 0;
}

std::int32_t recipientType(model::AttendeeRole role) {
  switch (role) {
    case model::AttendeeRole::kRequired: return 1;  // MAPI_TO
    case model::AttendeeRole::kOptional: return 2;  // MAPI_CC
    case model::AttendeeRole::kResource: return 3;  // MAPI_BCC
  }
  return 1;
}

std::int32_t trackStatus(model::ResponseStatus status) {
  switch (status) {
    case model::ResponseStatus::kNone: return 0;
    case model::ResponseStatus::kOrganized: return 1;
    case model::ResponseStatus::kTentative: return 2;
    case model::ResponseStatus::kAccepted: return 3;
    case model::ResponseStatus::kDeclined: return 4;
    case model::ResponseStatus::kNotResponded: return 5;
  }
  return 0;
}

Recipient recipientFor(const model::Person& person, std::int32_t type, std::int32_t flags, std::int32_t track) {
  Recipient recipient;
  auto& p = recipient.properties;
  p.push_back(taggedInt32(0x0C15, type));                // PidTagRecipientType
  p.push_back(taggedString(0x3001, person.display_name));  // PidTagDisplayName
  p.push_back(taggedString(0x3002, person.address_type));  // PidTagAddressType
  p.push_back(taggedString(0x3003, person.email));         // PidTagEmailAddress
  if (person.address_type == "SMTP") p.push_back(taggedString(0x39FE, person.email));  // PidTagSmtpAddress
  p.push_back(taggedString(0x5FF6, person.display_name));  // PidTagRecipientDisplayName
  p.push_back(taggedInt32(0x5FFD, flags));                 // PidTagRecipientFlags
  p.push_back(taggedInt32(0x5FFF, track));                 // PidTagRecipientTrackStatus
  p.push_back(taggedInt32(0x0FFE, 6));                     // PidTagObjectType: MAPI_MAILUSER
  p.push_back(taggedInt32(0x3900, 0));                     // PidTagDisplayType: DT_MAILUSER
  p.push_back(taggedBool(0x0E0F, true));                   // PidTagResponsibility
  p.push_back(taggedBool(0x3A40, false));                  // PidTagSendRichInfo
  return recipient;
}

Attachment attachmentFor(const AttachmentSpec& spec) {
  Attachment attachment;
  auto& p = attachment.properties;
  p.push_back(taggedInt32(0x3705, 1));                      // PidTagAttachMethod: afByValue
  p.push_back(taggedString(0x3704, spec.filename));          // PidTagAttachFilename
  p.push_back(taggedString(0x3707, spec.filename));          // PidTagAttachLongFilename
  p.push_back(taggedString(0x3001, spec.filename));          // PidTagDisplayName
  if (!spec.mime_type.empty()) p.push_back(taggedString(0x370E, spec.mime_type));  // PidTagAttachMimeTag
  const auto dot = spec.filename.rfind('.');
  if (dot != std::string::npos) p.push_back(taggedString(0x3703, spec.filename.substr(dot)));  // PidTagAttachExtension
  Property data = tagged(0x3701, ptype::kBinary, spec.data);  // PidTagAttachDataBinary
  if (spec.generated) {
    data.value.clear();
    data.generated = spec.generated;
    data.generated->text = false;
  }
  p.push_back(std::move(data));
  return attachment;
}

// A modified instance as Outlook stores it beside the blob's ExceptionInfo: a hidden attachment
// (afException) holding the Exception Embedded Message ([MS-OXOCAL] 2.2.10.1, 2.2.10.2) with the
// instance's own times and overridden values; no recipients and no body, so a reader takes the
// series' attendees and body for it.
Attachment exceptionAttachment(const AppointmentSpec& spec, const WindowsZone& zone,
                               const model::AppointmentException& exception) {
  const model::Instant original = toUtc(zone, exception.original_start);
  const model::Instant start = toUtc(zone, exception.start);
  const model::Instant end = toUtc(zone, exception.end);
  const std::string subject = exception.subject.value_or(spec.subject);
  // Outlook writes PidTagExceptionStartTime/EndTime in local time, as if it were UTC.
  const auto wall = [](const model::LocalDateTime& local) { return fileTime(model::fromLocal(local, 0)); };

  auto message = std::make_shared<Message>();
  auto& m = message->properties;
  m.push_back(taggedString(0x001A, "IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}"));
  m.push_back(taggedString(0x0037, subject));
  m.push_back(taggedString(0x0E1D, subject));
  m.push_back(taggedTime(0x0060, fileTime(start)));  // PidTagStartDate
  m.push_back(taggedTime(0x0061, fileTime(end)));    // PidTagEndDate
  m.push_back(named(appointmentName(0x820D), ptype::kTime, encodeFileTime(fileTime(start))));  // StartWhole
  m.push_back(named(appointmentName(0x820E), ptype::kTime, encodeFileTime(fileTime(end))));    // EndWhole
  m.push_back(named(appointmentName(0x8228), ptype::kTime, encodeFileTime(fileTime(original))));  // ExceptionReplaceTime
  m.push_back(named(appointmentName(0x8215), ptype::kBoolean, encodeBool(exception.all_day.value_or(spec.all_day))));
  m.push_back(named(appointmentName(0x8208), ptype::kString, encodeString(exception.location.value_or(spec.location))));
  m.push_back(named(appointmentName(0x8205), ptype::kInteger32,
                    encodeInt32(busyValue(exception.busy_status.value_or(spec.busy_status)))));
  m.push_back(named(appointmentName(0x8206), ptype::kBoolean, encodeBool(false)));  // PidLidFExceptionalBody
  m.push_back(named(appointmentName(0x822B), ptype::kBoolean, encodeBool(false)));  // FExceptionalAttendees
  m.push_back(named(appointmentName(0x8223), ptype::kBoolean, encodeBool(false)));  // PidLidRecurring

  Attachment attachment;
  auto& a = attachment.properties;
  a.push_back(taggedInt32(0x3705, 5));                 // PidTagAttachMethod: afEmbeddedMessage
  a.push_back(taggedString(0x3001, subject));          // PidTagDisplayName
  a.push_back(taggedBool(0x7FFE, true));               // PidTagAttachmentHidden
  a.push_back(taggedInt32(0x3714, 0x2));               // PidTagAttachmentFlags: afException
  a.push_back(taggedTime(0x7FF9, fileTime(original)));  // PidTagExceptionReplaceTime (UTC)
  a.push_back(taggedTime(0x7FFB, wall(exception.start)));  // PidTagExceptionStartTime
  a.push_back(taggedTime(0x7FFC, wall(exception.end)));    // PidTagExceptionEndTime
  attachment.embedded = std::move(message);
  return attachment;
}

// The "no date" FILETIME MAPI uses for an unset reminder time (4501-01-01).
constexpr std::uint64_t kNoDate = 0x0CB34557A3DD4000ULL;

}  // namespace

std::string upperHex(ByteView bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  char hex[3];
  for (const std::uint8_t byte : bytes) {
    std::snprintf(hex, sizeof hex, "%02X", byte);
    out += hex;
  }
  return out;
}

Bytes globalObjectId(const AppointmentSpec& spec) {
  if (spec.uid_style == UidStyle::kNone) return {};
  // Byte Array ID, YH, YL, M, D (zero: not an exception), Creation Time, X (8 zero bytes), Size, Data.
  Bytes id = {0x04, 0x00, 0x00, 0x00, 0x82, 0x00, 0xE0, 0x00, 0x74, 0xC5, 0xB7, 0x10, 0x1A, 0x82, 0xE0, 0x08};
  putU32(id, 0);
  putU64(id, fileTimeFromUnix(spec.created_unix));
  putU64(id, 0);
  Bytes data;
  if (spec.uid_style == UidStyle::kVcalUid) {
    // "vCal-Uid", version 1 (4 bytes), the UID, a terminating null.
    const std::string marker = "vCal-Uid";
    data.assign(marker.begin(), marker.end());
    putU32(data, 1);
    data.insert(data.end(), spec.uid.begin(), spec.uid.end());
    data.push_back(0);
  } else {
    data = spec.outlook_uid_data;
  }
  putU32(id, static_cast<std::uint32_t>(data.size()));
  putBytes(id, data);
  return id;
}

Result<Message> appointmentMessage(const AppointmentSpec& spec) {
  Message message;
  auto& p = message.properties;
  p.push_back(taggedString(0x001A, spec.message_class));  // PidTagMessageClass
  p.push_back(taggedString(0x0037, spec.subject));        // PidTagSubject
  p.push_back(taggedString(0x0E1D, spec.subject));        // PidTagNormalizedSubject
  p.push_back(taggedString(0x0070, spec.subject));        // PidTagConversationTopic
  p.push_back(taggedInt32(0x0017, 1));                    // PidTagImportance: normal
  p.push_back(taggedInt32(0x0036, sensitivityValue(spec.sensitivity)));
  if (spec.generated_body) {
    Property body = tagged(0x1000, ptype::kString, {});
    body.generated = spec.generated_body;
    body.generated->text = true;
    p.push_back(std::move(body));
  } else if (!spec.body.empty()) {
    p.push_back(taggedString(0x1000, spec.body));
  }
  p.push_back(taggedTime(0x3007, fileTimeFromUnix(spec.created_unix)));  // PidTagCreationTime
  p.push_back(taggedTime(0x3008, fileTimeFromUnix(spec.created_unix)));  // PidTagLastModificationTime
  p.push_back(taggedTime(0x0060, fileTime(spec.start)));  // PidTagStartDate
  p.push_back(taggedTime(0x0061, fileTime(spec.end)));    // PidTagEndDate
  p.push_back(named(appointmentName(0x820D), ptype::kTime, encodeFileTime(fileTime(spec.start))));  // StartWhole
  p.push_back(named(appointmentName(0x820E), ptype::kTime, encodeFileTime(fileTime(spec.end))));    // EndWhole
  p.push_back(named(commonName(0x8516), ptype::kTime, encodeFileTime(fileTime(spec.start))));       // CommonStart
  p.push_back(named(commonName(0x8517), ptype::kTime, encodeFileTime(fileTime(spec.end))));         // CommonEnd
  const auto minutes = static_cast<std::int32_t>((spec.end.unix_seconds - spec.start.unix_seconds) / 60);
  p.push_back(named(appointmentName(0x8213), ptype::kInteger32, encodeInt32(minutes)));  // PidLidAppointmentDuration
  p.push_back(named(appointmentName(0x8215), ptype::kBoolean, encodeBool(spec.all_day)));  // SubType
  p.push_back(named(appointmentName(0x8208), ptype::kString, encodeString(spec.location)));  // Location
  p.push_back(named(appointmentName(0x8205), ptype::kInteger32, encodeInt32(busyValue(spec.busy_status))));
  const bool meeting = !spec.attendees.empty();
  p.push_back(named(appointmentName(0x8217), ptype::kInteger32, encodeInt32(meeting ? 1 : 0)));  // StateFlags
  p.push_back(named(appointmentName(0x8218), ptype::kInteger32, encodeInt32(meeting ? 1 : 0)));  // ResponseStatus
  p.push_back(named(appointmentName(0x8223), ptype::kBoolean, encodeBool(spec.recurrence.has_value())));  // Recurring
  if (spec.recurrence) {
    auto blob = encodeAppointmentRecur(*spec.recurrence);
    if (!blob) return blob.error();
    p.push_back(named(appointmentName(0x8216), ptype::kBinary, *blob));  // PidLidAppointmentRecur
    p.push_back(named(appointmentName(0x8231), ptype::kInteger32, encodeInt32(recurrenceType(*spec.recurrence))));
    p.push_back(named(appointmentName(0x8232), ptype::kString,
                      encodeString(std::string(model::toString(spec.recurrence->pattern)) + " series")));  // Pattern text
    // PidLidClipStart/ClipEnd: midnight of the first and last day in the series' zone, in UTC; a
    // series without end stops at 4500-08-31 23:59 ([MS-OXOCAL] 2.2.1.14, 2.2.1.15).
    const WindowsZone* zone = findWindowsZone(spec.zone_key.empty() ? "UTC" : spec.zone_key);
    const model::Instant clip_start = toUtc(*zone, {spec.recurrence->start_date, 0, 0, 0});
    p.push_back(named(appointmentName(0x8235), ptype::kTime, encodeFileTime(fileTime(clip_start))));
    std::uint64_t clip_end = fileTime(model::fromLocal({{4500, 8, 31}, 23, 59, 0}, 0));
    if (spec.recurrence->end != model::RecurrenceEnd::kNever) {
      const auto days = spec.recurrence->end == model::RecurrenceEnd::kAfterCount
                            ? occurrenceDays(*spec.recurrence, static_cast<std::size_t>(spec.recurrence->count))
                            : occurrenceDays(*spec.recurrence, 1000000, &spec.recurrence->end_date);
      if (!days.empty()) clip_end = fileTime(toUtc(*zone, {days.back(), 0, 0, 0}));
    }
    p.push_back(named(appointmentName(0x8236), ptype::kTime, encodeFileTime(clip_end)));
    if (spec.zone_key.empty()) {
      p.push_back(named(appointmentName(0x8233), ptype::kBinary, encodeTzReg(*zone)));
      p.push_back(named(appointmentName(0x8260), ptype::kBinary, encodeTzDefinition(*zone, true)));
    }
  }
  p.push_back(named(commonName(0x8503), ptype::kBoolean, encodeBool(spec.reminder_minutes.has_value())));  // ReminderSet
  p.push_back(named(commonName(0x8501), ptype::kInteger32, encodeInt32(spec.reminder_minutes.value_or(15))));  // Delta
  if (spec.reminder_minutes) {
    const std::int64_t signal = spec.start.unix_seconds - std::int64_t{*spec.reminder_minutes} * 60;
    p.push_back(named(commonName(0x8502), ptype::kTime, encodeFileTime(fileTime(spec.start))));  // ReminderTime
    p.push_back(named(commonName(0x8560), ptype::kTime, encodeFileTime(fileTimeFromUnix(signal))));  // SignalTime
  } else {
    p.push_back(named(commonName(0x8560), ptype::kTime, encodeFileTime(kNoDate)));
  }
  if (!spec.zone_key.empty()) {
    const WindowsZone* start_zone = findWindowsZone(spec.zone_key);
    const WindowsZone* end_zone = findWindowsZone(spec.end_zone_key.empty() ? spec.zone_key : spec.end_zone_key);
    if (start_zone == nullptr || end_zone == nullptr) {
      return Error{"pstgen.zone", "unknown Windows time zone", spec.zone_key + " / " + spec.end_zone_key};
    }
    p.push_back(named(appointmentName(0x8234), ptype::kString, encodeString(start_zone->display)));  // Description
    if (spec.write_tz_definitions) {
      p.push_back(named(appointmentName(0x825E), ptype::kBinary, encodeTzDefinition(*start_zone, false)));
      p.push_back(named(appointmentName(0x825F), ptype::kBinary, encodeTzDefinition(*end_zone, false)));
    }
    if (spec.write_zone_struct) {
      p.push_back(named(appointmentName(0x8233), ptype::kBinary, encodeTzReg(*start_zone)));
    }
    if (spec.recurrence) {
      // The series' zone, its effective rule marked as the one PidLidTimeZoneStruct holds.
      p.push_back(named(appointmentName(0x8260), ptype::kBinary, encodeTzDefinition(*start_zone, true)));
      if (!spec.write_zone_struct) p.push_back(named(appointmentName(0x8233), ptype::kBinary, encodeTzReg(*start_zone)));
    }
  }
  const Bytes goid = globalObjectId(spec);
  if (!goid.empty()) {
    p.push_back(named(meetingName(0x0003), ptype::kBinary, goid));  // PidLidGlobalObjectId
    p.push_back(named(meetingName(0x0023), ptype::kBinary, goid));  // PidLidCleanGlobalObjectId
  }
  if (!spec.categories.empty()) {
    p.push_back(named(PropertyName{psPublicStrings(), std::nullopt, "Keywords"}, ptype::kMultipleString,
                      encodeMultiString(spec.categories)));
  }
  if (spec.organizer) {
    const model::Person& organizer = *spec.organizer;
    for (const auto& [name, type, email, smtp] : {std::tuple{0x0042, 0x0064, 0x0065, 0x5D02},
                                                  std::tuple{0x0C1A, 0x0C1E, 0x0C1F, 0x5D01}}) {
      p.push_back(taggedString(static_cast<std::uint16_t>(name), organizer.display_name));
      p.push_back(taggedString(static_cast<std::uint16_t>(type), organizer.address_type));
      p.push_back(taggedString(static_cast<std::uint16_t>(email), organizer.email));
      if (organizer.address_type == "SMTP") p.push_back(taggedString(static_cast<std::uint16_t>(smtp), organizer.email));
    }
    if (meeting) {
      // The organizer's own row: sendable (0x1) and recipOrganizer (0x2) ([MS-OXOCAL] 2.2.4.10.1).
      message.recipients.push_back(recipientFor(organizer, 1, 0x3, 1));
    }
  }
  for (const model::Attendee& attendee : spec.attendees) {
    message.recipients.push_back(
        recipientFor(attendee.person, recipientType(attendee.role), 0x1, trackStatus(attendee.response)));
  }
  for (const AttachmentSpec& attachment : spec.attachments) message.attachments.push_back(attachmentFor(attachment));
  if (spec.recurrence) {
    const WindowsZone* zone = findWindowsZone(spec.zone_key.empty() ? "UTC" : spec.zone_key);
    for (const model::AppointmentException& exception : spec.recurrence->exceptions) {
      message.attachments.push_back(exceptionAttachment(spec, *zone, exception));
    }
  }
  return message;
}

model::Appointment expectedAppointment(const AppointmentSpec& spec, const model::Provenance& provenance) {
  model::Appointment out;
  out.provenance = provenance;
  out.message_class = spec.message_class;
  const Bytes goid = globalObjectId(spec);
  if (spec.uid_style == UidStyle::kVcalUid) {
    out.uid = spec.uid;
    out.uid_origin = model::UidOrigin::kExternalUid;
  } else if (spec.uid_style == UidStyle::kOutlook) {
    out.uid = upperHex(goid);  // YH, YL, M and D are already zero
    out.uid_origin = model::UidOrigin::kGlobalObjectIdHex;
  }
  out.subject = spec.subject;
  out.location = spec.location;
  if (spec.generated_body && spec.generated_body->size > kMaxMaterializedBody) {
    // Only the start of a long generated body is spelled out (the filler is ASCII, one byte per
    // character); the expected-items file gives its length and generator instead.
    GeneratedContent start = *spec.generated_body;
    start.size = kMaxMaterializedBody;
    out.body = generatedText(start);
  } else {
    out.body = spec.generated_body ? generatedText(*spec.generated_body) : spec.body;
  }
  out.start = spec.start;
  out.end = spec.end;
  out.all_day = spec.all_day;
  if (!spec.zone_key.empty()) {
    const WindowsZone* start_zone = findWindowsZone(spec.zone_key);
    const WindowsZone* end_zone = findWindowsZone(spec.end_zone_key.empty() ? spec.zone_key : spec.end_zone_key);
    if (start_zone != nullptr && end_zone != nullptr) {
      out.zone_description = start_zone->display;
      if (spec.write_tz_definitions) {
        out.start_zone = model::TimeZoneDefinition{start_zone->key, start_zone->rules,
                                                   "PidLidAppointmentTimeZoneDefinitionStartDisplay"};
        out.end_zone = model::TimeZoneDefinition{end_zone->key, end_zone->rules,
                                                 "PidLidAppointmentTimeZoneDefinitionEndDisplay"};
      } else if (spec.write_zone_struct) {
        // Only the TZREG: one yearless rule, the zone's effective one, and no key name.
        model::TimeZoneRule rule = start_zone->rules.back();
        rule.year = 0;
        out.start_zone = model::TimeZoneDefinition{"", {rule}, "PidLidTimeZoneStruct"};
        out.end_zone = out.start_zone;
      }
    }
  }
  out.organizer = spec.organizer;
  out.attendees = spec.attendees;
  out.reminder_minutes_before = spec.reminder_minutes;
  out.busy_status = spec.busy_status;
  out.sensitivity = spec.sensitivity;
  for (const std::string& category : spec.categories) {
    if (!category.empty()) out.categories.push_back(category);
  }
  out.is_meeting = !spec.attendees.empty();
  out.is_recurring = spec.recurrence.has_value();
  out.recurrence = spec.recurrence;
  if (out.recurrence) out.recurrence->deleted_dates = storedDeletedDates(*out.recurrence);
  return out;
}

void anchorRecurrence(AppointmentSpec& spec) {
  if (!spec.recurrence) return;
  const WindowsZone* zone = findWindowsZone(spec.zone_key.empty() ? "UTC" : spec.zone_key);
  const model::LocalDateTime local = model::toLocal(spec.start, utcOffsetAt(*zone, model::toLocal(spec.start, 0)));
  // The zone's offset at the local time itself (the first guess used the UTC reading's date).
  const model::LocalDateTime start = model::toLocal(spec.start, utcOffsetAt(*zone, local));
  spec.recurrence->start_date = start.date;
  spec.recurrence->start_minute = start.hour * 60 + start.minute;
  spec.recurrence->end_minute =
      spec.recurrence->start_minute + static_cast<int>((spec.end.unix_seconds - spec.start.unix_seconds) / 60);
  for (model::AppointmentException& exception : spec.recurrence->exceptions) {
    exception.original_start.hour = spec.recurrence->start_minute / 60;
    exception.original_start.minute = spec.recurrence->start_minute % 60;
    exception.original_start.second = 0;
  }
  sortExceptions(*spec.recurrence);
}

Message contactMessage(const ContactSpec& spec) {
  Message message;
  auto& p = message.properties;
  p.push_back(taggedString(0x001A, "IPM.Contact"));
  p.push_back(taggedString(0x0037, spec.display_name));  // PidTagSubject
  p.push_back(taggedString(0x3001, spec.display_name));  // PidTagDisplayName
  p.push_back(taggedString(0x3A06, spec.given_name));    // PidTagGivenName
  p.push_back(taggedString(0x3A11, spec.surname));       // PidTagSurname
  if (!spec.company.empty()) p.push_back(taggedString(0x3A16, spec.company));  // PidTagCompanyName
  if (!spec.phone.empty()) p.push_back(taggedString(0x3A08, spec.phone));      // PidTagBusinessTelephoneNumber
  p.push_back(taggedTime(0x3007, fileTimeFromUnix(spec.created_unix)));
  p.push_back(taggedTime(0x3008, fileTimeFromUnix(spec.created_unix)));
  p.push_back(named(addressName(0x8005), ptype::kString, encodeString(spec.surname + ", " + spec.given_name)));  // FileUnder
  if (!spec.email.empty()) {
    p.push_back(named(addressName(0x8083), ptype::kString, encodeString(spec.email)));  // PidLidEmail1EmailAddress
    p.push_back(named(addressName(0x8082), ptype::kString, encodeString("SMTP")));      // PidLidEmail1AddressType
    p.push_back(named(addressName(0x8080), ptype::kString,
                      encodeString(spec.display_name + " (" + spec.email + ")")));  // PidLidEmail1DisplayName
  }
  return message;
}

Message taskMessage(const TaskSpec& spec) {
  Message message;
  auto& p = message.properties;
  p.push_back(taggedString(0x001A, "IPM.Task"));
  p.push_back(taggedString(0x0037, spec.subject));
  if (!spec.body.empty()) p.push_back(taggedString(0x1000, spec.body));
  p.push_back(taggedTime(0x3007, fileTimeFromUnix(spec.created_unix)));
  p.push_back(taggedTime(0x3008, fileTimeFromUnix(spec.created_unix)));
  p.push_back(named(taskName(0x8101), ptype::kInteger32, encodeInt32(spec.status)));                 // TaskStatus
  p.push_back(named(taskName(0x8102), ptype::kFloating64, encodeDouble(spec.percent_complete)));     // PercentComplete
  p.push_back(named(taskName(0x811C), ptype::kBoolean, encodeBool(spec.status == 2)));               // TaskComplete
  if (spec.start) p.push_back(named(taskName(0x8104), ptype::kTime, encodeFileTime(fileTime(*spec.start))));
  if (spec.due) p.push_back(named(taskName(0x8105), ptype::kTime, encodeFileTime(fileTime(*spec.due))));
  return message;
}

Message distributionListMessage(const DistributionListSpec& spec) {
  Message message;
  auto& p = message.properties;
  p.push_back(taggedString(0x001A, "IPM.DistList"));
  p.push_back(taggedString(0x0037, spec.name));
  p.push_back(taggedString(0x3001, spec.name));
  p.push_back(taggedTime(0x3007, fileTimeFromUnix(spec.created_unix)));
  p.push_back(taggedTime(0x3008, fileTimeFromUnix(spec.created_unix)));
  p.push_back(named(addressName(0x8053), ptype::kString, encodeString(spec.name)));  // PidLidDistributionListName
  std::vector<Bytes> members;
  for (const model::Person& person : spec.members) {
    // One-off EntryID ([MS-OXCDATA] 2.2.5.1): flags, the one-off provider UID, version 0, flags
    // for Unicode without rich text, then display name, address type and address, null-terminated.
    Bytes entry = {0, 0, 0, 0, 0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19, 0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02};
    putU16(entry, 0x0000);
    putU16(entry, 0x9001);
    for (const std::string* text : {&person.display_name, &person.address_type, &person.email}) {
      putBytes(entry, utf16le(*text));
      putU16(entry, 0);
    }
    members.push_back(std::move(entry));
  }
  p.push_back(named(addressName(0x8054), ptype::kMultipleBinary, encodeMultiBinary(members)));  // OneOffMembers
  p.push_back(named(addressName(0x8055), ptype::kMultipleBinary, encodeMultiBinary(members)));  // Members
  return message;
}

Message associatedMessage(AssociatedKind kind, const std::string& name) {
  Message message;
  message.associated = true;
  auto& p = message.properties;
  if (kind == AssociatedKind::kRule) {
    // A server-side rule as Exchange and Outlook keep it ([MS-OXORULE] 2.2.9).
    p.push_back(taggedString(0x001A, "IPM.Rule.Version2.Message"));
    p.push_back(taggedString(0x65EC, name));             // PidTagRuleMessageName
    p.push_back(taggedString(0x65EB, "RuleOrganizer"));  // PidTagRuleMessageProvider
    p.push_back(taggedInt32(0x65F3, 10));                // PidTagRuleMessageSequence
    p.push_back(taggedInt32(0x65E9, 1));                 // PidTagRuleMessageState: ST_ENABLED
    p.push_back(taggedInt32(0x65ED, 0));                 // PidTagRuleMessageLevel
  } else {
    p.push_back(taggedString(0x001A, "IPM.Note.Rules.OofTemplate.Microsoft"));
    p.push_back(taggedString(0x0037, name));
    p.push_back(taggedString(0x1000, "I am out of the office."));
  }
  return message;
}

}  // namespace m2z::pstgen
