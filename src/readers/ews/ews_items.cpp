#include "readers/ews/ews_items.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "readers/ews/ews_values.h"

namespace m2z::readers::ews {

namespace {

// Item properties with no meaning once the item lives elsewhere (ids, sizes, server bookkeeping,
// values derived from fields that are carried). Everything else not converted gets a finding.
constexpr std::array<std::string_view, 36> kBookkeeping{
    "ItemId",          "ParentFolderId",   "ItemClass",         "DateTimeReceived",
    "Size",            "IsSubmitted",      "IsDraft",           "IsFromMe",
    "IsResend",        "IsUnmodified",     "DateTimeSent",      "DateTimeCreated",
    "DisplayCc",       "DisplayTo",        "Culture",           "EffectiveRights",
    "LastModifiedName", "LastModifiedTime", "IsAssociated",     "WebClientReadFormQueryString",
    "WebClientEditFormQueryString", "ConversationId", "ChangeCount", "StatusDescription",
    "FileAsMapping",   "ResponseObjects",  "InstanceKey",       "ReminderMinutesBeforeStart",
    "ReminderNextTime", "EntityExtractionResult", "Preview",    "TextBody",
    "UniqueBody",      "NormalizedBody",   "IsComplete",        "ContactSource"};

bool isBookkeeping(std::string_view name) {
  return std::find(kBookkeeping.begin(), kBookkeeping.end(), name) != kBookkeeping.end();
}

std::string clipped(const std::string& text) { return text.size() > 200 ? text.substr(0, 200) + "..." : text; }

model::Finding finding(const model::Provenance& item, std::string kind, model::Severity severity, std::string field,
                       std::string before, std::string after, std::string why) {
  return model::Finding{std::move(kind), severity, item, std::move(field), std::move(before), std::move(after),
                        std::move(why), false};
}

// Findings for the fields of an item that no converter looked at.
void reportUnhandled(const xml::Element& element, const model::Provenance& item,
                     std::initializer_list<std::string_view> handled, std::vector<model::Finding>& findings) {
  for (const auto& child : element.children) {
    if (isBookkeeping(child.name) || std::find(handled.begin(), handled.end(), child.name) != handled.end()) continue;
    findings.push_back(finding(item, "ews.field_not_carried", model::Severity::kInfo, child.name,
                               clipped(child.text.empty() ? "(" + std::to_string(child.children.size()) +
                                                                " child element(s))"
                                                          : child.text),
                               "", "the " + element.name + " field " + child.name + " has no place in the target"));
  }
}

void commonFields(const xml::Element& element, const model::Provenance& item, std::vector<std::string>& categories,
                  std::vector<model::Finding>& findings) {
  if (const xml::Element* list = element.child("Categories")) {
    for (const xml::Element* category : list->childrenNamed("String")) {
      if (!category->text.empty()) categories.push_back(category->text);
    }
  }
  if (isTrue(childText(element, "HasAttachments"))) {
    findings.push_back(finding(item, "attachment.not_carried", model::Severity::kWarning, "HasAttachments", "true", "",
                               "attachments of " + element.name + " items are not migrated; the item is carried over "
                               "without them"));
  }
}

// An all-day date (birthday, anniversary, task start/due) with a finding when its zone was assumed.
std::optional<model::CivilDate> civilField(const xml::Element& element, std::string_view name,
                                           const model::Provenance& item, const ItemOptions& options,
                                           std::vector<model::Finding>& findings) {
  const xml::Element* child = element.child(name);
  if (child == nullptr || child->text.empty()) return std::nullopt;
  const auto reading = civilDateOf(child->text, options.user_offset_minutes);
  if (!reading) {
    findings.push_back(finding(item, "ews.value_unreadable", model::Severity::kWarning, std::string(name),
                               clipped(child->text), "", "not an xs:dateTime or xs:date; the date is left out"));
    return std::nullopt;
  }
  if (reading->zone_assumed) {
    findings.push_back(finding(
        item, "date.zone_assumed", model::Severity::kInfo, std::string(name), child->text, reading->date.toIsoString(),
        "Exchange keeps this all-day date as the user's local midnight in UTC and the user's zone is not known; the "
        "nearest midnight was taken (right for zones from UTC-12 to UTC+11)"));
  }
  return reading->date;
}

struct PhoneKey {
  std::string_view key;
  model::PhoneKind kind;
};

// EWS PhoneNumberKeyType to the model's kinds ([MS-OXWSCONT] 2.2.5.x); OtherFax has no kind of its own.
constexpr std::array<PhoneKey, 19> kPhoneKeys{{
    {"AssistantPhone", model::PhoneKind::kAssistant},     {"BusinessFax", model::PhoneKind::kBusinessFax},
    {"BusinessPhone", model::PhoneKind::kBusiness},       {"BusinessPhone2", model::PhoneKind::kBusiness2},
    {"Callback", model::PhoneKind::kCallback},            {"CarPhone", model::PhoneKind::kCar},
    {"CompanyMainPhone", model::PhoneKind::kCompanyMain}, {"HomeFax", model::PhoneKind::kHomeFax},
    {"HomePhone", model::PhoneKind::kHome},               {"HomePhone2", model::PhoneKind::kHome2},
    {"Isdn", model::PhoneKind::kIsdn},                    {"MobilePhone", model::PhoneKind::kMobile},
    {"OtherTelephone", model::PhoneKind::kOther},         {"Pager", model::PhoneKind::kPager},
    {"PrimaryPhone", model::PhoneKind::kPrimary},         {"RadioPhone", model::PhoneKind::kRadio},
    {"Telex", model::PhoneKind::kTelex},                  {"TtyTddPhone", model::PhoneKind::kTtyTdd},
    {"OtherFax", model::PhoneKind::kOther},
}};

void setIfEmpty(std::string& field, const std::string& value) {
  if (field.empty()) field = value;
}

}  // namespace

model::Contact convertContact(const xml::Element& element, const model::Provenance& item, const ItemOptions& options,
                              std::vector<model::Finding>& findings) {
  model::Contact contact;
  contact.provenance = item;
  contact.message_class = childText(element, "ItemClass");
  if (contact.message_class.empty()) contact.message_class = "IPM.Contact";
  contact.display_name = childText(element, "DisplayName");
  contact.file_as = childText(element, "FileAs");
  contact.given_name = childText(element, "GivenName");
  contact.middle_name = childText(element, "MiddleName");
  contact.surname = childText(element, "Surname");
  contact.nickname = childText(element, "Nickname");
  contact.initials = childText(element, "Initials");
  contact.suffix = childText(element, "Generation");
  if (const xml::Element* name = element.child("CompleteName")) {
    // CompleteName repeats the name parts; it fills what the top-level fields leave empty.
    setIfEmpty(contact.given_name, childText(*name, "FirstName"));
    setIfEmpty(contact.middle_name, childText(*name, "MiddleName"));
    setIfEmpty(contact.surname, childText(*name, "LastName"));
    setIfEmpty(contact.nickname, childText(*name, "Nickname"));
    setIfEmpty(contact.initials, childText(*name, "Initials"));
    setIfEmpty(contact.prefix, childText(*name, "Title"));
    setIfEmpty(contact.suffix, childText(*name, "Suffix"));
    setIfEmpty(contact.display_name, childText(*name, "FullName"));
  }
  if (const xml::Element* list = element.child("EmailAddresses")) {
    for (const xml::Element* entry : list->childrenNamed("Entry")) {
      const std::string key = entry->attributeOr("Key", "");
      if (entry->text.empty()) continue;
      if (key.size() != 13 || key.rfind("EmailAddress", 0) != 0 || key[12] < '1' || key[12] > '3') {
        findings.push_back(finding(item, "ews.field_not_carried", model::Severity::kWarning, "EmailAddresses/" + key,
                                   entry->text, "", "unknown e-mail slot; the address is not carried over"));
        continue;
      }
      model::ContactEmail email;
      email.slot = key[12] - '0';
      email.address = entry->text;
      email.display_name = entry->attributeOr("Name", "");
      email.address_type = entry->attributeOr("RoutingType", "SMTP");
      contact.emails.push_back(std::move(email));
    }
    std::stable_sort(contact.emails.begin(), contact.emails.end(),
                     [](const model::ContactEmail& a, const model::ContactEmail& b) { return a.slot < b.slot; });
  }
  if (const xml::Element* list = element.child("PhoneNumbers")) {
    for (const xml::Element* entry : list->childrenNamed("Entry")) {
      const std::string key = entry->attributeOr("Key", "");
      if (entry->text.empty()) continue;
      const auto known = std::find_if(kPhoneKeys.begin(), kPhoneKeys.end(), [&](const PhoneKey& k) { return k.key == key; });
      if (known == kPhoneKeys.end()) {
        findings.push_back(finding(item, "ews.field_not_carried", model::Severity::kWarning, "PhoneNumbers/" + key,
                                   entry->text, "", "unknown phone key; the number is not carried over"));
        continue;
      }
      if (key == "OtherFax") {
        findings.push_back(finding(item, "contact.phone_kind_merged", model::Severity::kInfo, "PhoneNumbers/OtherFax",
                                   entry->text, "other phone",
                                   "the target has no \"other fax\"; the number is kept as another phone"));
      }
      contact.phones.push_back(model::Phone{known->kind, entry->text});
    }
    std::stable_sort(contact.phones.begin(), contact.phones.end(),
                     [](const model::Phone& a, const model::Phone& b) { return a.kind < b.kind; });
  }
  if (const xml::Element* list = element.child("PhysicalAddresses")) {
    for (const xml::Element* entry : list->childrenNamed("Entry")) {
      const std::string key = entry->attributeOr("Key", "");
      model::PostalAddress address;
      if (key == "Home") {
        address.kind = model::AddressKind::kHome;
      } else if (key == "Business") {
        address.kind = model::AddressKind::kWork;
      } else if (key == "Other") {
        address.kind = model::AddressKind::kOther;
      } else {
        findings.push_back(finding(item, "ews.field_not_carried", model::Severity::kWarning, "PhysicalAddresses/" + key,
                                   clipped(childText(*entry, "Street")), "", "unknown address key; not carried over"));
        continue;
      }
      address.street = childText(*entry, "Street");
      address.city = childText(*entry, "City");
      address.state = childText(*entry, "State");
      address.postal_code = childText(*entry, "PostalCode");
      // The schema names it CountryOrRegion; Exchange 2007 documentation examples write Country.
      address.country = childText(*entry, "CountryOrRegion");
      setIfEmpty(address.country, childText(*entry, "Country"));
      if (!address.empty()) contact.addresses.push_back(std::move(address));
    }
    std::stable_sort(contact.addresses.begin(), contact.addresses.end(),
                     [](const model::PostalAddress& a, const model::PostalAddress& b) { return a.kind < b.kind; });
  }
  const std::string mailing = childText(element, "PostalAddressIndex");
  if (mailing == "Home") contact.mailing_address = model::AddressKind::kHome;
  if (mailing == "Business") contact.mailing_address = model::AddressKind::kWork;
  if (mailing == "Other") contact.mailing_address = model::AddressKind::kOther;
  contact.company = childText(element, "CompanyName");
  contact.department = childText(element, "Department");
  contact.job_title = childText(element, "JobTitle");
  contact.manager = childText(element, "Manager");
  contact.assistant = childText(element, "AssistantName");
  contact.web_page = childText(element, "BusinessHomePage");
  if (const xml::Element* list = element.child("ImAddresses")) {
    for (const xml::Element* entry : list->childrenNamed("Entry")) {
      if (entry->text.empty()) continue;
      if (contact.im_address.empty()) {
        contact.im_address = entry->text;
      } else {
        findings.push_back(finding(item, "ews.field_not_carried", model::Severity::kWarning,
                                   "ImAddresses/" + entry->attributeOr("Key", ""), entry->text, "",
                                   "the target keeps one IM address; this further one is not carried over"));
      }
    }
  }
  contact.birthday = civilField(element, "Birthday", item, options, findings);
  contact.anniversary = civilField(element, "WeddingAnniversary", item, options, findings);
  contact.notes = bodyText(element.child("Body"));
  commonFields(element, item, contact.categories, findings);
  if (isTrue(childText(element, "HasPicture"))) {
    findings.push_back(finding(item, "contact.photo_not_carried", model::Severity::kInfo, "HasPicture", "true", "",
                               "the photo is an attachment, which an EWS item response does not carry"));
  }
  reportUnhandled(element, item,
                  {"DisplayName", "FileAs", "GivenName", "MiddleName", "Surname", "Nickname", "Initials", "Generation",
                   "CompleteName", "EmailAddresses", "PhoneNumbers", "PhysicalAddresses", "PostalAddressIndex",
                   "CompanyName", "Department", "JobTitle", "Manager", "AssistantName", "BusinessHomePage",
                   "ImAddresses", "Birthday", "WeddingAnniversary", "Body", "Categories", "HasAttachments",
                   "HasPicture", "Subject", "Sensitivity", "Importance"},
                  findings);
  return contact;
}

model::DistList convertDistList(const xml::Element& element, const model::Provenance& item,
                                std::vector<model::Finding>& findings) {
  model::DistList list;
  list.provenance = item;
  list.message_class = childText(element, "ItemClass");
  if (list.message_class.empty()) list.message_class = "IPM.DistList";
  list.name = childText(element, "DisplayName");
  list.file_as = childText(element, "FileAs");
  if (list.name.empty()) list.name = childText(element, "Subject");
  if (const xml::Element* members = element.child("Members")) {
    for (const xml::Element* member : members->childrenNamed("Member")) {
      const xml::Element* mailbox = member->child("Mailbox");
      if (mailbox == nullptr) {
        findings.push_back(finding(item, "distlist.member_unreadable", model::Severity::kWarning, "Members/Member",
                                   member->attributeOr("Key", ""), "", "the member has no Mailbox; it is left out"));
        continue;
      }
      model::DistListMember out;
      out.display_name = childText(*mailbox, "Name");
      out.email = childText(*mailbox, "EmailAddress");
      out.address_type = childText(*mailbox, "RoutingType");
      if (out.address_type.empty() && !out.email.empty()) out.address_type = "SMTP";
      // [MS-OXWSCDATA] MailboxTypeType.
      const std::string type = childText(*mailbox, "MailboxType");
      if (type == "OneOff") {
        out.kind = model::DistListMemberKind::kOneOff;
      } else if (type == "Contact") {
        out.kind = model::DistListMemberKind::kContact;
      } else if (type == "PrivateDL") {
        out.kind = model::DistListMemberKind::kDistList;
      } else if (type == "Mailbox" || type == "PublicDL" || type == "GroupMailbox" || type == "PublicFolder" ||
                 type == "LinkedMailbox") {
        out.kind = model::DistListMemberKind::kAddressBook;
      } else {
        out.kind = model::DistListMemberKind::kUnknown;
      }
      if (out.email.empty()) {
        findings.push_back(finding(item, "distlist.member_without_address", model::Severity::kWarning,
                                   "Members/Member/Mailbox", out.display_name, "",
                                   "the member has no e-mail address; it is kept by name only"));
      }
      list.members.push_back(std::move(out));
    }
  }
  list.notes = bodyText(element.child("Body"));
  commonFields(element, item, list.categories, findings);
  reportUnhandled(element, item,
                  {"DisplayName", "FileAs", "Members", "Body", "Categories", "HasAttachments", "Subject", "Sensitivity",
                   "Importance"},
                  findings);
  return list;
}

model::Task convertTask(const xml::Element& element, const model::Provenance& item, const ItemOptions& options,
                        std::vector<model::Finding>& findings) {
  model::Task task;
  task.provenance = item;
  task.message_class = childText(element, "ItemClass");
  if (task.message_class.empty()) task.message_class = "IPM.Task";
  task.subject = childText(element, "Subject");
  task.body = bodyText(element.child("Body"));
  task.start = civilField(element, "StartDate", item, options, findings);
  task.due = civilField(element, "DueDate", item, options, findings);
  if (const std::string text = childText(element, "CompleteDate"); !text.empty()) {
    task.date_completed = instantOf(text);
    if (!task.date_completed) {
      findings.push_back(finding(item, "ews.value_unreadable", model::Severity::kWarning, "CompleteDate", clipped(text),
                                 "", "not an xs:dateTime; the completion date is left out"));
    }
  }
  const std::string status = childText(element, "Status");
  if (status == "InProgress") task.status = model::TaskStatus::kInProgress;
  if (status == "Completed") task.status = model::TaskStatus::kComplete;
  if (status == "WaitingOnOthers") task.status = model::TaskStatus::kWaitingOnOthers;
  if (status == "Deferred") task.status = model::TaskStatus::kDeferred;
  if (!status.empty() && status != "NotStarted" && status != "InProgress" && status != "Completed" &&
      status != "WaitingOnOthers" && status != "Deferred") {
    findings.push_back(finding(item, "ews.value_unreadable", model::Severity::kWarning, "Status", clipped(status),
                               "NotStarted", "unknown task status"));
  }
  task.complete = task.status == model::TaskStatus::kComplete || isTrue(childText(element, "IsComplete"));
  if (const std::string percent = childText(element, "PercentComplete"); !percent.empty()) {
    // xs:double in the schema; Exchange writes whole numbers.
    const std::string whole = percent.substr(0, percent.find('.'));
    const auto value = digits(whole);
    if (value && *value <= 100) {
      task.percent_complete = *value;
    } else {
      findings.push_back(finding(item, "ews.value_unreadable", model::Severity::kWarning, "PercentComplete",
                                 clipped(percent), "0", "not a percentage 0-100"));
    }
  }
  const std::string importance = childText(element, "Importance");
  if (importance == "Low") task.importance = model::Importance::kLow;
  if (importance == "High") task.importance = model::Importance::kHigh;
  // The schema's name is ReminderIsSet; IsReminderSet is accepted as well.
  if (isTrue(childText(element, "ReminderIsSet")) || isTrue(childText(element, "IsReminderSet"))) {
    task.reminder = instantOf(childText(element, "ReminderDueBy"));
    if (!task.reminder) {
      findings.push_back(finding(item, "ews.value_unreadable", model::Severity::kWarning, "ReminderDueBy",
                                 clipped(childText(element, "ReminderDueBy")), "",
                                 "the reminder is on but has no readable time; it is left out"));
    }
  }
  task.is_recurring = element.child("Recurrence") != nullptr;
  if (task.is_recurring) {
    findings.push_back(finding(item, "recurrence.not_converted", model::Severity::kWarning, "Recurrence", "", "",
                               "task series are not converted; the task is carried over as a single task"));
  }
  task.owner = childText(element, "Owner");
  commonFields(element, item, task.categories, findings);
  const std::string sensitivity = childText(element, "Sensitivity");
  if (!sensitivity.empty() && sensitivity != "Normal") {
    findings.push_back(finding(item, "ews.field_not_carried", model::Severity::kInfo, "Sensitivity", sensitivity, "",
                               "tasks carry no sensitivity in the target"));
  }
  reportUnhandled(element, item,
                  {"Subject", "Body", "StartDate", "DueDate", "CompleteDate", "Status", "PercentComplete", "Importance",
                   "ReminderIsSet", "IsReminderSet", "ReminderDueBy", "Recurrence", "Owner", "Categories",
                   "HasAttachments", "Sensitivity", "IsRecurring", "IsTeamTask", "IsAssignmentEditable",
                   "DelegationState"},
                  findings);
  return task;
}

}  // namespace m2z::readers::ews
