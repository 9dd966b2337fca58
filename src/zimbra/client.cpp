#include "zimbra/client.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <fstream>
#include <random>
#include <utility>
#include <vector>

#include <openssl/evp.h>

#include "zimbra/dry_run_transport.h"

namespace m2z::zimbra {

namespace {

constexpr std::string_view kAuthRequest = "AuthRequest";
constexpr std::string_view kRedacted = "[redacted]";
// Internal to this file: call() stopped because a send may have been carried out although its
// answer never came; setAppointment looks before it sends again. Never returned to callers.
constexpr std::string_view kOutcomeUnknown = "client.outcome_unknown";

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

std::uint64_t jitterSeed(const std::optional<std::uint64_t>& fixed) {
  if (fixed) return *fixed;
  try {
    std::random_device device;
    return (std::uint64_t{device()} << 32) ^ device();
  } catch (...) {
    // No entropy source: the jitter only has to differ between clients, not be secret.
    return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
}

// zimbraAccount.xsd (GetPrefs/ModifyPrefs) where the folder has it: older copies may lack it.
std::vector<std::string> schemaFiles(const std::string& dir) {
  std::vector<std::string> files{dir + "/zimbra.xsd", dir + "/zimbraMail.xsd", dir + "/zimbraAdmin.xsd"};
  if (std::ifstream(dir + "/zimbraAccount.xsd").good()) files.push_back(dir + "/zimbraAccount.xsd");
  return files;
}

std::string describeContext(std::string_view request_name, const model::Provenance* about) {
  return about != nullptr ? about->describe() : std::string(request_name);
}

}  // namespace

const char* toString(ExchangeOutcome outcome) {
  switch (outcome) {
    case ExchangeOutcome::kOk: return "ok";
    case ExchangeOutcome::kFault: return "fault";
    case ExchangeOutcome::kTransportError: return "transport-error";
    case ExchangeOutcome::kInvalidRequest: return "invalid-request";
    case ExchangeOutcome::kDryRun: return "dry-run";
  }
  return "transport-error";
}

ZimbraClient::ZimbraClient(ServerConfig config, std::unique_ptr<Transport> transport,
                           std::unique_ptr<xml::SchemaValidator> validator, ExchangeObserver* observer,
                           ClientEnvironment environment)
    : config_(std::move(config)),
      transport_(std::move(transport)),
      validator_(std::move(validator)),
      observer_(observer),
      own_clock_(environment.clock != nullptr ? nullptr : std::make_unique<SteadyWaitClock>()),
      clock_(environment.clock != nullptr ? environment.clock : own_clock_.get()),
      policy_(config_.retry, jitterSeed(environment.jitter_seed)),
      // A bucket of one: Zimbra's DoSFilter counts the requests of the last second, so any
      // burst above the steady rate could cross its limit.
      limiter_(config_.dry_run ? 0.0 : config_.max_requests_per_second, 1.0, *clock_) {
  // With the real clock, every client of this process for one server shares one pace (parallel
  // accounts); a test clock keeps its own limiter so the test controls time.
  if (environment.clock == nullptr && !config_.dry_run && config_.max_requests_per_second > 0) {
    shared_limiter_ = SharedRateLimiter::forServer(config_.admin_url, config_.max_requests_per_second);
  }
}

std::chrono::nanoseconds ZimbraClient::pace() {
  return shared_limiter_ ? shared_limiter_->acquire() : limiter_.acquire();
}

ZimbraClient::~ZimbraClient() = default;

Result<std::unique_ptr<ZimbraClient>> ZimbraClient::create(ServerConfig config, ExchangeObserver* observer) {
  // A dry run opens no connection, so it needs no curl handle (and prints no TLS warning).
  if (config.dry_run) return create(std::move(config), std::make_unique<DryRunTransport>(), observer);
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
                                                           ExchangeObserver* observer, ClientEnvironment environment) {
  // The admin password and every item travel in these requests: plain http is not offered.
  if (!startsWithNoCase(config.admin_url, "https://")) {
    return Error{"config.url", "the admin URL must be https:// (e.g. https://host:7071/service/admin/soap)",
                 config.admin_url};
  }
  if (config.admin_user.empty()) return Error{"config.credentials", "no admin user given", ""};
  if (config.admin_password.empty()) return Error{"config.credentials", "no admin password given", config.admin_user};
  if (config.timeout_seconds <= 0) return Error{"config.timeout", "the timeout must be positive", ""};
  if (std::string problem = checkRetryConfig(config.retry); !problem.empty()) {
    return Error{"config.retry", problem, ""};
  }
  if (!std::isfinite(config.max_requests_per_second) || config.max_requests_per_second < 0) {
    return Error{"config.rate", "max_requests_per_second must be 0 (no limit) or positive", ""};
  }
  if (config.dry_run) {
    transport = std::make_unique<DryRunTransport>();
  } else if (!transport) {
    return Error{"config.transport", "no transport given", ""};
  }
  std::unique_ptr<xml::SchemaValidator> validator;
  if (!config.schema_dir.empty()) {
    const std::string& dir = config.schema_dir;
    Result<std::unique_ptr<xml::SchemaValidator>> loaded =
        xml::SchemaValidator::load(schemaFiles(dir));
    if (!loaded) return loaded.error();
    validator = std::move(loaded).value();
  }
  return std::unique_ptr<ZimbraClient>(new ZimbraClient(std::move(config), std::move(transport), std::move(validator),
                                                        observer, environment));
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

ZimbraClient::Attempt ZimbraClient::sendOnce(std::string_view request_name, std::string_view account,
                                             const std::string& body, const model::Provenance* about) {
  Attempt attempt{Exchange{}, Error{}, false};
  Exchange& exchange = attempt.exchange;
  exchange.request_name = std::string(request_name);
  exchange.account = std::string(account);
  if (about != nullptr) exchange.source = *about;
  const bool is_auth = request_name == kAuthRequest;
  exchange.request_xml = buildEnvelope(RequestContext{is_auth ? std::string() : auth_token_, std::string(account)}, body);
  exchange.secrets.push_back(is_auth ? config_.admin_password : auth_token_);
  const std::string context = describeContext(request_name, about);

  const auto fail = [&](ExchangeOutcome outcome, Error error) {
    error = redact(std::move(error));
    exchange.outcome = outcome;
    exchange.error = error.describe();
    attempt.result = std::move(error);
    return std::move(attempt);
  };

  stats_.rate_limit_waited += std::chrono::duration_cast<std::chrono::milliseconds>(pace());
  Result<HttpResponse> response =
      transport_->post(config_.admin_url, exchange.request_xml, {{"Content-Type", std::string(kSoapContentType)}});
  exchange.sent = true;
  ++stats_.requests_sent;
  if (!response) {
    const Error& error = response.error();
    return fail(ExchangeOutcome::kTransportError, Error{error.code, error.message, context + " via " + config_.admin_url});
  }
  stats_.connections_opened += response->new_connections;
  exchange.http_status = response->status;
  exchange.duration_ms = response->duration.count();
  exchange.response_xml = response->body;

  Result<SoapResponse> parsed = parseSoapResponse(response->body);
  if (!parsed) {
    if (response->status != 200) {
      return fail(ExchangeOutcome::kTransportError,
                  Error{"transport.http",
                        "HTTP " + std::to_string(response->status) + " without a SOAP reply (" + parsed.error().message + ")",
                        context + " via " + config_.admin_url});
    }
    return fail(ExchangeOutcome::kTransportError, Error{"soap.malformed", parsed.error().message, context});
  }
  attempt.answered = true;
  if (parsed->fault) {
    exchange.fault_code = parsed->fault->code;
    return fail(ExchangeOutcome::kFault, Error{parsed->fault->code, parsed->fault->reason, context});
  }
  if (is_auth) {
    // The new token is in this response; the observer must be able to redact it.
    if (Result<std::string> token = readAuthToken(parsed->body)) exchange.secrets.push_back(*token);
  }
  exchange.outcome = ExchangeOutcome::kOk;
  attempt.result = std::move(parsed);
  return attempt;
}

Result<SoapResponse> ZimbraClient::callDryRun(std::string_view request_name, std::string_view account,
                                              const std::string& body, const model::Provenance* about) {
  Exchange exchange;
  exchange.request_name = std::string(request_name);
  exchange.account = std::string(account);
  if (about != nullptr) exchange.source = *about;
  const bool is_auth = request_name == kAuthRequest;
  exchange.request_xml = buildEnvelope(RequestContext{is_auth ? std::string() : auth_token_, std::string(account)}, body);
  exchange.secrets.push_back(is_auth ? config_.admin_password : auth_token_);
  exchange.outcome = ExchangeOutcome::kDryRun;
  // The synthetic answer is for the pipeline only: the audit records that nothing was sent and
  // nothing came back.
  Result<HttpResponse> answer = transport_->post(config_.admin_url, exchange.request_xml, {});
  if (Status reported = report(std::move(exchange)); !reported) return reported.error();
  if (!answer) return answer.error();
  Result<SoapResponse> parsed = parseSoapResponse(answer->body);
  if (!parsed) return parsed.error();
  if (parsed->fault) return Error{parsed->fault->code, parsed->fault->reason, describeContext(request_name, about)};
  return parsed;
}

Result<SoapResponse> ZimbraClient::call(std::string_view request_name, std::string_view account, const std::string& body,
                                        const model::Provenance* about) {
  CallState state;
  state.outage_key = std::string(account);
  return call(request_name, account, body, about, state);
}

Result<SoapResponse> ZimbraClient::call(std::string_view request_name, std::string_view account, const std::string& body,
                                        const model::Provenance* about, CallState& state) {
  const bool is_auth = request_name == kAuthRequest;
  const std::string context = describeContext(request_name, about);
  if (!is_auth && !connected()) {
    return Error{"client.not_connected", "connect() must succeed before " + std::string(request_name), context};
  }
  if (validator_ && !state.prevalidated) {
    const std::vector<std::string> problems = validator_->validate(body, request_name);
    if (!problems.empty()) {
      Exchange refused;
      refused.request_name = std::string(request_name);
      refused.account = std::string(account);
      if (about != nullptr) refused.source = *about;
      refused.request_xml =
          buildEnvelope(RequestContext{is_auth ? std::string() : auth_token_, std::string(account)}, body);
      refused.secrets.push_back(is_auth ? config_.admin_password : auth_token_);
      refused.outcome = ExchangeOutcome::kInvalidRequest;
      Error error = redact(Error{"request.invalid",
                                 "the " + std::string(request_name) +
                                     " body does not validate against the Zimbra schemas, so it was not sent: " +
                                     joined(problems),
                                 context});
      refused.error = error.describe();
      if (Status reported = report(std::move(refused)); !reported) return reported.error();
      return error;
    }
  }
  if (config_.dry_run) return callDryRun(request_name, account, body, about);

  for (;;) {
    const WaitClock::TimePoint started = clock_->now();
    Attempt attempt = sendOnce(request_name, account, body, about);
    ++state.history.sends;
    if (state.history.sends > 1) ++stats_.retries;
    Exchange& exchange = attempt.exchange;
    exchange.attempt = state.history.sends;
    if (attempt.result) {
      // A renewed token says the server is up, not that the account's mailbox is back.
      if (!is_auth || state.outage_key.empty()) outages_.erase(state.outage_key);
      if (Status reported = report(std::move(exchange)); !reported) return reported.error();
      return std::move(attempt.result);
    }

    const Error error = attempt.result.error();
    const int http_status = exchange.http_status;
    const FailureKind kind = RetryPolicy::classify(error.code, http_status, !is_auth);
    std::chrono::milliseconds outage{0};
    if (kind == FailureKind::kUnavailable || kind == FailureKind::kInTransit) {
      const auto since = outages_.try_emplace(state.outage_key, started).first;  // kept if already there
      outage = std::chrono::duration_cast<std::chrono::milliseconds>(clock_->now() - since->second);
    } else if (attempt.answered && !is_auth) {
      outages_.erase(state.outage_key);  // the server answered about the request itself: it is up
    }
    if (kind == FailureKind::kInTransit) ++state.history.lost_in_transit;

    const RetryDecision decision = policy_.decide(kind, error.code, state.history, outage);
    exchange.will_retry = decision.action == RetryAction::kWaitAndRetry || decision.action == RetryAction::kRenewToken;
    exchange.retry_delay_ms = decision.delay.count();
    exchange.retry_reason = decision.reason;
    if (Status reported = report(std::move(exchange)); !reported) return reported.error();

    switch (decision.action) {
      case RetryAction::kGiveUp: return error;
      case RetryAction::kPause:
        if (state.outage_key.empty()) {
          // The admin connection itself (connect()): no account to pause; say why it stopped.
          return Error{error.code,
                       error.message + " (the server stayed unavailable for " +
                           std::to_string(std::chrono::duration_cast<std::chrono::seconds>(outage).count()) +
                           " s, the retry.max_wait limit)",
                       error.context};
        }
        return Error{std::string(kPausedCode),
                     "the account " + state.outage_key + " stayed unavailable for " +
                         std::to_string(std::chrono::duration_cast<std::chrono::seconds>(outage).count()) +
                         " s (limit retry.max_wait " + std::to_string(config_.retry.max_wait.count()) +
                         " s); a later run resumes it. Last failure: " + error.code + ": " + error.message,
                     context};
      case RetryAction::kRenewToken: {
        state.history.renewed_token = true;
        ++stats_.token_renewals;
        // Admin tokens expire (12 hours by default): a long migration renews its token and
        // carries on rather than failing every remaining item.
        if (Status renewed = authenticate(state.outage_key); !renewed) return renewed.error();
        continue;
      }
      case RetryAction::kWaitAndRetry:
        clock_->sleepFor(decision.delay);
        stats_.backoff_waited += decision.delay;
        if (state.stop_when_outcome_unknown && RetryPolicy::mayHaveTakenEffect(error.code, http_status)) {
          return Error{std::string(kOutcomeUnknown), error.message, error.context};
        }
        continue;
    }
  }
}

Status ZimbraClient::authenticate(std::string_view outage_key) {
  // The old token stays until a new one arrives: a renewal that fails for now (maintenance)
  // leaves the client connected, so the next call retries rather than refusing to start.
  CallState state;
  state.outage_key = std::string(outage_key);
  const std::string body = buildAdminAuthRequest(config_.admin_user, config_.admin_password);
  Result<SoapResponse> response = call(kAuthRequest, "", body, nullptr, state);
  if (!response) return response.error();
  Result<std::string> token = readAuthToken(response->body);
  if (!token) return token.error();
  auth_token_ = std::move(token).value();
  return {};
}

Status ZimbraClient::connect() {
  auth_token_.clear();
  return authenticate("");
}

Result<ItemRef> ZimbraClient::createFolder(std::string_view account, std::string_view parent_id, std::string_view name,
                                           const model::Provenance* about, std::string_view view) {
  Result<std::string> body = buildCreateFolderRequest(parent_id, name, view);
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
                                             const model::Appointment& appointment, const model::Provenance* about,
                                             const std::vector<std::string>& attachment_aids) {
  if (about == nullptr) about = &appointment.provenance;
  Result<std::string> body = buildSetAppointmentRequest(appointment, folder_id, account, attachment_aids);
  if (!body) {
    if (Status reported = reportUnbuilt("SetAppointmentRequest", account, about, body.error()); !reported) {
      return reported.error();
    }
    return body.error();
  }
  CallState state;
  state.outage_key = std::string(account);
  state.stop_when_outcome_unknown = !appointment.uid.empty() && !config_.dry_run;
  for (;;) {
    Result<SoapResponse> response = call("SetAppointmentRequest", account, *body, about, state);
    if (response) return readSetAppointment(response->body, folder_id);
    if (response.error().code != kOutcomeUnknown) return response.error();
    // The connection died after the request went out, so the server may have stored it: look
    // before sending it again, so that a retry never leaves a second copy.
    Result<std::optional<ItemRef>> found = findAppointmentByUid(account, appointment.uid, about);
    if (!found) return found.error();
    if (found->has_value()) return std::move(**found);
  }
}

// ---- Contacts, contact groups and tasks ----------------------------------------------------

Result<std::optional<ItemRef>> ZimbraClient::findContactByFingerprint(std::string_view account,
                                                                      std::string_view folder_id,
                                                                      std::string_view fingerprint,
                                                                      const model::Provenance* about) {
  Result<std::vector<StoredContact>> contacts = getContacts(account, folder_id, about);
  if (!contacts) return contacts.error();
  for (const StoredContact& contact : *contacts) {
    const auto it = contact.attrs.find(std::string(kSourceFingerprintAttribute));
    if (it != contact.attrs.end() && it->second == fingerprint) {
      return std::optional<ItemRef>{ItemRef{contact.id, contact.folder_id, "", std::nullopt}};
    }
  }
  return std::optional<ItemRef>{};
}

Result<ItemRef> ZimbraClient::sendContact(std::string_view account, std::string_view folder_id, const std::string& body,
                                          std::string_view fingerprint, const model::Provenance* about) {
  CallState state;
  state.outage_key = std::string(account);
  state.stop_when_outcome_unknown = !fingerprint.empty() && !config_.dry_run;
  for (;;) {
    Result<SoapResponse> response = call("CreateContactRequest", account, body, about, state);
    if (response) return readCreatedContact(response->body, folder_id);
    if (response.error().code != kOutcomeUnknown) return response.error();
    // Contacts have no UID: the fingerprint attribute is what tells whether the lost send
    // was stored, so a resend never leaves a second copy.
    Result<std::optional<ItemRef>> found = findContactByFingerprint(account, folder_id, fingerprint, about);
    if (!found) return found.error();
    if (found->has_value()) return std::move(**found);
  }
}

Result<ItemRef> ZimbraClient::createContact(std::string_view account, std::string_view folder_id,
                                            const model::Contact& contact, const model::Provenance* source,
                                            std::string_view fingerprint, std::string_view image_aid) {
  if (source == nullptr) source = &contact.provenance;
  Result<std::string> body = buildCreateContactRequest(contact, folder_id, fingerprint, image_aid);
  if (!body) return unbuilt<ItemRef>("CreateContactRequest", account, source, body.error());
  return sendContact(account, folder_id, *body, fingerprint, source);
}

Result<ItemRef> ZimbraClient::createContactGroup(std::string_view account, std::string_view folder_id,
                                                 const model::DistList& list, const model::Provenance* source,
                                                 const std::vector<GroupMember>& members,
                                                 std::string_view fingerprint) {
  if (source == nullptr) source = &list.provenance;
  Result<std::string> body = buildCreateContactGroupRequest(list, members, folder_id, fingerprint);
  if (!body) return unbuilt<ItemRef>("CreateContactRequest", account, source, body.error());
  return sendContact(account, folder_id, *body, fingerprint, source);
}

Result<ItemRef> ZimbraClient::createContactGroup(std::string_view account, std::string_view folder_id,
                                                 const model::DistList& list, const model::Provenance* source) {
  return createContactGroup(account, folder_id, list, source, inlineMembers(list), {});
}

std::vector<GroupMember> ZimbraClient::inlineMembers(const model::DistList& list) {
  std::vector<GroupMember> members;
  for (const model::DistListMember& member : list.members) {
    if (member.email.find('@') == std::string::npos) continue;
    members.push_back({"I", inlineMemberValue(member.display_name, member.email)});
  }
  return members;
}

std::string ZimbraClient::taskUid(std::string_view stable_key) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(stable_key.data(), stable_key.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string uid = "mapi2zimbra-task-";
  // 128 bits are plenty to keep the tasks of one mailbox apart.
  for (unsigned int i = 0; i < length && i < 16; ++i) {
    uid.push_back(kHex[digest[i] >> 4]);
    uid.push_back(kHex[digest[i] & 0x0f]);
  }
  return uid;
}

Result<std::optional<ItemRef>> ZimbraClient::findTaskByUid(std::string_view account, std::string_view uid,
                                                           const model::Provenance* source) {
  if (uid.empty()) {
    return Error{"request.invalid_item", "a task without a UID cannot be looked up",
                 source != nullptr ? source->describe() : std::string("GetTaskRequest")};
  }
  Result<SoapResponse> response = call("GetTaskRequest", account, buildGetTaskByUidRequest(uid), source);
  if (!response) {
    const std::string& code = response.error().code;
    if (code == "mail.NO_SUCH_TASK" || code == "mail.NO_SUCH_CALITEM" || code == "mail.NO_SUCH_APPT") {
      return std::optional<ItemRef>{};
    }
    return response.error();
  }
  Result<std::optional<StoredTask>> task = readTask(response->body);
  if (!task) return task.error();
  if (!task->has_value()) return std::optional<ItemRef>{};
  return std::optional<ItemRef>{ItemRef{(*task)->id, (*task)->folder_id, "", std::nullopt}};
}

Result<ItemRef> ZimbraClient::setTask(std::string_view account, std::string_view folder_id, const model::Task& task,
                                      const model::Provenance* source, std::string_view uid) {
  if (source == nullptr) source = &task.provenance;
  const std::string sent_uid = uid.empty() ? taskUid(task.provenance.describe()) : std::string(uid);
  Result<std::string> body = buildSetTaskRequest(task, folder_id, sent_uid);
  if (!body) return unbuilt<ItemRef>("SetTaskRequest", account, source, body.error());
  CallState state;
  state.outage_key = std::string(account);
  state.stop_when_outcome_unknown = !config_.dry_run;
  for (;;) {
    Result<SoapResponse> response = call("SetTaskRequest", account, *body, source, state);
    if (response) return readSetTask(response->body, folder_id);
    if (response.error().code != kOutcomeUnknown) return response.error();
    Result<std::optional<ItemRef>> found = findTaskByUid(account, sent_uid, source);
    if (!found) return found.error();
    if (found->has_value()) return std::move(**found);
  }
}

Result<std::vector<StoredContact>> ZimbraClient::getContacts(std::string_view account, std::string_view folder_id,
                                                             const model::Provenance* source) {
  Result<SoapResponse> response = call("GetContactsRequest", account, buildGetContactsRequest(folder_id), source);
  if (!response) return response.error();
  return readContacts(response->body);
}

Result<std::vector<StoredTask>> ZimbraClient::getTasks(std::string_view account, std::string_view folder_id,
                                                       const model::Provenance* source) {
  constexpr int kPage = 500;
  // A bound on pages, so a server that always says "more" cannot keep us here forever.
  constexpr int kMaxPages = 10'000;
  std::vector<std::string> ids;
  for (int page = 0; page < kMaxPages; ++page) {
    Result<SoapResponse> response =
        call("SearchRequest", account, buildSearchTasksRequest(folder_id, kPage, page * kPage), source);
    if (!response) return response.error();
    Result<TaskSearchPage> hits = readTaskSearch(response->body);
    if (!hits) return hits.error();
    ids.insert(ids.end(), hits->ids.begin(), hits->ids.end());
    if (!hits->more || hits->ids.empty()) break;
  }
  std::vector<StoredTask> tasks;
  for (const std::string& id : ids) {
    Result<SoapResponse> response = call("GetTaskRequest", account, buildGetTaskByIdRequest(id), source);
    if (!response) return response.error();
    Result<std::optional<StoredTask>> task = readTask(response->body);
    if (!task) return task.error();
    if (task->has_value()) tasks.push_back(std::move(**task));
  }
  return tasks;
}

// ---- Mail filter rules and preferences ----

Result<std::vector<StoredFilterRule>> ZimbraClient::getFilterRules(std::string_view account,
                                                                   const model::Provenance* source) {
  Result<SoapResponse> response = call("GetFilterRulesRequest", account, buildGetFilterRulesRequest(), source);
  if (!response) {
    return response.error();
  }
  return readFilterRules(response->body);
}

Status ZimbraClient::modifyFilterRules(std::string_view account, const std::vector<std::string>& rule_xml_fragments,
                                       const model::Provenance* source) {
  Result<SoapResponse> response =
      call("ModifyFilterRulesRequest", account, buildModifyFilterRulesRequest(rule_xml_fragments), source);
  if (!response) return response.error();
  return {};
}

Result<std::map<std::string, std::vector<std::string>>> ZimbraClient::getPrefs(std::string_view account,
                                                                                const std::vector<std::string>& names,
                                                                                const model::Provenance* source) {
  Result<SoapResponse> response = call("GetPrefsRequest", account, buildGetPrefsRequest(names), source);
  if (!response) {
    return response.error();
  }
  return readPrefs(response->body);
}

Status ZimbraClient::modifyPrefs(std::string_view account, const std::vector<std::pair<std::string, std::string>>& prefs,
                                 const model::Provenance* source) {
  Result<std::string> body = buildModifyPrefsRequest(prefs);
  if (!body) {
    if (Status reported = reportUnbuilt("ModifyPrefsRequest", account, source, body.error()); !reported) {
      return reported.error();
    }
    return body.error();
  }
  Result<SoapResponse> response = call("ModifyPrefsRequest", account, *body, source);
  if (!response) return response.error();
  return {};
}

// ---- Attachment uploads ----------------------------------------------------------------------

namespace {

constexpr std::string_view kUploadExchange = "FileUpload";
constexpr std::string_view kTooLarge = "attachment.too_large";

std::string sha256Hex(std::span<const std::uint8_t> content) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(content.data(), content.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0f]);
  }
  return hex;
}

std::string xmlAttribute(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '"': out += "&quot;"; break;
      default:
        // Control characters have no place in an XML attribute: shown as '?'.
        out.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
    }
  }
  return out;
}

