#include "normalize/folder_names.h"

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>

#include "normalize/findings.h"
#include "normalize/text_limits.h"

namespace m2z::normalize {

namespace {

// Zimbra's folders below the mailbox root (FolderConstants ID_FOLDER_INBOX = 2 .. BRIEFCASE = 16;
// Notebook is the old wiki folder 12), each with the view it holds.
struct SystemFolder {
  std::string_view name;
  FolderView view;
  bool purged;  // Zimbra empties it by retention policy: nothing is ever merged into it
};
constexpr std::array<SystemFolder, 12> kSystemFolders{{
    {"Inbox", FolderView::kMessage, false},
    {"Trash", FolderView::kUnknown, true},
    {"Junk", FolderView::kMessage, true},
    {"Sent", FolderView::kMessage, false},
    {"Drafts", FolderView::kMessage, false},
    {"Contacts", FolderView::kContact, false},
    {"Calendar", FolderView::kAppointment, false},
    {"Notebook", FolderView::kWiki, false},
    {"Emailed Contacts", FolderView::kContact, false},
    {"Chats", FolderView::kChat, false},
    {"Tasks", FolderView::kTask, false},
    {"Briefcase", FolderView::kDocument, false},
}};

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix;
}

std::string joinPath(const std::vector<std::string>& names, std::size_t count) {
  std::string path;
  for (std::size_t i = 0; i < count && i < names.size(); ++i) path += "/" + names[i];
  return path.empty() ? "/" : path;
}

// Cuts `base` so that base + suffix fits Zimbra's limit, then appends the suffix; the result obeys
// Zimbra's rules even when the suffix (the user's choice) does not.
std::string withSuffix(const std::string& base, std::string_view suffix) {
  const std::size_t suffix_units = text::utf16Length(suffix);
  const std::size_t room = suffix_units < kMaxFolderNameUtf16 ? kMaxFolderNameUtf16 - suffix_units : 0;
  std::string cut = base;
  if (text::utf16Length(base) > room) cut = std::string(text::trimSpaces(text::truncateUtf16(base, room)));
  return sanitizeFolderName(cut + std::string(suffix)).name;
}

}  // namespace

FolderView folderViewOf(std::string_view container_class) {
  if (startsWith(container_class, "IPF.Appointment")) return FolderView::kAppointment;
  if (startsWith(container_class, "IPF.Contact")) return FolderView::kContact;
  if (startsWith(container_class, "IPF.Task")) return FolderView::kTask;
  if (startsWith(container_class, "IPF.Note")) return FolderView::kMessage;
  return FolderView::kUnknown;
}

const char* toString(FolderView view) {
  switch (view) {
    case FolderView::kAppointment: return "appointment";
    case FolderView::kContact: return "contact";
    case FolderView::kTask: return "task";
    case FolderView::kMessage: return "message";
    case FolderView::kDocument: return "document";
    case FolderView::kChat: return "chat";
    case FolderView::kWiki: return "wiki";
    case FolderView::kUnknown: break;
  }
  return "unknown";
}

SanitizedName sanitizeFolderName(std::string_view name) {
  SanitizedName result;
  bool replaced_reserved = false;
  bool replaced_break = false;
  bool removed_control = false;
  bool repaired_utf8 = false;
  std::string clean;
  for (std::size_t pos = 0; pos < name.size();) {
    const auto c = text::decodeUtf8(name, pos);
    if (!c) {
      text::appendUtf8(clean, 0xFFFD);
      repaired_utf8 = true;
    } else if (*c == ':' || *c == '/' || *c == '"') {
      clean.push_back('_');
      replaced_reserved = true;
    } else if (*c == '\t' || *c == '\r' || *c == '\n') {
      clean.push_back(' ');
      replaced_break = true;
    } else if (*c < 0x20 || *c == 0x7F) {
      removed_control = true;
    } else {
      text::appendUtf8(clean, *c);
    }
  }
  if (replaced_reserved) result.changes.push_back("':', '/' and '\"' replaced by '_'");
  if (replaced_break) result.changes.push_back("tab and line breaks replaced by spaces");
  if (removed_control) result.changes.push_back("control characters removed");
  if (repaired_utf8) result.changes.push_back("malformed UTF-8 replaced by U+FFFD");

  std::string trimmed(text::trimSpaces(clean));
  if (trimmed.size() != clean.size()) result.changes.push_back("spaces at the ends removed");
  if (text::utf16Length(trimmed) > kMaxFolderNameUtf16) {
    trimmed = std::string(text::trimSpaces(text::truncateUtf16(trimmed, kMaxFolderNameUtf16)));
    result.changes.push_back("cut to 255 characters");
  }
  if (trimmed.empty()) {
    trimmed = "Unnamed folder";
    result.changes.push_back("an empty name is not allowed");
  } else if (trimmed == "." || trimmed == "..") {
    trimmed = trimmed == "." ? "_" : "__";
    result.changes.push_back("\".\" and \"..\" are not allowed");
  }
  result.name = std::move(trimmed);
  return result;
}

