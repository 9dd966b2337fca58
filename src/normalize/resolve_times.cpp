#include "normalize/resolve_times.h"

#include <string>

#include "normalize/civil_date.h"
#include "normalize/zone_resolution.h"

namespace m2z::normalize {

namespace {

model::Finding makeFinding(const model::Appointment& item, std::string kind, model::Severity severity,
                           std::string field, std::string before, std::string after, std::string why) {
  model::Finding finding;
  finding.kind = std::move(kind);
  finding.severity = severity;
  finding.item = item.provenance;
  finding.field = std::move(field);
  finding.before = std::move(before);
  finding.after = std::move(after);
  finding.why = std::move(why);
  return finding;
}

struct ChosenZone {
  model::SingleRuleZone zone;
  std::string how_resolved;
  // Where offsets come from: the item's own definition, else an IANA zone, else UTC.
  const model::TimeZoneDefinition* definition = nullptr;
  std::string iana_id;
};

// Items from Outlook before 2007 may name their zone only by its display string.
std::optional<ChosenZone> zoneFromDescription(const model::Appointment& item, std::vector<model::Finding>& findings) {
  if (item.zone_description.empty()) return std::nullopt;
  auto iana = ianaIdForDisplayName(item.zone_description, item.start);
  if (!iana) return std::nullopt;
  auto zone = singleRuleZoneNear(*iana, item.start);
  if (!zone) return std::nullopt;
  findings.push_back(makeFinding(item, "zone.from_display_name", model::Severity::kInfo, "PidLidTimeZoneDescription",
                                 item.zone_description, *iana,
                                 "the item has no time-zone rules, only the zone's display name; ICU matched the "
                                 "name to this zone, whose standard offset equals the one in the name"));
  return ChosenZone{*zone, "display-name:" + item.zone_description + "->" + *iana, nullptr, *iana};
}

ChosenZone chooseZone(const model::Appointment& item, std::vector<model::Finding>& findings) {
  const model::TimeZoneDefinition* definition =
      item.start_zone ? &*item.start_zone : (item.end_zone ? &*item.end_zone : nullptr);
  const int year = model::toLocal(item.start, 0).date.year;
  const model::TimeZoneRule* rule = definition ? definition->ruleForYear(year) : nullptr;
  if (rule == nullptr) {
    if (auto from_description = zoneFromDescription(item, findings)) return *from_description;
    // Floating all-day dates (an iCalendar VALUE=DATE, a PST item kept at UTC midnights) need no
    // zone: their days are exact, so this is a note, not a guess that someone must check.
    const bool exact_days = item.all_day && model::toLocal(item.start, 0).isMidnight() &&
                            model::toLocal(item.end, 0).isMidnight();
    if (exact_days) {
      findings.push_back(makeFinding(item, "zone.none_all_day", model::Severity::kInfo, "time zone", "", "UTC",
                                     "an all-day item without a time zone whose bounds are midnights: its days "
                                     "are kept exactly as they are"));
    } else {
      findings.push_back(makeFinding(item, "zone.missing", model::Severity::kWarning, "time zone", "", "UTC",
                                     "the item carries no time-zone definition; its times are written in UTC"));
    }
    return ChosenZone{model::SingleRuleZone{"UTC", 0, std::nullopt, std::nullopt, std::nullopt}, "utc:no-zone",
                      nullptr, ""};
  }
  // Name the zone by its IANA id only when that zone gives the same wall times all year;
  // otherwise keep Outlook's own name and send its exact rules.
  if (auto iana = ianaIdForWindowsKey(definition->key_name); iana && ianaZoneMatchesRule(*iana, *rule, year)) {
    return ChosenZone{toSingleRuleZone(*rule, *iana), "windows-id:" + definition->key_name + "->" + *iana, definition,
                      ""};
  }
  std::string name = !definition->key_name.empty() ? definition->key_name
                     : !item.zone_description.empty() ? item.zone_description
                                                      : std::string("Custom time zone");
  findings.push_back(makeFinding(item, "zone.custom", model::Severity::kInfo, "time zone", definition->key_name, name,
                                 "no IANA zone with identical rules was found; the item's own rules are sent"));
  return ChosenZone{toSingleRuleZone(*rule, name), "rules:" + name, definition, ""};
}

// Start and end zones differ when the rules in force for the item differ; the lists around them
// may differ harmlessly (e.g. which year-stamped rule carries Outlook's "effective" flag).
bool endZoneDiffers(const model::Appointment& item) {
  const int year = model::toLocal(item.start, 0).date.year;
  const model::TimeZoneRule* start_rule = item.start_zone->ruleForYear(year);
  const model::TimeZoneRule* end_rule = item.end_zone->ruleForYear(model::toLocal(item.end, 0).date.year);
  if (start_rule == nullptr || end_rule == nullptr) return start_rule != end_rule;
  return start_rule->bias != end_rule->bias || start_rule->standard_bias != end_rule->standard_bias ||
         start_rule->daylight_bias != end_rule->daylight_bias || start_rule->standard_date != end_rule->standard_date ||
         start_rule->daylight_date != end_rule->daylight_date;
}

int offsetAt(const ChosenZone& chosen, model::Instant instant) {
  if (chosen.definition != nullptr) {
    auto offset = offsetMinutesAt(*chosen.definition, instant);
    return offset ? *offset : chosen.zone.standard_offset_minutes;
  }
  if (!chosen.iana_id.empty()) {
    auto offset = offsetMinutesAt(chosen.iana_id, instant);
    return offset ? *offset : chosen.zone.standard_offset_minutes;
  }
  return 0;
}

}  // namespace

void resolveTimes(model::Appointment& item, std::vector<model::Finding>& findings) {
  ChosenZone chosen = chooseZone(item, findings);

  model::ResolvedTimes resolved;
  resolved.zone = chosen.zone;
  resolved.how_resolved = chosen.how_resolved;
  resolved.start_local = model::toLocal(item.start, offsetAt(chosen, item.start));
  resolved.end_local = model::toLocal(item.end, offsetAt(chosen, item.end));

  const bool end_before_start = item.end < item.start;
  if (end_before_start) {
    // Outlook refuses to save such an item, so the source is damaged: keep the start, which
    // people see first, and make the item as short as it can be.
    std::string before = model::toIsoString(item.end) + " (" + resolved.end_local.toIsoString() + " " +
                         chosen.zone.id + ", start " + resolved.start_local.toIsoString() + ")";
    if (item.all_day) {
      const model::CivilDate day = civilDateAtOffset(item.start, offsetAt(chosen, item.start));
      findings.push_back(makeFinding(item, "time.end_before_start", model::Severity::kError, "end", std::move(before),
                                     day.toIsoString(),
                                     "the end lies before the start; the all-day event is written as its first "
                                     "day only"));
    } else {
      findings.push_back(makeFinding(item, "time.end_before_start", model::Severity::kError, "end", std::move(before),
                                     resolved.start_local.toIsoString(),
                                     "the end lies before the start; the item is written with end = start"));
    }
    resolved.end_local = resolved.start_local;
  }
  if (item.end_zone && item.start_zone && endZoneDiffers(item)) {
    findings.push_back(makeFinding(item, "zone.end_differs", model::Severity::kInfo, "end time zone",
                                   item.end_zone->key_name, chosen.zone.id,
                                   "the end was entered in another zone; it is written as the same instant in the "
                                   "start's zone"));
  }

  if (item.all_day) {
    // Bounds a few hours off local midnight (written in another zone, or as UTC midnights) still
    // name a day: civilDateAtOffset says which.
    resolved.first_day = civilDateAtOffset(item.start, offsetAt(chosen, item.start));
    if (!resolved.start_local.isMidnight()) {
      findings.push_back(makeFinding(item, "all_day.start_not_midnight", model::Severity::kWarning, "start",
                                     resolved.start_local.toIsoString() + " " + chosen.zone.id,
                                     resolved.first_day.toIsoString(),
                                     "an all-day event should start at local midnight; the day the value stands "
                                     "for (nearest local midnight, or the UTC day of a 00:00Z value) is used"));
    }
    // MAPI's all-day end is the exclusive midnight after the last day.
    const model::Instant end = end_before_start ? item.start : item.end;
    const model::CivilDate end_midnight = civilDateAtOffset(end, offsetAt(chosen, end));
    if (!end_before_start && !resolved.end_local.isMidnight()) {
      findings.push_back(makeFinding(item, "all_day.end_not_midnight", model::Severity::kWarning, "end",
                                     resolved.end_local.toIsoString() + " " + chosen.zone.id,
                                     end_midnight.toIsoString(),
                                     "an all-day event should end at local midnight; the day the value stands "
                                     "for (nearest local midnight, or the UTC day of a 00:00Z value) is used"));
    }
    resolved.last_day = end_midnight.plusDays(-1);
    if (end_before_start) {
      resolved.last_day = resolved.first_day;  // already reported as time.end_before_start
    } else if (resolved.last_day < resolved.first_day) {
      findings.push_back(makeFinding(item, "all_day.empty", model::Severity::kWarning, "end",
                                     resolved.last_day.toIsoString(), resolved.first_day.toIsoString(),
                                     "the all-day event covers no whole day; it is written as one day"));
      resolved.last_day = resolved.first_day;
    }
  }
  item.resolved = std::move(resolved);
}

}  // namespace m2z::normalize
