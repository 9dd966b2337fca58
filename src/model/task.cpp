#include "model/task.h"

namespace m2z::model {

const char* toString(TaskStatus status) {
  switch (status) {
    case TaskStatus::kNotStarted: return "not_started";
    case TaskStatus::kInProgress: return "in_progress";
    case TaskStatus::kComplete: return "complete";
    case TaskStatus::kWaitingOnOthers: return "waiting_on_others";
    case TaskStatus::kDeferred: return "deferred";
  }
  return "not_started";
}

const char* toString(Importance importance) {
  switch (importance) {
    case Importance::kLow: return "low";
    case Importance::kNormal: return "normal";
    case Importance::kHigh: return "high";
  }
  return "normal";
}

}  // namespace m2z::model
