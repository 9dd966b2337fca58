#include "pipeline/verify.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "audit/hash_chain.h"
#include "normalize/normalizer.h"
#include "pipeline/mail_settings_migration.h"
#include "pipeline/run_support.h"
#include "pipeline/source_reader.h"
#include "zimbra/contact_requests.h"
#include "zimbra/filter_rules.h"
#include "zimbra/prefs_requests.h"
#include "zimbra/task_requests.h"

namespace m2z::pipeline {

namespace {

constexpr const char* kToolVersion = "0.1.0";
constexpr const char* kAppointment = "appointment";

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}
constexpr const char* kContact = "contact";
constexpr const char* kDistList = "distlist";
constexpr const char* kTask = "task";
constexpr const char* kRule = "rule";
constexpr const char* kOof = "oof";

// The address of an inline group member: "Name" <address>, or the bare address.
std::string memberAddress(const std::string& value) {
  const auto open = value.rfind('<');
  const auto close = value.rfind('>');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    return lower(value.substr(open + 1, close - open - 1));
  }
  return lower(value);
}


std::string joinSorted(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  std::string out;
  for (const auto& value : values) out += (out.empty() ? "" : ", ") + value;
  return out;
}

std::string reminderText(const std::optional<int>& minutes) {
  if (!minutes) return "none";
  if (*minutes < 0) return std::to_string(-*minutes) + " min after start";
  return std::to_string(*minutes) + " min before start";
}

const char* frequencyOf(const model::Recurrence& recurrence) {
  switch (recurrence.pattern) {
    // [MS-OXCICAL] 2.1.3.2.2.1: Outlook's daily "every weekday" is a weekly rule, Monday to Friday.
    case model::RecurrencePattern::kDaily: return recurrence.every_weekday ? "WEE" : "DAI";
    case model::RecurrencePattern::kWeekly: return "WEE";
    case model::RecurrencePattern::kMonthlyByDay:
    case model::RecurrencePattern::kMonthlyNth: return "MON";
    case model::RecurrencePattern::kYearlyByDay:
    case model::RecurrencePattern::kYearlyNth: return "YEA";
  }
  return "DAI";
}

std::string zoneOffsets(const model::SingleRuleZone& zone) {
  const int standard = zone.standard_offset_minutes;
  return std::to_string(standard) + "/" + std::to_string(zone.daylight_offset_minutes.value_or(standard));
}



class Verifier : public model::ItemSink {
 public:
  Verifier(const VerifyRequest& request, zimbra::ZimbraClient& client, audit::AuditLog& log, AuditingObserver& observer,
           VerifySummary& summary)
      : request_(request), client_(client), log_(log), observer_(observer), summary_(summary) {}

  void setSourceIdentity(std::string identity) {
    source_identity_ = std::move(identity);
    read_identities_.insert(source_identity_);
  }
  void sourceFailed(const std::string& identity) { read_identities_.erase(identity); }

  void onFolder(const model::SourceFolder& folder) override {
    // As the migration does: the folder policy's state must be the same when items are mapped.
    std::vector<model::Finding> ignored;
    (void)normalizer_.mapFolder(folder, ignored);
  }

  void onAppointment(model::Appointment item) override {
    ++summary_.items_seen;
    std::vector<model::Finding> findings;
    if (!normalizer_.normalize(item, findings)) {
      std::string reason = "cannot be carried over";
      for (const auto& finding : findings) {
        if (finding.item_skipped) reason = finding.kind + ": " + finding.why;
      }
      VerifiedItem verified = start(item);
      verified.outcome = VerifyOutcome::kSkipped;
      verified.note = "the migration leaves it out: " + reason;
      finish(std::move(verified));
      return;
    }
    observer_.setCurrentItem(summarize(item));
    verifyAppointment(item);
    observer_.setCurrentItem(std::nullopt);
  }

