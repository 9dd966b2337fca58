#include "readers/vcf/vcard_syntax.h"

#include <unicode/ucnv.h>

#include <algorithm>
#include <memory>

namespace m2z::readers::vcf {
namespace {

bool isNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

int base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// The name a 2.1 bare parameter value stands for (vCard 2.1 section 2.1.2 lets writers leave out
// "TYPE=", "ENCODING=" and "VALUE=").
std::string bareParameterName(std::string_view value) {
  const std::string upper = toUpper(value);
  if (upper == "QUOTED-PRINTABLE" || upper == "BASE64" || upper == "8BIT" || upper == "7BIT") return "ENCODING";
  if (upper == "INLINE" || upper == "URL" || upper == "CONTENT-ID" || upper == "CID") return "VALUE";
  return "TYPE";
}

}  // namespace

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

std::string toUpper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::vector<std::string> VcardProperty::types() const {
  std::vector<std::string> out;
  for (const auto& parameter : parameters) {
    if (parameter.name != "TYPE") continue;
    for (const auto& written : parameter.values) {
      // 3.0 and 4.0 writers also put several types in one quoted value: TYPE="work,voice".
      for (const auto& part : splitUnescaped(written, ',')) {
        if (!part.empty()) out.push_back(toUpper(part));
      }
    }
  }
  return out;
}

bool VcardProperty::hasType(std::string_view type) const {
  const auto all = types();
  return std::any_of(all.begin(), all.end(), [&](const std::string& t) { return equalsIgnoreCase(t, type); });
}

std::string VcardProperty::parameter(std::string_view wanted) const {
  for (const auto& parameter : parameters) {
    if (equalsIgnoreCase(parameter.name, wanted) && !parameter.values.empty()) return parameter.values.front();
  }
  return {};
}

Result<VcardProperty> parseContentLine(std::string_view line, int line_number) {
  const std::string where = "line " + std::to_string(line_number);
  VcardProperty property;
  property.line = line_number;
  std::size_t pos = 0;
  auto readName = [&]() {
    const std::size_t start = pos;
    while (pos < line.size() && isNameChar(line[pos])) ++pos;
    return std::string(line.substr(start, pos - start));
  };
  std::string name = readName();
  if (pos < line.size() && line[pos] == '.' && !name.empty()) {
    property.group = name;
    ++pos;
    name = readName();
  }
  if (name.empty()) {
    return Error{"vcf.bad_line", "expected a property name at the start of the line", where};
  }
  property.name = toUpper(name);
  while (pos < line.size() && line[pos] == ';') {
    ++pos;
    const std::size_t start = pos;
    while (pos < line.size() && line[pos] != '=' && line[pos] != ';' && line[pos] != ':') ++pos;
    std::string parameter_name(line.substr(start, pos - start));
    // Writers leave blanks around parameters now and then ("TEL; WORK:"); they carry no meaning.
    while (!parameter_name.empty() && (parameter_name.back() == ' ' || parameter_name.back() == '\t')) {
      parameter_name.pop_back();
    }
    while (!parameter_name.empty() && (parameter_name.front() == ' ' || parameter_name.front() == '\t')) {
      parameter_name.erase(0, 1);
    }
    if (pos >= line.size() || line[pos] != '=') {
      if (parameter_name.empty()) continue;  // ";;" or a trailing ";" before ':'
      property.parameters.push_back(VcardParameter{bareParameterName(parameter_name), {parameter_name}});
      continue;
    }
    ++pos;  // '='
    VcardParameter parameter{toUpper(parameter_name), {}};
    while (true) {
      std::string value;
      if (pos < line.size() && line[pos] == '"') {
        const std::size_t close = line.find('"', pos + 1);
        if (close == std::string_view::npos) {
          return Error{"vcf.bad_line", "a quoted value of parameter " + parameter.name + " has no closing quote",
                       where + ", property " + property.name};
        }
        value = std::string(line.substr(pos + 1, close - pos - 1));
        pos = close + 1;
      } else {
        const std::size_t start2 = pos;
        while (pos < line.size() && line[pos] != ',' && line[pos] != ';' && line[pos] != ':') ++pos;
        value = std::string(line.substr(start2, pos - start2));
      }
      // RFC 6868 caret escapes in 4.0 parameter values.
      if (value.find('^') != std::string::npos) {
        std::string decoded;
        for (std::size_t i = 0; i < value.size(); ++i) {
          if (value[i] == '^' && i + 1 < value.size() &&
              (value[i + 1] == 'n' || value[i + 1] == '^' || value[i + 1] == '\'')) {
            decoded += value[i + 1] == 'n' ? '\n' : value[i + 1] == '\'' ? '"' : '^';
            ++i;
          } else {
            decoded += value[i];
          }
        }
        value = std::move(decoded);
      }
      parameter.values.push_back(std::move(value));
      if (pos < line.size() && line[pos] == ',') {
        ++pos;
        continue;
      }
      break;
    }
    if (parameter.name.empty()) {
      return Error{"vcf.bad_line", "a parameter has a value but no name", where + ", property " + property.name};
    }
    property.parameters.push_back(std::move(parameter));
  }
  if (pos >= line.size() || line[pos] != ':') {
    return Error{"vcf.bad_line", "expected ':' between the property name and its value",
                 where + ", property " + property.name};
  }
  property.value = std::string(line.substr(pos + 1));
  return property;
}

std::optional<std::string> decodeQuotedPrintable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '=') {
      out += c;
      continue;
    }
    if (i + 1 == text.size()) break;  // a soft break at the very end
    if (text[i + 1] == '\r' || text[i + 1] == '\n') {
      ++i;
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;  // "=" followed by one character only
    const int high = hexValue(text[i + 1]);
    const int low = hexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> decodeBase64(std::string_view text) {
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 4 * 3 + 3);
  std::uint32_t buffer = 0;
  int bits = 0;
  bool padding = false;
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    const int value = base64Value(c);
    if (value < 0 || padding) return std::nullopt;  // data after padding is not base64 either
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

bool isValidUtf8(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    int extra = 0;
    std::uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      code = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      code = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      code = c & 0x07u;
    } else {
      return false;
    }
    if (i + static_cast<std::size_t>(extra) >= bytes.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(bytes[i + static_cast<std::size_t>(k)]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3Fu);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8 (RFC 3629 3).
    if ((extra == 1 && code < 0x80) || (extra == 2 && code < 0x800) || (extra == 3 && code < 0x10000) ||
        (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
      return false;
    }
    i += static_cast<std::size_t>(extra) + 1;
  }
  return true;
}

Result<std::string> toUtf8(std::string_view bytes, const std::string& charset) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> converter(ucnv_open(charset.c_str(), &status), &ucnv_close);
  if (U_FAILURE(status) || !converter) {
    return Error{"vcf.unknown_charset", "ICU does not know the charset \"" + charset + "\"", charset};
  }
  if (bytes.empty()) return std::string();
  // Each input byte yields at most one UTF-16 unit, which takes at most 3 bytes in UTF-8 (a
  // surrogate pair of 2 units takes 4).
  std::string out(bytes.size() * 3 + 4, '\0');
  std::unique_ptr<UConverter, decltype(&ucnv_close)> utf8(ucnv_open("UTF-8", &status), &ucnv_close);
  if (U_FAILURE(status) || !utf8) return Error{"vcf.icu", "ICU cannot open its UTF-8 converter", charset};
  char* target = out.data();
  const char* source = bytes.data();
  ucnv_convertEx(utf8.get(), converter.get(), &target, out.data() + out.size(), &source, bytes.data() + bytes.size(),
                 nullptr, nullptr, nullptr, nullptr, true, true, &status);
  if (U_FAILURE(status)) {
    return Error{"vcf.charset_conversion", std::string("ICU could not convert the text: ") + u_errorName(status),
                 charset};
  }
  out.resize(static_cast<std::size_t>(target - out.data()));
  return out;
}

std::vector<std::string> splitUnescaped(std::string_view value, char separator) {
  std::vector<std::string> parts(1);
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c == '\\' && i + 1 < value.size()) {
      parts.back() += c;
      parts.back() += value[++i];
    } else if (c == separator) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

std::string unescapeText(std::string_view value, VcardVersion version) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c != '\\' || i + 1 == value.size()) {
      out += c;
      continue;
    }
    const char next = value[i + 1];
    if (version == VcardVersion::k21) {
      if (next == ';') {
        out += ';';
        ++i;
      } else {
        out += c;
      }
      continue;
    }
    switch (next) {
      case 'n':
      case 'N':
        out += '\n';
        break;
      case '\\':
      case ',':
      case ';':
      case ':':
        out += next;
        break;
      default:
        // Not an escape RFC 6350 defines: keep what was written.
        out += c;
        out += next;
    }
    ++i;
  }
  return out;
}

}  // namespace m2z::readers::vcf
