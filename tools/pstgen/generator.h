// Generator mode: a seeded, reproducible mailbox of any size with the awkward cases real ones
// have (every zone from UTC-12 to UTC+14, DST-change days, all-day and multi-day events, long
// UIDs, non-ASCII text, large bodies and attachments, meetings), plus its expected items.
#pragma once

#include <cstdint>
#include <string>

#include "model/result.h"
#include "pstgen/pst_writer.h"

namespace m2z::pstgen {

struct GeneratorOptions {
  std::uint64_t seed = 1;
  std::uint64_t appointments = 100;
  std::uint64_t contacts = 0;
  std::uint64_t tasks = 0;
  std::uint64_t max_body_kib = 64;         // largest generated body (characters / 1024)
  std::uint64_t max_attachment_kib = 256;  // largest generated attachment
  Encryption encryption = Encryption::kNone;
};

[[nodiscard]] Result<PstSummary> generate(const GeneratorOptions& options, const std::string& pst_path,
                                          const std::string& expected_path);

// A small deterministic PRNG (splitmix64): the same seed gives the same mailbox on every platform,
// which the standard distributions do not promise.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  // Uniform in [0, bound), bound > 0.
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }
  int between(int low, int high) { return low + static_cast<int>(below(static_cast<std::uint64_t>(high - low + 1))); }
  bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }

 private:
  std::uint64_t state_;
};

}  // namespace m2z::pstgen