  // Contacts carry no UID: the migration marks each with a fingerprint of its source item
  // (zimbra::kSourceFingerprintAttribute), which is how it is found again here.
  void onContact(model::Contact item) override {
    ++summary_.items_seen;
    VerifiedItem verified;
    verified.kind = kContact;
    verified.source = item.provenance;
    verified.subject = item.display_name.empty() ? item.file_as : item.display_name;
    const std::string fingerprint = fingerprintOf(item.provenance);
    contact_fingerprints_[item.provenance.entry_id] = fingerprint;
    verified.uid = fingerprint;
    observer_.setCurrentItem(audit::ItemSummary{kContact, verified.subject, "", "", "", false});
    const zimbra::StoredContact* stored = storedContact(fingerprint, item.provenance, verified);
    observer_.setCurrentItem(std::nullopt);
    if (stored != nullptr) {
      verified.target_id = stored->id;
      verified.differences = compareContact(item, fingerprint, *stored);
      verified.outcome = verified.differences.empty() ? VerifyOutcome::kMatch : VerifyOutcome::kMismatch;
    }
    finish(std::move(verified));
  }

  // Tasks carry the UID the migration derived from their source key (ZimbraClient::taskUid);
  // the look-up names the folder, whose tasks are then read once with all their fields.
  void onTask(model::Task item) override {
    ++summary_.items_seen;
    VerifiedItem verified;
    verified.kind = kTask;
    verified.source = item.provenance;
    verified.subject = item.subject;
    verified.uid = zimbra::ZimbraClient::taskUid(source_identity_ + "#" + item.provenance.entry_id);
    observer_.setCurrentItem(audit::ItemSummary{kTask, item.subject, verified.uid, "", "", false});
    auto found = client_.findTaskByUid(summary_.account, verified.uid, &item.provenance);
    const zimbra::StoredTask* stored = nullptr;
    if (!found) {
      verified.outcome = VerifyOutcome::kError;
      verified.note = "could not be read back: " + found.error().describe();
    } else if (!found->has_value()) {
      verified.outcome = VerifyOutcome::kMissing;
      verified.note = "no task with UID " + verified.uid + " on the target";
    } else {
      verified.target_id = (*found)->id;
      stored = storedTask((*found)->folder_id, (*found)->id, item.provenance, verified);
    }
    observer_.setCurrentItem(std::nullopt);
    if (stored != nullptr) {
      verified.differences = compareTask(item, *stored);
      verified.outcome = verified.differences.empty() ? VerifyOutcome::kMatch : VerifyOutcome::kMismatch;
    }
    finish(std::move(verified));
  }

  // Rules and out-of-office settings go in once per account at the end of the migration; so
  // they are checked here, after the last source (finishMailSettings).
  void onRule(model::Rule rule) override { pending_rules_.emplace_back(source_identity_, std::move(rule)); }
  void onOofSettings(model::OofSettings settings) override {
    pending_oof_.emplace_back(source_identity_, std::move(settings));
  }

  void finishMailSettings() {
    if (!pending_rules_.empty()) verifyRules();
    for (std::size_t i = 0; i < pending_oof_.size(); ++i) verifyOof(pending_oof_[i], i == 0);
    pending_rules_.clear();
    pending_oof_.clear();
  }

  // As the migration does, lists wait for the end of their source, whose contacts they name.
  void onDistList(model::DistList item) override { pending_lists_.push_back(std::move(item)); }

  void finishSource() {
    std::vector<model::DistList> lists = std::move(pending_lists_);
    pending_lists_.clear();
    for (const auto& list : lists) verifyList(list);
    contact_fingerprints_.clear();  // entry ids are only unique within one file
  }

  void onFinding(model::Finding finding) override {
    if (!finding.item_skipped) return;  // the migration log has the other findings already
    ++summary_.items_seen;
    VerifiedItem verified;
    verified.kind = "item";  // the reader could not tell what it is (or it is not one verify compares)
    verified.source = finding.item;
    verified.outcome = VerifyOutcome::kSkipped;
    verified.note = "the migration leaves it out: " + finding.kind + ": " + finding.why;
    seen_keys_.insert(finding.item.entry_id + '\0' + source_identity_);
    finish(std::move(verified));
  }

