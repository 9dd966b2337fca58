#include "audit/redact.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace m2z::audit {

namespace {

constexpr std::string_view kXmlnsNamespace = "http://www.w3.org/2000/xmlns/";

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool containsIgnoringCase(std::string_view haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         }) != haystack.end();
}

bool isPasswordAttributeElement(std::string_view element_name, std::string_view n_value) {
  return element_name == "a" && containsIgnoringCase(n_value, "password");
}

std::string_view localPart(std::string_view qualified_name) {
  const auto colon = qualified_name.find(':');
  return colon == std::string_view::npos ? qualified_name : qualified_name.substr(colon + 1);
}

bool isNameChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '-' || c == '.' || c == ':' || u >= 0x80;
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Lexical scan of one start tag beginning at text[lt] == '<'. Redacts secret-named attribute
// values in place and returns where the tag ends (one past '>', or text.size() when torn), plus
// whether the element's content is a secret.
struct TagScan {
  std::size_t end = 0;
  bool content_is_secret = false;
  bool self_closing = false;
};

TagScan scanStartTag(std::string& text, std::size_t lt) {
  TagScan scan;
  std::size_t pos = lt + 1;
  const std::size_t name_start = pos;
  while (pos < text.size() && isNameChar(text[pos])) ++pos;
  const std::string element_name{localPart(std::string_view(text).substr(name_start, pos - name_start))};
  bool secret_element = isSecretName(element_name);
  while (pos < text.size()) {
    while (pos < text.size() && isSpace(text[pos])) ++pos;
    if (pos >= text.size()) break;
    if (text[pos] == '>') {
      scan.end = pos + 1;
      scan.content_is_secret = secret_element;
      return scan;
    }
    if (text[pos] == '/' && pos + 1 < text.size() && text[pos + 1] == '>') {
      scan.end = pos + 2;
      scan.self_closing = true;
      return scan;
    }
    const std::size_t attribute_start = pos;
    while (pos < text.size() && isNameChar(text[pos])) ++pos;
    if (pos == attribute_start) {  // not a tag we understand: stop here, keep scanning the text
      scan.end = pos + 1;
      return scan;
    }
    const std::string attribute_name{text.substr(attribute_start, pos - attribute_start)};
    while (pos < text.size() && isSpace(text[pos])) ++pos;
    if (pos >= text.size() || text[pos] != '=') continue;  // HTML-style attribute without a value
    ++pos;
    while (pos < text.size() && isSpace(text[pos])) ++pos;
    if (pos >= text.size()) break;
    std::size_t value_start = pos;
    std::size_t value_end = pos;
    if (text[pos] == '"' || text[pos] == '\'') {
      const char quote = text[pos];
      value_start = pos + 1;
      value_end = text.find(quote, value_start);
      if (value_end == std::string::npos) value_end = text.size();
    } else {
      while (value_end < text.size() && !isSpace(text[value_end]) && text[value_end] != '>') ++value_end;
    }
    const std::string_view attribute_local = localPart(attribute_name);
    const std::string_view value = std::string_view(text).substr(value_start, value_end - value_start);
    if (attribute_name.rfind("xmlns", 0) != 0 && isSecretName(attribute_local)) {
      if (!value.empty()) {
        text.replace(value_start, value_end - value_start, kRedacted);
        value_end = value_start + kRedacted.size();
      }
    } else if (attribute_local == "n" && isPasswordAttributeElement(element_name, value)) {
      secret_element = true;
    }
    pos = value_end < text.size() && (text[value_end] == '"' || text[value_end] == '\'') ? value_end + 1 : value_end;
  }
  scan.end = text.size();
  scan.content_is_secret = secret_element;
  return scan;
}

}  // namespace

bool isSecretName(std::string_view local_name) {
  static constexpr std::array<std::string_view, 8> kSecretNames = {
      "password", "newPassword", "oldPassword", "authToken", "preauth", "token", "jwtToken", "csrfToken"};
  return std::any_of(kSecretNames.begin(), kSecretNames.end(),
                     [&](std::string_view name) { return equalsIgnoringCase(name, local_name); });
}

void redactSecrets(xml::Element& element) {
  bool secret_content = isSecretName(element.name);
  for (auto& attribute : element.attributes) {
    if (attribute.namespace_uri == kXmlnsNamespace || attribute.name == "xmlns") continue;
    if (isSecretName(attribute.name)) {
      if (!attribute.value.empty()) attribute.value = std::string(kRedacted);
    } else if (attribute.name == "n" && attribute.namespace_uri.empty() &&
               isPasswordAttributeElement(element.name, attribute.value)) {
      secret_content = true;
    }
  }
  if (secret_content) {
    // A secret element's children are dropped, not searched: whatever shape the secret takes
    // inside it, none of it is written.
    if (!element.text.empty() || !element.children.empty()) element.text = std::string(kRedacted);
    element.children.clear();
    return;
  }
  for (auto& child : element.children) redactSecrets(child);
}

void redactSecretsInText(std::string& text) {
  std::size_t pos = 0;
  while ((pos = text.find('<', pos)) != std::string::npos) {
    if (pos + 1 >= text.size() || !isNameChar(text[pos + 1]) || text[pos + 1] == ':') {
      ++pos;  // an end tag, comment, PI, CDATA or a stray '<'
      continue;
    }
    const TagScan scan = scanStartTag(text, pos);
    pos = std::max(scan.end, pos + 1);
    if (!scan.content_is_secret || scan.self_closing || pos >= text.size()) continue;
    std::size_t content_end = text.find('<', pos);
    if (content_end == std::string::npos) content_end = text.size();
    if (content_end > pos) {
      text.replace(pos, content_end - pos, kRedacted);
      pos += kRedacted.size();
    }
  }
}

void replaceSecretValues(std::string& text, const std::vector<std::string>& secrets) {
  std::vector<const std::string*> ordered;
  for (const auto& secret : secrets) {
    if (!secret.empty()) ordered.push_back(&secret);
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const std::string* a, const std::string* b) { return a->size() > b->size(); });
  for (const std::string* secret : ordered) {
    for (std::size_t at = text.find(*secret); at != std::string::npos; at = text.find(*secret, at + kRedacted.size())) {
      text.replace(at, secret->size(), kRedacted);
    }
  }
}

std::string withoutCredentials(std::string_view url) {
  const std::size_t cut = url.find_first_of("?#");
  std::string_view kept = url.substr(0, cut);
  const std::size_t scheme_end = kept.find("://");
  const std::size_t authority_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  std::size_t authority_end = kept.find('/', authority_start);
  if (authority_end == std::string_view::npos) authority_end = kept.size();
  const std::string_view authority = kept.substr(authority_start, authority_end - authority_start);
  const std::size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(kept);
  return std::string(kept.substr(0, authority_start)) + std::string(kept.substr(authority_start + at + 1));
}

}  // namespace m2z::audit
