// mapContact, mapDistList and the entry id parsers on hand-built property bags. Byte streams are
// taken from pffexport's dump of java-libpst__dist-list.pst (ItemValues.txt of its distribution
// list) and from [MS-OXCDATA] 2.2.5.1; dates were worked out with Python's datetime.
#include "readers/mapi/contact_mapper.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "readers/mapi/property_ids.h"
#include "test_bytes.h"

namespace m2z::readers::mapi {
namespace {

using testing::fromHex;

const model::Provenance kItem{"/data/mail.pst", "/Contacts", "2097252"};

// FILETIMEs (100 ns ticks since 1601-01-01 UTC): 1980-05-10T00:00Z, 1980-05-09T22:00Z (local
// midnight of 1980-05-10 at UTC+2), 1980-05-10T05:00Z (local midnight at UTC-5), 2001-06-30T00:00Z.
constexpr std::uint64_t kMay10Midnight = 119712384000000000ULL;
constexpr std::uint64_t kMay9At2200 = 119712312000000000ULL;
constexpr std::uint64_t kMay10At0500 = 119712564000000000ULL;
constexpr std::uint64_t kJune30Midnight = 126383328000000000ULL;

// Member 0 of PidLidDistributionListMembers in java-libpst__dist-list.pst: a WrappedEntryId
// (provider C091ADD3..., type 0xC3: contact) around a 24-byte PST message entry id whose last
// four bytes 64 00 20 00 are node id 0x00200064 = 2097252.
const std::vector<std::uint8_t> kWrappedContact = fromHex(
    "00000000 c091add3519dcf11a4a900aa0047faa4 c3 00000000 a41d63dbc53b8e4ab8071e15e55750ce 64002000");
// Member 1 of the same list: a One-Off EntryID, flags 01 80 (0x8001 read little-endian: Unicode),
// "dist name 1" / "SMTP" / "dist1@rjohnson.id.au" in UTF-16LE.
const std::vector<std::uint8_t> kOneOffDist1 = fromHex(
    "00000000 812b1fa4bea310199d6e00dd010f5402 0000 0180"
    "640069007300740020006e0061006d00650020003100 0000"
    "53004d0054005000 0000"
    "6400690073007400310040007200 6a006f0068006e0073006f006e002e00690064002e0061007500 0000");
// One-off member 0 of PidLidDistributionListOneOffMembers: "contact name 1" / contact1@rjohnson.id.au.
const std::vector<std::uint8_t> kOneOffContact1 = fromHex(
    "00000000 812b1fa4bea310199d6e00dd010f5402 0000 0180"
    "63006f006e00740061006300740020006e0061006d00650020003100 0000"
    "53004d0054005000 0000"
    "63006f006e007400610063007400310040007200 6a006f0068006e0073006f006e002e00690064002e0061007500 0000");

void setString(PropertyBag& bag, const TaggedProperty& property, std::string value) {
  bag.set(property.id, PropertyType::kUnicode, std::move(value));
}
void setNamed(PropertyBag& bag, const NamedProperty& property, PropertyValue value) {
  bag.setNamed(property.property_set, property.lid, std::move(value));
}

bool hasFinding(const std::vector<model::Finding>& findings, std::string_view kind) {
  return std::any_of(findings.begin(), findings.end(), [&](const model::Finding& f) { return f.kind == kind; });
}

TEST(OneOffEntryIdTest, ReadsUnicodeNameTypeAndAddress) {
  auto entry = parseOneOffEntryId(kOneOffDist1, "test");
  ASSERT_TRUE(entry) << entry.error().describe();
  EXPECT_EQ(entry->display_name, "dist name 1");
  EXPECT_EQ(entry->address_type, "SMTP");
  EXPECT_EQ(entry->email, "dist1@rjohnson.id.au");
}

TEST(OneOffEntryIdTest, ReadsEightBitStrings) {
  // Flags 0x0000: no U bit, so the strings are 8-bit ([MS-OXCDATA] 2.2.5.1). "Jos\xE9" is Latin-1.
  auto entry = parseOneOffEntryId(
      fromHex("00000000 812b1fa4bea310199d6e00dd010f5402 0000 0000 4a6f73e900 534d545000 6a40782e6f726700"), "test");
  ASSERT_TRUE(entry) << entry.error().describe();
  EXPECT_EQ(entry->display_name, "Jos\xC3\xA9");
  EXPECT_EQ(entry->address_type, "SMTP");
  EXPECT_EQ(entry->email, "j@x.org");
}

TEST(OneOffEntryIdTest, TruncatedOrForeignEntriesFail) {
  auto truncated = parseOneOffEntryId(std::span(kOneOffDist1).first(kOneOffDist1.size() - 3), "PidLidX");
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().code, "mapi.blob.truncated");
  auto foreign = parseOneOffEntryId(fromHex("00000000 00000000000000000000000000000000 0000 0080 0000 0000 0000"), "x");
  EXPECT_FALSE(foreign);
  EXPECT_FALSE(parseOneOffEntryId({}, "x"));
}

TEST(DistListMemberTest, WrappedContactNamesItsNodeId) {
  auto member = parseDistListMember(kWrappedContact, "test");
  ASSERT_TRUE(member) << member.error().describe();
  EXPECT_EQ(member->kind, model::DistListMemberKind::kContact);
  EXPECT_EQ(member->target_entry_id, "2097252");
}

TEST(DistListMemberTest, WrappedOneOffAndNestedList) {
  // Type 0x80 | 0x00: the wrapped entry is a one-off.
  std::vector<std::uint8_t> wrapped = fromHex("00000000 c091add3519dcf11a4a900aa0047faa4 80");
  wrapped.insert(wrapped.end(), kOneOffDist1.begin(), kOneOffDist1.end());
  auto one_off = parseDistListMember(wrapped, "test");
  ASSERT_TRUE(one_off);
  EXPECT_EQ(one_off->kind, model::DistListMemberKind::kOneOff);
  EXPECT_EQ(one_off->email, "dist1@rjohnson.id.au");
  // Type 0xC4: a personal distribution list, node id 0x00200084 = 2097284.
  auto nested = parseDistListMember(
      fromHex("00000000 c091add3519dcf11a4a900aa0047faa4 c4 00000000 a41d63dbc53b8e4ab8071e15e55750ce 84002000"), "t");
  ASSERT_TRUE(nested);
  EXPECT_EQ(nested->kind, model::DistListMemberKind::kDistList);
  EXPECT_EQ(nested->target_entry_id, "2097284");
}

TEST(DistListTest, MembersAreIndexAlignedWithOneOffs) {
  PropertyBag bag;
  bag.message_class = "IPM.DistList";
  setNamed(bag, kPidLidDistributionListName, std::string("test dist list"));
  setNamed(bag, kPidLidDistributionListMembers, std::vector<Binary>{kWrappedContact, kOneOffDist1, Binary{1, 2, 3}});
  setNamed(bag, kPidLidDistributionListOneOffMembers, std::vector<Binary>{kOneOffContact1, kOneOffDist1, kOneOffDist1});
  std::vector<model::Finding> findings;
  auto list = mapDistList(bag, kItem, findings);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->name, "test dist list");
  ASSERT_EQ(list->members.size(), 2u);  // the 3-byte member cannot be parsed and is left out
  EXPECT_EQ(list->members[0].kind, model::DistListMemberKind::kContact);
  EXPECT_EQ(list->members[0].display_name, "contact name 1");
  EXPECT_EQ(list->members[0].email, "contact1@rjohnson.id.au");
  EXPECT_EQ(list->members[0].address_type, "SMTP");
  EXPECT_EQ(list->members[1].kind, model::DistListMemberKind::kOneOff);
  EXPECT_EQ(list->members[1].email, "dist1@rjohnson.id.au");
  EXPECT_TRUE(hasFinding(findings, "property.bad_value"));
}

