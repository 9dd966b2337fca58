// The vCard reader on inline cards: the examples of RFC 2426 (3.0) and RFC 6350 (4.0), cards in the
// shape Outlook writes (2.1), and broken input. Expected values are read off the card texts.
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

ContactSink read(const std::string& text, VcfReadSummary* summary = nullptr, const VcfReadOptions& options = {}) {
  ContactSink sink;
  auto result = readVcardText(text, "test/cards.vcf", sink, options);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().describe());
  if (result.ok() && summary != nullptr) *summary = *result;
  return sink;
}

TEST(VcfReader, Rfc2426Section8Example) {
  // RFC 2426 section 8, both cards, CRLF line ends and folded ADR lines as in the RFC.
  const std::string text =
      "BEGIN:vCard\r\nVERSION:3.0\r\nFN:Frank Dawson\r\nORG:Lotus Development Corporation\r\n"
      "ADR;TYPE=WORK,POSTAL,PARCEL:;;6544 Battleford Drive\r\n ;Raleigh;NC;27613-3502;U.S.A.\r\n"
      "TEL;TYPE=VOICE,MSG,WORK:+1-919-676-9515\r\nTEL;TYPE=FAX,WORK:+1-919-676-9564\r\n"
      "EMAIL;TYPE=INTERNET,PREF:Frank_Dawson@Lotus.com\r\nEMAIL;TYPE=INTERNET:fdawson@earthlink.net\r\n"
      "URL:http://home.earthlink.net/~fdawson\r\nEND:vCard\r\n\r\n"
      "BEGIN:vCard\r\nVERSION:3.0\r\nFN:Tim Howes\r\nORG:Netscape Communications Corp.\r\n"
      "ADR;TYPE=WORK:;;501 E. Middlefield Rd.;Mountain View;\r\n CA; 94043;U.S.A.\r\n"
      "TEL;TYPE=VOICE,MSG,WORK:+1-415-937-3419\r\nTEL;TYPE=FAX,WORK:+1-415-528-4164\r\n"
      "EMAIL;TYPE=INTERNET:howes@netscape.com\r\nEND:vCard\r\n";
  VcfReadSummary summary;
  ContactSink sink = read(text, &summary);
  EXPECT_EQ(summary.cards_seen, 2);
  EXPECT_EQ(summary.contacts, 2);
  EXPECT_EQ(summary.skipped, 0);
  ASSERT_EQ(sink.folders.size(), 1u);
  EXPECT_EQ(sink.folders[0].path, "/cards.vcf");
  EXPECT_EQ(sink.folders[0].container_class, "IPF.Contact");
  ASSERT_EQ(sink.contacts.size(), 2u);

  const auto& frank = sink.contacts[0];
  EXPECT_EQ(frank.display_name, "Frank Dawson");
  EXPECT_EQ(frank.company, "Lotus Development Corporation");
  EXPECT_EQ(frank.provenance.entry_id, "1");
  EXPECT_EQ(frank.provenance.source_file, "test/cards.vcf");
  const auto* work = address(frank, AddressKind::kWork);
  ASSERT_NE(work, nullptr);
  EXPECT_EQ(work->street, "6544 Battleford Drive");
  EXPECT_EQ(work->city, "Raleigh");
  EXPECT_EQ(work->state, "NC");
  EXPECT_EQ(work->postal_code, "27613-3502");
  EXPECT_EQ(work->country, "U.S.A.");
  EXPECT_EQ(phone(frank, PhoneKind::kBusiness), "+1-919-676-9515");
  EXPECT_EQ(phone(frank, PhoneKind::kBusinessFax), "+1-919-676-9564");
  ASSERT_EQ(frank.emails.size(), 2u);
  EXPECT_EQ(frank.emails[0].address, "Frank_Dawson@Lotus.com");
  EXPECT_EQ(frank.emails[0].slot, 1);
  EXPECT_EQ(frank.emails[0].address_type, "SMTP");
  EXPECT_EQ(frank.emails[1].address, "fdawson@earthlink.net");
  EXPECT_EQ(frank.emails[1].slot, 2);
  EXPECT_EQ(frank.web_page, "http://home.earthlink.net/~fdawson");

  const auto& tim = sink.contacts[1];
  EXPECT_EQ(tim.provenance.entry_id, "2");
  const auto* tim_work = address(tim, AddressKind::kWork);
  ASSERT_NE(tim_work, nullptr);
  EXPECT_EQ(tim_work->city, "Mountain View");
  EXPECT_EQ(tim_work->state, "CA");
  EXPECT_EQ(tim_work->postal_code, "94043");  // written " 94043" after the fold
}

