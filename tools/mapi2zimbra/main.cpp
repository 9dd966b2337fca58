// mapi2zimbra: the command-line front end. It only parses arguments and calls the pipeline.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/calendar_migration.h"

namespace {

// Exit codes: scripts running batches of accounts branch on these.
constexpr int kExitClean = 0;            // every item created or already there
constexpr int kExitError = 1;            // the run could not be done, or items are unaccounted for
constexpr int kExitNeedsAttention = 2;   // every item accounted for, some skipped or failed
constexpr int kExitUsage = 64;

const char* kUsage = R"(usage: mapi2zimbra <command> [options]

commands:
  migrate     migrate the calendars of PST/OST files into one Zimbra account
  help        show this text

migrate options:
  --source FILE             PST/OST file (repeatable)                        [required]
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

int runMigrate(int argc, char** argv) {
  const Arguments args =
      parseArguments(argc, argv, 2, {"--insecure-skip-tls-verify", "--no-progress"});
  if (!args.error.empty()) {
    std::cerr << "mapi2zimbra migrate: " << args.error << "\n\n" << kUsage;
    return kExitUsage;
  }
  for (const char* required : {"--source", "--account", "--server", "--admin-user"}) {
    if (args.one(required) == nullptr) {
      std::cerr << "mapi2zimbra migrate: " << required << " is required\n\n" << kUsage;
      return kExitUsage;
    }
  }

  m2z::pipeline::CalendarMigrationRequest request;
  request.source_files = args.values.at("--source");
  request.target_account = *args.one("--account");
  request.server.admin_url = *args.one("--server");
  request.server.admin_user = *args.one("--admin-user");
  if (const auto* file = args.one("--admin-password-file")) {
    std::string error;
    request.server.admin_password = readSecretFile(*file, error);
    if (!error.empty()) {
      std::cerr << "mapi2zimbra migrate: " << error << "\n";
      return kExitUsage;
    }
  } else if (const char* env = std::getenv("M2Z_ADMIN_PASSWORD")) {
    request.server.admin_password = env;
  } else {
    std::cerr << "mapi2zimbra migrate: give the admin password with --admin-password-file or M2Z_ADMIN_PASSWORD\n";
    return kExitUsage;
  }
  if (const auto* ca = args.one("--ca-file")) request.server.ca_file = *ca;
  request.server.insecure_skip_tls_verify = args.has("--insecure-skip-tls-verify");
  if (const auto* schemas = args.one("--schemas")) request.server.schema_dir = *schemas;
  request.audit_dir = args.one("--audit-dir") ? *args.one("--audit-dir") : "audit";
  if (const auto* run_id = args.one("--run-id")) request.run_id = *run_id;
  request.progress_out = args.has("--no-progress") ? nullptr : stderr;

  auto summary = m2z::pipeline::migrateCalendars(request);
  if (!summary) {
    std::cerr << "mapi2zimbra migrate: " << summary.error().describe() << "\n";
    return kExitError;
  }
  std::cout << m2z::pipeline::formatSummary(*summary);
  if (!summary->allAccountedFor()) return kExitError;
  return summary->clean() ? kExitClean : kExitNeedsAttention;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  const std::string command = argv[1];
  if (command == "migrate") return runMigrate(argc, argv);
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
