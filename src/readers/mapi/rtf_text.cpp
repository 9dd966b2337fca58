#include "readers/mapi/rtf_text.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "readers/mapi/codepage.h"
#include "readers/mapi/field_reader.h"

namespace m2z::readers::mapi {

namespace {

constexpr std::size_t kMaxControlWordLetters = 32;  // [MSFT-RTF]: a control word has at most 32 letters
constexpr int kMaxParameterDigits = 10;
constexpr std::size_t kMaxFonts = 4096;

enum class Destination {
  kText,       // visible text
  kSkip,       // a destination whose text is not the document's (\fonttbl names, \pict data, ...)
  kFontTable,  // \fonttbl: read for the fonts' charsets, its text dropped
  kHtmlTag,    // {\*\htmltag} in an encapsulated-HTML document: a fragment of the original HTML
};

struct GroupState {
  Destination destination = Destination::kText;
  int unicode_skip = 1;  // \ucN: fallback characters after each \uN
  bool html_rtf = false;  // inside \htmlrtf: RTF-only text, not part of the encapsulated HTML
  int font = -1;          // the current \fN
  bool ignorable = false;   // the group started with \*
  bool fresh = true;        // nothing but \* seen in the group yet: the next word may name a destination
};

// Destinations whose content is never the body's text.
bool isSkippedDestination(std::string_view word) {
  static constexpr std::array<std::string_view, 32> kSkipped = {
      "colortbl",  "stylesheet", "info",      "pict",      "object",     "objdata",    "fldinst",   "header",
      "headerl",   "headerr",    "headerf",   "footer",    "footerl",    "footerr",    "footerf",   "listtable",
      "listoverridetable", "rsidtbl", "generator", "xmlnstbl", "themedata", "colorschememapping", "latentstyles",
      "datastore", "filetbl",    "revtbl",    "pntext",    "pntxta",     "pntxtb",     "bkmkstart", "bkmkend",
      "template"};
  return std::find(kSkipped.begin(), kSkipped.end(), word) != kSkipped.end();
}

void appendUtf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool isLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Where "</name" (any case) starts at or after `from`, or the end of `html`.
std::size_t findClosingTag(std::string_view html, std::size_t from, std::string_view name) {
  for (std::size_t at = html.find("</", from); at != std::string_view::npos; at = html.find("</", at + 2)) {
    if (html.size() - at - 2 < name.size()) break;
    bool same = true;
    for (std::size_t k = 0; k < name.size() && same; ++k) {
      char c = html[at + 2 + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      same = c == name[k];
    }
    if (same) return at;
  }
  return html.size();
}

// Text of the HTML an encapsulating writer kept: tags dropped (block tags start a line, <br>
// breaks one), <head>, <style>, <script>, <title> and comments skipped, character references
// decoded, and whitespace collapsed as a browser does except inside <pre>. The output is never
// longer than the input plus two bytes per tag.
std::string htmlToText(std::string_view html) {
  std::string out;
  bool pending_space = false;
  int pre_depth = 0;
  const auto trimSpaces = [&] {
    while (!out.empty() && out.back() == ' ') out.pop_back();
  };
  const auto startLine = [&] {
    trimSpaces();
    if (!out.empty() && out.back() != '\n') out += "\r\n";
    pending_space = false;
  };
  const auto lower = [](std::string_view text) {
    std::string result(text);
    for (auto& c : result) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return result;
  };
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      if (html.compare(i, 4, "<!--") == 0) {
        const auto end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? html.size() : end + 3;
        continue;
      }
      const auto end = html.find('>', i);
      if (end == std::string_view::npos) break;
      std::string_view tag = html.substr(i + 1, end - i - 1);
      i = end + 1;
      const bool closing = !tag.empty() && tag[0] == '/';
      if (closing) tag.remove_prefix(1);
      std::size_t name_end = 0;
      while (name_end < tag.size() && (isLetter(tag[name_end]) || isDigit(tag[name_end]))) ++name_end;
      const std::string name = lower(tag.substr(0, name_end));
      if (!closing && (name == "head" || name == "style" || name == "script" || name == "title")) {
        i = findClosingTag(html, i, name);
        continue;
      }
      if (name == "br") {
        trimSpaces();
        out += "\r\n";
        pending_space = false;
      } else if (name == "p" || name == "div" || name == "pre" || name == "tr" || name == "li" || name == "table" ||
                 name == "blockquote" || (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6')) {
        startLine();
        if (name == "pre") pre_depth = std::max(0, pre_depth + (closing ? -1 : 1));
      } else if ((name == "td" || name == "th") && !closing) {
        pending_space = true;
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      if (pre_depth > 0) {
        out += c;
      } else {
        pending_space = true;
      }
      ++i;
      continue;
    }
    if (pending_space && !out.empty() && out.back() != '\n') out += ' ';
    pending_space = false;
    if (c == '&') {
      const auto semicolon = html.find(';', i);
      if (semicolon != std::string_view::npos && semicolon - i <= 10) {
        const std::string_view name = html.substr(i + 1, semicolon - i - 1);
        std::optional<std::uint32_t> code_point;
        if (name == "amp") code_point = '&';
        else if (name == "lt") code_point = '<';
        else if (name == "gt") code_point = '>';
        else if (name == "quot") code_point = '"';
        else if (name == "apos") code_point = '\'';
        else if (name == "nbsp") code_point = 0xA0;
        else if (name.size() > 1 && name[0] == '#') {
          std::uint32_t value = 0;
          const bool hex = name[1] == 'x' || name[1] == 'X';
          bool valid = name.size() > (hex ? 2u : 1u);
          for (std::size_t k = hex ? 2 : 1; k < name.size() && valid; ++k) {
            const int digit = hex ? hexDigit(name[k]) : (isDigit(name[k]) ? name[k] - '0' : -1);
            if (digit < 0) valid = false;
            else value = value * (hex ? 16u : 10u) + static_cast<std::uint32_t>(digit);
          }
          // Characters a reference may not stand for become U+FFFD.
          if (valid) code_point = (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) ? 0xFFFD : value;
        }
        if (code_point) {
          appendUtf8(out, *code_point);
          i = semicolon + 1;
          continue;
        }
      }
    }
    out += c;
    ++i;
  }
  return out;
}

class RtfParser {
 public:
  explicit RtfParser(std::string_view rtf) : rtf_(rtf), limit_(rtf.size() * kMaxRtfOutputFactor + 64) {}

  Result<RtfText> run() {
    if (rtf_.substr(0, 5) != "{\\rtf") return fail(0, "does not start with {\\rtf");
    while (pos_ < rtf_.size()) {
      const char c = rtf_[pos_];
      if (c == '{') {
        if (auto error = openGroup()) return *error;
        ++pos_;
      } else if (c == '}') {
        flushBytes();
        if (error_) return *error_;
        stack_.pop_back();
        ++pos_;
        if (stack_.empty()) break;  // the document's group ends; what follows (padding) is not RTF
        skip_ = 0;
      } else if (c == '\\') {
        controlSequence();
      } else if (c == '\r' || c == '\n' || c == '\0') {
        ++pos_;
      } else {
        if (stack_.empty()) return fail(pos_, "text outside the document's group");
        textByte(static_cast<std::uint8_t>(c));
        ++pos_;
      }
      if (error_) return *error_;
    }
    if (!stack_.empty()) return fail(rtf_.size(), "the RTF ends inside " + std::to_string(stack_.size()) + " open groups");
    RtfText result;
    result.from_html = html_;
    result.text = html_ ? htmlToText(html_text_) : std::move(text_);
    while (!result.text.empty() && (result.text.back() == ' ' || result.text.back() == '\r' ||
                                    result.text.back() == '\n' || result.text.back() == '\t')) {
      result.text.pop_back();
    }
    return result;
  }

 private:
  Error fail(std::size_t offset, const std::string& why) const {
    return Error{"mapi.rtf", "RTF body at byte " + std::to_string(offset) + ": " + why, "PidTagRtfCompressed"};
  }

  GroupState& state() { return stack_.back(); }

  std::optional<Error> openGroup() {
    flushBytes();
    if (stack_.size() >= static_cast<std::size_t>(kMaxRtfGroupDepth)) {
      return fail(pos_, "groups nest deeper than " + std::to_string(kMaxRtfGroupDepth) + " levels");
    }
    GroupState next = stack_.empty() ? GroupState{} : stack_.back();
    next.ignorable = false;
    next.fresh = true;
    stack_.push_back(next);
    skip_ = 0;
    return std::nullopt;
  }

  void controlSequence() {
    ++pos_;  // the backslash
    if (pos_ >= rtf_.size()) return;
    const char c = rtf_[pos_];
    if (isLetter(c)) return controlWord();
    ++pos_;
    if (stack_.empty()) return;
    switch (c) {
      case '\'': {
        if (pos_ + 1 < rtf_.size() && hexDigit(rtf_[pos_]) >= 0 && hexDigit(rtf_[pos_ + 1]) >= 0) {
          const auto byte = static_cast<std::uint8_t>(hexDigit(rtf_[pos_]) * 16 + hexDigit(rtf_[pos_ + 1]));
          pos_ += 2;
          textByte(byte);
        }
        return;
      }
      case '*':
        state().ignorable = true;
        return;
      case '\\':
      case '{':
      case '}':
        textByte(static_cast<std::uint8_t>(c));
        return;
      case '~':
        emitCodePoint(0xA0);
        return;
      case '_':
        emitCodePoint('-');
        return;
      case '\r':
      case '\n':
        emitText("\r\n");
        return;
      default:
        return;  // \- (optional hyphen), \: (index entry), ...
    }
  }

  void controlWord() {
    const std::size_t start = pos_;
    while (pos_ < rtf_.size() && isLetter(rtf_[pos_]) && pos_ - start < kMaxControlWordLetters) ++pos_;
    const std::string_view word = rtf_.substr(start, pos_ - start);
    bool has_parameter = false;
    bool negative = false;
    std::int64_t parameter = 0;
    if (pos_ < rtf_.size() && rtf_[pos_] == '-') {
      negative = true;
      ++pos_;
    }
    int digits = 0;
    while (pos_ < rtf_.size() && isDigit(rtf_[pos_])) {
      if (digits < kMaxParameterDigits) parameter = parameter * 10 + (rtf_[pos_] - '0');
      ++digits;
      ++pos_;
    }
    has_parameter = digits > 0;
    if (negative) parameter = -parameter;
    if (pos_ < rtf_.size() && rtf_[pos_] == ' ') ++pos_;  // the delimiter belongs to the word
    if (word == "bin") {
      // \binN: N bytes of raw data follow (pictures, objects); they are never text and may hold
      // braces, so they are stepped over, not parsed.
      if (has_parameter && parameter > 0) {
        pos_ += static_cast<std::size_t>(std::min<std::int64_t>(parameter, static_cast<std::int64_t>(rtf_.size() - pos_)));
      }
      return;
    }
    if (stack_.empty()) return;
    handleWord(word, has_parameter, static_cast<int>(std::clamp<std::int64_t>(parameter, -2147483647, 2147483647)));
  }

  void handleWord(std::string_view word, bool has_parameter, int parameter) {
    GroupState& group = state();
    const bool fresh = group.fresh;
    group.fresh = false;
    if (fresh && group.destination != Destination::kSkip) {
      if (word == "fonttbl") {
        group.destination = Destination::kFontTable;
        return;
      }
      if (word == "htmltag" && group.ignorable && html_) {
        group.destination = group.html_rtf ? Destination::kSkip : Destination::kHtmlTag;
        return;
      }
      if (isSkippedDestination(word) || group.ignorable) {
        group.destination = Destination::kSkip;
        return;
      }
    }
    if (word == "u" && has_parameter) {
      // \uN is a signed 16-bit value; two of them may make a surrogate pair.
      const auto unit = static_cast<std::uint32_t>(parameter < 0 ? parameter + 65536 : parameter) & 0xFFFF;
      if (unit >= 0xD800 && unit <= 0xDBFF) {
        high_surrogate_ = unit;
      } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
        emitCodePoint(high_surrogate_ ? 0x10000 + ((*high_surrogate_ - 0xD800) << 10) + (unit - 0xDC00) : 0xFFFD);
        high_surrogate_.reset();
      } else {
        emitCodePoint(unit == 0 ? 0xFFFD : unit);
      }
      skip_ = group.unicode_skip;
      return;
    }
    if (word == "uc") {
      group.unicode_skip = std::clamp(parameter, 0, 16);
    } else if (word == "ansicpg" && has_parameter) {
      if (isKnownCodepage(parameter)) codepage_ = parameter;
    } else if (word == "fromhtml") {
      html_ = !has_parameter || parameter != 0;
    } else if (word == "htmlrtf") {
      flushBytes();
      group.html_rtf = !has_parameter || parameter != 0;
    } else if (word == "deff" && has_parameter) {
      default_font_ = parameter;
    } else if (word == "f" && has_parameter) {
      flushBytes();
      group.font = parameter;
    } else if ((word == "fcharset" || word == "cpg") && group.destination == Destination::kFontTable) {
      const auto codepage = word == "cpg" ? std::optional<int>(parameter) : codepageOfRtfCharset(parameter);
      if (group.font >= 0 && codepage && isKnownCodepage(*codepage) && font_codepages_.size() < kMaxFonts) {
        font_codepages_[group.font] = *codepage;
      }
    } else if (word == "par" || word == "line" || word == "sect" || word == "page" || word == "row") {
      emitText("\r\n");
    } else if (word == "tab" || word == "cell") {
      emitText("\t");
    } else if (word == "emdash") {
      emitCodePoint(0x2014);
    } else if (word == "endash") {
      emitCodePoint(0x2013);
    } else if (word == "bullet") {
      emitCodePoint(0x2022);
    } else if (word == "lquote") {
      emitCodePoint(0x2018);
    } else if (word == "rquote") {
      emitCodePoint(0x2019);
    } else if (word == "ldblquote") {
      emitCodePoint(0x201C);
    } else if (word == "rdblquote") {
      emitCodePoint(0x201D);
    } else if (word == "emspace" || word == "enspace" || word == "qmspace") {
      emitText(" ");
    }
  }

  // A byte of text: ASCII goes out as it is, other bytes wait for the rest of their character
  // (double-byte code pages) and are decoded together.
  void textByte(std::uint8_t byte) {
    GroupState& group = state();
    group.fresh = false;
    if (skip_ > 0) {
      --skip_;
      return;
    }
    if (!wanted()) return;
    const int codepage = currentCodepage();
    if (!pending_.empty() && pending_codepage_ != codepage) flushBytes();
    if (byte < 0x80 && pending_.empty()) {
      const char c = static_cast<char>(byte);
      emitText(std::string_view(&c, 1));
      return;
    }
    pending_codepage_ = codepage;
    pending_.push_back(byte);
    if (pending_.size() >= 64) flushBytes();
  }

  int currentCodepage() {
    const GroupState& group = state();
    // Inside {\*\htmltag} the document's code page applies ([MS-OXRTFEX] 2.1.3.1.4).
    const int font = group.font >= 0 ? group.font : default_font_;
    if (group.destination != Destination::kHtmlTag && font >= 0) {
      if (const auto it = font_codepages_.find(font); it != font_codepages_.end()) return it->second;
    }
    return codepage_;
  }

  void flushBytes() {
    if (pending_.empty()) return;
    auto text = decodeCodepage(pending_, pending_codepage_);
    pending_.clear();
    append(text ? *text : std::string("\xEF\xBF\xBD"));
  }

  bool wanted() {
    const GroupState& group = state();
    if (group.destination == Destination::kSkip || group.destination == Destination::kFontTable) return false;
    if (html_ && group.html_rtf) return false;
    return true;
  }

  void emitCodePoint(std::uint32_t code_point) {
    std::string text;
    appendUtf8(text, code_point);
    emitText(text);
  }

  void emitText(std::string_view text) {
    if (stack_.empty() || !wanted()) return;
    state().fresh = false;
    flushBytes();
    append(text);
  }

  void append(std::string_view text) {
    std::string& out = html_ ? html_text_ : text_;
    if (out.size() + text.size() > limit_) {
      if (!error_) error_ = fail(pos_, "the text would pass " + std::to_string(kMaxRtfOutputFactor) +
                                           " times the RTF's size");
      return;
    }
    out.append(text);
  }

  std::string_view rtf_;
  std::size_t limit_;
  std::size_t pos_ = 0;
  std::vector<GroupState> stack_;
  int codepage_ = kDefaultCodepage;
  int default_font_ = -1;
  std::map<int, int> font_codepages_;
  bool html_ = false;
  int skip_ = 0;
  std::optional<std::uint32_t> high_surrogate_;
  std::vector<std::uint8_t> pending_;
  int pending_codepage_ = kDefaultCodepage;
  std::string text_;
  std::string html_text_;
  std::optional<Error> error_;
};

}  // namespace

Result<RtfText> rtfToText(std::string_view rtf) { return RtfParser(rtf).run(); }

std::string readBody(FieldReader& fields) {
  if (const auto* body = fields.get<std::string>(kPidTagBody)) return *body;
  const std::string& rtf = fields.bag().rtf_body;
  if (rtf.empty()) return std::string();
  auto text = rtfToText(rtf);
  if (!text) {
    fields.report("body.rtf_unreadable", model::Severity::kWarning, "PidTagRtfCompressed", "", "",
                  "the item has no plain-text body and its RTF body cannot be read (" + text.error().message +
                      "); the body is left empty");
    return std::string();
  }
  fields.report("body.from_rtf", model::Severity::kInfo, "PidTagRtfCompressed", "", "",
                text->from_html ? "the item has no plain-text body; the text was taken from the HTML its RTF "
                                  "body encapsulates"
                                : "the item has no plain-text body; the text was converted from its RTF body");
  return std::move(text->text);
}

}  // namespace m2z::readers::mapi
