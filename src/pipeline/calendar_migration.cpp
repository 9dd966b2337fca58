#include "pipeline/calendar_migration.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <memory>
#include <sstream>

#include "audit/audit_log.h"
#include "normalize/normalizer.h"
#include "pipeline/mail_settings_migration.h"
#include "pipeline/progress.h"
#include "pipeline/run_support.h"
#include "pipeline/source_reader.h"
#include "zimbra/contact_requests.h"

namespace m2z::pipeline {

namespace {

constexpr const char* kToolVersion = "0.1.0";  // the audit log writes it as "mapi2zimbra <version>"
// Zimbra's folder id of the mailbox root (USER_ROOT): top-level folders are created under it.
constexpr const char* kRootFolderId = "1";

// Unique per run even when one process migrates several accounts within a second: the audit
// log refuses to overwrite an existing file, as it should.

constexpr const char* kAppointment = "appointment";
constexpr const char* kContact = "contact";
constexpr const char* kDistList = "distlist";
constexpr const char* kTask = "task";
constexpr const char* kRule = "rule";
constexpr const char* kOof = "oof";
// Skipped items whose folder did not say what it holds (e.g. rules and OOF templates).
constexpr const char* kOtherItem = "item";
// Zimbra's system folders, where a source folder without a place of its own lands.
constexpr const char* kContactsFolderId = "7";
constexpr const char* kTasksFolderId = "15";

std::string sha256Hex(const std::string& text) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0f]);
  }
  return hex;
}

// Each value length-prefixed, so no two item serialize alike by accident.
void addField(std::string& canonical, const std::string& value) {
  canonical += std::to_string(value.size()) + ":" + value + ";";
}

std::string itemHash(const model::Contact& item) {
  std::string canonical;
  for (const auto& [name, value] : zimbra::contactAttributes(item, "")) {
    addField(canonical, name);
    addField(canonical, value);
  }
  for (const auto& category : item.categories) addField(canonical, category);
  return sha256Hex(canonical);
}

std::string itemHash(const model::DistList& item) {
  std::string canonical;
  addField(canonical, item.name);
  addField(canonical, item.notes);
  for (const auto& member : item.members) {
    addField(canonical, member.display_name);
    addField(canonical, member.email);
    addField(canonical, member.target_entry_id);
  }
  for (const auto& category : item.categories) addField(canonical, category);
  return sha256Hex(canonical);
}

std::string itemHash(const model::Task& item) {
  std::string canonical;
  addField(canonical, item.subject);
  addField(canonical, item.body);
  addField(canonical, item.start ? item.start->toIsoString() : "");
  addField(canonical, item.due ? item.due->toIsoString() : "");
  addField(canonical, model::toString(item.status));
  addField(canonical, std::to_string(item.percent_complete));
  addField(canonical, model::toString(item.importance));
  for (const auto& category : item.categories) addField(canonical, category);
  return sha256Hex(canonical);
}




const char* zimbraView(normalize::FolderView view) {
  switch (view) {
    case normalize::FolderView::kContact: return "contact";
    case normalize::FolderView::kTask: return "task";
    default: return "appointment";
  }
}



class CalendarWriter : public model::ItemSink {
 public:
  CalendarWriter(const CalendarMigrationRequest& request, zimbra::ZimbraClient& client, audit::AuditLog& log,
                 AuditingObserver& observer, MigrationSummary& summary, Progress& progress)
      : request_(request), client_(client), log_(log), observer_(observer), summary_(summary), progress_(progress) {}

  // The state key of items from the source being read: its name, size and mtime, so the same
  // file moved elsewhere is the same source.
  void setSourceIdentity(std::string identity) { source_identity_ = std::move(identity); }
  bool stopped() const { return !summary_.stopped_early.empty(); }

  void onFolder(const model::SourceFolder& folder) override {
    flushWindow();  // the end of the previous folder
    if (stopped()) return;
    const normalize::FolderView view = normalize::folderViewOf(folder.container_class);
    folder_views_[folder.path] = view;
    if (view == normalize::FolderView::kContact) {
      ++summary_.contact_folders;
    } else if (view == normalize::FolderView::kTask) {
      ++summary_.task_folders;
    } else if (view == normalize::FolderView::kAppointment) {
      ++summary_.calendar_folders;
    }
    if (folder.item_count > 0) progress_.addExpected(folder.item_count);
    std::vector<model::Finding> findings;
    const auto mapping = normalizer_.mapFolder(folder, findings);
    for (const auto& finding : findings) record(finding);
    // A folder of another class (contacts filed in a mail folder) is made by its first item,
    // with that item's view: Zimbra keeps contacts and tasks only in folders of their view.
    if (view == normalize::FolderView::kAppointment || view == normalize::FolderView::kContact ||
        view == normalize::FolderView::kTask) {
      (void)folderId(mapping.target, nullptr, zimbraView(view));
    }
  }

  void onAppointment(model::Appointment item) override {
    if (shouldStop()) return;
    seen(kAppointment);
    std::vector<model::Finding> findings;
    const bool writable = normalizer_.normalize(item, findings);
    for (const auto& finding : findings) record(finding);
    if (!writable) {
      // The normalizer says why (a finding with item_skipped set): counted, never dropped.
      std::string reason = "cannot be carried over";
      for (const auto& finding : findings) {
        if (finding.item_skipped) reason = finding.kind + ": " + finding.why;
      }
      counted(kAppointment, Counted::kSkipped);
      summary_.problems.push_back({item.provenance, item.subject, "skipped", reason});
      saveItem(item.provenance, "appointment",
               {item.original_uid.empty() ? item.uid : item.original_uid, item.uid, contentHash(item), ""},
               state::ItemOutcome::kSkipped, reason);
      afterItem();
      return;
    }

    if (request_.batch_size > 1 && item.attachments.empty()) {
      window_.push_back(std::move(item));
      if (window_.size() >= static_cast<std::size_t>(request_.batch_size)) flushWindow();
      return;
    }
    observer_.setCurrentItem(summarize(item));
    writeAppointment(item);
    observer_.setCurrentItem(std::nullopt);
    afterItem();
  }

