#include "normalize/resolve_recurrence.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "normalize/findings.h"

namespace m2z::normalize {

namespace {

namespace chr = std::chrono;

constexpr int kMinutesPerDay = 24 * 60;

model::LocalDateTime plusMinutes(const model::LocalDateTime& local, int minutes) {
  return model::toLocal(model::Instant{model::fromLocal(local, 0).unix_seconds + std::int64_t{minutes} * 60}, 0);
}

model::LocalDateTime atMinute(const model::CivilDate& date, int minute) {
  return plusMinutes(model::LocalDateTime{date, 0, 0, 0}, minute);
}

// The wall time at which a single-rule transition happens in `year`.
model::LocalDateTime transitionIn(int year, const model::TransitionRule& rule) {
  const chr::year y{year};
  const chr::month m{static_cast<unsigned>(rule.month)};
  const chr::weekday day{static_cast<unsigned>(rule.weekday - 1)};  // 1 = Sunday; chrono's 0 = Sunday
  const chr::sys_days date = rule.week < 0 ? chr::sys_days{chr::year_month_weekday_last{y, m, chr::weekday_last{day}}}
                                           : chr::sys_days{chr::year_month_weekday{y, m, day[static_cast<unsigned>(rule.week)]}};
  return model::LocalDateTime{model::CivilDate::fromDays(date), rule.hour, rule.minute, rule.second};
}

bool validRule(const model::TransitionRule& rule) {
  return rule.month >= 1 && rule.month <= 12 && rule.weekday >= 1 && rule.weekday <= 7 &&
         (rule.week == -1 || (rule.week >= 1 && rule.week <= 4));
}

std::string utcBasic(model::Instant instant) { return model::toLocal(instant, 0).toBasicString() + "Z"; }

// The local midnight nearest to `local`, as resolveTimes reads all-day bounds.
model::CivilDate nearestMidnight(const model::LocalDateTime& local) {
  return local.hour >= 12 ? local.date.plusDays(1) : local.date;
}

class RecurrenceResolver {
 public:
  RecurrenceResolver(model::Appointment& item, std::vector<model::Finding>& findings)
      : item_(item), recurrence_(*item.recurrence), times_(*item.resolved), findings_(findings) {}

  void run() {
    resolveSeriesStart();
    model::ResolvedRecurrence resolved;
    resolved.until = until();
    for (auto& exception : recurrence_.exceptions) exception.resolved = resolveException(exception);
    resolved.cancelled = cancelledInstances();
    checkMonthDays();
    recurrence_.resolved = std::move(resolved);
  }

 private:
  void resolveSeriesStart() {
    // The pattern's own first instance is authoritative: Zimbra's DTSTART must be an instance of
    // the rule, and the pattern keeps it in local time, as the series was made.
    if (item_.all_day) {
      const model::CivilDate first = recurrence_.start_date;
      const int days = std::max(1, (recurrence_.end_minute + kMinutesPerDay / 2) / kMinutesPerDay);
      const model::CivilDate last = first.plusDays(days - 1);
      if (recurrence_.start_minute != 0 || recurrence_.end_minute % kMinutesPerDay != 0) {
        report("all_day.pattern_not_midnight", model::Severity::kWarning, "PidLidAppointmentRecur",
               std::to_string(recurrence_.start_minute) + "-" + std::to_string(recurrence_.end_minute) + " minutes",
               first.toIsoString() + ".." + last.toIsoString(),
               "an all-day series should run from midnight to midnight; the nearest whole days are used");
      }
      if (first != times_.first_day || last != times_.last_day) {
        report("recurrence.start_from_pattern", model::Severity::kInfo, "start",
               times_.first_day.toIsoString() + ".." + times_.last_day.toIsoString(),
               first.toIsoString() + ".." + last.toIsoString(),
               "the series' first days differ from its start and end times; the pattern's are used");
      }
      times_.first_day = first;
      times_.last_day = last;
      return;
    }
    const model::LocalDateTime start = atMinute(recurrence_.start_date, recurrence_.start_minute);
    const model::LocalDateTime end = atMinute(recurrence_.start_date, recurrence_.end_minute);
    if (start != times_.start_local || end != times_.end_local) {
      report("recurrence.start_from_pattern", model::Severity::kInfo, "start",
             times_.start_local.toIsoString() + ".." + times_.end_local.toIsoString(),
             start.toIsoString() + ".." + end.toIsoString(),
             "the series' start and end times differ from its pattern's first instance in " + times_.zone.id +
                 "; the pattern's are used");
    }
    times_.start_local = start;
    times_.end_local = end;
  }

  std::string until() {
    if (recurrence_.end != model::RecurrenceEnd::kByDate) return {};
    if (recurrence_.end_date < recurrence_.start_date) {
      report("recurrence.ends_before_start", model::Severity::kWarning, "PidLidAppointmentRecur EndDate",
             recurrence_.end_date.toIsoString(), recurrence_.start_date.toIsoString(),
             "the series ends before its first instance; only that instance remains");
    }
    // UNTIL is inclusive and must be a DATE for an all-day series and a UTC DATE-TIME otherwise
    // (soap-calendar.txt): the start of an instance on the end day, in UTC.
    if (item_.all_day) return recurrence_.end_date.toBasicString();
    return utcBasic(instantOfWallTime(times_.zone, atMinute(recurrence_.end_date, recurrence_.start_minute)));
  }

