#include "readers/mapi/contact_mapper.h"

#include <algorithm>
#include <array>
#include <utility>

#include "model/time.h"
#include "readers/mapi/appointment_mapper.h"
#include "readers/mapi/blob_parsers.h"
#include "readers/mapi/byte_reader.h"
#include "readers/mapi/field_reader.h"
#include "readers/mapi/property_ids.h"
#include "readers/mapi/rtf_text.h"

namespace m2z::readers::mapi {

namespace {

// [MS-OXCDATA] 2.2.5.1: the provider UID of one-off entry ids, {A41F2B81-A3BE-1910-9D6E-00DD010F5402}.
constexpr std::array<std::uint8_t, 16> kOneOffProvider = {0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19,
                                                          0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02};
// [MS-OXOCNTC] 2.2.2.2.4.1.1: the provider UID of wrapped entry ids, {D3AD91C0-9D51-11CF-A4A9-00AA0047FAA4}.
constexpr std::array<std::uint8_t, 16> kWrappedProvider = {0xC0, 0x91, 0xAD, 0xD3, 0x51, 0x9D, 0xCF, 0x11,
                                                           0xA4, 0xA9, 0x00, 0xAA, 0x00, 0x47, 0xFA, 0xA4};
constexpr std::uint16_t kOneOffUnicode = 0x8000;  // the U bit of the one-off flags, read little-endian
// A message entry id in a PST: 4 flag bytes, the 16-byte store UID, the 4-byte node id ([MS-PST] 2.2.2.1... EntryID).
constexpr std::size_t kPstMessageEntryIdSize = 24;
// Distribution lists are capped by [MS-OXOCNTC] 2.2.2.2.1 at 15,000 bytes of entry ids.
constexpr std::size_t kMaxMembers = 4096;

bool startsWith(std::span<const std::uint8_t> bytes, std::span<const std::uint8_t> prefix) {
  return bytes.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), bytes.begin());
}

std::string latin1ToUtf8(std::span<const std::uint8_t> bytes) {
  std::string text;
  for (const std::uint8_t byte : bytes) {
    if (byte < 0x80) {
      text.push_back(static_cast<char>(byte));
    } else {
      text.push_back(static_cast<char>(0xC0 | (byte >> 6)));
      text.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
    }
  }
  return text;
}

// One NUL-terminated string at the reader's position: UTF-16LE or 8-bit.
std::optional<std::string> terminatedString(ByteReader& reader, bool unicode, std::string_view field) {
  const std::size_t unit = unicode ? 2 : 1;
  std::vector<std::uint8_t> bytes;
  while (true) {
    const auto code = reader.take(unit, field);
    if (!code) return std::nullopt;
    if (std::all_of(code->begin(), code->end(), [](std::uint8_t b) { return b == 0; })) break;
    bytes.insert(bytes.end(), code->begin(), code->end());
  }
  return unicode ? utf16LeToUtf8(bytes) : latin1ToUtf8(bytes);
}

std::string decimalId(std::uint32_t value) { return std::to_string(value); }

}  // namespace

Result<OneOffEntryId> parseOneOffEntryId(std::span<const std::uint8_t> blob, std::string_view property) {
  ByteReader reader(blob, property);
  reader.u32("Flags");
  const auto provider = reader.take(16, "ProviderUID");
  if (provider && !std::equal(provider->begin(), provider->end(), kOneOffProvider.begin())) {
    reader.invalid("ProviderUID", 4, "is not the one-off provider {A41F2B81-A3BE-1910-9D6E-00DD010F5402}");
  }
  reader.u16("Version");
  const auto flags = reader.u16("Flags");
  if (reader.failed()) return reader.error();
  const bool unicode = (*flags & kOneOffUnicode) != 0;
  OneOffEntryId entry;
  auto name = terminatedString(reader, unicode, "DisplayName");
  auto type = name ? terminatedString(reader, unicode, "AddressType") : std::nullopt;
  auto address = type ? terminatedString(reader, unicode, "EmailAddress") : std::nullopt;
  if (!address) return reader.error();
  entry.display_name = std::move(*name);
  entry.address_type = std::move(*type);
  entry.email = std::move(*address);
  return entry;
}