  // State rows of items migrated from the sources read whose source item is gone, but whose
  // target item is still there: extras.
  void findExtras() {
    if (request_.state == nullptr) return;
    auto rows = request_.state->itemsOfAccount(stateAccount(), std::nullopt);
    if (!rows) {
      summary_.source_errors.push_back("state store: " + rows.error().describe());
      return;
    }
    for (const auto& row : *rows) {
      if (row.kind != kAppointment || read_identities_.count(row.key.source_file) == 0) continue;
      if (row.outcome != state::ItemOutcome::kCreated && row.outcome != state::ItemOutcome::kAlreadyPresent) continue;
      if (seen_keys_.count(row.key.entry_id + '\0' + row.key.source_file) != 0) continue;
      const std::string uid = row.uid_sent.empty() ? row.uid_original : row.uid_sent;
      if (uid.empty()) continue;
      const model::Provenance source{row.key.source_file, "", row.key.entry_id};
      auto found = client_.findAppointmentByUid(summary_.account, uid, &source);
      if (!found || !found->has_value()) continue;  // gone from both sides: nothing to report
      VerifiedItem verified;
      verified.kind = kAppointment;
      verified.source = source;
      verified.uid = uid;
      verified.target_id = (*found)->id;
      if ((*found)->stored) verified.subject = (*found)->stored->subject;
      verified.outcome = VerifyOutcome::kExtra;
      verified.note = "on the target (migrated earlier) but no longer in the source";
      finish(std::move(verified));
    }
  }

 private:
  VerifiedItem start(const model::Appointment& item) const {
    VerifiedItem verified;
    verified.kind = kAppointment;
    verified.source = item.provenance;
    verified.subject = item.subject;
    verified.uid = item.uid;
    return verified;
  }

  void verifyAppointment(const model::Appointment& item) {
    VerifiedItem verified = start(item);
    seen_keys_.insert(item.provenance.entry_id + '\0' + source_identity_);
    std::string expected_id;
    if (request_.state != nullptr) {
      auto row = request_.state->findItem({stateAccount(), source_identity_, item.provenance.entry_id});
      if (row && row->has_value()) {
        if (!(*row)->uid_sent.empty()) verified.uid = (*row)->uid_sent;
        expected_id = (*row)->target_id;
      }
    }
    auto found = client_.findAppointmentByUid(summary_.account, verified.uid, &item.provenance);
    if (!found) {
      verified.outcome = VerifyOutcome::kError;
      verified.note = "could not be read back: " + found.error().describe();
    } else if (!found->has_value()) {
      verified.outcome = VerifyOutcome::kMissing;
      verified.note = "no appointment with UID " + verified.uid + " on the target" +
                      (expected_id.empty() ? "" : " (the migration created it as item " + expected_id + ")");
    } else {
      verified.target_id = (*found)->id;
      if (!(*found)->stored) {
        verified.outcome = VerifyOutcome::kMismatch;
        verified.differences.push_back({"invite", "an invite", "none"});
      } else {
        verified.differences = compareAppointment(item, *(*found)->stored);
        verified.outcome = verified.differences.empty() ? VerifyOutcome::kMatch : VerifyOutcome::kMismatch;
      }
    }
    finish(std::move(verified));
  }

  std::string fingerprintOf(const model::Provenance& source) const {
    return audit::sha256Hex(source_identity_ + "#" + source.entry_id);
  }

  // The account's contacts by fingerprint, read once (GetContactsRequest over every folder).
  // Null when the item is not there (verified set to missing) or the read failed (error).
  const zimbra::StoredContact* storedContact(const std::string& fingerprint, const model::Provenance& source,
                                             VerifiedItem& verified) {
    if (!contacts_loaded_) {
      contacts_loaded_ = true;
      auto contacts = client_.getContacts(summary_.account, "", &source);
      if (!contacts) {
        contacts_error_ = contacts.error().describe();
      } else {
        for (auto& contact : *contacts) {
          const auto attr = contact.attrs.find(std::string(zimbra::kSourceFingerprintAttribute));
          if (attr != contact.attrs.end()) contacts_by_fingerprint_.emplace(attr->second, std::move(contact));
        }
      }
    }
    if (!contacts_error_.empty()) {
      verified.outcome = VerifyOutcome::kError;
      verified.note = "contacts could not be read back: " + contacts_error_;
      return nullptr;
    }
    const auto found = contacts_by_fingerprint_.find(fingerprint);
    if (found == contacts_by_fingerprint_.end()) {
      verified.outcome = VerifyOutcome::kMissing;
      verified.note = "no contact with " + std::string(zimbra::kSourceFingerprintAttribute) + "=" + fingerprint +
                      " on the target";
      return nullptr;
    }
    return &found->second;
  }

