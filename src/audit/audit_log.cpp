#include "audit/audit_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "audit/hash_chain.h"
#include "audit/record_format.h"
#include "audit/redact.h"
#include "audit/text_encoding.h"
#include "xml/xml.h"

namespace m2z::audit {

namespace {

// Attributes whose values the log generates itself (numbers, fixed keywords). The final secret
// check leaves them alone: a trivially short secret equal to "200" or "ok" says nothing there,
// and replacing it would both break the log and reveal the secret's shape.
constexpr std::array<std::string_view, 19> kGeneratedAttributes = {
    "seq",     "time",   "durationMs", "outcome",  "httpStatus", "severity", "allDay",
    "itemSkipped", "encoding", "records", "complete", "created", "skipped", "failed",
    "attempt", "willRetry", "retryDelayMs", "prevHash", "hash"};

// Whatever the options say, a record must stay parseable by the reader (xml::ParseLimits: 64 MiB):
// two bodies of 16 MiB as base64 come to about 43 MiB.
constexpr std::size_t kBodyLimitCeiling = std::size_t{16} * 1024 * 1024;

using Attributes = std::vector<std::pair<std::string_view, std::string>>;

std::string errnoText(int error_number) { return std::strerror(error_number); }

void putIndent(std::string& out, int level) { out.append(static_cast<std::size_t>(level) * 2, ' '); }

void putAttributes(std::string& out, const Attributes& attributes) {
  for (const auto& [name, value] : attributes) {
    out += ' ';
    out += name;
    out += "=\"";
    out += xml::escapeAttribute(value);
    out += '"';
  }
}

void putEmpty(std::string& out, int level, std::string_view name, const Attributes& attributes) {
  putIndent(out, level);
  out += '<';
  out += name;
  putAttributes(out, attributes);
  out += "/>\n";
}

void putOpen(std::string& out, int level, std::string_view name, const Attributes& attributes) {
  putIndent(out, level);
  out += '<';
  out += name;
  putAttributes(out, attributes);
  out += ">\n";
}

void putClose(std::string& out, int level, std::string_view name) {
  putIndent(out, level);
  out += "</";
  out += name;
  out += ">\n";
}

void putTextElement(std::string& out, int level, std::string_view name, std::string_view text,
                    const Attributes& attributes = {}) {
  putIndent(out, level);
  out += '<';
  out += name;
  putAttributes(out, attributes);
  out += '>';
  out += xml::escapeText(text);
  out += "</";
  out += name;
  out += ">\n";
}

// Every value that comes from outside the log (paths, subjects, uids, finding texts) passes
// through here: known secrets out first, then whatever XML cannot carry made visible.
class Scrubber {
 public:
  explicit Scrubber(const std::vector<std::string>& secrets) : secrets_(secrets) {}
  std::string operator()(std::string_view value) const {
    std::string text(value);
    replaceSecretValues(text, secrets_);
    return detail::toXmlSafe(text);
  }

