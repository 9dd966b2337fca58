// Raw SQL on an SQLite store file, for tests that tamper with a store behind its back.
#pragma once

#include <sqlite3.h>

#include <string>

namespace m2z::state::testing {

inline bool executeSqlite(const std::string& path, const std::string& sql, std::string& error) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    error = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return false;
  }
  char* message = nullptr;
  const bool ok = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK;
  if (!ok) error = message != nullptr ? message : "failed";
  sqlite3_free(message);
  sqlite3_close_v2(db);
  return ok;
}

}  // namespace m2z::state::testing
