// mapi2zimbra: the command-line front end. It only parses arguments and calls the pipeline.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/audit_commands.h"
#include "pipeline/batch.h"
#include "pipeline/calendar_migration.h"
#include "pipeline/normalize_report.h"
#include "pipeline/verify.h"
#include "state/state_store.h"

namespace {

// Exit codes: scripts running batches of accounts branch on these.
constexpr int kExitClean = 0;            // every item created or already there
constexpr int kExitError = 1;            // the run could not be done, or items are unaccounted for
constexpr int kExitNeedsAttention = 2;   // every item accounted for, some skipped or failed
constexpr int kExitUsage = 64;

const char* kUsage = R"(usage: mapi2zimbra <command> [options]

commands:
  migrate     migrate the appointments, contacts, lists, tasks, mail rules and OOF settings of
              the sources (PST/OST and Exchange exports) into one Zimbra account
  normalize SOURCE...  read and normalize sources and print the findings, writing nothing
              (--list: every finding, not only the counts)
  plan FILE   add or update accounts from a CSV plan in the state store (--server URL records the
              Zimbra server each account goes to, for --max-per-server)
  run         migrate the queued accounts of the state store, largest first
  worker      the same, as one of several workers sharing a PostgreSQL state store
  status      the accounts of the state store (--json for scripts)
  hold ACCOUNT | release ACCOUNT | retry ACCOUNT
              keep an account from being worked on / let it be / queue it again
  verify --account A [--state S] [--audit-dir D] SOURCE...
              read the migrated items back from Zimbra and compare them field by field with
              the sources (server options as for migrate); JSON on stdout, a verify-*.xml audit
              log; exit 0 only when everything matches, 2 when something differs
  audit verify-chain LOG      check the log's hash chain: no entry edited, removed or reordered
  audit scan LOG... [--format table|csv|json]
              flag suspicious appointments, items never created, faults, retries, unfinished runs
  audit diff A B              item-by-item differences between two logs
  report user LOG... --out DIR [--lang en|de] [--smtp URL --mail-from ADDR [--mail-to ADDR]...]
              per-account mismatch report (HTML page + plain-text mail), optionally mailed
  report staff LOG... --out DIR   summary across accounts, worst first (HTML + CSV)
  help        show this text

migrate options:
  --source FILE             PST/OST, .msg, .ics, .vcf, EWS XML, or a Get-InboxRule /
                            Get-MailboxAutoReplyConfiguration CSV/CLIXML export; the kind is
                            told from the content (repeatable)               [required]
  --account NAME            target Zimbra account, e.g. user@example.org     [required]
  --server URL              Zimbra admin SOAP URL,
                            e.g. https://zimbra.example.org:7071/service/admin/soap   [required]
  --admin-user NAME         admin account name                              [required]
  --admin-password-file F   file holding the admin password (or set M2Z_ADMIN_PASSWORD);
                            never given on the command line, where ps would show it
  --ca-file FILE            CA certificate(s) to verify the server's TLS certificate with
  --insecure-skip-tls-verify  do NOT verify the server's certificate (loud warning; tests only)
  --schemas DIR             Zimbra XSD folder: validate every request before sending it
  --audit-dir DIR           where audit logs go (default: ./audit)
  --run-id ID               name of this run's audit log (default: UTC time + pid)
  --no-progress             no progress output
  --dry-run                 build, validate and audit every request without sending any
  --recover                 also read the items libpff recovers from a damaged PST's free space
                            and its orphan items, into folders named (recovered) and (orphan);
                            they may duplicate live items, which the duplicate check reports
  --batch-size N            appointments looked up and created per SOAP BatchRequest
                            (default 1: one request each; 25 recommended; at most 100)
  --max-requests-per-second N  client-side rate limit (default 30, Zimbra's DoS filter;
                            0 = off, for servers that list this host in zimbraHttpThrottleSafeIPs)
  --retry-max-wait S        how long an account may stay unavailable (maintenance, 503s) before
                            it is paused for a later run (default 900)
  --retry-max-attempts N    sends of one request lost in transit before that item fails (default 5)
  --retry-base-delay-ms N   first backoff step (default 500; doubles, with jitter)
  --state LOCATION          state store: an SQLite file (default ./mapi2zimbra-state.sqlite)
                            or postgresql://user@host/db (password from PGPASSWORD or ~/.pgpass)

plan FILE: one account per line:
  account,source[;source...],target account[,YYYY-MM-DD[,group[,source host]]]
run / worker: the server options of migrate (not --source/--account), plus --state,
  --lease-seconds N (default 300), --worker-id ID, --max-per-server N (accounts at once per Zimbra
  server), --max-per-source-host N (per source host of the plan), --by-date (requested date
  first instead of largest first), --groups-together, --batch-size N, --parallel N (accounts
  worked on at once by this process, one thread each, sharing one rate limit per server).
  Ctrl-C stops after the current item; a second Ctrl-C stops at once. Both leave the state consistent; run again to resume.

exit status: 0 all items created or already present; 2 all accounted for but some skipped or
failed (see the summary and the audit log); 1 the run failed; 64 usage error.
)";

