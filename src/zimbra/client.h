// ZimbraClient: authenticates as an admin and writes calendar items into accounts over SOAP,
// validating every request body against the server's schemas before it is sent, and riding out
// the server's bad moments (maintenance, overload, dropped connections, expired tokens).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/appointment.h"
#include "model/provenance.h"
#include "model/result.h"
#include "xml/xml.h"
#include "zimbra/batch_request.h"
#include "zimbra/contact_requests.h"
#include "zimbra/exchange.h"
#include "zimbra/filter_rules.h"
#include "zimbra/rate_limiter.h"
#include "zimbra/shared_rate_limiter.h"
#include "zimbra/requests.h"
#include "zimbra/retry_policy.h"
#include "zimbra/task_requests.h"
#include "zimbra/soap.h"
#include "zimbra/transport.h"
#include "zimbra/prefs_requests.h"
#include "zimbra/wait_clock.h"

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
  // Backoff, attempt limit and how long an account may stay unavailable (then kPausedCode).
  RetryConfig retry;
  // Client-side pacing: Zimbra's DoSFilter rejects (HTTP 503) a client sending more than
  // zimbraHttpDosFilterMaxRequestsPerSec requests in a second, 30 by default. 0 = no limit.
  double max_requests_per_second = 30;
  // Build and validate every request and report it (outcome dry-run) without sending anything
  // or opening a connection: look-ups find nothing and creates get synthetic ids, so a whole
  // run can be rehearsed. No transport is made; one that is given is never used.
  bool dry_run = false;
  // Zimbra's zimbraFileUploadMaxSize (10 MB by default): an attachment or photo larger than this
  // is not uploaded (attachment.too_large) and its item is created without it. 0 = no limit.
  std::int64_t max_upload_bytes = std::int64_t{10} * 1024 * 1024;
};

// What tests replace: time and chance.
struct ClientEnvironment {
  WaitClock* clock = nullptr;  // null: the steady clock and real sleeping; must outlive the client
  std::optional<std::uint64_t> jitter_seed;  // none: seeded from std::random_device
};