TEST(VcfReader, Rfc2426TypeExamples) {
  // RFC 2426 3.1.2 N, 3.1.3 NICKNAME, 3.2.1 ADR, 3.2.2 LABEL, 3.5.5 ORG, 3.6.1 CATEGORIES, 3.6.2 NOTE.
  const std::string text =
      "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Stevenson;John;Philip,Paul;Dr.;Jr.,M.D.,A.C.P.\r\n"
      "NICKNAME:Jim,Jimmie\r\nTITLE:Director\\, Research and Development\r\nROLE:Programmer\r\n"
      "ORG:ABC\\, Inc.;North American Division;Marketing\r\n"
      "ADR;TYPE=dom,home,postal,parcel:;;123 Main Street;Any Town;CA;91921-1234\r\n"
      "LABEL;TYPE=dom,home,postal,parcel:Mr.John Q. Public\\, Esq.\\nMail Drop: TNE QB\\n123 Main Street\\n"
      "Any Town\\, CA  91921-1234\\nU.S.A.\r\n"
      "CATEGORIES:INTERNET,IETF,INDUSTRY,INFORMATION TECHNOLOGY\r\n"
      "NOTE:This fax number is operational 0800 to 1715\\n EST\\, Mon-Fri.\r\n"
      "TEL;TYPE=work,voice,pref,msg:+1-213-555-1234\r\nUID:19950401-080045-40000F192713-0052\r\nEND:VCARD\r\n";
  ContactSink sink = read(text);
  ASSERT_EQ(sink.contacts.size(), 1u);
  const auto& c = sink.contacts[0];
  EXPECT_EQ(c.surname, "Stevenson");
  EXPECT_EQ(c.given_name, "John");
  EXPECT_EQ(c.middle_name, "Philip Paul");
  EXPECT_EQ(c.prefix, "Dr.");
  EXPECT_EQ(c.suffix, "Jr. M.D. A.C.P.");
  // No FN: the display name is built from N in Outlook's order.
  EXPECT_EQ(c.display_name, "Dr. John Philip Paul Stevenson Jr. M.D. A.C.P.");
  EXPECT_EQ(c.nickname, "Jim, Jimmie");
  EXPECT_EQ(c.job_title, "Director, Research and Development");
  EXPECT_EQ(c.company, "ABC, Inc.");
  EXPECT_EQ(c.department, "North American Division, Marketing");
  const auto* home = address(c, AddressKind::kHome);
  ASSERT_NE(home, nullptr);
  EXPECT_EQ(home->street, "123 Main Street");
  EXPECT_EQ(home->postal_code, "91921-1234");
  EXPECT_EQ(home->country, "");
  EXPECT_EQ(home->formatted,
            "Mr.John Q. Public, Esq.\nMail Drop: TNE QB\n123 Main Street\nAny Town, CA  91921-1234\nU.S.A.");
  EXPECT_EQ(c.categories, (std::vector<std::string>{"INTERNET", "IETF", "INDUSTRY", "INFORMATION TECHNOLOGY"}));
  EXPECT_EQ(c.notes, "This fax number is operational 0800 to 1715\n EST, Mon-Fri.");
  EXPECT_EQ(phone(c, PhoneKind::kBusiness), "+1-213-555-1234");
  // ROLE has no field in the model: named in the one finding about properties not carried.
  const auto* not_carried = sink.find("vcf.properties_not_carried");
  ASSERT_NE(not_carried, nullptr);
  EXPECT_EQ(not_carried->before, "ROLE");
  EXPECT_FALSE(not_carried->item_skipped);
}

