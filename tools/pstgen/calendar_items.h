// Calendar, contact and task items described by their meaning, turned into the MAPI properties
// Outlook would store and into the model item a correct reader must produce from them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/appointment.h"
#include "model/recurrence.h"
#include "pstgen/pst_writer.h"

namespace m2z::pstgen {

struct AttachmentSpec {
  std::string filename;
  std::string mime_type;
  Bytes data;
  std::optional<GeneratedContent> generated;  // binary filler instead of `data`
};

enum class UidStyle {
  kNone,       // no PidLidGlobalObjectId at all
  kVcalUid,    // an iCalendar UID embedded after "vCal-Uid" ([MS-OXCICAL] 2.1.3.1.1.20.26)
  kOutlook,    // 16 bytes of Outlook-style data; the UID is the hex of the whole id
};

struct AppointmentSpec {
  std::string message_class = "IPM.Appointment";
  std::string subject;
  std::string location;
  std::string body;
  std::optional<GeneratedContent> generated_body;
  model::Instant start;  // UTC
  model::Instant end;
  bool all_day = false;
  std::string zone_key;      // Windows zone of the start; empty: no zone properties at all
  std::string end_zone_key;  // zone of the end; empty: the start's zone
  bool write_tz_definitions = true;  // PidLidAppointmentTimeZoneDefinitionStart/EndDisplay
  bool write_zone_struct = true;     // PidLidTimeZoneStruct
  UidStyle uid_style = UidStyle::kVcalUid;
  std::string uid;                // the UID (kVcalUid)
  Bytes outlook_uid_data;         // 16 bytes (kOutlook)
  std::int64_t created_unix = 0;  // creation time, also in the global object id
  std::optional<int> reminder_minutes;
  model::BusyStatus busy_status = model::BusyStatus::kBusy;
  model::Sensitivity sensitivity = model::Sensitivity::kNormal;
  std::vector<std::string> categories;
  std::optional<model::Person> organizer;
  std::vector<model::Attendee> attendees;
  std::vector<AttachmentSpec> attachments;
  // A recurring series: start_date, start_minute and end_minute are the first occurrence's in
  // the start zone (UTC when there is none); `start`/`end` must be that occurrence.
  std::optional<model::Recurrence> recurrence;
};

struct ContactSpec {
  std::string display_name;
  std::string given_name;
  std::string surname;
  std::string company;
  std::string email;
  std::string phone;
  std::int64_t created_unix = 0;
};

struct TaskSpec {
  std::string subject;
  std::string body;
  std::optional<model::Instant> start;
  std::optional<model::Instant> due;
  int status = 0;  // PidLidTaskStatus: 0 not started .. 2 complete
  double percent_complete = 0.0;
  std::int64_t created_unix = 0;
};

struct DistributionListSpec {
  std::string name;
  std::vector<model::Person> members;  // stored as one-off EntryIDs
  std::int64_t created_unix = 0;
};

// Hidden folder-associated messages of the kinds real mailboxes carry.
enum class AssociatedKind { kRule, kOofTemplate };

[[nodiscard]] Result<Message> appointmentMessage(const AppointmentSpec& spec);
Message contactMessage(const ContactSpec& spec);
Message taskMessage(const TaskSpec& spec);
Message distributionListMessage(const DistributionListSpec& spec);
Message associatedMessage(AssociatedKind kind, const std::string& name);

// Generated bodies longer than this are expected only by their first characters (see below).
inline constexpr std::uint64_t kMaxMaterializedBody = 16384;

// What a reader that follows [MS-OXOCAL]/[MS-OXCICAL] must make of the appointment's properties;
// for a generated body over kMaxMaterializedBody characters, `body` holds only its start.
model::Appointment expectedAppointment(const AppointmentSpec& spec, const model::Provenance& provenance);

// Fills in a series' first-occurrence fields from the spec's start, end and zone.
void anchorRecurrence(AppointmentSpec& spec);

// PidLidGlobalObjectId ([MS-OXOCAL] 2.2.1.27) for the spec's UID style; empty for kNone.
Bytes globalObjectId(const AppointmentSpec& spec);
std::string upperHex(ByteView bytes);

}  // namespace m2z::pstgen
