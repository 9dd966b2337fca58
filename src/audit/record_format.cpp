#include "audit/record_format.h"

#include <string>
#include <utility>

#include "audit/audit_log.h"

namespace m2z::audit::detail {

Result<xml::Element> parseRecord(std::string_view record_text, std::string_view what) {
  std::string document = "<auditLog xmlns=\"";
  document += kNamespace;
  document += "\">\n";
  document += record_text;
  document += kLogEnd;
  Result<xml::Element> parsed = xml::parse(document, what);
  if (!parsed) return parsed.error();
  if (parsed->children.size() != 1 || parsed->text.find_first_not_of(" \t\r\n") != std::string::npos) {
    return Error{"audit.record", "expected exactly one record element", std::string(what)};
  }
  return std::move(parsed->children.front());
}

}  // namespace m2z::audit::detail
