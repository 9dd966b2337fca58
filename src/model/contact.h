// A contact and a personal distribution list as read from the source ([MS-OXOCNTC]).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/provenance.h"
#include "model/time.h"

namespace m2z::model {

struct ContactEmail {
  int slot = 1;               // 1..3: Outlook's "E-mail", "E-mail 2", "E-mail 3"
  std::string address;        // as stored: SMTP address, or an X.500 DN when address_type is "EX"
  std::string display_name;   // "Jane Doe (jane@example.com)"
  std::string address_type;   // "SMTP", "EX", ...
  bool operator==(const ContactEmail&) const = default;
};

enum class PhoneKind {
  kBusiness, kBusiness2, kBusinessFax, kHome, kHome2, kHomeFax, kMobile, kPager, kPrimary, kPrimaryFax,
  kCar, kAssistant, kCallback, kCompanyMain, kIsdn, kOther, kRadio, kTelex, kTtyTdd
};

struct Phone {
  PhoneKind kind = PhoneKind::kOther;
  std::string number;
  bool operator==(const Phone&) const = default;
};

enum class AddressKind { kHome, kWork, kOther };

struct PostalAddress {
  AddressKind kind = AddressKind::kHome;
  std::string street;
  std::string city;
  std::string state;
  std::string postal_code;
  std::string country;
  std::string post_office_box;
  std::string formatted;  // the whole address as one text, as Outlook shows it
  bool operator==(const PostalAddress&) const = default;
  bool empty() const {
    return street.empty() && city.empty() && state.empty() && postal_code.empty() && country.empty() &&
           post_office_box.empty() && formatted.empty();
  }
};

struct ContactPhoto {
  std::vector<std::uint8_t> data;
  std::string extension;  // ".jpg", as the attachment names it
  std::string mime_type;  // may be empty
};

struct Contact {
  Provenance provenance;
  std::string message_class;  // "IPM.Contact", ...

  std::string display_name;
  std::string file_as;
  std::string given_name;
  std::string middle_name;
  std::string surname;
  std::string prefix;  // "Dr."
  std::string suffix;  // "Jr."
  std::string nickname;
  std::string initials;

  std::vector<ContactEmail> emails;       // in slot order; empty slots left out
  std::vector<Phone> phones;              // in PhoneKind order; empty numbers left out
  std::vector<PostalAddress> addresses;   // home, work, other; empty ones left out
  std::optional<AddressKind> mailing_address;

  std::string company;
  std::string department;
  std::string job_title;
  std::string manager;
  std::string assistant;
  std::string web_page;
  std::string im_address;

  std::optional<CivilDate> birthday;
  std::optional<CivilDate> anniversary;

  std::string notes;  // plain text
  std::vector<std::string> categories;
  std::optional<ContactPhoto> photo;
};

enum class DistListMemberKind {
  kContact,   // a contact in the same store (wrapped entry id)
  kDistList,  // a nested distribution list in the same store
  kOneOff,    // an address typed in directly (one-off entry id)
  kAddressBook,  // an address-book (e.g. Exchange GAL) entry
  kUnknown
};

struct DistListMember {
  DistListMemberKind kind = DistListMemberKind::kUnknown;
  std::string display_name;
  std::string address_type;  // "SMTP", "EX", ...
  std::string email;         // resolved where possible
  // For members in the same store: the member's node id (decimal), which equals the entry_id the
  // reader gives that contact or list; empty otherwise.
  std::string target_entry_id;
  bool operator==(const DistListMember&) const = default;
};

struct DistList {
  Provenance provenance;
  std::string message_class;  // "IPM.DistList"
  std::string name;
  std::string file_as;
  std::vector<DistListMember> members;
  std::string notes;
  std::vector<std::string> categories;
};

const char* toString(PhoneKind kind);
const char* toString(AddressKind kind);
const char* toString(DistListMemberKind kind);

}  // namespace m2z::model