TEST(VcfReader, Rfc6350Section8Example) {
  // RFC 6350 section 8, the author's card.
  const std::string text =
      "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Simon Perreault\r\nN:Perreault;Simon;;;ing. jr,M.Sc.\r\n"
      "BDAY:--0203\r\nANNIVERSARY:20090808T1430-0500\r\nGENDER:M\r\nLANG;PREF=1:fr\r\nLANG;PREF=2:en\r\n"
      "ORG;TYPE=work:Viagenie\r\nADR;TYPE=work:;Suite D2-630;2875 Laurier;\r\n Quebec;QC;G1V 2M2;Canada\r\n"
      "TEL;VALUE=uri;TYPE=\"work,voice\";PREF=1:tel:+1-418-656-9254;ext=102\r\n"
      "TEL;VALUE=uri;TYPE=\"work,cell,voice,video,text\":tel:+1-418-262-6501\r\n"
      "EMAIL;TYPE=work:simon.perreault@viagenie.ca\r\nGEO;TYPE=work:geo:46.772673,-71.282945\r\n"
      "KEY;TYPE=work;VALUE=uri:\r\n http://www.viagenie.ca/simon.perreault/simon.asc\r\nTZ:-0500\r\n"
      "URL;TYPE=home:http://nomis80.org\r\nEND:VCARD\r\n";
  ContactSink sink = read(text);
  ASSERT_EQ(sink.contacts.size(), 1u);
  const auto& c = sink.contacts[0];
  EXPECT_EQ(c.display_name, "Simon Perreault");
  EXPECT_EQ(c.surname, "Perreault");
  EXPECT_EQ(c.given_name, "Simon");
  EXPECT_EQ(c.suffix, "ing. jr M.Sc.");
  // --0203: 3 February, no year (kept with year 1604 and said so).
  EXPECT_EQ(c.birthday, (CivilDate{1604, 2, 3}));
  EXPECT_NE(sink.find("contact.date_without_year"), nullptr);
  // 20090808T1430-0500: the day as written, not shifted to UTC (19:30Z is still the 8th, but the
  // reader never shifts at all).
  EXPECT_EQ(c.anniversary, (CivilDate{2009, 8, 8}));
  EXPECT_EQ(c.company, "Viagenie");
  const auto* work = address(c, AddressKind::kWork);
  ASSERT_NE(work, nullptr);
  EXPECT_EQ(work->street, "Suite D2-630\n2875 Laurier");
  EXPECT_EQ(work->city, "Quebec");
  EXPECT_EQ(work->state, "QC");
  EXPECT_EQ(work->postal_code, "G1V 2M2");
  EXPECT_EQ(work->country, "Canada");
  EXPECT_EQ(phone(c, PhoneKind::kBusiness), "+1-418-656-9254 ext. 102");
  EXPECT_EQ(phone(c, PhoneKind::kMobile), "+1-418-262-6501");
  ASSERT_EQ(c.emails.size(), 1u);
  EXPECT_EQ(c.emails[0].address, "simon.perreault@viagenie.ca");
  EXPECT_EQ(c.web_page, "http://nomis80.org");
  const auto* not_carried = sink.find("vcf.properties_not_carried");
  ASSERT_NE(not_carried, nullptr);
  EXPECT_EQ(not_carried->before, "GENDER, GEO, KEY, LANG (2), TZ");
}

TEST(VcfReader, Rfc6350GroupWithMembersFurtherDown) {
  // RFC 6350 6.6.5 example: the group comes first and names its members by UID.
  const std::string text =
      "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:The Doe family\r\n"
      "MEMBER:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af\r\n"
      "MEMBER:urn:uuid:b8767877-b4a1-4c70-9acc-505d3819e519\r\nEND:VCARD\r\n"
      "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:John Doe\r\nUID:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af\r\n"
      "END:VCARD\r\n"
      "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Jane Doe\r\nUID:urn:uuid:b8767877-b4a1-4c70-9acc-505d3819e519\r\n"
      "EMAIL:jane@example.com\r\nEND:VCARD\r\n"
      "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:Funky distribution list\r\n"
      "MEMBER:mailto:subscriber1@example.com\r\nMEMBER:xmpp:subscriber2@example.com\r\nEND:VCARD\r\n";
  VcfReadSummary summary;
  ContactSink sink = read(text, &summary);
  EXPECT_EQ(summary.cards_seen, 4);
  EXPECT_EQ(summary.contacts, 2);
  EXPECT_EQ(summary.dist_lists, 2);
  ASSERT_EQ(sink.lists.size(), 2u);
  const auto& family = sink.lists[0];
  EXPECT_EQ(family.name, "The Doe family");
  EXPECT_EQ(family.message_class, "IPM.DistList");
  EXPECT_EQ(family.provenance.entry_id, "1");
  ASSERT_EQ(family.members.size(), 2u);
  EXPECT_EQ(family.members[0].kind, model::DistListMemberKind::kContact);
  EXPECT_EQ(family.members[0].display_name, "John Doe");
  EXPECT_EQ(family.members[0].target_entry_id, "2");
  EXPECT_EQ(family.members[1].display_name, "Jane Doe");
  EXPECT_EQ(family.members[1].email, "jane@example.com");
  EXPECT_EQ(family.members[1].target_entry_id, "3");
  const auto& funky = sink.lists[1];
  ASSERT_EQ(funky.members.size(), 2u);
  EXPECT_EQ(funky.members[0].kind, model::DistListMemberKind::kOneOff);
  EXPECT_EQ(funky.members[0].email, "subscriber1@example.com");
  EXPECT_EQ(funky.members[1].kind, model::DistListMemberKind::kUnknown);
  const auto* unresolved = sink.find("distlist.member_unresolved");
  ASSERT_NE(unresolved, nullptr);
  EXPECT_EQ(unresolved->before, "xmpp:subscriber2@example.com");
}

