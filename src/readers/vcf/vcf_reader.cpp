#include "readers/vcf/vcf_reader.h"

#include <unicode/ucnv.h>

#include <array>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "readers/vcf/vcard_mapper.h"
#include "readers/vcf/vcard_syntax.h"

namespace m2z::readers::vcf {
namespace {

using model::Severity;

// Upper bounds on what is kept for resolving group members, so a file of millions of cards cannot
// grow memory without end: UIDs past the first kMaxKnownUids are not looked up, and groups are
// held back until the end of the file only while they take less than kMaxHeldGroupBytes.
constexpr std::size_t kMaxKnownUids = 100000;
constexpr std::size_t kMaxHeldGroupBytes = std::size_t{64} << 20;

std::string baseName(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string excerpt(std::string_view text) {
  std::string out;
  for (const char c : text.substr(0, 40)) {
    const auto byte = static_cast<unsigned char>(c);
    out += byte >= 0x20 && byte < 0x7F ? c : '?';
  }
  if (text.size() > 40) out += "...";
  return out;
}

// The part of a content line before its value, where the parameters are.
std::string_view headerOf(std::string_view line) {
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == ':' && !quoted) return line.substr(0, i);
  }
  return line;
}

// The property name at the start of a line, for findings; what follows it does not matter.
std::string propertyNameOf(std::string_view line) {
  const auto nameLength = [](std::string_view text) {
    std::size_t n = 0;
    while (n < text.size() && n < 64 &&
           ((text[n] >= 'A' && text[n] <= 'Z') || (text[n] >= 'a' && text[n] <= 'z') ||
            (text[n] >= '0' && text[n] <= '9') || text[n] == '-' || text[n] == '_')) {
      ++n;
    }
    return n;
  };
  std::size_t length = nameLength(line);
  if (length < line.size() && line[length] == '.') {
    line.remove_prefix(length + 1);
    length = nameLength(line);
  }
  return toUpper(line.substr(0, length));
}

bool isBase64Text(std::string_view line) {
  for (const char c : line) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                    c == '/' || c == '=' || c == ' ' || c == '\t';
    if (!ok) return false;
  }
  return !line.empty();
}

// BEGIN:VCARD / END:VCARD, with an optional group and trailing blanks.
bool isMarker(std::string_view line, std::string_view marker) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  const std::size_t colon = line.find(':');
  const std::size_t dot = line.find('.');
  if (dot != std::string_view::npos && colon != std::string_view::npos && dot < colon) line = line.substr(dot + 1);
  return equalsIgnoreCase(line, marker);
}

class UConverterCloser {
 public:
  void operator()(UConverter* converter) const { ucnv_close(converter); }
};
using ConverterPtr = std::unique_ptr<UConverter, UConverterCloser>;

class VcardStream {
 public:
  VcardStream(const std::string& name, model::ItemSink& sink, const VcfReadOptions& options)
      : name_(name), sink_(sink), options_(options) {
    provenance_.source_file = name;
    provenance_.folder_path = "/" + baseName(name);
  }

  bool failed() const { return error_.has_value(); }

  // Raw bytes of the file, in order.
  void push(std::string_view bytes) {
    if (failed()) return;
    if (encoding_ == Encoding::kUndecided) {
      head_.append(bytes);
      if (head_.size() < 4) return;
      decideEncoding();
      std::string head = std::move(head_);
      head_.clear();
      pushRaw(head, false);
      return;
    }
    pushRaw(bytes, false);
  }