  void onFinding(model::Finding finding) override {
    if (finding.item_skipped && shouldStop()) return;
    record(finding);
    if (finding.item_skipped) {
      // Rules, OOF templates and other folder-associated items are not items of the folder's kind.
      const bool associated = finding.kind.rfind("rule.", 0) == 0 || finding.kind.rfind("oof.", 0) == 0 ||
                              finding.item.entry_id.rfind("associated", 0) == 0;
      // An appointment kept outside a calendar (Deleted Items) is still an appointment of the
      // source: counted in the appointment row, not under its mail folder's "item".
      const std::string kind = associated                               ? std::string(kOtherItem)
                               : finding.kind == "item.outside_calendar" ? std::string(kAppointment)
                                                                         : kindOfFolder(finding.item.folder_path);
      seen(kind);
      counted(kind, Counted::kSkipped);
      summary_.problems.push_back({finding.item, "", "skipped", finding.kind + ": " + finding.why});
      saveItem(finding.item, kind, {}, state::ItemOutcome::kSkipped, finding.kind + ": " + finding.why);
      afterItem();
    }
  }

  void onContact(model::Contact item) override {
    if (shouldStop()) return;
    seen(kContact);
    observer_.setCurrentItem(summarize(item));
    writeContact(item);
    observer_.setCurrentItem(std::nullopt);
    afterItem();
  }

  // Lists wait for the end of their source (finishSource), so that the contacts they name have
  // been written and can be referred to by their Zimbra ids whatever order the folder holds.
  void onDistList(model::DistList item) override {
    if (stopped()) return;
    pending_lists_.push_back(std::move(item));
  }

  void onTask(model::Task item) override {
    if (shouldStop()) return;
    seen(kTask);
    observer_.setCurrentItem(summarize(item));
    writeTask(item);
    observer_.setCurrentItem(std::nullopt);
    afterItem();
  }

  // Rules and out-of-office settings wait for the end of the run (finishMailSettings): Zimbra's
  // ModifyFilterRulesRequest replaces the whole rule set, so they go in one request per account.
  void onRule(model::Rule rule) override {
    if (stopped()) return;
    pending_rules_.push_back(std::move(rule));
  }

  void onOofSettings(model::OofSettings settings) override {
    if (stopped()) return;
    pending_oof_.push_back(std::move(settings));
  }

  // After the last source: one account has one rule set and one out-of-office setting. The first
  // source's OOF setting is carried; any later one is skipped with a reason, never dropped.
  void finishMailSettings() {
    if (stopped() || (pending_rules_.empty() && pending_oof_.empty())) return;
    std::optional<model::OofSettings> oof;
    for (std::size_t i = 0; i < pending_oof_.size(); ++i) {
      if (i == 0) {
        oof = pending_oof_[i];
        continue;
      }
      seen(kOof);
      counted(kOof, Counted::kSkipped);
      const std::string reason = "oof.superseded: an account has one out-of-office setting; the one of " +
                                 pending_oof_[0].provenance.source_file + " was used";
      summary_.problems.push_back({pending_oof_[i].provenance, "out of office", "skipped", reason});
      saveItem(pending_oof_[i].provenance, kOof, {}, state::ItemOutcome::kSkipped, reason);
    }
    const auto results = migrateMailSettings(client_, summary_.account, pending_rules_, oof);
    for (const MailSettingsItem& result : results) {
      const std::string kind = result.kind == "oof" ? kOof : kRule;
      seen(kind);
      for (const auto& finding : result.findings) record(finding);
      ItemState saved{"", "", "", result.name};
      if (result.outcome == "created" || result.outcome == "created_disabled") {
        counted(kind, Counted::kCreated);
        saveItem(result.item, kind, saved, state::ItemOutcome::kCreated, result.reason);
      } else if (result.outcome == "already_present") {
        counted(kind, Counted::kAlreadyPresent);
        saveItem(result.item, kind, saved, state::ItemOutcome::kAlreadyPresent, result.reason);
      } else if (result.outcome == "skipped") {
        counted(kind, Counted::kSkipped);
        summary_.problems.push_back({result.item, result.name, "skipped", result.reason});
        saveItem(result.item, kind, saved, state::ItemOutcome::kSkipped, result.reason);
      } else {
        counted(kind, Counted::kFailed);
        summary_.problems.push_back({result.item, result.name, "failed", result.reason});
        saveItem(result.item, kind, saved, state::ItemOutcome::kFailed, result.reason);
        model::Finding finding;
        finding.kind = "item.failed";
        finding.severity = model::Severity::kError;
        finding.item = result.item;
        finding.why = result.reason;
        record(finding);
      }
      afterItem();
    }
    pending_rules_.clear();
    pending_oof_.clear();
  }

  // After each source: writes the distribution lists held back, then forgets what was
  // per-source (contact ids by entry id, which are only unique within one file).
  void finishSource() {
    flushWindow();
    std::vector<model::DistList> lists = std::move(pending_lists_);
    pending_lists_.clear();
    for (model::DistList& list : lists) {
      if (shouldStop()) break;
      seen(kDistList);
      observer_.setCurrentItem(summarize(list));
      writeDistList(list);
      observer_.setCurrentItem(std::nullopt);
      afterItem();
    }
    contact_ids_.clear();
  }