 private:
  const std::vector<std::string>& secrets_;
};

void replaceSecretValuesInTree(xml::Element& element, const std::vector<std::string>& secrets) {
  replaceSecretValues(element.text, secrets);
  for (auto& attribute : element.attributes) replaceSecretValues(attribute.value, secrets);
  for (auto& child : element.children) replaceSecretValuesInTree(child, secrets);
}

// The spellings a secret can take in our output: as is, and escaped for text and attributes.
std::vector<std::string> secretForms(const std::vector<std::string>& secrets) {
  std::vector<std::string> forms;
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    for (std::string form : {secret, xml::escapeText(secret), xml::escapeAttribute(secret)}) {
      if (std::find(forms.begin(), forms.end(), form) == forms.end()) forms.push_back(std::move(form));
    }
  }
  return forms;
}

bool containsAny(std::string_view text, const std::vector<std::string>& forms) {
  return std::any_of(forms.begin(), forms.end(),
                     [&](const std::string& form) { return text.find(form) != std::string_view::npos; });
}

bool isGeneratedAttribute(std::string_view name) {
  return std::find(kGeneratedAttributes.begin(), kGeneratedAttributes.end(), name) != kGeneratedAttributes.end();
}

// True when text[pos] lies inside an entity or character reference (after its '&', up to and
// including its ';'), where cutting would leave a broken reference.
bool insideReference(std::string_view text, std::size_t pos) {
  const std::size_t amp = text.rfind('&', pos == 0 ? 0 : pos - 1);
  if (amp == std::string_view::npos || amp >= pos) return false;
  const std::size_t semicolon = text.find(';', amp);
  return semicolon != std::string_view::npos && semicolon >= pos;
}

// replaceSecretValues for escaped text: a match that would split a reference is left alone (it
// is then not the secret's spelling but a piece of markup-level escaping).
void replaceOutsideReferences(std::string& text, const std::vector<std::string>& forms) {
  std::vector<const std::string*> ordered;
  for (const auto& form : forms) ordered.push_back(&form);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const std::string* a, const std::string* b) { return a->size() > b->size(); });
  for (const std::string* form : ordered) {
    std::size_t at = text.find(*form);
    while (at != std::string::npos) {
      if (insideReference(text, at) || insideReference(text, at + form->size())) {
        at = text.find(*form, at + 1);
        continue;
      }
      text.replace(at, form->size(), kRedacted);
      at = text.find(*form, at + kRedacted.size());
    }
  }
}

// Replaces secret spellings in text and attribute values of a record we composed (so it is
// well-formed and attribute values are double-quoted), never in markup.
std::string replaceSecretsOutsideMarkup(std::string_view text, const std::vector<std::string>& forms) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t lt = text.find('<', pos);
    std::string segment(text.substr(pos, lt == std::string_view::npos ? std::string_view::npos : lt - pos));
    replaceOutsideReferences(segment, forms);
    out += segment;
    if (lt == std::string_view::npos) break;
    // Inside a tag: copy names, replace inside quoted values.
    pos = lt;
    std::size_t name_start = std::string_view::npos;
    std::string attribute_name;
    while (pos < text.size() && text[pos] != '>') {
      const char c = text[pos];
      if (c == '"') {
        const std::size_t close = text.find('"', pos + 1);
        const std::size_t value_end = close == std::string_view::npos ? text.size() : close;
        std::string value(text.substr(pos + 1, value_end - pos - 1));
        // Namespace names are URIs, not secrets; changing one would move elements elsewhere.
        if (!isGeneratedAttribute(attribute_name) && attribute_name.rfind("xmlns", 0) != 0) {
          replaceOutsideReferences(value, forms);
        }
        out += '"';
        out += value;
        if (close != std::string_view::npos) out += '"';
        pos = value_end + 1;
        continue;
      }
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':' || c == '-' || c == '.') {
        if (name_start == std::string_view::npos) name_start = pos;
      } else {
        if (name_start != std::string_view::npos) attribute_name = std::string(text.substr(name_start, pos - name_start));
        name_start = std::string_view::npos;
      }
      out += c;
      ++pos;
    }
    if (pos < text.size()) {
      out += '>';
      ++pos;
    }
  }
  return out;
}

bool isUtcMillis(std::string_view time) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd.dddZ";
  if (time.size() != kShape.size()) return false;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    const bool ok = kShape[i] == 'd' ? std::isdigit(static_cast<unsigned char>(time[i])) != 0 : time[i] == kShape[i];
    if (!ok) return false;
  }
  return true;
}

// The schema's xs:NCName, ASCII subset: what a SOAP request element name looks like.
bool isOperationName(std::string_view name) {
  if (name.empty()) return false;
  const auto first = static_cast<unsigned char>(name.front());
  if (!std::isalpha(first) && first != '_') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

bool isKnownSeverity(model::Severity severity) {
  return severity == model::Severity::kInfo || severity == model::Severity::kWarning ||
         severity == model::Severity::kError;
}

bool containsIgnoringCase(std::string_view haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         }) != haystack.end();
}

bool isSecretOption(std::string_view name) {
  static constexpr std::array<std::string_view, 5> kHints = {"password", "token", "preauth", "secret", "credential"};
  return std::any_of(kHints.begin(), kHints.end(), [&](std::string_view hint) { return containsIgnoringCase(name, hint); });
}

// ----- bodies -----