TEST(ContactMapperTest, MapsNamesAddressesPhonesAndEmails) {
  PropertyBag bag;
  bag.message_class = "IPM.Contact";
  setString(bag, kPidTagDisplayName, "Dr. Jane Q. Doe Jr.");
  setNamed(bag, kPidLidFileUnder, std::string("Doe, Jane"));
  setString(bag, kPidTagGivenName, "Jane");
  setString(bag, kPidTagMiddleName, "Q.");
  setString(bag, kPidTagSurname, "Doe");
  setString(bag, kPidTagDisplayNamePrefix, "Dr.");
  setString(bag, kPidTagGeneration, "Jr.");
  setString(bag, kPidTagNickname, "JD");
  setString(bag, kPidTagCompanyName, "Example Ltd");
  setString(bag, kPidTagDepartmentName, "R&D");
  setString(bag, kPidTagTitle, "Engineer");
  setString(bag, kPidTagManagerName, "Boss");
  setString(bag, kPidTagAssistant, "Helper");
  setString(bag, kPidTagMobileTelephoneNumber, "+1 555 0100");
  setString(bag, kPidTagBusinessFaxNumber, "+1 555 0101");
  setString(bag, kPidTagHomeAddressCity, "Springfield");
  setNamed(bag, kPidLidWorkAddressStreet, std::string("1 Main St"));
  setNamed(bag, kPidLidPostalAddressId, std::int32_t{2});  // [MS-OXOCNTC] 2.2.1.3.9: 2 = work
  setNamed(bag, kPidLidEmail2EmailAddress, std::string("jane@example.com"));
  setNamed(bag, kPidLidEmail2DisplayName, std::string("Jane Doe (jane@example.com)"));
  setNamed(bag, kPidLidEmail2AddressType, std::string("SMTP"));
  setNamed(bag, kPidLidHtml, std::string("https://example.com"));
  setNamed(bag, kPidLidInstantMessagingAddress, std::string("jane@im.example.com"));
  bag.setNamed(kPidNameKeywords.property_set, std::string(kPidNameKeywords.string_name),
               std::vector<std::string>{"Friends", ""});
  std::vector<model::Finding> findings;
  auto contact = mapContact(bag, kItem, findings);
  ASSERT_TRUE(contact);
  EXPECT_EQ(contact->display_name, "Dr. Jane Q. Doe Jr.");
  EXPECT_EQ(contact->file_as, "Doe, Jane");
  EXPECT_EQ(contact->given_name, "Jane");
  EXPECT_EQ(contact->middle_name, "Q.");
  EXPECT_EQ(contact->surname, "Doe");
  EXPECT_EQ(contact->prefix, "Dr.");
  EXPECT_EQ(contact->suffix, "Jr.");
  EXPECT_EQ(contact->nickname, "JD");
  EXPECT_EQ(contact->company, "Example Ltd");
  EXPECT_EQ(contact->department, "R&D");
  EXPECT_EQ(contact->job_title, "Engineer");
  EXPECT_EQ(contact->manager, "Boss");
  EXPECT_EQ(contact->assistant, "Helper");
  EXPECT_EQ(contact->web_page, "https://example.com");
  EXPECT_EQ(contact->im_address, "jane@im.example.com");
  ASSERT_EQ(contact->emails.size(), 1u);
  EXPECT_EQ(contact->emails[0], (model::ContactEmail{2, "jane@example.com", "Jane Doe (jane@example.com)", "SMTP"}));
  ASSERT_EQ(contact->phones.size(), 2u);
  EXPECT_EQ(contact->phones[0], (model::Phone{model::PhoneKind::kBusinessFax, "+1 555 0101"}));
  EXPECT_EQ(contact->phones[1], (model::Phone{model::PhoneKind::kMobile, "+1 555 0100"}));
  ASSERT_EQ(contact->addresses.size(), 2u);
  EXPECT_EQ(contact->addresses[0].kind, model::AddressKind::kHome);
  EXPECT_EQ(contact->addresses[0].city, "Springfield");
  EXPECT_EQ(contact->addresses[1].kind, model::AddressKind::kWork);
  EXPECT_EQ(contact->addresses[1].street, "1 Main St");
  EXPECT_EQ(contact->mailing_address, model::AddressKind::kWork);
  EXPECT_EQ(contact->categories, std::vector<std::string>{"Friends"});
  EXPECT_TRUE(findings.empty());
}

