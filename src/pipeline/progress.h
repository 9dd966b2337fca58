// Progress of a long operation: a live line (items, rate, ETA) on a terminal, quiet JSON lines
// otherwise, so that batch logs stay machine-readable.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace m2z::pipeline {

class Progress {
 public:
  // `out` is where progress goes (stderr in the CLI); `label` names the job, e.g. the account.
  Progress(std::FILE* out, std::string label, bool enabled = true);

  void addExpected(int items);  // more items are known to come (e.g. a folder's item count)
  void itemDone();
  void finish();

 private:
  void report(bool final_report);
  std::FILE* out_;
  std::string label_;
  bool enabled_;
  bool terminal_;
  int expected_ = 0;
  int done_ = 0;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_report_;
};

}  // namespace m2z::pipeline
