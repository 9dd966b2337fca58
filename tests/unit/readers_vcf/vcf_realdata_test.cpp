// The vCard files of ../shared/testdata/vcf read whole. Every expected value below was read off
// the file text by eye (`cat -A`), as quoted in the comments; photo sizes were worked out with
// Python's base64 module on the indented lines after the PHOTO / X-MS-CARDPICTURE line.
#include <gtest/gtest.h>

#include <string>

#include "contact_sink.h"
#include "readers/vcf/vcf_reader.h"

namespace m2z::readers::vcf {
namespace {

using model::AddressKind;
using model::CivilDate;
using model::PhoneKind;
using testing::address;
using testing::ContactSink;
using testing::phone;

std::string shared(const std::string& name) { return std::string(M2Z_SHARED_DIR) + "/testdata/vcf/" + name; }

ContactSink readShared(const std::string& name) {
  ContactSink sink;
  auto result = readVcardFile(shared(name), sink);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().describe());
  if (result.ok()) {
    // Each file holds one BEGIN:VCARD ... END:VCARD (grep -c BEGIN:VCARD), read as one contact.
    EXPECT_EQ(result->cards_seen, 1);
    EXPECT_EQ(result->contacts, 1);
    EXPECT_EQ(result->skipped, 0);
  }
  EXPECT_EQ(sink.skippedItems(), 0);
  EXPECT_EQ(sink.folders.size(), 1u);
  if (!sink.folders.empty()) {
    EXPECT_EQ(sink.folders[0].path, "/" + name);
  }
  return sink;
}

TEST(VcfRealData, Outlook2003) {
  ContactSink sink = readShared("ez-vcard__outlook-2003.vcf");
  ASSERT_EQ(sink.contacts.size(), 1u);
  const auto& c = sink.contacts[0];
  EXPECT_EQ(c.provenance.source_file, shared("ez-vcard__outlook-2003.vcf"));
  EXPECT_EQ(c.provenance.entry_id, "1");
  // N:Doe;John;;Mr.;III  FN:John Doe III  NICKNAME:Joey
  EXPECT_EQ(c.surname, "Doe");
  EXPECT_EQ(c.given_name, "John");
  EXPECT_EQ(c.middle_name, "");
  EXPECT_EQ(c.prefix, "Mr.");
  EXPECT_EQ(c.suffix, "III");
  EXPECT_EQ(c.display_name, "John Doe III");
  EXPECT_EQ(c.nickname, "Joey");
  // ORG:Company, The;TheDepartment (2.1: the comma is text)  TITLE:The Job Title
  EXPECT_EQ(c.company, "Company, The");
  EXPECT_EQ(c.department, "TheDepartment");
  EXPECT_EQ(c.job_title, "The Job Title");
  // NOTE;ENCODING=QUOTED-PRINTABLE:This is the note field!!=0D=0ASecond line=0D=0A=0D=0AThird line
  // is empty=0D=  followed by a line "=0A".
  EXPECT_EQ(c.notes, "This is the note field!!\r\nSecond line\r\n\r\nThird line is empty\r\n");
  // TEL;WORK;VOICE:BusinessPhone  TEL;HOME;VOICE:HomePhone  TEL;CELL;VOICE:MobilePhone
  // TEL;WORK;FAX:BusinessFaxPhone
  EXPECT_EQ(phone(c, PhoneKind::kBusiness), "BusinessPhone");
  EXPECT_EQ(phone(c, PhoneKind::kHome), "HomePhone");
  EXPECT_EQ(phone(c, PhoneKind::kMobile), "MobilePhone");
  EXPECT_EQ(phone(c, PhoneKind::kBusinessFax), "BusinessFaxPhone");
  EXPECT_EQ(c.phones.size(), 4u);
  // ADR;WORK:;TheOffice;123 Main St;Austin;TX;12345;United States of America, and the QP LABEL
  // "TheOffice=0D=0A123 Main St=0D=0AAustin, TX 12345=0D=0AUnited States of Ameri=" + "ca".
  ASSERT_EQ(c.addresses.size(), 1u);
  const auto* work = address(c, AddressKind::kWork);
  ASSERT_NE(work, nullptr);
  EXPECT_EQ(work->post_office_box, "");
  EXPECT_EQ(work->street, "TheOffice\n123 Main St");
  EXPECT_EQ(work->city, "Austin");
  EXPECT_EQ(work->state, "TX");
  EXPECT_EQ(work->postal_code, "12345");
  EXPECT_EQ(work->country, "United States of America");
  EXPECT_EQ(work->formatted, "TheOffice\r\n123 Main St\r\nAustin, TX 12345\r\nUnited States of America");
  // URL;WORK:http://web-page-address.com  BDAY:19800321  EMAIL;PREF;INTERNET:jdoe@hotmail.com
  EXPECT_EQ(c.web_page, "http://web-page-address.com");
  EXPECT_EQ(c.birthday, (CivilDate{1980, 3, 21}));
  ASSERT_EQ(c.emails.size(), 1u);
  EXPECT_EQ(c.emails[0].address, "jdoe@hotmail.com");
  EXPECT_FALSE(c.photo.has_value());
  // ROLE:TheProfession, the KEY;X509 certificate and FBURL have no field in the model.
  const auto* not_carried = sink.find("vcf.properties_not_carried");
  ASSERT_NE(not_carried, nullptr);
  EXPECT_EQ(not_carried->before, "FBURL, KEY, ROLE");
}

TEST(VcfRealData, JohnDoeMsOutlook) {
  ContactSink sink = readShared("ez-vcard__John_Doe_MS_OUTLOOK.vcf");
  ASSERT_EQ(sink.contacts.size(), 1u);
  const auto& c = sink.contacts[0];
  // N;LANGUAGE=en-us:Doe;John;Richter,James;Mr.;Sr.  FN:Mr. John Richter James Doe Sr.
  EXPECT_EQ(c.surname, "Doe");
  EXPECT_EQ(c.given_name, "John");
  EXPECT_EQ(c.middle_name, "Richter James");
  EXPECT_EQ(c.prefix, "Mr.");
  EXPECT_EQ(c.suffix, "Sr.");
  EXPECT_EQ(c.display_name, "Mr. John Richter James Doe Sr.");
  EXPECT_EQ(c.nickname, "Johny");
  EXPECT_EQ(c.company, "IBM");
  EXPECT_EQ(c.department, "Accounting");
  EXPECT_EQ(c.job_title, "Money Counter");
  // NOTE: one 731-character line from "THIS SOFTWARE IS PROVIDED" to "SUCH DAMAGE."
  EXPECT_EQ(c.notes.size(), 731u);
  EXPECT_EQ(c.notes.rfind("THIS SOFTWARE IS PROVIDED BY GEORGE EL-HADDAD", 0), 0u);
  EXPECT_EQ(c.notes.substr(c.notes.size() - 12), "SUCH DAMAGE.");
  // TEL;WORK;VOICE:(905) 555-1234  TEL;HOME;VOICE:(905) 666-1234
  EXPECT_EQ(phone(c, PhoneKind::kBusiness), "(905) 555-1234");
  EXPECT_EQ(phone(c, PhoneKind::kHome), "(905) 666-1234");
  EXPECT_EQ(c.phones.size(), 2u);
  // ADR;WORK;PREF:;;Cresent moon drive;Albaney;New York;12345;United States of America and
  // LABEL;WORK;PREF;ENCODING=QUOTED-PRINTABLE:Cresent moon drive=0D=0A= / Albaney, New York  12345
  ASSERT_EQ(c.addresses.size(), 2u);
  const auto* work = address(c, AddressKind::kWork);
  ASSERT_NE(work, nullptr);
  EXPECT_EQ(work->street, "Cresent moon drive");
  EXPECT_EQ(work->city, "Albaney");
  EXPECT_EQ(work->state, "New York");
  EXPECT_EQ(work->postal_code, "12345");
  EXPECT_EQ(work->country, "United States of America");
  EXPECT_EQ(work->formatted, "Cresent moon drive\r\nAlbaney, New York  12345");
  // ADR;HOME:;;Silicon Alley 5,;New York;New York;12345;United States of America
  const auto* home = address(c, AddressKind::kHome);
  ASSERT_NE(home, nullptr);
  EXPECT_EQ(home->street, "Silicon Alley 5,");
  EXPECT_EQ(home->city, "New York");
  EXPECT_EQ(home->formatted, "Silicon Alley 5,\r\nNew York, New York  12345");
  // X-MS-OL-DEFAULT-POSTAL-ADDRESS:2 = work (PidLidPostalAddressId)
  EXPECT_EQ(c.mailing_address, AddressKind::kWork);
  EXPECT_EQ(c.web_page, "http://www.ibm.com");
  // BDAY:19800322  X-MS-ANNIVERSARY:20110113
  EXPECT_EQ(c.birthday, (CivilDate{1980, 3, 22}));
  EXPECT_EQ(c.anniversary, (CivilDate{2011, 1, 13}));
  ASSERT_EQ(c.emails.size(), 1u);
  EXPECT_EQ(c.emails[0].address, "john.doe@ibm.cm");
  EXPECT_EQ(c.im_address, "johny5@aol.com");
  EXPECT_EQ(c.manager, "Big Blue");
  EXPECT_EQ(c.assistant, "Jenny");
  // PHOTO;TYPE=JPEG;ENCODING=BASE64: 860 bytes, FF D8 FF E0 ... FF D9.
  ASSERT_TRUE(c.photo.has_value());
  EXPECT_EQ(c.photo->mime_type, "image/jpeg");
  EXPECT_EQ(c.photo->extension, ".jpg");
  ASSERT_EQ(c.photo->data.size(), 860u);
  EXPECT_EQ(c.photo->data[0], 0xFF);
  EXPECT_EQ(c.photo->data[1], 0xD8);
  EXPECT_EQ(c.photo->data[858], 0xFF);
  EXPECT_EQ(c.photo->data[859], 0xD9);
  const auto* not_carried = sink.find("vcf.properties_not_carried");
  ASSERT_NE(not_carried, nullptr);
  EXPECT_EQ(not_carried->before, "ROLE, X-MS-OL-DESIGN");
}

TEST(VcfRealData, AsposeNetOutlook2007Export) {
  ContactSink sink = readShared("aspose-net__Contact.vcf");
  ASSERT_EQ(sink.contacts.size(), 1u);
  const auto& c = sink.contacts[0];
  // N;LANGUAGE=en-us:LastName;FirstName  FN:FirstName LastName  EMAIL;PREF;INTERNET:user@domain.com
  EXPECT_EQ(c.surname, "LastName");
  EXPECT_EQ(c.given_name, "FirstName");
  EXPECT_EQ(c.display_name, "FirstName LastName");
  ASSERT_EQ(c.emails.size(), 1u);
  EXPECT_EQ(c.emails[0].address, "user@domain.com");
  // X-MS-CARDPICTURE;TYPE=JPEG;ENCODING=BASE64: 1063 bytes of JPEG.
  ASSERT_TRUE(c.photo.has_value());
  EXPECT_EQ(c.photo->mime_type, "image/jpeg");
  EXPECT_EQ(c.photo->data.size(), 1063u);
  // X-MS-OL-DEFAULT-POSTAL-ADDRESS:0 = none, and there is no address.
  EXPECT_FALSE(c.mailing_address.has_value());
  EXPECT_TRUE(c.addresses.empty());
  const auto* not_carried = sink.find("vcf.properties_not_carried");
  ASSERT_NE(not_carried, nullptr);
  EXPECT_EQ(not_carried->before, "X-MS-OL-DESIGN");
}

TEST(VcfRealData, AsposeJavaWithSoftBreakBeforeEmptyLine) {
  ContactSink sink = readShared("aspose-java__OutlookContact.vcf");
  ASSERT_EQ(sink.contacts.size(), 1u);
  const auto& c = sink.contacts[0];
  // N:Mellissa;MacBeth (family name first, as written)  TITLE / ORG
  EXPECT_EQ(c.surname, "Mellissa");
  EXPECT_EQ(c.given_name, "MacBeth");
  EXPECT_EQ(c.job_title, "Account Representative");
  EXPECT_EQ(c.company, "Contoso Ltd.");
  EXPECT_EQ(phone(c, PhoneKind::kHome), "(831) 758-7257");
  EXPECT_EQ(phone(c, PhoneKind::kBusiness), "(831) 758-7285");
  EXPECT_EQ(phone(c, PhoneKind::kMobile), "(831) 758-7368");
  EXPECT_EQ(phone(c, PhoneKind::kPager), "(831) 758-7368");
  EXPECT_EQ(phone(c, PhoneKind::kCar), "(831) 758-7201");
  EXPECT_EQ(phone(c, PhoneKind::kIsdn), "(831) 758-7381");
  EXPECT_EQ(phone(c, PhoneKind::kPrimary), "(831) 758-7334");  // TEL;TYPE=PREF
  EXPECT_EQ(phone(c, PhoneKind::kOther), "(831) 758-7201");    // TEL;TYPE=VOICE
  EXPECT_EQ(phone(c, PhoneKind::kTelex), "(831) 758-7408");
  EXPECT_EQ(phone(c, PhoneKind::kCallback), "(831) 758-7321 (After hours");
  EXPECT_EQ(phone(c, PhoneKind::kRadio), "(831) 758-7234");
  EXPECT_EQ(phone(c, PhoneKind::kCompanyMain), "(831) 758-7368");
  EXPECT_EQ(phone(c, PhoneKind::kTtyTdd), "(800) 806-4474");
  EXPECT_EQ(phone(c, PhoneKind::kAssistant), "(831) 758-7214");
  EXPECT_EQ(c.phones.size(), 14u);
  ASSERT_EQ(c.emails.size(), 1u);
  EXPECT_EQ(c.emails[0].address, "melissa@contoso.com");
  // ADR;TYPE=WORK;ENCODING=QUOTED-PRINTABLE:144 Hitchcock Rd, Salinas, CA 93908= then an empty
  // line: the soft break joins the empty line, and the unstructured text lands in the street.
  ASSERT_EQ(c.addresses.size(), 1u);
  EXPECT_EQ(c.addresses[0].kind, AddressKind::kWork);
  EXPECT_EQ(c.addresses[0].street, "144 Hitchcock Rd, Salinas, CA 93908");
  EXPECT_EQ(c.addresses[0].formatted, "144 Hitchcock Rd, Salinas, CA 93908");
  EXPECT_EQ(sink.find("vcf.properties_not_carried"), nullptr);
}

TEST(VcfRealData, RubyMsgSwetlanaNovikova) {
  ContactSink sink = readShared("ruby-msg__Swetlana Novikova.vcf");
  ASSERT_EQ(sink.contacts.size(), 1u);
  const auto& c = sink.contacts[0];
  // N:Novikova;Swetlana  FN:Swetlana Novikova  ORG:Scalabium Software
  // URL;WORK:http://www.scalabium.com  EMAIL;PREF;INTERNET:support@scalabium.com
  EXPECT_EQ(c.surname, "Novikova");
  EXPECT_EQ(c.given_name, "Swetlana");
  EXPECT_EQ(c.display_name, "Swetlana Novikova");
  EXPECT_EQ(c.company, "Scalabium Software");
  EXPECT_EQ(c.web_page, "http://www.scalabium.com");
  ASSERT_EQ(c.emails.size(), 1u);
  EXPECT_EQ(c.emails[0].address, "support@scalabium.com");
  EXPECT_TRUE(sink.findings.empty());
}

}  // namespace
}  // namespace m2z::readers::vcf
