#include "zimbra/batch_request.h"

#include <chrono>
#include <utility>

#include "zimbra/client.h"

namespace m2z::zimbra {

namespace {

// The same code client.cpp's call() returns when it stops before resending a request whose
// send may have been carried out: the callers below look the items up instead.
constexpr std::string_view kOutcomeUnknown = "client.outcome_unknown";
constexpr std::string_view kBatchRequest = "BatchRequest";

std::string describeItem(const BatchItem& item) {
  return item.source ? item.source->describe() : item.request_name;
}

bool isTransient(FailureKind kind) { return kind != FailureKind::kPermanent; }

}  // namespace

Result<std::string> withRequestId(std::string_view body, std::size_t id) {
  std::size_t start = body.find('<');
  // Skip an XML declaration or comments the builders never write, but a caller might.
  while (start != std::string_view::npos && start + 1 < body.size() && (body[start + 1] == '?' || body[start + 1] == '!')) {
    start = body.find('<', start + 1);
  }
  if (start == std::string_view::npos) return Error{"request.invalid", "the sub-request has no element", ""};
  std::size_t end = start + 1;
  while (end < body.size() && body[end] != ' ' && body[end] != '\t' && body[end] != '\n' && body[end] != '\r' &&
         body[end] != '/' && body[end] != '>') {
    ++end;
  }
  if (end == start + 1 || end >= body.size()) return Error{"request.invalid", "the sub-request has no start tag", ""};
  std::string tagged(body.substr(0, end));
  tagged += " requestId=\"" + std::to_string(id) + "\"";
  tagged += body.substr(end);
  return tagged;
}

std::string buildBatchRequest(const std::vector<std::string>& tagged_bodies) {
  // onerror="continue": a fault of one item must not cost the others their answers.
  // Each body goes in byte for byte (not re-indented), so the server stores what it would have
  // stored had the request come alone: text content such as <desc> keeps its exact whitespace.
  std::string batch = "<BatchRequest xmlns=\"" + std::string(kZimbraNamespace) + "\" onerror=\"continue\">\n";
  for (const std::string& body : tagged_bodies) {
    batch += body;
    if (batch.back() != '\n') batch += '\n';
  }
  batch += "</BatchRequest>\n";
  return batch;
}

std::vector<std::optional<xml::Element>> readBatchResponse(const xml::Element& batch_response, std::size_t count) {
  std::vector<std::optional<xml::Element>> answers(count);
  for (const xml::Element& child : batch_response.children) {
    const std::string* id = child.attribute("requestId");
    if (id == nullptr || id->empty() || id->size() > 6) continue;
    std::size_t n = 0;
    bool digits = true;
    for (char c : *id) {
      if (c < '0' || c > '9') digits = false;
      else n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    // The first answer for an id counts; a server repeating one cannot overwrite it.
    if (digits && n >= 1 && n <= count && !answers[n - 1]) answers[n - 1] = child;
  }
  return answers;
}

// ---- ZimbraClient's batch block ----

Result<std::vector<Result<SoapResponse>>> ZimbraClient::sendBatch(std::string_view account,
                                                                  const std::vector<BatchItem>& items,
                                                                  bool stop_when_outcome_unknown) {
  std::vector<Result<SoapResponse>> results(items.size(), Result<SoapResponse>(Error{"client.batch", "not sent", ""}));
  std::vector<std::size_t> sent;  // positions in `items` of requestId 1..n
  std::vector<std::string> tagged;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const BatchItem& item = items[i];
    const model::Provenance* about = item.source ? &*item.source : nullptr;
    if (validator_) {
      // BatchRequest itself is not in the schemas (zimbra-schemas/README.md): each sub-request
      // is validated as if it went alone, before its requestId is added.
      const std::vector<std::string> problems = validator_->validate(item.body, item.request_name);
      if (!problems.empty()) {
        std::string joined;
        for (const std::string& p : problems) joined += (joined.empty() ? "" : "; ") + p;
        Error error = redact(Error{"request.invalid",
                                   "the " + item.request_name +
                                       " body does not validate against the Zimbra schemas, so it was not sent: " + joined,
                                   describeItem(item)});
        if (Status reported = reportUnbuilt(item.request_name, account, about, error); !reported) return reported.error();
        results[i] = std::move(error);
        continue;
      }
    }
    Result<std::string> with_id = withRequestId(item.body, tagged.size() + 1);
    if (!with_id) {
      Error error{with_id.error().code, with_id.error().message, describeItem(item)};
      if (Status reported = reportUnbuilt(item.request_name, account, about, error); !reported) return reported.error();
      results[i] = std::move(error);
      continue;
    }
    sent.push_back(i);
    tagged.push_back(std::move(with_id).value());
  }
  if (sent.empty()) return results;

  CallState state;
  state.outage_key = std::string(account);
  state.stop_when_outcome_unknown = stop_when_outcome_unknown;
  state.prevalidated = true;
  const WaitClock::TimePoint started = clock_->now();
  Result<SoapResponse> response = call(kBatchRequest, account, buildBatchRequest(tagged), nullptr, state);
  if (!response) return response.error();
  const std::int64_t elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_->now() - started).count();
  if (response->body.name != "BatchResponse") {
    return Error{"soap.malformed", "a BatchRequest was answered with " + response->body.name, std::string(account)};
  }
  const std::vector<std::optional<xml::Element>> answers = readBatchResponse(response->body, tagged.size());
  for (std::size_t k = 0; k < sent.size(); ++k) {
    const BatchItem& item = items[sent[k]];
    const model::Provenance* about = item.source ? &*item.source : nullptr;
    // Each item as its own exchange, so the audit can be read and diffed per item; the batch's
    // own exchange (reported by call()) carries the round trip.
    Exchange exchange;
    exchange.request_name = item.request_name;
    exchange.account = std::string(account);
    exchange.source = item.source;
    exchange.sent = true;
    exchange.request_xml = buildEnvelope(RequestContext{auth_token_, std::string(account)}, tagged[k]);
    exchange.secrets.push_back(auth_token_);
    exchange.http_status = 200;
    exchange.duration_ms = elapsed_ms;
    Result<SoapResponse> result = Error{"soap.malformed",
                                        "the BatchResponse has no answer for requestId " + std::to_string(k + 1),
                                        describeItem(item)};
    bool retry_alone = false;
    if (answers[k]) {
      exchange.response_xml = xml::toCanonicalText(*answers[k]);
      if (answers[k]->name == "Fault") {
        const Fault fault = faultFrom(*answers[k]);
        exchange.outcome = ExchangeOutcome::kFault;
        exchange.fault_code = fault.code;
        result = redact(Error{fault.code, fault.reason, describeItem(item)});
        // A fault is an answer: the item was not carried out, so sending it again is safe.
        retry_alone = isTransient(RetryPolicy::classify(fault.code, 200, true));
        exchange.will_retry = retry_alone;
        if (retry_alone) exchange.retry_reason = "transient fault inside a BatchRequest: sent again on its own";
      } else {
        exchange.outcome = ExchangeOutcome::kOk;
        result = SoapResponse{std::nullopt, *answers[k]};
      }
    } else {
      exchange.outcome = ExchangeOutcome::kTransportError;
    }
    if (!result) exchange.error = result.error().describe();
    if (Status reported = report(std::move(exchange)); !reported) return reported.error();
    if (retry_alone) {
      CallState alone;
      alone.outage_key = std::string(account);
      alone.stop_when_outcome_unknown = stop_when_outcome_unknown;
      result = call(item.request_name, account, item.body, about, alone);
    }
    results[sent[k]] = std::move(result);
  }
  return results;
}