 private:
  struct ItemState {
    std::string uid_original;  // as read from the source
    std::string uid_sent;      // as given to the server (shortened when the original was too long)
    std::string content_hash;
    std::string target_id;
  };

  enum class Counted { kCreated, kAlreadyPresent, kSkipped, kFailed };

  void seen(const std::string& kind) {
    ++summary_.items_seen;
    ++summary_.by_kind[kind].seen;
  }
  void unseen(const std::string& kind) {
    --summary_.items_seen;
    --summary_.by_kind[kind].seen;
  }
  void counted(const std::string& kind, Counted what) {
    KindCounts& counts = summary_.by_kind[kind];
    switch (what) {
      case Counted::kCreated: ++summary_.created, ++counts.created; break;
      case Counted::kAlreadyPresent: ++summary_.already_present, ++counts.already_present; break;
      case Counted::kSkipped: ++summary_.skipped, ++counts.skipped; break;
      case Counted::kFailed: ++summary_.failed, ++counts.failed; break;
    }
  }

  std::string kindOfFolder(const std::string& folder_path) const {
    const auto it = folder_views_.find(folder_path);
    if (it == folder_views_.end()) return kOtherItem;
    switch (it->second) {
      case normalize::FolderView::kAppointment: return kAppointment;
      case normalize::FolderView::kContact: return kContact;
      case normalize::FolderView::kTask: return kTask;
      default: return kOtherItem;
    }
  }

  // Stable for the same source file and item: the key of the item's state row.
  std::string stableKey(const model::Provenance& source) const { return source_identity_ + "#" + source.entry_id; }

  // The Zimbra folder of an item of `view` ("contact", "task"); items of a folder the policy
  // maps to the mailbox root go to the system folder of their kind.
  Result<std::string> itemFolder(const model::Provenance& source, const std::string& view) {
    std::vector<model::Finding> folder_findings;
    const auto mapping = normalizer_.mapFolderPath(source, folder_findings);
    for (const auto& finding : folder_findings) record(finding);
    auto folder = folderId(mapping.target, &source, view);
    if (folder && *folder == kRootFolderId) return std::string(view == "task" ? kTasksFolderId : kContactsFolderId);
    return folder;
  }

  // The contacts of a folder by fingerprint, read from the server once per run.
  Result<std::map<std::string, std::string>*> fingerprintsOf(const std::string& folder,
                                                             const model::Provenance& source) {
    if (auto it = contact_fingerprints_.find(folder); it != contact_fingerprints_.end()) return &it->second;
    auto contacts = client_.getContacts(summary_.account, folder, &source);
    if (!contacts) return contacts.error();
    std::map<std::string, std::string> known;
    for (const auto& contact : *contacts) {
      const auto attr = contact.attrs.find(std::string(zimbra::kSourceFingerprintAttribute));
      if (attr != contact.attrs.end() && !attr->second.empty()) known.emplace(attr->second, contact.id);
    }
    return &contact_fingerprints_.emplace(folder, std::move(known)).first->second;
  }

  void recordAlreadyPresent(const model::Provenance& source, const std::string& field, const std::string& key,
                            const std::string& target_id, const std::string& what) {
    model::Finding finding;
    finding.kind = "item.already_present";
    finding.severity = model::Severity::kInfo;
    finding.item = source;
    finding.field = field;
    finding.before = key;
    finding.after = target_id;
    finding.why = what + " is already in the account; it was left as it is";
    record(finding);
  }

  // Contacts and groups: a state row says what an earlier run finished; otherwise the folder's
  // fingerprints say whether an earlier send (answer lost, state lost) already stored it.
  // Returns false when the item is accounted for here (already present, failed, or stopped).
  bool contactNeedsCreate(const std::string& kind, const model::Provenance& source, const std::string& subject,
                          const std::string& folder, const std::string& fingerprint, ItemState& saved) {
    if (auto earlier = findSaved(source); earlier && (earlier->outcome == state::ItemOutcome::kCreated ||
                                                      earlier->outcome == state::ItemOutcome::kAlreadyPresent)) {
      counted(kind, Counted::kAlreadyPresent);
      contact_ids_[source.entry_id] = earlier->target_id;
      if (!earlier->content_hash.empty() && earlier->content_hash != saved.content_hash) {
        recordChanged(source, earlier->target_id);
      }
      return false;
    }
    auto known = fingerprintsOf(folder, source);
    if (!known) {
      failItem(kind, source, subject, saved, known.error().describe(), known.error().code);
      return false;
    }
    if (auto it = (*known)->find(fingerprint); it != (*known)->end()) {
      counted(kind, Counted::kAlreadyPresent);
      saved.target_id = it->second;
      contact_ids_[source.entry_id] = it->second;
      saveItem(source, kind, saved, state::ItemOutcome::kAlreadyPresent, "");
      recordAlreadyPresent(source, zimbra::kSourceFingerprintAttribute.data(), fingerprint, it->second,
                           "a contact made from this source item");
      return false;
    }
    if (!saveItem(source, kind, saved, state::ItemOutcome::kPending, "")) {
      unseen(kind);
      return false;
    }
    return true;
  }

  void contactCreated(const std::string& kind, const model::Provenance& source, const std::string& folder,
                      const std::string& fingerprint, ItemState& saved, const std::string& id) {
    counted(kind, Counted::kCreated);
    saved.target_id = id;
    contact_fingerprints_[folder][fingerprint] = id;
    contact_ids_[source.entry_id] = id;
    saveItem(source, kind, saved, state::ItemOutcome::kCreated, "");
  }

