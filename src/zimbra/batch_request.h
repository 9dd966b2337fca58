// BatchRequest (urn:zimbra, soap.txt "batch requests"): several requests of one account in one
// envelope, each tagged with a requestId that its response or soap:Fault carries back.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/contact.h"
#include "model/provenance.h"
#include "model/result.h"
#include "model/task.h"
#include "xml/xml.h"

namespace m2z::zimbra {

// One sub-request: its element as the request builders make it (without requestId).
struct BatchItem {
  std::string request_name;  // "GetAppointmentRequest", ...
  std::string body;
  std::optional<model::Provenance> source;
};

struct UidLookup {
  std::string uid;
  const model::Provenance* source = nullptr;
};

struct TaskWrite {
  const model::Task* task = nullptr;
  const model::Provenance* source = nullptr;  // null: the task's own
  std::string uid;                            // empty: derived from the provenance
};

struct ContactWrite {
  const model::Contact* contact = nullptr;
  const model::Provenance* source = nullptr;  // null: the contact's own
  std::string fingerprint;                    // empty: the send is not looked up after a loss
};

// Sub-requests per BatchRequest accepted by the client (and by --batch-size); a larger window
// is split. Zimbra sets no documented limit; this keeps one envelope well inside its 10 MB
// default request size (zimbraFileUploadMaxSize does not apply to SOAP, soap.txt).
inline constexpr std::size_t kMaxBatchItems = 100;

// The body element with requestId="id" added to its start tag. Errors: "request.invalid" when
// the text does not start with an element.
[[nodiscard]] Result<std::string> withRequestId(std::string_view body, std::size_t id);
// <BatchRequest xmlns="urn:zimbra" onerror="continue"> around bodies already tagged 1..n.
std::string buildBatchRequest(const std::vector<std::string>& tagged_bodies);
// The answer element (a response, or a soap:Fault) for each requestId 1..count, by position;
// nullopt where the BatchResponse holds none for it.
std::vector<std::optional<xml::Element>> readBatchResponse(const xml::Element& batch_response, std::size_t count);

}  // namespace m2z::zimbra