  model::InstanceId instanceAt(const model::LocalDateTime& original) const {
    if (item_.all_day) return model::InstanceId{model::LocalDateTime{original.date, 0, 0, 0}, true};
    return model::InstanceId{original, false};
  }

  model::ResolvedException resolveException(const model::AppointmentException& exception) {
    model::ResolvedException resolved;
    resolved.id = instanceAt(exception.original_start);
    resolved.all_day = exception.all_day.value_or(item_.all_day);
    if (!item_.all_day &&
        (exception.original_start.hour * 60 + exception.original_start.minute) != recurrence_.start_minute) {
      report("recurrence.exception_off_pattern", model::Severity::kWarning, "exception original start",
             exception.original_start.toIsoString(), "",
             "the exception replaces an instance at a time the pattern does not produce; Zimbra may show the "
             "original instance as well");
    }
    if (!resolved.all_day) {
      resolved.start_local = exception.start;
      resolved.end_local = exception.end < exception.start ? exception.start : exception.end;
      return resolved;
    }
    resolved.first_day = nearestMidnight(exception.start);
    const model::CivilDate end_midnight = nearestMidnight(exception.end);
    resolved.last_day = std::max(resolved.first_day, end_midnight.plusDays(-1));
    if (!exception.start.isMidnight() || !exception.end.isMidnight()) {
      report("all_day.exception_not_midnight", model::Severity::kWarning, "exception start",
             exception.start.toIsoString() + ".." + exception.end.toIsoString(),
             resolved.first_day.toIsoString() + ".." + resolved.last_day.toIsoString(),
             "an all-day exception should run from midnight to midnight; the nearest whole days are used");
    }
    return resolved;
  }

  std::vector<model::InstanceId> cancelledInstances() const {
    // DeletedInstanceDates lists the original days of modified instances too ([MS-OXOCAL]
    // 3.1.4.6.2); those are replaced by their exception, not cancelled.
    std::vector<model::CivilDate> days = recurrence_.deleted_dates;
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    std::vector<model::InstanceId> cancelled;
    for (const model::CivilDate& day : days) {
      const bool replaced = std::any_of(recurrence_.exceptions.begin(), recurrence_.exceptions.end(),
                                        [&](const auto& exception) { return exception.original_start.date == day; });
      if (!replaced) cancelled.push_back(instanceAt(atMinute(day, recurrence_.start_minute)));
    }
    return cancelled;
  }

  void checkMonthDays() {
    const int day = recurrence_.day_of_month;
    const bool monthly = recurrence_.pattern == model::RecurrencePattern::kMonthlyByDay;
    const bool yearly = recurrence_.pattern == model::RecurrencePattern::kYearlyByDay;
    // Outlook moves "day 29/30" to the last day of a shorter month (and yearly February 29 to the
    // 28th); an iCalendar BYMONTHDAY skips such months. Day 31 was already made "last day" (-1).
    if ((monthly && (day == 29 || day == 30)) || (yearly && recurrence_.month == 2 && day == 29)) {
      report("recurrence.month_day_approximated", model::Severity::kWarning, "PidLidAppointmentRecur",
             "day " + std::to_string(day), "BYMONTHDAY=" + std::to_string(day),
             "Outlook shows this series on the last day of months that are too short; Zimbra skips those "
             "months");
    }
  }

  void report(std::string kind, model::Severity severity, std::string field, std::string before, std::string after,
              std::string why) {
    findings_.push_back(makeFinding(item_.provenance, std::move(kind), severity, std::move(field), std::move(before),
                                    std::move(after), std::move(why)));
  }

  model::Appointment& item_;
  model::Recurrence& recurrence_;
  model::ResolvedTimes& times_;
  std::vector<model::Finding>& findings_;
};

}  // namespace

model::Instant instantOfWallTime(const model::SingleRuleZone& zone, const model::LocalDateTime& local) {
  const int standard = zone.standard_offset_minutes;
  if (!zone.daylight_offset_minutes || !zone.to_daylight || !zone.to_standard || !validRule(*zone.to_daylight) ||
      !validRule(*zone.to_standard)) {
    return model::fromLocal(local, standard);
  }
  const int daylight = *zone.daylight_offset_minutes;
  const int savings = daylight - standard;
  if (savings <= 0) return model::fromLocal(local, standard);
  const int year = local.date.year;
  // Wall times from here on read as daylight time: after the skipped ones...
  const model::LocalDateTime daylight_from = plusMinutes(transitionIn(year, *zone.to_daylight), savings);
  // ...up to the switch back, the repeated ones included (their first occurrence).
  const model::LocalDateTime daylight_until = transitionIn(year, *zone.to_standard);
  const bool in_daylight = daylight_from < daylight_until
                               ? (local >= daylight_from && local < daylight_until)
                               : (local >= daylight_from || local < daylight_until);  // southern hemisphere
  return model::fromLocal(local, in_daylight ? daylight : standard);
}

void resolveRecurrence(model::Appointment& appointment, std::vector<model::Finding>& findings) {
  if (!appointment.recurrence || !appointment.resolved) return;
  RecurrenceResolver(appointment, findings).run();
}

}  // namespace m2z::normalize
