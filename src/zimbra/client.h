// ZimbraClient: authenticates as an admin and writes calendar items into accounts over SOAP,
// validating every request body against the server's schemas before it is sent.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "model/appointment.h"
#include "model/provenance.h"
#include "model/result.h"
#include "xml/xml.h"
#include "zimbra/exchange.h"
#include "zimbra/requests.h"
#include "zimbra/soap.h"
#include "zimbra/transport.h"

namespace m2z::zimbra {

struct ServerConfig {
  std::string admin_url;  // https://host:7071/service/admin/soap
  std::string admin_user;
  std::string admin_password;
  std::string ca_file;  // PEM bundle to verify the server with; empty: the system store
  bool insecure_skip_tls_verify = false;
  int timeout_seconds = 60;
  // Folder with zimbra.xsd, zimbraMail.xsd and zimbraAdmin.xsd; when set, every request body is
  // validated before sending and an invalid one is never sent.
  std::string schema_dir;
};

// Not thread-safe: one client per thread. Mail requests go to the admin URL with the admin
// token and <account by="name"> in the context, which Zimbra accepts from admins.
class ZimbraClient {
 public:
  // Makes a CurlTransport (https only; TLS verified unless insecure_skip_tls_verify) and loads
  // the schemas. `observer` (may be null) must outlive the client.
  [[nodiscard]] static Result<std::unique_ptr<ZimbraClient>> create(ServerConfig config,
                                                                    ExchangeObserver* observer = nullptr);
  // The same over any transport (tests use a scripted one).
  [[nodiscard]] static Result<std::unique_ptr<ZimbraClient>> create(ServerConfig config,
                                                                    std::unique_ptr<Transport> transport,
                                                                    ExchangeObserver* observer = nullptr);
  ~ZimbraClient();
  ZimbraClient(const ZimbraClient&) = delete;
  ZimbraClient& operator=(const ZimbraClient&) = delete;

  // Admin AuthRequest; keeps the token. Calls below re-authenticate once if the token expired.
  [[nodiscard]] Status connect();
  bool connected() const { return !auth_token_.empty(); }
  // The current admin token, for callers that redact it from what they write; it changes when
  // the client renews it (Exchange::secrets always has the current one).
  const std::string& authToken() const { return auth_token_; }

  // Creates (or, with fie="1", finds) a calendar folder `name` under `parent_id`.
  [[nodiscard]] Result<ItemRef> createFolder(std::string_view account, std::string_view parent_id,
                                             std::string_view name, const model::Provenance* about = nullptr);
  // The appointment with that iCalendar UID, or nullopt when there is none (mail.NO_SUCH_APPT,
  // or mail.NO_SUCH_CALITEM, which is what Zimbra's GetCalendarItem throws for a UID).
  [[nodiscard]] Result<std::optional<ItemRef>> findAppointmentByUid(std::string_view account, std::string_view uid,
                                                                    const model::Provenance* about = nullptr);
  // SetAppointmentRequest into folder_id; sends no invitations. `about` defaults to the
  // appointment's own provenance.
  [[nodiscard]] Result<ItemRef> setAppointment(std::string_view account, std::string_view folder_id,
                                               const model::Appointment& appointment,
                                               const model::Provenance* about = nullptr);

 private:
  ZimbraClient(ServerConfig config, std::unique_ptr<Transport> transport, std::unique_ptr<xml::SchemaValidator> validator,
               ExchangeObserver* observer);

  // Validates, sends, reads the reply and reports the exchange. A fault becomes an Error whose
  // code is the fault code. An expired token is renewed once and the request sent again.
  Result<SoapResponse> call(std::string_view request_name, std::string_view account, const std::string& body,
                            const model::Provenance* about);
  Result<SoapResponse> callOnce(std::string_view request_name, std::string_view account, const std::string& body,
                                const model::Provenance* about);
  Status report(Exchange exchange);
  Status reportUnbuilt(std::string_view request_name, std::string_view account, const model::Provenance* about,
                       const Error& error);
  // Replaces the password and the token wherever they might appear in text we return.
  std::string redact(std::string text) const;
  Error redact(Error error) const;

  ServerConfig config_;
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<xml::SchemaValidator> validator_;
  ExchangeObserver* observer_;
  std::string auth_token_;
};

}  // namespace m2z::zimbra
