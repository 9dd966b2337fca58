// A calendar appointment or meeting as read from the source, plus the wall times the
// normalizer works out for it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/appointment_parts.h"
#include "model/provenance.h"
#include "model/recurrence.h"
#include "model/time.h"
#include "model/time_zone.h"

namespace m2z::model {

// Where the UID came from, so reports can say how much to trust it.
enum class UidOrigin {
  kNone,              // the source had nothing to build one from
  kExternalUid,       // the iCalendar UID embedded in PidLidGlobalObjectId ([MS-OXCICAL] 2.1.3.1.1.20.26)
  kGlobalObjectIdHex  // hex of the clean global object id
};

// Filled in by the normalizer: what the writers send.
struct ResolvedTimes {
  SingleRuleZone zone;          // the zone the wall times below are in
  std::string how_resolved;     // e.g. "tzdefinition:W. Europe Standard Time", "utc:no-zone"
  LocalDateTime start_local;
  LocalDateTime end_local;
  // All-day events: days of the event, end inclusive (the last day the event covers).
  CivilDate first_day;
  CivilDate last_day;
  bool operator==(const ResolvedTimes&) const = default;
};

struct Appointment {
  Provenance provenance;
  std::string message_class;  // "IPM.Appointment", ...

  std::string uid;
  UidOrigin uid_origin = UidOrigin::kNone;

  std::string subject;
  std::string location;
  std::string body;  // plain text

  Instant start;  // PidLidAppointmentStartWhole (UTC)
  Instant end;    // PidLidAppointmentEndWhole (UTC)
  bool all_day = false;

  // Zone the start was entered in; for a series, the zone of its pattern (whose times are local).
  std::optional<TimeZoneDefinition> start_zone;
  std::optional<TimeZoneDefinition> end_zone;
  std::string zone_description;  // PidLidTimeZoneDescription, e.g. "(UTC+01:00) Amsterdam, Berlin, ..."

  std::optional<Person> organizer;
  std::vector<Attendee> attendees;

  std::optional<int> reminder_minutes_before;  // set only when a reminder is on
  BusyStatus busy_status = BusyStatus::kBusy;
  Sensitivity sensitivity = Sensitivity::kNormal;
  std::vector<std::string> categories;
  std::vector<Attachment> attachments;  // files only; see Attachment

  bool is_meeting = false;
  bool is_recurring = false;
  // The series, for a recurring item whose pattern the reader could convert.
  std::optional<Recurrence> recurrence;

  std::optional<ResolvedTimes> resolved;  // set by normalize

  // Set by normalize when the source UID could not be sent as it is (too long, or bytes Zimbra
  // refuses) and `uid` holds a short stable stand-in: the writer sends this as the X- property
  // X-MAPI2ZIMBRA-ORIGINAL-UID, and the state keeps it.
  std::string original_uid;
};

const char* toString(BusyStatus status);
const char* toString(Sensitivity sensitivity);
const char* toString(AttendeeRole role);
const char* toString(ResponseStatus status);
const char* toString(UidOrigin origin);

}  // namespace m2z::model
