#include "zimbra/client.h"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

namespace m2z::zimbra {

namespace {

constexpr std::string_view kAuthRequest = "AuthRequest";
constexpr std::string_view kRedacted = "[redacted]";

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

void replaceAll(std::string& text, std::string_view secret) {
  if (secret.empty()) return;
  for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + kRedacted.size())) {
    text.replace(at, secret.size(), kRedacted);
  }
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) {
    if (!out.empty()) out += "; ";
    out += line;
  }
  return out;
}

bool isAuthExpiry(const std::string& code) { return code == "service.AUTH_EXPIRED" || code == "service.AUTH_REQUIRED"; }

}  // namespace

const char* toString(ExchangeOutcome outcome) {
  switch (outcome) {
    case ExchangeOutcome::kOk: return "ok";
    case ExchangeOutcome::kFault: return "fault";
    case ExchangeOutcome::kTransportError: return "transport-error";
    case ExchangeOutcome::kInvalidRequest: return "invalid-request";
  }
  return "transport-error";
}

ZimbraClient::ZimbraClient(ServerConfig config, std::unique_ptr<Transport> transport,
                           std::unique_ptr<xml::SchemaValidator> validator, ExchangeObserver* observer)
    : config_(std::move(config)),
      transport_(std::move(transport)),
      validator_(std::move(validator)),
      observer_(observer) {}

ZimbraClient::~ZimbraClient() = default;

Result<std::unique_ptr<ZimbraClient>> ZimbraClient::create(ServerConfig config, ExchangeObserver* observer) {
  TransportOptions options;
  options.ca_file = config.ca_file;
  options.insecure_skip_tls_verify = config.insecure_skip_tls_verify;
  options.timeout_seconds = config.timeout_seconds;
  options.user_agent = "mapi2zimbra";
  Result<std::unique_ptr<CurlTransport>> transport = CurlTransport::create(std::move(options));
  if (!transport) return transport.error();
  return create(std::move(config), std::move(transport).value(), observer);
}

Result<std::unique_ptr<ZimbraClient>> ZimbraClient::create(ServerConfig config, std::unique_ptr<Transport> transport,
                                                           ExchangeObserver* observer) {
  // The admin password and every item travel in these requests: plain http is not offered.
  if (!startsWithNoCase(config.admin_url, "https://")) {
    return Error{"config.url", "the admin URL must be https:// (e.g. https://host:7071/service/admin/soap)",
                 config.admin_url};
  }
  if (config.admin_user.empty()) return Error{"config.credentials", "no admin user given", ""};
  if (config.admin_password.empty()) return Error{"config.credentials", "no admin password given", config.admin_user};
  if (config.timeout_seconds <= 0) return Error{"config.timeout", "the timeout must be positive", ""};
  if (!transport) return Error{"config.transport", "no transport given", ""};
  std::unique_ptr<xml::SchemaValidator> validator;
  if (!config.schema_dir.empty()) {
    const std::string& dir = config.schema_dir;
    Result<std::unique_ptr<xml::SchemaValidator>> loaded =
        xml::SchemaValidator::load({dir + "/zimbra.xsd", dir + "/zimbraMail.xsd", dir + "/zimbraAdmin.xsd"});
    if (!loaded) return loaded.error();
    validator = std::move(loaded).value();
  }
  return std::unique_ptr<ZimbraClient>(
      new ZimbraClient(std::move(config), std::move(transport), std::move(validator), observer));
}

std::string ZimbraClient::redact(std::string text) const {
  replaceAll(text, config_.admin_password);
  replaceAll(text, auth_token_);
  return text;
}

Error ZimbraClient::redact(Error error) const {
  error.message = redact(std::move(error.message));
  error.context = redact(std::move(error.context));
  return error;
}

Status ZimbraClient::report(Exchange exchange) {
  if (observer_ == nullptr) return {};
  // The observer is the audit trail; if it cannot record, the caller must know.
  try {
    observer_->onExchange(exchange);
    return {};
  } catch (const std::exception& e) {
    return Error{"audit.observer", std::string("recording the exchange failed: ") + e.what(), exchange.request_name};
  } catch (...) {
    return Error{"audit.observer", "recording the exchange failed", exchange.request_name};
  }
}

Status ZimbraClient::reportUnbuilt(std::string_view request_name, std::string_view account,
                                   const model::Provenance* about, const Error& error) {
  Exchange unbuilt;
  unbuilt.request_name = std::string(request_name);
  unbuilt.account = std::string(account);
  if (about != nullptr) unbuilt.source = *about;
  unbuilt.outcome = ExchangeOutcome::kInvalidRequest;
  unbuilt.error = redact(error).describe();
  return report(std::move(unbuilt));
}

