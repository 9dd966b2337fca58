// EWS time-zone elements (StartTimeZone/EndTimeZone with Periods and TransitionsGroups, or the
// Exchange 2007 MeetingTimeZone) as Outlook-shaped zone definitions.
#pragma once

#include <optional>
#include <string_view>

#include "model/time.h"
#include "model/time_zone.h"
#include "xml/xml.h"

namespace m2z::readers::ews {

// Parses an xs:duration of hours/minutes such as "-PT1H", "PT5H30M", "PT0M" into minutes.
std::optional<int> durationMinutes(std::string_view text);

// The definition an EWS zone element gives: key name from its Id (or TimeZoneName), rules from
// its Periods and last TransitionsGroup (or BaseOffset/Standard/Daylight); no rules when the
// element carries only a name.
model::TimeZoneDefinition zoneFromElement(const xml::Element& element);

// Offset (minutes, local = UTC + offset) at an instant under the definition's rule for that year.
// Falls back to the standard offset when the rule has no usable transitions; 0 without rules.
int offsetAt(const model::TimeZoneDefinition& zone, model::Instant instant);

}  // namespace m2z::readers::ews