struct Arguments {
  std::map<std::string, std::vector<std::string>> values;
  std::vector<std::string> flags;
  std::string error;

  const std::string* one(const std::string& name) const {
    auto it = values.find(name);
    return it == values.end() || it->second.empty() ? nullptr : &it->second.back();
  }
  bool has(const std::string& flag) const {
    for (const auto& f : flags) {
      if (f == flag) return true;
    }
    return false;
  }
};

Arguments parseArguments(int argc, char** argv, int first, const std::vector<std::string>& flag_names) {
  Arguments args;
  for (int i = first; i < argc; ++i) {
    std::string word = argv[i];
    if (word.rfind("--", 0) != 0) {
      args.error = "unexpected argument: " + word;
      return args;
    }
    bool is_flag = false;
    for (const auto& f : flag_names) is_flag = is_flag || f == word;
    if (is_flag) {
      args.flags.push_back(word);
      continue;
    }
    if (i + 1 >= argc) {
      args.error = "missing value for " + word;
      return args;
    }
    args.values[word].push_back(argv[++i]);
  }
  return args;
}

std::string readSecretFile(const std::string& path, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot read the password file " + path;
    return {};
  }
  std::string secret;
  std::getline(in, secret);
  while (!secret.empty() && (secret.back() == '\r' || secret.back() == '\n')) secret.pop_back();
  return secret;
}

// The Zimbra server options shared by migrate, run and worker; an error message when they are
// incomplete.
std::string serverConfigFrom(const Arguments& args, m2z::zimbra::ServerConfig& server) {
  for (const char* required : {"--server", "--admin-user"}) {
    if (args.one(required) == nullptr) return std::string(required) + " is required";
  }
  server.admin_url = *args.one("--server");
  server.admin_user = *args.one("--admin-user");
  if (const auto* file = args.one("--admin-password-file")) {
    std::string error;
    server.admin_password = readSecretFile(*file, error);
    if (!error.empty()) return error;
  } else if (const char* env = std::getenv("M2Z_ADMIN_PASSWORD")) {
    server.admin_password = env;
  } else {
    return "give the admin password with --admin-password-file or M2Z_ADMIN_PASSWORD";
  }
  if (const auto* ca = args.one("--ca-file")) server.ca_file = *ca;
  server.insecure_skip_tls_verify = args.has("--insecure-skip-tls-verify");
  if (const auto* schemas = args.one("--schemas")) server.schema_dir = *schemas;
  server.dry_run = args.has("--dry-run");
  if (const auto* rate = args.one("--max-requests-per-second")) server.max_requests_per_second = std::atof(rate->c_str());
  if (const auto* wait = args.one("--retry-max-wait")) {
    server.retry.max_wait = std::chrono::seconds(std::max(0, std::atoi(wait->c_str())));
  }
  if (const auto* attempts = args.one("--retry-max-attempts")) {
    server.retry.max_attempts = std::max(1, std::atoi(attempts->c_str()));
  }
  if (const auto* base = args.one("--retry-base-delay-ms")) {
    server.retry.base_delay = std::chrono::milliseconds(std::max(1, std::atoi(base->c_str())));
  }
  return {};
}

std::string stateLocation(const Arguments& args) {
  return args.one("--state") ? *args.one("--state") : m2z::state::defaultStateLocation(".");
}

