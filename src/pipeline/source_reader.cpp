#include "pipeline/source_reader.h"

#include "readers/detect/detect_format.h"
#include "readers/ews/ews_reader.h"
#include "readers/exchange-shell/exchange_shell_reader.h"
#include "readers/msg/msg_reader.h"
#include "readers/vcf/vcf_reader.h"
#include "readers/ics/ics_reader.h"
#include "readers/pst/pst_items_reader.h"
#include "readers/pst/pst_reader.h"
#include "readers/pst/pst_rules_reader.h"

namespace m2z::pipeline {

Status readSourceCalendars(const std::string& path, model::ItemSink& sink) {
  auto detected = readers::detect::detectFormat(path);
  if (!detected) return detected.error();
  switch (detected->format) {
    case readers::detect::Format::kPst:
    case readers::detect::Format::kOst: {
      auto read = readers::pst::readCalendars(path, sink);
      if (!read) return read.error();
      return {};
    }
    case readers::detect::Format::kICalendar: {
      auto read = readers::ics::readCalendarFile(path, sink);
      if (!read) return read.error();
      return {};
    }
    case readers::detect::Format::kEwsXml: {
      auto read = readers::ews::readEwsFile(path, sink);
      if (!read) return read.error();
      return {};
    }
    default:
      return Error{"source.unsupported",
                   std::string("no calendar reader for this kind of file yet (found: ") +
                       readers::detect::toString(detected->format) + (detected->detail.empty() ? "" : ", ") +
                       detected->detail + "); expected a PST/OST, iCalendar or EWS XML file",
                   path};
  }
}

Status readSourceItems(const std::string& path, model::ItemSink& sink, const SourceReadOptions& options) {
  using readers::detect::Format;
  auto detected = readers::detect::detectFormat(path);
  if (!detected) return detected.error();
  switch (detected->format) {
    case Format::kPst:
    case Format::kOst: {
      if (auto read = readers::pst::readCalendars(path, sink, options.pst); !read) return read.error();
      if (auto read = readers::pst::readGroupware(path, sink, options.pst); !read) return read.error();
      if (auto read = readers::pst::readRulesAndOof(path, sink, options.pst); !read) return read.error();
      return {};
    }
    case Format::kMsg: {
      auto read = readers::msg::readMsgFile(path, sink);
      if (!read) return read.error();
      return {};
    }
    case Format::kVCard: {
      auto read = readers::vcf::readVcardFile(path, sink);
      if (!read) return read.error();
      return {};
    }
    case Format::kCliXml:
      return readers::exchange_shell::readExchangeShellFile(path, sink);
    case Format::kCsv:
      // Outlook's own CSV exports have no reader (they lose zones and recurrences); PowerShell's
      // Export-Csv of the rule and auto-reply cmdlets does.
      if (detected->detail.rfind("PowerShell Export-Csv", 0) == 0) {
        return readers::exchange_shell::readExchangeShellFile(path, sink);
      }
      return Error{"source.unsupported",
                   "no reader for this CSV (found: " + detected->detail +
                       "); expected a PowerShell Export-Csv of Get-InboxRule or Get-MailboxAutoReplyConfiguration. "
                       "Export the folder as a PST or iCalendar instead",
                   path};
    default:
      return readSourceCalendars(path, sink);
  }
}

}  // namespace m2z::pipeline
