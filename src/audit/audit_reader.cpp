#include "audit/audit_reader.h"

#include <array>
#include <charconv>
#include <fstream>
#include <string_view>
#include <utility>

#include "audit/record_format.h"
#include "audit/text_encoding.h"
#include "xml/xml.h"

namespace m2z::audit {

namespace {

// One record is parsed in memory; beyond the parser's own limit it could not be parsed anyway.
constexpr std::size_t kMaxRecordBytes = xml::ParseLimits{}.max_bytes - 4096;
constexpr std::size_t kReadBlockBytes = 64 * 1024;

// Lines of a file, each with its '\n' (a last line may lack one), read a block at a time.
class LineReader {
 public:
  explicit LineReader(std::istream& in) : in_(in) {}

  // Appends the next line to `line` unless that would take it past `limit` bytes (then returns
  // false with `too_long` set). False at the end of the file.
  bool next(std::string& line, std::size_t limit, bool& too_long) {
    too_long = false;
    bool any = false;
    while (true) {
      if (pos_ == size_) {
        in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
        size_ = static_cast<std::size_t>(in_.gcount());
        pos_ = 0;
        if (size_ == 0) return any;
      }
      any = true;
      const std::string_view rest(buffer_.data() + pos_, size_ - pos_);
      const std::size_t newline = rest.find('\n');
      const std::size_t take = newline == std::string_view::npos ? rest.size() : newline + 1;
      if (line.size() + take > limit) {
        too_long = true;
        return false;
      }
      line.append(rest.substr(0, take));
      pos_ += take;
      if (newline != std::string_view::npos) return true;
    }
  }