TEST(ContactMapperTest, LocalBirthdayWinsOverUtc) {
  PropertyBag bag;
  setNamed(bag, kPidLidBirthdayLocal, FileTime{kMay10Midnight});
  bag.set(kPidTagBirthday.id, PropertyType::kTime, FileTime{kMay9At2200});
  std::vector<model::Finding> findings;
  auto contact = mapContact(bag, kItem, findings);
  ASSERT_TRUE(contact);
  EXPECT_EQ(contact->birthday, (model::CivilDate{1980, 5, 10}));
  EXPECT_TRUE(findings.empty());
}

TEST(ContactMapperTest, UtcBirthdayEastOfUtcIsTheNextDay) {
  // 22:00Z is local midnight of the next day at UTC+2: 1980-05-10, not 05-09 (the all-day trap).
  PropertyBag bag;
  bag.set(kPidTagBirthday.id, PropertyType::kTime, FileTime{kMay9At2200});
  bag.set(kPidTagWeddingAnniversary.id, PropertyType::kTime, FileTime{kMay10At0500});
  std::vector<model::Finding> findings;
  auto contact = mapContact(bag, kItem, findings);
  ASSERT_TRUE(contact);
  EXPECT_EQ(contact->birthday, (model::CivilDate{1980, 5, 10}));
  // 05:00Z is local midnight at UTC-5 of the same day.
  EXPECT_EQ(contact->anniversary, (model::CivilDate{1980, 5, 10}));
  EXPECT_EQ(std::count_if(findings.begin(), findings.end(),
                          [](const model::Finding& f) { return f.kind == "contact.date_from_utc"; }),
            2);
}

