// The parts of the XML helper that need no Xerces: the element tree, escaping, canonical text
// and the writer.
#include <cassert>
#include <map>

#include "xml/unicode.h"
#include "xml/xml.h"

namespace m2z::xml {

namespace {

constexpr std::string_view kXmlNamespace = "http://www.w3.org/XML/1998/namespace";

enum class EscapeMode { kText, kAttribute };

std::string escape(std::string_view text, EscapeMode mode) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char c = text[pos];
    if (static_cast<unsigned char>(c) >= 0x80) {
      char32_t code_point = detail::decodeUtf8(text, pos);
      // Characters XML 1.0 cannot carry at all (not even as references) are replaced rather than
      // dropped, so a reader of the audit can see that something was there.
      if (!detail::isXmlChar(code_point)) code_point = detail::kReplacementCharacter;
      detail::appendUtf8(out, code_point);
      continue;
    }
    ++pos;
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;  // keeps "]]>" out of text
      case '"':
        if (mode == EscapeMode::kAttribute) out += "&quot;"; else out += c;
        break;
      // A parser normalises literal CR (and, in attributes, TAB and LF) away; references keep them.
      case '\r': out += "&#13;"; break;
      // In text too: a line break then never starts a new line of the output, so re-indenting
      // (XmlWriter::raw) cannot add spaces to content, and canonical text stays one element per line.
      case '\n': out += "&#10;"; break;
      case '\t':
        if (mode == EscapeMode::kAttribute) out += "&#9;"; else out += c;
        break;
      default:
        if (detail::isXmlChar(static_cast<unsigned char>(c))) {
          out += c;
        } else {
          detail::appendUtf8(out, detail::kReplacementCharacter);
        }
    }
  }
  return out;
}

bool isBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

void writeCanonical(std::string& out, const Element& element, int level, std::string_view parent_namespace) {
  const std::string indent(static_cast<std::size_t>(level) * 2, ' ');
  out += indent;
  out += '<';
  out += element.name;
  if (element.namespace_uri != parent_namespace) {
    out += " xmlns=\"";
    out += escapeAttribute(element.namespace_uri);
    out += '"';
  }
  // Namespaced attributes get prefixes a0, a1, ... in order of first use: deterministic, and
  // independent of whatever prefixes the original document happened to use.
  std::map<std::string, std::string> prefixes;
  for (const Attribute& attribute : element.attributes) {
    if (attribute.namespace_uri.empty() || attribute.namespace_uri == kXmlNamespace) continue;
    if (prefixes.count(attribute.namespace_uri) != 0) continue;
    std::string prefix = "a" + std::to_string(prefixes.size());
    out += " xmlns:" + prefix + "=\"" + escapeAttribute(attribute.namespace_uri) + '"';
    prefixes.emplace(attribute.namespace_uri, std::move(prefix));
  }
  for (const Attribute& attribute : element.attributes) {
    out += ' ';
    if (attribute.namespace_uri == kXmlNamespace) {
      out += "xml:";
    } else if (!attribute.namespace_uri.empty()) {
      out += prefixes[attribute.namespace_uri] + ':';
    }
    out += attribute.name;
    out += "=\"";
    out += escapeAttribute(attribute.value);
    out += '"';
  }
  if (element.children.empty()) {
    if (element.text.empty()) {
      out += "/>\n";
    } else {
      out += '>';
      out += escapeText(element.text);
      out += "</" + element.name + ">\n";
    }
    return;
  }
  out += ">\n";
  if (!isBlank(element.text)) {
    out += indent + "  " + escapeText(trim(element.text)) + '\n';
  }
  for (const Element& child : element.children) {
    writeCanonical(out, child, level + 1, element.namespace_uri);
  }
  out += indent + "</" + element.name + ">\n";
}

}  // namespace

const Element* Element::child(std::string_view local_name) const {
  for (const Element& candidate : children) {
    if (candidate.name == local_name) return &candidate;
  }
  return nullptr;
}

std::vector<const Element*> Element::childrenNamed(std::string_view local_name) const {
  std::vector<const Element*> found;
  for (const Element& candidate : children) {
    if (candidate.name == local_name) found.push_back(&candidate);
  }
  return found;
}

const std::string* Element::attribute(std::string_view local_name) const {
  for (const Attribute& candidate : attributes) {
    if (candidate.name == local_name) return &candidate.value;
  }
  return nullptr;
}

std::string Element::attributeOr(std::string_view local_name, std::string fallback) const {
  const std::string* value = attribute(local_name);
  return value != nullptr ? *value : fallback;
}

const Element* Element::find(std::string_view local_name) const {
  // Iterative so that a deep tree cannot exhaust the stack.
  std::vector<const Element*> pending{this};
  while (!pending.empty()) {
    const Element* current = pending.back();
    pending.pop_back();
    if (current->name == local_name) return current;
    for (auto it = current->children.rbegin(); it != current->children.rend(); ++it) pending.push_back(&*it);
  }
  return nullptr;
}

std::string escapeText(std::string_view text) { return escape(text, EscapeMode::kText); }

std::string escapeAttribute(std::string_view text) { return escape(text, EscapeMode::kAttribute); }

std::string toCanonicalText(const Element& element, int indent_level) {
  std::string out;
  writeCanonical(out, element, indent_level, "");
  return out;
}

void XmlWriter::indent() {
  out_.append(static_cast<std::size_t>(level_ + static_cast<int>(open_.size())) * 2, ' ');
}

void XmlWriter::startTag(std::string_view name, const Attributes& attributes) {
  out_ += '<';
  out_ += name;
  for (const auto& [attribute_name, value] : attributes) {
    out_ += ' ';
    out_ += attribute_name;
    out_ += "=\"";
    out_ += escapeAttribute(value);
    out_ += '"';
  }
}

XmlWriter& XmlWriter::open(std::string_view name, const Attributes& attributes) {
  indent();
  startTag(name, attributes);
  out_ += ">\n";
  open_.emplace_back(name);
  return *this;
}

XmlWriter& XmlWriter::empty(std::string_view name, const Attributes& attributes) {
  indent();
  startTag(name, attributes);
  out_ += "/>\n";
  return *this;
}

XmlWriter& XmlWriter::textElement(std::string_view name, std::string_view text, const Attributes& attributes) {
  indent();
  startTag(name, attributes);
  if (text.empty()) {
    out_ += "/>\n";
    return *this;
  }
  out_ += '>';
  out_ += escapeText(text);
  out_ += "</";
  out_ += name;
  out_ += ">\n";
  return *this;
}

XmlWriter& XmlWriter::raw(std::string_view already_formatted_xml) {
  std::size_t start = 0;
  while (start < already_formatted_xml.size()) {
    std::size_t end = already_formatted_xml.find('\n', start);
    if (end == std::string_view::npos) end = already_formatted_xml.size();
    const std::string_view line = already_formatted_xml.substr(start, end - start);
    if (!line.empty()) {
      indent();
      out_ += line;
      out_ += '\n';
    }
    start = end + 1;
  }
  return *this;
}

XmlWriter& XmlWriter::close() {
  assert(!open_.empty() && "XmlWriter::close() without a matching open()");
  if (open_.empty()) return *this;
  const std::string name = std::move(open_.back());
  open_.pop_back();
  indent();
  out_ += "</" + name + ">\n";
  return *this;
}

}  // namespace m2z::xml
