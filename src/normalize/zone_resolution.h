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

}  // namespace m2z::normalize