TEST(VcfReader, AppleGroupOf30) {
  // Apple Contacts' 3.0 groups: X-ADDRESSBOOKSERVER-KIND / -MEMBER.
  const std::string text =
      "BEGIN:VCARD\nVERSION:3.0\nFN:Ann\nUID:A-1\nEMAIL;type=INTERNET;type=pref:ann@example.com\nEND:VCARD\n"
      "BEGIN:VCARD\nVERSION:3.0\nX-ADDRESSBOOKSERVER-KIND:group\nFN:Friends\n"
      "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:a-1\nEND:VCARD\n";
  ContactSink sink = read(text);
  ASSERT_EQ(sink.lists.size(), 1u);
  ASSERT_EQ(sink.lists[0].members.size(), 1u);
  EXPECT_EQ(sink.lists[0].members[0].email, "ann@example.com");
  EXPECT_EQ(sink.lists[0].members[0].target_entry_id, "1");
}

TEST(VcfReader, Outlook21PhonesAndQuotedPrintable) {
  // The shapes Outlook 2003 writes (see ez-vcard__outlook-2003.vcf): bare 2.1 types, a QP note
  // whose soft break leaves "=0A" at the start of the next line, second business/home numbers.
  const std::string text =
      "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;John;;Mr.;III\r\nFN:John Doe III\r\n"
      "NOTE;ENCODING=QUOTED-PRINTABLE:First=0D=\r\n=0ASecond\r\n"
      "TEL;WORK;VOICE:111\r\nTEL;WORK;VOICE:222\r\nTEL;HOME;VOICE:333\r\nTEL;HOME;VOICE:444\r\n"
      "TEL;CELL;VOICE:555\r\nTEL;PAGER;VOICE:666\r\nTEL;WORK;FAX:777\r\nTEL;HOME;FAX:888\r\nTEL;FAX:999\r\n"
      "TEL;PREF:000\r\nTEL;VOICE:123\r\nTEL;CAR;VOICE:234\r\nTEL;ISDN:345\r\n"
      "X-MS-TEL;TYPE=TELEX:456\r\nX-MS-TEL;TYPE=CALLBACK:567\r\nX-MS-TEL;TYPE=RADIO:678\r\n"
      "X-MS-TEL;TYPE=COMPANY:789\r\nX-MS-TEL;TYPE=TTY/TDD:890\r\nX-MS-TEL;TYPE=ASSISTANT:901\r\n"
      "TEL;VOICE:extra\r\nEND:VCARD\r\n";
  ContactSink sink = read(text);
  ASSERT_EQ(sink.contacts.size(), 1u);
  const auto& c = sink.contacts[0];
  EXPECT_EQ(c.notes, "First\r\nSecond");
  EXPECT_EQ(phone(c, PhoneKind::kBusiness), "111");
  EXPECT_EQ(phone(c, PhoneKind::kBusiness2), "222");
  EXPECT_EQ(phone(c, PhoneKind::kHome), "333");
  EXPECT_EQ(phone(c, PhoneKind::kHome2), "444");
  EXPECT_EQ(phone(c, PhoneKind::kMobile), "555");
  EXPECT_EQ(phone(c, PhoneKind::kPager), "666");
  EXPECT_EQ(phone(c, PhoneKind::kBusinessFax), "777");
  EXPECT_EQ(phone(c, PhoneKind::kHomeFax), "888");
  EXPECT_EQ(phone(c, PhoneKind::kPrimaryFax), "999");  // PidTagPrimaryFaxNumber is Outlook's "Other Fax"
  EXPECT_EQ(phone(c, PhoneKind::kPrimary), "000");
  EXPECT_EQ(phone(c, PhoneKind::kOther), "123");
  EXPECT_EQ(phone(c, PhoneKind::kCar), "234");
  EXPECT_EQ(phone(c, PhoneKind::kIsdn), "345");
  EXPECT_EQ(phone(c, PhoneKind::kTelex), "456");
  EXPECT_EQ(phone(c, PhoneKind::kCallback), "567");
  EXPECT_EQ(phone(c, PhoneKind::kRadio), "678");
  EXPECT_EQ(phone(c, PhoneKind::kCompanyMain), "789");
  EXPECT_EQ(phone(c, PhoneKind::kTtyTdd), "890");
  EXPECT_EQ(phone(c, PhoneKind::kAssistant), "901");
  EXPECT_EQ(c.phones.size(), 19u);
  // The phones come in PhoneKind order whatever the file order.
  EXPECT_TRUE(std::is_sorted(c.phones.begin(), c.phones.end(),
                             [](const model::Phone& a, const model::Phone& b) { return a.kind < b.kind; }));
  const auto* dropped = sink.find("contact.phone_not_carried");
  ASSERT_NE(dropped, nullptr);
  EXPECT_EQ(dropped->before, "extra");
}