  Result<VcfReadSummary> finish() {
    if (!failed() && encoding_ == Encoding::kUndecided) {
      decideEncoding();
      std::string head = std::move(head_);
      pushRaw(head, false);
    }
    if (!failed() && encoding_ == Encoding::kUtf16) pushRaw({}, true);
    if (!failed()) finishLines();
    if (!failed()) flushLogical();
    if (!failed() && !started_) {
      error_ = Error{"vcf.not_vcard", "expected vCard text starting with BEGIN:VCARD, found no text at all", name_};
    }
    if (failed()) return *error_;
    if (in_card_) skipCard("END", "the card has no END:VCARD before the end of the file");
    for (auto& list : held_groups_) emitGroup(std::move(list));
    held_groups_.clear();
    if (stray_lines_ > 0) {
      sink_.onFinding(model::Finding{"vcf.text_outside_cards", Severity::kWarning, provenance_, "",
                                     std::to_string(stray_lines_) + " line(s), the first at line " +
                                         std::to_string(first_stray_line_),
                                     "", "text between END:VCARD and the next BEGIN:VCARD is ignored", false});
    }
    return summary_;
  }

 private:
  enum class Encoding { kUndecided, kUtf8, kUtf16 };

  struct Card {
    int number = 0;
    int first_line = 0;
    std::size_t bytes = 0;
    std::vector<std::pair<std::string, int>> lines;  // unfolded content lines and where they start
    std::string problem;
    std::string problem_field;
  };

  void decideEncoding() {
    const auto byte = [&](std::size_t i) { return i < head_.size() ? static_cast<unsigned char>(head_[i]) : 0x100u; };
    std::string converter;
    std::size_t skip = 0;
    if (byte(0) == 0xEF && byte(1) == 0xBB && byte(2) == 0xBF) {
      skip = 3;
    } else if (byte(0) == 0xFF && byte(1) == 0xFE) {
      converter = "UTF-16LE";
      skip = 2;
    } else if (byte(0) == 0xFE && byte(1) == 0xFF) {
      converter = "UTF-16BE";
      skip = 2;
    } else if (byte(0) != 0 && byte(0) < 0x80 && byte(1) == 0 && byte(2) != 0 && byte(3) == 0) {
      converter = "UTF-16LE";  // "B\0E\0": UTF-16 written without a byte-order mark
    } else if (byte(0) == 0 && byte(1) != 0 && byte(1) < 0x80 && byte(2) == 0 && byte(3) != 0) {
      converter = "UTF-16BE";
    }
    head_.erase(0, skip);
    if (converter.empty()) {
      encoding_ = Encoding::kUtf8;
      return;
    }
    UErrorCode status = U_ZERO_ERROR;
    source_converter_.reset(ucnv_open(converter.c_str(), &status));
    if (U_SUCCESS(status)) utf8_converter_.reset(ucnv_open("UTF-8", &status));
    if (U_FAILURE(status) || !source_converter_ || !utf8_converter_) {
      error_ = Error{"vcf.icu", "ICU cannot open its " + converter + " converter", name_};
      return;
    }
    encoding_ = Encoding::kUtf16;
  }

  void pushRaw(std::string_view bytes, bool flush) {
    if (failed()) return;
    if (encoding_ != Encoding::kUtf16) {
      pushText(bytes);
      return;
    }
    // ICU refuses null pointers even for no input (the final flush).
    static const char kNothing = 0;
    const char* source = bytes.empty() ? &kNothing : bytes.data();
    const char* source_limit = source + bytes.size();
    std::array<char, 65536> buffer{};
    while (true) {
      char* target = buffer.data();
      UErrorCode status = U_ZERO_ERROR;
      ucnv_convertEx(utf8_converter_.get(), source_converter_.get(), &target, buffer.data() + buffer.size(), &source,
                     source_limit, pivot_.data(), &pivot_source_, &pivot_target_, pivot_.data() + pivot_.size(),
                     pivot_reset_, flush, &status);
      pivot_reset_ = false;
      pushText(std::string_view(buffer.data(), static_cast<std::size_t>(target - buffer.data())));
      if (status == U_BUFFER_OVERFLOW_ERROR) continue;
      if (U_FAILURE(status)) {
        error_ = Error{"vcf.utf16", std::string("the UTF-16 text cannot be converted: ") + u_errorName(status), name_};
      }
      return;
    }
  }