  void writeContact(const model::Contact& item) {
    const model::Provenance& source = item.provenance;
    const std::string subject = item.display_name.empty() ? item.file_as : item.display_name;
    const std::string fingerprint = sha256Hex(stableKey(source));
    ItemState saved{"", "", itemHash(item), ""};
    auto folder = itemFolder(source, "contact");
    if (!folder) return failItem(kContact, source, subject, saved, "target folder: " + folder.error().describe(), "");
    if (!contactNeedsCreate(kContact, source, subject, *folder, fingerprint, saved)) return;
    // Zimbra keeps a contact photo as an uploaded attachment (<a n="image" aid>): it goes up
    // first; if it does not, uploadForItem reports it and the contact is created without it.
    std::string image_aid;
    if (item.photo && !item.photo->data.empty()) {
      const model::ContactPhoto& photo = *item.photo;
      const std::string name = "photo" + (photo.extension.empty() ? std::string(".jpg") : photo.extension);
      if (auto aid = uploadForItem(source, name, photo.mime_type.empty() ? photoMimeType(photo.extension) : photo.mime_type,
                                   photo.data, "photo")) {
        image_aid = std::move(*aid);
      }
    }
    auto created = client_.createContact(summary_.account, *folder, item, &source, fingerprint, image_aid);
    if (!created) return failItem(kContact, source, subject, saved, created.error().describe(), created.error().code);
    contactCreated(kContact, source, *folder, fingerprint, saved, created->id);
  }

  // The image type a photo's extension names (Outlook stores ContactPicture.jpg, mostly).
  static std::string photoMimeType(std::string_view extension) {
    std::string lower;
    for (char c : extension) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (lower == ".png") return "image/png";
    if (lower == ".gif") return "image/gif";
    if (lower == ".bmp") return "image/bmp";
    return "image/jpeg";
  }

  // Uploads one attachment (or photo) of an item; on failure records a warning finding naming
  // the item and the file (attachment.too_large over the upload limit, attachment.upload_failed
  // otherwise) and returns nothing, so the item is still created, without it.
  std::optional<std::string> uploadForItem(const model::Provenance& source, const std::string& name,
                                           const std::string& mime_type, const std::vector<std::uint8_t>& content,
                                           const std::string& field) {
    auto aid = client_.uploadAttachment(summary_.account, name, mime_type, content, &source);
    if (aid) return std::move(*aid);
    const bool too_large = aid.error().code == "attachment.too_large";
    model::Finding finding;
    finding.kind = too_large ? "attachment.too_large" : "attachment.upload_failed";
    finding.severity = model::Severity::kWarning;
    finding.item = source;
    finding.field = field;
    finding.before = "\"" + name + "\", " + std::to_string(content.size()) + " bytes";
    finding.why = (too_large ? std::string("the file is larger than the server takes as an upload")
                             : std::string("the upload failed")) +
                  " (" + aid.error().describe() + "); the item was created without it";
    record(finding);
    return std::nullopt;
  }

  // Members that are contacts of the same file refer to the contact made from them; the others
  // are inline "Name" <address> members. A member with neither is reported, not guessed at.
  std::vector<zimbra::GroupMember> groupMembers(const model::DistList& list) {
    std::vector<zimbra::GroupMember> members;
    for (const model::DistListMember& member : list.members) {
      const auto ref = member.target_entry_id.empty() ? contact_ids_.end() : contact_ids_.find(member.target_entry_id);
      if (member.kind == model::DistListMemberKind::kContact && ref != contact_ids_.end()) {
        members.push_back({"C", ref->second});
      } else if (member.email.find('@') != std::string::npos) {
        members.push_back({"I", zimbra::inlineMemberValue(member.display_name, member.email)});
      } else if (ref != contact_ids_.end()) {
        members.push_back({"C", ref->second});
      } else {
        model::Finding finding;
        finding.kind = "distlist.member_dropped";
        finding.severity = model::Severity::kWarning;
        finding.item = list.provenance;
        finding.field = "members";
        finding.before = member.display_name + " (" + model::toString(member.kind) +
                         (member.email.empty() ? "" : ", " + member.address_type + ":" + member.email) + ")";
        finding.why = "the member has no SMTP address and is not a contact migrated from the same file, so the "
                      "contact group cannot name it";
        record(finding);
      }
    }
    return members;
  }

  void writeDistList(const model::DistList& item) {
    const model::Provenance& source = item.provenance;
    const std::string fingerprint = sha256Hex(stableKey(source));
    ItemState saved{"", "", itemHash(item), ""};
    auto folder = itemFolder(source, "contact");
    if (!folder) return failItem(kDistList, source, item.name, saved, "target folder: " + folder.error().describe(), "");
    if (!contactNeedsCreate(kDistList, source, item.name, *folder, fingerprint, saved)) return;
    auto created = client_.createContactGroup(summary_.account, *folder, item, &source, groupMembers(item), fingerprint);
    if (!created) return failItem(kDistList, source, item.name, saved, created.error().describe(), created.error().code);
    contactCreated(kDistList, source, *folder, fingerprint, saved, created->id);
  }

