#include "readers/pst/pst_rules_reader.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "readers/mapi/oof_mapper.h"
#include "readers/mapi/property_ids.h"
#include "readers/mapi/rule_mapper.h"
#include "readers/mapi/rule_stream.h"
#include "readers/mapi/rule_stream_mapper.h"
#include "readers/pst/pff_folders.h"
#include "readers/pst/pff_handles.h"
#include "readers/pst/pff_properties.h"

namespace m2z::readers::pst {

namespace {

constexpr std::uint32_t kPidTagSourceKey = 0x65E0;
// Exchange folder entry ids ([MS-OXCDATA] 2.2.4.1): Flags 4, Provider UID 16, Folder type 2, then
// DatabaseGuid 16 + GlobalCounter 6, which is the folder's PidTagSourceKey ([MS-OXCFXICS] 2.2.1.2.5).
constexpr std::size_t kExchangeFolderEntryIdSize = 46;
constexpr std::size_t kExchangeFolderEntryIdKeyOffset = 22;
constexpr std::size_t kSourceKeySize = 22;
constexpr std::string_view kRuleOrganizerClass = "IPM.RuleOrganizer";
// Findings carry a rules stream as hex; a real one is a few KiB, so this keeps any in full.
constexpr std::size_t kMaxHexBytes = std::size_t{1} << 20;

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string hexBytes(const mapi::Binary& bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string text;
  const auto size = std::min(bytes.size(), kMaxHexBytes);
  text.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    text.push_back(kDigits[bytes[i] >> 4]);
    text.push_back(kDigits[bytes[i] & 0x0F]);
  }
  return text;
}

class RulesWalker {
 public:
  RulesWalker(std::string source_file, model::ItemSink& sink, std::optional<std::uint32_t> ipm_subtree_id)
      : source_file_(std::move(source_file)), sink_(sink), ipm_subtree_id_(ipm_subtree_id) {}

  void walkChildren(libpff_item_t* folder, const std::string& path, int depth) {
    PffError error;
    int count = 0;
    if (libpff_folder_get_number_of_sub_folders(folder, &count, error.out()) != 1) {
      folderFinding(path, "folder.unreadable", "cannot list the sub folders: " + error.text());
      return;
    }
    for (int index = 0; index < count; ++index) {
      PffItem child;
      if (libpff_folder_get_sub_folder(folder, index, child.out(), error.out()) != 1 || !child) {
        folderFinding(path, "folder.unreadable", "cannot open sub folder " + std::to_string(index) + ": " + error.text());
        continue;
      }
      walkFolder(child.get(), path, depth + 1);
    }
  }

  // Hands over the rules read, with move/copy targets resolved to folder paths where the entry id
  // names a folder of this file.
  void emitRules() {
    for (auto& rule : pending_rules_) {
      for (auto& action : rule.actions) {
        if (action.kind != model::RuleActionKind::kMove && action.kind != model::RuleActionKind::kCopy) continue;
        action.folder_path = resolveFolder(action.folder_entry_id);
        if (action.folder_path.empty()) {
          sink_.onFinding(model::Finding{"rule.folder_unresolved", model::Severity::kWarning, rule.provenance,
                                         "PidTagExtendedRuleMessageActions", action.folder_entry_id, "",
                                         "rule \"" + rule.name + "\" moves or copies to a folder that is not in this file",
                                         false});
        }
      }
      ++summary_.rules;
      sink_.onRule(std::move(rule));
    }
    pending_rules_.clear();
  }

  mapi::OofSources& oof() { return oof_; }
  RulesReadSummary& summary() { return summary_; }

 private:
  void walkFolder(libpff_item_t* folder, const std::string& parent_path, int depth) {
    const auto name = folderName(folder).value_or("");
    const auto identifier = identifierOf(folder);
    const std::string path = isIpmTop(identifier, name, parent_path) ? std::string() : parent_path + "/" + name;
    if (depth > kMaxFolderDepth) {
      folderFinding(path, "folder.too_deep",
                    "folders nest deeper than " + std::to_string(kMaxFolderDepth) + " levels; the rest is not read");
      return;
    }
    ++summary_.folders;
    if (identifier) paths_by_nid_.emplace(*identifier, path.empty() ? "/" : path);
    if (const auto key = readBinaryProperty(folder, kPidTagSourceKey); key && key->size() == kSourceKeySize) {
      paths_by_source_key_.emplace(*key, path.empty() ? "/" : path);
    }
    readAssociated(folder, path.empty() ? "/" : path);
    walkChildren(folder, path, depth);
  }

