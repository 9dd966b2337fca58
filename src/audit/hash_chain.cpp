#include "audit/hash_chain.h"

#include <openssl/evp.h>

#include <array>
#include <charconv>
#include <fstream>
#include <memory>
#include <utility>

#include "audit/audit_log.h"
#include "audit/record_format.h"

namespace m2z::audit {

namespace {

constexpr std::size_t kMaxLineBytes = std::size_t{64} * 1024 * 1024;
constexpr std::string_view kHashAttribute = " hash=\"";
constexpr std::string_view kPrevHashAttribute = " prevHash=\"";

struct DigestContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
using DigestContext = std::unique_ptr<EVP_MD_CTX, DigestContextFree>;

std::string toHex(const unsigned char* bytes, unsigned int length) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2U);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kDigits[bytes[i] >> 4];
    hex += kDigits[bytes[i] & 0x0F];
  }
  return hex;
}

// SHA-256 fed piece by piece, so a record is hashed line by line without holding it whole.
class Sha256 {
 public:
  Sha256() : context_(EVP_MD_CTX_new()) {
    ok_ = context_ != nullptr && EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) == 1;
  }
  void update(std::string_view bytes) {
    if (ok_ && !bytes.empty()) ok_ = EVP_DigestUpdate(context_.get(), bytes.data(), bytes.size()) == 1;
  }
  // Empty when OpenSSL failed (out of memory): never equal to a real hash.
  std::string finishHex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (!ok_ || EVP_DigestFinal_ex(context_.get(), digest.data(), &length) != 1) return {};
    return toHex(digest.data(), length);
  }

 private:
  DigestContext context_;
  bool ok_ = false;
};

bool startsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool isBlank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// The file's last line cut before it could be recognised as a record ("  <ent"): torn, and not
// part of the record before it.
bool isCutRecordStart(std::string_view line) {
  if (line.empty() || line.back() == '\n') return false;
  for (std::string_view marker : {detail::kEntryStart, detail::kFindingStart, detail::kSummaryStart, detail::kLogEnd}) {
    if (line.size() < marker.size() && startsWith(marker, line)) return true;
  }
  return false;
}

bool startsRecord(std::string_view line) {
  return startsWith(line, detail::kEntryStart) || startsWith(line, detail::kFindingStart) ||
         startsWith(line, detail::kSummaryStart);
}

// The quoted value of ` name="` in a start tag's line; values never hold '"' (it is escaped).
std::optional<std::string_view> attributeIn(std::string_view line, std::string_view marker) {
  const std::size_t at = line.find(marker);
  if (at == std::string_view::npos) return std::nullopt;
  const std::size_t begin = at + marker.size();
  const std::size_t end = line.find('"', begin);
  if (end == std::string_view::npos) return std::nullopt;
  return line.substr(begin, end - begin);
}

std::int64_t toInt64(std::optional<std::string_view> text) {
  std::int64_t value = -1;
  if (!text) return -1;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  return ec == std::errc() && end == text->data() + text->size() ? value : -1;
}