std::vector<Result<SoapResponse>> ZimbraClient::batch(std::string_view account, const std::vector<BatchItem>& items) {
  std::vector<Result<SoapResponse>> results;
  results.reserve(items.size());
  if (items.size() <= 1 || config_.dry_run) {
    for (const BatchItem& item : items) {
      results.push_back(call(item.request_name, account, item.body, item.source ? &*item.source : nullptr));
    }
    return results;
  }
  for (std::size_t from = 0; from < items.size(); from += kMaxBatchItems) {
    const std::size_t to = std::min(items.size(), from + kMaxBatchItems);
    const std::vector<BatchItem> window(items.begin() + static_cast<std::ptrdiff_t>(from),
                                        items.begin() + static_cast<std::ptrdiff_t>(to));
    Result<std::vector<Result<SoapResponse>>> sent = sendBatch(account, window, false);
    for (std::size_t i = 0; i < window.size(); ++i) {
      if (!sent) results.push_back(sent.error());
      else results.push_back(std::move((*sent)[i]));
    }
  }
  return results;
}

namespace {

// Runs `lookups` as one batch of look-ups (or alone, for one item or a dry run), turning each
// answer into an optional ItemRef with `read`; `absent` says which fault codes mean "none".
template <class Single, class Build, class Read, class Absent>
std::vector<Result<std::optional<ItemRef>>> lookUpAll(ZimbraClient& client, bool alone, std::string_view account,
                                                      const std::vector<UidLookup>& lookups, std::string_view name,
                                                      Single single, Build build, Read read, Absent absent) {
  std::vector<Result<std::optional<ItemRef>>> out;
  if (alone) {
    for (const UidLookup& lookup : lookups) out.push_back(single(lookup));
    return out;
  }
  std::vector<BatchItem> items;
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < lookups.size(); ++i) {
    out.push_back(std::optional<ItemRef>{});
    if (lookups[i].uid.empty()) {
      out[i] = single(lookups[i]);  // fails with its own error, sends nothing
      continue;
    }
    at.push_back(i);
    items.push_back(BatchItem{std::string(name), build(lookups[i].uid),
                              lookups[i].source ? std::optional<model::Provenance>(*lookups[i].source) : std::nullopt});
  }
  std::vector<Result<SoapResponse>> answers = client.batch(account, items);
  for (std::size_t k = 0; k < at.size(); ++k) {
    if (answers[k]) {
      out[at[k]] = read(answers[k]->body);
    } else if (absent(answers[k].error().code)) {
      out[at[k]] = std::optional<ItemRef>{};
    } else {
      out[at[k]] = answers[k].error();
    }
  }
  return out;
}

}  // namespace

