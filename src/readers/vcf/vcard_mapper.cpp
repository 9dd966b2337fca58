#include "readers/vcf/vcard_mapper.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>

namespace m2z::readers::vcf {
namespace {

using model::AddressKind;
using model::PhoneKind;
using model::Severity;

std::string trim(std::string_view text) {
  std::size_t start = 0;
  std::size_t end = text.size();
  while (start < end && (text[start] == ' ' || text[start] == '\t' || text[start] == '\r' || text[start] == '\n')) {
    ++start;
  }
  while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r' ||
                         text[end - 1] == '\n')) {
    --end;
  }
  return std::string(text.substr(start, end - start));
}

bool startsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && equalsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

std::string joinNonEmpty(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

// Properties that say something about the card rather than the person, read or not needed.
bool isCardMetadata(const std::string& name) {
  static const std::set<std::string> kNames = {"VERSION", "PRODID", "REV", "UID", "KIND", "X-ADDRESSBOOKSERVER-KIND",
                                               "CLIENTPIDMAP", "NAME", "PROFILE", "SOURCE", "X-ABLABEL",
                                               "X-MS-OL-DEFAULT-POSTAL-ADDRESS"};
  return kNames.count(name) > 0;
}

bool isImProperty(const std::string& name) {
  static const std::set<std::string> kNames = {"X-MS-IMADDRESS", "IMPP", "X-AIM", "X-JABBER", "X-ICQ", "X-MSN",
                                               "X-YAHOO", "X-SKYPE", "X-SKYPE-USERNAME", "X-GTALK", "X-GOOGLE-TALK",
                                               "X-QQ"};
  return kNames.count(name) > 0;
}

struct PhotoType {
  std::string mime_type;
  std::string extension;
};

std::optional<PhotoType> photoTypeOfName(std::string_view name) {
  std::string upper = toUpper(name);
  if (startsWithIgnoreCase(upper, "IMAGE/")) upper = upper.substr(6);
  if (upper == "JPEG" || upper == "JPG" || upper == "PJPEG") return PhotoType{"image/jpeg", ".jpg"};
  if (upper == "PNG") return PhotoType{"image/png", ".png"};
  if (upper == "GIF") return PhotoType{"image/gif", ".gif"};
  if (upper == "BMP") return PhotoType{"image/bmp", ".bmp"};
  if (upper == "TIFF" || upper == "TIF") return PhotoType{"image/tiff", ".tif"};
  return std::nullopt;
}

// The image formats Outlook and phones write, told by their signatures.
std::optional<PhotoType> photoTypeOfBytes(const std::vector<std::uint8_t>& data) {
  if (data.size() >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return PhotoType{"image/jpeg", ".jpg"};
  if (data.size() >= 4 && data[0] == 0x89 && data[1] == 'P' && data[2] == 'N' && data[3] == 'G') {
    return PhotoType{"image/png", ".png"};
  }
  if (data.size() >= 4 && data[0] == 'G' && data[1] == 'I' && data[2] == 'F' && data[3] == '8') {
    return PhotoType{"image/gif", ".gif"};
  }
  if (data.size() >= 2 && data[0] == 'B' && data[1] == 'M') return PhotoType{"image/bmp", ".bmp"};
  return std::nullopt;
}

// "+1-418-656-9254;ext=102" (RFC 3966) as people write it: "+1-418-656-9254 ext. 102"; other
// URI parameters carry nothing a phone field can show.
std::string telUriAsText(std::string_view uri) {
  const std::size_t semicolon = uri.find(';');
  std::string number(uri.substr(0, semicolon));
  if (semicolon == std::string_view::npos) return number;
  for (const auto& parameter : splitUnescaped(uri.substr(semicolon + 1), ';')) {
    if (startsWithIgnoreCase(parameter, "ext=")) number += " ext. " + parameter.substr(4);
  }
  return number;
}

class CardMapper {
 public:
  CardMapper(const model::Provenance& provenance, std::vector<model::Finding>& findings)
      : provenance_(provenance), findings_(findings) {}

  Result<MappedCard> map(const std::vector<VcardProperty>& properties) {
    if (auto version = readVersion(properties); !version.ok()) return version.error();
    bool is_group = false;
    for (const auto& property : properties) {
      if ((property.name == "KIND" || property.name == "X-ADDRESSBOOKSERVER-KIND") &&
          equalsIgnoreCase(trim(property.value), "group")) {
        is_group = true;
      }
      if (property.name == "UID") uid_ = trim(property.value);
    }
    contact_.provenance = provenance_;
    contact_.message_class = "IPM.Contact";
    for (const auto& property : properties) {
      if (auto status = mapProperty(property, is_group); !status.ok()) return status.error();
    }
    finishAddresses();
    if (contact_.display_name.empty()) {
      contact_.display_name = joinNonEmpty(
          {contact_.prefix, contact_.given_name, contact_.middle_name, contact_.surname, contact_.suffix}, " ");
    }
    std::sort(contact_.phones.begin(), contact_.phones.end(),
              [](const model::Phone& a, const model::Phone& b) { return a.kind < b.kind; });
    if (!not_carried_.empty()) {
      std::string names;
      for (const auto& [name, count] : not_carried_) {
        if (!names.empty()) names += ", ";
        names += count > 1 ? name + " (" + std::to_string(count) + ")" : name;
      }
      report("vcf.properties_not_carried", Severity::kInfo, names, names, "",
             "the contact model has no field for these properties (or for more than one of them), so they are "
             "not carried over");
    }
    MappedCard mapped;
    mapped.uid = uid_;
    mapped.known.entry_id = provenance_.entry_id;
    mapped.known.display_name = contact_.display_name;
    mapped.known.email = contact_.emails.empty() ? std::string() : contact_.emails.front().address;
    mapped.known.is_group = is_group;
    if (is_group) {
      model::DistList list;
      list.provenance = provenance_;
      list.message_class = "IPM.DistList";
      list.name = contact_.display_name;
      list.members = std::move(members_);
      list.notes = contact_.notes;
      list.categories = contact_.categories;
      mapped.dist_list = std::move(list);
    } else {
      mapped.contact = std::move(contact_);
    }
    return mapped;
  }

 private:
  Status readVersion(const std::vector<VcardProperty>& properties) {
    for (const auto& property : properties) {
      if (property.name != "VERSION") continue;
      const std::string value = trim(property.value);
      if (value == "2.1") {
        version_ = VcardVersion::k21;
      } else if (value == "3.0") {
        version_ = VcardVersion::k30;
      } else if (value == "4.0") {
        version_ = VcardVersion::k40;
      } else {
        return Error{"vcf.unsupported_version", "VERSION is \"" + value + "\"; expected 2.1, 3.0 or 4.0",
                     where(property)};
      }
      return {};
    }
    report("vcf.version_missing", Severity::kInfo, "VERSION", "", "3.0",
           "the card has no VERSION property; it is read as vCard 3.0");
    return {};
  }

  std::string where(const VcardProperty& property) const {
    return provenance_.source_file + ", card " + provenance_.entry_id + ", line " + std::to_string(property.line) +
           ", property " + property.name;
  }

  void report(std::string kind, Severity severity, std::string field, std::string before, std::string after,
              std::string why) {
    findings_.push_back(model::Finding{std::move(kind), severity, provenance_, std::move(field), std::move(before),
                                       std::move(after), std::move(why), false});
  }

  void notCarried(const std::string& name) { ++not_carried_[name]; }

  // The property's value as UTF-8 text, still escaped: transfer encoding undone, charset converted.
  Result<std::string> decoded(const VcardProperty& property) {
    std::string bytes;
    const std::string encoding = toUpper(property.parameter("ENCODING"));
    if (encoding == "QUOTED-PRINTABLE") {
      auto text = decodeQuotedPrintable(property.value);
      if (!text) {
        return Error{"vcf.bad_quoted_printable",
                     "the value is marked QUOTED-PRINTABLE but has an '=' not followed by two hex digits",
                     where(property)};
      }
      bytes = std::move(*text);
    } else if (encoding == "BASE64" || encoding == "B") {
      auto data = decodeBase64(property.value);
      if (!data) return Error{"vcf.bad_base64", "the value is marked BASE64 but is not base64", where(property)};
      bytes.assign(data->begin(), data->end());
    } else {
      bytes = property.value;
    }
    const std::string charset = property.parameter("CHARSET");
    if (!charset.empty() && !equalsIgnoreCase(charset, "utf-8") && !equalsIgnoreCase(charset, "us-ascii")) {
      auto converted = toUtf8(bytes, charset);
      if (converted.ok()) return std::move(converted).value();
      report("vcf.unknown_charset", Severity::kWarning, property.name, charset, "",
             converted.error().message + " (line " + std::to_string(property.line) + ")");
    }
    if (isValidUtf8(bytes)) return bytes;
    // Outlook writes 2.1 cards in the machine's ANSI code page without saying so; windows-1252 is
    // what it is on the Western European systems these files mostly come from.
    auto guessed = toUtf8(bytes, "windows-1252");
    if (!guessed.ok()) return guessed.error();
    report("vcf.charset_guessed", Severity::kInfo, property.name, "", "windows-1252",
           "the value is not UTF-8 and names no CHARSET (line " + std::to_string(property.line) + ")");
    return std::move(guessed).value();
  }

  Result<std::string> text(const VcardProperty& property) {
    auto value = decoded(property);
    if (!value.ok()) return value.error();
    return unescapeText(*value, version_);
  }

  Result<std::vector<std::string>> components(const VcardProperty& property) {
    auto value = decoded(property);
    if (!value.ok()) return value.error();
    std::vector<std::string> parts;
    for (const auto& part : splitUnescaped(*value, ';')) parts.push_back(unescapeText(part, version_));
    return parts;
  }

  // Sets a single-valued field once; later values of the same property are reported.
  Status single(const VcardProperty& property, std::string& field) {
    auto value = text(property);
    if (!value.ok()) return value.error();
    std::string trimmed = trim(*value);
    if (trimmed.empty()) return {};
    if (!field.empty()) {
      notCarried(property.name);
      return {};
    }
    field = std::move(trimmed);
    return {};
  }

  Status mapProperty(const VcardProperty& property, bool is_group) {
    const std::string& name = property.name;
    if (isCardMetadata(name)) return {};
    if (is_group && name != "FN" && name != "N" && name != "NOTE" && name != "CATEGORIES" && name != "MEMBER" &&
        name != "X-ADDRESSBOOKSERVER-MEMBER") {
      notCarried(name);  // a distribution list keeps only its name, notes, categories and members
      return {};
    }
    if (name == "FN") return single(property, contact_.display_name);
    if (name == "N") return mapName(property);
    if (name == "NICKNAME") {
      auto value = decoded(property);
      if (!value.ok()) return value.error();
      std::vector<std::string> names;
      // 3.0 and 4.0 make NICKNAME a comma-separated list; 2.1 has no lists.
      if (version_ == VcardVersion::k21) {
        names.push_back(trim(unescapeText(*value, version_)));
      } else {
        for (const auto& part : splitUnescaped(*value, ',')) names.push_back(trim(unescapeText(part, version_)));
      }
      const std::string joined = joinNonEmpty(names, ", ");
      if (!contact_.nickname.empty() && !joined.empty()) {
        notCarried(name);
      } else if (!joined.empty()) {
        contact_.nickname = joined;
      }
      return {};
    }
    if (name == "ORG") {
      auto parts = components(property);
      if (!parts.ok()) return parts.error();
      if (!contact_.company.empty() || !contact_.department.empty()) {
        notCarried(name);
        return {};
      }
      contact_.company = trim(parts->front());
      std::vector<std::string> units;
      for (std::size_t i = 1; i < parts->size(); ++i) units.push_back(trim((*parts)[i]));
      contact_.department = joinNonEmpty(units, ", ");
      return {};
    }
    if (name == "TITLE") return single(property, contact_.job_title);
    if (name == "EMAIL") return mapEmail(property);
    if (name == "TEL" || name == "X-MS-TEL") return mapPhone(property);
    if (name == "ADR") return mapAddress(property);
    if (name == "LABEL") return mapLabel(property);
    if (name == "URL") return single(property, contact_.web_page);
    if (name == "BDAY") return mapDate(property, contact_.birthday);
    if (name == "ANNIVERSARY" || name == "X-ANNIVERSARY" || name == "X-MS-ANNIVERSARY") {
      return mapDate(property, contact_.anniversary);
    }
    if (name == "NOTE") {
      auto value = text(property);
      if (!value.ok()) return value.error();
      if (value->empty()) return {};
      // Several notes are kept, one after the other, rather than dropping any.
      if (!contact_.notes.empty()) contact_.notes += "\n\n";
      contact_.notes += *value;
      return {};
    }
    if (name == "CATEGORIES") {
      auto value = decoded(property);
      if (!value.ok()) return value.error();
      for (const auto& part : splitUnescaped(*value, ',')) {
        std::string category = trim(unescapeText(part, version_));
        if (!category.empty() && seen_categories_.insert(category).second) {
          contact_.categories.push_back(std::move(category));
        }
      }
      return {};
    }
    if (name == "PHOTO" || name == "X-MS-CARDPICTURE") return mapPhoto(property);
    if (isImProperty(name)) return single(property, contact_.im_address);
    if (name == "X-MS-MANAGER") return single(property, contact_.manager);
    if (name == "X-MS-ASSISTANT") return single(property, contact_.assistant);
    if (is_group && (name == "MEMBER" || name == "X-ADDRESSBOOKSERVER-MEMBER")) return mapMember(property);
    notCarried(name);
    return {};
  }

  Status mapName(const VcardProperty& property) {
    if (have_name_) {
      notCarried("N");
      return {};
    }
    have_name_ = true;
    auto value = decoded(property);
    if (!value.ok()) return value.error();
    const auto parts = splitUnescaped(*value, ';');
    std::array<std::string, 5> fields;
    for (std::size_t i = 0; i < parts.size() && i < fields.size(); ++i) {
      // Components may be comma-separated lists (RFC 6350 6.2.2). Outlook writes its middle name
      // "Richter James" as "Richter,James" in 2.1 cards too: its own FN then reads "John Richter
      // James Doe", so commas are list separators in every version, joined back with a space.
      std::vector<std::string> items;
      for (const auto& item : splitUnescaped(parts[i], ',')) items.push_back(trim(unescapeText(item, version_)));
      fields[i] = joinNonEmpty(items, " ");
    }
    contact_.surname = fields[0];
    contact_.given_name = fields[1];
    contact_.middle_name = fields[2];
    contact_.prefix = fields[3];
    contact_.suffix = fields[4];
    return {};
  }

  Status mapEmail(const VcardProperty& property) {
    auto value = text(property);
    if (!value.ok()) return value.error();
    std::string address = trim(*value);
    if (startsWithIgnoreCase(address, "mailto:")) address = address.substr(7);
    if (address.empty()) return {};
    if (contact_.emails.size() >= 3) {
      report("contact.email_not_carried", Severity::kWarning, "EMAIL", address, "",
             "the contact already has three e-mail addresses, all Outlook and the model keep (line " +
                 std::to_string(property.line) + ")");
      return {};
    }
    model::ContactEmail email;
    email.slot = static_cast<int>(contact_.emails.size()) + 1;
    email.address = std::move(address);
    email.address_type = property.hasType("X400") ? "X400" : "SMTP";
    contact_.emails.push_back(std::move(email));
    return {};
  }

  static PhoneKind phoneKindOf(const VcardProperty& property) {
    auto has = [&](std::initializer_list<const char*> names) {
      return std::any_of(names.begin(), names.end(), [&](const char* n) { return property.hasType(n); });
    };
    const bool work = has({"WORK"});
    const bool home = has({"HOME"});
    if (has({"FAX"})) return work ? PhoneKind::kBusinessFax : home ? PhoneKind::kHomeFax : PhoneKind::kPrimaryFax;
    if (has({"PAGER"})) return PhoneKind::kPager;
    if (has({"CELL", "MOBILE", "IPHONE"})) return PhoneKind::kMobile;
    if (has({"CAR"})) return PhoneKind::kCar;
    if (has({"ISDN"})) return PhoneKind::kIsdn;
    if (has({"TELEX", "X-TELEX"})) return PhoneKind::kTelex;
    if (has({"CALLBACK", "X-CALLBACK"})) return PhoneKind::kCallback;
    if (has({"RADIO", "X-RADIO"})) return PhoneKind::kRadio;
    if (has({"COMPANY", "X-COMPANY", "MAIN"})) return PhoneKind::kCompanyMain;
    if (has({"TTY/TDD", "TTYTDD", "X-TTYTDD", "TEXTPHONE"})) return PhoneKind::kTtyTdd;
    if (has({"ASSISTANT", "X-ASSISTANT"})) return PhoneKind::kAssistant;
    if (work) return PhoneKind::kBusiness;
    if (home) return PhoneKind::kHome;
    if (has({"PREF"})) return PhoneKind::kPrimary;
    return PhoneKind::kOther;
  }

  bool hasPhone(PhoneKind kind) const {
    return std::any_of(contact_.phones.begin(), contact_.phones.end(),
                       [&](const model::Phone& phone) { return phone.kind == kind; });
  }

  Status mapPhone(const VcardProperty& property) {
    auto value = text(property);
    if (!value.ok()) return value.error();
    std::string number = trim(*value);
    if (startsWithIgnoreCase(number, "tel:")) number = telUriAsText(number.substr(4));  // 4.0 VALUE=uri
    if (number.empty()) return {};
    PhoneKind kind = phoneKindOf(property);
    // Outlook has a second business and home number; its 2.1 export writes both as plain
    // TEL;WORK;VOICE / TEL;HOME;VOICE, the first being the first one.
    if (hasPhone(kind) && kind == PhoneKind::kBusiness) kind = PhoneKind::kBusiness2;
    if (hasPhone(kind) && kind == PhoneKind::kHome) kind = PhoneKind::kHome2;
    if (hasPhone(kind)) kind = PhoneKind::kOther;
    if (hasPhone(kind)) {
      report("contact.phone_not_carried", Severity::kWarning, property.name, number, "",
             "every phone slot this number could take is already used (line " + std::to_string(property.line) +
                 ")");
      return {};
    }
    contact_.phones.push_back(model::Phone{kind, std::move(number)});
    return {};
  }

  static AddressKind addressKindOf(const VcardProperty& property) {
    if (property.hasType("WORK")) return AddressKind::kWork;
    if (property.hasType("HOME")) return AddressKind::kHome;
    return AddressKind::kOther;
  }

  model::PostalAddress* addressOf(AddressKind kind) {
    for (auto& address : contact_.addresses) {
      if (address.kind == kind) return &address;
    }
    return nullptr;
  }

  Status mapAddress(const VcardProperty& property) {
    auto parts = components(property);
    if (!parts.ok()) return parts.error();
    const AddressKind kind = addressKindOf(property);
    model::PostalAddress address;
    address.kind = kind;
    if (parts->size() == 1) {
      // Not structured at all (some converters write the address as one text): the street line
      // is where Outlook shows such a text, rather than the post office box the first component
      // would be.
      address.street = trim(parts->front());
    } else {
      parts->resize(std::max<std::size_t>(parts->size(), 7));
      address.post_office_box = trim((*parts)[0]);
      // The extended address (suite, building) is the first line of the street block, as the
      // LABEL Outlook writes beside the ADR shows ("TheOffice=0D=0A123 Main St").
      address.street = joinNonEmpty({trim((*parts)[1]), trim((*parts)[2])}, "\n");
      address.city = trim((*parts)[3]);
      address.state = trim((*parts)[4]);
      address.postal_code = trim((*parts)[5]);
      address.country = trim((*parts)[6]);
    }
    const std::string label = property.parameter("LABEL");  // 4.0 keeps the label on ADR itself
    if (!label.empty()) address.formatted = label;
    if (address.empty()) return {};
    if (addressOf(kind) != nullptr) {
      report("contact.address_not_carried", Severity::kWarning, "ADR", joinNonEmpty(*parts, ";"), "",
             std::string("the contact already has a ") + model::toString(kind) + " address (line " +
                 std::to_string(property.line) + ")");
      return {};
    }
    if (property.hasType("PREF")) preferred_address_ = kind;
    contact_.addresses.push_back(std::move(address));
    return {};
  }

  Status mapLabel(const VcardProperty& property) {
    auto value = text(property);
    if (!value.ok()) return value.error();
    std::string label = trim(*value);
    if (label.empty()) return {};
    labels_.push_back({addressKindOf(property), std::move(label), property.line});
    return {};
  }

  void finishAddresses() {
    for (auto& [kind, label, line] : labels_) {
      model::PostalAddress* address = addressOf(kind);
      if (address == nullptr) {
        contact_.addresses.push_back(model::PostalAddress{});
        address = &contact_.addresses.back();
        address->kind = kind;
      }
      if (!address->formatted.empty()) {
        notCarried("LABEL");
        continue;
      }
      address->formatted = std::move(label);
    }
    std::sort(contact_.addresses.begin(), contact_.addresses.end(),
              [](const model::PostalAddress& a, const model::PostalAddress& b) { return a.kind < b.kind; });
    std::optional<AddressKind> mailing = preferred_address_;
    if (default_postal_) mailing = default_postal_;
    if (mailing && addressOf(*mailing) != nullptr) contact_.mailing_address = mailing;
  }

  Status mapDate(const VcardProperty& property, std::optional<model::CivilDate>& field) {
    auto value = text(property);
    if (!value.ok()) return value.error();
    const std::string trimmed = trim(*value);
    if (trimmed.empty()) return {};
    bool no_year = false;
    auto date = parseVcardDate(trimmed, &no_year);
    if (!date) {
      report("contact.date_unreadable", Severity::kWarning, property.name, trimmed, "",
             "not a date in a form vCard defines (line " + std::to_string(property.line) + ")");
      return {};
    }
    if (field) {
      notCarried(property.name);
      return {};
    }
    if (no_year) {
      report("contact.date_without_year", Severity::kInfo, property.name, trimmed, date->toIsoString(),
             "the date has no year; it is kept with the year " + std::to_string(kNoYear) +
                 " (a leap year, so 29 February stays valid)");
    }
    field = date;
    return {};
  }

  Status mapPhoto(const VcardProperty& property) {
    if (contact_.photo) {
      notCarried(property.name);
      return {};
    }
    model::ContactPhoto photo;
    std::optional<std::vector<std::uint8_t>> data;
    std::optional<PhotoType> type;
    const std::string encoding = toUpper(property.parameter("ENCODING"));
    if (encoding == "BASE64" || encoding == "B") {
      data = decodeBase64(property.value);
    } else if (startsWithIgnoreCase(property.value, "data:")) {
      // RFC 2397 data URI, as 4.0 writes inline photos: data:image/jpeg;base64,....
      const std::size_t comma = property.value.find(',');
      if (comma != std::string::npos) {
        const std::string header = property.value.substr(5, comma - 5);
        if (header.find(";base64") != std::string::npos || header.find(";BASE64") != std::string::npos) {
          data = decodeBase64(std::string_view(property.value).substr(comma + 1));
        }
        type = photoTypeOfName(header.substr(0, header.find(';')));
      }
    } else {
      report("contact.photo_not_embedded", Severity::kInfo, property.name, trim(property.value), "",
             "the photo is a link, which is not fetched (line " + std::to_string(property.line) + ")");
      return {};
    }
    if (!data || data->empty()) {
      report("contact.photo_unreadable", Severity::kWarning, property.name, "", "",
             "the photo data is not valid base64 (line " + std::to_string(property.line) + ")");
      return {};
    }
    if (!type) {
      for (const auto& candidate : property.types()) {
        if ((type = photoTypeOfName(candidate))) break;
      }
    }
    if (!type) type = photoTypeOfName(property.parameter("MEDIATYPE"));
    if (!type) type = photoTypeOfBytes(*data);
    photo.data = std::move(*data);
    if (type) {
      photo.mime_type = type->mime_type;
      photo.extension = type->extension;
    }
    contact_.photo = std::move(photo);
    return {};
  }

  Status mapMember(const VcardProperty& property) {
    const std::string value = trim(property.value);
    if (value.empty()) return {};
    model::DistListMember member;
    if (startsWithIgnoreCase(value, "mailto:")) {
      member.kind = model::DistListMemberKind::kOneOff;
      member.address_type = "SMTP";
      member.email = value.substr(7);
      member.display_name = member.email;
    } else {
      // A reference to another card ("urn:uuid:..."), which may come later in the file: the
      // reader resolves it once it has seen every card.
      member.kind = model::DistListMemberKind::kUnknown;
      member.display_name = value;
    }
    members_.push_back(std::move(member));
    return {};
  }

 public:
  void readDefaultPostal(const std::vector<VcardProperty>& properties) {
    for (const auto& property : properties) {
      if (property.name != "X-MS-OL-DEFAULT-POSTAL-ADDRESS") continue;
      // PidLidPostalAddressId ([MS-OXOCNTC] 2.2.1.3.9): 1 home, 2 work, 3 other, 0 none.
      const std::string value = trim(property.value);
      if (value == "1") default_postal_ = AddressKind::kHome;
      if (value == "2") default_postal_ = AddressKind::kWork;
      if (value == "3") default_postal_ = AddressKind::kOther;
    }
  }

 private:
  struct Label {
    AddressKind kind;
    std::string text;
    int line;
  };

  const model::Provenance& provenance_;
  std::vector<model::Finding>& findings_;
  VcardVersion version_ = VcardVersion::k30;
  model::Contact contact_;
  std::vector<model::DistListMember> members_;
  std::vector<Label> labels_;
  std::map<std::string, int> not_carried_;
  std::set<std::string> seen_categories_;
  std::optional<AddressKind> preferred_address_;
  std::optional<AddressKind> default_postal_;
  std::string uid_;
  bool have_name_ = false;
};

bool allDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int number(std::string_view digits) {
  int value = 0;
  for (const char c : digits) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

std::string normalizedUid(std::string_view uid) {
  std::string out = trim(uid);
  if (startsWithIgnoreCase(out, "urn:uuid:")) out = out.substr(9);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<model::CivilDate> parseVcardDate(std::string_view text, bool* no_year) {
  if (no_year != nullptr) *no_year = false;
  // The time, if any, is dropped on purpose: a birthday written as 1980-03-22T00:00:00Z is the
  // 22nd wherever the reader is, and shifting it to a zone would move it a day.
  const std::size_t t = text.find_first_of("Tt");
  if (t != std::string_view::npos) text = text.substr(0, t);
  std::string digits;
  bool yearless = false;
  if (text.size() >= 2 && text[0] == '-' && text[1] == '-') {
    yearless = true;
    text = text.substr(2);
  }
  for (const char c : text) {
    if (c != '-') digits += c;
  }
  if (!allDigits(digits)) return std::nullopt;
  // Dashes are allowed only where the extended forms put them.
  if (text.find('-') != std::string_view::npos) {
    if (!yearless && !(text.size() == 10 && text[4] == '-' && text[7] == '-')) return std::nullopt;
    if (yearless && !(text.size() == 5 && text[2] == '-')) return std::nullopt;
  }
  model::CivilDate date;
  if (yearless && digits.size() == 4) {
    date = model::CivilDate{kNoYear, number(digits.substr(0, 2)), number(digits.substr(2, 2))};
  } else if (!yearless && digits.size() == 8) {
    date = model::CivilDate{number(digits.substr(0, 4)), number(digits.substr(4, 2)), number(digits.substr(6, 2))};
  } else {
    return std::nullopt;
  }
  if (!date.isValid()) return std::nullopt;
  if (no_year != nullptr) *no_year = yearless;
  return date;
}

Result<MappedCard> mapCard(const std::vector<VcardProperty>& properties, const model::Provenance& provenance,
                           std::vector<model::Finding>& findings) {
  CardMapper mapper(provenance, findings);
  mapper.readDefaultPostal(properties);
  return mapper.map(properties);
}

}  // namespace m2z::readers::vcf
