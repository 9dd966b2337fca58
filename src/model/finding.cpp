#include "model/finding.h"

namespace m2z::model {

const char* toString(Severity severity) {
  switch (severity) {
    case Severity::kInfo: return "info";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "unknown";
}

const char* toString(ItemOutcome outcome) {
  switch (outcome) {
    case ItemOutcome::kCreated: return "created";
    case ItemOutcome::kSkipped: return "skipped";
    case ItemOutcome::kFailed: return "failed";
  }
  return "unknown";
}

}  // namespace m2z::model