  bool isIpmTop(std::optional<std::uint32_t> identifier, std::string_view name, std::string_view parent_path) const {
    if (ipm_subtree_id_) return identifier == ipm_subtree_id_;
    return (parent_path.empty() && (name == "Top of Personal Folders" || name == "Top of Outlook data file")) ||
           (parent_path == "/Root - Mailbox" && name == "IPM_SUBTREE");
  }

  void readAssociated(libpff_item_t* folder, const std::string& path) {
    PffError error;
    int count = 0;
    if (libpff_folder_get_number_of_sub_associated_contents(folder, &count, error.out()) != 1) {
      folderFinding(path, "folder.unreadable", "cannot list the folder's associated (hidden) items: " + error.text());
      return;
    }
    for (int index = 0; index < count; ++index) {
      ++summary_.associated_items;
      model::Provenance provenance{source_file_, path, "associated index " + std::to_string(index)};
      PffItem message;
      if (libpff_folder_get_sub_associated_content(folder, index, message.out(), error.out()) != 1 || !message) {
        // It may have been a rule: account for it.
        ++summary_.rule_items;
        skip(provenance, "item.unreadable", "", "libpff cannot open the folder-associated item: " + error.text());
        continue;
      }
      if (const auto id = identifierOf(message.get())) provenance.entry_id = std::to_string(*id);
      readItem(message.get(), provenance);
    }
  }

  void readItem(libpff_item_t* message, const model::Provenance& provenance) {
    std::vector<PropertyProblem> problems;
    auto bag = readMessage(message, problems);
    if (!bag) {
      ++summary_.rule_items;
      skip(provenance, "item.unreadable", "", "cannot read the folder-associated item: " + bag.error().message);
      return;
    }
    const auto& message_class = bag->message_class;
    const bool rule = mapi::isRuleMessageClass(message_class);
    const bool organizer = equalsIgnoreCase(message_class, kRuleOrganizerClass);
    const bool oof_template = mapi::isOofTemplateClass(message_class);
    if (!rule && !organizer && !oof_template) return;  // views, configuration: not rules
    ++summary_.rule_items;
    for (auto& problem : problems) {
      sink_.onFinding(model::Finding{"property.unreadable", model::Severity::kWarning, provenance, problem.property,
                                     "", "", "libpff cannot read the property: " + problem.why, false});
    }
    if (rule) {
      std::vector<model::Finding> findings;
      auto mapped = mapi::mapRule(*bag, provenance, findings);
      for (auto& finding : findings) sink_.onFinding(std::move(finding));
      if (!mapped) {
        skip(provenance, "item.unconvertible", std::string(mapi::kPidTagMessageClass.name), mapped.error().message);
        return;
      }
      if (mapped->provider == mapi::kOofRulesProvider) oof_.oof_rules.push_back(*mapped);
      // Move/copy targets can be named once every folder has been seen.
      pending_rules_.push_back(std::move(mapped).value());
    } else if (organizer) {
      ++summary_.client_rule_streams;
      readOrganizer(*bag, provenance);
    } else if (auto parsed = mapi::oofTemplateFromBag(*bag, provenance)) {
      ++summary_.oof_templates;
      oof_.templates.push_back(std::move(*parsed));
    }
  }

  // The Outlook client's rules (the Rules Wizard stream): decoded into model rules.
  void readOrganizer(const mapi::PropertyBag& bag, const model::Provenance& provenance) {
    const std::string field(mapi::kPidTagRwRulesStream.name);
    const auto* value = bag.findTagged(mapi::kPidTagRwRulesStream.id);
    const auto* stream = value ? std::get_if<mapi::Binary>(value) : nullptr;
    if (stream == nullptr) {
      sink_.onFinding(model::Finding{"rule.client_rules_missing", model::Severity::kInfo, provenance, field, "", "",
                                     "the Outlook rules organizer message has no rules stream", false});
      return;
    }
    auto header = mapi::parseRulesStreamHeader(*stream, field);
    if (!header) {
      ++summary_.skipped;
      sink_.onFinding(model::Finding{"rule.client_rules_unreadable", model::Severity::kWarning, provenance, field,
                                     hexBytes(*stream), "",
                                     header.error().message + "; the Outlook client's rules are kept as raw bytes",
                                     true});
      return;
    }
    if (header->rule_count == 0) {
      sink_.onFinding(model::Finding{"rule.client_rules_empty", model::Severity::kInfo, provenance, field, "", "",
                                     "the Outlook client's rules stream (Outlook " + header->outlook_version +
                                         ") holds no rules",
                                     false});
      return;
    }
    // Each client rule becomes a model rule; what has no model counterpart is kept as raw bytes
    // on the rule with a finding (readers/mapi/rule_stream_mapper.h).
    std::vector<model::Finding> findings;
    auto rules = mapi::rulesFromClientStream(*stream, provenance, findings);
    for (auto& finding : findings) {
      if (finding.item_skipped) ++summary_.skipped;
      sink_.onFinding(std::move(finding));
    }
    for (auto& rule : rules) pending_rules_.push_back(std::move(rule));
  }