std::string escapeFolderName(std::string_view name) {
  std::string escaped;
  for (const char c : name) {
    if (c == '%') {
      escaped += "%25";
    } else if (c == '/') {
      escaped += "%2F";
    } else {
      escaped.push_back(c);
    }
  }
  return escaped;
}

std::vector<std::string> splitFolderPath(std::string_view path) {
  std::vector<std::string> names;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) names.push_back(std::move(current));
    current.clear();
  };
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '/') {
      flush();
    } else if (path.substr(i, 3) == "%2F" || path.substr(i, 3) == "%2f") {
      current.push_back('/');
      i += 2;
    } else if (path.substr(i, 3) == "%25") {
      current.push_back('%');
      i += 2;
    } else {
      current.push_back(path[i]);
    }
  }
  flush();
  return names;
}

std::string FolderMapping::targetPath() const { return joinPath(target, target.size()); }

struct FolderNamePolicy::Node {
  std::string target_name;
  FolderView view = FolderView::kUnknown;
  bool into_system_folder = false;
  std::map<std::string, std::unique_ptr<Node>> children;  // by exact source name
  std::map<std::string, std::string> claimed;             // collation key of a child's target -> source name
};

struct FolderNamePolicy::Impl {
  FolderPolicyOptions options;
  std::unique_ptr<icu::Collator> collator;
  Node root;

  // The key under which Zimbra's case- and accent-insensitive unique index sees `name`.
  std::string key(const std::string& name) const {
    if (collator) {
      const icu::UnicodeString text = icu::UnicodeString::fromUTF8(name);
      const int32_t needed = collator->getSortKey(text, nullptr, 0);
      if (needed > 0) {
        std::string bytes(static_cast<std::size_t>(needed), '\0');
        collator->getSortKey(text, reinterpret_cast<uint8_t*>(bytes.data()), needed);
        return bytes;
      }
    }
    std::string lower = name;  // no ICU collator: ASCII case folding at least
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
    return lower;
  }

  const SystemFolder* systemFolder(const std::string& name) const {
    const std::string name_key = key(name);
    for (const auto& folder : kSystemFolders) {
      if (key(std::string(folder.name)) == name_key) return &folder;
    }
    return nullptr;
  }

  bool claimedByOther(const Node& parent, const std::string& name, const std::string& source) const {
    auto it = parent.claimed.find(key(name));
    return it != parent.claimed.end() && it->second != source;
  }

  bool reservedAtRoot(const Node& parent, const std::string& name) const {
    return &parent == &root && systemFolder(name) != nullptr;
  }
};

FolderNamePolicy::FolderNamePolicy(FolderPolicyOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  UErrorCode status = U_ZERO_ERROR;
  impl_->collator.reset(icu::Collator::createInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status)) {
    impl_->collator.reset();
  } else {
    impl_->collator->setStrength(icu::Collator::PRIMARY);
  }
}

FolderNamePolicy::~FolderNamePolicy() = default;

