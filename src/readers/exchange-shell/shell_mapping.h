// Get-InboxRule and Get-MailboxAutoReplyConfiguration objects as model::Rule / model::OofSettings,
// with a Finding for every property that is not carried over.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/finding.h"
#include "model/oof.h"
#include "model/rule.h"
#include "readers/exchange-shell/shell_record.h"

namespace m2z::readers::exchange_shell {

struct MappingOptions {
  // UTC offset (minutes) of the machine that ran the export: CSV date-times carry no zone.
  std::optional<int> exporter_offset_minutes;
};

// Conditions and exceptions sorted by kind, actions by kind with stop last, descriptions built from
// the model values: the same rule read from EWS XML compares equal.
model::Rule mapInboxRule(const ShellRecord& record, const model::Provenance& item, std::vector<model::Finding>& findings);

model::OofSettings mapAutoReplyConfiguration(const ShellRecord& record, const model::Provenance& item,
                                             const MappingOptions& options, std::vector<model::Finding>& findings);

// "Jane Doe" [SMTP:jane@example.com], [EX:/o=...] or a bare address, as Exchange prints recipients.
model::Person parseRecipient(std::string_view text);

// "Mailbox:\Folder\Sub" (or "Folder\Sub") as "/Folder/Sub".
std::string folderPathOf(std::string_view text);

// "100 KB (102,400 bytes)" (ByteQuantifiedSize) or "102400" as bytes.
std::optional<std::int64_t> byteSizeOf(std::string_view text);

// HTML reduced to its text: tags dropped, line-breaking tags kept as line breaks.
std::string htmlToText(std::string_view html);

}  // namespace m2z::readers::exchange_shell
