// A fresh, empty store location per test, in SQLite or in the private PostgreSQL server.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "postgres_server.h"
#include "state/state_store.h"

namespace m2z::state::testing {

enum class Backend { kSqlite, kPostgres };

inline void PrintTo(Backend backend, std::ostream* out) {
  *out << (backend == Backend::kSqlite ? "SQLite" : "PostgreSQL");
}

inline std::string backendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

// A clock the test moves by hand; copies share the time.
class FakeClock {
 public:
  explicit FakeClock(std::int64_t start) : now_(std::make_shared<std::atomic<std::int64_t>>(start)) {}
  void set(std::int64_t unix_seconds) { now_->store(unix_seconds); }
  void advance(std::int64_t seconds) { now_->fetch_add(seconds); }
  std::int64_t now() const { return now_->load(); }
  std::function<model::Instant()> function() const {
    auto now = now_;
    return [now] { return model::Instant{now->load()}; };
  }

 private:
  std::shared_ptr<std::atomic<std::int64_t>> now_;
};

// Makes the location: a file in a fresh folder, or a fresh database on the shared server.
class StoreLocation {
 public:
  explicit StoreLocation(Backend backend) : backend_(backend) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    static std::atomic<int> counter{0};
    const std::string unique = std::to_string(::getpid()) + "_" + std::to_string(counter.fetch_add(1));
    if (backend == Backend::kSqlite) {
      dir_ = std::filesystem::path(::testing::TempDir()) / ("m2z_state_" + unique);
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      location_ = (dir_ / "state.sqlite").string();
      return;
    }
    std::string error;
    server_ = sharedPostgresServer(error);
    if (server_ == nullptr) {
      error_ = "cannot start the private PostgreSQL server: " + error;
      return;
    }
    database_ = "t_" + unique;
    if (!server_->createDatabase(database_, error)) {
      error_ = "cannot create database " + database_ + " for " + info->name() + ": " + error;
      return;
    }
    location_ = server_->url(database_);
  }
  ~StoreLocation() {
    if (!dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
    }
  }

  const std::string& error() const { return error_; }  // empty when usable
  const std::string& location() const { return location_; }
  Backend backend() const { return backend_; }
  PostgresServer* server() const { return server_; }
  const std::string& database() const { return database_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  Backend backend_;
  std::filesystem::path dir_;
  std::string location_;
  std::string database_;
  std::string error_;
  PostgresServer* server_ = nullptr;
};

}  // namespace m2z::state::testing
