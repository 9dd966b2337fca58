// A calendar appointment or meeting as read from the source, plus the wall times the
// normalizer works out for it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/provenance.h"
#include "model/time.h"
#include "model/time_zone.h"

namespace m2z::model {

enum class BusyStatus { kFree, kTentative, kBusy, kOutOfOffice, kWorkingElsewhere };
enum class Sensitivity { kNormal, kPersonal, kPrivate, kConfidential };
enum class AttendeeRole { kRequired, kOptional, kResource };
enum class ResponseStatus { kNone, kOrganized, kTentative, kAccepted, kDeclined, kNotResponded };

struct Person {
  std::string display_name;
  std::string email;         // SMTP address where known
  std::string address_type;  // "SMTP", "EX", ... as in the source
  bool operator==(const Person&) const = default;
  // Zimbra keeps people by SMTP address; an Exchange DN or an empty address cannot be stored.
  bool hasSmtpAddress() const { return email.find('@') != std::string::npos; }
};

struct Attendee {
  Person person;
  AttendeeRole role = AttendeeRole::kRequired;
  ResponseStatus response = ResponseStatus::kNone;
  bool operator==(const Attendee&) const = default;
};

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

  std::optional<TimeZoneDefinition> start_zone;  // zone the start was entered in
  std::optional<TimeZoneDefinition> end_zone;
  std::string zone_description;  // PidLidTimeZoneDescription, e.g. "(UTC+01:00) Amsterdam, Berlin, ..."

  std::optional<Person> organizer;
  std::vector<Attendee> attendees;

  std::optional<int> reminder_minutes_before;  // set only when a reminder is on
  BusyStatus busy_status = BusyStatus::kBusy;
  Sensitivity sensitivity = Sensitivity::kNormal;
  std::vector<std::string> categories;

  bool is_meeting = false;
  bool is_recurring = false;

  std::optional<ResolvedTimes> resolved;  // set by normalize
};

const char* toString(BusyStatus status);
const char* toString(Sensitivity sensitivity);
const char* toString(AttendeeRole role);
const char* toString(ResponseStatus status);
const char* toString(UidOrigin origin);

}  // namespace m2z::model
