// DryRunTransport: a Transport that sends nothing and answers like an empty mailbox, so that a
// dry run walks the whole pipeline (look-ups find nothing, creates get synthetic ids).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"
#include "zimbra/transport.h"

namespace m2z::zimbra {

inline constexpr std::string_view kDryRunToken = "dry-run-token";

class DryRunTransport final : public Transport {
 public:
  // Answers, by the request element inside the SOAP body:
  //   AuthRequest            AuthResponse with kDryRunToken
  //   CreateFolderRequest    CreateFolderResponse, folder id "dry-run-N" under the requested parent
  //   GetAppointmentRequest  fault mail.NO_SUCH_APPT (nothing exists yet)
  //   SetAppointmentRequest  SetAppointmentResponse, calItemId "dry-run-N"
  //   anything else          fault service.UNKNOWN_DOCUMENT
  // N counts up from 257 (the first id a new Zimbra mailbox gives out), shared by all items.
  // A body that is not a SOAP envelope is a transport.dry_run error.
  [[nodiscard]] Result<HttpResponse> post(const std::string& url, std::string_view body,
                                          const std::vector<HttpHeader>& headers) override;

 private:
  std::string nextId();
  std::int64_t next_id_ = 257;
};

}  // namespace m2z::zimbra