  const zimbra::StoredTask* storedTask(const std::string& folder_id, const std::string& id,
                                      const model::Provenance& source, VerifiedItem& verified) {
    auto cached = tasks_by_folder_.find(folder_id);
    if (cached == tasks_by_folder_.end()) {
      auto tasks = client_.getTasks(summary_.account, folder_id, &source);
      if (!tasks) {
        verified.outcome = VerifyOutcome::kError;
        verified.note = "the tasks of folder " + folder_id + " could not be read back: " + tasks.error().describe();
        return nullptr;
      }
      cached = tasks_by_folder_.emplace(folder_id, std::move(*tasks)).first;
    }
    for (const auto& task : cached->second) {
      if (task.id == id) return &task;
    }
    verified.outcome = VerifyOutcome::kError;
    verified.note = "task " + id + " was found by its UID but not among the tasks of its folder " + folder_id;
    return nullptr;
  }

  // The state's word that the migration left an item out on purpose (e.g. the user's own OOF).
  std::optional<std::string> skippedInState(const std::string& identity, const model::Provenance& source) {
    if (request_.state == nullptr) return std::nullopt;
    auto row = request_.state->findItem({stateAccount(), identity, source.entry_id});
    if (row && row->has_value() && (*row)->outcome == state::ItemOutcome::kSkipped) return (*row)->reason;
    return std::nullopt;
  }

  // Present by name (or by the name a collision gave it) with the same active flag.
  void verifyRules() {
    auto stored = client_.getFilterRules(summary_.account, &pending_rules_.front().second.provenance);
    for (const auto& [identity, rule] : pending_rules_) {
      ++summary_.items_seen;
      VerifiedItem verified;
      verified.kind = kRule;
      verified.source = rule.provenance;
      auto translated = zimbra::translateRule(rule);
      verified.subject = translated ? translated->name : "";
      if (!translated || translated->disposition == zimbra::RuleDisposition::kSkipped) {
        verified.outcome = VerifyOutcome::kSkipped;
        verified.note = "the migration leaves it out: " + (translated ? translated->reason : translated.error().describe());
      } else if (auto reason = skippedInState(identity, rule.provenance)) {
        verified.outcome = VerifyOutcome::kSkipped;
        verified.note = "the migration left it out: " + *reason;
      } else if (!stored) {
        verified.outcome = VerifyOutcome::kError;
        verified.note = "the filter rules could not be read back: " + stored.error().describe();
      } else {
        const zimbra::StoredFilterRule* found = nullptr;
        for (const auto& candidate : *stored) {
          if (candidate.name == translated->name || candidate.name == translated->name + std::string(kCollisionSuffix)) {
            found = &candidate;
            break;
          }
        }
        if (found == nullptr) {
          verified.outcome = VerifyOutcome::kMissing;
          verified.note = "no filter rule named \"" + translated->name + "\" on the target";
        } else {
          verified.target_id = found->name;
          if (found->active != translated->active) {
            verified.differences.push_back({"active", translated->active ? "yes" : "no", found->active ? "yes" : "no"});
          }
          verified.outcome = verified.differences.empty() ? VerifyOutcome::kMatch : VerifyOutcome::kMismatch;
        }
      }
      finish(std::move(verified));
    }
  }

  // The first source's settings are what the migration sends (zimbra::oofPrefs); later ones are
  // superseded. Compared: every preference it sends (enabled flag, reply texts).
  void verifyOof(const std::pair<std::string, model::OofSettings>& pending, bool first) {
    const auto& [identity, oof] = pending;
    ++summary_.items_seen;
    VerifiedItem verified;
    verified.kind = kOof;
    verified.source = oof.provenance;
    verified.subject = "out of office";
    const zimbra::OofPrefs wanted = zimbra::oofPrefs(oof);
    if (!first) {
      verified.outcome = VerifyOutcome::kSkipped;
      verified.note = "superseded: an account has one out-of-office setting, the first source's";
    } else if (wanted.prefs.empty()) {
      verified.outcome = VerifyOutcome::kSkipped;
      verified.note = "the source holds no out-of-office values";
    } else if (auto reason = skippedInState(identity, oof.provenance)) {
      verified.outcome = VerifyOutcome::kSkipped;
      verified.note = "the migration left it out: " + *reason;
    } else {
      auto current = client_.getPrefs(summary_.account, zimbra::oofPrefNames(), &oof.provenance);
      if (!current) {
        verified.outcome = VerifyOutcome::kError;
        verified.note = "the preferences could not be read back: " + current.error().describe();
      } else {
        for (const auto& [name, value] : wanted.prefs) {
          const auto found = current->find(name);
          const std::string actual = found == current->end() || found->second.empty() ? "" : found->second.front();
          if (normalizedText(actual) != normalizedText(value)) verified.differences.push_back({name, value, actual});
        }
        verified.outcome = verified.differences.empty() ? VerifyOutcome::kMatch : VerifyOutcome::kMismatch;
      }
    }
    finish(std::move(verified));
  }