struct Body {
  std::string_view tag;                // "request" or "response"
  std::optional<xml::Element> tree;    // redacted; set when the body is well-formed XML
  std::string text;                    // redacted text, kept when the body cannot go in as XML
  std::string reason;                  // why `tree` is not set
  std::size_t original_size = 0;
  bool truncated = false;
  bool force_base64 = false;  // the last resort: a record of escaped text was still too big
};

Body prepareBody(std::string_view tag, std::string_view original, std::size_t max_bytes,
                 const std::vector<std::string>& secrets, const std::string& what) {
  Body body;
  body.tag = tag;
  body.original_size = original.size();
  std::string text(original.substr(0, max_bytes));
  if (original.size() > max_bytes) {
    body.truncated = true;
    // Cut on a character boundary so the kept part is still text where the original was.
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
    if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.pop_back();
  }
  replaceSecretValues(text, secrets);
  if (body.truncated) {
    body.reason = "larger than " + std::to_string(max_bytes) + " bytes (" + std::to_string(original.size()) +
                  "); truncated, not parsed";
  } else if (Result<xml::Element> parsed = xml::parse(text, what); !parsed) {
    body.reason = "not well-formed XML: " + parsed.error().message;
  } else if (parsed->namespace_uri == kNamespace) {
    body.reason = "uses the audit log's own namespace";
  } else {
    redactSecrets(*parsed);
    replaceSecretValuesInTree(*parsed, secrets);
    body.tree = std::move(parsed).value();
  }
  redactSecretsInText(text);
  body.text = std::move(text);
  return body;
}

void putBody(std::string& out, int level, const Body& body, bool as_xml) {
  putOpen(out, level, body.tag, {});
  if (as_xml && body.tree) {
    std::string canonical = xml::toCanonicalText(*body.tree, level + 1);
    // toCanonicalText declares a namespace only where it differs from the parent's, starting
    // from "no namespace"; here the parent is the log's default namespace, so an element in no
    // namespace must undeclare it.
    if (body.tree->namespace_uri.empty()) {
      canonical.insert(static_cast<std::size_t>(level + 1) * 2 + 1 + body.tree->name.size(), " xmlns=\"\"");
    }
    out += canonical;
  } else {
    Attributes attributes{{"reason", body.reason.empty() ? "could not be written back as XML" : body.reason}};
    if (!body.force_base64 && detail::isXmlSafe(body.text)) {
      putTextElement(out, level + 1, "raw", body.text, attributes);
    } else {
      attributes.emplace_back("encoding", "base64");
      putTextElement(out, level + 1, "raw", detail::base64Encode(body.text), attributes);
    }
  }
  putClose(out, level, body.tag);
}

// Names, namespaces and attribute names match: the canonical text said what the tree says.
bool sameShape(const xml::Element& a, const xml::Element& b) {
  if (a.name != b.name || a.namespace_uri != b.namespace_uri || a.attributes.size() != b.attributes.size() ||
      a.children.size() != b.children.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.attributes.size(); ++i) {
    if (a.attributes[i].name != b.attributes[i].name || a.attributes[i].namespace_uri != b.attributes[i].namespace_uri) {
      return false;
    }
  }
  for (std::size_t i = 0; i < a.children.size(); ++i) {
    if (!sameShape(a.children[i], b.children[i])) return false;
  }
  return true;
}

bool bodiesReadBack(const xml::Element& record, const std::vector<Body>& bodies) {
  for (const Body& body : bodies) {
    if (!body.tree) continue;
    const xml::Element* holder = record.child(body.tag);
    if (holder == nullptr || holder->children.size() != 1 || !sameShape(holder->children.front(), *body.tree)) {
      return false;
    }
  }
  return true;
}

// ----- records -----

Attributes sourceAttributes(const model::Provenance& source, std::string_view hash, const Scrubber& scrub) {
  Attributes attributes{{"file", scrub(source.source_file)},
                        {"folder", scrub(source.folder_path)},
                        {"entryId", scrub(source.entry_id)}};
  if (!hash.empty()) attributes.emplace_back("hash", scrub(hash));
  return attributes;
}

