#include "model/appointment.h"

namespace m2z::model {

const char* toString(BusyStatus status) {
  switch (status) {
    case BusyStatus::kFree: return "free";
    case BusyStatus::kTentative: return "tentative";
    case BusyStatus::kBusy: return "busy";
    case BusyStatus::kOutOfOffice: return "out-of-office";
    case BusyStatus::kWorkingElsewhere: return "working-elsewhere";
  }
  return "unknown";
}

const char* toString(Sensitivity sensitivity) {
  switch (sensitivity) {
    case Sensitivity::kNormal: return "normal";
    case Sensitivity::kPersonal: return "personal";
    case Sensitivity::kPrivate: return "private";
    case Sensitivity::kConfidential: return "confidential";
  }
  return "unknown";
}

const char* toString(AttendeeRole role) {
  switch (role) {
    case AttendeeRole::kRequired: return "required";
    case AttendeeRole::kOptional: return "optional";
    case AttendeeRole::kResource: return "resource";
  }
  return "unknown";
}

const char* toString(ResponseStatus status) {
  switch (status) {
    case ResponseStatus::kNone: return "none";
    case ResponseStatus::kOrganized: return "organized";
    case ResponseStatus::kTentative: return "tentative";
    case ResponseStatus::kAccepted: return "accepted";
    case ResponseStatus::kDeclined: return "declined";
    case ResponseStatus::kNotResponded: return "not-responded";
  }
  return "unknown";
}

const char* toString(UidOrigin origin) {
  switch (origin) {
    case UidOrigin::kNone: return "none";
    case UidOrigin::kExternalUid: return "external-uid";
    case UidOrigin::kGlobalObjectIdHex: return "global-object-id";
  }
  return "unknown";
}

}  // namespace m2z::model