TEST(VcfReader, CharsetsOfVersion21) {
  // Values and their bytes as in the Charsets syntax test (Python codecs).
  const std::string text =
      "BEGIN:VCARD\r\nVERSION:2.1\r\n"
      "N;CHARSET=windows-1252;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen\r\n"
      "FN;CHARSET=KOI8-R;ENCODING=QUOTED-PRINTABLE:=F3=D7=C5=D4=CC=C1=CE=C1\r\n"
      "ORG;CHARSET=SHIFT_JIS:\x8E\x52\x93\x63\r\n"
      "TITLE;CHARSET=ISO-8859-2:\xA3\xF3\x64\xBC\r\n"
      "NOTE:caf\xE9\r\n"
      "END:VCARD\r\n";
  ContactSink sink = read(text);
  ASSERT_EQ(sink.contacts.size(), 1u);
  const auto& c = sink.contacts[0];
  EXPECT_EQ(c.surname, "Müller");
  EXPECT_EQ(c.given_name, "Jürgen");
  EXPECT_EQ(c.display_name, "Светлана");
  EXPECT_EQ(c.company, "山田");
  EXPECT_EQ(c.job_title, "Łódź");
  // No CHARSET and not UTF-8: read as windows-1252 (0xE9 = é), and said so.
  EXPECT_EQ(c.notes, "café");
  EXPECT_NE(sink.find("vcf.charset_guessed"), nullptr);
}

TEST(VcfReader, Utf16FileWithByteOrderMark) {
  // UTF-16LE with BOM, as Windows tools save text; the bytes are made here from a char16_t
  // literal, so the test does not depend on ICU to build its input.
  const std::u16string card = u"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ren\u00e9e \u5c71\u7530\r\nEND:VCARD\r\n";
  std::string bytes = "\xFF\xFE";
  for (const char16_t unit : card) {
    bytes += static_cast<char>(unit & 0xFF);
    bytes += static_cast<char>(unit >> 8);
  }
  ContactSink sink = read(bytes);
  ASSERT_EQ(sink.contacts.size(), 1u);
  EXPECT_EQ(sink.contacts[0].display_name, "Renée 山田");

  std::string big_endian = "\xFE\xFF";
  for (const char16_t unit : card) {
    big_endian += static_cast<char>(unit >> 8);
    big_endian += static_cast<char>(unit & 0xFF);
  }
  ContactSink sink_be = read(big_endian);
  ASSERT_EQ(sink_be.contacts.size(), 1u);
  EXPECT_EQ(sink_be.contacts[0].display_name, "Renée 山田");

  // UTF-16LE without a byte-order mark: "B\0E\0G\0..." is told by its zero bytes.
  ContactSink sink_no_bom = read(bytes.substr(2));
  ASSERT_EQ(sink_no_bom.contacts.size(), 1u);
  EXPECT_EQ(sink_no_bom.contacts[0].display_name, "Renée 山田");
}

TEST(VcfReader, Utf8ByteOrderMarkAndLfLineEnds) {
  ContactSink sink = read("\xEF\xBB\xBF" "BEGIN:VCARD\nVERSION:3.0\nFN:A\\nB\nEND:VCARD");
  ASSERT_EQ(sink.contacts.size(), 1u);
  EXPECT_EQ(sink.contacts[0].display_name, "A\nB");
}

