#include "pipeline/batch.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace m2z::pipeline {

namespace {

// Splits one CSV line; double quotes group, "" inside quotes is a quote.
std::vector<std::string> splitCsvLine(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back().push_back(c);
    }
  }
  for (auto& field : fields) {
    const auto first = field.find_first_not_of(" \t");
    const auto last = field.find_last_not_of(" \t");
    field = first == std::string::npos ? std::string() : field.substr(first, last - first + 1);
  }
  return fields;
}

std::optional<model::CivilDate> parseDate(const std::string& text) {
  model::CivilDate date;
  char dash1 = 0, dash2 = 0;
  std::istringstream in(text);
  if (!(in >> date.year >> dash1 >> date.month >> dash2 >> date.day) || dash1 != '-' || dash2 != '-' ||
      !date.isValid()) {
    return std::nullopt;
  }
  return date;
}

std::string defaultWorkerId() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

}  // namespace

Result<std::vector<state::AccountPlan>> readPlanCsv(const std::string& path, const std::string& target_server) {
  std::ifstream in(path);
  if (!in) return Error{"plan.open", "cannot read the plan file", path};
  std::vector<state::AccountPlan> plans;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    const std::string where = path + ":" + std::to_string(line_number);
    auto fields = splitCsvLine(line);
    if (fields.size() == 1 && fields[0].empty()) continue;
    if (fields[0].rfind('#', 0) == 0) continue;
    if (line_number == 1 && fields[0] == "account") continue;
    if (fields.size() < 3 || fields[0].empty() || fields[1].empty() || fields[2].empty()) {
      return Error{"plan.syntax", "expected account,source[;source…],target account[,date[,group[,source host]]]",
                   where};
    }
    state::AccountPlan plan;
    plan.name = fields[0];
    plan.target_account = fields[2];
    plan.target_server = target_server;
    std::stringstream sources(fields[1]);
    std::string source;
    while (std::getline(sources, source, ';')) {
      if (source.empty()) continue;
      std::error_code error;
      const auto size = std::filesystem::file_size(source, error);
      if (error) return Error{"plan.source", "cannot measure the source '" + source + "': " + error.message(), where};
      plan.source_paths.push_back(source);
      plan.source_bytes += static_cast<std::int64_t>(size);
    }
    if (fields.size() > 3 && !fields[3].empty()) {
      plan.requested_date = parseDate(fields[3]);
      if (!plan.requested_date) return Error{"plan.date", "the date must be YYYY-MM-DD, not '" + fields[3] + "'", where};
    }
    if (fields.size() > 4) plan.group = fields[4];
    if (fields.size() > 5) plan.source_host = fields[5];
    plans.push_back(std::move(plan));
  }
  return plans;
}

namespace {

// What the threads of one run share (--parallel): the tally and the accounts already tried.
struct SharedRun {
  std::mutex mutex;
  BatchRunSummary batch;
  std::set<std::string> attempted;
};

// One thread's claim loop, with its own state connection (SQLite and PostgreSQL connections are
// not shared between threads) and its own worker id, so the store's claim gives each thread
// accounts no other thread holds.
Status workQueue(const BatchRunRequest& request, const std::string& worker, SharedRun& shared) {
  auto store = state::openStateStore(request.state_location);
  if (!store) return store.error();
  while (request.stop == nullptr || !request.stop->load()) {
    auto claimed = (*store)->claimNextAccount(worker, request.lease_seconds, request.limits);
    if (!claimed) return claimed.error();
    if (!claimed->has_value()) {
      if (!request.wait_for_other_workers) break;
      state::AccountFilter in_progress;
      in_progress.statuses = {state::AccountStatus::kReading, state::AccountStatus::kWriting,
                              state::AccountStatus::kVerifying};
      auto busy = (*store)->listAccounts(in_progress);
      if (!busy) return busy.error();
      if (busy->empty()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      continue;
    }
    const state::AccountRecord account = **claimed;
    // A paused account is claimable again at once; retrying it in the same run would spin on
    // a server that is still in maintenance. Hand it back untouched for a later run.
    bool first_attempt = false;
    {
      const std::lock_guard<std::mutex> lock(shared.mutex);
      first_attempt = shared.attempted.insert(account.plan.name).second;
    }
    if (!first_attempt) {
      auto released = (*store)->releaseAccount(account.plan.name, worker, state::AccountStatus::kPaused,
                                               account.last_error);
      if (!released) return released.error();
      break;
    }

    CalendarMigrationRequest migration;
    migration.source_files = account.plan.source_paths;
    migration.target_account = account.plan.target_account;
    migration.server = request.server;
    migration.read_options = request.read_options;
    migration.batch_size = request.batch_size;
    migration.audit_dir = request.audit_dir;
    migration.progress_out = request.progress_out;
    migration.state = store->get();
    migration.state_account = account.plan.name;
    migration.stop = request.stop;
    // Renew the lease well before it runs out; an operator's hold stops the account cleanly.
    auto last_renewal = std::chrono::steady_clock::now();
    migration.heartbeat = [&]() -> Status {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_renewal < std::chrono::seconds(std::max(1, request.lease_seconds / 3))) return {};
      last_renewal = now;
      auto renewed = (*store)->renewLease(account.plan.name, worker, request.lease_seconds);
      if (!renewed) return renewed.error();
      if (renewed->hold_requested) return Error{"account.held", "an operator put the account on hold", ""};
      return {};
    };
    if (auto phase = (*store)->setPhase(account.plan.name, worker, state::AccountStatus::kWriting); !phase) {
      return phase.error();
    }

    auto result = migrateCalendars(migration);
    std::unique_lock<std::mutex> tally(shared.mutex);
    BatchRunSummary& batch = shared.batch;
    state::AccountStatus final_status = state::AccountStatus::kDone;
    std::string last_error;
    if (!result) {
      final_status = state::AccountStatus::kFailed;
      last_error = result.error().describe();
      ++batch.failed;
    } else if (!result->stopped_early.empty()) {
      final_status = state::AccountStatus::kPaused;
      last_error = result->stopped_early;
      ++batch.paused;
    } else if (result->failed > 0 || result->sources_failed > 0 || !result->allAccountedFor()) {
      final_status = state::AccountStatus::kFailed;
      last_error = std::to_string(result->failed) + " item(s) and " + std::to_string(result->sources_failed) +
                   " source file(s) failed; see the audit log " + result->audit_log_path;
      ++batch.failed;
    } else {
      ++batch.done;
    }
    if (result) batch.accounts.push_back(*result);
    tally.unlock();
    auto released = (*store)->releaseAccount(account.plan.name, worker, final_status, last_error);
    // A lost lease means another worker owns the account now: not ours to report on.
    if (!released && released.error().code != "state.lease_lost") return released.error();
  }
  return {};
}

}  // namespace

