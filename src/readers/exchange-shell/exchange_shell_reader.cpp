#include "readers/exchange-shell/exchange_shell_reader.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <fstream>
#include <vector>

#include "readers/exchange-shell/clixml.h"
#include "readers/exchange-shell/csv_table.h"
#include "readers/exchange-shell/shell_mapping.h"
#include "readers/exchange-shell/shell_record.h"
#include "xml/unicode.h"

namespace m2z::readers::exchange_shell {

namespace {

enum class Kind { kInboxRule, kAutoReply, kUnknown };

// UTF-16 (with its byte-order mark) or UTF-8 with or without one, as UTF-8.
std::string toUtf8(std::string_view bytes) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  if (bytes.size() >= 2 && ((byte(0) == 0xFF && byte(1) == 0xFE) || (byte(0) == 0xFE && byte(1) == 0xFF))) {
    const bool little = byte(0) == 0xFF;
    std::u16string units;
    units.reserve(bytes.size() / 2);
    for (std::size_t i = 2; i + 1 < bytes.size(); i += 2) {
      const unsigned low = little ? byte(i) : byte(i + 1);
      const unsigned high = little ? byte(i + 1) : byte(i);
      units.push_back(static_cast<char16_t>(high << 8 | low));
    }
    return xml::detail::fromUtf16(units.data(), units.size());
  }
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  return std::string(bytes);
}

// Drops an XML declaration: after conversion to UTF-8 one naming UTF-16 would be wrong.
std::string_view withoutDeclaration(std::string_view text) {
  if (text.substr(0, 5) == "<?xml") {
    const std::size_t end = text.find("?>");
    if (end != std::string_view::npos) text.remove_prefix(end + 2);
  }
  return text;
}

std::string unqualified(std::string type_name) {
  if (type_name.rfind("Deserialized.", 0) == 0) type_name = type_name.substr(13);
  return type_name;
}

Kind kindOfType(const std::string& type_name) {
  const std::string name = unqualified(type_name);
  const auto ends_with = [&](std::string_view suffix) {
    return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".InboxRule")) return Kind::kInboxRule;
  if (ends_with(".MailboxAutoReplyConfiguration")) return Kind::kAutoReply;
  return Kind::kUnknown;
}

Kind kindOfColumns(const ShellRecord& record) {
  if (record.field("AutoReplyState") != nullptr) return Kind::kAutoReply;
  if (record.field("Priority") != nullptr && record.field("Name") != nullptr &&
      (record.field("StopProcessingRules") != nullptr || record.field("MoveToFolder") != nullptr ||
       record.field("SubjectContainsWords") != nullptr)) {
    return Kind::kInboxRule;
  }
  return Kind::kUnknown;
}

Kind kindOf(const ShellRecord& record) {
  const Kind by_type = kindOfType(record.type_name);
  return by_type != Kind::kUnknown ? by_type : kindOfColumns(record);
}

bool looksLikeTypeName(const std::string& text) {
  if (text.find(' ') != std::string::npos) return false;
  const bool dotnet = text.rfind("System.", 0) == 0 || text.rfind("Microsoft.", 0) == 0 ||
                      text.rfind("Deserialized.", 0) == 0;
  return dotnet && (text.find("[]") != std::string::npos || text.find('`') != std::string::npos ||
                    text.find("Collection") != std::string::npos || text.find("MultiValuedProperty") != std::string::npos);
}

ShellValue fromCell(const std::string& cell) {
  ShellValue value;
  value.nil = cell.empty();
  value.text = cell;
  value.values_lost = looksLikeTypeName(cell);
  return value;
}

std::string itemText(const PsValue& item) {
  if (item.kind == PsValue::Kind::kObject && item.text.empty()) {
    // An address object without <ToString>: build the form Exchange prints.
    const PsValue* address = item.property("Address");
    const PsValue* name = item.property("DisplayName");
    const PsValue* type = item.property("RoutingType");
    if (address != nullptr) {
      return (name != nullptr && !name->text.empty() ? "\"" + name->text + "\" " : std::string()) + "[" +
             (type != nullptr && !type->text.empty() ? type->text : std::string("SMTP")) + ":" + address->text + "]";
    }
  }
  return item.text;
}

ShellValue fromPs(const PsValue& ps) {
  ShellValue value;
  value.primitive = ps.primitive;
  if (ps.kind == PsValue::Kind::kNil) return value;
  value.nil = false;
  value.text = ps.text;
  if (ps.kind == PsValue::Kind::kList) {
    value.is_list = true;
    value.text.clear();
    for (const auto& item : ps.items) {
      if (item.kind != PsValue::Kind::kNil) value.items.push_back(itemText(item));
    }
  }
  return value;
}

std::string columnsOf(const ShellRecord& record) {
  std::string out;
  for (std::size_t i = 0; i < record.fields.size() && i < 8; ++i) out += (i == 0 ? "" : ", ") + record.fields[i].first;
  if (record.fields.size() > 8) out += ", ...";
  return out.empty() ? "no properties" : "properties " + out;
}

class Reader {
 public:
  Reader(const std::string& source, model::ItemSink& sink, const ReadOptions& options)
      : source_(source), sink_(sink), options_(options) {}

