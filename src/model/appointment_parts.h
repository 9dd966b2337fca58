// The values a calendar item and each modified instance of a series both carry: people and
// statuses; and the files attached to an item.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

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

// A file attached to a calendar item (an agenda, an invitation PDF). Embedded messages that hold
// a series' modified instances are not attachments in this sense.
struct Attachment {
  std::string name;        // PidTagAttachLongFilename, else PidTagAttachFilename, else PidTagDisplayName
  std::string mime_type;   // PidTagAttachMimeTag, else from the name's extension, else application/octet-stream
  std::uint64_t size = 0;  // bytes of content
  std::vector<std::uint8_t> content;
  bool operator==(const Attachment&) const = default;
};

}  // namespace m2z::model
