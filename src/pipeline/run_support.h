// What a migration run and a verify run share: the run id, the item summaries the audit log
// shows beside each exchange, and the observer that turns the Zimbra client's exchanges into
// audit entries.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "model/appointment.h"
#include "model/contact.h"
#include "model/task.h"
#include "zimbra/exchange.h"

namespace m2z::pipeline {

// A UTC timestamp with milliseconds, the process id and a per-process sequence, so two runs
// started in the same second (or by two workers) never share a log name.
std::string utcRunId();

audit::ItemSummary summarize(const model::Appointment& item);
audit::ItemSummary summarize(const model::Contact& item);
audit::ItemSummary summarize(const model::DistList& item);
audit::ItemSummary summarize(const model::Task& item);

// Adapts the Zimbra client's exchanges to audit entries, adding what the pipeline knows about
// the item being written.
class AuditingObserver : public zimbra::ExchangeObserver {
 public:
  explicit AuditingObserver(audit::AuditLog& log) : log_(log) {}

  void setCurrentItem(std::optional<audit::ItemSummary> item) { current_item_ = std::move(item); }

  void onExchange(const zimbra::Exchange& exchange) override {
    // Registered before the entry is written, so a token renewed mid-run is redacted too.
    for (const auto& secret : exchange.secrets) log_.registerSecret(secret);
    audit::Entry entry;
    entry.operation = exchange.request_name;
    if (exchange.source) entry.source = *exchange.source;
    entry.item = current_item_;
    entry.outcome = zimbra::toString(exchange.outcome);
    entry.fault_code = exchange.fault_code;
    entry.http_status = exchange.http_status;
    entry.duration_ms = exchange.duration_ms;
    entry.attempt = exchange.attempt;
    entry.will_retry = exchange.will_retry;
    entry.retry_delay_ms = exchange.retry_delay_ms;
    entry.retry_reason = exchange.retry_reason;
    entry.request_xml = exchange.request_xml;
    entry.response_xml = exchange.response_xml;
    if (auto status = log_.append(entry); !status) write_errors_.push_back(status.error().describe());
  }

  const std::vector<std::string>& writeErrors() const { return write_errors_; }

 private:
  audit::AuditLog& log_;
  std::optional<audit::ItemSummary> current_item_;
  std::vector<std::string> write_errors_;
};

}  // namespace m2z::pipeline
