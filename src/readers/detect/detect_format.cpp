#include "readers/detect/detect_format.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <vector>

namespace m2z::readers::detect {

namespace {

constexpr std::size_t kHeadBytes = 64 * 1024;
constexpr std::string_view kExpected =
    "a PST/OST file, an Outlook .msg, an iCalendar (.ics) or vCard (.vcf) file, EWS XML, PowerShell "
    "Export-Clixml or an Outlook CSV export";

bool startsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The first bytes in a form fit for an error message: printable ASCII kept, the rest as \xNN.
std::string shown(std::string_view head) {
  std::string out;
  for (std::size_t i = 0; i < head.size() && i < 24; ++i) {
    const auto byte = static_cast<unsigned char>(head[i]);
    if (byte >= 0x20 && byte < 0x7F) {
      out += static_cast<char>(byte);
    } else {
      std::array<char, 5> hex{};
      std::snprintf(hex.data(), hex.size(), "\\x%02X", byte);
      out += hex.data();
    }
  }
  return head.empty() ? std::string("an empty file") : "\"" + out + "\"";
}

// UTF-16 text reduced to its ASCII characters, which is all detection looks at.
std::string narrowUtf16(std::string_view text, bool little_endian) {
  std::string out;
  for (std::size_t i = 2; i + 1 < text.size(); i += 2) {
    const char low = little_endian ? text[i] : text[i + 1];
    const char high = little_endian ? text[i + 1] : text[i];
    out += high == 0 ? low : '?';
  }
  return out;
}

std::string_view skipSpace(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at]))) ++at;
  return text.substr(at);
}

// Skips the XML declaration, comments and processing instructions before the root element.
std::string_view rootElement(std::string_view text) {
  text = skipSpace(text);
  while (text.size() >= 2 && text[0] == '<' && (text[1] == '?' || text[1] == '!')) {
    const std::string_view end = text.substr(0, 4) == "<!--" ? "-->" : ">";
    const std::size_t close = text.find(end);
    if (close == std::string_view::npos) return {};
    text = skipSpace(text.substr(close + end.size()));
  }
  return text;
}

bool isCsvHeader(std::string_view text, std::string& detail) {
  // PowerShell's Export-Csv starts with "#TYPE <.NET type>" unless told -NoTypeInformation.
  if (startsWithIgnoreCase(text, "#TYPE ")) {
    detail = "PowerShell Export-Csv (" + std::string(text.substr(6, text.find_first_of("\r\n") - 6)) + ")";
    return true;
  }
  const std::string first_line = lower(text.substr(0, text.find_first_of("\r\n")));
  if (first_line.find_first_of(",;\t") == std::string::npos) return false;
  // Header names of Outlook's "Comma Separated Values" export, English and German.
  static const std::vector<std::string_view> kCalendar{"\"subject\"", "start date", "start time", "end date",
                                                       "all day event", "betreff", "beginnt am"};
  static const std::vector<std::string_view> kContacts{"first name", "last name", "e-mail address", "vorname",
                                                       "nachname"};
  // Get-InboxRule / Get-MailboxAutoReplyConfiguration exported with -NoTypeInformation.
  static const std::vector<std::string_view> kShell{"\"autoreplystate\"", "\"stopprocessingrules\"",
                                                    "\"subjectcontainswords\""};
  const auto any = [&](const std::vector<std::string_view>& names) {
    return std::any_of(names.begin(), names.end(),
                       [&](std::string_view name) { return first_line.find(name) != std::string::npos; });
  };
  if (any(kCalendar)) {
    detail = "Outlook calendar CSV";
    return true;
  }
  if (any(kContacts)) {
    detail = "Outlook contacts CSV";
    return true;
  }
  if (any(kShell)) {
    detail = "PowerShell Export-Csv";
    return true;
  }
  return false;
}

}  // namespace

const char* toString(Format format) {
  switch (format) {
    case Format::kPst: return "pst";
    case Format::kOst: return "ost";
    case Format::kMsg: return "msg";
    case Format::kICalendar: return "icalendar";
    case Format::kVCard: return "vcard";
    case Format::kEwsXml: return "ews-xml";
    case Format::kCliXml: return "clixml";
    case Format::kCsv: return "csv";
  }
  return "unknown";
}

Result<Detected> detectFormatOfContent(std::string_view head, const std::string& what) {
  if (head.size() >= 10 && head.substr(0, 4) == "!BDN") {
    // [MS-PST] 2.2.2.6: dwMagic "!BDN", then dwCRCPartial, then wMagicClient "SM" (PST) or "SO" (OST).
    const std::string_view client = head.substr(8, 2);
    if (client == "SO") return Detected{Format::kOst, ""};
    if (client == "SM") return Detected{Format::kPst, ""};
    return Error{"detect.unknown_format",
                 "expected a PST or OST file: the header starts with !BDN but its client magic is " +
                     shown(client) + " instead of \"SM\" or \"SO\"",
                 what};
  }
  constexpr std::string_view kCfbMagic{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8};
  if (head.substr(0, 8) == kCfbMagic) return Detected{Format::kMsg, "OLE compound file"};

  std::string narrowed;
  std::string detail;
  std::string_view text = head;
  if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0xFF && static_cast<unsigned char>(head[1]) == 0xFE) {
    narrowed = narrowUtf16(head, true);
    text = narrowed;
    detail = "UTF-16 text";
  } else if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0xFE &&
             static_cast<unsigned char>(head[1]) == 0xFF) {
    narrowed = narrowUtf16(head, false);
    text = narrowed;
    detail = "UTF-16 text";
  } else if (head.substr(0, 3) == "\xEF\xBB\xBF") {
    text = head.substr(3);
  }
  const std::string_view body = skipSpace(text);
  if (startsWithIgnoreCase(body, "BEGIN:VCALENDAR")) return Detected{Format::kICalendar, detail};
  if (startsWithIgnoreCase(body, "BEGIN:VCARD")) return Detected{Format::kVCard, detail};
  if (!body.empty() && body[0] == '<') {
    const std::string_view root = rootElement(body);
    const std::string lowered = lower(text.substr(0, std::min<std::size_t>(text.size(), 16 * 1024)));
    if (startsWithIgnoreCase(root, "<Objs") &&
        lowered.find("http://schemas.microsoft.com/powershell/2004/04") != std::string::npos) {
      return Detected{Format::kCliXml, detail};
    }
    if (lowered.find("http://schemas.microsoft.com/exchange/services/2006/types") != std::string::npos ||
        lowered.find("http://schemas.microsoft.com/exchange/services/2006/messages") != std::string::npos) {
      return Detected{Format::kEwsXml, detail};
    }
    return Error{"detect.unknown_format",
                 "expected " + std::string(kExpected) +
                     ": the file is XML but uses neither the EWS namespaces nor PowerShell's CLIXML; it starts with " +
                     shown(root),
                 what};
  }
  if (isCsvHeader(body, detail)) return Detected{Format::kCsv, detail};
  return Error{"detect.unknown_format", "expected " + std::string(kExpected) + "; found " + shown(head), what};
}

Result<Detected> detectFormat(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"detect.open", "cannot open the file for reading", path};
  std::string head(kHeadBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  if (in.bad()) return Error{"detect.read", "reading the start of the file failed", path};
  head.resize(static_cast<std::size_t>(in.gcount()));
  return detectFormatOfContent(head, path);
}

}  // namespace m2z::readers::detect