// Lines with their '\n', read a block at a time; a line longer than the limit is an error.
class LineSource {
 public:
  explicit LineSource(std::istream& in) : in_(in) {}
  // False at the end of the file; `too_long` when a line passes kMaxLineBytes.
  bool next(std::string& line, bool& too_long) {
    line.clear();
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
      if (line.size() + take > kMaxLineBytes) {
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
  std::array<char, 64 * 1024> buffer_{};
  std::size_t pos_ = 0;
  std::size_t size_ = 0;
};

// One record being hashed as its lines arrive.
struct OpenRecord {
  bool is_summary = false;
  std::int64_t seq = 0;
  std::int64_t summary_records = -1;
  std::string stated_hash;  // empty when the start tag has none
  std::string prev_hash;
  bool has_prev_hash = false;
  std::size_t bytes = 0;
  Sha256 digest;
};

class ChainWalker {
 public:
  explicit ChainWalker(std::string path) : path_(std::move(path)) {}

  Result<ChainCheck> run(std::istream& in) {
    LineSource lines(in);
    std::string line;
    bool too_long = false;
    bool in_header = true;
    Sha256 header;
    std::string header_start;
    while (lines.next(line, too_long)) {
      if (in_header && !startsRecord(line) && !startsWith(line, detail::kLogEnd)) {
        if (header_start.size() < 512) header_start += line.substr(0, 512);
        header.update(line);
        continue;
      }
      if (in_header) {
        in_header = false;
        if (header_start.find("<auditLog xmlns=\"" + std::string(kNamespace) + "\"") == std::string::npos) {
          return Error{"audit.not_a_log", "not an audit log", path_};
        }
        previous_hash_ = header.finishHex();
      }
      if (check_.broken) continue;  // only the first break is reported; keep reading for closed
      if (ended_) {
        if (!isBlank(line)) breakAt(last_seq_ + 1, "data after </auditLog>: the log was appended to after it closed");
        continue;
      }
      if (startsWith(line, detail::kLogEnd)) {
        finishRecord(false);
        if (!saw_summary_ && !check_.broken) breakAt(last_seq_ + 1, "</auditLog> without a summary before it");
        ended_ = true;
        check_.closed = saw_summary_ && !check_.broken;
        continue;
      }
      if (startsRecord(line)) {
        finishRecord(false);
        if (check_.broken) continue;
        startRecord(line);
        continue;
      }
      if (isCutRecordStart(line)) {
        finishRecord(false);  // followed by the cut start, so it was written whole
        if (!check_.broken) check_.torn_bytes += line.size();
        continue;
      }
      if (!current_) {
        breakAt(last_seq_ + 1, "text outside any record");
        continue;
      }
      current_->digest.update(line);
      current_->bytes += line.size();
    }
    if (too_long) return Error{"audit.record_too_large", "a line is longer than the reader's limit", path_};
    if (in_header) {
      if (header_start.find("<auditLog xmlns=\"" + std::string(kNamespace) + "\"") == std::string::npos) {
        return Error{"audit.not_a_log", "not an audit log", path_};
      }
      return check_;
    }
    if (!check_.broken) finishRecord(!ended_);
    if (check_.broken) check_.closed = false;
    return check_;
  }

 private:
  void breakAt(std::int64_t seq, std::string why) {
    if (!check_.broken) check_.broken = ChainBreak{seq, std::move(why)};
  }

  void startRecord(const std::string& line) {
    current_.emplace();
    OpenRecord& record = *current_;
    record.is_summary = startsWith(line, detail::kSummaryStart);
    record.seq = record.is_summary ? last_seq_ + 1 : toInt64(attributeIn(line, " seq=\""));
    if (record.is_summary) record.summary_records = toInt64(attributeIn(line, " records=\""));
    if (const auto prev = attributeIn(line, kPrevHashAttribute)) {
      record.prev_hash = std::string(*prev);
      record.has_prev_hash = true;
    }
    std::string hashed = line;
    if (const std::size_t at = hashed.find(kHashAttribute); at != std::string::npos) {
      const std::size_t begin = at + kHashAttribute.size();
      const std::size_t end = hashed.find('"', begin);
      if (end != std::string::npos) {
        record.stated_hash = hashed.substr(begin, end - begin);
        hashed.erase(at, end + 1 - at);
      }
    }
    record.digest.update(hashed);
    record.bytes = line.size();
  }

  // `at_end`: the file ended inside this record without </auditLog>, where a crash leaves a
  // record cut short; a record there that does not match its hash is torn, not edited.
  void finishRecord(bool at_end) {
    if (!current_) return;
    OpenRecord record = std::move(*current_);
    current_.reset();
    const std::string actual = record.digest.finishHex();
    const std::string what = record.is_summary ? "the summary" : "record " + std::to_string(record.seq);
    if (record.stated_hash.empty() || actual != record.stated_hash) {
      if (at_end) {
        check_.torn_bytes = record.bytes;
        return;
      }
      if (record.stated_hash.empty()) {
        breakAt(record.seq, what + " has no hash: written without a chain, or the hash was removed");
      } else {
        breakAt(record.seq, what + " does not match its hash: it was edited after it was written");
      }
      return;
    }
    if (!record.is_summary && record.seq != last_seq_ + 1) {
      breakAt(record.seq, "record " + std::to_string(record.seq) + " follows record " + std::to_string(last_seq_) +
                              (record.seq > last_seq_ + 1 ? ": a record before it is missing" : ": records are out of order"));
      return;
    }
    if (!record.has_prev_hash || record.prev_hash != previous_hash_) {
      breakAt(record.seq, what + "'s prevHash does not match " +
                              (last_seq_ == 0 ? std::string("the log's header: the header was edited")
                                              : "record " + std::to_string(last_seq_) +
                                                    ": a record was removed, reordered or replaced"));
      return;
    }
    if (record.is_summary) {
      if (record.summary_records != last_seq_) {
        breakAt(record.seq, "the summary counts " + std::to_string(record.summary_records) + " records, the log holds " +
                                std::to_string(last_seq_));
        return;
      }
      saw_summary_ = true;
    } else {
      if (saw_summary_) {
        breakAt(record.seq, "a record follows the summary");
        return;
      }
      last_seq_ = record.seq;
      check_.records = record.seq;
    }
    previous_hash_ = actual;
  }

  std::string path_;
  ChainCheck check_;
  std::optional<OpenRecord> current_;
  std::string previous_hash_;
  std::int64_t last_seq_ = 0;
  bool saw_summary_ = false;
  bool ended_ = false;
};

}  // namespace

std::string sha256Hex(std::string_view bytes) {
  Sha256 digest;
  digest.update(bytes);
  return digest.finishHex();
}

Result<ChainCheck> verifyChain(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"audit.open", "could not open the audit log", path.string()};
  ChainWalker walker(path.string());
  return walker.run(in);
}

namespace detail {

std::string sealRecord(std::string& record_text, const std::string& previous_hash) {
  // The start tag is the record's first line and ends with ">" or "/>".
  std::size_t line_end = record_text.find('\n');
  if (line_end == std::string::npos) line_end = record_text.size();
  std::size_t insert_at = line_end;
  if (insert_at > 0 && record_text[insert_at - 1] == '>') --insert_at;
  if (insert_at > 0 && record_text[insert_at - 1] == '/') --insert_at;
  record_text.insert(insert_at, std::string(kPrevHashAttribute) + previous_hash + "\"");
  const std::string own = sha256Hex(record_text);
  record_text.insert(insert_at + kPrevHashAttribute.size() + previous_hash.size() + 1,
                     std::string(kHashAttribute) + own + "\"");
  return own;
}

}  // namespace detail

}  // namespace m2z::audit