// A file name for a quoted-string header parameter (RFC 6266): quotes, backslashes and line
// breaks would end or split the header, so they become '_'.
std::string headerFilename(std::string_view name) {
  std::string out;
  for (char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(c == '"' || c == '\\' || byte < 0x20 || byte == 0x7f ? '_' : c);
  }
  return out.empty() ? std::string("attachment") : out;
}

// Content-Disposition for an upload: a non-ASCII name also goes as RFC 5987 filename*
// (UTF-8, percent-encoded), with an ASCII stand-in ('_' per byte) as the plain filename.
std::string contentDisposition(std::string_view name) {
  const std::string plain = headerFilename(name);
  const bool ascii = std::all_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return "attachment; filename=\"" + plain + "\"";
  std::string fallback;
  for (char c : plain) fallback.push_back(static_cast<unsigned char>(c) < 0x80 ? c : '_');
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos) {
      encoded.push_back(c);
    } else {
      encoded += '%';
      encoded.push_back(kHex[byte >> 4]);
      encoded.push_back(kHex[byte & 0x0f]);
    }
  }
  return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace

std::string ZimbraClient::uploadUrl(std::string_view admin_url) {
  const std::size_t scheme = admin_url.find("://");
  const std::size_t host_start = scheme == std::string_view::npos ? 0 : scheme + 3;
  const std::size_t path = admin_url.find('/', host_start);
  return std::string(admin_url.substr(0, path)) + "/service/upload?fmt=raw,extended";
}