Result<model::DistListMember> parseDistListMember(std::span<const std::uint8_t> blob, std::string_view property) {
  model::DistListMember member;
  if (blob.size() >= 20 && startsWith(blob.subspan(4), kOneOffProvider)) {
    auto one_off = parseOneOffEntryId(blob, property);
    if (!one_off) return one_off.error();
    member.kind = model::DistListMemberKind::kOneOff;
    member.display_name = std::move(one_off->display_name);
    member.address_type = std::move(one_off->address_type);
    member.email = std::move(one_off->email);
    return member;
  }
  ByteReader reader(blob, property);
  reader.u32("Flags");
  const auto provider = reader.take(16, "ProviderUID");
  const auto type = reader.u8("Type");
  if (reader.failed()) return reader.error();
  if (!std::equal(provider->begin(), provider->end(), kWrappedProvider.begin())) {
    return Error{"mapi.blob.invalid",
                 std::string(property) + ": neither a one-off nor a wrapped entry id (unknown provider UID)",
                 std::string(property)};
  }
  const auto embedded = blob.subspan(reader.offset());
  // The low 4 bits of Type say what the embedded entry id is ([MS-OXOCNTC] 2.2.2.2.4.1.1).
  switch (*type & 0x0F) {
    case 0x00: {
      auto one_off = parseOneOffEntryId(embedded, property);
      if (!one_off) return one_off.error();
      member.kind = model::DistListMemberKind::kOneOff;
      member.display_name = std::move(one_off->display_name);
      member.address_type = std::move(one_off->address_type);
      member.email = std::move(one_off->email);
      return member;
    }
    case 0x03:
    case 0x04: {
      member.kind = (*type & 0x0F) == 0x03 ? model::DistListMemberKind::kContact : model::DistListMemberKind::kDistList;
      // A PST message entry id ends in the message's node id; other stores' ids (70-byte
      // Exchange ids) name nothing this reader can resolve.
      if (embedded.size() == kPstMessageEntryIdSize) {
        const auto nid = embedded.subspan(20);
        member.target_entry_id =
            decimalId(static_cast<std::uint32_t>(nid[0]) | static_cast<std::uint32_t>(nid[1]) << 8 |
                       static_cast<std::uint32_t>(nid[2]) << 16 | static_cast<std::uint32_t>(nid[3]) << 24);
      }
      return member;
    }
    case 0x05:
    case 0x06:
      member.kind = model::DistListMemberKind::kAddressBook;
      return member;
    default:
      member.kind = model::DistListMemberKind::kUnknown;
      return member;
  }
}

UtcDateGuess civilDateFromUtcMidnight(model::Instant instant) {
  const model::LocalDateTime utc = model::toLocal(instant, 0);
  if (utc.isMidnight()) return {utc.date, true};
  // Local midnight east of UTC (up to +14:00) reads as the previous day from 10:00 UTC on; west of
  // UTC (down to -12:00) as the same day up to 12:00. After noon only the east fits.
  if (utc.hour >= 12) return {utc.date.plusDays(1), false};
  return {utc.date, false};
}

