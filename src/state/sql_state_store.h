// StateStore over an SqlConnection: one implementation of the store's logic for both dialects.
#pragma once

#include <memory>
#include <string>

#include "state/sql_connection.h"
#include "state/state_store.h"

namespace m2z::state::detail {

// Upgrades the schema (per options.max_schema_version) before returning the store.
[[nodiscard]] Result<std::unique_ptr<StateStore>> makeSqlStateStore(std::unique_ptr<SqlConnection> connection,
                                                                    const StoreOptions& options);

}  // namespace m2z::state::detail