Result<std::string> ZimbraClient::readUploadAnswer(std::string_view body) {
  // FileUploadServlet's raw answer: <status>,'<request id>',<ids>, the ids being '<aid>' for
  // fmt=raw and [{"aid":"..","ct":"..","filename":"..","s":N}] for fmt=raw,extended.
  const std::size_t comma = body.find(',');
  std::string_view status = body.substr(0, comma == std::string_view::npos ? body.size() : comma);
  while (!status.empty() && std::isspace(static_cast<unsigned char>(status.front()))) status.remove_prefix(1);
  const std::string excerpt(body.substr(0, std::min<std::size_t>(body.size(), 200)));
  if (status.substr(0, 3) != "200" || comma == std::string_view::npos) {
    if (status.substr(0, 3) == "413") return Error{std::string(kTooLarge), "the server refused the upload as too large", excerpt};
    return Error{"upload.failed", "the upload servlet did not accept the file", excerpt};
  }
  std::string_view rest = body.substr(comma + 1);
  std::string aid;
  if (const std::size_t key = rest.find("\"aid\""); key != std::string_view::npos) {
    const std::size_t open = rest.find('"', rest.find(':', key) + 1);
    const std::size_t close = open == std::string_view::npos ? open : rest.find('"', open + 1);
    if (close != std::string_view::npos) aid = std::string(rest.substr(open + 1, close - open - 1));
  } else if (const std::size_t second = rest.find(','); second != std::string_view::npos) {
    const std::size_t open = rest.find('\'', second);
    const std::size_t close = open == std::string_view::npos ? open : rest.find('\'', open + 1);
    if (close != std::string_view::npos) aid = std::string(rest.substr(open + 1, close - open - 1));
  }
  if (aid.empty() || aid == "null") return Error{"upload.failed", "the upload servlet answered without an upload id", excerpt};
  return aid;
}

