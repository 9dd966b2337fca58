// pstgen: writes synthetic PST files with known contents. A page of argument handling over
// pstgen_lib; see docs/pstgen.md.
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "pstgen/description.h"
#include "pstgen/generator.h"

namespace {

using namespace m2z::pstgen;

void usage() {
  std::fprintf(stderr,
               "usage:\n"
               "  pstgen build --description FILE.json --out FILE.pst [--expected FILE.json]\n"
               "  pstgen generate --seed S [--appointments N] [--contacts N] [--tasks N]\n"
               "                  [--body-kib K] [--attachment-kib K] [--encryption none|compressible]\n"
               "                  --out FILE.pst [--expected FILE.json]\n");
}

bool parseCount(const char* text, std::uint64_t& out) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0') return false;
  out = value;
  return true;
}

int report(const m2z::Result<PstSummary>& summary, std::chrono::steady_clock::time_point began) {
  if (!summary) {
    std::fprintf(stderr, "pstgen: %s\n", summary.error().describe().c_str());
    return 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  std::printf("wrote %llu bytes: %llu folders, %llu messages, %llu blocks, %llu nodes in %.2f s\n",
              static_cast<unsigned long long>(summary->ndb.file_size), static_cast<unsigned long long>(summary->folders),
              static_cast<unsigned long long>(summary->messages), static_cast<unsigned long long>(summary->ndb.blocks),
              static_cast<unsigned long long>(summary->ndb.nodes), seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage();
    return 2;
  }
  const std::string command = argv[1];
  std::string out;
  std::string expected;
  std::string description_path;
  GeneratorOptions options;
  for (int i = 2; i < argc; ++i) {
    const std::string flag = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    auto count = [&](std::uint64_t& target) {
      if (value == nullptr || !parseCount(value, target)) {
        std::fprintf(stderr, "pstgen: %s needs a non-negative number\n", flag.c_str());
        std::exit(2);
      }
      ++i;
    };
    if (flag == "--out" && value != nullptr) {
      out = value;
      ++i;
    } else if (flag == "--expected" && value != nullptr) {
      expected = value;
      ++i;
    } else if (flag == "--description" && value != nullptr) {
      description_path = value;
      ++i;
    } else if (flag == "--seed") {
      count(options.seed);
    } else if (flag == "--appointments") {
      count(options.appointments);
    } else if (flag == "--contacts") {
      count(options.contacts);
    } else if (flag == "--tasks") {
      count(options.tasks);
    } else if (flag == "--body-kib") {
      count(options.max_body_kib);
    } else if (flag == "--attachment-kib") {
      count(options.max_attachment_kib);
    } else if (flag == "--encryption" && value != nullptr) {
      const std::string mode = value;
      if (mode != "none" && mode != "compressible") {
        usage();
        return 2;
      }
      options.encryption = mode == "compressible" ? Encryption::kCompressible : Encryption::kNone;
      ++i;
    } else {
      usage();
      return 2;
    }
  }
  if (out.empty()) {
    usage();
    return 2;
  }
  const auto began = std::chrono::steady_clock::now();
  if (command == "build") {
    std::ifstream file(description_path);
    if (!file) {
      std::fprintf(stderr, "pstgen: cannot read %s\n", description_path.c_str());
      return 1;
    }
    std::stringstream text;
    text << file.rdbuf();
    const nlohmann::json description = nlohmann::json::parse(text.str(), nullptr, false);
    if (description.is_discarded()) {
      std::fprintf(stderr, "pstgen: %s is not valid JSON\n", description_path.c_str());
      return 1;
    }
    return report(buildFromDescription(description, out, expected), began);
  }
  if (command == "generate") return report(generate(options, out, expected), began);
  usage();
  return 2;
}