  void writeTask(const model::Task& item) {
    const model::Provenance& source = item.provenance;
    const std::string uid = zimbra::ZimbraClient::taskUid(stableKey(source));
    ItemState saved{"", uid, itemHash(item), ""};
    if (auto earlier = findSaved(source); earlier && (earlier->outcome == state::ItemOutcome::kCreated ||
                                                      earlier->outcome == state::ItemOutcome::kAlreadyPresent)) {
      counted(kTask, Counted::kAlreadyPresent);
      if (!earlier->content_hash.empty() && earlier->content_hash != saved.content_hash) {
        recordChanged(source, earlier->target_id);
      }
      return;
    }
    auto folder = itemFolder(source, "task");
    if (!folder) return failItem(kTask, source, item.subject, saved, "target folder: " + folder.error().describe(), "");
    auto existing = client_.findTaskByUid(summary_.account, uid, &source);
    if (!existing) return failItem(kTask, source, item.subject, saved, existing.error().describe(), existing.error().code);
    if (existing->has_value()) {
      counted(kTask, Counted::kAlreadyPresent);
      saved.target_id = (*existing)->id;
      saveItem(source, kTask, saved, state::ItemOutcome::kAlreadyPresent, "");
      recordAlreadyPresent(source, "uid", uid, (*existing)->id, "a task with this UID");
      return;
    }
    if (!saveItem(source, kTask, saved, state::ItemOutcome::kPending, "")) {
      unseen(kTask);
      return;
    }
    auto created = client_.setTask(summary_.account, *folder, item, &source, uid);
    if (!created) return failItem(kTask, source, item.subject, saved, created.error().describe(), created.error().code);
    counted(kTask, Counted::kCreated);
    saved.target_id = created->id;
    saveItem(source, kTask, saved, state::ItemOutcome::kCreated, "");
    if (item.is_recurring) {
      model::Finding finding;
      finding.kind = "task.recurrence_not_migrated";
      finding.severity = model::Severity::kWarning;
      finding.item = source;
      finding.field = "recurrence";
      finding.after = created->id;
      finding.why = "the task repeats in the source; the reader keeps only the raw rule, so it was created as its "
                    "current occurrence without the series";
      record(finding);
    }
  }

  bool shouldStop() {
    if (stopped()) return true;
    if (request_.stop != nullptr && request_.stop->load()) {
      summary_.stopped_early = "stop requested (Ctrl-C); run again to resume";
    }
    return stopped();
  }

  void afterItem() {
    progress_.itemDone();
    if (request_.heartbeat && !stopped()) {
      if (auto beat = request_.heartbeat(); !beat) summary_.stopped_early = beat.error().describe();
    }
  }

  void writeAppointment(const model::Appointment& item) {
    const model::Provenance& source = item.provenance;
    const std::string hash = contentHash(item);
    ItemState saved{item.original_uid.empty() ? item.uid : item.original_uid, item.uid, hash, ""};

    // What an earlier run finished is known from the state; what it left in doubt (sent, answer
    // lost) is looked up on the server below before anything is sent again.
    if (auto earlier = findSaved(source); earlier && (earlier->outcome == state::ItemOutcome::kCreated ||
                                                      earlier->outcome == state::ItemOutcome::kAlreadyPresent)) {
      counted(kAppointment, Counted::kAlreadyPresent);
      if (!earlier->content_hash.empty() && earlier->content_hash != hash) {
        recordChanged(source, earlier->target_id);
      }
      return;
    }

    std::vector<model::Finding> folder_findings;
    const auto mapping = normalizer_.mapFolderPath(source, folder_findings);
    for (const auto& finding : folder_findings) record(finding);
    auto folder = folderId(mapping.target, &source, "appointment");
    if (!folder) return fail(item, saved, "target folder: " + folder.error().describe());

    // A UID already in the account is an item an earlier run made (or the user's own): never
    // overwrite it, since SetAppointmentRequest would replace it wholesale.
    auto existing = client_.findAppointmentByUid(summary_.account, item.uid, &source);
    if (!existing) return fail(item, saved, existing.error().describe());
    if (existing->has_value()) {
      counted(kAppointment, Counted::kAlreadyPresent);
      saved.target_id = (*existing)->id;
      saveItem(source, "appointment", saved, state::ItemOutcome::kAlreadyPresent, "");
      model::Finding finding;
      finding.kind = "item.already_present";
      finding.severity = model::Severity::kInfo;
      finding.item = source;
      finding.field = "uid";
      finding.before = item.uid;
      finding.after = (*existing)->id;
      finding.why = "an appointment with this UID is already in the account; it was left as it is";
      record(finding);
      if ((*existing)->stored) reportIfDifferent(item, *(*existing)->stored, (*existing)->id);
      return;
    }
    // Pending before sending: after a crash the next run knows to look this UID up first.
    if (!saveItem(source, "appointment", saved, state::ItemOutcome::kPending, "")) {
      unseen(kAppointment);  // not sent: it stays for the run that resumes
      return;
    }
    // Attachments go up first (the request names them by upload id); one that does not go up
    // is reported and the appointment is created without it.
    std::vector<std::string> aids;
    for (std::size_t index = 0; index < item.attachments.size(); ++index) {
      const model::Attachment& attachment = item.attachments[index];
      if (auto aid = uploadForItem(source, attachment.name, attachment.mime_type, attachment.content,
                                   "attachments[" + std::to_string(index) + "]")) {
        aids.push_back(std::move(*aid));
      }
    }
    auto created = client_.setAppointment(summary_.account, *folder, item, &source, aids);
    if (!created) return fail(item, saved, created.error().describe(), created.error().code);
    counted(kAppointment, Counted::kCreated);
    saved.target_id = created->id;
    saveItem(source, "appointment", saved, state::ItemOutcome::kCreated, "");
  }