bool hasProvenance(const model::Provenance& source) {
  return !source.source_file.empty() || !source.folder_path.empty() || !source.entry_id.empty();
}

void putFinding(std::string& out, int level, const model::Finding& finding, Attributes attributes,
                const Scrubber& scrub) {
  attributes.emplace_back("kind", scrub(finding.kind));
  attributes.emplace_back("severity", model::toString(finding.severity));
  if (!finding.field.empty()) attributes.emplace_back("field", scrub(finding.field));
  if (finding.item_skipped) attributes.emplace_back("itemSkipped", "true");
  const bool has_source = hasProvenance(finding.item);
  if (!has_source && finding.before.empty() && finding.after.empty() && finding.why.empty()) {
    putEmpty(out, level, "finding", attributes);
    return;
  }
  putOpen(out, level, "finding", attributes);
  if (has_source) putEmpty(out, level + 1, "source", sourceAttributes(finding.item, "", scrub));
  if (!finding.before.empty()) putTextElement(out, level + 1, "before", scrub(finding.before));
  if (!finding.after.empty()) putTextElement(out, level + 1, "after", scrub(finding.after));
  if (!finding.why.empty()) putTextElement(out, level + 1, "why", scrub(finding.why));
  putClose(out, level, "finding");
}

std::string composeEntry(std::int64_t seq, const std::string& time, const Entry& entry, const std::vector<Body>& bodies,
                         bool bodies_as_xml, const Scrubber& scrub) {
  Attributes attributes{{"seq", std::to_string(seq)},
                        {"time", time},
                        {"durationMs", std::to_string(std::max<std::int64_t>(entry.duration_ms, 0))},
                        {"operation", entry.operation},
                        {"outcome", entry.outcome}};
  if (entry.http_status != 0) attributes.emplace_back("httpStatus", std::to_string(entry.http_status));
  if (!entry.fault_code.empty()) attributes.emplace_back("faultCode", scrub(entry.fault_code));
  // Only retried exchanges carry retry attributes, so a log without retries reads as before.
  if (entry.attempt > 1) attributes.emplace_back("attempt", std::to_string(entry.attempt));
  if (entry.will_retry) {
    attributes.emplace_back("willRetry", "true");
    attributes.emplace_back("retryDelayMs", std::to_string(std::max<std::int64_t>(entry.retry_delay_ms, 0)));
  }
  if (!entry.retry_reason.empty()) attributes.emplace_back("retryReason", scrub(entry.retry_reason));

  std::string body_text;
  if (entry.source) putEmpty(body_text, 2, "source", sourceAttributes(*entry.source, entry.item_hash, scrub));
  if (entry.item) {
    const ItemSummary& item = *entry.item;
    Attributes item_attributes{{"kind", scrub(item.kind)}};
    if (!item.uid.empty()) item_attributes.emplace_back("uid", scrub(item.uid));
    if (!item.start.empty()) item_attributes.emplace_back("start", scrub(item.start));
    if (!item.end.empty()) item_attributes.emplace_back("end", scrub(item.end));
    item_attributes.emplace_back("allDay", item.all_day ? "true" : "false");
    if (item.subject.empty()) {
      putEmpty(body_text, 2, "item", item_attributes);
    } else {
      putOpen(body_text, 2, "item", item_attributes);
      putTextElement(body_text, 3, "subject", scrub(item.subject));
      putClose(body_text, 2, "item");
    }
  }
  if (!entry.findings.empty()) {
    putOpen(body_text, 2, "findings", {});
    for (const auto& finding : entry.findings) putFinding(body_text, 3, finding, {}, scrub);
    putClose(body_text, 2, "findings");
  }
  for (const Body& body : bodies) putBody(body_text, 2, body, bodies_as_xml);

  std::string out;
  if (body_text.empty()) {
    putEmpty(out, 1, "entry", attributes);
  } else {
    putOpen(out, 1, "entry", attributes);
    out += body_text;
    putClose(out, 1, "entry");
  }
  return out;
}

