#include "zimbra/contact_requests.h"

#include <set>

#include "zimbra/soap.h"

namespace m2z::zimbra {

namespace {

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

// Zimbra's field for each phone kind; nullptr where it has none (those go to otherPhone, ...).
const char* phoneField(model::PhoneKind kind) {
  switch (kind) {
    case model::PhoneKind::kBusiness: return "workPhone";
    case model::PhoneKind::kBusiness2: return "workPhone2";
    case model::PhoneKind::kBusinessFax: return "workFax";
    case model::PhoneKind::kHome: return "homePhone";
    case model::PhoneKind::kHome2: return "homePhone2";
    case model::PhoneKind::kHomeFax: return "homeFax";
    case model::PhoneKind::kMobile: return "mobilePhone";
    case model::PhoneKind::kPager: return "pager";
    case model::PhoneKind::kCar: return "carPhone";
    case model::PhoneKind::kAssistant: return "assistantPhone";
    case model::PhoneKind::kCallback: return "callbackPhone";
    case model::PhoneKind::kCompanyMain: return "companyPhone";
    case model::PhoneKind::kPrimaryFax: return "otherFax";
    case model::PhoneKind::kOther: return "otherPhone";
    case model::PhoneKind::kPrimary:
    case model::PhoneKind::kIsdn:
    case model::PhoneKind::kRadio:
    case model::PhoneKind::kTelex:
    case model::PhoneKind::kTtyTdd: return nullptr;
  }
  return nullptr;
}

const char* addressPrefix(model::AddressKind kind) {
  switch (kind) {
    case model::AddressKind::kHome: return "home";
    case model::AddressKind::kWork: return "work";
    case model::AddressKind::kOther: return "other";
  }
  return "other";
}

// Adds name=value unless the value is empty; a name already used gets the next free number
// ("otherPhone" -> "otherPhone2"), the way Zimbra's web client keeps repeated fields.
class AttributeList {
 public:
  void add(std::string name, std::string_view value) {
    std::string text = trimmed(value);
    if (text.empty()) return;
    if (used_.count(name) != 0) {
      for (int n = 2;; ++n) {
        std::string numbered = name + std::to_string(n);
        if (used_.count(numbered) == 0) {
          name = std::move(numbered);
          break;
        }
      }
    }
    used_.insert(name);
    attributes_.emplace_back(std::move(name), std::move(text));
  }
  // Text kept as it is (notes keep their line breaks and indentation).
  void addVerbatim(const std::string& name, const std::string& value) {
    if (trimmed(value).empty() || used_.count(name) != 0) return;
    used_.insert(name);
    attributes_.emplace_back(name, value);
  }
  std::vector<ContactAttribute> release() { return std::move(attributes_); }

