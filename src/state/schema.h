// The state store's schema as numbered migration steps, applied in order, one transaction each.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "model/result.h"
#include "state/sql_connection.h"

namespace m2z::state::detail {

struct MigrationStep {
  int version;
  std::string_view description;
  // The same tables in both; the text differs where the dialects do.
  std::string_view sqlite_sql;
  std::string_view postgres_sql;
};

// Versions 1..N, contiguous.
const std::vector<MigrationStep>& migrationSteps();
int latestSchemaVersion();

// Brings the store up to max_version (0: the newest) and returns the version it is at. Refuses a
// store newer than this program knows ("state.schema_too_new"). Safe when several processes open
// the same store at once: each step runs under the store's write lock and is applied only once.
[[nodiscard]] Result<int> migrate(SqlConnection& connection, int max_version, std::int64_t now_seconds);

[[nodiscard]] Result<int> currentSchemaVersion(SqlConnection& connection);

}  // namespace m2z::state::detail
