// Where an item came from, so that every finding and audit entry can point back at the source.
#pragma once

#include <string>

namespace m2z::model {

struct Provenance {
  std::string source_file;  // path of the PST/OST or export file as given by the user
  std::string folder_path;  // folder path inside the source, "/"-separated, e.g. "/Calendar/Team"
  std::string entry_id;     // stable id of the item inside the source (PST: node identifier)
  std::string describe() const { return source_file + ":" + folder_path + "#" + entry_id; }
  bool operator==(const Provenance&) const = default;
};

}  // namespace m2z::model