// First Ctrl-C: finish the current item and stop; second: stop at once. Every item's state is
// committed in its own transaction, so either way the state stays consistent.
std::atomic<bool> g_stop_requested{false};
extern "C" void onInterrupt(int) {
  if (g_stop_requested.exchange(true)) _exit(130);
  const char message[] = "\nstopping after the current item (Ctrl-C again to stop now)\n";
  (void)!write(STDERR_FILENO, message, sizeof message - 1);
}

void installInterruptHandler() {
  struct sigaction action {};
  action.sa_handler = onInterrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

int usageError(const char* command, const std::string& message) {
  std::cerr << "mapi2zimbra " << command << ": " << message << "\n\n" << kUsage;
  return kExitUsage;
}

// --batch-size N: "" when absent or usable, else what is wrong.
std::string batchSizeFrom(const Arguments& args, int& batch_size) {
  const auto* given = args.one("--batch-size");
  if (given == nullptr) return "";
  char* end = nullptr;
  const long value = std::strtol(given->c_str(), &end, 10);
  if (given->empty() || *end != '\0' || value < 1 || value > static_cast<long>(m2z::zimbra::kMaxBatchItems)) {
    return "--batch-size must be a whole number from 1 to " + std::to_string(m2z::zimbra::kMaxBatchItems);
  }
  batch_size = static_cast<int>(value);
  return "";
}

int runMigrate(int argc, char** argv) {
  const Arguments args =
      parseArguments(argc, argv, 2, {"--insecure-skip-tls-verify", "--no-progress", "--dry-run", "--recover"});
  if (!args.error.empty()) return usageError("migrate", args.error);
  for (const char* required : {"--source", "--account"}) {
    if (args.one(required) == nullptr) return usageError("migrate", std::string(required) + " is required");
  }
  m2z::pipeline::CalendarMigrationRequest request;
  if (auto error = serverConfigFrom(args, request.server); !error.empty()) return usageError("migrate", error);
  request.source_files = args.values.at("--source");
  request.target_account = *args.one("--account");
  request.audit_dir = args.one("--audit-dir") ? *args.one("--audit-dir") : "audit";
  if (const auto* run_id = args.one("--run-id")) request.run_id = *run_id;
  request.progress_out = args.has("--no-progress") ? nullptr : stderr;
  request.read_options.pst.recover = args.has("--recover");
  if (auto error = batchSizeFrom(args, request.batch_size); !error.empty()) return usageError("migrate", error);
  std::unique_ptr<m2z::state::StateStore> store;
  if (args.one("--state") != nullptr) {
    auto opened = m2z::state::openStateStore(*args.one("--state"));
    if (!opened) {
      std::cerr << "mapi2zimbra migrate: " << opened.error().describe() << "\n";
      return kExitError;
    }
    store = std::move(*opened);
    // An ad-hoc migrate records its items under the target account's name.
    m2z::state::AccountPlan plan;
    plan.name = request.target_account;
    plan.target_account = request.target_account;
    plan.source_paths = request.source_files;
    if (auto applied = store->upsertAccounts({plan}); !applied) {
      std::cerr << "mapi2zimbra migrate: " << applied.error().describe() << "\n";
      return kExitError;
    }
    request.state = store.get();
  }
  installInterruptHandler();
  request.stop = &g_stop_requested;

  auto summary = m2z::pipeline::migrateCalendars(request);
  if (!summary) {
    std::cerr << "mapi2zimbra migrate: " << summary.error().describe() << "\n";
    return kExitError;
  }
  std::cout << m2z::pipeline::formatSummary(*summary);
  if (!summary->allAccountedFor() || !summary->stopped_early.empty()) return kExitError;
  return summary->clean() ? kExitClean : kExitNeedsAttention;
}

int runNormalize(int argc, char** argv) {
  std::vector<std::string> sources;
  bool list = false;
  for (int i = 2; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--list") {
      list = true;
    } else if (word.rfind("--", 0) == 0) {
      return usageError("normalize", "unknown option " + word);
    } else {
      sources.push_back(word);
    }
  }
  if (sources.empty()) return usageError("normalize", "give at least one source file");
  auto report = m2z::pipeline::normalizeSources(sources);
  if (!report) {
    std::cerr << "mapi2zimbra normalize: " << report.error().describe() << "\n";
    return kExitError;
  }
  std::cout << m2z::pipeline::formatNormalizeReport(*report, list);
  return kExitClean;
}

