// Outlook mail rules (model::Rule) as Zimbra incoming filter rules (<filterRule> of
// zimbraMail.xsd), and the Get/ModifyFilterRules bodies that carry them.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/finding.h"
#include "model/result.h"
#include "model/rule.h"
#include "xml/xml.h"

namespace m2z::zimbra {

// A filter rule as the server holds it. `xml` is the canonical text (xml::toCanonicalText) of the
// <filterRule xmlns="urn:zimbraMail"> element as read, so it can be sent back unchanged.
struct StoredFilterRule {
  std::string name;
  bool active = false;
  std::string xml;
  bool operator==(const StoredFilterRule&) const = default;
};

// What became of one source rule. docs/rules.md has the table of cases.
enum class RuleDisposition {
  kComplete,  // every condition, exception and action has a Zimbra equivalent
  kDisabled,  // added with active="0": some part has none (findings say which)
  kSkipped,   // not added: the source rule has no action at all (reason says why)
};

const char* toString(RuleDisposition disposition);

struct Translation {
  std::string name;    // the Zimbra rule name (the source name, cleaned)
  bool active = false;
  RuleDisposition disposition = RuleDisposition::kComplete;
  // Canonical <filterRule xmlns="urn:zimbraMail"> fragment; empty when skipped.
  std::string xml;
  std::string reason;  // why disabled or skipped; empty when complete
  std::vector<model::Finding> findings;  // one per part not expressible, naming rule and part
};

struct FilterTranslationOptions {
  // Maps a source folder path ("/Inbox/Projects", relative to the store's top) to the Zimbra
  // folder path fileinto gets. Empty: defaultFolderPath.
  std::function<std::string(std::string_view)> folder_path;
};

// "/Deleted Items/x" -> "/Trash/x", "/Junk E-mail" -> "/Junk", "/Sent Items" -> "/Sent"; the
// other names stay (Zimbra's fileinto creates a missing folder on delivery).
std::string defaultFolderPath(std::string_view source_path);

// The header test value that never occurs in real mail, standing in for a condition Zimbra
// cannot express, so that a disabled rule enabled by mistake matches nothing.
inline constexpr std::string_view kUntranslatedHeader = "X-Mapi2zimbra-Untranslated";

// model::Rule -> one <filterRule>. Errors ("rules.invalid") only for input that cannot be a rule.
[[nodiscard]] Result<Translation> translateRule(const model::Rule& rule, const FilterTranslationOptions& options = {});

// A fragment with its name and active flag replaced (used to rename a colliding rule).
[[nodiscard]] Result<std::string> withRuleName(std::string_view fragment, std::string_view name);

// <GetFilterRulesRequest xmlns="urn:zimbraMail"/>
std::string buildGetFilterRulesRequest();
// <ModifyFilterRulesRequest><filterRules>fragments...</filterRules>: the whole rule set, in order.
std::string buildModifyFilterRulesRequest(const std::vector<std::string>& rule_xml_fragments);
// The rules of a GetFilterRulesResponse, in order; "soap.unexpected" when it has no <filterRules>.
[[nodiscard]] Result<std::vector<StoredFilterRule>> readFilterRules(const xml::Element& get_filter_rules_response);

}  // namespace m2z::zimbra
