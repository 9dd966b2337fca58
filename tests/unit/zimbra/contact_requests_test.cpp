// Contact and contact-group request builders and their response readers, checked against XML
// written out by hand from soap.txt ("Contacts", CreateContactRequest, GetContactsRequest) and
// Zimbra's contact attribute names (ContactConstants: firstName, workPhone, homeStreet, ...).
#include <gtest/gtest.h>

#include "xml/xml.h"
#include "zimbra/client.h"
#include "zimbra/contact_requests.h"

namespace m2z::zimbra {
namespace {

model::Contact janeDoe() {
  model::Contact contact;
  contact.provenance = model::Provenance{"/data/jane.pst", "/Contacts", "2097220"};
  contact.display_name = "Jane Doe";
  contact.file_as = "Doe, Jane";
  contact.given_name = "Jane";
  contact.middle_name = "Q";
  contact.surname = "Doe";
  contact.prefix = "Dr.";
  contact.suffix = "Jr.";
  contact.nickname = "JD";
  contact.emails = {{1, "jane@example.com", "Jane Doe (jane@example.com)", "SMTP"},
                    {2, "/o=Org/ou=Exchange/cn=Recipients/cn=jane", "Jane (EX)", "EX"},
                    {3, "jd@example.org", "", "SMTP"}};
  contact.phones = {{model::PhoneKind::kBusiness, "+49 30 1234"},
                    {model::PhoneKind::kHome, "+49 30 5678"},
                    {model::PhoneKind::kMobile, "+49 170 1"},
                    {model::PhoneKind::kIsdn, "111"},
                    {model::PhoneKind::kTelex, "222"}};
  model::PostalAddress work;
  work.kind = model::AddressKind::kWork;
  work.street = "Main St 1";
  work.city = "Berlin";
  work.postal_code = "10115";
  work.country = "Germany";
  work.post_office_box = "PO Box 7";
  contact.addresses = {work};
  contact.company = "Example & Co";
  contact.job_title = "CTO";
  contact.manager = "Max";
  contact.web_page = "https://example.com";
  contact.birthday = model::CivilDate{1980, 2, 29};
  contact.anniversary = model::CivilDate{2005, 6, 1};
  contact.notes = "line 1\nline 2";
  contact.categories = {"Family", "A,B", ""};
  return contact;
}

TEST(ContactAttributes, EveryFieldUnderItsZimbraName) {
  // Expected by hand: ContactConstants names in the builder's fixed order; the EX address is left
  // out and the third address moves up to "email2"; ISDN and telex have no Zimbra field and go
  // to otherPhone, otherPhone2; the PO box is the street's second line; dates are yyyy-MM-dd
  // (soap.txt: "birthday" and "anniversary" SHOULD use "yyyy-MM-dd"); file-as "8:" is explicit.
  const std::vector<ContactAttribute> expected = {
      {"firstName", "Jane"},          {"middleName", "Q"},
      {"lastName", "Doe"},            {"namePrefix", "Dr."},
      {"nameSuffix", "Jr."},          {"nickname", "JD"},
      {"fullName", "Jane Doe"},       {"fileAs", "8:Doe, Jane"},
      {"email", "jane@example.com"},  {"email2", "jd@example.org"},
      {"workPhone", "+49 30 1234"},   {"homePhone", "+49 30 5678"},
      {"mobilePhone", "+49 170 1"},   {"otherPhone", "111"},
      {"otherPhone2", "222"},         {"workStreet", "Main St 1\nPO Box 7"},
      {"workCity", "Berlin"},         {"workPostalCode", "10115"},
      {"workCountry", "Germany"},     {"company", "Example & Co"},
      {"jobTitle", "CTO"},            {"otherMgrName", "Max"},
      {"workURL", "https://example.com"}, {"birthday", "1980-02-29"},
      {"anniversary", "2005-06-01"},  {"notes", "line 1\nline 2"},
      {"mapi2zimbraSource", "fp1"}};
  EXPECT_EQ(contactAttributes(janeDoe(), "fp1"), expected);
}

TEST(CreateContactRequest, ExactBody) {
  model::Contact contact;
  contact.provenance = model::Provenance{"/data/a.pst", "/Contacts", "1"};
  contact.given_name = "Ann";
  contact.surname = "O'Neil <x>";
  contact.emails = {{1, "ann@example.com", "", "SMTP"}};
  contact.birthday = model::CivilDate{1999, 12, 31};
  contact.categories = {"Work", "A,B"};
  auto body = buildCreateContactRequest(contact, "7", "abc");
  ASSERT_TRUE(body.ok()) << body.error().describe();
  // Categories become tag names; the comma inside one (tn's separator) becomes a space.
  EXPECT_EQ(*body,
            "<CreateContactRequest xmlns=\"urn:zimbraMail\">\n"
            "  <cn l=\"7\" tn=\"Work,A B\">\n"
            "    <a n=\"firstName\">Ann</a>\n"
            "    <a n=\"lastName\">O'Neil &lt;x&gt;</a>\n"
            "    <a n=\"email\">ann@example.com</a>\n"
            "    <a n=\"birthday\">1999-12-31</a>\n"
            "    <a n=\"mapi2zimbraSource\">abc</a>\n"
            "  </cn>\n"
            "</CreateContactRequest>\n");
}

TEST(CreateContactRequest, NoFolderIsAnErrorNamingTheItem) {
  auto body = buildCreateContactRequest(janeDoe(), "", "fp");
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().code, "request.invalid_item");
  EXPECT_NE(body.error().context.find("/data/jane.pst:/Contacts#2097220"), std::string::npos);
}

TEST(CreateContactGroupRequest, GroupWithContactAndInlineMembers) {
  model::DistList list;
  list.provenance = model::Provenance{"/data/a.pst", "/Contacts", "9"};
  list.name = "Team";
  list.notes = "n";
  auto body = buildCreateContactGroupRequest(list, {{"C", "257"}, {"I", "\"Ann\" <ann@example.com>"}}, "7", "fp");
  ASSERT_TRUE(body.ok()) << body.error().describe();
  // soap.txt: a group is type=group with <m type value/>; "8:Team" is its explicit file-as.
  EXPECT_EQ(*body,
            "<CreateContactRequest xmlns=\"urn:zimbraMail\">\n"
            "  <cn l=\"7\">\n"
            "    <a n=\"type\">group</a>\n"
            "    <a n=\"fileAs\">8:Team</a>\n"
            "    <a n=\"nickname\">Team</a>\n"
            "    <a n=\"notes\">n</a>\n"
            "    <a n=\"mapi2zimbraSource\">fp</a>\n"
            "    <m type=\"C\" value=\"257\"/>\n"
            "    <m type=\"I\" value=\"&quot;Ann&quot; &lt;ann@example.com&gt;\"/>\n"
            "  </cn>\n"
            "</CreateContactRequest>\n");
}

TEST(CreateContactGroupRequest, MoreThanAThousandFieldsFailsAsZimbraWould) {
  model::DistList list;
  list.provenance = model::Provenance{"/data/a.pst", "/Contacts", "9"};
  list.name = "Everyone";
  // type, fileAs, nickname: 3 fields; 998 members make 1001 > Contact.MAX_FIELD_COUNT (1000).
  std::vector<GroupMember> members(998, GroupMember{"I", "x@example.com"});
  auto body = buildCreateContactGroupRequest(list, members, "7", "");
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().code, "mail.CONTACT_TOO_BIG");
  members.pop_back();  // 1000 fields: allowed
  EXPECT_TRUE(buildCreateContactGroupRequest(list, members, "7", "").ok());
}

