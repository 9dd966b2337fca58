// One object of a PowerShell export (a CSV row or a CLIXML <Obj>) as named values, whichever
// format it came from, so one mapping serves both.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace m2z::readers::exchange_shell {

struct ShellValue {
  bool nil = true;                 // $null (CLIXML <Nil/>) or an empty CSV field
  std::string text;                // scalar value as text; for lists, empty
  std::vector<std::string> items;  // multi-valued properties, one entry per value
  bool is_list = false;
  // Export-Csv wrote the .NET type name of a collection instead of its values
  // ("System.Object[]", "Microsoft.Exchange.Data.MultiValuedProperty`1[...]").
  bool values_lost = false;
  std::string primitive;           // CLIXML element ("S", "B", "DT", ...); empty from CSV
};

struct ShellRecord {
  std::string type_name;  // "#TYPE" line or the first <TN><T>
  std::string where;      // "line 3" or "object 2", for findings
  std::vector<std::pair<std::string, ShellValue>> fields;

  const ShellValue* field(std::string_view name) const {
    for (const auto& [key, value] : fields) {
      if (key == name) return &value;
    }
    return nullptr;
  }
};

}  // namespace m2z::readers::exchange_shell