Status validateEntry(const Entry& entry) {
  const auto invalid = [&](std::string message) {
    return Error{"audit.invalid_entry", std::move(message), entry.source ? entry.source->describe() : entry.operation};
  };
  if (!isOperationName(entry.operation)) return invalid("operation \"" + entry.operation + "\" is not a SOAP request name");
  if (!isKnownOutcome(entry.outcome)) return invalid("unknown outcome \"" + entry.outcome + "\"");
  if (entry.http_status != 0 && (entry.http_status < 100 || entry.http_status > 599)) {
    return invalid("HTTP status " + std::to_string(entry.http_status) + " is outside 100..599");
  }
  if (entry.item && entry.item->kind.empty()) return invalid("item summary without a kind");
  for (const auto& finding : entry.findings) {
    if (finding.kind.empty()) return invalid("finding without a kind");
    if (!isKnownSeverity(finding.severity)) return invalid("finding \"" + finding.kind + "\" has no valid severity");
  }
  return {};
}

Status writeAll(int fd, std::string_view text, const std::filesystem::path& path) {
  while (!text.empty()) {
    const ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return Error{"audit.write", "could not write the audit log: " + errnoText(errno), path.string()};
    }
    text.remove_prefix(static_cast<std::size_t>(written));
  }
  return {};
}

}  // namespace

bool isKnownOutcome(std::string_view outcome) {
  return outcome == kOutcomeOk || outcome == kOutcomeFault || outcome == kOutcomeTransportError ||
         outcome == kOutcomeInvalidRequest || outcome == kOutcomeSkipped || outcome == kOutcomeDryRun;
}

std::string SystemClock::nowUtcIso8601Millis() {
  namespace chr = std::chrono;
  const auto now = chr::floor<chr::milliseconds>(chr::system_clock::now());
  const auto day = chr::floor<chr::days>(now);
  const chr::year_month_day ymd{day};
  const chr::hh_mm_ss hms{now - day};
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()), static_cast<int>(hms.subseconds().count()));
  return buffer;
}

AuditLog::AuditLog(std::filesystem::path path, detail::UniqueFd file, Clock& clock, LogOptions options)
    : path_(std::move(path)), file_(std::move(file)), clock_(clock), durability_(options.durability),
      max_body_bytes_(std::min(options.max_body_bytes, kBodyLimitCeiling)), secrets_(std::move(options.secrets)) {}

Result<std::unique_ptr<AuditLog>> AuditLog::create(const std::filesystem::path& path, const RunInfo& run, Clock& clock,
                                                   LogOptions options) {
  if (run.account.empty()) return Error{"audit.invalid_run", "the run has no account", path.string()};
  if (run.run_id.empty()) return Error{"audit.invalid_run", "the run has no id", path.string()};
  for (const auto& [name, value] : run.options) {
    if (name.empty()) return Error{"audit.invalid_run", "an option has no name", path.string()};
  }
  const std::string started = clock.nowUtcIso8601Millis();
  if (!isUtcMillis(started)) {
    return Error{"audit.clock", "the clock gave \"" + started + "\", not YYYY-MM-DDTHH:MM:SS.mmmZ", path.string()};
  }

  const Scrubber scrub(options.secrets);
  std::string tool(kToolName);
  if (!run.tool_version.empty()) tool += " " + scrub(run.tool_version);
  std::string header = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  putOpen(header, 0, "auditLog",
          {{"xmlns", std::string(kNamespace)},
           {"account", scrub(run.account)},
           {"runId", scrub(run.run_id)},
           {"tool", tool},
           {"started", started}});
  std::string run_text;
  for (const auto& file : run.source_files) {
    if (!file.empty()) putTextElement(run_text, 2, "sourceFile", scrub(file));
  }
  if (const std::string url = withoutCredentials(run.target_url); !url.empty()) {
    putEmpty(run_text, 2, "target", {{"url", scrub(url)}});
  }
  for (const auto& [name, value] : run.options) {
    const bool secret = isSecretOption(name) && !value.empty();
    putEmpty(run_text, 2, "option", {{"name", scrub(name)}, {"value", secret ? std::string(kRedacted) : scrub(value)}});
  }
  if (run_text.empty()) {
    putEmpty(header, 1, "run", {});
  } else {
    putOpen(header, 1, "run", {});
    header += run_text;
    putClose(header, 1, "run");
  }
  if (const auto forms = secretForms(options.secrets); containsAny(header, forms)) {
    header = replaceSecretsOutsideMarkup(header, forms);
  }

  detail::UniqueFd file(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR));
  if (!file.valid()) {
    return Error{"audit.create", "could not create the audit log: " + errnoText(errno), path.string()};
  }
  if (Status written = writeAll(file.get(), header, path); !written) return written.error();
  if (options.durability == Durability::kSync && ::fdatasync(file.get()) != 0) {
    return Error{"audit.write", "could not sync the audit log: " + errnoText(errno), path.string()};
  }
  std::unique_ptr<AuditLog> log(new AuditLog(path, std::move(file), clock, std::move(options)));
  // The chain starts from the header, so an edited account or run id breaks it at record 1.
  log->last_hash_ = sha256Hex(header);
  return log;
}

