// The one adapter around Xerces-C: parsing, canonical pretty-printing, schema validation, and a
// small writer for building XML text. Nothing outside src/xml includes a Xerces header.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/result.h"

namespace m2z::xml {

// Xerces must be initialised once per process before use and terminated after the last use.
// Every entry point below calls ensureInitialized(); it is cheap after the first call.
void ensureInitialized();

// A read-only element tree, copied out of Xerces' DOM into plain values so callers never see a
// Xerces type or have to manage its memory.
struct Attribute {
  std::string name;       // local name
  std::string namespace_uri;
  std::string value;
};

struct Element {
  std::string name;           // local name
  std::string namespace_uri;
  std::vector<Attribute> attributes;  // in document order
  std::vector<Element> children;      // element children in document order
  std::string text;                   // concatenated text content of direct text children

  const Element* child(std::string_view local_name) const;  // first child with that local name
  std::vector<const Element*> childrenNamed(std::string_view local_name) const;
  const std::string* attribute(std::string_view local_name) const;
  std::string attributeOr(std::string_view local_name, std::string fallback) const;
  // First descendant (depth-first, including this element) with that local name.
  const Element* find(std::string_view local_name) const;
};

// Bounds on what parse() accepts, so hostile input cannot make it allocate without limit.
struct ParseLimits {
  std::size_t max_bytes = std::size_t{64} * 1024 * 1024;
  std::size_t max_depth = 256;
  std::size_t max_elements = 1'000'000;
};

// Parses well-formed XML (no DTDs, no external entities: a hostile file cannot make the parser
// fetch anything). `what` names the input in errors, e.g. the file or "SetAppointmentResponse";
// errors say "line:column: message".
Result<Element> parse(std::string_view text, std::string_view what, const ParseLimits& limits = {});

// Canonical, readable text: two-space indentation, one element per line, attributes in the order
// given, text escaped; no XML declaration. Same input tree -> same bytes, so auditors can diff.
std::string toCanonicalText(const Element& element, int indent_level = 0);

// Escapes for text content and for attribute values (double-quoted). Line breaks and CR become
// character references in both, so escaped text never spans lines; characters XML 1.0 cannot
// carry (controls, U+FFFE/U+FFFF, broken UTF-8) become U+FFFD.
std::string escapeText(std::string_view text);
std::string escapeAttribute(std::string_view text);

// Validates documents against a set of XSD files (loaded once, then reused; thread-safe to call
// validate() concurrently on one validator is NOT promised: use one per thread).
class SchemaValidator {
 public:
  // `schema_files` are XSDs; imports between them are resolved from the same folders, never
  // from the network.
  static Result<std::unique_ptr<SchemaValidator>> load(const std::vector<std::string>& schema_files);
  ~SchemaValidator();
  SchemaValidator(const SchemaValidator&) = delete;
  SchemaValidator& operator=(const SchemaValidator&) = delete;

  // Empty when valid, else one line per problem ("line:column: message").
  std::vector<std::string> validate(std::string_view document_text, std::string_view what) const;

 private:
  struct Impl;
  explicit SchemaValidator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Builds XML text directly, with escaping, deterministic attribute order and indentation:
//   XmlWriter w; w.open("folder", {{"name", n}, {"l", "1"}}); w.close();
class XmlWriter {
 public:
  using Attributes = std::vector<std::pair<std::string, std::string>>;
  explicit XmlWriter(int indent_level = 0) : level_(indent_level) {}

  XmlWriter& open(std::string_view name, const Attributes& attributes = {});
  XmlWriter& empty(std::string_view name, const Attributes& attributes = {});  // <name .../>
  XmlWriter& textElement(std::string_view name, std::string_view text, const Attributes& attributes = {});
  XmlWriter& raw(std::string_view already_formatted_xml);  // inserted as-is, indented per line
  XmlWriter& close();  // closes the innermost open element

  const std::string& text() const { return out_; }
  std::string release() { return std::move(out_); }

 private:
  void indent();
  void startTag(std::string_view name, const Attributes& attributes);
  std::string out_;
  std::vector<std::string> open_;
  int level_;
};

}  // namespace m2z::xml
