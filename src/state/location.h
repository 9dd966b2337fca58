// Where a state store lives, told from the location string, and the same string made safe to show.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"

namespace m2z::state::detail {

enum class Backend { kSqlite, kPostgres };

struct Location {
  Backend backend = Backend::kSqlite;
  std::string target;   // SQLite: the file path; PostgreSQL: the URL as given
  std::string display;  // for messages: the password redacted
};

[[nodiscard]] Result<Location> parseLocation(const std::string& location);

// The passwords a PostgreSQL URL carries (user info and password= parameter), as written and
// percent-decoded, so that they can be scrubbed from libpq's messages.
std::vector<std::string> passwordsIn(std::string_view url);

// Every occurrence of each secret (longest first) replaced by "***".
std::string scrubSecrets(std::string text, std::vector<std::string> secrets);

}  // namespace m2z::state::detail