std::vector<Result<std::optional<ItemRef>>> ZimbraClient::findAppointmentsByUid(std::string_view account,
                                                                               const std::vector<UidLookup>& lookups) {
  return lookUpAll(
      *this, lookups.size() <= 1 || config_.dry_run, account, lookups, "GetAppointmentRequest",
      [&](const UidLookup& l) { return findAppointmentByUid(account, l.uid, l.source); },
      [](const std::string& uid) { return buildGetAppointmentRequest(uid); },
      [](const xml::Element& body) { return readFoundAppointment(body); },
      [](const std::string& code) { return code == "mail.NO_SUCH_APPT" || code == "mail.NO_SUCH_CALITEM"; });
}

std::vector<Result<std::optional<ItemRef>>> ZimbraClient::findTasksByUid(std::string_view account,
                                                                        const std::vector<UidLookup>& lookups) {
  return lookUpAll(
      *this, lookups.size() <= 1 || config_.dry_run, account, lookups, "GetTaskRequest",
      [&](const UidLookup& l) { return findTaskByUid(account, l.uid, l.source); },
      [](const std::string& uid) { return buildGetTaskByUidRequest(uid); },
      [](const xml::Element& body) -> Result<std::optional<ItemRef>> {
        Result<std::optional<StoredTask>> task = readTask(body);
        if (!task) return task.error();
        if (!task->has_value()) return std::optional<ItemRef>{};
        return std::optional<ItemRef>{ItemRef{(*task)->id, (*task)->folder_id, "", std::nullopt}};
      },
      [](const std::string& code) {
        return code == "mail.NO_SUCH_TASK" || code == "mail.NO_SUCH_CALITEM" || code == "mail.NO_SUCH_APPT";
      });
}