  // Splits UTF-8 text into physical lines (LF or CRLF), never holding more than one line.
  void pushText(std::string_view text) {
    if (!bom_checked_ && !text.empty()) {
      // A UTF-16 file's own mark was skipped; one that follows in the text is a UTF-8 BOM.
      bom_checked_ = true;
      if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    }
    std::size_t pos = 0;
    while (pos < text.size() && !failed()) {
      const std::size_t newline = text.find('\n', pos);
      if (newline == std::string_view::npos) {
        if (!discarding_) {
          partial_.append(text.substr(pos));
          if (partial_.size() > options_.max_line_bytes) {
            discarding_ = true;
            partial_.clear();
            partial_.shrink_to_fit();
          }
        }
        return;
      }
      const std::string_view piece = text.substr(pos, newline - pos);
      pos = newline + 1;
      ++line_number_;
      if (discarding_) {
        discarding_ = false;
        physicalLine({}, true);
      } else if (!partial_.empty()) {
        partial_.append(piece);
        completeLine(partial_);
        partial_.clear();
      } else {
        completeLine(piece);
      }
    }
  }

  void completeLine(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > options_.max_line_bytes) {
      physicalLine({}, true);
    } else {
      physicalLine(line, false);
    }
  }

  void finishLines() {
    if (discarding_) {
      ++line_number_;
      discarding_ = false;
      physicalLine({}, true);
    } else if (!partial_.empty()) {
      ++line_number_;
      std::string last = std::move(partial_);
      partial_.clear();
      completeLine(last);
    }
  }

  // Unfolds: a line starting with a blank continues the previous one (RFC 6350 3.2); a
  // quoted-printable value ending in "=" continues on the next line whatever it starts with
  // (vCard 2.1 2.1.3); a 2.1 base64 value may go on in unindented lines until a blank line.
  void physicalLine(std::string_view line, bool too_long) {
    if (too_long) {
      flushLogical();
      lineProblem("a line is longer than " + std::to_string(options_.max_line_bytes) + " bytes", "");
      return;
    }
    if (have_logical_) {
      // ...except that END:VCARD always ends the card: a broken soft break must not swallow it.
      if (logical_qp_ && !logical_.empty() && logical_.back() == '=' && !isMarker(line, "END:VCARD")) {
        logical_.pop_back();
        appendLogical(line);
        return;
      }
      if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
        appendLogical(line.substr(1));
        return;
      }
      if (logical_base64_ && isBase64Text(line)) {
        appendLogical(line);
        return;
      }
      flushLogical();
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) return;  // blank lines carry nothing
    logical_.assign(line);
    logical_line_ = line_number_;
    have_logical_ = true;
    oversized_ = false;
    const std::string header = toUpper(headerOf(line));
    logical_qp_ = header.find("QUOTED-PRINTABLE") != std::string::npos;
    logical_base64_ = header.find("BASE64") != std::string::npos;
  }

  void appendLogical(std::string_view piece) {
    if (oversized_) return;
    if (logical_.size() + piece.size() > options_.max_property_bytes) {
      oversized_ = true;
      return;
    }
    logical_.append(piece);
  }

  void flushLogical() {
    if (!have_logical_) return;
    have_logical_ = false;
    contentLine(logical_, logical_line_, oversized_);
    logical_.clear();
    if (logical_.capacity() > (std::size_t{1} << 20)) logical_.shrink_to_fit();
  }

  void lineProblem(const std::string& problem, const std::string& field) {
    if (!started_) {
      error_ = Error{"vcf.not_vcard", "expected vCard text starting with BEGIN:VCARD, found " + problem, name_};
      return;
    }
    if (!in_card_) {
      strayLine(line_number_);
      return;
    }
    if (card_.problem.empty()) {
      card_.problem = problem + " (line " + std::to_string(line_number_) + ")";
      card_.problem_field = field;
    }
  }

  void strayLine(int line) {
    if (stray_lines_++ == 0) first_stray_line_ = line;
  }

  void contentLine(const std::string& line, int line_number, bool oversized) {
    if (failed()) return;
    const bool begin = isMarker(line, "BEGIN:VCARD");
    if (!started_) {
      if (!begin) {
        error_ = Error{"vcf.not_vcard",
                       "expected vCard text starting with BEGIN:VCARD, found \"" + excerpt(line) + "\"", name_};
        return;
      }
      started_ = true;
      model::SourceFolder folder;
      folder.path = provenance_.folder_path;
      folder.container_class = "IPF.Contact";
      folder.source_file = name_;
      sink_.onFolder(folder);
    }
    if (begin) {
      if (in_card_) {
        skipCard("BEGIN", "a BEGIN:VCARD at line " + std::to_string(line_number) +
                              " comes before this card's END:VCARD (nested or unterminated card)");
      }
      startCard(line_number);
      return;
    }
    if (!in_card_) {
      strayLine(line_number);
      return;
    }
    if (isMarker(line, "END:VCARD")) {
      finishCard();
      return;
    }
    if (!card_.problem.empty()) return;
    if (oversized) {
      card_.problem = "the property starting at line " + std::to_string(line_number) + " is longer than " +
                      std::to_string(options_.max_property_bytes) + " bytes";
      card_.problem_field = propertyNameOf(line);
      card_.lines.clear();
      return;
    }
    if (card_.bytes + line.size() > options_.max_card_bytes) {
      card_.problem = "the card is larger than " + std::to_string(options_.max_card_bytes) + " bytes (at line " +
                      std::to_string(line_number) + ")";
      card_.problem_field = propertyNameOf(line);
      card_.lines.clear();
      return;
    }
    card_.bytes += line.size();
    card_.lines.emplace_back(line, line_number);
  }

  void startCard(int line_number) {
    in_card_ = true;
    card_ = Card{};
    card_.number = ++summary_.cards_seen;
    card_.first_line = line_number;
  }

  model::Provenance cardProvenance() const {
    model::Provenance provenance = provenance_;
    provenance.entry_id = std::to_string(card_.number);
    return provenance;
  }

  void skipCard(const std::string& field, const std::string& why) {
    in_card_ = false;
    ++summary_.skipped;
    sink_.onFinding(model::Finding{"vcf.card_unreadable", Severity::kError, cardProvenance(), field, "", "",
                                   "card " + std::to_string(card_.number) + " (from line " +
                                       std::to_string(card_.first_line) + ") is skipped: " + why,
                                   true});
    card_ = Card{};
  }

  void finishCard() {
    if (!card_.problem.empty()) {
      skipCard(card_.problem_field, card_.problem);
      return;
    }
    std::vector<VcardProperty> properties;
    properties.reserve(card_.lines.size());
    for (const auto& [text, line] : card_.lines) {
      auto property = parseContentLine(text, line);
      if (!property.ok()) {
        skipCard(propertyNameOf(text), property.error().message + " (" + property.error().context + ")");
        return;
      }
      properties.push_back(std::move(property).value());
    }
    card_.lines.clear();
    std::vector<model::Finding> findings;
    auto mapped = mapCard(properties, cardProvenance(), findings);
    if (!mapped.ok()) {
      const std::string& context = mapped.error().context;
      const std::size_t at = context.rfind("property ");
      skipCard(at == std::string::npos ? "" : context.substr(at + 9),
               mapped.error().message + " (" + context + ")");
      return;
    }
    in_card_ = false;
    for (auto& finding : findings) sink_.onFinding(std::move(finding));
    if (!mapped->uid.empty() && known_uids_.size() < kMaxKnownUids) {
      known_uids_.emplace(normalizedUid(mapped->uid), mapped->known);
    }
    if (mapped->contact) {
      ++summary_.contacts;
      sink_.onContact(std::move(*mapped->contact));
    } else if (mapped->dist_list) {
      // Members may name cards further down the file (RFC 6350 6.6.5 puts the group first), so
      // groups go out at the end, once every UID is known.
      std::size_t bytes = 0;
      for (const auto& member : mapped->dist_list->members) bytes += member.display_name.size() + 64;
      if (held_group_bytes_ + bytes <= kMaxHeldGroupBytes) {
        held_group_bytes_ += bytes;
        held_groups_.push_back(std::move(*mapped->dist_list));
      } else {
        emitGroup(std::move(*mapped->dist_list));
      }
    }
    card_ = Card{};
  }

  void emitGroup(model::DistList list) {
    for (auto& member : list.members) {
      if (member.kind != model::DistListMemberKind::kUnknown) continue;
      const std::string written = member.display_name;
      auto found = known_uids_.find(normalizedUid(written));
      if (found == known_uids_.end()) {
        const bool is_uid = written.rfind("urn:", 0) == 0 || written.find(':') == std::string::npos;
        sink_.onFinding(model::Finding{
            "distlist.member_unresolved", Severity::kWarning, list.provenance, "MEMBER", written, "",
            is_uid ? "no card of the file has this UID, so the member cannot be named"
                   : "the member is neither an e-mail address (mailto:) nor the UID of a card of the file",
            false});
        continue;
      }
      member.kind = found->second.is_group ? model::DistListMemberKind::kDistList : model::DistListMemberKind::kContact;
      member.display_name = found->second.display_name;
      member.email = found->second.email;
      member.address_type = member.email.empty() ? "" : "SMTP";
      member.target_entry_id = found->second.entry_id;
    }
    ++summary_.dist_lists;
    sink_.onDistList(std::move(list));
  }

  const std::string& name_;
  model::ItemSink& sink_;
  const VcfReadOptions& options_;
  model::Provenance provenance_;
  VcfReadSummary summary_;
  std::optional<Error> error_;

  Encoding encoding_ = Encoding::kUndecided;
  std::string head_;
  ConverterPtr source_converter_;
  ConverterPtr utf8_converter_;
  std::array<UChar, 4096> pivot_{};
  UChar* pivot_source_ = pivot_.data();
  UChar* pivot_target_ = pivot_.data();
  bool pivot_reset_ = true;
  bool bom_checked_ = false;

  std::string partial_;
  bool discarding_ = false;
  int line_number_ = 0;

  std::string logical_;
  int logical_line_ = 0;
  bool have_logical_ = false;
  bool logical_qp_ = false;
  bool logical_base64_ = false;
  bool oversized_ = false;

  bool started_ = false;
  bool in_card_ = false;
  Card card_;
  int stray_lines_ = 0;
  int first_stray_line_ = 0;
  std::map<std::string, KnownCard> known_uids_;
  std::vector<model::DistList> held_groups_;
  std::size_t held_group_bytes_ = 0;
};

}  // namespace

