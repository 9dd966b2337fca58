#include "model/oof.h"

namespace m2z::model {

const char* toString(OofExternalAudience audience) {
  switch (audience) {
    case OofExternalAudience::kUnknown: return "unknown";
    case OofExternalAudience::kNone: return "none";
    case OofExternalAudience::kKnownSenders: return "known";
    case OofExternalAudience::kAll: return "all";
  }
  return "unknown";
}

}  // namespace m2z::model
