// Out-of-office (automatic reply) settings as far as a PST/OST keeps them: the reply templates,
// the store's OOF flag and the OOF rules; what the store does not say stays unknown.
#pragma once

#include <optional>
#include <string>

#include "model/provenance.h"
#include "model/time.h"

namespace m2z::model {

// Who outside the organisation gets the external reply.
enum class OofExternalAudience { kUnknown, kNone, kKnownSenders, kAll };

struct OofSettings {
  Provenance provenance;                // the store (folder and entry of the template, where one was read)
  std::optional<bool> enabled;          // PidTagOutOfOfficeState; unknown when the store lacks it
  std::optional<std::string> internal_reply;  // body of IPM.Note.Rules.OofTemplate.Microsoft
  std::optional<std::string> external_reply;  // body of IPM.Note.Rules.ExternalOofTemplate.Microsoft
  OofExternalAudience external_audience = OofExternalAudience::kUnknown;
  std::optional<Instant> start;         // scheduled period; PSTs normally do not keep it
  std::optional<Instant> end;
  bool operator==(const OofSettings&) const = default;
};

const char* toString(OofExternalAudience audience);

}  // namespace m2z::model