Result<VcfReadSummary> readVcardText(std::string_view text, const std::string& name, model::ItemSink& sink,
                                     const VcfReadOptions& options) {
  try {
    VcardStream stream(name, sink, options);
    constexpr std::size_t kChunk = 64 * 1024;
    for (std::size_t pos = 0; pos < text.size() && !stream.failed(); pos += kChunk) {
      stream.push(text.substr(pos, kChunk));
    }
    return stream.finish();
  } catch (const std::exception& e) {
    return Error{"vcf.internal", std::string("reading the vCard text failed: ") + e.what(), name};
  }
}

Result<VcfReadSummary> readVcardFile(const std::string& path, model::ItemSink& sink, const VcfReadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"vcf.open", "cannot open the file for reading", path};
  try {
    VcardStream stream(path, sink, options);
    std::vector<char> buffer(64 * 1024);
    while (!stream.failed()) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      const std::streamsize got = in.gcount();
      if (got > 0) stream.push(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
      if (!in) break;
    }
    if (in.bad()) return Error{"vcf.read", "reading the file failed", path};
    return stream.finish();
  } catch (const std::exception& e) {
    return Error{"vcf.internal", std::string("reading the vCard file failed: ") + e.what(), path};
  }
}

}  // namespace m2z::readers::vcf