  Result<ReadSummary> run(std::vector<ShellRecord> records, const std::string& format) {
    summary_.format = format;
    // The export must come from one of the two cmdlets: say so when its first object is not.
    if (!records.empty() && kindOf(records.front()) == Kind::kUnknown) {
      return Error{"shell.unknown_export",
                   "expected Get-InboxRule or Get-MailboxAutoReplyConfiguration output (" + format +
                       " with type InboxRule or MailboxAutoReplyConfiguration, or their columns); found " +
                       (records.front().type_name.empty() ? "no type name" : "type " + records.front().type_name) +
                       " with " + columnsOf(records.front()),
                   source_};
    }
    sink_.onFolder(model::SourceFolder{options_.folder_path, "IPF.Note", source_, static_cast<int>(records.size())});
    for (const auto& record : records) {
      ++summary_.objects;
      const Kind kind = kindOf(record);
      std::vector<model::Finding> findings;
      if (kind == Kind::kInboxRule) {
        summary_.cmdlet = "Get-InboxRule";
        const ShellValue* id = record.field("RuleIdentity");
        if (id == nullptr || id->nil) id = record.field("Identity");
        const model::Provenance item{source_, options_.folder_path, id != nullptr && !id->nil ? id->text : record.where};
        auto rule = mapInboxRule(record, item, findings);
        flush(findings);
        ++summary_.rules;
        sink_.onRule(std::move(rule));
      } else if (kind == Kind::kAutoReply) {
        summary_.cmdlet = "Get-MailboxAutoReplyConfiguration";
        const ShellValue* id = record.field("Identity");
        const model::Provenance item{source_, options_.folder_path, id != nullptr && !id->nil ? id->text : record.where};
        MappingOptions mapping;
        mapping.exporter_offset_minutes = options_.exporter_offset_minutes;
        auto settings = mapAutoReplyConfiguration(record, item, mapping, findings);
        flush(findings);
        ++summary_.oof_settings;
        sink_.onOofSettings(std::move(settings));
      } else {
        ++summary_.skipped;
        sink_.onFinding(model::Finding{"shell.object_not_supported", model::Severity::kWarning,
                                       model::Provenance{source_, options_.folder_path, record.where}, "type",
                                       record.type_name, "",
                                       "only Get-InboxRule and Get-MailboxAutoReplyConfiguration objects are read; "
                                       "this one is not carried over",
                                       true});
      }
    }
    return summary_;
  }

 private:
  void flush(std::vector<model::Finding>& findings) {
    for (auto& finding : findings) sink_.onFinding(std::move(finding));
  }

  const std::string& source_;
  model::ItemSink& sink_;
  const ReadOptions& options_;
  ReadSummary summary_;
};

}  // namespace

Result<ReadSummary> readExchangeShellText(std::string_view bytes, const std::string& source_name,
                                          model::ItemSink& sink, const ReadOptions& options) {
  if (bytes.size() > options.max_bytes) {
    return Error{"shell.too_large",
                 "the file is " + std::to_string(bytes.size()) + " bytes; at most " +
                     std::to_string(options.max_bytes) + " are read",
                 source_name};
  }
  try {
    const std::string text = toUtf8(bytes);
    std::size_t first = 0;
    while (first < text.size() && std::isspace(static_cast<unsigned char>(text[first]))) ++first;
    std::vector<ShellRecord> records;
    if (first < text.size() && text[first] == '<') {
      CliXmlLimits limits;
      limits.max_bytes = options.max_bytes * 2;  // UTF-16 to UTF-8 can grow 3 bytes per 2
      auto objects = parseCliXml(withoutDeclaration(std::string_view(text).substr(first)), source_name, limits);
      if (!objects) return objects.error();
      int index = 0;
      for (const auto& object : *objects) {
        ShellRecord record;
        record.where = "object " + std::to_string(++index);
        if (!object.type_names.empty()) record.type_name = object.type_names.front();
        for (const auto& property : object.properties) record.fields.emplace_back(property.name, fromPs(property.value));
        records.push_back(std::move(record));
      }
      Reader reader(source_name, sink, options);
      return reader.run(std::move(records), "clixml");
    }
    auto table = parseCsv(text, source_name);
    if (!table) return table.error();
    for (std::size_t row = 0; row < table->rows.size(); ++row) {
      ShellRecord record;
      record.type_name = table->type_name;
      record.where = "line " + std::to_string(table->row_lines[row]);
      for (std::size_t column = 0; column < table->header.size(); ++column) {
        record.fields.emplace_back(table->header[column], fromCell(table->rows[row][column]));
      }
      records.push_back(std::move(record));
    }
    if (records.empty()) {
      // No rows: the header alone still has to name one of the two cmdlets.
      ShellRecord header;
      header.type_name = table->type_name;
      for (const auto& column : table->header) header.fields.emplace_back(column, ShellValue{});
      if (kindOf(header) == Kind::kUnknown) records.push_back(std::move(header));
    }
    Reader reader(source_name, sink, options);
    return reader.run(std::move(records), "csv");
  } catch (const std::exception& e) {
    return Error{"shell.internal", std::string("reading the export failed: ") + e.what(), source_name};
  }
}

Result<ReadSummary> readExchangeShell(const std::string& path, model::ItemSink& sink, const ReadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"shell.open", "cannot open the file for reading", path};
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) return Error{"shell.open", "cannot read the file's size", path};
  if (static_cast<std::uint64_t>(size) > options.max_bytes) {
    return Error{"shell.too_large",
                 "the file is " + std::to_string(size) + " bytes; at most " + std::to_string(options.max_bytes) +
                     " are read",
                 path};
  }
  in.seekg(0);
  std::string content(static_cast<std::size_t>(size), '\0');
  in.read(content.data(), size);
  if (!in) return Error{"shell.read", "reading the file failed", path};
  return readExchangeShellText(content, path, sink, options);
}

Status readExchangeShellFile(const std::string& path, model::ItemSink& sink) {
  auto result = readExchangeShell(path, sink);
  if (!result) return result.error();
  return {};
}

}  // namespace m2z::readers::exchange_shell