FolderMapping FolderNamePolicy::map(const std::vector<std::string>& source_names, FolderView view,
                                    const model::Provenance& where, std::vector<model::Finding>& findings) {
  Impl& impl = *impl_;
  std::vector<std::string> source = source_names;
  if (source.empty()) {
    // Items at the very top of the store: Zimbra's root holds only folders, so they go where
    // their kind belongs.
    std::string_view home = "Imported items";
    for (const auto& folder : kSystemFolders) {
      if (view != FolderView::kUnknown && folder.view == view) home = folder.name;
    }
    findings.push_back(makeFinding(where, "folder.store_top", model::Severity::kInfo, "folder", "/",
                                   "/" + std::string(home),
                                   "the items sit at the top of the source store; Zimbra's mailbox root holds "
                                   "only folders, so they go to the folder for their kind"));
    source.emplace_back(home);
  }

  FolderMapping mapping;
  Node* parent = &impl.root;
  for (std::size_t depth = 0; depth < source.size(); ++depth) {
    const std::string& name = source[depth];
    const bool is_leaf = depth + 1 == source.size();
    model::Provenance at = where;
    if (!source_names.empty()) at.folder_path = joinPath(source, depth + 1);

    auto existing = parent->children.find(name);
    if (existing != parent->children.end()) {
      Node* node = existing->second.get();
      if (is_leaf && node->view == FolderView::kUnknown) node->view = view;
      mapping.target.push_back(node->target_name);
      if (depth == 0) mapping.into_system_folder = node->into_system_folder;
      parent = node;
      continue;
    }

    const FolderView component_view = is_leaf ? view : FolderView::kUnknown;
    SanitizedName sanitized = sanitizeFolderName(name);
    std::string target = sanitized.name;
    if (!sanitized.changes.empty()) {
      std::string what;
      for (const auto& change : sanitized.changes) what += (what.empty() ? "" : "; ") + change;
      findings.push_back(makeFinding(at, "folder.name_sanitized", model::Severity::kInfo, "folder name", name, target,
                                     "Zimbra does not accept this folder name as it is: " + what));
    }

    bool into_system = false;
    if (parent == &impl.root) {
      if (const SystemFolder* system = impl.systemFolder(target)) {
        const bool views_agree = !system->purged && (component_view == FolderView::kUnknown ||
                                                     component_view == system->view);
        if (impl.options.system_folders == SystemFolderCollision::kMerge && views_agree) {
          into_system = true;
          findings.push_back(makeFinding(
              at, "folder.merged_into_system", model::Severity::kInfo, "folder name", name, std::string(system->name),
              component_view == FolderView::kUnknown
                  ? "the folder has Zimbra's system folder's name; it only holds other folders, which are "
                    "placed inside Zimbra's own"
                  : "the folder has the name of Zimbra's own " + std::string(system->name) +
                        " folder and holds the same kind of item, so its items go there (policy: merge)"));
          target = std::string(system->name);
        } else {
          const std::string before = target;
          target = withSuffix(target, impl.options.rename_suffix);
          std::string why =
              impl.options.system_folders == SystemFolderCollision::kRename
                  ? "the name is one of Zimbra's system folders and the policy is to rename"
              : system->purged
                  ? "the name is Zimbra's " + std::string(system->name) +
                        " folder, which Zimbra empties on its own; nothing is merged into it"
                  : "the name is Zimbra's " + std::string(system->name) + " folder, which holds " +
                        toString(system->view) + " items while this folder holds " + toString(component_view) +
                        " items, so they cannot be merged";
          findings.push_back(makeFinding(at, "folder.renamed_system_name", model::Severity::kInfo, "folder name",
                                         before, target, std::move(why)));
        }
      }
    }

    if (!into_system && (impl.claimedByOther(*parent, target, name) || impl.reservedAtRoot(*parent, target))) {
      const std::string base = target;
      for (int n = 2;; ++n) {
        target = withSuffix(base, " (" + std::to_string(n) + ")");
        if (!impl.claimedByOther(*parent, target, name) && !impl.reservedAtRoot(*parent, target)) break;
      }
      findings.push_back(makeFinding(at, "folder.renamed_duplicate", model::Severity::kWarning, "folder name", name,
                                     target,
                                     "another source folder already has this name in Zimbra's eyes (Zimbra "
                                     "compares names ignoring case and accents); a number is added"));
    }

    if (!into_system) parent->claimed.emplace(impl.key(target), name);
    auto node = std::make_unique<Node>();
    node->target_name = target;
    node->view = component_view;
    node->into_system_folder = into_system;
    if (depth == 0) mapping.into_system_folder = into_system;
    mapping.target.push_back(target);
    Node* raw = node.get();
    parent->children.emplace(name, std::move(node));
    parent = raw;
  }
  return mapping;
}

}  // namespace m2z::normalize