Result<std::string> ZimbraClient::uploadAttachment(std::string_view account, std::string_view name,
                                                   std::string_view mime_type, std::span<const std::uint8_t> content,
                                                   const model::Provenance* source) {
  const std::string context = describeContext(kUploadExchange, source) + ", attachment \"" + std::string(name) + "\"";
  const std::string url = uploadUrl(config_.admin_url);
  const std::string type = mime_type.empty() ? std::string("application/octet-stream") : std::string(mime_type);
  // What the audit keeps of an upload: what it was, never what it held.
  const std::string described = "<upload name=\"" + xmlAttribute(name) + "\" contentType=\"" + xmlAttribute(type) +
                                "\" size=\"" + std::to_string(content.size()) + "\" sha256=\"" + sha256Hex(content) +
                                "\"/>";
  Exchange base;
  base.request_name = std::string(kUploadExchange);
  base.account = std::string(account);
  if (source != nullptr) base.source = *source;
  base.request_xml = described;

  if (config_.max_upload_bytes > 0 && content.size() > static_cast<std::uint64_t>(config_.max_upload_bytes)) {
    Error error{std::string(kTooLarge),
                std::to_string(content.size()) + " bytes is over the upload limit of " +
                    std::to_string(config_.max_upload_bytes) + " bytes (zimbraFileUploadMaxSize); not sent",
                context};
    Exchange refused = base;
    refused.outcome = ExchangeOutcome::kInvalidRequest;
    refused.error = error.describe();
    if (Status reported = report(std::move(refused)); !reported) return reported.error();
    return error;
  }
  if (config_.dry_run) {
    const std::string aid = "dry-run-upload-" + std::to_string(next_dry_run_upload_++);
    Exchange rehearsed = base;
    rehearsed.outcome = ExchangeOutcome::kDryRun;
    if (Status reported = report(std::move(rehearsed)); !reported) return reported.error();
    return aid;
  }
  if (!connected()) return Error{"client.not_connected", "connect() must succeed before an upload", context};

  CallState state;
  state.outage_key = std::string(account);
  const std::string_view body(reinterpret_cast<const char*>(content.data()), content.size());
  for (;;) {
    const WaitClock::TimePoint started = clock_->now();
    Exchange exchange = base;
    exchange.secrets.push_back(auth_token_);
    ++state.history.sends;
    exchange.attempt = state.history.sends;
    if (state.history.sends > 1) ++stats_.retries;
    stats_.rate_limit_waited += std::chrono::duration_cast<std::chrono::milliseconds>(pace());
    // The admin port's servlet reads ZM_ADMIN_AUTH_TOKEN, the user port's ZM_AUTH_TOKEN.
    const std::vector<HttpHeader> headers{
        {"Content-Type", type},
        {"Content-Disposition", contentDisposition(name)},
        {"Cookie", "ZM_ADMIN_AUTH_TOKEN=" + auth_token_ + "; ZM_AUTH_TOKEN=" + auth_token_},
    };
    Result<HttpResponse> response = transport_->post(url, body, headers);
    exchange.sent = true;
    ++stats_.requests_sent;
    Error error;
    bool answered = false;
    if (!response) {
      error = Error{response.error().code, response.error().message, context + " via " + url};
    } else {
      stats_.connections_opened += response->new_connections;
      exchange.http_status = response->status;
      exchange.duration_ms = response->duration.count();
      // The servlet answers plain text; wrapped so the audit keeps it as an XML body.
      exchange.response_xml = "<uploadAnswer>" + xmlAttribute(std::string_view(response->body).substr(0, 4096)) +
                              "</uploadAnswer>";
      answered = true;
      Result<std::string> aid = response->status == 200 ? readUploadAnswer(response->body)
                                                        : Result<std::string>(Error{"transport.http", "", ""});
      if (aid) {
        exchange.outcome = ExchangeOutcome::kOk;
        outages_.erase(state.outage_key);
        if (Status reported = report(std::move(exchange)); !reported) return reported.error();
        return aid;
      }
      if (response->status == 413 || aid.error().code == kTooLarge) {
        error = Error{std::string(kTooLarge), "the server refused the upload as too large (HTTP " +
                                                  std::to_string(response->status) + ")", context};
      } else if (response->status == 401 || response->status == 403) {
        // The servlet answers an unknown or expired token with 401: renew it, as SOAP calls do.
        error = Error{"service.AUTH_REQUIRED", "the upload servlet refused the token (HTTP " +
                                                   std::to_string(response->status) + ")", context};
      } else if (response->status != 200) {
        error = Error{"transport.http", "HTTP " + std::to_string(response->status) + " from the upload servlet",
                      context + " via " + url};
      } else {
        error = Error{aid.error().code, aid.error().message, context};
      }
    }
    error = redact(std::move(error));
    exchange.outcome = answered && exchange.http_status != 0 && error.code != "transport.http"
                           ? ExchangeOutcome::kFault
                           : ExchangeOutcome::kTransportError;
    exchange.fault_code = exchange.outcome == ExchangeOutcome::kFault ? error.code : "";
    exchange.error = error.describe();
    const FailureKind kind = RetryPolicy::classify(error.code, exchange.http_status, true);
    std::chrono::milliseconds outage{0};
    if (kind == FailureKind::kUnavailable || kind == FailureKind::kInTransit) {
      const auto since = outages_.try_emplace(state.outage_key, started).first;
      outage = std::chrono::duration_cast<std::chrono::milliseconds>(clock_->now() - since->second);
    }
    if (kind == FailureKind::kInTransit) ++state.history.lost_in_transit;
    // An upload that may have arrived is harmless to repeat: an unused upload expires.
    const RetryDecision decision = policy_.decide(kind, error.code, state.history, outage);
    exchange.will_retry = decision.action == RetryAction::kWaitAndRetry || decision.action == RetryAction::kRenewToken;
    exchange.retry_delay_ms = decision.delay.count();
    exchange.retry_reason = decision.reason;
    if (Status reported = report(std::move(exchange)); !reported) return reported.error();
    switch (decision.action) {
      case RetryAction::kGiveUp: return error;
      case RetryAction::kPause:
        return Error{std::string(kPausedCode),
                     "the account " + state.outage_key + " stayed unavailable during an upload. Last failure: " +
                         error.code + ": " + error.message,
                     context};
      case RetryAction::kRenewToken:
        state.history.renewed_token = true;
        ++stats_.token_renewals;
        if (Status renewed = authenticate(state.outage_key); !renewed) return renewed.error();
        continue;
      case RetryAction::kWaitAndRetry:
        clock_->sleepFor(decision.delay);
        stats_.backoff_waited += decision.delay;
        continue;
    }
    return error;
  }
}

}  // namespace m2z::zimbra