std::vector<Result<ItemRef>> ZimbraClient::setAppointments(std::string_view account, std::string_view folder_id,
                                                           const std::vector<const model::Appointment*>& appointments) {
  std::vector<Result<ItemRef>> out;
  for (std::size_t i = 0; i < appointments.size(); ++i) out.push_back(Error{"client.batch", "not sent", ""});
  std::vector<BatchItem> items;
  std::vector<std::size_t> at;
  const bool alone = appointments.size() <= 1 || config_.dry_run;
  for (std::size_t i = 0; i < appointments.size(); ++i) {
    const model::Appointment& appointment = *appointments[i];
    // Without a UID a lost answer could not be checked: such an item goes alone.
    if (alone || appointment.uid.empty()) {
      out[i] = setAppointment(account, folder_id, appointment);
      continue;
    }
    Result<std::string> body = buildSetAppointmentRequest(appointment, folder_id, account);
    if (!body) {
      out[i] = unbuilt<ItemRef>("SetAppointmentRequest", account, &appointment.provenance, body.error());
      continue;
    }
    at.push_back(i);
    items.push_back(BatchItem{"SetAppointmentRequest", std::move(body).value(), appointment.provenance});
  }
  for (std::size_t from = 0; from < items.size(); from += kMaxBatchItems) {
    const std::size_t to = std::min(items.size(), from + kMaxBatchItems);
    const std::vector<BatchItem> window(items.begin() + static_cast<std::ptrdiff_t>(from),
                                        items.begin() + static_cast<std::ptrdiff_t>(to));
    Result<std::vector<Result<SoapResponse>>> sent = sendBatch(account, window, true);
    for (std::size_t k = 0; k < window.size(); ++k) {
      const std::size_t i = at[from + k];
      const Result<SoapResponse>& answer = sent ? (*sent)[k] : Result<SoapResponse>(sent.error());
      if (answer) {
        out[i] = readSetAppointment(answer->body, folder_id);
      } else if (answer.error().code == kOutcomeUnknown) {
        // The batch (or this item's resend) may have been stored: look before sending again.
        Result<std::optional<ItemRef>> found =
            findAppointmentByUid(account, appointments[i]->uid, &appointments[i]->provenance);
        if (!found) out[i] = found.error();
        else if (found->has_value()) out[i] = std::move(**found);
        else out[i] = setAppointment(account, folder_id, *appointments[i]);
      } else {
        out[i] = answer.error();
      }
    }
  }
  return out;
}

std::vector<Result<ItemRef>> ZimbraClient::setTasks(std::string_view account, std::string_view folder_id,
                                                    const std::vector<TaskWrite>& writes) {
  std::vector<Result<ItemRef>> out;
  for (std::size_t i = 0; i < writes.size(); ++i) out.push_back(Error{"client.batch", "not sent", ""});
  std::vector<BatchItem> items;
  std::vector<std::size_t> at;
  std::vector<std::string> uids(writes.size());
  const bool alone = writes.size() <= 1 || config_.dry_run;
  for (std::size_t i = 0; i < writes.size(); ++i) {
    const TaskWrite& write = writes[i];
    const model::Provenance* source = write.source != nullptr ? write.source : &write.task->provenance;
    if (alone) {
      out[i] = setTask(account, folder_id, *write.task, source, write.uid);
      continue;
    }
    uids[i] = write.uid.empty() ? taskUid(write.task->provenance.describe()) : write.uid;
    Result<std::string> body = buildSetTaskRequest(*write.task, folder_id, uids[i]);
    if (!body) {
      out[i] = unbuilt<ItemRef>("SetTaskRequest", account, source, body.error());
      continue;
    }
    at.push_back(i);
    items.push_back(BatchItem{"SetTaskRequest", std::move(body).value(), *source});
  }
  for (std::size_t from = 0; from < items.size(); from += kMaxBatchItems) {
    const std::size_t to = std::min(items.size(), from + kMaxBatchItems);
    const std::vector<BatchItem> window(items.begin() + static_cast<std::ptrdiff_t>(from),
                                        items.begin() + static_cast<std::ptrdiff_t>(to));
    Result<std::vector<Result<SoapResponse>>> sent = sendBatch(account, window, true);
    for (std::size_t k = 0; k < window.size(); ++k) {
      const std::size_t i = at[from + k];
      const model::Provenance* source = writes[i].source != nullptr ? writes[i].source : &writes[i].task->provenance;
      const Result<SoapResponse>& answer = sent ? (*sent)[k] : Result<SoapResponse>(sent.error());
      if (answer) {
        out[i] = readSetTask(answer->body, folder_id);
      } else if (answer.error().code == kOutcomeUnknown) {
        Result<std::optional<ItemRef>> found = findTaskByUid(account, uids[i], source);
        if (!found) out[i] = found.error();
        else if (found->has_value()) out[i] = std::move(**found);
        else out[i] = setTask(account, folder_id, *writes[i].task, source, uids[i]);
      } else {
        out[i] = answer.error();
      }
    }
  }
  return out;
}

