// One request/response exchange with the server as the audit sees it, and the observer
// interface through which the client reports every one of them, sent or not.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/provenance.h"

namespace m2z::zimbra {

enum class ExchangeOutcome {
  kOk,              // the server answered with the response element
  kFault,           // the server answered with a SOAP fault (fault_code says which)
  kTransportError,  // no usable answer: connection, TLS, timeout, HTTP error, unreadable reply
  kInvalidRequest,  // not sent: the request could not be built or failed schema validation
  kDryRun,          // not sent: built and validated in dry-run mode
};

// "ok", "fault", "transport-error", "invalid-request", "dry-run" (the audit schema's spelling).
const char* toString(ExchangeOutcome outcome);

struct Exchange {
  std::string request_name;  // "SetAppointmentRequest", ...
  std::string account;       // mailbox acted on; empty for admin requests
  std::optional<model::Provenance> source;  // the source item the exchange concerns, if any
  ExchangeOutcome outcome = ExchangeOutcome::kOk;
  bool sent = false;
  // The full SOAP envelope as sent (or as it would have been; empty when none could be built),
  // and the reply as received (empty when none arrived). Both may hold secrets: see `secrets`.
  std::string request_xml;
  std::string response_xml;
  int http_status = 0;  // 0 when no response arrived
  std::int64_t duration_ms = 0;
  std::string fault_code;  // Zimbra fault code when the server answered with a fault
  std::string error;       // Error::describe() of the failure, empty on success
  // The secret strings that occur in request_xml/response_xml (the admin password of an
  // AuthRequest, the auth token in every header and in an AuthResponse), so the observer can
  // redact them before writing anything; they change when the client renews its token.
  std::vector<std::string> secrets;
  // Every send of a request is its own exchange, retries included. `attempt` counts the sends
  // of one request (1 = the first). `will_retry`: the client sends it again, after waiting
  // `retry_delay_ms` or after renewing its token. `retry_reason` says why a failed exchange is
  // retried or why it is not (e.g. "unavailable (account.MAINTENANCE_MODE): attempt 3 in 812 ms");
  // empty on success.
  int attempt = 1;
  bool will_retry = false;
  std::int64_t retry_delay_ms = 0;
  std::string retry_reason;
};

// Implemented by the audit; called synchronously once per exchange, in order. An exception
// thrown here fails the client call it came from (code "audit.observer").
class ExchangeObserver {
 public:
  virtual ~ExchangeObserver() = default;
  virtual void onExchange(const Exchange& exchange) = 0;
};

}  // namespace m2z::zimbra
