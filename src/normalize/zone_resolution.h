// Works out, with ICU, what wall-clock offset an Outlook time-zone definition gives at an instant,
// and which IANA zone (if any) the definition is.
#pragma once

#include <optional>
#include <string>

#include "model/result.h"
#include "model/time.h"
#include "model/time_zone.h"

namespace m2z::normalize {

// Offset from UTC in minutes (local = UTC + offset) that `rule` gives at `instant`,
// computed by an ICU SimpleTimeZone built from the rule's transition dates.
Result<int> offsetMinutesAt(const model::TimeZoneRule& rule, model::Instant instant);

// The same, choosing the rule of `definition` in force in the instant's year.
Result<int> offsetMinutesAt(const model::TimeZoneDefinition& definition, model::Instant instant);

// The single-rule zone (iCalendar / Zimbra <tz> shape) equivalent to `rule`, named `id`.
model::SingleRuleZone toSingleRuleZone(const model::TimeZoneRule& rule, std::string id);

// The IANA id CLDR maps a Windows zone key to ("W. Europe Standard Time" -> "Europe/Berlin"),
// via ICU's TimeZone::getIDForWindowsID; nullopt when the key is unknown.
std::optional<std::string> ianaIdForWindowsKey(const std::string& windows_key);

// True when the IANA zone gives the same offsets as `rule` through the whole of `year`
// (checked at every day's noon and at each of the rule's transition days), so that naming the
// definition by that IANA id does not change a single wall time.
bool ianaZoneMatchesRule(const std::string& iana_id, const model::TimeZoneRule& rule, int year);

// The IANA zone an Outlook display name such as "(GMT-06:00) Central Time (US & Canada)" or
// "(GMT+05:00) Islamabad, Karachi" names: each part of the name is parsed with ICU's zone-name
// parser (generic names, exemplar cities), and a candidate counts only if its standard offset at
// `when` equals the offset in the name's "(GMT±hh:mm)" prefix. Never chosen by offset alone.
std::optional<std::string> ianaIdForDisplayName(const std::string& display_name, model::Instant when);

// Offset (minutes, local = UTC + offset) of an IANA zone at an instant, from ICU's tzdata.
Result<int> offsetMinutesAt(const std::string& iana_id, model::Instant instant);

// The single-rule form of an IANA zone as in force around `when` (ICU's simple rules near that
// date), for writers that can send only one rule.
Result<model::SingleRuleZone> singleRuleZoneNear(const std::string& iana_id, model::Instant when);

}  // namespace m2z::normalize
