#include "pipeline/run_support.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>

namespace m2z::pipeline {

std::string utcRunId() {
  static std::atomic<int> sequence{0};
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char buffer[48];
  std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%S", &parts);
  return std::string(buffer) + "." + std::to_string(1000 + millis).substr(1) + "Z-" + std::to_string(getpid()) + "-" +
         std::to_string(++sequence);
}

audit::ItemSummary summarize(const model::Appointment& item) {
  audit::ItemSummary summary;
  summary.kind = "appointment";
  summary.subject = item.subject;
  summary.uid = item.uid;
  summary.all_day = item.all_day;
  if (item.resolved) {
    if (item.all_day) {
      summary.start = item.resolved->first_day.toIsoString();
      summary.end = item.resolved->last_day.toIsoString();
    } else {
      summary.start = item.resolved->start_local.toIsoString() + " " + item.resolved->zone.id;
      summary.end = item.resolved->end_local.toIsoString() + " " + item.resolved->zone.id;
    }
  }
  return summary;
}

audit::ItemSummary summarize(const model::Contact& item) {
  audit::ItemSummary summary;
  summary.kind = "contact";
  summary.subject = item.display_name.empty() ? item.file_as : item.display_name;
  return summary;
}

audit::ItemSummary summarize(const model::DistList& item) {
  audit::ItemSummary summary;
  summary.kind = "distlist";
  summary.subject = item.name;
  return summary;
}

audit::ItemSummary summarize(const model::Task& item) {
  audit::ItemSummary summary;
  summary.kind = "task";
  summary.subject = item.subject;
  summary.all_day = true;
  if (item.start) summary.start = item.start->toIsoString();
  if (item.due) summary.end = item.due->toIsoString();
  return summary;
}

}  // namespace m2z::pipeline
