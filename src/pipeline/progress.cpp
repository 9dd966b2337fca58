#include "pipeline/progress.h"

#include <unistd.h>

#include <algorithm>

namespace m2z::pipeline {

namespace {
using Clock = std::chrono::steady_clock;
constexpr auto kTerminalInterval = std::chrono::milliseconds(250);
constexpr auto kJsonInterval = std::chrono::seconds(5);

std::string jsonEscape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out.push_back(c);
  }
  return out;
}
}  // namespace

Progress::Progress(std::FILE* out, std::string label, bool enabled)
    : out_(out),
      label_(std::move(label)),
      enabled_(enabled && out != nullptr),
      terminal_(out != nullptr && isatty(fileno(out)) == 1),
      started_(Clock::now()),
      last_report_(Clock::now()) {}

void Progress::addExpected(int items) { expected_ += std::max(items, 0); }

void Progress::itemDone() {
  ++done_;
  const auto now = Clock::now();
  if (now - last_report_ >= (terminal_ ? kTerminalInterval : std::chrono::duration_cast<Clock::duration>(kJsonInterval))) {
    report(false);
    last_report_ = now;
  }
}

void Progress::finish() { report(true); }

void Progress::report(bool final_report) {
  if (!enabled_) return;
  const double seconds = std::chrono::duration<double>(Clock::now() - started_).count();
  const double rate = seconds > 0 ? done_ / seconds : 0.0;
  const int total = std::max(expected_, done_);
  const double eta = (rate > 0 && total > done_) ? (total - done_) / rate : 0.0;
  if (terminal_) {
    std::fprintf(out_, "\r%s: %d/%d items, %.1f items/s, ETA %.0f s   %s", label_.c_str(), done_, total, rate, eta,
                 final_report ? "\n" : "");
  } else {
    std::fprintf(out_,
                 "{\"progress\":\"%s\",\"done\":%d,\"expected\":%d,\"rate\":%.2f,\"eta_seconds\":%.0f,\"final\":%s}\n",
                 jsonEscape(label_).c_str(), done_, total, rate, eta, final_report ? "true" : "false");
  }
  std::fflush(out_);
}

}  // namespace m2z::pipeline
