// `mapi2zimbra verify`: reads migrated items back from Zimbra and compares them field by field
// with their sources, normalized exactly as the migration normalizes them, so that a mismatch
// report rests on what the server actually holds (docs/verify.md).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/appointment.h"
#include "model/provenance.h"
#include "model/result.h"
#include "state/state_store.h"
#include "model/contact.h"
#include "model/task.h"
#include "zimbra/client.h"
#include "zimbra/contact_requests.h"
#include "zimbra/task_requests.h"

namespace m2z::pipeline {

struct VerifyRequest {
  std::vector<std::string> source_files;
  std::string target_account;
  zimbra::ServerConfig server;
  std::string audit_dir;  // the log goes to <audit_dir>/<account>/verify-<run_id>.xml
  std::string run_id;     // empty: a UTC timestamp
  // Optional: the migration's state; its rows name each item's target (target_id, uid_sent), and
  // its rows without a source item any more are looked for on the target as extras.
  state::StateStore* state = nullptr;
  std::string state_account;  // empty: target_account
};

// kSkipped: the migration leaves the item out on purpose (the normalizer's reason), so it is
// not looked for. kError: the target could not be asked (server error). Neither is a match.
enum class VerifyOutcome { kMatch, kMismatch, kMissing, kExtra, kSkipped, kError };
// "match", "mismatch", "missing", "extra", "skipped", "error"
const char* toString(VerifyOutcome outcome);

struct FieldDifference {
  std::string field;  // "start", "subject", ...
  std::string source;
  std::string target;
  bool operator==(const FieldDifference&) const = default;
};

struct VerifiedItem {
  std::string kind;  // "appointment", "contact", "distlist", "task", "rule", "oof"; "item" when unknown
  model::Provenance source;
  std::string subject;
  std::string uid;        // the UID looked for on the target
  std::string target_id;  // the server's id, when found
  VerifyOutcome outcome = VerifyOutcome::kMatch;
  std::vector<FieldDifference> differences;  // kMismatch only
  std::string note;                          // why missing, skipped or extra
};

struct VerifySummary {
  std::string account;
  int items_seen = 0;  // source items read (extras are not source items)
  std::map<std::string, std::map<std::string, int>> counts;  // kind → outcome → items
  std::vector<VerifiedItem> items;  // every outcome but match, in source order
  int sources_failed = 0;
  std::vector<std::string> source_errors;
  std::string audit_log_path;

  int count(VerifyOutcome outcome) const;
  // Every source item matches, nothing extra, every source read: the exit code 0 of verify.
  bool allMatch() const {
    return sources_failed == 0 && source_errors.empty() && count(VerifyOutcome::kMatch) == items_seen &&
           count(VerifyOutcome::kExtra) == 0;
  }
};

// Fails only when verification cannot start (no server, no audit log); unreadable sources and
// items that cannot be read back are counted in the summary.
[[nodiscard]] Result<VerifySummary> verifyAccount(const VerifyRequest& request);

// The fields in which the target's copy differs from the normalized source appointment (empty:
// it matches): subject, location, all-day, start/end (wall time and zone, or the dates),
// recurrence rule and exceptions count, organizer, attendees, reminder, class, free-busy,
// categories and body (whitespace-normalized). Addresses compare case-insensitively.
std::vector<FieldDifference> compareAppointment(const model::Appointment& source,
                                                const zimbra::StoredAppointment& target);

// The contact attributes the migration sends (zimbra::contactAttributes, with the fingerprint)
// that the target's contact lacks or holds with another value; the field is the attribute name.
std::vector<FieldDifference> compareContact(const model::Contact& source, const std::string& fingerprint,
                                            const zimbra::StoredContact& target);

// A task's subject, status, percent, start and due dates, priority, categories and body
// (whitespace-normalized) against the target's; a completed task is expected as COMP, 100%.
std::vector<FieldDifference> compareTask(const model::Task& source, const zimbra::StoredTask& target);

// The rule as StoredAppointment::recurrence_rule spells it, from the model ("" for none).
std::string recurrenceRuleText(const model::Appointment& appointment);

// Runs of whitespace made one space, leading and trailing ones dropped, CRLF counted as LF.
std::string normalizedText(const std::string& text);

// The JSON summary printed on stdout: counts per kind and outcome, and every item not matching.
std::string formatVerifyJson(const VerifySummary& summary);

}  // namespace m2z::pipeline
