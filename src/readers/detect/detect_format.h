// Which kind of export a file is, told from its first bytes (never from its name alone).
#pragma once

#include <string>
#include <string_view>

#include "model/result.h"

namespace m2z::readers::detect {

enum class Format {
  kPst,        // Outlook Personal Folders, "!BDN" with client magic "SM"
  kOst,        // Offline Folders, "!BDN" with client magic "SO"
  kMsg,        // OLE compound file (.msg/.oft): D0 CF 11 E0 A1 B1 1A E1
  kICalendar,  // BEGIN:VCALENDAR
  kVCard,      // BEGIN:VCARD
  kEwsXml,     // XML using the Exchange Web Services namespaces
  kCliXml,     // PowerShell Export-Clixml: <Objs xmlns="http://schemas.microsoft.com/powershell/2004/04">
  kCsv,        // a delimited text export with a header row Outlook writes
};

struct Detected {
  Format format = Format::kPst;
  std::string detail;  // e.g. "Outlook calendar CSV", "UTF-16 text"; may be empty
};

const char* toString(Format format);

// Looks at the start of a file (the first few kilobytes are enough). `what` names the input in
// the error, which says what was expected and shows what was found.
[[nodiscard]] Result<Detected> detectFormatOfContent(std::string_view head, const std::string& what);

// Reads the first 64 KiB of the file at `path` and detects its format.
[[nodiscard]] Result<Detected> detectFormat(const std::string& path);

}  // namespace m2z::readers::detect