namespace {

void mapNames(FieldReader& fields, model::Contact& contact) {
  contact.display_name = fields.string(kPidTagDisplayName);
  contact.file_as = fields.string(kPidLidFileUnder);
  contact.given_name = fields.string(kPidTagGivenName);
  contact.middle_name = fields.string(kPidTagMiddleName);
  contact.surname = fields.string(kPidTagSurname);
  contact.prefix = fields.string(kPidTagDisplayNamePrefix);
  contact.suffix = fields.string(kPidTagGeneration);
  contact.nickname = fields.string(kPidTagNickname);
  contact.initials = fields.string(kPidTagInitials);
  if (contact.display_name.empty()) {
    // Some stores keep the name only as the subject.
    contact.display_name = stripSubjectMarker(fields.string(kPidTagSubject));
  }
}

void mapEmails(FieldReader& fields, model::Contact& contact) {
  struct Slot {
    const NamedProperty& address;
    const NamedProperty& display_name;
    const NamedProperty& address_type;
  };
  const Slot slots[] = {{kPidLidEmail1EmailAddress, kPidLidEmail1DisplayName, kPidLidEmail1AddressType},
                        {kPidLidEmail2EmailAddress, kPidLidEmail2DisplayName, kPidLidEmail2AddressType},
                        {kPidLidEmail3EmailAddress, kPidLidEmail3DisplayName, kPidLidEmail3AddressType}};
  int number = 0;
  for (const Slot& slot : slots) {
    ++number;
    model::ContactEmail email;
    email.slot = number;
    email.address = fields.string(slot.address);
    if (email.address.empty()) continue;
    email.display_name = fields.string(slot.display_name);
    email.address_type = fields.string(slot.address_type);
    contact.emails.push_back(std::move(email));
  }
}

void mapPhones(FieldReader& fields, model::Contact& contact) {
  struct PhoneProperty {
    model::PhoneKind kind;
    const TaggedProperty& property;
  };
  const PhoneProperty phones[] = {
      {model::PhoneKind::kBusiness, kPidTagBusinessTelephoneNumber},
      {model::PhoneKind::kBusiness2, kPidTagBusiness2TelephoneNumber},
      {model::PhoneKind::kBusinessFax, kPidTagBusinessFaxNumber},
      {model::PhoneKind::kHome, kPidTagHomeTelephoneNumber},
      {model::PhoneKind::kHome2, kPidTagHome2TelephoneNumber},
      {model::PhoneKind::kHomeFax, kPidTagHomeFaxNumber},
      {model::PhoneKind::kMobile, kPidTagMobileTelephoneNumber},
      {model::PhoneKind::kPager, kPidTagPagerTelephoneNumber},
      {model::PhoneKind::kPrimary, kPidTagPrimaryTelephoneNumber},
      {model::PhoneKind::kPrimaryFax, kPidTagPrimaryFaxNumber},
      {model::PhoneKind::kCar, kPidTagCarTelephoneNumber},
      {model::PhoneKind::kAssistant, kPidTagAssistantTelephoneNumber},
      {model::PhoneKind::kCallback, kPidTagCallbackTelephoneNumber},
      {model::PhoneKind::kCompanyMain, kPidTagCompanyMainTelephoneNumber},
      {model::PhoneKind::kIsdn, kPidTagIsdnNumber},
      {model::PhoneKind::kOther, kPidTagOtherTelephoneNumber},
      {model::PhoneKind::kRadio, kPidTagRadioTelephoneNumber},
      {model::PhoneKind::kTelex, kPidTagTelexNumber},
      {model::PhoneKind::kTtyTdd, kPidTagTtyTddPhoneNumber},
  };
  for (const PhoneProperty& phone : phones) {
    std::string number = fields.string(phone.property);
    if (!number.empty()) contact.phones.push_back(model::Phone{phone.kind, std::move(number)});
  }
}

void mapAddresses(FieldReader& fields, model::Contact& contact) {
  model::PostalAddress home{model::AddressKind::kHome,
                            fields.string(kPidTagHomeAddressStreet),
                            fields.string(kPidTagHomeAddressCity),
                            fields.string(kPidTagHomeAddressStateOrProvince),
                            fields.string(kPidTagHomeAddressPostalCode),
                            fields.string(kPidTagHomeAddressCountry),
                            fields.string(kPidTagHomeAddressPostOfficeBox),
                            fields.string(kPidLidHomeAddress)};
  model::PostalAddress work{model::AddressKind::kWork,
                            fields.string(kPidLidWorkAddressStreet),
                            fields.string(kPidLidWorkAddressCity),
                            fields.string(kPidLidWorkAddressState),
                            fields.string(kPidLidWorkAddressPostalCode),
                            fields.string(kPidLidWorkAddressCountry),
                            fields.string(kPidLidWorkAddressPostOfficeBox),
                            fields.string(kPidLidWorkAddress)};
  model::PostalAddress other{model::AddressKind::kOther,
                             fields.string(kPidTagOtherAddressStreet),
                             fields.string(kPidTagOtherAddressCity),
                             fields.string(kPidTagOtherAddressStateOrProvince),
                             fields.string(kPidTagOtherAddressPostalCode),
                             fields.string(kPidTagOtherAddressCountry),
                             fields.string(kPidTagOtherAddressPostOfficeBox),
                             fields.string(kPidLidOtherAddress)};
  for (auto* address : {&home, &work, &other}) {
    if (!address->empty()) contact.addresses.push_back(std::move(*address));
  }
  if (const auto* id = fields.get<std::int32_t>(kPidLidPostalAddressId)) {
    // [MS-OXOCNTC] 2.2.1.3.9: 0 none, 1 home, 2 work, 3 other.
    switch (*id) {
      case 0: break;
      case 1: contact.mailing_address = model::AddressKind::kHome; break;
      case 2: contact.mailing_address = model::AddressKind::kWork; break;
      case 3: contact.mailing_address = model::AddressKind::kOther; break;
      default:
        fields.badValue(kPidLidPostalAddressId.name, std::to_string(*id), "", "not a postal address id 0-3");
    }
  }
}

// A date property the local way (PidLidBirthdayLocal: midnight UTC of the date, [MS-OXOCNTC]
// 2.2.1.5.2) with the UTC way (PidTagBirthday: local midnight converted to UTC) as fallback.
std::optional<model::CivilDate> readDate(FieldReader& fields, const NamedProperty& local_property,
                                         const TaggedProperty& utc_property) {
  if (const auto* local = fields.get<FileTime>(local_property)) {
    if (const auto instant = model::instantFromFileTime(local->ticks)) {
      const model::LocalDateTime reading = model::toLocal(*instant, 0);
      if (!reading.isMidnight()) {
        fields.badValue(local_property.name, reading.toIsoString(), reading.date.toIsoString(),
                        "should be midnight of the date; the time is dropped");
      }
      return reading.date;
    }
    fields.badValue(local_property.name, "FILETIME " + std::to_string(local->ticks), "",
                    "the value is MAPI's \"no date\" marker or out of range");
  }
  const auto* utc = fields.get<FileTime>(utc_property);
  if (utc == nullptr) return std::nullopt;
  const auto instant = model::instantFromFileTime(utc->ticks);
  if (!instant) {
    fields.badValue(utc_property.name, "FILETIME " + std::to_string(utc->ticks), "",
                    "the value is MAPI's \"no date\" marker or out of range");
    return std::nullopt;
  }
  const UtcDateGuess guess = civilDateFromUtcMidnight(*instant);
  if (!guess.exact) {
    fields.report("contact.date_from_utc", model::Severity::kWarning, utc_property.name, model::toIsoString(*instant),
                  guess.date.toIsoString(),
                  "only the UTC form exists and it is not midnight: it is the user's local midnight, so the day "
                  "is taken as the one that midnight falls on in the nearest zone (" +
                      std::string(local_property.name) + " is missing)");
  }
  return guess.date;
}

void mapPhoto(FieldReader& fields, const PropertyBag& bag, const model::Provenance& provenance,
              std::vector<model::Finding>& findings, model::Contact& contact) {
  for (const PropertyBag& row : bag.attachments) {
    FieldReader attachment(row, provenance, findings);
    const auto* is_photo = attachment.get<bool>(kPidTagAttachmentContactPhoto);
    if (is_photo == nullptr || !*is_photo) continue;
    const auto* data = attachment.get<Binary>(kPidTagAttachDataBinary);
    if (data == nullptr || data->empty()) {
      fields.report("contact.photo_unreadable", model::Severity::kWarning, kPidTagAttachmentContactPhoto.name, "", "",
                    "the photo attachment has no data; the contact is kept without a photo");
      return;
    }
    contact.photo = model::ContactPhoto{*data, attachment.string(kPidTagAttachExtension),
                                        attachment.string(kPidTagAttachMimeTag)};
    return;
  }
  if (const auto* has_picture = fields.get<bool>(kPidLidHasPicture); has_picture && *has_picture) {
    fields.report("contact.photo_missing", model::Severity::kInfo, kPidLidHasPicture.name, "true", "",
                  "the contact says it has a photo but no attachment is marked as one");
  }
}

}  // namespace

