#include "normalize/check_addresses.h"

#include "normalize/findings.h"
#include "normalize/text_limits.h"

namespace m2z::normalize {

namespace {

constexpr std::size_t kMaxLocalPart = 64;
constexpr std::size_t kMaxDomain = 255;
constexpr std::size_t kMaxAddress = 254;
constexpr std::size_t kMaxLabel = 63;

bool isAsciiAlnum(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// atext of RFC 5322 3.2.3, plus UTF-8 beyond ASCII (RFC 6531 3.3).
bool isAtext(unsigned char c) {
  static constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
  return isAsciiAlnum(c) || kSpecials.find(static_cast<char>(c)) != std::string_view::npos || c >= 0x80;
}

std::optional<std::string> localPartProblem(std::string_view local) {
  if (local.empty()) return "nothing before the '@'";
  if (local.size() > kMaxLocalPart) return "the part before the '@' is longer than 64 octets";
  if (local.size() >= 2 && local.front() == '"' && local.back() == '"') {
    for (std::size_t i = 1; i + 1 < local.size(); ++i) {
      const auto c = static_cast<unsigned char>(local[i]);
      if (c < 0x20 || c == 0x7F) return "a control character in the quoted part";
    }
    return std::nullopt;
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return "a dot at the start or end of the part before the '@', or two dots in a row";
  }
  for (const char c : local) {
    if (c != '.' && !isAtext(static_cast<unsigned char>(c))) {
      return std::string("the character '") + c + "' before the '@'";
    }
  }
  return std::nullopt;
}

std::optional<std::string> domainProblem(std::string_view domain) {
  if (domain.empty()) return "nothing after the '@'";
  if (domain.size() > kMaxDomain) return "the domain is longer than 255 octets";
  if (domain.front() == '[') {
    if (domain.back() != ']' || domain.size() < 3) return "an address literal without its closing ']'";
    for (const char c : domain.substr(1, domain.size() - 2)) {
      const auto u = static_cast<unsigned char>(c);
      if (!isAsciiAlnum(u) && c != '.' && c != ':') return "an address literal with other than digits, '.' or ':'";
    }
    return std::nullopt;
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = domain.find('.', start);
    const std::string_view label = domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty()) return "an empty label in the domain (two dots, or a dot at an end)";
    if (label.size() > kMaxLabel) return "a domain label longer than 63 octets";
    if (label.front() == '-' || label.back() == '-') return "a domain label that starts or ends with '-'";
    for (const char c : label) {
      const auto u = static_cast<unsigned char>(c);
      if (!isAsciiAlnum(u) && c != '-' && u < 0x80) return std::string("the character '") + c + "' in the domain";
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return std::nullopt;
}

bool hasPrefixIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// Removes what address books and old clients wrap around an address; returns it unchanged when
// there is nothing to remove.
std::string withoutWrapping(std::string_view address) {
  std::string_view core = text::trimSpaces(address);
  while (!core.empty()) {
    if (hasPrefixIgnoringCase(core, "mailto:")) {
      core = text::trimSpaces(core.substr(7));
    } else if (hasPrefixIgnoringCase(core, "smtp:")) {
      core = text::trimSpaces(core.substr(5));
    } else if (core.size() >= 2 &&
               ((core.front() == '<' && core.back() == '>') || (core.front() == '\'' && core.back() == '\''))) {
      core = text::trimSpaces(core.substr(1, core.size() - 2));
    } else {
      break;
    }
  }
  return std::string(core);
}

void checkPerson(const model::Appointment& item, model::Person& person, const char* field,
                 std::vector<model::Finding>& findings) {
  if (!person.hasSmtpAddress()) return;
  const std::string cleaned = withoutWrapping(person.email);
  if (cleaned != person.email && !mailboxProblem(cleaned)) {
    findings.push_back(makeFinding(item.provenance, "person.email_repaired", model::Severity::kInfo, field,
                                   person.email, cleaned,
                                   "the address carried spaces, brackets, quotes or a \"mailto:\"/\"SMTP:\" "
                                   "prefix around it; only the address is sent"));
    person.email = cleaned;
    return;
  }
  if (auto problem = mailboxProblem(person.email)) {
    findings.push_back(makeFinding(item.provenance, "person.invalid_email", model::Severity::kWarning, field,
                                   text::withoutControlCharacters(person.display_name + " <" + person.email + ">"),
                                   "",
                                   "the address is not a valid Internet mailbox (" + *problem +
                                       "); Zimbra would refuse the appointment because of it, so this person "
                                       "is not carried over"));
    person.email.clear();
  }
}

}  // namespace

std::optional<std::string> mailboxProblem(std::string_view address) {
  if (address.size() > kMaxAddress) return "longer than 254 octets";
  if (!text::isValidUtf8(address)) return "not valid UTF-8";
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos) return "no '@'";
  if (auto problem = localPartProblem(address.substr(0, at))) return problem;
  return domainProblem(address.substr(at + 1));
}

void checkAddresses(model::Appointment& item, std::vector<model::Finding>& findings) {
  if (item.organizer) checkPerson(item, *item.organizer, "organizer", findings);
  for (auto& attendee : item.attendees) checkPerson(item, attendee.person, "attendee", findings);
}

}  // namespace m2z::normalize
