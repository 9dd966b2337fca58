// The audit log's hash chain: every record carries the SHA-256 of the record before it and its
// own, so an edited, removed or reordered record is found by verifyChain (docs/audit-log.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "model/result.h"

namespace m2z::audit {

// Lower-case hex SHA-256 of `bytes`.
std::string sha256Hex(std::string_view bytes);

// Where the chain first breaks and why, for a human.
struct ChainBreak {
  std::int64_t seq = 0;  // the record's seq; 0 for the header, records + 1 for the summary
  std::string why;
};

struct ChainCheck {
  std::int64_t records = 0;     // entry and finding records whose hashes were checked
  bool closed = false;          // the summary and </auditLog> are there
  std::size_t torn_bytes = 0;   // a record cut short by a crash at the end (not a break)
  std::optional<ChainBreak> broken;
  bool intact() const { return !broken.has_value(); }
};

// Walks the file's records and recomputes the chain. Errors only when the file cannot be read
// or is not an audit log; a broken chain is a ChainCheck with `broken` set.
[[nodiscard]] Result<ChainCheck> verifyChain(const std::filesystem::path& path);

namespace detail {

// Adds prevHash="<previous>" hash="<own>" to the end of the record's start tag (its first line)
// and returns the record's own hash. The hash covers the record's bytes as written, including
// prevHash, without the hash attribute itself.
std::string sealRecord(std::string& record_text, const std::string& previous_hash);

}  // namespace detail

}  // namespace m2z::audit