// Counts over the client's life, for progress reports and benchmarks.
struct ClientStats {
  std::int64_t requests_sent = 0;       // HTTP requests that went out, every attempt counted
  std::int64_t retries = 0;             // of those, sends after the first of their request
  std::int64_t token_renewals = 0;
  // New connections behind the answered exchanges (keep-alive reuses one for the rest).
  std::int64_t connections_opened = 0;
  std::chrono::milliseconds backoff_waited{0};
  std::chrono::milliseconds rate_limit_waited{0};
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
                                                                    ExchangeObserver* observer = nullptr,
                                                                    ClientEnvironment environment = {});
  ~ZimbraClient();
  ZimbraClient(const ZimbraClient&) = delete;
  ZimbraClient& operator=(const ZimbraClient&) = delete;

  // Admin AuthRequest; keeps the token. Calls below re-authenticate once if the token expired.
  //
  // Every call below (and connect) retries what RetryPolicy calls transient, reporting each
  // attempt to the observer: an account that stays unavailable longer than retry.max_wait makes
  // the call fail with code kPausedCode ("account.paused"); after that, each further call for
  // that account makes one attempt and fails the same way until the account answers again.
  // Other failures fail the call with their own code (the fault code, or transport.*).
  [[nodiscard]] Status connect();
  bool connected() const { return !auth_token_.empty(); }
  bool dryRun() const { return config_.dry_run; }
  const ClientStats& stats() const { return stats_; }
  // The current admin token, for callers that redact it from what they write; it changes when
  // the client renews it (Exchange::secrets always has the current one).
  const std::string& authToken() const { return auth_token_; }

  // Creates (or, with fie="1", finds) a folder `name` under `parent_id` holding `view` items
  // ("appointment", "contact", "task").
  [[nodiscard]] Result<ItemRef> createFolder(std::string_view account, std::string_view parent_id,
                                             std::string_view name, const model::Provenance* about = nullptr,
                                             std::string_view view = "appointment");
  // The appointment with that iCalendar UID, or nullopt when there is none (mail.NO_SUCH_APPT,
  // or mail.NO_SUCH_CALITEM, which is what Zimbra's GetCalendarItem throws for a UID).
  [[nodiscard]] Result<std::optional<ItemRef>> findAppointmentByUid(std::string_view account, std::string_view uid,
                                                                    const model::Provenance* about = nullptr);
  // SetAppointmentRequest into folder_id; sends no invitations. `about` defaults to the
  // appointment's own provenance. When a send may have been carried out without its answer
  // arriving (connection lost, timeout), the UID is looked up before it is sent again, so a
  // retry never stores a second copy: if it is there, that item is returned.
  // `attachment_aids`: uploads (uploadAttachment) to attach to the series' message.
  [[nodiscard]] Result<ItemRef> setAppointment(std::string_view account, std::string_view folder_id,
                                               const model::Appointment& appointment,
                                               const model::Provenance* about = nullptr,
                                               const std::vector<std::string>& attachment_aids = {});

  // ---- Contacts, contact groups and tasks (contact_requests.h, task_requests.h) ----
  // CreateContactRequest into folder_id. `fingerprint` (see kSourceFingerprintAttribute) is
  // stored on the contact; when a send may have been carried out without its answer arriving,
  // the folder's contacts are read and one with that fingerprint is returned instead of sending
  // again. `source` defaults to the item's provenance.
  [[nodiscard]] Result<ItemRef> createContact(std::string_view account, std::string_view folder_id,
                                              const model::Contact& contact, const model::Provenance* source,
                                              std::string_view fingerprint = {}, std::string_view image_aid = {});
  // The same for a distribution list as a contact group with the given members.
  [[nodiscard]] Result<ItemRef> createContactGroup(std::string_view account, std::string_view folder_id,
                                                   const model::DistList& list, const model::Provenance* source,
                                                   const std::vector<GroupMember>& members,
                                                   std::string_view fingerprint);
  // The same with inlineMembers(list) and no fingerprint.
  [[nodiscard]] Result<ItemRef> createContactGroup(std::string_view account, std::string_view folder_id,
                                                   const model::DistList& list, const model::Provenance* source);
  // Inline members for every member with an address, for callers without contact ids to refer to.
  static std::vector<GroupMember> inlineMembers(const model::DistList& list);
  // SetTaskRequest into folder_id with `uid` (empty: derived from the provenance); sends nothing
  // to anyone. A send whose answer was lost is followed by a UID look-up before it is resent.
  [[nodiscard]] Result<ItemRef> setTask(std::string_view account, std::string_view folder_id, const model::Task& task,
                                        const model::Provenance* source, std::string_view uid = {});
  // The task with that UID, or nullopt (mail.NO_SUCH_TASK / NO_SUCH_CALITEM / NO_SUCH_APPT).
  [[nodiscard]] Result<std::optional<ItemRef>> findTaskByUid(std::string_view account, std::string_view uid,
                                                             const model::Provenance* source);
  // Every contact (and group) of a folder with its attributes and members.
  [[nodiscard]] Result<std::vector<StoredContact>> getContacts(std::string_view account, std::string_view folder_id,
                                                               const model::Provenance* source);
  // Every task of a folder (SearchRequest types="task", then GetTaskRequest per task).
  [[nodiscard]] Result<std::vector<StoredTask>> getTasks(std::string_view account, std::string_view folder_id,
                                                         const model::Provenance* source);
  // A task UID derived from a stable key of its source item (the same key, the same UID).
  static std::string taskUid(std::string_view stable_key);

  // ---- Mail filter rules and preferences (filter_rules.h, prefs_requests.h) ----
  // The account's incoming filter rules, in order, each as the canonical XML it was read as.
  [[nodiscard]] Result<std::vector<StoredFilterRule>> getFilterRules(std::string_view account,
                                                                     const model::Provenance* source);
  // ModifyFilterRulesRequest: REPLACES the whole rule set with these <filterRule> fragments.
  [[nodiscard]] Status modifyFilterRules(std::string_view account, const std::vector<std::string>& rule_xml_fragments,
                                         const model::Provenance* source);
  // The values of the named preferences (GetPrefsRequest, urn:zimbraAccount); a name the account
  // has no value for is absent.
  [[nodiscard]] Result<std::map<std::string, std::vector<std::string>>> getPrefs(
      std::string_view account, const std::vector<std::string>& names, const model::Provenance* source);
  // ModifyPrefsRequest with these zimbraPref* values.
  [[nodiscard]] Status modifyPrefs(std::string_view account, const std::vector<std::pair<std::string, std::string>>& prefs,
                                   const model::Provenance* source);

  // ---- Attachment uploads (Zimbra's FileUploadServlet, /service/upload) ----
  // POSTs the raw bytes to https://<admin host:port>/service/upload?fmt=raw,extended with the
  // admin token as cookie and returns the upload id ("aid") the server answered with. The
  // upload belongs to the admin, which is who the mail requests act as (<account by="name">),
  // so CreateContact/SetAppointment for `account` can use it. Retried like SOAP calls (429,
  // 503, connection loss); errors: "attachment.too_large" (over max_upload_bytes, not sent, or
  // HTTP 413 from the server), "upload.failed" (any other refusal), transport.*,
  // account.paused. Every attempt is reported as an exchange "FileUpload" whose request text
  // names the file, its type, size and sha256 (never the content or the token). A dry run sends
  // nothing and answers "dry-run-upload-N".
  [[nodiscard]] Result<std::string> uploadAttachment(std::string_view account, std::string_view name,
                                                     std::string_view mime_type,
                                                     std::span<const std::uint8_t> content,
                                                     const model::Provenance* source);
  // The upload URL for an admin SOAP URL: same scheme, host and port.
  static std::string uploadUrl(std::string_view admin_url);
  // The aid of an upload servlet answer (fmt=raw,extended: 200,'null',[{"aid":"..",...}];
  // fmt=raw: 200,'null','<aid>'), or an error naming the status it carried.
  [[nodiscard]] static Result<std::string> readUploadAnswer(std::string_view body);

  // ---- BatchRequest (batch_request.h): several requests of one account in one round trip ----
  // Each sub-request gets its own Result: a permanent fault fails only its item; a transient
  // fault of one sub-request resends just that one; a transient failure of the whole batch
  // (HTTP 503, maintenance) resends the batch under the RetryPolicy. Every sub-request is also
  // reported as its own exchange after the batch's own. One item (or dry run) goes out alone.
  [[nodiscard]] std::vector<Result<SoapResponse>> batch(std::string_view account, const std::vector<BatchItem>& items);
  // findAppointmentByUid for each lookup, batched.
  [[nodiscard]] std::vector<Result<std::optional<ItemRef>>> findAppointmentsByUid(std::string_view account,
                                                                                const std::vector<UidLookup>& lookups);
  // findTaskByUid for each lookup, batched.
  [[nodiscard]] std::vector<Result<std::optional<ItemRef>>> findTasksByUid(std::string_view account,
                                                                         const std::vector<UidLookup>& lookups);
  // setAppointment for each appointment, batched. When the batch's answer is lost after it may
  // have been carried out, each item is looked up by UID and only the absent ones are sent again.
  [[nodiscard]] std::vector<Result<ItemRef>> setAppointments(std::string_view account, std::string_view folder_id,
                                                             const std::vector<const model::Appointment*>& appointments);
  // setTask for each write, batched, with the same look-up after a lost answer.
  [[nodiscard]] std::vector<Result<ItemRef>> setTasks(std::string_view account, std::string_view folder_id,
                                                      const std::vector<TaskWrite>& writes);
  // createContact for each write, batched; after a lost answer the folder is read once and the
  // contacts found by fingerprint are not sent again.
  [[nodiscard]] std::vector<Result<ItemRef>> createContacts(std::string_view account, std::string_view folder_id,
                                                            const std::vector<ContactWrite>& writes);

 private:
  // The batch round trip: the whole batch's failure (after its retries) as the outer error.
  // Waits for the next request's turn under the rate limit.
  std::chrono::nanoseconds pace();
  Result<std::vector<Result<SoapResponse>>> sendBatch(std::string_view account, const std::vector<BatchItem>& items,
                                                      bool stop_when_outcome_unknown);
  ZimbraClient(ServerConfig config, std::unique_ptr<Transport> transport, std::unique_ptr<xml::SchemaValidator> validator,
               ExchangeObserver* observer, ClientEnvironment environment);

  // One request through its attempts.
  struct CallState {
    AttemptHistory history;
    // Whose unavailability the waiting counts against: the account acted on, also while the
    // token is renewed on its behalf.
    std::string outage_key;
    // Stop (with kOutcomeUnknown) instead of resending when a send may have been carried out.
    bool stop_when_outcome_unknown = false;
    // The body was checked already (a BatchRequest, whose sub-requests were validated one by one).
    bool prevalidated = false;
  };
  // One send and what came of it; reported by the caller once it knows what happens next.
  struct Attempt {
    Exchange exchange;
    Result<SoapResponse> result;
    bool answered = false;  // a SOAP reply (response or fault) arrived: the server is up
  };

  // Validates, then sends (with retries), reads the reply and reports every exchange. A fault
  // becomes an Error whose code is the fault code.
  Result<SoapResponse> call(std::string_view request_name, std::string_view account, const std::string& body,
                            const model::Provenance* about, CallState& state);
  Result<SoapResponse> call(std::string_view request_name, std::string_view account, const std::string& body,
                            const model::Provenance* about);
  Attempt sendOnce(std::string_view request_name, std::string_view account, const std::string& body,
                   const model::Provenance* about);
  Result<SoapResponse> callDryRun(std::string_view request_name, std::string_view account, const std::string& body,
                                  const model::Provenance* about);
  Status authenticate(std::string_view outage_key);
  Status report(Exchange exchange);
  Status reportUnbuilt(std::string_view request_name, std::string_view account, const model::Provenance* about,
                       const Error& error);
  // Replaces the password and the token wherever they might appear in text we return.
  std::string redact(std::string text) const;
  Error redact(Error error) const;
  // Builds nothing: reports a body that could not be built and returns its error.
  template <class T>
  Result<T> unbuilt(std::string_view request_name, std::string_view account, const model::Provenance* about,
                    const Error& error) {
    if (Status reported = reportUnbuilt(request_name, account, about, error); !reported) return reported.error();
    return error;
  }
  // The contact of a folder carrying that fingerprint, if any.
  Result<std::optional<ItemRef>> findContactByFingerprint(std::string_view account, std::string_view folder_id,
                                                          std::string_view fingerprint,
                                                          const model::Provenance* about);
  Result<ItemRef> sendContact(std::string_view account, std::string_view folder_id, const std::string& body,
                              std::string_view fingerprint, const model::Provenance* about);

  ServerConfig config_;
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<xml::SchemaValidator> validator_;
  ExchangeObserver* observer_;
  std::unique_ptr<WaitClock> own_clock_;
  WaitClock* clock_;
  RetryPolicy policy_;
  RateLimiter limiter_;
  std::shared_ptr<SharedRateLimiter> shared_limiter_;  // process-wide per server; null: limiter_
  std::string auth_token_;
  // Per account (empty: the admin connection itself): when its current unavailability began.
  std::map<std::string, WaitClock::TimePoint, std::less<>> outages_;
  ClientStats stats_;
  std::int64_t next_dry_run_upload_ = 1;
};

}  // namespace m2z::zimbra
