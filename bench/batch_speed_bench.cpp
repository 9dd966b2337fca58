// Items/s of the pipeline's per-item pair (look-up by UID, then create) through the Zimbra
// client against tools/zimbra-test-server on loopback (HTTPS, certificate verified, schemas
// validated on both sides), for batch sizes 1/10/25/50 (BatchRequest), 1/2/4 accounts in
// parallel (one thread and client each, as run --parallel does) and the rate limit off or at 30
// requests/s (shared by the threads, as in one process). Prints a Markdown table for
// docs/performance.md. No Google Benchmark needed.
//   batch_speed_bench [SECONDS_PER_CELL]   (default 3)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "fixtures.h"
#include "zimbra/client.h"
#include "zimbra_test_server.h"

namespace {

using m2z::zimbra::ServerConfig;
using m2z::zimbra::ZimbraClient;
using Clock = std::chrono::steady_clock;

struct Cell {
  std::int64_t items = 0;
  std::int64_t requests = 0;
  double seconds = 0;
  bool failed = false;
};

// One account's worth of work: windows of `batch` items, each looked up then created, until the
// time is up.
void work(const ServerConfig& config, const std::string& account, std::size_t batch, Clock::time_point until,
          Cell& out) {
  auto client = ZimbraClient::create(config);
  if (!client || !(*client)->connect()) {
    out.failed = true;
    return;
  }
  std::int64_t n = 0;
  while (Clock::now() < until) {
    std::vector<m2z::model::Appointment> items;
    for (std::size_t i = 0; i < batch; ++i) {
      m2z::model::Appointment a = m2z::zimbra::testing::timedMeeting();
      a.uid = account + "-" + std::to_string(++n);
      a.provenance.entry_id = std::to_string(n);
      items.push_back(std::move(a));
    }
    std::vector<m2z::zimbra::UidLookup> lookups;
    std::vector<const m2z::model::Appointment*> pointers;
    for (const auto& a : items) {
      lookups.push_back({a.uid, &a.provenance});
      pointers.push_back(&a);
    }
    for (const auto& found : (*client)->findAppointmentsByUid(account, lookups)) {
      if (!found || found->has_value()) out.failed = true;
    }
    for (const auto& created : (*client)->setAppointments(account, "10", pointers)) {
      if (!created) out.failed = true;
    }
    if (out.failed) return;
    out.items += static_cast<std::int64_t>(batch);
  }
  out.requests = (*client)->stats().requests_sent;
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  std::vector<std::string> accounts;
  for (int i = 1; i <= 4; ++i) accounts.push_back("bench" + std::to_string(i) + "@test.local");
  m2z::zimbra::testing::ZimbraTestServer server(M2Z_SOURCE_DIR, M2Z_SHARED_DIR);
  std::string why;
  if (!server.start(accounts, why)) {
    std::fprintf(stderr, "batch_speed_bench: %s\n", why.c_str());
    return 1;
  }
  std::printf("| rate limit | parallel | batch size | items/s | HTTP requests/s |\n|---|---|---|---|---|\n");
  for (double rate : {0.0, 30.0}) {
    for (int parallel : {1, 2, 4}) {
      for (std::size_t batch : {1, 10, 25, 50}) {
        server.control("{\"reset\": true}");
        ServerConfig config = server.config();
        config.max_requests_per_second = rate;
        std::vector<Cell> cells(static_cast<std::size_t>(parallel));
        const Clock::time_point started = Clock::now();
        const Clock::time_point until = started + std::chrono::duration_cast<Clock::duration>(
                                                      std::chrono::duration<double>(seconds));
        std::vector<std::thread> threads;
        for (int t = 0; t < parallel; ++t) {
          threads.emplace_back(work, std::cref(config), accounts[static_cast<std::size_t>(t)], batch, until,
                               std::ref(cells[static_cast<std::size_t>(t)]));
        }
        for (auto& thread : threads) thread.join();
        const double wall = std::chrono::duration<double>(Clock::now() - started).count();
        std::int64_t items = 0, requests = 0;
        bool failed = false;
        for (const Cell& cell : cells) {
          items += cell.items;
          requests += cell.requests;
          failed = failed || cell.failed;
        }
        std::printf("| %s | %d | %zu | %s | %.1f |\n", rate > 0 ? "30/s" : "off", parallel, batch,
                    failed ? "FAILED" : std::to_string(static_cast<int>(static_cast<double>(items) / wall)).c_str(),
                    static_cast<double>(requests) / wall);
        std::fflush(stdout);
      }
    }
  }
  return 0;
}