TEST(InlineMemberValue, QuotedNameAndAddress) {
  EXPECT_EQ(inlineMemberValue("Ann", "ann@example.com"), "\"Ann\" <ann@example.com>");
  EXPECT_EQ(inlineMemberValue("Say \"hi\"", "a@b.c"), "\"Say \\\"hi\\\"\" <a@b.c>");
  EXPECT_EQ(inlineMemberValue("", "a@b.c"), "a@b.c");
  EXPECT_EQ(inlineMemberValue("a@b.c", "a@b.c"), "a@b.c");
}

TEST(ClientInlineMembers, OnlyMembersWithAnAddress) {
  model::DistList list;
  list.members = {{model::DistListMemberKind::kOneOff, "Ann", "SMTP", "ann@example.com", ""},
                  {model::DistListMemberKind::kAddressBook, "Bob", "EX", "/o=Org/cn=bob", ""}};
  const std::vector<GroupMember> expected = {{"I", "\"Ann\" <ann@example.com>"}};
  EXPECT_EQ(ZimbraClient::inlineMembers(list), expected);
}

TEST(GetContactsRequest, FolderOnly) {
  EXPECT_EQ(buildGetContactsRequest("7"), "<GetContactsRequest xmlns=\"urn:zimbraMail\" l=\"7\"/>\n");
}

TEST(ContactResponses, CreatedAndListed) {
  // Shapes from soap.txt's GetContactsResponse example.
  auto created = xml::parse("<CreateContactResponse xmlns=\"urn:zimbraMail\"><cn id=\"acc:258\" l=\"acc:7\"/>"
                            "</CreateContactResponse>", "test");
  ASSERT_TRUE(created.ok());
  auto ref = readCreatedContact(*created, "7");
  ASSERT_TRUE(ref.ok()) << ref.error().describe();
  EXPECT_EQ(ref->id, "acc:258");
  EXPECT_EQ(ref->folder_id, "acc:7");

  auto listed = xml::parse(
      "<GetContactsResponse xmlns=\"urn:zimbraMail\">"
      "<cn id=\"680\" fileAsStr=\"group1\" l=\"7\"><a n=\"nickname\">group one</a><a n=\"type\">group</a>"
      "<m value=\"user@zimbra.com\" type=\"I\"/><m value=\"282\" type=\"C\"><cn id=\"282\"/></m></cn>"
      "<cn id=\"282\" l=\"7\"><a n=\"lastName\">Smith</a></cn></GetContactsResponse>",
      "test");
  ASSERT_TRUE(listed.ok());
  auto contacts = readContacts(*listed);
  ASSERT_TRUE(contacts.ok()) << contacts.error().describe();
  ASSERT_EQ(contacts->size(), 2u);
  EXPECT_EQ((*contacts)[0].id, "680");
  EXPECT_EQ((*contacts)[0].attrs.at("type"), "group");
  const std::vector<std::pair<std::string, std::string>> members = {{"I", "user@zimbra.com"}, {"C", "282"}};
  EXPECT_EQ((*contacts)[0].members, members);
  EXPECT_EQ((*contacts)[1].attrs.at("lastName"), "Smith");

  auto wrong = xml::parse("<GetFolderResponse/>", "test");
  EXPECT_EQ(readContacts(*wrong).error().code, "soap.unexpected");
  auto no_id = xml::parse("<CreateContactResponse><cn/></CreateContactResponse>", "test");
  EXPECT_EQ(readCreatedContact(*no_id, "7").error().code, "soap.unexpected");
}

}  // namespace
}  // namespace m2z::zimbra