  // ---- Batched appointments (--batch-size) ----
  // The window's look-ups go in one BatchRequest, then the creates of the absent ones in one per
  // target folder. The state rows keep writeAppointment's order (pending before the send,
  // created/failed after), so a run killed mid-batch resumes the same way: a pending item is
  // looked up on the server before anything is sent again. The audit entries of a batch carry
  // their item's source but no item summary (the observer sees them after the whole batch).
  void flushWindow() {
    std::vector<model::Appointment> window = std::move(window_);
    window_.clear();
    if (window.empty()) return;
    struct Slot {
      const model::Appointment* item;
      ItemState saved;
      std::string folder;
    };
    std::vector<Slot> slots;
    for (const model::Appointment& item : window) {
      if (stopped()) {
        unseen(kAppointment);  // not reached: the run that resumes takes it
        continue;
      }
      ItemState saved{item.original_uid.empty() ? item.uid : item.original_uid, item.uid, contentHash(item), ""};
      if (auto earlier = findSaved(item.provenance); earlier && (earlier->outcome == state::ItemOutcome::kCreated ||
                                                                 earlier->outcome == state::ItemOutcome::kAlreadyPresent)) {
        counted(kAppointment, Counted::kAlreadyPresent);
        if (!earlier->content_hash.empty() && earlier->content_hash != saved.content_hash) {
          recordChanged(item.provenance, earlier->target_id);
        }
        afterItem();
        continue;
      }
      std::vector<model::Finding> folder_findings;
      const auto mapping = normalizer_.mapFolderPath(item.provenance, folder_findings);
      for (const auto& finding : folder_findings) record(finding);
      auto folder = folderId(mapping.target, &item.provenance, "appointment");
      if (!folder) {
        fail(item, saved, "target folder: " + folder.error().describe());
        afterItem();
        continue;
      }
      slots.push_back(Slot{&item, saved, *folder});
    }
    if (slots.empty()) return;

    std::vector<zimbra::UidLookup> lookups;
    for (const Slot& slot : slots) lookups.push_back({slot.item->uid, &slot.item->provenance});
    std::vector<Result<std::optional<zimbra::ItemRef>>> found = client_.findAppointmentsByUid(summary_.account, lookups);
    std::map<std::string, std::vector<Slot*>> to_create;  // by target folder
    for (std::size_t k = 0; k < slots.size(); ++k) {
      Slot& slot = slots[k];
      if (stopped()) {
        unseen(kAppointment);
        continue;
      }
      if (!found[k]) {
        fail(*slot.item, slot.saved, found[k].error().describe(), found[k].error().code);
        afterItem();
        continue;
      }
      if (found[k]->has_value()) {
        batchedAlreadyPresent(*slot.item, slot.saved, **found[k]);
        afterItem();
        continue;
      }
      if (!saveItem(slot.item->provenance, "appointment", slot.saved, state::ItemOutcome::kPending, "")) {
        unseen(kAppointment);
        continue;
      }
      to_create[slot.folder].push_back(&slot);
    }
    for (auto& [folder, group] : to_create) {
      std::vector<const model::Appointment*> items;
      for (const Slot* slot : group) items.push_back(slot->item);
      std::vector<Result<zimbra::ItemRef>> created = client_.setAppointments(summary_.account, folder, items);
      // Every item of the group was sent: its outcome is recorded even if the run stops now.
      for (std::size_t k = 0; k < group.size(); ++k) {
        Slot& slot = *group[k];
        if (!created[k]) {
          fail(*slot.item, slot.saved, created[k].error().describe(), created[k].error().code);
        } else {
          counted(kAppointment, Counted::kCreated);
          slot.saved.target_id = created[k]->id;
          saveItem(slot.item->provenance, "appointment", slot.saved, state::ItemOutcome::kCreated, "");
        }
        afterItem();
      }
    }
  }

  // As writeAppointment does for a UID already in the account: left as it is, and said so.
  void batchedAlreadyPresent(const model::Appointment& item, ItemState saved, const zimbra::ItemRef& existing) {
    counted(kAppointment, Counted::kAlreadyPresent);
    saved.target_id = existing.id;
    saveItem(item.provenance, "appointment", saved, state::ItemOutcome::kAlreadyPresent, "");
    model::Finding finding;
    finding.kind = "item.already_present";
    finding.severity = model::Severity::kInfo;
    finding.item = item.provenance;
    finding.field = "uid";
    finding.before = item.uid;
    finding.after = existing.id;
    finding.why = "an appointment with this UID is already in the account; it was left as it is";
    record(finding);
    if (existing.stored) reportIfDifferent(item, *existing.stored, existing.id);
  }

  std::optional<state::ItemRecord> findSaved(const model::Provenance& source) {
    if (request_.state == nullptr) return std::nullopt;
    auto found = request_.state->findItem({stateAccount(), source_identity_, source.entry_id});
    if (!found) {
      stateError(found.error());
      return std::nullopt;
    }
    return *found;
  }

  const std::string& stateAccount() const {
    return request_.state_account.empty() ? summary_.account : request_.state_account;
  }

  // False when the state could not be written: the account then stops (see stateError).
  bool saveItem(const model::Provenance& source, const std::string& kind, const ItemState& item,
                state::ItemOutcome outcome, const std::string& reason) {
    if (request_.state == nullptr) return true;
    state::ItemRecord record;
    record.key = {stateAccount(), source_identity_, source.entry_id};
    record.kind = kind;
    record.content_hash = item.content_hash;
    record.uid_original = item.uid_original;
    record.uid_sent = item.uid_sent;
    record.target_id = item.target_id;
    record.outcome = outcome;
    record.reason = reason;
    if (auto saved = request_.state->recordItem(record); !saved) {
      stateError(saved.error());
      return false;
    }
    return true;
  }

