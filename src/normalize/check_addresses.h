// Normalizer pass: e-mail addresses of the organizer and attendees that do not have the basic
// shape of an Internet mailbox (RFC 5321 section 4.1.2, RFC 5322 section 3.4.1).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/appointment.h"
#include "model/finding.h"

namespace m2z::normalize {

// Why `address` is not a usable mailbox, or nullopt when it is: local-part "@" domain, with a
// dot-atom or quoted-string local part of at most 64 octets, a domain of dot-separated labels
// (letters, digits, hyphens, or UTF-8 as RFC 6531 allows; 1-63 octets each, no hyphen at either
// end) or an address literal in brackets, at most 255 octets, and at most 254 octets in all
// (RFC 5321 4.5.3.1: a path is at most 256 octets including the angle brackets).
std::optional<std::string> mailboxProblem(std::string_view address);

// Addresses that only carry noise around a good address ("mailto:", angle brackets, quotes,
// spaces) are cleaned ("person.email_repaired"); an address that still has no valid shape is
// removed ("person.invalid_email"), so the writer leaves that person out instead of Zimbra
// refusing the whole appointment. People without any '@' are checkPeople's business.
void checkAddresses(model::Appointment& appointment, std::vector<model::Finding>& findings);

}  // namespace m2z::normalize