Result<SoapResponse> ZimbraClient::callOnce(std::string_view request_name, std::string_view account,
                                            const std::string& body, const model::Provenance* about) {
  Exchange exchange;
  exchange.request_name = std::string(request_name);
  exchange.account = std::string(account);
  if (about != nullptr) exchange.source = *about;
  const bool is_auth = request_name == kAuthRequest;
  exchange.request_xml = buildEnvelope(RequestContext{is_auth ? std::string() : auth_token_, std::string(account)}, body);
  if (is_auth) {
    exchange.secrets.push_back(config_.admin_password);
  } else {
    exchange.secrets.push_back(auth_token_);
  }
  const std::string context = about != nullptr ? about->describe() : std::string(request_name);

  // Fails the exchange: reports it and returns the error (or the observer's, if that failed).
  const auto fail = [&](ExchangeOutcome outcome, Error error) -> Result<SoapResponse> {
    error = redact(std::move(error));
    exchange.outcome = outcome;
    exchange.error = error.describe();
    Status reported = report(std::move(exchange));
    if (!reported) return reported.error();
    return error;
  };

  if (validator_) {
    const std::vector<std::string> problems = validator_->validate(body, request_name);
    if (!problems.empty()) {
      return fail(ExchangeOutcome::kInvalidRequest, Error{"request.invalid",
                        "the " + std::string(request_name) + " body does not validate against the Zimbra schemas, so it was not sent: " +
                            joined(problems),
                        context});
    }
  }

  Result<HttpResponse> response =
      transport_->post(config_.admin_url, exchange.request_xml, {{"Content-Type", std::string(kSoapContentType)}});
  exchange.sent = true;
  if (!response) {
    const Error& error = response.error();
    return fail(ExchangeOutcome::kTransportError, Error{error.code, error.message, context + " via " + config_.admin_url});
  }
  exchange.http_status = response->status;
  exchange.duration_ms = response->duration.count();
  exchange.response_xml = response->body;

  Result<SoapResponse> parsed = parseSoapResponse(response->body);
  if (!parsed) {
    if (response->status != 200) {
      return fail(ExchangeOutcome::kTransportError, Error{"transport.http",
                        "HTTP " + std::to_string(response->status) + " without a SOAP reply (" + parsed.error().message + ")",
                        context + " via " + config_.admin_url});
    }
    return fail(ExchangeOutcome::kTransportError, Error{"soap.malformed", parsed.error().message, context});
  }
  if (parsed->fault) {
    exchange.fault_code = parsed->fault->code;
    return fail(ExchangeOutcome::kFault, Error{parsed->fault->code, parsed->fault->reason, context});
  }
  if (is_auth) {
    // The new token is in this response; the observer must be able to redact it.
    if (Result<std::string> token = readAuthToken(parsed->body)) exchange.secrets.push_back(*token);
  }
  exchange.outcome = ExchangeOutcome::kOk;
  Status reported = report(std::move(exchange));
  if (!reported) return reported.error();
  return parsed;
}

Result<SoapResponse> ZimbraClient::call(std::string_view request_name, std::string_view account, const std::string& body,
                                        const model::Provenance* about) {
  if (!connected()) {
    return Error{"client.not_connected", "connect() must succeed before " + std::string(request_name),
                 about != nullptr ? about->describe() : std::string(request_name)};
  }
  Result<SoapResponse> result = callOnce(request_name, account, body, about);
  // Admin tokens expire (12 hours by default); a long migration renews its token once and
  // carries on rather than failing every remaining item.
  if (!result && isAuthExpiry(result.error().code)) {
    if (Status renewed = connect(); !renewed) return renewed.error();
    result = callOnce(request_name, account, body, about);
  }
  return result;
}

Status ZimbraClient::connect() {
  auth_token_.clear();
  const std::string body = buildAdminAuthRequest(config_.admin_user, config_.admin_password);
  Result<SoapResponse> response = callOnce(kAuthRequest, "", body, nullptr);
  if (!response) return response.error();
  Result<std::string> token = readAuthToken(response->body);
  if (!token) return token.error();
  auth_token_ = std::move(token).value();
  return {};
}

Result<ItemRef> ZimbraClient::createFolder(std::string_view account, std::string_view parent_id, std::string_view name,
                                           const model::Provenance* about) {
  Result<std::string> body = buildCreateFolderRequest(parent_id, name);
  if (!body) {
    if (Status reported = reportUnbuilt("CreateFolderRequest", account, about, body.error()); !reported) {
      return reported.error();
    }
    return body.error();
  }
  Result<SoapResponse> response = call("CreateFolderRequest", account, *body, about);
  if (!response) return response.error();
  return readCreatedFolder(response->body);
}

Result<std::optional<ItemRef>> ZimbraClient::findAppointmentByUid(std::string_view account, std::string_view uid,
                                                                  const model::Provenance* about) {
  if (uid.empty()) {
    return Error{"request.invalid_item", "an appointment without a UID cannot be looked up",
                 about != nullptr ? about->describe() : std::string("GetAppointmentRequest")};
  }
  Result<SoapResponse> response = call("GetAppointmentRequest", account, buildGetAppointmentRequest(uid), about);
  if (!response) {
    const std::string& code = response.error().code;
    if (code == "mail.NO_SUCH_APPT" || code == "mail.NO_SUCH_CALITEM") return std::optional<ItemRef>{};
    return response.error();
  }
  return readFoundAppointment(response->body);
}

Result<ItemRef> ZimbraClient::setAppointment(std::string_view account, std::string_view folder_id,
                                             const model::Appointment& appointment, const model::Provenance* about) {
  if (about == nullptr) about = &appointment.provenance;
  Result<std::string> body = buildSetAppointmentRequest(appointment, folder_id, account);
  if (!body) {
    if (Status reported = reportUnbuilt("SetAppointmentRequest", account, about, body.error()); !reported) {
      return reported.error();
    }
    return body.error();
  }
  Result<SoapResponse> response = call("SetAppointmentRequest", account, *body, about);
  if (!response) return response.error();
  return readSetAppointment(response->body, folder_id);
}

}  // namespace m2z::zimbra