  // Losing the state is not losing data (the UID look-up still prevents duplicates), but the
  // run must not go on pretending it can resume exactly: stop the account and say why.
  void stateError(const Error& error) {
    summary_.stopped_early = "state store: " + error.describe();
  }

  // A delta run over a newer export, or a user who edited the migrated copy: the target keeps
  // what it has (never overwritten), and the difference is reported so someone can check it.
  void reportIfDifferent(const model::Appointment& item, const zimbra::StoredAppointment& stored,
                         const std::string& target_id) {
    std::string source_start;
    if (item.resolved) {
      source_start = item.all_day ? item.resolved->first_day.toBasicString() : item.resolved->start_local.toBasicString();
    }
    std::vector<std::string> differences;
    if (stored.subject != item.subject) differences.push_back("subject");
    if (stored.all_day != item.all_day) differences.push_back("all-day");
    if (!source_start.empty() && !stored.start.empty() && stored.start != source_start) differences.push_back("start");
    if (differences.empty()) return;
    std::string what;
    for (const auto& difference : differences) what += (what.empty() ? "" : ", ") + difference;
    model::Finding finding;
    finding.kind = "item.differs_on_target";
    finding.severity = model::Severity::kWarning;
    finding.item = item.provenance;
    finding.field = what;
    finding.before = stored.subject + " @ " + stored.start + (stored.start_tz.empty() ? "" : " " + stored.start_tz) +
                     " (target " + target_id + ")";
    finding.after = item.subject + " @ " + source_start;
    finding.why = "the appointment with this UID on the target differs from the source (" + what +
                  "); the target's copy was left as it is";
    record(finding);
  }

  void recordChanged(const model::Provenance& source, const std::string& target_id) {
    model::Finding finding;
    finding.kind = "item.changed_since_migration";
    finding.severity = model::Severity::kWarning;
    finding.item = source;
    finding.after = target_id;
    finding.why = "the source item changed after it was migrated; the migrated copy was left as it is";
    record(finding);
  }

  void fail(const model::Appointment& item, const ItemState& saved, std::string reason, const std::string& code = "") {
    failItem(kAppointment, item.provenance, item.subject, saved, std::move(reason), code);
  }

  void failItem(const std::string& kind, const model::Provenance& source, const std::string& subject,
                const ItemState& saved, std::string reason, const std::string& code) {
    // The server stayed unavailable longer than allowed: the item is not failed, the account is
    // paused, and a later run resumes here (the item stays pending or unrecorded in the state).
    if (code == "account.paused") {
      summary_.stopped_early = reason;
      unseen(kind);
      return;
    }
    counted(kind, Counted::kFailed);
    summary_.problems.push_back({source, subject, "failed", reason});
    saveItem(source, kind, saved, state::ItemOutcome::kFailed, reason);
    model::Finding finding;
    finding.kind = "item.failed";
    finding.severity = model::Severity::kError;
    finding.item = source;
    finding.why = std::move(reason);
    record(finding);
  }

  void record(const model::Finding& finding) {
    ++summary_.findings_by_kind[finding.kind];
    if (auto status = log_.appendFinding(finding); !status) {
      std::fprintf(stderr, "audit log: %s\n", status.error().describe().c_str());
    }
  }

  // The Zimbra folder id for a source folder path, creating the folders on the way ("fetch if
  // exists", so "/Calendar" lands in Zimbra's own Calendar and re-runs reuse what they made).
  Result<std::string> folderId(const std::vector<std::string>& target, const model::Provenance* source,
                               const std::string& view) {
    std::string parent = kRootFolderId;
    std::string prefix;
    for (const auto& name : target) {
      if (name.empty()) continue;
      // The key joins names with NUL: names may contain '/' after sanitizing never, but the
      // key must not depend on that.
      prefix += '\0' + name;
      if (auto it = folder_ids_.find(prefix); it != folder_ids_.end()) {
        if (!it->second) return it->second;
        parent = *it->second;
        continue;
      }
      auto created = client_.createFolder(summary_.account, parent, name, source, view);
      if (!created) {
        folder_ids_.emplace(prefix, created.error());
        return created.error();
      }
      folder_ids_.emplace(prefix, created->id);
      parent = created->id;
    }
    if (prefix.empty()) return std::string(kRootFolderId);
    return parent;
  }

  const CalendarMigrationRequest& request_;
  zimbra::ZimbraClient& client_;
  audit::AuditLog& log_;
  AuditingObserver& observer_;
  MigrationSummary& summary_;
  Progress& progress_;
  std::string source_identity_;
  normalize::Normalizer normalizer_;
  std::map<std::string, Result<std::string>> folder_ids_;
  std::vector<model::Appointment> window_;  // appointments waiting for their batch
  std::map<std::string, normalize::FolderView> folder_views_;  // source folder path -> what it holds
  // Per target folder: the fingerprints of the contacts it holds (read once per run), to ids.
  std::map<std::string, std::map<std::string, std::string>> contact_fingerprints_;
  // This source's contacts (and lists) by entry id -> their Zimbra ids, for group members.
  std::map<std::string, std::string> contact_ids_;
  std::vector<model::DistList> pending_lists_;
  std::vector<model::Rule> pending_rules_;
  std::vector<model::OofSettings> pending_oof_;
};

}  // namespace

