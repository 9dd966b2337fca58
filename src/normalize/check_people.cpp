#include "normalize/check_people.h"

#include <string>

namespace m2z::normalize {

namespace {

std::string describe(const model::Person& person) {
  std::string text = person.display_name;
  if (!person.address_type.empty() || !person.email.empty()) {
    text += " <" + person.address_type + (person.address_type.empty() ? "" : ":") + person.email + ">";
  }
  return text;
}

void record(const model::Appointment& item, const model::Person& person, const char* kind, const char* field,
            std::vector<model::Finding>& findings) {
  model::Finding finding;
  finding.kind = kind;
  finding.severity = model::Severity::kWarning;
  finding.item = item.provenance;
  finding.field = field;
  finding.before = describe(person);
  finding.why = "no SMTP address is known for this person; Zimbra stores people by address, so they are not carried over";
  findings.push_back(std::move(finding));
}

}  // namespace

void checkPeople(const model::Appointment& item, std::vector<model::Finding>& findings) {
  if (item.organizer && !item.organizer->hasSmtpAddress()) {
    record(item, *item.organizer, "person.no_smtp_address", "organizer", findings);
  }
  for (const auto& attendee : item.attendees) {
    if (!attendee.person.hasSmtpAddress()) record(item, attendee.person, "person.no_smtp_address", "attendee", findings);
  }
}

}  // namespace m2z::normalize