void AuditLog::registerSecret(std::string secret) {
  // A secret this short cannot be searched for without shredding the log (a password "s" would
  // blank every s); secrets are still removed wherever they stand in a password or token field.
  if (secret.size() < kMinimumSecretLength) return;
  const std::lock_guard lock(mutex_);
  if (std::find(secrets_.begin(), secrets_.end(), secret) == secrets_.end()) secrets_.push_back(std::move(secret));
}

std::int64_t AuditLog::recordsWritten() const {
  const std::lock_guard lock(mutex_);
  return records_;
}

Status AuditLog::checkOpen() const {
  switch (state_) {
    case State::kOpen: return {};
    case State::kClosed: return Error{"audit.closed", "the audit log is already closed", path_.string()};
    case State::kBroken:
      return Error{"audit.broken", "an earlier write to the audit log failed; nothing more is written", path_.string()};
  }
  return {};
}

Status AuditLog::writeRecord(std::string text) {
  // The last fence: whatever path a known secret took into the record, it does not leave here.
  if (const auto forms = secretForms(secrets_); containsAny(text, forms)) {
    text = replaceSecretsOutsideMarkup(text, forms);
    if (Result<xml::Element> check = detail::parseRecord(text, path_.string()); !check) {
      return Error{"audit.compose", "redacting a secret left the record unreadable: " + check.error().message,
                   path_.string()};
    }
  }
  // Sealed last, over the exact bytes that go to the file.
  std::string hash = detail::sealRecord(text, last_hash_);
  if (Status written = writeAll(file_.get(), text, path_); !written) {
    state_ = State::kBroken;
    return written;
  }
  last_hash_ = std::move(hash);
  if (durability_ == Durability::kSync && ::fdatasync(file_.get()) != 0) {
    state_ = State::kBroken;
    return Error{"audit.write", "could not sync the audit log: " + errnoText(errno), path_.string()};
  }
  ++records_;
  return {};
}

Status AuditLog::append(const Entry& entry) {
  if (Status valid = validateEntry(entry); !valid) return valid;
  const std::lock_guard lock(mutex_);
  if (Status open = checkOpen(); !open) return open;
  const std::string time = clock_.nowUtcIso8601Millis();
  if (!isUtcMillis(time)) {
    return Error{"audit.clock", "the clock gave \"" + time + "\", not YYYY-MM-DDTHH:MM:SS.mmmZ", path_.string()};
  }
  const std::int64_t seq = records_ + 1;
  const std::string what = path_.string() + " record " + std::to_string(seq) + " (" + entry.operation + ")";

  std::vector<Body> bodies;
  if (!entry.request_xml.empty()) bodies.push_back(prepareBody("request", entry.request_xml, max_body_bytes_, secrets_, what + " request"));
  if (!entry.response_xml.empty()) {
    bodies.push_back(prepareBody("response", entry.response_xml, max_body_bytes_, secrets_, what + " response"));
  }
  const Scrubber scrub(secrets_);
  std::string text = composeEntry(seq, time, entry, bodies, true, scrub);
  // Read the record back as the reader will; if the XML bodies do not come back as they went in
  // (a limit of the parser, a namespace the canonical form cannot express), keep them as text.
  Result<xml::Element> check = detail::parseRecord(text, what);
  if (!check || !bodiesReadBack(*check, bodies)) {
    for (Body& body : bodies) {
      if (body.tree) {
        body.reason = check ? "its canonical form did not read back the same" : "could not be embedded: " + check.error().message;
        body.tree.reset();
      }
    }
    text = composeEntry(seq, time, entry, bodies, false, scrub);
    if (!detail::parseRecord(text, what)) {
      // Escaping can quadruple a body ('<' -> "&lt;"); base64 grows it by a third at most.
      for (Body& body : bodies) body.force_base64 = true;
      text = composeEntry(seq, time, entry, bodies, false, scrub);
      if (Result<xml::Element> recheck = detail::parseRecord(text, what); !recheck) {
        return Error{"audit.compose", "could not compose a readable record: " + recheck.error().message, what};
      }
    }
  }
  return writeRecord(std::move(text));
}

