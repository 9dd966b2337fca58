#include "readers/ews/ews_zone.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <string>

namespace m2z::readers::ews {

namespace {

namespace chr = std::chrono;

constexpr std::array<std::string_view, 7> kDays{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> kMonths{"January", "February", "March",     "April",   "May",      "June",
                                                   "July",    "August",   "September", "October", "November", "December"};

std::string childText(const xml::Element& element, std::string_view name) {
  const xml::Element* child = element.child(name);
  return child == nullptr ? std::string() : child->text;
}

int dayIndex(std::string_view name) {
  const auto it = std::find(kDays.begin(), kDays.end(), name);
  return it == kDays.end() ? -1 : static_cast<int>(it - kDays.begin());
}

int monthNumber(std::string_view text) {
  const auto it = std::find(kMonths.begin(), kMonths.end(), text);
  if (it != kMonths.end()) return static_cast<int>(it - kMonths.begin()) + 1;
  if (text.empty() || text.size() > 2 || !std::all_of(text.begin(), text.end(), ::isdigit)) return 0;
  const int month = std::stoi(std::string(text));
  return month >= 1 && month <= 12 ? month : 0;
}

// "HH:MM:SS" or an xs:duration (TimeOffset) into a transition's time of day.
void setTime(model::TransitionDate& date, const std::string& text) {
  if (text.size() >= 8 && text[2] == ':' && text[5] == ':' && std::isdigit(static_cast<unsigned char>(text[0]))) {
    date.hour = std::stoi(text.substr(0, 2));
    date.minute = std::stoi(text.substr(3, 2));
    date.second = std::stoi(text.substr(6, 2));
  } else if (auto minutes = durationMinutes(text); minutes && *minutes >= 0 && *minutes < 24 * 60) {
    date.hour = *minutes / 60;
    date.minute = *minutes % 60;
  }
}

bool usable(const model::TransitionDate& date) {
  return date.month >= 1 && date.month <= 12 && date.week >= 1 && date.week <= 5 && date.day_of_week >= 0 &&
         date.day_of_week <= 6;
}

model::LocalDateTime transitionIn(int year, const model::TransitionDate& date) {
  const chr::year y{year};
  const chr::month m{static_cast<unsigned>(date.month)};
  const chr::weekday day{static_cast<unsigned>(date.day_of_week)};
  const chr::sys_days when =
      date.week >= 5 ? chr::sys_days{chr::year_month_weekday_last{y, m, chr::weekday_last{day}}}
                     : chr::sys_days{chr::year_month_weekday{y, m, day[static_cast<unsigned>(date.week)]}};
  return model::LocalDateTime{model::CivilDate::fromDays(when), date.hour, date.minute, date.second};
}

// Exchange 2010+: Periods (biases) and TransitionsGroups (yearly switches between them).
model::TimeZoneDefinition fromPeriods(const xml::Element& element, model::TimeZoneDefinition definition) {
  struct Period {
    int bias = 0;
    bool daylight = false;
  };
  std::map<std::string, Period> periods;
  if (const xml::Element* list = element.child("Periods")) {
    for (const xml::Element* period : list->childrenNamed("Period")) {
      auto bias = durationMinutes(period->attributeOr("Bias", ""));
      if (!bias) continue;
      periods[period->attributeOr("Id", "")] = Period{*bias, period->attributeOr("Name", "") == "Daylight"};
    }
  }
  // The year each group starts in, from the Transitions list (the first has no date).
  std::map<std::string, int> group_years;
  if (const xml::Element* transitions = element.child("Transitions")) {
    for (const auto& transition : transitions->children) {
      const xml::Element* to = transition.child("To");
      if (to == nullptr) continue;
      const std::string when = childText(transition, "DateTime");
      group_years[to->text] = when.size() >= 4 && std::all_of(when.begin(), when.begin() + 4, ::isdigit)
                                  ? std::stoi(when.substr(0, 4))
                                  : 1601;
    }
  }
  const xml::Element* groups = element.child("TransitionsGroups");
  if (groups == nullptr) return definition;
  for (const xml::Element* group : groups->childrenNamed("TransitionsGroup")) {
    model::TimeZoneRule rule;
    const auto year = group_years.find(group->attributeOr("Id", ""));
    rule.year = year == group_years.end() ? 1601 : year->second;
    std::optional<int> standard_bias;
    std::optional<int> daylight_total;
    for (const auto& transition : group->children) {
      const xml::Element* to = transition.child("To");
      if (to == nullptr) continue;
      const auto period = periods.find(to->text);
      if (period == periods.end()) continue;
      model::TransitionDate date;
      if (transition.name == "RecurringDayTransition") {
        date.month = monthNumber(childText(transition, "Month"));
        date.day_of_week = dayIndex(childText(transition, "DayOfWeek"));
        const std::string occurrence = childText(transition, "Occurrence");
        date.week = occurrence == "-1" ? 5 : (occurrence.size() == 1 ? occurrence[0] - '0' : 0);
        setTime(date, childText(transition, "TimeOffset"));
      }
      if (period->second.daylight) {
        daylight_total = period->second.bias;
        rule.daylight_date = date;
      } else {
        standard_bias = period->second.bias;
        rule.standard_date = date;
      }
    }
    if (!standard_bias) continue;
    rule.bias = *standard_bias;
    if (daylight_total && usable(rule.daylight_date) && usable(rule.standard_date)) {
      rule.daylight_bias = *daylight_total - *standard_bias;
    } else {
      rule.daylight_date = {};
      rule.standard_date = {};
    }
    definition.rules.push_back(rule);
  }
  std::sort(definition.rules.begin(), definition.rules.end(),
            [](const model::TimeZoneRule& a, const model::TimeZoneRule& b) { return a.year < b.year; });
  if (!definition.rules.empty()) definition.rules.back().effective = true;
  return definition;
}

// Exchange 2007: MeetingTimeZone with BaseOffset and Standard/Daylight offsets and dates.
model::TimeZoneDefinition fromMeetingTimeZone(const xml::Element& element, model::TimeZoneDefinition definition) {
  auto base = durationMinutes(childText(element, "BaseOffset"));
  if (!base) return definition;
  model::TimeZoneRule rule;
  rule.year = 1601;
  rule.effective = true;
  rule.bias = *base;
  const auto readSide = [](const xml::Element* side, model::TransitionDate& date, int& offset) {
    if (side == nullptr) return false;
    const auto minutes = durationMinutes(childText(*side, "Offset"));
    const xml::Element* yearly = side->child("RelativeYearlyRecurrence");
    if (!minutes || yearly == nullptr) return false;
    offset = *minutes;
    date.month = monthNumber(childText(*yearly, "Month"));
    date.day_of_week = dayIndex(childText(*yearly, "DaysOfWeek"));
    const std::string index = childText(*yearly, "DayOfWeekIndex");
    date.week = index == "First" ? 1 : index == "Second" ? 2 : index == "Third" ? 3 : index == "Fourth" ? 4
                : index == "Last"  ? 5
                                   : 0;
    setTime(date, childText(*side, "Time"));
    return usable(date);
  };
  int standard_offset = 0;
  int daylight_offset = 0;
  if (readSide(element.child("Standard"), rule.standard_date, standard_offset) &&
      readSide(element.child("Daylight"), rule.daylight_date, daylight_offset)) {
    rule.standard_bias = standard_offset;
    rule.daylight_bias = daylight_offset;
  } else {
    rule.standard_date = {};
    rule.daylight_date = {};
  }
  definition.rules.push_back(rule);
  return definition;
}

}  // namespace

std::optional<int> durationMinutes(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text[0] == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  if (text.size() < 2 || text[0] != 'P') return std::nullopt;
  text.remove_prefix(1);
  long total = 0;
  bool in_time = false;
  long number = -1;
  for (const char c : text) {
    if (c == 'T') {
      in_time = true;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      number = (number < 0 ? 0 : number) * 10 + (c - '0');
      if (number > 1'000'000) return std::nullopt;
    } else if (number >= 0 && c == 'D' && !in_time) {
      total += number * 24 * 60;
      number = -1;
    } else if (number >= 0 && c == 'H' && in_time) {
      total += number * 60;
      number = -1;
    } else if (number >= 0 && c == 'M' && in_time) {
      total += number;
      number = -1;
    } else if (number >= 0 && c == 'S' && in_time) {
      total += number / 60;
      number = -1;
    } else {
      return std::nullopt;
    }
  }
  if (number >= 0 || total > 14 * 24 * 60) return std::nullopt;
  return static_cast<int>(negative ? -total : total);
}

model::TimeZoneDefinition zoneFromElement(const xml::Element& element) {
  model::TimeZoneDefinition definition;
  definition.source_property = element.name;
  if (element.name == "MeetingTimeZone") {
    definition.key_name = element.attributeOr("TimeZoneName", "");
    return fromMeetingTimeZone(element, std::move(definition));
  }
  definition.key_name = element.attributeOr("Id", "");
  return fromPeriods(element, std::move(definition));
}

int offsetAt(const model::TimeZoneDefinition& zone, model::Instant instant) {
  const model::TimeZoneRule* rule = zone.ruleForYear(model::toLocal(instant, 0).date.year);
  if (rule == nullptr) return 0;
  const int standard = -(rule->bias + rule->standard_bias);
  if (!rule->observesDaylightTime() || !usable(rule->daylight_date) || !usable(rule->standard_date)) return standard;
  const int daylight = -(rule->bias + rule->daylight_bias);
  const int year = model::toLocal(instant, standard).date.year;
  const model::Instant begins = model::fromLocal(transitionIn(year, rule->daylight_date), standard);
  const model::Instant ends = model::fromLocal(transitionIn(year, rule->standard_date), daylight);
  const bool in_daylight = begins < ends ? (instant >= begins && instant < ends) : (instant >= begins || instant < ends);
  return in_daylight ? daylight : standard;
}

}  // namespace m2z::readers::ews
