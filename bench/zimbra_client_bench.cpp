// Throughput of the Zimbra client against the test server (tools/zimbra-test-server) on loopback
// over HTTPS with the certificate verified: items/s of setAppointment with and without the rate
// limit, the pipeline's look-up + create per item, the client's own cost in a dry run, and what
// keep-alive saves per request. Figures and the machine go into docs/performance.md.
//   zimbra_client_bench [--benchmark_min_time=2] ...   (Google Benchmark flags)
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>

#include "fixtures.h"
#include "zimbra/client.h"
#include "zimbra/soap.h"
#include "zimbra/transport.h"
#include "zimbra_test_server.h"

namespace m2z::zimbra {
namespace {

constexpr const char* kAccount = "bench1@test.local";

testing::ZimbraTestServer* g_server = nullptr;

std::unique_ptr<ZimbraClient> connectedClient(ServerConfig config) {
  auto client = ZimbraClient::create(std::move(config));
  if (!client) return nullptr;
  if (!(*client)->connect()) return nullptr;
  return std::move(client).value();
}

ServerConfig serverConfig(double rate) {
  ServerConfig config = g_server->config();
  config.max_requests_per_second = rate;
  return config;
}

model::Appointment item(std::int64_t n) {
  model::Appointment a = testing::timedMeeting();
  a.uid = "bench-" + std::to_string(n);
  a.provenance.entry_id = std::to_string(n);
  return a;
}

void report(benchmark::State& state, const ZimbraClient& client) {
  state.SetItemsProcessed(state.iterations());
  state.counters["requests"] = static_cast<double>(client.stats().requests_sent);
  state.counters["connections"] = static_cast<double>(client.stats().connections_opened);
}

// One SetAppointmentRequest per item (a new UID each); arg 0: requests per second, 0 = no limit.
void BM_SetAppointment(benchmark::State& state) {
  g_server->control("{\"reset\": true}");
  auto client = connectedClient(serverConfig(static_cast<double>(state.range(0))));
  if (!client) return state.SkipWithError("could not connect to the test server");
  std::int64_t n = 0;
  for (auto _ : state) {
    auto created = client->setAppointment(kAccount, "10", item(++n));
    if (!created) return state.SkipWithError(created.error().describe().c_str());
  }
  report(state, *client);
}
BENCHMARK(BM_SetAppointment)->Arg(0)->Arg(30)->UseRealTime()->Unit(benchmark::kMillisecond);

// What the pipeline does per item: look the UID up, then create it.
void BM_LookUpThenSetAppointment(benchmark::State& state) {
  g_server->control("{\"reset\": true}");
  auto client = connectedClient(serverConfig(0));
  if (!client) return state.SkipWithError("could not connect to the test server");
  std::int64_t n = 0;
  for (auto _ : state) {
    const model::Appointment appointment = item(++n);
    auto found = client->findAppointmentByUid(kAccount, appointment.uid);
    if (!found) return state.SkipWithError(found.error().describe().c_str());
    auto created = client->setAppointment(kAccount, "10", appointment);
    if (!created) return state.SkipWithError(created.error().describe().c_str());
  }
  report(state, *client);
}
BENCHMARK(BM_LookUpThenSetAppointment)->UseRealTime()->Unit(benchmark::kMillisecond);

// The client alone: build, schema-validate and report, nothing sent.
void BM_DryRunSetAppointment(benchmark::State& state) {
  ServerConfig config = serverConfig(0);
  config.dry_run = true;
  auto client = connectedClient(config);
  if (!client) return state.SkipWithError("could not make a dry-run client");
  std::int64_t n = 0;
  for (auto _ : state) {
    auto created = client->setAppointment(kAccount, "10", item(++n));
    if (!created) return state.SkipWithError(created.error().describe().c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DryRunSetAppointment)->Unit(benchmark::kMicrosecond);

// One PingRequest (no auth, no schema work on our side) per iteration over one kept-alive
// connection (arg 1) or a new transport, hence a new TCP + TLS connection, each time (arg 0).
void BM_Ping(benchmark::State& state) {
  const bool reuse = state.range(0) != 0;
  TransportOptions options;
  options.ca_file = g_server->config().ca_file;
  const std::string url = g_server->config().admin_url;
  const std::string envelope = buildEnvelope(RequestContext{}, "<PingRequest xmlns=\"urn:zimbraAdmin\"/>");
  const std::vector<HttpHeader> headers = {{"Content-Type", std::string(kSoapContentType)}};
  std::unique_ptr<CurlTransport> kept;
  std::int64_t connections = 0;
  for (auto _ : state) {
    if (!kept || !reuse) {
      auto made = CurlTransport::create(options);
      if (!made) return state.SkipWithError(made.error().describe().c_str());
      kept = std::move(made).value();
    }
    auto response = kept->post(url, envelope, headers);
    if (!response || response->status != 200) return state.SkipWithError("PingRequest failed");
    connections += response->new_connections;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["connections"] = static_cast<double>(connections);
}
BENCHMARK(BM_Ping)->Arg(1)->Arg(0)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace m2z::zimbra

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  m2z::zimbra::testing::ZimbraTestServer server(M2Z_SOURCE_DIR, M2Z_SHARED_DIR);
  std::string why;
  if (!server.start({m2z::zimbra::kAccount}, why)) {
    std::fprintf(stderr, "zimbra_client_bench: %s\n", why.c_str());
    return 1;
  }
  m2z::zimbra::g_server = &server;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
