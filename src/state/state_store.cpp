#include "state/state_store.h"

#include <array>
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "state/location.h"
#include "state/sql_connection.h"
#include "state/sql_state_store.h"

namespace m2z::state {
namespace {

constexpr std::array<std::pair<AccountStatus, const char*>, 8> kAccountStatusNames = {{
    {AccountStatus::kPlanned, "planned"},
    {AccountStatus::kQueued, "queued"},
    {AccountStatus::kReading, "reading"},
    {AccountStatus::kWriting, "writing"},
    {AccountStatus::kVerifying, "verifying"},
    {AccountStatus::kDone, "done"},
    {AccountStatus::kFailed, "failed"},
    {AccountStatus::kPaused, "paused"},
}};

constexpr std::array<std::pair<ItemOutcome, const char*>, 5> kItemOutcomeNames = {{
    {ItemOutcome::kPending, "pending"},
    {ItemOutcome::kCreated, "created"},
    {ItemOutcome::kAlreadyPresent, "already_present"},
    {ItemOutcome::kSkipped, "skipped"},
    {ItemOutcome::kFailed, "failed"},
}};

constexpr std::string_view kDefaultStateFileName = "mapi2zimbra-state.sqlite";

}  // namespace

const char* toString(AccountStatus status) {
  for (const auto& [value, name] : kAccountStatusNames) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<AccountStatus> parseAccountStatus(std::string_view text) {
  for (const auto& [value, name] : kAccountStatusNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

bool isInProgress(AccountStatus status) {
  return status == AccountStatus::kReading || status == AccountStatus::kWriting ||
         status == AccountStatus::kVerifying;
}

const char* toString(ItemOutcome outcome) {
  for (const auto& [value, name] : kItemOutcomeNames) {
    if (value == outcome) return name;
  }
  return "unknown";
}

std::optional<ItemOutcome> parseItemOutcome(std::string_view text) {
  for (const auto& [value, name] : kItemOutcomeNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

Result<std::unique_ptr<StateStore>> openStateStore(const std::string& location, const StoreOptions& options) {
  auto parsed = detail::parseLocation(location);
  if (!parsed.ok()) return parsed.error();
  auto connection = parsed->backend == detail::Backend::kPostgres
                        ? detail::openPostgres(parsed->target, parsed->display, options.connect_timeout_seconds)
                        : detail::openSqlite(parsed->target, options.busy_timeout_seconds);
  if (!connection.ok()) return connection.error();
  return detail::makeSqlStateStore(std::move(connection).value(), options);
}

std::string defaultStateLocation(const std::filesystem::path& project_dir) {
  return (project_dir / kDefaultStateFileName).string();
}

Result<std::string> sourceFileIdentity(const std::filesystem::path& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) return Error{"state.source_file", "cannot measure the source file: " + error.message(), path.string()};
  const auto modified = std::filesystem::last_write_time(path, error);
  if (error) return Error{"state.source_file", "cannot read the source file's time: " + error.message(), path.string()};
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::file_clock::to_sys(modified).time_since_epoch());
  return path.filename().string() + ":" + std::to_string(size) + ":" + std::to_string(seconds.count());
}

}  // namespace m2z::state
