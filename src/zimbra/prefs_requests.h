// Out-of-office settings (model::OofSettings) as Zimbra account preferences, and the
// GetPrefs/ModifyPrefs bodies (urn:zimbraAccount) that read and write them.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/finding.h"
#include "model/oof.h"
#include "model/result.h"
#include "model/time.h"
#include "xml/xml.h"

namespace m2z::zimbra {

inline constexpr std::string_view kAccountNamespace = "urn:zimbraAccount";

inline constexpr std::string_view kPrefOofEnabled = "zimbraPrefOutOfOfficeReplyEnabled";
inline constexpr std::string_view kPrefOofReply = "zimbraPrefOutOfOfficeReply";
inline constexpr std::string_view kPrefOofExternalReply = "zimbraPrefOutOfOfficeExternalReply";
inline constexpr std::string_view kPrefOofExternalEnabled = "zimbraPrefOutOfOfficeExternalReplyEnabled";
inline constexpr std::string_view kPrefOofSuppressExternal = "zimbraPrefOutOfOfficeSuppressExternalReply";
inline constexpr std::string_view kPrefExternalSendersType = "zimbraPrefExternalSendersType";
inline constexpr std::string_view kPrefOofFromDate = "zimbraPrefOutOfOfficeFromDate";
inline constexpr std::string_view kPrefOofUntilDate = "zimbraPrefOutOfOfficeUntilDate";

// Every preference oofPrefs may set, for reading what the account already has.
std::vector<std::string> oofPrefNames();

using PrefList = std::vector<std::pair<std::string, std::string>>;

struct OofPrefs {
  PrefList prefs;  // in a fixed order; only what the source says
  std::vector<model::Finding> findings;  // parts not carried over, or carried approximately
};

// Builds the preferences; never fails for a well-formed model (texts are sent as they are;
// control characters other than TAB/CR/LF become U+FFFD when escaped).
OofPrefs oofPrefs(const model::OofSettings& oof);

// LDAP generalized time as Zimbra's date preferences take it: yyyyMMddHHmmss'Z'.
std::string generalizedTime(model::Instant instant);

// <GetPrefsRequest xmlns="urn:zimbraAccount"><pref name=".."/>...
std::string buildGetPrefsRequest(const std::vector<std::string>& names);
// <ModifyPrefsRequest xmlns="urn:zimbraAccount"><pref name="..">value</pref>...; names must be
// zimbraPref* ("request.invalid_pref" otherwise: the server refuses anything else).
[[nodiscard]] Result<std::string> buildModifyPrefsRequest(const PrefList& prefs);
// The <pref> values of a GetPrefsResponse by name (a multi-valued pref has several).
[[nodiscard]] Result<std::map<std::string, std::vector<std::string>>> readPrefs(const xml::Element& get_prefs_response);

}  // namespace m2z::zimbra