Status AuditLog::appendFinding(const model::Finding& finding) {
  const std::string context = finding.item.describe();
  if (finding.kind.empty()) return Error{"audit.invalid_entry", "finding without a kind", context};
  if (!isKnownSeverity(finding.severity)) {
    return Error{"audit.invalid_entry", "finding \"" + finding.kind + "\" has no valid severity", context};
  }
  const std::lock_guard lock(mutex_);
  if (Status open = checkOpen(); !open) return open;
  const std::string time = clock_.nowUtcIso8601Millis();
  if (!isUtcMillis(time)) {
    return Error{"audit.clock", "the clock gave \"" + time + "\", not YYYY-MM-DDTHH:MM:SS.mmmZ", path_.string()};
  }
  const std::int64_t seq = records_ + 1;
  std::string text;
  putFinding(text, 1, finding, {{"seq", std::to_string(seq)}, {"time", time}}, Scrubber(secrets_));
  return writeRecord(std::move(text));
}

Status AuditLog::close(const Summary& summary) {
  std::vector<KindCounts> counts = summary.counts;
  for (const auto& count : counts) {
    if (count.kind.empty()) return Error{"audit.invalid_summary", "a count has no kind", path_.string()};
    if (count.created < 0 || count.skipped < 0 || count.failed < 0) {
      return Error{"audit.invalid_summary", "negative count for \"" + count.kind + "\"", path_.string()};
    }
  }
  std::sort(counts.begin(), counts.end(), [](const KindCounts& a, const KindCounts& b) { return a.kind < b.kind; });

  const std::lock_guard lock(mutex_);
  if (Status open = checkOpen(); !open) return open;
  const std::string ended = clock_.nowUtcIso8601Millis();
  if (!isUtcMillis(ended)) {
    return Error{"audit.clock", "the clock gave \"" + ended + "\", not YYYY-MM-DDTHH:MM:SS.mmmZ", path_.string()};
  }
  const Scrubber scrub(secrets_);
  std::string text;
  const Attributes attributes{{"ended", ended},
                              {"records", std::to_string(records_)},
                              {"complete", summary.complete ? "true" : "false"}};
  if (counts.empty()) {
    putEmpty(text, 1, "summary", attributes);
  } else {
    putOpen(text, 1, "summary", attributes);
    for (const auto& count : counts) {
      putEmpty(text, 2, "count",
               {{"kind", scrub(count.kind)},
                {"created", std::to_string(count.created)},
                {"skipped", std::to_string(count.skipped)},
                {"failed", std::to_string(count.failed)}});
    }
    putClose(text, 1, "summary");
  }
  if (const auto forms = secretForms(secrets_); containsAny(text, forms)) {
    text = replaceSecretsOutsideMarkup(text, forms);
  }
  last_hash_ = detail::sealRecord(text, last_hash_);
  text += detail::kLogEnd;
  text += '\n';
  if (Status written = writeAll(file_.get(), text, path_); !written) {
    state_ = State::kBroken;
    return written;
  }
  // The log is final now: make it durable whatever the per-record setting.
  if (::fsync(file_.get()) != 0 || file_.close() != 0) {
    state_ = State::kBroken;
    return Error{"audit.write", "could not finish the audit log: " + errnoText(errno), path_.string()};
  }
  state_ = State::kClosed;
  return {};
}

}  // namespace m2z::audit
