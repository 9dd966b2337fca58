#include "model/contact.h"

namespace m2z::model {

const char* toString(PhoneKind kind) {
  switch (kind) {
    case PhoneKind::kBusiness: return "business";
    case PhoneKind::kBusiness2: return "business2";
    case PhoneKind::kBusinessFax: return "business_fax";
    case PhoneKind::kHome: return "home";
    case PhoneKind::kHome2: return "home2";
    case PhoneKind::kHomeFax: return "home_fax";
    case PhoneKind::kMobile: return "mobile";
    case PhoneKind::kPager: return "pager";
    case PhoneKind::kPrimary: return "primary";
    case PhoneKind::kPrimaryFax: return "primary_fax";
    case PhoneKind::kCar: return "car";
    case PhoneKind::kAssistant: return "assistant";
    case PhoneKind::kCallback: return "callback";
    case PhoneKind::kCompanyMain: return "company_main";
    case PhoneKind::kIsdn: return "isdn";
    case PhoneKind::kOther: return "other";
    case PhoneKind::kRadio: return "radio";
    case PhoneKind::kTelex: return "telex";
    case PhoneKind::kTtyTdd: return "tty_tdd";
  }
  return "other";
}

const char* toString(AddressKind kind) {
  switch (kind) {
    case AddressKind::kHome: return "home";
    case AddressKind::kWork: return "work";
    case AddressKind::kOther: return "other";
  }
  return "other";
}

const char* toString(DistListMemberKind kind) {
  switch (kind) {
    case DistListMemberKind::kContact: return "contact";
    case DistListMemberKind::kDistList: return "dist_list";
    case DistListMemberKind::kOneOff: return "one_off";
    case DistListMemberKind::kAddressBook: return "address_book";
    case DistListMemberKind::kUnknown: return "unknown";
  }
  return "unknown";
}

}  // namespace m2z::model