  void verifyList(const model::DistList& list) {
    ++summary_.items_seen;
    VerifiedItem verified;
    verified.kind = kDistList;
    verified.source = list.provenance;
    verified.subject = list.name;
    const std::string fingerprint = fingerprintOf(list.provenance);
    verified.uid = fingerprint;
    observer_.setCurrentItem(audit::ItemSummary{kDistList, list.name, "", "", "", false});
    const zimbra::StoredContact* stored = storedContact(fingerprint, list.provenance, verified);
    observer_.setCurrentItem(std::nullopt);
    if (stored != nullptr) {
      verified.target_id = stored->id;
      const auto nickname = stored->attrs.find("nickname");
      const std::string target_name = nickname == stored->attrs.end() ? "" : nickname->second;
      if (target_name != list.name) verified.differences.push_back({"name", list.name, target_name});
      const std::string source_members = joinSorted(expectedMembers(list));
      std::vector<std::string> target;
      for (const auto& [type, value] : stored->members) target.push_back(type == "C" ? contactMember(value) : memberAddress(value));
      if (source_members != joinSorted(target)) verified.differences.push_back({"members", source_members, joinSorted(target)});
      verified.outcome = verified.differences.empty() ? VerifyOutcome::kMatch : VerifyOutcome::kMismatch;
    }
    finish(std::move(verified));
  }

  // A contact member (<m type="C" value=id>, the id maybe account-qualified) by the fingerprint
  // of the contact it names, so both sides compare alike; a dangling reference says so.
  std::string contactMember(const std::string& value) const {
    const std::string local = value.substr(value.rfind(':') == std::string::npos ? 0 : value.rfind(':') + 1);
    for (const auto& [fingerprint, contact] : contacts_by_fingerprint_) {
      const std::string id = contact.id.substr(contact.id.rfind(':') == std::string::npos ? 0 : contact.id.rfind(':') + 1);
      if (id == local) return "contact " + fingerprint;
    }
    return "contact " + value + " (not on the target)";
  }

  // The members as the migration sends them (pipeline groupMembers): a contact migrated from the
  // same file (named here by its fingerprint), else an SMTP address; members with neither are
  // left out there.
  std::vector<std::string> expectedMembers(const model::DistList& list) const {
    std::vector<std::string> members;
    for (const model::DistListMember& member : list.members) {
      std::string contact;
      if (const auto it = contact_fingerprints_.find(member.target_entry_id);
          !member.target_entry_id.empty() && it != contact_fingerprints_.end()) {
        contact = it->second;
      }
      const bool has_address = member.email.find('@') != std::string::npos;
      if (!contact.empty() && (member.kind == model::DistListMemberKind::kContact || !has_address)) {
        members.push_back("contact " + contact);
      } else if (has_address) {
        members.push_back(lower(member.email));
      }
    }
    return members;
  }

  const std::string& stateAccount() const {
    return request_.state_account.empty() ? summary_.account : request_.state_account;
  }

  // One finding per item: its outcome, and for a mismatch the fields with both values.
  void finish(VerifiedItem verified) {
    const std::string outcome = toString(verified.outcome);
    ++summary_.counts[verified.kind][outcome];
    model::Finding finding;
    finding.kind = "verify." + outcome;
    finding.item = verified.source;
    finding.severity = verified.outcome == VerifyOutcome::kMatch     ? model::Severity::kInfo
                       : verified.outcome == VerifyOutcome::kSkipped ? model::Severity::kInfo
                       : verified.outcome == VerifyOutcome::kMismatch ? model::Severity::kWarning
                                                                     : model::Severity::kError;
    if (verified.differences.size() == 1) {
      finding.field = verified.differences[0].field;
      finding.before = verified.differences[0].source;
      finding.after = verified.differences[0].target;
    } else {
      for (const auto& difference : verified.differences) {
        finding.field += (finding.field.empty() ? "" : ",") + difference.field;
        finding.before += (finding.before.empty() ? "" : "; ") + difference.field + "=" + difference.source;
        finding.after += (finding.after.empty() ? "" : "; ") + difference.field + "=" + difference.target;
      }
    }
    switch (verified.outcome) {
      case VerifyOutcome::kMatch: finding.why = "the target's copy matches the source"; break;
      case VerifyOutcome::kMismatch:
        finding.why = "the target's copy (item " + verified.target_id + ") differs from the source in " + finding.field;
        break;
      default: finding.why = verified.note; break;
    }
    if (auto status = log_.appendFinding(finding); !status) {
      summary_.source_errors.push_back("audit log: " + status.error().describe());
    }
    if (verified.outcome != VerifyOutcome::kMatch) summary_.items.push_back(std::move(verified));
  }