Result<model::Contact> mapContact(const PropertyBag& bag, const model::Provenance& provenance,
                                  std::vector<model::Finding>& findings) {
  FieldReader fields(bag, provenance, findings);
  model::Contact contact;
  contact.provenance = provenance;
  contact.message_class = bag.message_class;
  mapNames(fields, contact);
  mapEmails(fields, contact);
  mapPhones(fields, contact);
  mapAddresses(fields, contact);
  contact.company = fields.string(kPidTagCompanyName);
  contact.department = fields.string(kPidTagDepartmentName);
  contact.job_title = fields.string(kPidTagTitle);
  contact.manager = fields.string(kPidTagManagerName);
  contact.assistant = fields.string(kPidTagAssistant);
  contact.web_page = fields.string(kPidLidHtml);
  if (contact.web_page.empty()) contact.web_page = fields.string(kPidTagBusinessHomePage);
  if (contact.web_page.empty()) contact.web_page = fields.string(kPidTagPersonalHomePage);
  contact.im_address = fields.string(kPidLidInstantMessagingAddress);
  contact.birthday = readDate(fields, kPidLidBirthdayLocal, kPidTagBirthday);
  contact.anniversary = readDate(fields, kPidLidWeddingAnniversaryLocal, kPidTagWeddingAnniversary);
  contact.notes = readBody(fields);
  contact.categories = readCategories(fields);
  mapPhoto(fields, bag, provenance, findings, contact);
  return contact;
}