// Positional words and --name value options after argv[first]; `flags` take no value.
struct Words {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> options;
  std::string error;
};

Words splitWords(int argc, char** argv, int first, const std::vector<std::string>& flags = {}) {
  Words words;
  for (int i = first; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.rfind("--", 0) != 0) {
      words.positional.push_back(word);
    } else if (std::find(flags.begin(), flags.end(), word) != flags.end()) {
      words.options[word].push_back("");
    } else if (i + 1 < argc) {
      words.options[word].push_back(argv[++i]);
    } else {
      words.error = "missing value for " + word;
    }
  }
  return words;
}

std::vector<std::filesystem::path> asPaths(const std::vector<std::string>& words, std::size_t from = 0) {
  std::vector<std::filesystem::path> paths;
  for (std::size_t i = from; i < words.size(); ++i) paths.emplace_back(words[i]);
  return paths;
}

// verify: the migrate server options (serverConfigFrom), the sources as words or --source.
int runVerify(int argc, char** argv) {
  const Words words = splitWords(argc, argv, 2, {"--insecure-skip-tls-verify", "--no-progress"});
  if (!words.error.empty()) return usageError("verify", words.error);
  Arguments args;
  for (const auto& [name, values] : words.options) {
    if (name == "--insecure-skip-tls-verify" || name == "--no-progress") {
      args.flags.push_back(name);
    } else {
      args.values[name] = values;
    }
  }
  if (args.one("--account") == nullptr) return usageError("verify", "--account is required");
  m2z::pipeline::VerifyRequest request;
  if (auto error = serverConfigFrom(args, request.server); !error.empty()) return usageError("verify", error);
  request.source_files = words.positional;
  if (auto it = args.values.find("--source"); it != args.values.end()) {
    request.source_files.insert(request.source_files.end(), it->second.begin(), it->second.end());
  }
  if (request.source_files.empty()) return usageError("verify", "give at least one source file");
  request.target_account = *args.one("--account");
  request.audit_dir = args.one("--audit-dir") ? *args.one("--audit-dir") : "audit";
  if (const auto* run_id = args.one("--run-id")) request.run_id = *run_id;
  std::unique_ptr<m2z::state::StateStore> store;
  if (const auto* location = args.one("--state")) {
    auto opened = m2z::state::openStateStore(*location);
    if (!opened) {
      std::cerr << "mapi2zimbra verify: " << opened.error().describe() << "\n";
      return kExitError;
    }
    store = std::move(*opened);
    request.state = store.get();
  }
  auto summary = m2z::pipeline::verifyAccount(request);
  if (!summary) {
    std::cerr << "mapi2zimbra verify: " << summary.error().describe() << "\n";
    return kExitError;
  }
  std::cout << m2z::pipeline::formatVerifyJson(*summary);
  if (summary->sources_failed > 0) return kExitError;
  return summary->allMatch() ? kExitClean : kExitNeedsAttention;
}

int runAudit(int argc, char** argv) {
  const Words words = splitWords(argc, argv, 2);
  if (!words.error.empty()) return usageError("audit", words.error);
  if (words.positional.empty()) return usageError("audit", "give verify-chain, scan or diff");
  const std::string& what = words.positional[0];
  if (what == "verify-chain" && words.positional.size() == 2) {
    return m2z::pipeline::auditVerifyChain(words.positional[1], std::cout, std::cerr);
  }
  if (what == "scan" && words.positional.size() >= 2) {
    m2z::report::ScanFormat format = m2z::report::ScanFormat::kTable;
    if (auto it = words.options.find("--format"); it != words.options.end()) {
      const std::string& name = it->second.back();
      if (name == "csv") format = m2z::report::ScanFormat::kCsv;
      else if (name == "json") format = m2z::report::ScanFormat::kJson;
      else if (name != "table") return usageError("audit scan", "--format is table, csv or json");
    }
    return m2z::pipeline::auditScan(asPaths(words.positional, 1), format, std::cout, std::cerr);
  }
  if (what == "diff" && words.positional.size() == 3) {
    return m2z::pipeline::auditDiff(words.positional[1], words.positional[2], std::cout, std::cerr);
  }
  return usageError("audit", "usage: audit verify-chain LOG | audit scan LOG... | audit diff A B");
}