TEST(VcfReader, PhotosInEachVersionsForm) {
  // 1x1 GIF "R0lGODlhAQABAAAAACw=" starts with the bytes "GIF89a"; a JPEG starts FF D8 FF ("/9j/").
  const std::string text =
      "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:A\r\nPHOTO;TYPE=JPEG;ENCODING=BASE64:\r\n /9j/4AAQ\r\n SkZJRg==\r\n\r\n"
      "END:VCARD\r\n"
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:B\r\nPHOTO;ENCODING=b;TYPE=image/gif:R0lGODlhAQABAAAAACw=\r\nEND:VCARD\r\n"
      "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:C\r\nPHOTO:data:image/png;base64,iVBORw0KGgo=\r\nEND:VCARD\r\n"
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:D\r\nPHOTO;VALUE=uri:http://www.abc.com/pub/photos/jqpublic.gif\r\n"
      "END:VCARD\r\n"
      "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:E\r\nPHOTO;ENCODING=BASE64:\r\n/9j/4AAQ\r\nSkZJRg==\r\n\r\nEND:VCARD\r\n";
  ContactSink sink = read(text);
  ASSERT_EQ(sink.contacts.size(), 5u);
  ASSERT_TRUE(sink.contacts[0].photo.has_value());
  EXPECT_EQ(sink.contacts[0].photo->mime_type, "image/jpeg");
  EXPECT_EQ(sink.contacts[0].photo->extension, ".jpg");
  // "/9j/4AAQSkZJRg==" is FF D8 FF E0 00 10 4A 46 49 46 ("JFIF").
  EXPECT_EQ(sink.contacts[0].photo->data,
            (std::vector<std::uint8_t>{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46}));
  ASSERT_TRUE(sink.contacts[1].photo.has_value());
  EXPECT_EQ(sink.contacts[1].photo->mime_type, "image/gif");
  EXPECT_EQ(std::string(sink.contacts[1].photo->data.begin(), sink.contacts[1].photo->data.begin() + 6), "GIF89a");
  ASSERT_TRUE(sink.contacts[2].photo.has_value());
  EXPECT_EQ(sink.contacts[2].photo->mime_type, "image/png");
  EXPECT_EQ(sink.contacts[2].photo->data.size(), 8u);  // the PNG signature
  EXPECT_FALSE(sink.contacts[3].photo.has_value());
  EXPECT_NE(sink.find("contact.photo_not_embedded"), nullptr);
  // 2.1 base64 continued in unindented lines up to a blank line; type told by the JPEG signature.
  ASSERT_TRUE(sink.contacts[4].photo.has_value());
  EXPECT_EQ(sink.contacts[4].photo->mime_type, "image/jpeg");
  EXPECT_EQ(sink.contacts[4].photo->data.size(), 10u);
}

TEST(VcfReader, EmailsBeyondThreeAreReported) {
  const std::string text =
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEMAIL:a@x.org\r\nEMAIL:b@x.org\r\nEMAIL:c@x.org\r\n"
      "EMAIL:d@x.org\r\nEND:VCARD\r\n";
  ContactSink sink = read(text);
  ASSERT_EQ(sink.contacts.size(), 1u);
  ASSERT_EQ(sink.contacts[0].emails.size(), 3u);
  EXPECT_EQ(sink.contacts[0].emails[2].address, "c@x.org");
  EXPECT_EQ(sink.contacts[0].emails[2].slot, 3);
  const auto* dropped = sink.find("contact.email_not_carried");
  ASSERT_NE(dropped, nullptr);
  EXPECT_EQ(dropped->before, "d@x.org");
}

TEST(VcfReader, OutlookExtensionsAndDefaultPostalAddress) {
  const std::string text =
      "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:A\r\nX-MS-MANAGER:Big Blue\r\nX-MS-ASSISTANT:Jenny\r\n"
      "X-MS-IMADDRESS:johny5@aol.com\r\nX-MS-SPOUSE:Pat\r\nX-MS-ANNIVERSARY:20110113\r\nBDAY:1970-01-31\r\n"
      "ADR;HOME:;;1 Home St;Town;;;\r\nADR;WORK;PREF:;;2 Work St;Town;;;\r\nX-MS-OL-DEFAULT-POSTAL-ADDRESS:1\r\n"
      "CATEGORIES:Business,VIP\r\nEND:VCARD\r\n";
  ContactSink sink = read(text);
  ASSERT_EQ(sink.contacts.size(), 1u);
  const auto& c = sink.contacts[0];
  EXPECT_EQ(c.manager, "Big Blue");
  EXPECT_EQ(c.assistant, "Jenny");
  EXPECT_EQ(c.im_address, "johny5@aol.com");
  EXPECT_EQ(c.anniversary, (CivilDate{2011, 1, 13}));
  EXPECT_EQ(c.birthday, (CivilDate{1970, 1, 31}));
  // X-MS-OL-DEFAULT-POSTAL-ADDRESS (PidLidPostalAddressId, 1 = home) wins over ADR;PREF.
  EXPECT_EQ(c.mailing_address, AddressKind::kHome);
  EXPECT_EQ(c.categories, (std::vector<std::string>{"Business", "VIP"}));
  ASSERT_NE(sink.find("vcf.properties_not_carried"), nullptr);
  EXPECT_EQ(sink.find("vcf.properties_not_carried")->before, "X-MS-SPOUSE");
}