std::vector<Result<ItemRef>> ZimbraClient::createContacts(std::string_view account, std::string_view folder_id,
                                                          const std::vector<ContactWrite>& writes) {
  std::vector<Result<ItemRef>> out;
  for (std::size_t i = 0; i < writes.size(); ++i) out.push_back(Error{"client.batch", "not sent", ""});
  std::vector<BatchItem> items;
  std::vector<std::size_t> at;
  const bool alone = writes.size() <= 1 || config_.dry_run;
  for (std::size_t i = 0; i < writes.size(); ++i) {
    const ContactWrite& write = writes[i];
    const model::Provenance* source = write.source != nullptr ? write.source : &write.contact->provenance;
    // Without a fingerprint a lost answer could not be checked: such a contact goes alone.
    if (alone || write.fingerprint.empty()) {
      out[i] = createContact(account, folder_id, *write.contact, source, write.fingerprint);
      continue;
    }
    Result<std::string> body = buildCreateContactRequest(*write.contact, folder_id, write.fingerprint);
    if (!body) {
      out[i] = unbuilt<ItemRef>("CreateContactRequest", account, source, body.error());
      continue;
    }
    at.push_back(i);
    items.push_back(BatchItem{"CreateContactRequest", std::move(body).value(), *source});
  }
  for (std::size_t from = 0; from < items.size(); from += kMaxBatchItems) {
    const std::size_t to = std::min(items.size(), from + kMaxBatchItems);
    const std::vector<BatchItem> window(items.begin() + static_cast<std::ptrdiff_t>(from),
                                        items.begin() + static_cast<std::ptrdiff_t>(to));
    Result<std::vector<Result<SoapResponse>>> sent = sendBatch(account, window, true);
    // Read the folder once for all items whose answer was lost, not once per item.
    std::optional<Result<std::vector<StoredContact>>> stored;
    for (std::size_t k = 0; k < window.size(); ++k) {
      const std::size_t i = at[from + k];
      const ContactWrite& write = writes[i];
      const model::Provenance* source = write.source != nullptr ? write.source : &write.contact->provenance;
      const Result<SoapResponse>& answer = sent ? (*sent)[k] : Result<SoapResponse>(sent.error());
      if (answer) {
        out[i] = readCreatedContact(answer->body, folder_id);
      } else if (answer.error().code == kOutcomeUnknown) {
        if (!stored) stored = getContacts(account, folder_id, source);
        if (!*stored) {
          out[i] = stored->error();
          continue;
        }
        std::optional<ItemRef> found;
        for (const StoredContact& contact : **stored) {
          const auto it = contact.attrs.find(std::string(kSourceFingerprintAttribute));
          if (it != contact.attrs.end() && it->second == write.fingerprint) {
            found = ItemRef{contact.id, contact.folder_id, "", std::nullopt};
          }
        }
        out[i] = found ? Result<ItemRef>(std::move(*found))
                       : createContact(account, folder_id, *write.contact, source, write.fingerprint);
      } else {
        out[i] = answer.error();
      }
    }
  }
  return out;
}

}  // namespace m2z::zimbra
