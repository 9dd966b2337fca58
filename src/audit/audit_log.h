// The XML audit log of one account's run: every SOAP exchange and every source item that never
// reached the server, each written and flushed as it happens (schemas/audit.xsd, docs/audit-log.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/unique_fd.h"
#include "model/finding.h"
#include "model/provenance.h"
#include "model/result.h"

namespace m2z::audit {

// Registered secrets shorter than this are not searched for in the text (see registerSecret).
inline constexpr std::size_t kMinimumSecretLength = 6;

inline constexpr std::string_view kNamespace = "urn:mapi2zimbra:audit:1";
inline constexpr std::string_view kToolName = "mapi2zimbra";

// Entry::outcome values (the schema's Outcome type).
inline constexpr std::string_view kOutcomeOk = "ok";
inline constexpr std::string_view kOutcomeFault = "fault";
inline constexpr std::string_view kOutcomeTransportError = "transport-error";
inline constexpr std::string_view kOutcomeInvalidRequest = "invalid-request";
inline constexpr std::string_view kOutcomeSkipped = "skipped";
inline constexpr std::string_view kOutcomeDryRun = "dry-run";
bool isKnownOutcome(std::string_view outcome);

struct RunInfo {
  std::string account;
  std::string run_id;
  std::string tool_version;
  std::string target_url;  // written without user info, query or fragment
  std::vector<std::string> source_files;
  // Values of options whose name mentions a password, token, preauth key or secret are redacted.
  std::vector<std::pair<std::string, std::string>> options;
};

// The item as it was sent.
struct ItemSummary {
  std::string kind;  // "appointment", ...
  std::string subject;
  std::string uid;
  std::string start;  // as sent, e.g. "20240301T090000"
  std::string end;
  bool all_day = false;
};

// One SOAP exchange, or one request that was built but not sent (dry-run, invalid-request).
struct Entry {
  std::string operation;  // the SOAP request's element name, e.g. "SetAppointmentRequest"
  std::optional<model::Provenance> source;
  std::string item_hash;  // digest of the source item, when the caller has one
  std::optional<ItemSummary> item;
  std::string outcome;     // one of the kOutcome* values
  std::string fault_code;  // SOAP fault code, when outcome is fault
  int http_status = 0;     // 0 when no HTTP response was received
  std::int64_t duration_ms = 0;
  // Retries: the attempt number of this exchange (1 = first try), and when it failed in a way
  // that is retried, after how long and why, so auditors can see every fault and retry.
  int attempt = 1;
  bool will_retry = false;
  std::int64_t retry_delay_ms = 0;
  std::string retry_reason;
  std::string request_xml;   // empty when nothing was built
  std::string response_xml;  // empty when nothing came back
  std::vector<model::Finding> findings;
};

struct KindCounts {
  std::string kind;
  std::int64_t created = 0;
  std::int64_t skipped = 0;
  std::int64_t failed = 0;
  bool operator==(const KindCounts&) const = default;
};

struct Summary {
  std::vector<KindCounts> counts;  // written sorted by kind
  // False when the run stopped early (interrupted, fatal error) but still closed its log.
  bool complete = true;
};

// Where the log's timestamps come from, so tests can fix them.
class Clock {
 public:
  virtual ~Clock() = default;
  // "YYYY-MM-DDTHH:MM:SS.mmmZ"
  virtual std::string nowUtcIso8601Millis() = 0;
};

class SystemClock final : public Clock {
 public:
  std::string nowUtcIso8601Millis() override;
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::string time) : time_(std::move(time)) {}
  std::string nowUtcIso8601Millis() override { return time_; }

 private:
  std::string time_;
};

enum class Durability {
  kWrite,  // each record is handed to the OS as it is written: survives a crash of the process
  kSync    // and is also synced to disk: survives a crash of the machine, at a cost per record
};

struct LogOptions {
  // Known secret values (admin password, auth tokens, preauth keys) that must never be written,
  // whatever element or attribute they turn up in; more can be added with registerSecret().
  std::vector<std::string> secrets;
  Durability durability = Durability::kWrite;
  // Bodies beyond this are kept as truncated text: far above any calendar request or response,
  // and it keeps every record under the parser's limit so the reader can parse it back. Can
  // only be lowered: larger values are capped at the default.
  std::size_t max_body_bytes = std::size_t{16} * 1024 * 1024;
};

class AuditLog {
 public:
  // Creates `path` (which must not exist yet; mode 0600: the log holds personal data) and writes
  // the header. `clock` must outlive the log.
  [[nodiscard]] static Result<std::unique_ptr<AuditLog>> create(const std::filesystem::path& path, const RunInfo& run,
                                                                Clock& clock, LogOptions options = {});
  // Without close() the file is left without its summary: readers then know the run died.
  ~AuditLog() = default;
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // From now on `secret` is replaced wherever it appears in an outside value written to the log.
  void registerSecret(std::string secret);

  // Each appends one record with the next seq and the clock's time. Safe to call from several
  // threads. After a failed write the log refuses further records rather than write after a torn one.
  [[nodiscard]] Status append(const Entry& entry);
  [[nodiscard]] Status appendFinding(const model::Finding& finding);
  // Writes the summary and the closing tag and syncs the file; nothing can be appended after.
  [[nodiscard]] Status close(const Summary& summary);

  const std::filesystem::path& path() const { return path_; }
  std::int64_t recordsWritten() const;

 private:
  enum class State { kOpen, kClosed, kBroken };
  AuditLog(std::filesystem::path path, detail::UniqueFd file, Clock& clock, LogOptions options);
  Status writeRecord(std::string text);  // caller holds mutex_
  Status checkOpen() const;              // caller holds mutex_

  std::filesystem::path path_;
  detail::UniqueFd file_;
  Clock& clock_;
  Durability durability_;
  std::size_t max_body_bytes_;
  mutable std::mutex mutex_;
  std::vector<std::string> secrets_;
  std::int64_t records_ = 0;
  State state_ = State::kOpen;
  std::string last_hash_;  // the hash chain's latest link: the header's, then each record's
};

}  // namespace m2z::audit