  const VerifyRequest& request_;
  zimbra::ZimbraClient& client_;
  audit::AuditLog& log_;
  AuditingObserver& observer_;
  VerifySummary& summary_;
  std::string source_identity_;
  std::set<std::string> read_identities_;
  std::set<std::string> seen_keys_;  // entry id NUL source identity
  normalize::Normalizer normalizer_;
  std::vector<model::DistList> pending_lists_;
  std::map<std::string, std::string> contact_fingerprints_;  // entry id → fingerprint, this source
  bool contacts_loaded_ = false;
  std::string contacts_error_;
  std::map<std::string, zimbra::StoredContact> contacts_by_fingerprint_;
  std::map<std::string, std::vector<zimbra::StoredTask>> tasks_by_folder_;
  std::vector<std::pair<std::string, model::Rule>> pending_rules_;  // source identity, rule
  std::vector<std::pair<std::string, model::OofSettings>> pending_oof_;
};

}  // namespace

const char* toString(VerifyOutcome outcome) {
  switch (outcome) {
    case VerifyOutcome::kMatch: return "match";
    case VerifyOutcome::kMismatch: return "mismatch";
    case VerifyOutcome::kMissing: return "missing";
    case VerifyOutcome::kExtra: return "extra";
    case VerifyOutcome::kSkipped: return "skipped";
    case VerifyOutcome::kError: return "error";
  }
  return "error";
}

int VerifySummary::count(VerifyOutcome outcome) const {
  int total = 0;
  for (const auto& [kind, by_outcome] : counts) {
    if (auto it = by_outcome.find(toString(outcome)); it != by_outcome.end()) total += it->second;
  }
  return total;
}

