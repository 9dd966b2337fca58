// SOAP request bodies built from model values, and the reading of their responses: pure
// functions, testable without a server. Every body is shaped to validate against Zimbra's
// generated XSDs (zimbraMail.xsd / zimbraAdmin.xsd) as they are, xs:sequence order included.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/appointment.h"
#include "model/result.h"
#include "xml/xml.h"

namespace m2z::zimbra {

// The iCalendar property carrying an appointment's original UID when the normalizer shortened it.
inline constexpr std::string_view kOriginalUidProperty = "X-MAPI2ZIMBRA-ORIGINAL-UID";

// An item on the server, as its responses name it.
// What the server holds of an appointment it returned, so the caller can tell whether an item
// already on the target still matches its source.
struct StoredAppointment {
  std::string subject;
  bool all_day = false;
  std::string start;     // the default invite's <s d>: a date, or a wall time (with start_tz)
  std::string start_tz;
  std::string end;
  // Read back for `mapi2zimbra verify` (field-by-field comparison with the source).
  // Default member initializers keep older aggregate initializations of this struct complete.
  std::string location{};    // <comp loc>
  std::string free_busy{};   // <comp fb>: F, T, B, O
  std::string class_code{};  // <comp class>: PUB, PRI, CON
  std::string organizer{};   // <or a>
  std::vector<std::string> attendees{};   // <at a>, in the server's order
  std::vector<std::string> categories{};  // <category>
  std::optional<int> reminder_minutes_before{};  // the first <alarm>'s START trigger; negative: after
  std::string body{};        // <desc>
  // "freq=WEE;interval=1;count=10" (only the parts present, in that order: freq, interval,
  // count, until); empty for a single appointment.
  std::string recurrence_rule{};
  int exceptions = 0;        // <inv> with a recurId (modified instances)
  // The <tz> the start refers to, as "stdoff/dayoff" minutes ("60/120"); empty when not defined.
  std::string start_tz_offsets{};
  bool operator==(const StoredAppointment&) const = default;
};

struct ItemRef {
  std::string id;         // item id ("257", or "<account-id>:257" for a remote item)
  std::string folder_id;  // folder holding it (for a folder: its parent)
  std::string invite_id;  // appointments: id of the default invite, where the server says
  std::optional<StoredAppointment> stored;  // set by readFoundAppointment
  bool operator==(const ItemRef&) const = default;
};

// <AuthRequest xmlns="urn:zimbraAdmin" name=".." password=".."/>. zimbraAdmin.xsd declares
// name and password as attributes (soap-admin.txt shows child elements; the server reads both).
std::string buildAdminAuthRequest(std::string_view name, std::string_view password);

// <CreateFolderRequest><folder name l view fie="1"/> (view "appointment", "contact", "task"): fie ("fetch if exists")
// returns the existing folder instead of failing, so a re-run finds what the first run made.
// Refuses names Zimbra refuses (soap.txt: empty, ".", "..", longer than 255, or containing
// ':', '/', '"', TAB, CR, LF), code "request.invalid_name".
[[nodiscard]] Result<std::string> buildCreateFolderRequest(std::string_view parent_id, std::string_view name,
                                                           std::string_view view = "appointment");

// <GetAppointmentRequest uid=".."/>: looks an item up by its iCalendar UID before creating it,
// so that a re-run never overwrites what is already there.
std::string buildGetAppointmentRequest(std::string_view uid);

// <SetAppointmentRequest l=folder> with one <default> invite built from the appointment and its
// `resolved` times. `account` is the mailbox's address: it picks the account's own
// participation status (<default ptst>) out of the attendees. SetAppointmentRequest is Zimbra's migration call: it stores the item and
// sends no invitations, and nothing here asks it to (no <e> recipients, rsvp="0").
// A series (appointment.recurrence) gets its rule as <recur><add><rule> in the default invite,
// one <except> per modified instance (a full invite whose <exceptId> is the original instance's
// start, in the series' zone) and one <cancel> per deleted instance, all from what the normalizer
// resolved.
// Errors (code "request.*", context = the item's provenance): times or series not resolved,
// invalid dates, rules or zone rules. Organizer and attendees without an SMTP address are left
// out (Zimbra needs one).
[[nodiscard]] Result<std::string> buildSetAppointmentRequest(const model::Appointment& appointment,
                                                             std::string_view folder_id,
                                                             std::string_view account = {},
                                                             const std::vector<std::string>& attachment_aids = {});

// The Zimbra spellings of the model's enumerations, as sent.
const char* freeBusyCode(model::BusyStatus status);        // F, T, B, O
const char* classCode(model::Sensitivity sensitivity);     // PUB, PRI, CON
const char* roleCode(model::AttendeeRole role);            // REQ, OPT, NON
const char* partStatCode(model::ResponseStatus response);  // NE, AC, TE, DE
// The account's own status: AC unless it is an attendee of a meeting with another answer.
const char* defaultPartStat(const model::Appointment& appointment, std::string_view account);

// Response readers; errors have code "soap.unexpected" and never quote a token.
[[nodiscard]] Result<std::string> readAuthToken(const xml::Element& auth_response);
[[nodiscard]] Result<ItemRef> readCreatedFolder(const xml::Element& create_folder_response);
// nullopt when the response holds no <appt> (nothing with that UID).
[[nodiscard]] Result<std::optional<ItemRef>> readFoundAppointment(const xml::Element& get_appointment_response);
[[nodiscard]] Result<ItemRef> readSetAppointment(const xml::Element& set_appointment_response,
                                                 std::string_view folder_id);

}  // namespace m2z::zimbra
