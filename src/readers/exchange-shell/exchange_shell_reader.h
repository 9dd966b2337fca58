// The Exchange Management Shell export reader: Get-InboxRule and Get-MailboxAutoReplyConfiguration
// output saved with Export-Csv or Export-Clixml, streamed into an ItemSink as Rules and OofSettings.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "model/item_sink.h"
#include "model/result.h"

namespace m2z::readers::exchange_shell {

struct ReadOptions {
  std::string folder_path = "/Inbox";  // folder the rules and settings are reported under
  std::size_t max_bytes = std::size_t{64} * 1024 * 1024;
  // UTC offset (minutes) of the machine that ran the export: CSV date-times carry no zone.
  std::optional<int> exporter_offset_minutes;
};

struct ReadSummary {
  std::string format;  // "csv" or "clixml"
  std::string cmdlet;  // "Get-InboxRule", "Get-MailboxAutoReplyConfiguration"
  int objects = 0;     // rows or top-level objects
  int rules = 0;
  int oof_settings = 0;
  int skipped = 0;     // objects of another kind, each reported by a Finding with item_skipped set
};

// Reads an export from memory (UTF-8, UTF-8 with BOM, or UTF-16 with BOM as Windows PowerShell's
// Export-Clixml writes). CSV or CLIXML is told from the content, the cmdlet from the #TYPE line or
// <TN> type names, else from the columns. Fails with an error naming the source, what was
// expected and what was found when the text is neither or comes from another cmdlet.
[[nodiscard]] Result<ReadSummary> readExchangeShellText(std::string_view bytes, const std::string& source_name,
                                                        model::ItemSink& sink, const ReadOptions& options = {});

[[nodiscard]] Result<ReadSummary> readExchangeShell(const std::string& path, model::ItemSink& sink,
                                                    const ReadOptions& options = {});

// The pipeline's entry point: readExchangeShell with default options.
[[nodiscard]] Status readExchangeShellFile(const std::string& path, model::ItemSink& sink);

}  // namespace m2z::readers::exchange_shell