int runReport(int argc, char** argv) {
  const Words words = splitWords(argc, argv, 2);
  if (!words.error.empty()) return usageError("report", words.error);
  if (words.positional.size() < 2) return usageError("report", "give user or staff, then the logs");
  auto out_dir = words.options.find("--out");
  if (out_dir == words.options.end()) return usageError("report", "--out DIR is required");
  const std::string& what = words.positional[0];
  if (what == "staff") {
    return m2z::pipeline::reportStaff(asPaths(words.positional, 1), out_dir->second.back(), std::cout, std::cerr);
  }
  if (what != "user") return usageError("report", "give user or staff");
  auto language = m2z::report::parseLanguage(words.options.count("--lang") ? words.options.at("--lang").back() : "en");
  if (!language) return usageError("report user", language.error().describe());
  std::optional<m2z::report::SmtpSettings> smtp;
  if (auto url = words.options.find("--smtp"); url != words.options.end()) {
    if (!words.options.count("--mail-from")) return usageError("report user", "--smtp needs --mail-from");
    smtp = m2z::report::SmtpSettings{};
    smtp->url = url->second.back();
    smtp->mail_from = words.options.at("--mail-from").back();
    if (auto to = words.options.find("--mail-to"); to != words.options.end()) smtp->mail_to = to->second;
  }
  return m2z::pipeline::reportUser(asPaths(words.positional, 1), out_dir->second.back(), *language, smtp, std::cout,
                                   std::cerr);
}

int runPlan(int argc, char** argv) {
  if (argc < 3 || std::string(argv[2]).rfind("--", 0) == 0) return usageError("plan", "give the plan file");
  const Arguments args = parseArguments(argc, argv, 3, {});
  if (!args.error.empty()) return usageError("plan", args.error);
  auto plans = m2z::pipeline::readPlanCsv(argv[2], args.one("--server") ? *args.one("--server") : "");
  if (!plans) {
    std::cerr << "mapi2zimbra plan: " << plans.error().describe() << "\n";
    return kExitError;
  }
  auto store = m2z::state::openStateStore(stateLocation(args));
  if (!store) {
    std::cerr << "mapi2zimbra plan: " << store.error().describe() << "\n";
    return kExitError;
  }
  auto applied = (*store)->upsertAccounts(*plans);
  if (!applied) {
    std::cerr << "mapi2zimbra plan: " << applied.error().describe() << "\n";
    return kExitError;
  }
  std::cout << "plan " << argv[2] << ": " << applied->added << " added, " << applied->updated << " updated, "
            << applied->unchanged << " unchanged\n";
  for (const auto& refused : applied->refused) {
    std::cout << "  not changed: " << refused.account << ": " << refused.reason << "\n";
  }
  return applied->refused.empty() ? kExitClean : kExitNeedsAttention;
}