 private:
  std::set<std::string> used_;
  std::vector<ContactAttribute> attributes_;
};

bool looksLikeSmtp(const model::ContactEmail& email) {
  if (email.address.find('@') == std::string::npos) return false;
  return email.address_type.empty() || email.address_type == "SMTP" || email.address_type == "smtp";
}

std::string street(const model::PostalAddress& address) {
  // Zimbra has no post-office-box field: it goes on its own line of the street.
  std::string text = address.street;
  if (!address.post_office_box.empty()) text += (text.empty() ? "" : "\n") + address.post_office_box;
  // Only the one-text form is known: it is all Zimbra can show, so it goes in the street.
  if (trimmed(text).empty() && address.city.empty() && address.state.empty() && address.postal_code.empty() &&
      address.country.empty()) {
    text = address.formatted;
  }
  return text;
}

std::string tagNames(const std::vector<std::string>& categories) {
  std::string names;
  for (const std::string& category : categories) {
    std::string name = trimmed(category);
    if (name.empty()) continue;
    for (char& c : name) {
      if (c == ',') c = ' ';  // tn separates names with commas
    }
    if (!names.empty()) names += ',';
    names += name;
  }
  return names;
}

Error invalid(const model::Provenance& item, std::string code, std::string message, std::string_view field) {
  return Error{std::move(code), std::move(message), item.describe() + " field " + std::string(field)};
}

std::string writeCreateContact(const std::vector<ContactAttribute>& attributes, const std::vector<GroupMember>& members,
                               std::string_view folder_id, const std::vector<std::string>& categories,
                               std::string_view image_aid = {}) {
  xml::XmlWriter writer;
  writer.open("CreateContactRequest", {{"xmlns", std::string(kMailNamespace)}});
  xml::XmlWriter::Attributes cn{{"l", std::string(folder_id)}};
  if (std::string tags = tagNames(categories); !tags.empty()) cn.emplace_back("tn", std::move(tags));
  writer.open("cn", cn);
  for (const auto& [name, value] : attributes) writer.textElement("a", value, {{"n", name}});
  if (!image_aid.empty()) writer.empty("a", {{"n", "image"}, {"aid", std::string(image_aid)}});
  for (const GroupMember& member : members) writer.empty("m", {{"type", member.type}, {"value", member.value}});
  writer.close();
  writer.close();
  return writer.release();
}

Error unexpected(const xml::Element& body, std::string message) {
  return Error{"soap.unexpected", std::move(message), body.name.empty() ? "response" : body.name};
}

}  // namespace

std::vector<ContactAttribute> contactAttributes(const model::Contact& contact, std::string_view fingerprint) {
  AttributeList list;
  list.add("firstName", contact.given_name);
  list.add("middleName", contact.middle_name);
  list.add("lastName", contact.surname);
  list.add("namePrefix", contact.prefix);
  list.add("nameSuffix", contact.suffix);
  list.add("nickname", contact.nickname);
  list.add("initials", contact.initials);
  list.add("fullName", contact.display_name);
  // "8:<text>" is Zimbra's explicit file-as (Contact.FA_EXPLICIT); the numbered forms are formulas.
  if (!trimmed(contact.file_as).empty()) list.add("fileAs", "8:" + trimmed(contact.file_as));

  static constexpr const char* kEmailFields[] = {"email", "email2", "email3"};
  std::size_t next_email = 0;
  for (const model::ContactEmail& email : contact.emails) {
    if (!looksLikeSmtp(email) || next_email >= std::size(kEmailFields)) continue;
    list.add(kEmailFields[next_email++], email.address);
  }
  for (const model::Phone& phone : contact.phones) {
    const char* field = phoneField(phone.kind);
    list.add(field != nullptr ? field : "otherPhone", phone.number);
  }
  for (const model::PostalAddress& address : contact.addresses) {
    const std::string prefix = addressPrefix(address.kind);
    list.add(prefix + "Street", street(address));
    list.add(prefix + "City", address.city);
    list.add(prefix + "State", address.state);
    list.add(prefix + "PostalCode", address.postal_code);
    list.add(prefix + "Country", address.country);
  }
  list.add("company", contact.company);
  list.add("department", contact.department);
  list.add("jobTitle", contact.job_title);
  // Zimbra's well-known names for these (ContactConstants A_otherMgrName / A_otherAsstName).
  list.add("otherMgrName", contact.manager);
  list.add("otherAsstName", contact.assistant);
  list.add("workURL", contact.web_page);
  list.add("imAddress1", contact.im_address);
  if (contact.birthday && contact.birthday->isValid()) list.add("birthday", contact.birthday->toIsoString());
  if (contact.anniversary && contact.anniversary->isValid()) {
    list.add("anniversary", contact.anniversary->toIsoString());
  }
  list.addVerbatim("notes", contact.notes);
  list.add(std::string(kSourceFingerprintAttribute), fingerprint);
  return list.release();
}

std::string inlineMemberValue(std::string_view name, std::string_view address) {
  const std::string display = trimmed(name);
  const std::string mail = trimmed(address);
  if (display.empty() || display == mail) return mail;
  std::string quoted = "\"";
  for (char c : display) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\" <" + mail + ">";
}

Result<std::string> buildCreateContactRequest(const model::Contact& contact, std::string_view folder_id,
                                              std::string_view fingerprint, std::string_view image_aid) {
  if (folder_id.empty()) return invalid(contact.provenance, "request.invalid_item", "no target folder id given", "folder");
  std::vector<ContactAttribute> attributes = contactAttributes(contact, fingerprint);
  if (attributes.size() > kMaxContactFields) {
    return invalid(contact.provenance, "mail.CONTACT_TOO_BIG",
                   "the contact has " + std::to_string(attributes.size()) + " fields; Zimbra keeps at most " +
                       std::to_string(kMaxContactFields),
                   "attributes");
  }
  return writeCreateContact(attributes, {}, folder_id, contact.categories, image_aid);
}

Result<std::string> buildCreateContactGroupRequest(const model::DistList& list, const std::vector<GroupMember>& members,
                                                   std::string_view folder_id, std::string_view fingerprint) {
  if (folder_id.empty()) return invalid(list.provenance, "request.invalid_item", "no target folder id given", "folder");
  const std::string name = trimmed(list.name).empty() ? trimmed(list.file_as) : trimmed(list.name);
  AttributeList attributes;
  attributes.add("type", "group");
  // An explicit file-as needs text after "8:" (Zimbra refuses "8:" alone as INVALID_REQUEST).
  attributes.add("fileAs", name.empty() ? "" : "8:" + name);
  attributes.add("nickname", name);
  attributes.addVerbatim("notes", list.notes);
  attributes.add(std::string(kSourceFingerprintAttribute), fingerprint);
  std::vector<ContactAttribute> sent = attributes.release();
  if (sent.size() + members.size() > kMaxContactFields) {
    return invalid(list.provenance, "mail.CONTACT_TOO_BIG",
                   "the group has " + std::to_string(members.size()) + " members; Zimbra keeps at most " +
                       std::to_string(kMaxContactFields) + " fields per contact",
                   "members");
  }
  return writeCreateContact(sent, members, folder_id, list.categories);
}

std::string buildGetContactsRequest(std::string_view folder_id) {
  xml::XmlWriter writer;
  writer.empty("GetContactsRequest", {{"xmlns", std::string(kMailNamespace)}, {"l", std::string(folder_id)}});
  return writer.release();
}

Result<ItemRef> readCreatedContact(const xml::Element& create_contact_response, std::string_view folder_id) {
  if (create_contact_response.name != "CreateContactResponse") {
    return unexpected(create_contact_response, "expected CreateContactResponse");
  }
  const xml::Element* cn = create_contact_response.child("cn");
  const std::string* id = cn != nullptr ? cn->attribute("id") : nullptr;
  if (id == nullptr || id->empty()) return unexpected(create_contact_response, "CreateContactResponse carries no <cn id>");
  return ItemRef{*id, cn->attributeOr("l", std::string(folder_id)), "", std::nullopt};
}

Result<std::vector<StoredContact>> readContacts(const xml::Element& get_contacts_response) {
  if (get_contacts_response.name != "GetContactsResponse") {
    return unexpected(get_contacts_response, "expected GetContactsResponse");
  }
  std::vector<StoredContact> contacts;
  for (const xml::Element* cn : get_contacts_response.childrenNamed("cn")) {
    StoredContact stored;
    stored.id = cn->attributeOr("id", "");
    if (stored.id.empty()) return unexpected(get_contacts_response, "a <cn> in GetContactsResponse has no id");
    stored.folder_id = cn->attributeOr("l", "");
    for (const xml::Element* attribute : cn->childrenNamed("a")) {
      stored.attrs[attribute->attributeOr("n", "")] = attribute->text;
    }
    for (const xml::Element* member : cn->childrenNamed("m")) {
      stored.members.emplace_back(member->attributeOr("type", ""), member->attributeOr("value", ""));
    }
    contacts.push_back(std::move(stored));
  }
  return contacts;
}

}  // namespace m2z::zimbra