 private:
  std::istream& in_;
  std::array<char, kReadBlockBytes> buffer_{};
  std::size_t pos_ = 0;
  std::size_t size_ = 0;
};

bool startsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool isBlank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// A last line cut short before it could be recognised as the start of a record ("  <ent").
bool isCutRecordStart(std::string_view line) {
  if (line.empty() || line.back() == '\n') return false;
  for (std::string_view marker : {detail::kEntryStart, detail::kFindingStart, detail::kSummaryStart, detail::kLogEnd}) {
    if (line.size() < marker.size() && startsWith(marker, line)) return true;
  }
  return false;
}

bool startsRecord(std::string_view line) {
  return startsWith(line, detail::kEntryStart) || startsWith(line, detail::kFindingStart) ||
         startsWith(line, detail::kSummaryStart) || startsWith(line, detail::kLogEnd);
}

std::int64_t toInt64(const std::string* text) {
  std::int64_t value = 0;
  if (text == nullptr) return 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  return ec == std::errc() && end == text->data() + text->size() ? value : -1;
}

std::string attributeOf(const xml::Element& element, std::string_view name) {
  return element.attributeOr(name, "");
}

std::string childText(const xml::Element& element, std::string_view name) {
  const xml::Element* child = element.child(name);
  return child != nullptr ? child->text : std::string();
}

model::Provenance decodeSource(const xml::Element& source) {
  return model::Provenance{attributeOf(source, "file"), attributeOf(source, "folder"), attributeOf(source, "entryId")};
}

model::Severity decodeSeverity(std::string_view text) {
  if (text == "warning") return model::Severity::kWarning;
  if (text == "error") return model::Severity::kError;
  return model::Severity::kInfo;
}

model::Finding decodeFinding(const xml::Element& element) {
  model::Finding finding;
  finding.kind = attributeOf(element, "kind");
  finding.severity = decodeSeverity(attributeOf(element, "severity"));
  finding.field = attributeOf(element, "field");
  finding.item_skipped = attributeOf(element, "itemSkipped") == "true";
  if (const xml::Element* source = element.child("source")) finding.item = decodeSource(*source);
  finding.before = childText(element, "before");
  finding.after = childText(element, "after");
  finding.why = childText(element, "why");
  return finding;
}

Result<std::string> decodeBody(const xml::Element& holder, const std::string& what) {
  if (holder.children.size() != 1) return Error{"audit.corrupt", "<" + holder.name + "> must hold one element", what};
  const xml::Element& content = holder.children.front();
  if (content.name != "raw" || content.namespace_uri != kNamespace) return xml::toCanonicalText(content, 0);
  if (attributeOf(content, "encoding") != "base64") return content.text;
  std::optional<std::string> bytes = detail::base64Decode(content.text);
  if (!bytes) return Error{"audit.corrupt", "<raw encoding=\"base64\"> is not base64", what};
  return std::move(*bytes);
}

Result<Entry> decodeEntry(const xml::Element& element, const std::string& what) {
  Entry entry;
  entry.operation = attributeOf(element, "operation");
  entry.outcome = attributeOf(element, "outcome");
  entry.fault_code = attributeOf(element, "faultCode");
  entry.http_status = static_cast<int>(toInt64(element.attribute("httpStatus")));
  entry.duration_ms = toInt64(element.attribute("durationMs"));
  if (const auto* attempt = element.attribute("attempt")) entry.attempt = static_cast<int>(toInt64(attempt));
  entry.will_retry = attributeOf(element, "willRetry") == "true";
  entry.retry_delay_ms = toInt64(element.attribute("retryDelayMs"));
  entry.retry_reason = attributeOf(element, "retryReason");
  if (const xml::Element* source = element.child("source")) {
    entry.source = decodeSource(*source);
    entry.item_hash = attributeOf(*source, "hash");
  }
  if (const xml::Element* item = element.child("item")) {
    entry.item = ItemSummary{attributeOf(*item, "kind"),  childText(*item, "subject"), attributeOf(*item, "uid"),
                             attributeOf(*item, "start"), attributeOf(*item, "end"),
                             attributeOf(*item, "allDay") == "true"};
  }
  if (const xml::Element* findings = element.child("findings")) {
    for (const xml::Element* finding : findings->childrenNamed("finding")) entry.findings.push_back(decodeFinding(*finding));
  }
  if (const xml::Element* request = element.child("request")) {
    Result<std::string> body = decodeBody(*request, what);
    if (!body) return body.error();
    entry.request_xml = std::move(body).value();
  }
  if (const xml::Element* response = element.child("response")) {
    Result<std::string> body = decodeBody(*response, what);
    if (!body) return body.error();
    entry.response_xml = std::move(body).value();
  }
  return entry;
}

Result<LogContents> decodeHeader(const std::string& header, const std::string& path) {
  std::string document = header;
  document += detail::kLogEnd;
  Result<xml::Element> root = xml::parse(document, path + " header");
  if (!root) {
    const std::string start = std::string("<auditLog xmlns=\"") + std::string(kNamespace) + "\"";
    if (header.find(start) == std::string::npos) return Error{"audit.not_a_log", "not an audit log", path};
    return Error{"audit.torn_header", "the log's header is incomplete or damaged: " + root.error().message, path};
  }
  if (root->name != "auditLog" || root->namespace_uri != kNamespace) {
    return Error{"audit.not_a_log", "not an audit log (root is <" + root->name + ">)", path};
  }
  LogContents contents;
  contents.run.account = attributeOf(*root, "account");
  contents.run.run_id = attributeOf(*root, "runId");
  const std::string tool = attributeOf(*root, "tool");
  if (const auto space = tool.find(' '); space != std::string::npos) contents.run.tool_version = tool.substr(space + 1);
  contents.started = attributeOf(*root, "started");
  if (const xml::Element* run = root->child("run")) {
    for (const xml::Element* file : run->childrenNamed("sourceFile")) contents.run.source_files.push_back(file->text);
    if (const xml::Element* target = run->child("target")) contents.run.target_url = attributeOf(*target, "url");
    for (const xml::Element* option : run->childrenNamed("option")) {
      contents.run.options.emplace_back(attributeOf(*option, "name"), attributeOf(*option, "value"));
    }
  }
  return contents;
}

class Reader {
 public:
  Reader(std::string path, const std::function<Status(Record)>* on_record) : path_(std::move(path)), on_record_(on_record) {}

  Result<LogContents> run(std::istream& in) {
    LineReader lines(in);
    std::string header;
    std::string line;
    bool in_header = true;
    bool too_long = false;
    while (true) {
      line.clear();
      if (!lines.next(line, kMaxRecordBytes, too_long)) {
        if (too_long) return Error{"audit.record_too_large", "a line is longer than " + std::to_string(kMaxRecordBytes) + " bytes", where()};
        break;
      }
      offset_ += line.size();
      if (in_header) {
        if (!startsRecord(line) && !isCutRecordStart(line)) {
          header += line;
          if (header.size() > kMaxRecordBytes) return Error{"audit.record_too_large", "the header is too large", path_};
          continue;
        }
        if (Status started = startBody(header); !started) return started.error();
        in_header = false;
      }
      if (ended_) {
        if (!isBlank(line)) return Error{"audit.trailing_data", "data after </auditLog>", where()};
        continue;
      }
      if (startsRecord(line)) {
        if (!chunk_.empty()) {
          if (Status done = finishChunk(false); !done) return done.error();
        }
        if (startsWith(line, detail::kLogEnd)) {
          ended_ = true;
          continue;
        }
        chunk_start_ = offset_ - line.size();
        chunk_ = line;
        continue;
      }
      if (isCutRecordStart(line)) {
        // Only the file's last line can lack its newline, and this one may be the start of a
        // record that never got further, or the cut end of the current one.
        if (!chunk_.empty()) {
          if (Status done = finishChunk(true); !done) return done.error();
        }
        contents_.torn_bytes += line.size();
        continue;
      }
      if (chunk_.size() + line.size() > kMaxRecordBytes) {
        return Error{"audit.record_too_large", "a record is larger than " + std::to_string(kMaxRecordBytes) + " bytes", where()};
      }
      chunk_ += line;
    }
    if (in_header) {
      if (Status started = startBody(header); !started) return started.error();
    }
    if (!chunk_.empty()) {
      if (Status done = finishChunk(true); !done) return done.error();
    }
    return std::move(contents_);
  }

