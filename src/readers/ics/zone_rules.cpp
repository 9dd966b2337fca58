#include "readers/ics/zone_rules.h"

#include <algorithm>
#include <chrono>
#include <set>

namespace m2z::readers::ics {

namespace {

namespace chr = std::chrono;

// The wall time of a Windows relative transition in `year` (week 5 = the last such weekday).
model::LocalDateTime transitionIn(int year, const model::TransitionDate& date) {
  const chr::year y{year};
  const chr::month m{static_cast<unsigned>(date.month)};
  const chr::weekday day{static_cast<unsigned>(date.day_of_week)};
  const chr::sys_days when =
      date.week >= 5 ? chr::sys_days{chr::year_month_weekday_last{y, m, chr::weekday_last{day}}}
                     : chr::sys_days{chr::year_month_weekday{y, m, day[static_cast<unsigned>(std::max(1, date.week))]}};
  return model::LocalDateTime{model::CivilDate::fromDays(when), date.hour, date.minute, date.second};
}

bool usable(const model::TransitionDate& date) {
  return date.month >= 1 && date.month <= 12 && date.week >= 1 && date.week <= 5 && date.day_of_week >= 0 &&
         date.day_of_week <= 6;
}

std::int64_t secondsOf(const model::LocalDateTime& local) { return model::fromLocal(local, 0).unix_seconds; }

const Observance* latestOf(const std::vector<Observance>& observances, bool daylight, int year) {
  const Observance* best = nullptr;
  for (const auto& observance : observances) {
    if (observance.daylight != daylight || observance.start.date.year > year) continue;
    if (best == nullptr || best->start < observance.start) best = &observance;
  }
  return best;
}

}  // namespace

model::TimeZoneDefinition definitionFromObservances(const std::string& tzid, std::vector<Observance> observances) {
  model::TimeZoneDefinition definition;
  definition.key_name = tzid;
  definition.source_property = "VTIMEZONE";
  std::set<int> years;
  for (const auto& observance : observances) years.insert(observance.start.date.year);
  for (const int year : years) {
    const Observance* standard = latestOf(observances, false, year);
    if (standard == nullptr) continue;
    const Observance* daylight = latestOf(observances, true, year);
    if (daylight != nullptr) {
      const bool ended = daylight->until_year && *daylight->until_year < year;
      const bool yearly = daylight->yearly && standard->yearly && usable(*daylight->yearly) && usable(*standard->yearly);
      if (ended || !yearly || daylight->start.date.year > year) daylight = nullptr;
    }
    model::TimeZoneRule rule;
    rule.year = year;
    rule.bias = -standard->offset_to_minutes;
    if (daylight != nullptr) {
      rule.daylight_bias = -(daylight->offset_to_minutes - standard->offset_to_minutes);
      rule.standard_date = *standard->yearly;
      rule.daylight_date = *daylight->yearly;
    }
    // Consecutive years with the same rule are one rule.
    if (!definition.rules.empty()) {
      model::TimeZoneRule previous = definition.rules.back();
      previous.year = year;
      if (previous == rule) continue;
    }
    definition.rules.push_back(rule);
  }
  if (!definition.rules.empty()) definition.rules.back().effective = true;
  return definition;
}

int offsetForLocal(const model::TimeZoneDefinition& zone, const model::LocalDateTime& local) {
  const model::TimeZoneRule* rule = zone.ruleForYear(local.date.year);
  if (rule == nullptr) return 0;
  const int standard = -(rule->bias + rule->standard_bias);
  if (!rule->observesDaylightTime() || !usable(rule->daylight_date) || !usable(rule->standard_date)) return standard;
  const int daylight = -(rule->bias + rule->daylight_bias);
  const std::int64_t gap = std::int64_t{daylight - standard} * 60;
  const std::int64_t at = secondsOf(local);
  // Daylight time starts at the standard wall time of its transition and ends at the daylight
  // wall time of the other; the skipped hour counts as standard, the repeated one as daylight.
  const std::int64_t begins = secondsOf(transitionIn(local.date.year, rule->daylight_date)) + std::max<std::int64_t>(gap, 0);
  const std::int64_t ends = secondsOf(transitionIn(local.date.year, rule->standard_date));
  const bool in_daylight = begins < ends ? (at >= begins && at < ends) : (at >= begins || at < ends);
  return in_daylight ? daylight : standard;
}

int offsetForInstant(const model::TimeZoneDefinition& zone, model::Instant instant) {
  const int year = model::toLocal(instant, 0).date.year;
  const model::TimeZoneRule* rule = zone.ruleForYear(year);
  if (rule == nullptr) return 0;
  const int standard = -(rule->bias + rule->standard_bias);
  if (!rule->observesDaylightTime() || !usable(rule->daylight_date) || !usable(rule->standard_date)) return standard;
  const int daylight = -(rule->bias + rule->daylight_bias);
  const int local_year = model::toLocal(instant, standard).date.year;
  const model::Instant begins = model::fromLocal(transitionIn(local_year, rule->daylight_date), standard);
  const model::Instant ends = model::fromLocal(transitionIn(local_year, rule->standard_date), daylight);
  const bool in_daylight = begins < ends ? (instant >= begins && instant < ends) : (instant >= begins || instant < ends);
  return in_daylight ? daylight : standard;
}

}  // namespace m2z::readers::ics