  void skip(const model::Provenance& provenance, std::string kind, std::string field, std::string why) {
    ++summary_.skipped;
    sink_.onFinding(model::Finding{std::move(kind), model::Severity::kWarning, provenance, std::move(field), "", "",
                                   std::move(why), true});
  }

  void folderFinding(const std::string& path, std::string kind, std::string why) {
    sink_.onFinding(model::Finding{std::move(kind), model::Severity::kWarning,
                                   model::Provenance{source_file_, path.empty() ? "/" : path, ""}, "", "", "",
                                   std::move(why), false});
  }

  std::string source_file_;
  model::ItemSink& sink_;
  std::optional<std::uint32_t> ipm_subtree_id_;
  std::string resolveFolder(const std::string& entry_id_hex) const {
    const auto bytes = fromHex(entry_id_hex);
    if (bytes.size() == kStoreEntryIdSize) {
      const auto* nid = bytes.data() + kEntryIdNidOffset;
      const std::uint32_t id = static_cast<std::uint32_t>(nid[0]) | static_cast<std::uint32_t>(nid[1]) << 8 |
                               static_cast<std::uint32_t>(nid[2]) << 16 | static_cast<std::uint32_t>(nid[3]) << 24;
      const auto found = paths_by_nid_.find(id);
      return found == paths_by_nid_.end() ? std::string() : found->second;
    }
    if (bytes.size() == kExchangeFolderEntryIdSize) {
      const mapi::Binary key(bytes.begin() + kExchangeFolderEntryIdKeyOffset,
                             bytes.begin() + kExchangeFolderEntryIdKeyOffset + kSourceKeySize);
      const auto found = paths_by_source_key_.find(key);
      return found == paths_by_source_key_.end() ? std::string() : found->second;
    }
    return std::string();
  }

  static mapi::Binary fromHex(const std::string& hex) {
    mapi::Binary bytes;
    const auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'A' + 10; };
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
      bytes.push_back(static_cast<std::uint8_t>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
    }
    return bytes;
  }

  mapi::OofSources oof_;
  RulesReadSummary summary_;
  std::vector<model::Rule> pending_rules_;
  std::map<std::uint32_t, std::string> paths_by_nid_;
  std::map<mapi::Binary, std::string> paths_by_source_key_;
};

std::optional<bool> outOfOfficeState(libpff_item_t* store) {
  std::vector<PropertyProblem> problems;
  auto bag = readRecordSet(store, 0, problems);
  if (!bag) return std::nullopt;
  const auto* value = bag->findTagged(mapi::kPidTagOutOfOfficeState.id);
  if (value == nullptr) return std::nullopt;
  if (const auto* flag = std::get_if<bool>(value)) return *flag;
  if (const auto* number = std::get_if<std::int32_t>(value)) return *number != 0;
  return std::nullopt;
}

Result<RulesReadSummary> readUnguarded(const std::string& path, model::ItemSink& sink) {
  auto opened = openPst(path);
  if (!opened) return opened.error();
  PffFile& file = opened->file;
  PffItem& root = opened->root;
  PffError error;
  PffItem store;
  std::optional<std::uint32_t> subtree;
  std::optional<bool> oof_state;
  if (libpff_file_get_message_store(file.get(), store.out(), error.out()) == 1 && store) {
    subtree = ipmSubtreeIdOfStore(store.get());
    oof_state = outOfOfficeState(store.get());
  }
  RulesWalker walker(path, sink, subtree);
  walker.walkChildren(root.get(), "", 0);
  walker.emitRules();
  auto& oof = walker.oof();
  oof.store = model::Provenance{path, "/", "message store"};
  oof.store_state = oof_state;
  if (mapi::hasOofData(oof)) {
    std::vector<model::Finding> findings;
    auto settings = mapi::buildOofSettings(oof, findings);
    for (auto& finding : findings) sink.onFinding(std::move(finding));
    sink.onOofSettings(std::move(settings));
    walker.summary().oof_settings = true;
  } else {
    sink.onFinding(model::Finding{"oof.not_found", model::Severity::kInfo, oof.store, "", "", "",
                                  "the store holds no out-of-office template, state or rule", false});
  }
  return walker.summary();
}

}  // namespace

Result<RulesReadSummary> readRulesAndOof(const std::string& path, model::ItemSink& sink, const ReadOptions& options) {
  (void)options.recover;
  try {
    return readUnguarded(path, sink);
  } catch (const std::exception& e) {
    return Error{"pst.internal", std::string("reading the file failed: ") + e.what(), path};
  }
}

}  // namespace m2z::readers::pst