Result<BatchRunSummary> runQueuedAccounts(const BatchRunRequest& request) {
  const std::string worker = request.worker_id.empty() ? defaultWorkerId() : request.worker_id;
  SharedRun shared;
  if (request.parallel <= 1) {
    if (Status worked = workQueue(request, worker, shared); !worked) return worked.error();
    return std::move(shared.batch);
  }
  // One thread (and, inside migrateCalendars, one ZimbraClient) per account at a time; the
  // clients of one server share one rate limit (SharedRateLimiter).
  std::vector<Status> outcomes(static_cast<std::size_t>(request.parallel));
  std::vector<std::thread> threads;
  for (int i = 0; i < request.parallel; ++i) {
    threads.emplace_back([&request, &shared, &outcomes, &worker, i] {
      const std::size_t slot = static_cast<std::size_t>(i);
      try {
        outcomes[slot] = workQueue(request, worker + "#" + std::to_string(i + 1), shared);
      } catch (const std::exception& e) {
        outcomes[slot] = Error{"batch.thread", std::string("a worker thread stopped: ") + e.what(), worker};
      } catch (...) {
        outcomes[slot] = Error{"batch.thread", "a worker thread stopped", worker};
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const Status& outcome : outcomes) {
    if (!outcome) return outcome.error();
  }
  return std::move(shared.batch);
}

namespace {

std::string humanBytes(std::int64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return buffer;
}

std::vector<state::AccountRecord> workOrder(std::vector<state::AccountRecord> accounts) {
  std::stable_sort(accounts.begin(), accounts.end(), [](const auto& a, const auto& b) {
    return a.plan.source_bytes > b.plan.source_bytes;
  });
  return accounts;
}

}  // namespace

std::string formatStatusTable(const std::vector<state::AccountRecord>& accounts) {
  std::ostringstream out;
  char line[512];
  std::snprintf(line, sizeof line, "%-32s %-10s %5s %10s %8s %8s %8s %8s %8s  %s\n", "account", "status", "hold",
                "source", "created", "already", "skipped", "failed", "pending", "last error");
  out << line;
  for (const auto& account : workOrder(accounts)) {
    const auto& total = account.items.total;
    std::snprintf(line, sizeof line, "%-32s %-10s %5s %10s %8lld %8lld %8lld %8lld %8lld  %s\n",
                  account.plan.name.c_str(), state::toString(account.status), account.hold ? "yes" : "",
                  humanBytes(account.plan.source_bytes).c_str(), static_cast<long long>(total.created),
                  static_cast<long long>(total.already_present), static_cast<long long>(total.skipped),
                  static_cast<long long>(total.failed), static_cast<long long>(total.pending),
                  account.last_error.substr(0, 120).c_str());
    out << line;
  }
  return out.str();
}

std::string formatStatusJson(const std::vector<state::AccountRecord>& accounts) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& account : workOrder(accounts)) {
    const auto& total = account.items.total;
    nlohmann::json entry{
        {"account", account.plan.name},
        {"target", account.plan.target_account},
        {"status", state::toString(account.status)},
        {"hold", account.hold},
        {"attempts", account.attempts},
        {"source_bytes", account.plan.source_bytes},
        {"sources", account.plan.source_paths},
        {"group", account.plan.group},
        {"requested_date", account.plan.requested_date ? account.plan.requested_date->toIsoString() : ""},
        {"items",
         {{"created", total.created},
          {"already_present", total.already_present},
          {"skipped", total.skipped},
          {"failed", total.failed},
          {"pending", total.pending}}},
        {"last_error", account.last_error},
        {"worker", account.worker_id},
    };
    list.push_back(std::move(entry));
  }
  return list.dump(2) + "\n";
}

}  // namespace m2z::pipeline
