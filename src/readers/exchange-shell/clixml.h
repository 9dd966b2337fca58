// PowerShell CLIXML (Export-Clixml, [MS-PSRP] 2.2.5) read into plain values: each top-level <Obj>
// becomes a PsValue with its type names and properties; RefId/TNRef/Ref references are resolved.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/result.h"

namespace m2z::readers::exchange_shell {

struct PsProperty;

struct PsValue {
  enum class Kind { kNil, kText, kList, kObject };
  Kind kind = Kind::kNil;
  std::string primitive;  // element of a primitive value: "S", "B", "I32", "DT", ...; empty otherwise
  std::string text;       // kText: the value as written (escapes decoded); kObject/kList: its <ToString>
  std::vector<PsValue> items;                               // kList
  std::vector<PsProperty> properties;  // kObject: <Props> and <MS>, in order
  std::vector<std::string> type_names;                      // <TN>, most derived first

  const PsValue* property(std::string_view name) const;
};

struct PsProperty {
  std::string name;
  PsValue value;
};

struct CliXmlLimits {
  std::size_t max_bytes = std::size_t{64} * 1024 * 1024;
  std::size_t max_values = 2'000'000;  // values made, counting copies made for Ref
};

// `text` is UTF-8 (the caller converts Export-Clixml's UTF-16). Fails when it is not CLIXML.
[[nodiscard]] Result<std::vector<PsValue>> parseCliXml(std::string_view text, const std::string& what,
                                                      const CliXmlLimits& limits = {});

// XmlConvert's "_xHHHH_" escapes (PowerShell writes CR LF as "_x000D__x000A_") decoded to UTF-8.
std::string decodeXmlEscapes(std::string_view text);

}  // namespace m2z::readers::exchange_shell