Result<MigrationSummary> migrateCalendars(const CalendarMigrationRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  MigrationSummary summary;
  summary.account = request.target_account;

  const std::string run_id = request.run_id.empty() ? utcRunId() : request.run_id;
  const std::filesystem::path log_path =
      std::filesystem::path(request.audit_dir) / request.target_account / (run_id + ".xml");
  std::error_code mkdir_error;
  std::filesystem::create_directories(log_path.parent_path(), mkdir_error);
  if (mkdir_error) {
    return Error{"audit.create", "cannot create the audit log folder: " + mkdir_error.message(),
                 log_path.parent_path().string()};
  }
  audit::RunInfo run;
  run.account = request.target_account;
  run.run_id = run_id;
  run.tool_version = kToolVersion;
  run.target_url = request.server.admin_url;
  run.source_files = request.source_files;
  audit::SystemClock clock;
  auto log = audit::AuditLog::create(log_path.string(), run, clock);
  if (!log) return log.error();
  (*log)->registerSecret(request.server.admin_password);
  summary.audit_log_path = log_path.string();

  // A run that cannot start still leaves a closed log that says it did not finish.
  auto abandon = [&log](const Error& error) {
    audit::Summary unfinished;
    unfinished.complete = false;
    (void)(*log)->close(unfinished);
    return error;
  };
  AuditingObserver observer(**log);
  auto client = zimbra::ZimbraClient::create(request.server, &observer);
  if (!client) return abandon(client.error());
  if (auto connected = (*client)->connect(); !connected) return abandon(connected.error());

  Progress progress(request.progress_out, request.target_account);
  CalendarWriter writer(request, **client, **log, observer, summary, progress);
  for (const auto& source : request.source_files) {
    if (writer.stopped()) break;
    auto identity = state::sourceFileIdentity(source);
    writer.setSourceIdentity(identity ? *identity : std::filesystem::path(source).filename().string());
    auto read = readSourceItems(source, writer, request.read_options);
    writer.finishSource();
    if (!read) {
      // The whole file could not be read: nothing of it is lost silently, the run says so.
      ++summary.sources_failed;
      summary.problems.push_back({model::Provenance{source, "", ""}, "", "failed", read.error().describe()});
      model::Finding finding;
      finding.kind = "source.unreadable";
      finding.severity = model::Severity::kError;
      finding.item = model::Provenance{source, "", ""};
      finding.why = read.error().describe();
      ++summary.findings_by_kind[finding.kind];
      (void)(*log)->appendFinding(finding);
    }
  }
  writer.finishMailSettings();
  progress.finish();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  audit::Summary closing;
  // Items found already on the target were not created by this run: they count as skipped.
  if (summary.by_kind.empty()) summary.by_kind[kAppointment];  // the log always names appointments
  for (const auto& [kind, counts] : summary.by_kind) {
    closing.counts.push_back(
        audit::KindCounts{kind, counts.created, counts.already_present + counts.skipped, counts.failed});
  }
  closing.complete = summary.allAccountedFor() && summary.stopped_early.empty();
  if (auto closed = (*log)->close(closing); !closed) return closed.error();
  for (const auto& problem : observer.writeErrors()) {
    summary.problems.push_back({model::Provenance{}, "", "audit", problem});
  }
  return summary;
}

std::string contentHash(const model::Appointment& item) {
  // Fields a user sees, each length-prefixed so no two items serialize alike by accident.
  std::string canonical;
  auto add = [&canonical](const std::string& value) { addField(canonical, value); };
  add(item.subject);
  add(item.location);
  add(item.body);
  add(std::to_string(item.start.unix_seconds));
  add(std::to_string(item.end.unix_seconds));
  add(item.all_day ? "1" : "0");
  add(item.uid);
  for (const auto& attendee : item.attendees) add(attendee.person.email);
  for (const auto& category : item.categories) add(category);
  return sha256Hex(canonical);
}

std::string formatSummary(const MigrationSummary& summary) {
  std::ostringstream out;
  out << "account:          " << summary.account << "\n"
      << "calendar folders: " << summary.calendar_folders << "\n"
      << "contact folders:  " << summary.contact_folders << "\n"
      << "task folders:     " << summary.task_folders << "\n"
      << "items seen:       " << summary.items_seen << "\n"
      << "  created:        " << summary.created << "\n"
      << "  already there:  " << summary.already_present << "\n"
      << "  skipped:        " << summary.skipped << "\n"
      << "  failed:         " << summary.failed << "\n"
      << "sources unreadable: " << summary.sources_failed << "\n";
  if (!summary.by_kind.empty()) {
    out << "by kind (seen/created/already there/skipped/failed):\n";
    for (const auto& [kind, counts] : summary.by_kind) {
      out << "  " << kind << ": " << counts.seen << "/" << counts.created << "/" << counts.already_present << "/"
          << counts.skipped << "/" << counts.failed << "\n";
    }
  }
  out
      << "all accounted for: " << (summary.allAccountedFor() ? "yes" : "NO") << "\n";
  if (!summary.stopped_early.empty()) out << "STOPPED EARLY:    " << summary.stopped_early << "\n";
  if (!summary.findings_by_kind.empty()) {
    out << "findings:\n";
    for (const auto& [kind, count] : summary.findings_by_kind) out << "  " << kind << ": " << count << "\n";
  }
  if (!summary.problems.empty()) {
    out << "items needing attention:\n";
    for (const auto& problem : summary.problems) {
      out << "  [" << problem.outcome << "] " << problem.item.describe();
      if (!problem.subject.empty()) out << " \"" << problem.subject << "\"";
      out << ": " << problem.reason << "\n";
    }
  }
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", summary.seconds);
  out << "time:             " << seconds << " s\n"
      << "audit log:        " << summary.audit_log_path << "\n";
  return out.str();
}

}  // namespace m2z::pipeline