 private:
  std::string where() const { return path_ + " at byte " + std::to_string(chunk_start_); }

  Status startBody(const std::string& header) {
    Result<LogContents> decoded = decodeHeader(header, path_);
    if (!decoded) return decoded.error();
    contents_ = std::move(decoded).value();
    return {};
  }

  Status finishChunk(bool at_end) {
    const std::string what = where();
    Result<xml::Element> parsed = detail::parseRecord(chunk_, what);
    if (!parsed) {
      if (at_end) {
        // What a crash mid-write leaves; every record before it is complete.
        contents_.torn_bytes = chunk_.size();
        chunk_.clear();
        return {};
      }
      return Error{"audit.corrupt", "a record before the end of the log is damaged: " + parsed.error().message, what};
    }
    chunk_.clear();
    const xml::Element& element = *parsed;
    if (contents_.summary) return Error{"audit.corrupt", "a record follows the summary", what};
    if (element.name == "summary") return takeSummary(element, what);

    Record record;
    record.seq = toInt64(element.attribute("seq"));
    record.time = attributeOf(element, "time");
    if (record.seq != last_seq_ + 1) {
      return Error{"audit.seq_gap",
                   "expected seq " + std::to_string(last_seq_ + 1) + ", found " + attributeOf(element, "seq"), what};
    }
    last_seq_ = record.seq;
    if (element.name == "entry") {
      Result<Entry> entry = decodeEntry(element, what);
      if (!entry) return entry.error();
      record.kind = RecordKind::kEntry;
      record.entry = std::move(entry).value();
    } else if (element.name == "finding") {
      record.kind = RecordKind::kFinding;
      record.finding = decodeFinding(element);
    } else {
      return Error{"audit.corrupt", "unexpected record <" + element.name + ">", what};
    }
    if (on_record_ != nullptr) return (*on_record_)(std::move(record));
    contents_.records.push_back(std::move(record));
    return {};
  }

  Status takeSummary(const xml::Element& element, const std::string& what) {
    LoggedSummary summary;
    summary.ended = attributeOf(element, "ended");
    summary.records = toInt64(element.attribute("records"));
    summary.complete = attributeOf(element, "complete") == "true";
    for (const xml::Element* count : element.childrenNamed("count")) {
      summary.counts.push_back(KindCounts{attributeOf(*count, "kind"), toInt64(count->attribute("created")),
                                          toInt64(count->attribute("skipped")), toInt64(count->attribute("failed"))});
    }
    if (summary.records != last_seq_) {
      return Error{"audit.summary_mismatch",
                   "the summary counts " + std::to_string(summary.records) + " records, the log holds " +
                       std::to_string(last_seq_),
                   what};
    }
    contents_.summary = std::move(summary);
    return {};
  }

  std::string path_;
  const std::function<Status(Record)>* on_record_;
  LogContents contents_;
  std::string chunk_;
  std::size_t chunk_start_ = 0;
  std::size_t offset_ = 0;
  std::int64_t last_seq_ = 0;
  bool ended_ = false;
};

Result<LogContents> read(const std::filesystem::path& path, const std::function<Status(Record)>* on_record) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"audit.open", "could not open the audit log", path.string()};
  Reader reader(path.string(), on_record);
  return reader.run(in);
}

}  // namespace

Result<LogContents> readEntries(const std::filesystem::path& path) { return read(path, nullptr); }

Result<LogContents> readEntries(const std::filesystem::path& path, const std::function<Status(Record)>& on_record) {
  return read(path, &on_record);
}

}  // namespace m2z::audit
