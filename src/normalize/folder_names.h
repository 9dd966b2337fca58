// FolderNamePolicy: which Zimbra folder each source folder becomes, under Zimbra's naming rules
// and the user's choice for names that are also Zimbra's own system folders.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/finding.h"
#include "model/provenance.h"

namespace m2z::normalize {

// What a folder holds, as Zimbra's folder "view" says it (Outlook's container class says the same).
enum class FolderView { kUnknown, kAppointment, kContact, kTask, kMessage, kDocument, kChat, kWiki };

// "IPF.Appointment" -> kAppointment, "IPF.Contact" -> kContact, "IPF.Task" -> kTask,
// "IPF.Note" -> kMessage; anything else, and an empty class, -> kUnknown.
FolderView folderViewOf(std::string_view container_class);
const char* toString(FolderView view);

// What to do with a top-level source folder whose name is one of Zimbra's system folders.
enum class SystemFolderCollision {
  kMerge,   // put its items into the system folder, when the two hold the same kind of item
  kRename   // always make a folder of its own, named with the suffix
};

struct FolderPolicyOptions {
  SystemFolderCollision system_folders = SystemFolderCollision::kMerge;
  std::string rename_suffix = " (migrated)";
};

// Zimbra's rules for a name (soap.txt, "Names of all MailItem types"): at most 255 characters;
// none of ':', '/', '"', tab, CR, LF; not "." or ".."; not empty; trailing whitespace and
// characters below 0x20 are removed by the server. We also remove leading whitespace, which
// Zimbra keeps but no one can see.
inline constexpr std::size_t kMaxFolderNameUtf16 = 255;

struct SanitizedName {
  std::string name;
  std::vector<std::string> changes;  // what was done, for the finding; empty when nothing was
};
// ':', '/' and '"' become '_'; tab, CR and LF become a space; other control characters are
// removed; malformed UTF-8 becomes U+FFFD; spaces at both ends go; the name is cut to 255 UTF-16
// code units; "" becomes "Unnamed folder", "." becomes "_" and ".." becomes "__".
SanitizedName sanitizeFolderName(std::string_view name);

// The PST reader joins names with '/', so a folder named "A/B" would read as two. Proposed escape
// (applied by the reader): '%' -> "%25" and '/' -> "%2F" in each name before joining.
std::string escapeFolderName(std::string_view name);
// Splits a "/"-separated source path into names and undoes escapeFolderName on each; empty
// components ("//", leading or trailing '/') are dropped.
std::vector<std::string> splitFolderPath(std::string_view path);

// Where a source folder goes in Zimbra.
struct FolderMapping {
  std::vector<std::string> target;   // names from the mailbox root down; never empty
  bool into_system_folder = false;   // the top name is one of Zimbra's own folders, merged into
  std::string targetPath() const;    // "/" + names joined by "/"
};

// Maps source folder paths (as lists of names) to Zimbra folder paths. The same source path always
// gives the same target within one instance, and different source folders never share a target
// unless one of them is merged into a system folder on purpose. Every change from the source name
// is recorded as a Finding the first time the folder is mapped. No I/O: it only decides names.
// Names are compared the way Zimbra's MySQL "utf8_general_ci" unique index on folder names does
// (ignoring case and accents; approximated with ICU's root collator at primary strength), so
// "Team" and "team" are the same name to it.
class FolderNamePolicy {
 public:
  explicit FolderNamePolicy(FolderPolicyOptions options = {});
  ~FolderNamePolicy();
  FolderNamePolicy(const FolderNamePolicy&) = delete;
  FolderNamePolicy& operator=(const FolderNamePolicy&) = delete;

  // `source` lists the names from the store's top down; `view` is what the last one holds (the
  // folders above it count as kUnknown unless mapped before with their own view). Items directly
  // at the store's top (no names) go to the system folder of their view, e.g. Calendar.
  // `where` names the source file and folder in the findings.
  FolderMapping map(const std::vector<std::string>& source, FolderView view, const model::Provenance& where,
                    std::vector<model::Finding>& findings);

 private:
  struct Node;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace m2z::normalize
