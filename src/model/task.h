// A task as read from the source ([MS-OXOTASK]).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/provenance.h"
#include "model/time.h"

namespace m2z::model {

// [MS-OXOTASK] 2.2.2.2.2 PidLidTaskStatus.
enum class TaskStatus { kNotStarted, kInProgress, kComplete, kWaitingOnOthers, kDeferred };

// [MS-OXCMSG] 2.2.1.11 PidTagImportance.
enum class Importance { kLow, kNormal, kHigh };

struct Task {
  Provenance provenance;
  std::string message_class;  // "IPM.Task", ...

  std::string subject;
  std::string body;  // plain text

  // Civil dates: the source keeps midnight UTC of the user's local date ([MS-OXOTASK] 2.2.2.2.4).
  std::optional<CivilDate> start;
  std::optional<CivilDate> due;
  std::optional<Instant> date_completed;

  TaskStatus status = TaskStatus::kNotStarted;
  int percent_complete = 0;  // 0..100
  bool complete = false;
  Importance importance = Importance::kNormal;

  std::optional<Instant> reminder;  // set only when a reminder is on

  bool is_recurring = false;
  // The raw PidLidTaskRecurrence, kept so nothing is lost while task series are not converted.
  std::vector<std::uint8_t> recurrence_blob;

  std::string owner;
  std::vector<std::string> categories;
};

const char* toString(TaskStatus status);
const char* toString(Importance importance);

}  // namespace m2z::model