TEST(VcfReader, MalformedCardsAreSkippedAndTheRestRead) {
  const std::string text =
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good one\r\nEND:VCARD\r\n"
      "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Bad QP\r\nNOTE;ENCODING=QUOTED-PRINTABLE:a=ZZb\r\nEND:VCARD\r\n"
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:No colon\r\nTHIS LINE IS BROKEN\r\nEND:VCARD\r\n"
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Unterminated\r\n"
      "BEGIN:VCARD\r\nVERSION:5.0\r\nFN:Future\r\nEND:VCARD\r\n"
      "garbage between cards\r\n"
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good two\r\nEND:VCARD\r\n"
      "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut off\r\n";
  VcfReadSummary summary;
  ContactSink sink = read(text, &summary);
  EXPECT_EQ(summary.cards_seen, 7);
  EXPECT_EQ(summary.contacts, 2);
  EXPECT_EQ(summary.skipped, 5);
  EXPECT_EQ(sink.skippedItems(), 5);
  ASSERT_EQ(sink.contacts.size(), 2u);
  EXPECT_EQ(sink.contacts[0].display_name, "Good one");
  EXPECT_EQ(sink.contacts[1].display_name, "Good two");
  EXPECT_EQ(sink.contacts[1].provenance.entry_id, "6");
  std::vector<std::string> skipped_fields;
  for (const auto& finding : sink.findings) {
    if (!finding.item_skipped) continue;
    EXPECT_EQ(finding.kind, "vcf.card_unreadable");
    EXPECT_EQ(finding.item.source_file, "test/cards.vcf");
    EXPECT_NE(finding.why.find("card " + finding.item.entry_id), std::string::npos) << finding.why;
    skipped_fields.push_back(finding.item.entry_id + ":" + finding.field);
  }
  EXPECT_EQ(skipped_fields,
            (std::vector<std::string>{"2:NOTE", "3:THIS", "4:BEGIN", "5:VERSION", "7:END"}));
  const auto* outside = sink.find("vcf.text_outside_cards");
  ASSERT_NE(outside, nullptr);
  // Lines: 1-4 card 1, 5-9 card 2, 10-14 card 3, 15-17 card 4, 18-21 card 5, 22 the garbage.
  EXPECT_NE(outside->before.find("line 22"), std::string::npos) << outside->before;
}

TEST(VcfReader, OversizedLinesAndPropertiesSkipTheirCard) {
  VcfReadOptions options;
  options.max_line_bytes = 100;
  options.max_property_bytes = 300;
  options.max_card_bytes = 1000;
  const std::string long_line(150, 'x');
  const std::string fold = "\r\n " + std::string(90, 'y');
  std::string many_folds;
  for (int i = 0; i < 5; ++i) many_folds += fold;
  std::string big_card = "BEGIN:VCARD\r\nVERSION:3.0\r\n";
  for (int i = 0; i < 20; ++i) big_card += "NOTE:" + std::string(80, 'z') + "\r\n";
  big_card += "END:VCARD\r\n";
  const std::string text = "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:" + long_line + "\r\nEND:VCARD\r\n" +
                           "BEGIN:VCARD\r\nVERSION:3.0\r\nPHOTO;ENCODING=b:" + many_folds + "\r\nEND:VCARD\r\n" +
                           big_card + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Fine\r\nEND:VCARD\r\n";
  VcfReadSummary summary;
  ContactSink sink = read(text, &summary, options);
  EXPECT_EQ(summary.cards_seen, 4);
  EXPECT_EQ(summary.skipped, 3);
  ASSERT_EQ(sink.contacts.size(), 1u);
  EXPECT_EQ(sink.contacts[0].display_name, "Fine");
  std::vector<std::string> fields;
  for (const auto& finding : sink.findings) {
    if (finding.item_skipped) fields.push_back(finding.field);
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"", "PHOTO", "NOTE"}));
}