int runQueue(const char* command, int argc, char** argv) {
  const Arguments args =
      parseArguments(argc, argv, 2,
                     {"--insecure-skip-tls-verify", "--no-progress", "--by-date", "--groups-together", "--dry-run",
                      "--recover"});
  if (!args.error.empty()) return usageError(command, args.error);
  m2z::pipeline::BatchRunRequest request;
  if (auto error = serverConfigFrom(args, request.server); !error.empty()) return usageError(command, error);
  request.state_location = stateLocation(args);
  request.read_options.pst.recover = args.has("--recover");
  if (auto error = batchSizeFrom(args, request.batch_size); !error.empty()) return usageError(command, error);
  if (const auto* parallel = args.one("--parallel")) {
    char* end = nullptr;
    const long value = std::strtol(parallel->c_str(), &end, 10);
    // One thread per account; 64 is far beyond what one Zimbra server's DoS limit serves.
    if (parallel->empty() || *end != '\0' || value < 1 || value > 64) {
      return usageError(command, "--parallel must be a whole number from 1 to 64");
    }
    request.parallel = static_cast<int>(value);
  }
  request.audit_dir = args.one("--audit-dir") ? *args.one("--audit-dir") : "audit";
  if (const auto* worker = args.one("--worker-id")) request.worker_id = *worker;
  if (const auto* lease = args.one("--lease-seconds")) request.lease_seconds = std::max(5, std::atoi(lease->c_str()));
  if (const auto* per_server = args.one("--max-per-server")) {
    request.limits.default_per_target_server = std::max(0, std::atoi(per_server->c_str()));
  }
  if (const auto* per_host = args.one("--max-per-source-host")) {
    request.limits.default_per_source_host = std::max(0, std::atoi(per_host->c_str()));
  }
  if (args.has("--by-date")) request.limits.order = m2z::state::ClaimOrder::kRequestedDateFirst;
  request.limits.groups_move_together = args.has("--groups-together");
  request.progress_out = args.has("--no-progress") ? nullptr : stderr;
  request.wait_for_other_workers = std::string(command) == "worker";
  installInterruptHandler();
  request.stop = &g_stop_requested;

  auto batch = m2z::pipeline::runQueuedAccounts(request);
  if (!batch) {
    std::cerr << "mapi2zimbra " << command << ": " << batch.error().describe() << "\n";
    return kExitError;
  }
  for (const auto& account : batch->accounts) std::cout << m2z::pipeline::formatSummary(account) << "\n";
  std::cout << "accounts: " << batch->done << " done, " << batch->failed << " failed, " << batch->paused
            << " paused\n";
  if (g_stop_requested.load() || batch->paused > 0) return kExitError;
  return batch->failed == 0 ? kExitClean : kExitNeedsAttention;
}

int runStatus(int argc, char** argv) {
  const Arguments args = parseArguments(argc, argv, 2, {"--json"});
  if (!args.error.empty()) return usageError("status", args.error);
  auto store = m2z::state::openStateStore(stateLocation(args));
  if (!store) {
    std::cerr << "mapi2zimbra status: " << store.error().describe() << "\n";
    return kExitError;
  }
  auto accounts = (*store)->listAccounts({});
  if (!accounts) {
    std::cerr << "mapi2zimbra status: " << accounts.error().describe() << "\n";
    return kExitError;
  }
  std::cout << (args.has("--json") ? m2z::pipeline::formatStatusJson(*accounts)
                                   : m2z::pipeline::formatStatusTable(*accounts));
  return kExitClean;
}

int runAccountAction(const std::string& command, int argc, char** argv) {
  if (argc < 3 || std::string(argv[2]).rfind("--", 0) == 0) return usageError(command.c_str(), "give the account");
  const Arguments args = parseArguments(argc, argv, 3, {});
  if (!args.error.empty()) return usageError(command.c_str(), args.error);
  auto store = m2z::state::openStateStore(stateLocation(args));
  if (!store) {
    std::cerr << "mapi2zimbra " << command << ": " << store.error().describe() << "\n";
    return kExitError;
  }
  const std::string account = argv[2];
  m2z::Status done = command == "hold"      ? (*store)->holdAccount(account)
                     : command == "release" ? (*store)->releaseHold(account)
                                            : (*store)->retryAccount(account);
  if (!done) {
    std::cerr << "mapi2zimbra " << command << ": " << done.error().describe() << "\n";
    return kExitError;
  }
  std::cout << command << " " << account << ": ok\n";
  return kExitClean;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  const std::string command = argv[1];
  if (command == "migrate") return runMigrate(argc, argv);
  if (command == "normalize") return runNormalize(argc, argv);
  if (command == "verify") return runVerify(argc, argv);
  if (command == "audit") return runAudit(argc, argv);
  if (command == "report") return runReport(argc, argv);
  if (command == "plan") return runPlan(argc, argv);
  if (command == "run" || command == "worker") return runQueue(command.c_str(), argc, argv);
  if (command == "status") return runStatus(argc, argv);
  if (command == "hold" || command == "release" || command == "retry") return runAccountAction(command, argc, argv);
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << kUsage;
    return kExitClean;
  }
  if (command == "--version") {
    std::cout << "mapi2zimbra 0.1.0\n";
    return kExitClean;
  }
  std::cerr << "mapi2zimbra: unknown command '" << command << "'\n\n" << kUsage;
  return kExitUsage;
}