TEST(ContactMapperTest, UtcMidnightNeedsNoGuess) {
  PropertyBag bag;
  bag.set(kPidTagWeddingAnniversary.id, PropertyType::kTime, FileTime{kJune30Midnight});
  std::vector<model::Finding> findings;
  auto contact = mapContact(bag, kItem, findings);
  ASSERT_TRUE(contact);
  EXPECT_EQ(contact->anniversary, (model::CivilDate{2001, 6, 30}));
  EXPECT_FALSE(contact->birthday);
  EXPECT_TRUE(findings.empty());
}

TEST(ContactMapperTest, PhotoComesFromTheMarkedAttachment) {
  PropertyBag bag;
  PropertyBag other;
  other.set(kPidTagAttachDataBinary.id, PropertyType::kBinary, Binary{9, 9});
  PropertyBag photo;
  photo.set(kPidTagAttachmentContactPhoto.id, PropertyType::kBoolean, true);
  photo.set(kPidTagAttachDataBinary.id, PropertyType::kBinary, Binary{0xFF, 0xD8, 0xFF});
  photo.set(kPidTagAttachExtension.id, PropertyType::kUnicode, std::string(".jpg"));
  bag.attachments = {other, photo};
  std::vector<model::Finding> findings;
  auto contact = mapContact(bag, kItem, findings);
  ASSERT_TRUE(contact);
  ASSERT_TRUE(contact->photo);
  EXPECT_EQ(contact->photo->data, (std::vector<std::uint8_t>{0xFF, 0xD8, 0xFF}));
  EXPECT_EQ(contact->photo->extension, ".jpg");
}

TEST(ContactMapperTest, WrongTypesAreReportedNotFatal) {
  PropertyBag bag;
  bag.set(kPidTagGivenName.id, PropertyType::kInteger32, std::int32_t{5});
  setNamed(bag, kPidLidPostalAddressId, std::int32_t{9});
  std::vector<model::Finding> findings;
  auto contact = mapContact(bag, kItem, findings);
  ASSERT_TRUE(contact);
  EXPECT_EQ(contact->given_name, "");
  EXPECT_FALSE(contact->mailing_address);
  EXPECT_TRUE(hasFinding(findings, "property.wrong_type"));
  EXPECT_TRUE(hasFinding(findings, "property.bad_value"));
}

}  // namespace
}  // namespace m2z::readers::mapi
