// Sends a report by e-mail through an SMTP relay the operator names, with libcurl's SMTP.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"

namespace m2z::report {

struct SmtpSettings {
  std::string url;        // smtp://host:port or smtps://host:port
  std::string mail_from;  // envelope and From: address
  std::vector<std::string> mail_to;  // envelope and To: addresses
  long timeout_seconds = 60;
  // smtp:// upgrades with STARTTLS when the relay offers it (certificate verified); with this
  // set, a relay that does not offer it is refused.
  bool require_tls = false;
};

struct MailMessage {
  std::string subject;  // UTF-8; encoded per RFC 2047
  std::string text;     // text/plain part
  std::string html;     // text/html part; left out when empty
};

// The RFC 5322 message with CRLF line ends: multipart/alternative, parts in base64 so any
// relay carries them whatever its 8-bit support. `date` is the Date: header's value.
std::string composeMail(const SmtpSettings& settings, const MailMessage& message, std::string_view date);

// Checks the settings (no line breaks or angle brackets in addresses, a smtp:// or smtps:// URL)
// and sends; the error names the relay and what curl said.
[[nodiscard]] Status sendMail(const SmtpSettings& settings, const MailMessage& message);

}  // namespace m2z::report