std::string normalizedText(const std::string& text) {
  std::string out;
  bool pending_space = false;
  for (const char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

std::string recurrenceRuleText(const model::Appointment& appointment) {
  if (!appointment.recurrence) return {};
  const model::Recurrence& recurrence = *appointment.recurrence;
  std::string text = std::string("freq=") + frequencyOf(recurrence) + ";interval=" + std::to_string(recurrence.interval);
  if (recurrence.end == model::RecurrenceEnd::kAfterCount) text += ";count=" + std::to_string(recurrence.count);
  if (recurrence.end == model::RecurrenceEnd::kByDate && recurrence.resolved) {
    text += ";until=" + recurrence.resolved->until;
  }
  return text;
}

std::vector<FieldDifference> compareAppointment(const model::Appointment& source,
                                                const zimbra::StoredAppointment& target) {
  std::vector<FieldDifference> differences;
  auto check = [&differences](const char* field, const std::string& expected, const std::string& actual) {
    if (expected != actual) differences.push_back({field, expected, actual});
  };
  check("subject", source.subject, target.subject);
  check("location", source.location, target.location);
  check("all-day", source.all_day ? "yes" : "no", target.all_day ? "yes" : "no");
  if (source.resolved) {
    const model::ResolvedTimes& times = *source.resolved;
    if (source.all_day) {
      // Zimbra's all-day end date is inclusive: the last day, as sent.
      check("start", times.first_day.toBasicString(), target.start);
      check("end", times.last_day.toBasicString(), target.end);
    } else {
      check("start", times.start_local.toBasicString(), target.start);
      check("end", times.end_local.toBasicString(), target.end);
      // The server may answer a well-known zone under another name: the same offsets are the
      // same zone for the wall times above.
      const bool same_zone = times.zone.id == target.start_tz ||
                             (!target.start_tz_offsets.empty() && target.start_tz_offsets == zoneOffsets(times.zone));
      if (!same_zone) differences.push_back({"zone", times.zone.id, target.start_tz});
    }
  }
  check("recurrence", recurrenceRuleText(source), target.recurrence_rule);
  const int source_exceptions = source.recurrence ? static_cast<int>(source.recurrence->exceptions.size()) : 0;
  check("exceptions", std::to_string(source_exceptions), std::to_string(target.exceptions));
  const bool has_organizer = source.organizer && source.organizer->hasSmtpAddress();
  check("organizer", has_organizer ? lower(source.organizer->email) : "", lower(target.organizer));
  std::vector<std::string> source_attendees;
  for (const auto& attendee : source.attendees) {
    if (attendee.person.hasSmtpAddress()) source_attendees.push_back(lower(attendee.person.email));
  }
  std::vector<std::string> target_attendees;
  for (const auto& address : target.attendees) target_attendees.push_back(lower(address));
  check("attendees", joinSorted(source_attendees), joinSorted(target_attendees));
  check("reminder", reminderText(source.reminder_minutes_before), reminderText(target.reminder_minutes_before));
  // Absent attributes are the server's defaults (PUB, B).
  check("class", zimbra::classCode(source.sensitivity), target.class_code.empty() ? "PUB" : target.class_code);
  check("free-busy", zimbra::freeBusyCode(source.busy_status), target.free_busy.empty() ? "B" : target.free_busy);
  check("categories", joinSorted(source.categories), joinSorted(target.categories));
  check("body", normalizedText(source.body), normalizedText(target.body));
  return differences;
}

std::vector<FieldDifference> compareContact(const model::Contact& source, const std::string& fingerprint,
                                            const zimbra::StoredContact& target) {
  std::vector<FieldDifference> differences;
  std::map<std::string, std::string> expected;
  for (const auto& [name, value] : zimbra::contactAttributes(source, fingerprint)) expected[name] = value;
  // Every attribute the migration sends (names, e-mails, phones, company, birthday, notes, ...)
  // must be there with that value; what the server adds on its own is not the source's business.
  for (const auto& [name, value] : expected) {
    const auto found = target.attrs.find(name);
    const std::string actual = found == target.attrs.end() ? "" : found->second;
    if (actual != value) differences.push_back({name, value, actual});
  }
  return differences;
}

std::vector<FieldDifference> compareTask(const model::Task& source, const zimbra::StoredTask& target) {
  std::vector<FieldDifference> differences;
  auto check = [&differences](const char* field, const std::string& expected, const std::string& actual) {
    if (expected != actual) differences.push_back({field, expected, actual});
  };
  // A completed task is 100% done whatever the source's percent says (as the writer sends it).
  const bool done = source.complete || source.status == model::TaskStatus::kComplete;
  check("subject", source.subject, target.subject);
  check("status", zimbra::taskStatusCode(done ? model::TaskStatus::kComplete : source.status), target.status);
  check("percent", std::to_string(done ? 100 : source.percent_complete), target.percent.empty() ? "0" : target.percent);
  check("start", source.start ? source.start->toBasicString() : "", target.start);
  check("due", source.due ? source.due->toBasicString() : "", target.due);
  check("priority", zimbra::taskPriorityCode(source.importance), target.priority);
  check("categories", joinSorted(source.categories), joinSorted(target.categories));
  check("body", normalizedText(source.body), normalizedText(target.body));
  return differences;
}

Result<VerifySummary> verifyAccount(const VerifyRequest& request) {
  VerifySummary summary;
  summary.account = request.target_account;
  const std::string run_id = request.run_id.empty() ? utcRunId() : request.run_id;
  const std::filesystem::path log_path =
      std::filesystem::path(request.audit_dir) / request.target_account / ("verify-" + run_id + ".xml");
  std::error_code mkdir_error;
  std::filesystem::create_directories(log_path.parent_path(), mkdir_error);
  if (mkdir_error) {
    return Error{"audit.create", "cannot create the audit log folder: " + mkdir_error.message(),
                 log_path.parent_path().string()};
  }
  audit::RunInfo run;
  run.account = request.target_account;
  run.run_id = "verify-" + run_id;
  run.tool_version = kToolVersion;
  run.target_url = request.server.admin_url;
  run.source_files = request.source_files;
  // How the reports tell a verify log from a migration log (report/scan.h isVerifyRun).
  run.options.emplace_back("command", "verify");
  audit::SystemClock clock;
  auto log = audit::AuditLog::create(log_path.string(), run, clock);
  if (!log) return log.error();
  (*log)->registerSecret(request.server.admin_password);
  summary.audit_log_path = log_path.string();
  auto abandon = [&log](const Error& error) {
    audit::Summary unfinished;
    unfinished.complete = false;
    (void)(*log)->close(unfinished);
    return error;
  };

  AuditingObserver observer(**log);
  zimbra::ServerConfig server = request.server;
  server.dry_run = false;  // a rehearsal reads nothing back
  auto client = zimbra::ZimbraClient::create(server, &observer);
  if (!client) return abandon(client.error());
  if (auto connected = (*client)->connect(); !connected) return abandon(connected.error());

  Verifier verifier(request, **client, **log, observer, summary);
  for (const auto& source : request.source_files) {
    auto identity = state::sourceFileIdentity(source);
    const std::string name = identity ? *identity : std::filesystem::path(source).filename().string();
    verifier.setSourceIdentity(name);
    auto read = readSourceItems(source, verifier);
    verifier.finishSource();
    if (!read) {
      // Its items are unknown: no extras are looked for among its state rows either.
      verifier.sourceFailed(name);
      ++summary.sources_failed;
      summary.source_errors.push_back(read.error().describe());
      model::Finding finding;
      finding.kind = "source.unreadable";
      finding.severity = model::Severity::kError;
      finding.item = model::Provenance{source, "", ""};
      finding.why = read.error().describe();
      (void)(*log)->appendFinding(finding);
    }
  }
  verifier.finishMailSettings();
  verifier.findExtras();

  audit::Summary closing;
  // One row per kind and outcome ("appointment:verify.match"): matches count as created, items
  // left out on purpose as skipped, every other outcome as failed (docs/audit-log.md).
  for (const auto& [kind, by_outcome] : summary.counts) {
    for (const auto& [outcome, count] : by_outcome) {
      audit::KindCounts counts;
      counts.kind = kind + ":verify." + outcome;
      if (outcome == toString(VerifyOutcome::kMatch)) {
        counts.created = count;
      } else if (outcome == toString(VerifyOutcome::kSkipped)) {
        counts.skipped = count;
      } else {
        counts.failed = count;
      }
      closing.counts.push_back(counts);
    }
  }
  closing.complete = summary.sources_failed == 0;
  if (auto closed = (*log)->close(closing); !closed) return closed.error();
  for (const auto& problem : observer.writeErrors()) summary.source_errors.push_back("audit log: " + problem);
  return summary;
}

std::string formatVerifyJson(const VerifySummary& summary) {
  nlohmann::ordered_json out;
  out["account"] = summary.account;
  out["itemsSeen"] = summary.items_seen;
  nlohmann::ordered_json counts = nlohmann::ordered_json::object();
  for (const auto& [kind, by_outcome] : summary.counts) {
    nlohmann::ordered_json row = nlohmann::ordered_json::object();
    for (const VerifyOutcome outcome : {VerifyOutcome::kMatch, VerifyOutcome::kMismatch, VerifyOutcome::kMissing,
                                        VerifyOutcome::kExtra, VerifyOutcome::kSkipped, VerifyOutcome::kError}) {
      const auto it = by_outcome.find(toString(outcome));
      row[toString(outcome)] = it == by_outcome.end() ? 0 : it->second;
    }
    counts[kind] = std::move(row);
  }
  out["counts"] = std::move(counts);
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const auto& item : summary.items) {
    nlohmann::ordered_json entry;
    entry["kind"] = item.kind;
    entry["outcome"] = toString(item.outcome);
    entry["source"] = {{"file", item.source.source_file}, {"folder", item.source.folder_path},
                       {"entryId", item.source.entry_id}};
    entry["subject"] = item.subject;
    entry["uid"] = item.uid;
    entry["targetId"] = item.target_id;
    nlohmann::ordered_json fields = nlohmann::ordered_json::array();
    for (const auto& difference : item.differences) {
      fields.push_back({{"field", difference.field}, {"source", difference.source}, {"target", difference.target}});
    }
    entry["fields"] = std::move(fields);
    entry["note"] = item.note;
    items.push_back(std::move(entry));
  }
  out["items"] = std::move(items);
  out["sourcesFailed"] = summary.sources_failed;
  out["errors"] = summary.source_errors;
  out["auditLog"] = summary.audit_log_path;
  out["allMatch"] = summary.allMatch();
  return out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace m2z::pipeline