TEST(VcfReader, SoftBreakBeforeEndDoesNotSwallowTheEnd) {
  // A quoted-printable value ending in "=" right before END:VCARD: the card still ends there.
  const std::string text =
      "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:A\r\nNOTE;ENCODING=QUOTED-PRINTABLE:abc=\r\nEND:VCARD\r\n"
      "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:B\r\nEND:VCARD\r\n";
  VcfReadSummary summary;
  ContactSink sink = read(text, &summary);
  EXPECT_EQ(summary.contacts, 2);
  ASSERT_EQ(sink.contacts.size(), 2u);
  EXPECT_EQ(sink.contacts[0].notes, "abc");
}

TEST(VcfReader, GroupCardsKeepOnlyWhatAListHas) {
  const std::string text =
      "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:Team\r\nEMAIL:team@example.com\r\n"
      "CATEGORIES:Work,Work,Team\r\nNOTE:n\r\nMEMBER:mailto:a@example.com\r\nEND:VCARD\r\n";
  ContactSink sink = read(text);
  ASSERT_EQ(sink.lists.size(), 1u);
  EXPECT_TRUE(sink.contacts.empty());
  EXPECT_EQ(sink.lists[0].name, "Team");
  EXPECT_EQ(sink.lists[0].notes, "n");
  EXPECT_EQ(sink.lists[0].categories, (std::vector<std::string>{"Work", "Team"}));
  ASSERT_NE(sink.find("vcf.properties_not_carried"), nullptr);
  EXPECT_EQ(sink.find("vcf.properties_not_carried")->before, "EMAIL");
}

TEST(VcfReader, DefaultBoundIsOneMebibytePerLine) {
  // The brief's bound: a physical line over 1 MiB skips its card, the next card is read.
  const std::string text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big\r\nNOTE:" + std::string((1u << 20) + 10, 'x') +
                           "\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Small\r\nEND:VCARD\r\n";
  VcfReadSummary summary;
  ContactSink sink = read(text, &summary);
  EXPECT_EQ(summary.skipped, 1);
  ASSERT_EQ(sink.contacts.size(), 1u);
  EXPECT_EQ(sink.contacts[0].display_name, "Small");
  const auto* skipped = sink.find("vcf.card_unreadable");
  ASSERT_NE(skipped, nullptr);
  EXPECT_NE(skipped->why.find("line 4"), std::string::npos) << skipped->why;
}

TEST(VcfReader, NotVcardIsAnErrorNamingFileExpectedAndFound) {
  ContactSink sink;
  auto result = readVcardText("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "cal.ics", sink);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "vcf.not_vcard");
  EXPECT_EQ(result.error().context, "cal.ics");
  EXPECT_NE(result.error().message.find("BEGIN:VCARD"), std::string::npos);
  EXPECT_NE(result.error().message.find("BEGIN:VCALENDAR"), std::string::npos);
  EXPECT_TRUE(sink.folders.empty());
  auto empty = readVcardText("\r\n\r\n", "empty.vcf", sink);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, "vcf.not_vcard");
  auto missing = readVcardFile("/nonexistent/x.vcf", sink);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "vcf.open");
}

TEST(VcfReader, ChunkBoundariesDoNotMatter) {
  // Lines and UTF-16 code units split across the 64 KiB chunks the reader works in.
  std::string text;
  int cards = 0;
  while (text.size() < 200 * 1024) {
    text += "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Card " + std::to_string(++cards) + "\r\nNOTE:" +
            std::string(997, 'n') + "\r\nEND:VCARD\r\n";
  }
  VcfReadSummary summary;
  ContactSink sink = read(text, &summary);
  EXPECT_EQ(summary.contacts, cards);
  EXPECT_EQ(sink.contacts.back().display_name, "Card " + std::to_string(cards));
  EXPECT_EQ(sink.contacts.back().notes.size(), 997u);
  std::string utf16 = "\xFF\xFE";
  for (const unsigned char c : text) {
    utf16 += static_cast<char>(c);
    utf16 += '\0';
  }
  ContactSink sink16 = read(utf16, &summary);
  EXPECT_EQ(sink16.contacts.size(), static_cast<std::size_t>(cards));
  EXPECT_EQ(summary.contacts, cards);
}

}  // namespace
}  // namespace m2z::readers::vcf
