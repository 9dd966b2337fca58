#include "readers/exchange-shell/clixml.h"

#include <cctype>
#include <exception>
#include <map>
#include <optional>

#include "xml/unicode.h"
#include "xml/xml.h"

namespace m2z::readers::exchange_shell {

namespace {

constexpr std::string_view kNamespace = "http://schemas.microsoft.com/powershell/2004/04";

std::optional<unsigned> hex4(std::string_view text) {
  if (text.size() < 4) return std::nullopt;
  unsigned value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const char c = text[i];
    unsigned digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    value = value * 16 + digit;
  }
  return value;
}

class Builder {
 public:
  Builder(const std::string& what, const CliXmlLimits& limits) : what_(what), limits_(limits) {}

  Result<std::vector<PsValue>> run(const xml::Element& root) {
    if (root.name != "Objs" || root.namespace_uri != kNamespace) {
      return Error{"shell.not_clixml",
                   "expected PowerShell CLIXML (<Objs xmlns=\"" + std::string(kNamespace) + "\">); found <" +
                       root.name + "> in namespace \"" + root.namespace_uri + "\"",
                   what_};
    }
    std::vector<PsValue> out;
    for (const auto& child : root.children) {
      out.push_back(value(child, 0));
      if (!error_.empty()) return Error{"shell.clixml_malformed", error_, what_};
    }
    return out;
  }

 private:
  bool count() {
    if (++made_ > limits_.max_values) {
      if (error_.empty()) error_ = "more than " + std::to_string(limits_.max_values) + " values (references nest too deep)";
      return false;
    }
    return true;
  }

  void typeNames(const xml::Element& element, PsValue& out) {
    if (const xml::Element* tn = element.child("TN")) {
      for (const xml::Element* t : tn->childrenNamed("T")) out.type_names.push_back(decodeXmlEscapes(t->text));
      if (const std::string* id = tn->attribute("RefId")) type_names_[*id] = out.type_names;
    } else if (const xml::Element* ref = element.child("TNRef")) {
      const auto found = type_names_.find(ref->attributeOr("RefId", ""));
      if (found == type_names_.end()) {
        error_ = "<TNRef RefId=\"" + ref->attributeOr("RefId", "") + "\"> refers to no earlier <TN>";
        return;
      }
      out.type_names = found->second;
    }
  }

  PsValue value(const xml::Element& element, int depth) {
    PsValue out;
    if (depth > 64) {
      if (error_.empty()) error_ = "values nest deeper than 64 levels";
      return out;
    }
    if (!count()) return out;
    const std::string& name = element.name;
    if (name == "Nil") return out;
    if (name == "Ref") {
      const auto found = objects_.find(element.attributeOr("RefId", ""));
      if (found == objects_.end()) {
        error_ = "<Ref RefId=\"" + element.attributeOr("RefId", "") + "\"> refers to no earlier <Obj>";
        return out;
      }
      // A copy costs as much as the original did, so references cannot multiply memory unseen.
      made_ += sizes_[found->first];
      if (!count()) return out;
      return found->second;
    }
    if (name != "Obj") {
      out.kind = PsValue::Kind::kText;
      out.primitive = name;
      out.text = name == "S" || name == "SBK" ? decodeXmlEscapes(element.text) : element.text;
      return out;
    }
    const std::size_t made_before = made_;
    out.kind = PsValue::Kind::kObject;
    typeNames(element, out);
    for (const auto& child : element.children) {
      if (!error_.empty()) break;
      const std::string& part = child.name;
      if (part == "TN" || part == "TNRef") continue;
      if (part == "ToString") {
        out.text = decodeXmlEscapes(child.text);
      } else if (part == "Props" || part == "MS") {
        for (const auto& property : child.children) {
          out.properties.push_back(PsProperty{decodeXmlEscapes(property.attributeOr("N", "")), value(property, depth + 1)});
        }
      } else if (part == "LST" || part == "IE" || part == "QUE" || part == "STK") {
        out.kind = PsValue::Kind::kList;
        for (const auto& item : child.children) out.items.push_back(value(item, depth + 1));
      } else if (part == "DCT") {
        for (const xml::Element* entry : child.childrenNamed("En")) {
          std::string key;
          PsValue entry_value;
          for (const auto& side : entry->children) {
            if (side.attributeOr("N", "") == "Key") key = value(side, depth + 1).text;
            if (side.attributeOr("N", "") == "Value") entry_value = value(side, depth + 1);
          }
          out.properties.push_back(PsProperty{std::move(key), std::move(entry_value)});
        }
      } else {
        // An enum or another object that wraps one primitive: <ToString>Enabled</ToString><I32>1</I32>.
        out.primitive = part;
        if (out.text.empty()) out.text = child.text;
      }
    }
    if (const std::string* id = element.attribute("RefId")) {
      objects_[*id] = out;
      sizes_[*id] = made_ - made_before;
    }
    return out;
  }

  const std::string& what_;
  const CliXmlLimits& limits_;
  std::map<std::string, std::vector<std::string>> type_names_;
  std::map<std::string, PsValue> objects_;
  std::map<std::string, std::size_t> sizes_;
  std::size_t made_ = 0;
  std::string error_;
};

}  // namespace

const PsValue* PsValue::property(std::string_view name) const {
  for (const auto& entry : properties) {
    if (entry.name == name) return &entry.value;
  }
  return nullptr;
}

std::string decodeXmlEscapes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    if (text[at] == '_' && at + 7 <= text.size() && text[at + 1] == 'x' && text[at + 6] == '_') {
      if (auto unit = hex4(text.substr(at + 2, 4))) {
        char32_t code = *unit;
        std::size_t used = 7;
        // A surrogate pair is written as two escapes.
        if (code >= 0xD800 && code <= 0xDBFF && at + 14 <= text.size() && text[at + 7] == '_' &&
            text[at + 8] == 'x' && text[at + 13] == '_') {
          if (auto low = hex4(text.substr(at + 9, 4)); low && *low >= 0xDC00 && *low <= 0xDFFF) {
            code = 0x10000 + ((code - 0xD800) << 10) + (*low - 0xDC00);
            used = 14;
          }
        }
        if (code >= 0xD800 && code <= 0xDFFF) code = xml::detail::kReplacementCharacter;
        xml::detail::appendUtf8(out, code);
        at += used;
        continue;
      }
    }
    out += text[at++];
  }
  return out;
}

Result<std::vector<PsValue>> parseCliXml(std::string_view text, const std::string& what, const CliXmlLimits& limits) {
  try {
    xml::ParseLimits parse_limits;
    parse_limits.max_bytes = limits.max_bytes;
    auto root = xml::parse(text, what, parse_limits);
    if (!root) return Error{"shell.not_xml", "expected PowerShell CLIXML: " + root.error().describe(), what};
    return Builder(what, limits).run(*root);
  } catch (const std::exception& e) {
    return Error{"shell.internal", std::string("reading the CLIXML failed: ") + e.what(), what};
  }
}

}  // namespace m2z::readers::exchange_shell