Result<model::DistList> mapDistList(const PropertyBag& bag, const model::Provenance& provenance,
                                    std::vector<model::Finding>& findings) {
  FieldReader fields(bag, provenance, findings);
  model::DistList list;
  list.provenance = provenance;
  list.message_class = bag.message_class;
  list.name = fields.string(kPidLidDistributionListName);
  if (list.name.empty()) list.name = fields.string(kPidTagDisplayName);
  if (list.name.empty()) list.name = stripSubjectMarker(fields.string(kPidTagSubject));
  list.file_as = fields.string(kPidLidFileUnder);
  list.notes = readBody(fields);
  list.categories = readCategories(fields);

  static const std::vector<Binary> kNone;
  const auto* members = fields.get<std::vector<Binary>>(kPidLidDistributionListMembers);
  const auto* one_offs = fields.get<std::vector<Binary>>(kPidLidDistributionListOneOffMembers);
  if (members == nullptr) members = &kNone;
  if (one_offs == nullptr) one_offs = &kNone;
  if (!one_offs->empty() && one_offs->size() != members->size()) {
    fields.badValue(kPidLidDistributionListOneOffMembers.name, std::to_string(one_offs->size()) + " entries",
                    std::to_string(members->size()) + " members",
                    "not index-aligned with PidLidDistributionListMembers ([MS-OXOCNTC] 2.2.2.2.2); names and "
                    "addresses are taken from it only where an entry exists");
  }
  std::size_t count = members->size();
  if (count > kMaxMembers) {
    fields.badValue(kPidLidDistributionListMembers.name, std::to_string(count) + " members",
                    std::to_string(kMaxMembers), "more members than a list can hold; the rest are dropped");
    count = kMaxMembers;
  }
  for (std::size_t index = 0; index < count; ++index) {
    auto member = parseDistListMember((*members)[index], kPidLidDistributionListMembers.name);
    if (!member) {
      fields.badValue(kPidLidDistributionListMembers.name, "member " + std::to_string(index), "",
                      member.error().message + "; the member is left out");
      continue;
    }
    if (index < one_offs->size()) {
      auto one_off = parseOneOffEntryId((*one_offs)[index], kPidLidDistributionListOneOffMembers.name);
      if (one_off) {
        if (member->display_name.empty()) member->display_name = one_off->display_name;
        if (member->address_type.empty()) member->address_type = one_off->address_type;
        if (member->email.empty()) member->email = one_off->email;
      } else {
        fields.badValue(kPidLidDistributionListOneOffMembers.name, "member " + std::to_string(index), "",
                        one_off.error().message);
      }
    }
    list.members.push_back(std::move(member).value());
  }
  return list;
}

}  // namespace m2z::readers::mapi
