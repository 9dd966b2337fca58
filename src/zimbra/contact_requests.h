// SOAP bodies for contacts and contact groups (CreateContactRequest, GetContactsRequest) built
// from model values, and the reading of their responses: pure functions, testable without a server.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/contact.h"
#include "model/result.h"
#include "xml/xml.h"
#include "zimbra/requests.h"

namespace m2z::zimbra {

// Zimbra contacts have no UID: this user-defined contact attribute (Zimbra keeps any attribute
// name it is given) carries a fingerprint of the source item, so a re-run or a resend after a
// lost answer can find what it already made.
inline constexpr std::string_view kSourceFingerprintAttribute = "mapi2zimbraSource";
// Zimbra's Contact.MAX_FIELD_COUNT: a contact with more fields is refused (mail.CONTACT_TOO_BIG).
inline constexpr std::size_t kMaxContactFields = 1000;

// One contact attribute as sent: <a n="name">value</a>.
using ContactAttribute = std::pair<std::string, std::string>;

// A contact group member as sent: <m type="C|G|I" value=".."/>.
struct GroupMember {
  std::string type;   // "C": another contact's item id; "I": an inline "Name" <address>
  std::string value;
  bool operator==(const GroupMember&) const = default;
};

// What the server holds of one contact (GetContactsResponse <cn>).
struct StoredContact {
  std::string id;
  std::string folder_id;
  std::map<std::string, std::string> attrs;                  // last value wins for repeated names
  std::vector<std::pair<std::string, std::string>> members;  // type, value
};

// The Zimbra attributes a contact becomes, in a fixed order (names from Zimbra's
// ContactConstants: firstName, workPhone, homeStreet, ...). Empty values are left out; e-mail
// slots hold SMTP addresses only; birthday and anniversary are civil dates "yyyy-MM-dd" (soap.txt);
// phone kinds without a Zimbra field go to otherPhone, otherPhone2, ...; the photo is not an
// attribute (it needs an upload, see buildCreateContactRequest). `fingerprint` (may be empty) goes
// last as kSourceFingerprintAttribute.
std::vector<ContactAttribute> contactAttributes(const model::Contact& contact, std::string_view fingerprint);

// "Name" <address> as soap.txt asks for an inline member; the bare address without a name.
std::string inlineMemberValue(std::string_view name, std::string_view address);

// <CreateContactRequest><cn l=folder [tn=categories]><a n=..>..</a>...</cn>. Categories become tag
// names (commas, which separate tag names, become spaces). Errors ("request.*", context = the item's
// provenance): no folder; more than kMaxContactFields fields (code "mail.CONTACT_TOO_BIG", the
// server's own code for it, so the item fails for the same reason whoever noticed).
// `image_aid` (may be empty): an upload (ZimbraClient::uploadAttachment) holding the photo, sent
// as <a n="image" aid=".."/>.
[[nodiscard]] Result<std::string> buildCreateContactRequest(const model::Contact& contact, std::string_view folder_id,
                                                            std::string_view fingerprint,
                                                            std::string_view image_aid = {});

// A distribution list as a Zimbra contact group: type=group, fileAs "8:<name>", nickname, notes,
// the fingerprint, and one <m> per member (resolved by the caller, see groupMembers in the
// pipeline). Same errors as buildCreateContactRequest.
[[nodiscard]] Result<std::string> buildCreateContactGroupRequest(const model::DistList& list,
                                                                 const std::vector<GroupMember>& members,
                                                                 std::string_view folder_id,
                                                                 std::string_view fingerprint);

// <GetContactsRequest l=folder/>: every contact of the folder with all its attributes and members.
std::string buildGetContactsRequest(std::string_view folder_id);

// Response readers; errors have code "soap.unexpected".
[[nodiscard]] Result<ItemRef> readCreatedContact(const xml::Element& create_contact_response,
                                                 std::string_view folder_id);
[[nodiscard]] Result<std::vector<StoredContact>> readContacts(const xml::Element& get_contacts_response);

}  // namespace m2z::zimbra
