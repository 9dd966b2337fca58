// Recurring series for the SetAppointmentRequest tests, already resolved as the normalizer leaves
// them: the weekly series of java-libpst__dist-list.pst (pffexport: "every Tuesday from 8:00 AM
// to 8:30 AM" Pacific time from 2016-08-02; 08-23 moved to 9:00, 08-30 to 10:00, 08-09 deleted),
// and an all-day daily series like msgreader's "7 days, everyday".
#pragma once

#include "model/appointment.h"

namespace m2z::zimbra::testing {

inline model::LocalDateTime wall(int y, int mo, int d, int h, int mi) {
  return model::LocalDateTime{model::CivilDate{y, mo, d}, h, mi, 0};
}

// America/Los_Angeles: UTC-8 (stdoff -480), UTC-7 (dayoff -420) from the second Sunday of March
// 02:00 to the first Sunday of November 02:00 (week 2 / week 1, weekday 1 = Sunday).
inline model::SingleRuleZone losAngeles() {
  return model::SingleRuleZone{"America/Los_Angeles", -480, -420, model::TransitionRule{11, 1, 1, 2, 0, 0},
                               model::TransitionRule{3, 2, 1, 2, 0, 0}};
}

inline model::Appointment weeklySeries() {
  model::Appointment a;
  a.provenance = model::Provenance{"/data/dist-list.pst", "/Calendar", "2097348"};
  a.uid = "series-uid";
  a.subject = "Test appointment";
  a.body = "Weekly";
  a.organizer = model::Person{"Alice", "alice@example.com", "SMTP"};
  a.reminder_minutes_before = 15;
  a.is_recurring = true;
  model::ResolvedTimes times;
  times.zone = losAngeles();
  times.start_local = wall(2016, 8, 2, 8, 0);
  times.end_local = wall(2016, 8, 2, 8, 30);
  a.resolved = times;

  model::Recurrence recurrence;
  recurrence.pattern = model::RecurrencePattern::kWeekly;
  recurrence.weekdays = {model::Weekday::kTuesday};
  recurrence.start_date = model::CivilDate{2016, 8, 2};
  recurrence.start_minute = 8 * 60;
  recurrence.end_minute = 8 * 60 + 30;
  recurrence.deleted_dates = {{2016, 8, 9}, {2016, 8, 23}, {2016, 8, 30}};

  model::AppointmentException nine;
  nine.original_start = wall(2016, 8, 23, 8, 0);
  nine.start = wall(2016, 8, 23, 9, 0);
  nine.end = wall(2016, 8, 23, 9, 30);
  nine.body = "This is the appointment at 9";
  nine.resolved = model::ResolvedException{{wall(2016, 8, 23, 8, 0), false}, false, nine.start, nine.end, {}, {}};

  model::AppointmentException ten;
  ten.original_start = wall(2016, 8, 30, 8, 0);
  ten.start = wall(2016, 8, 30, 10, 0);
  ten.end = wall(2016, 8, 30, 10, 30);
  ten.subject = "Moved to ten";
  ten.busy_status = model::BusyStatus::kOutOfOffice;
  ten.reminder_set = false;
  ten.resolved = model::ResolvedException{{wall(2016, 8, 30, 8, 0), false}, false, ten.start, ten.end, {}, {}};

  recurrence.exceptions = {nine, ten};
  recurrence.resolved = model::ResolvedRecurrence{"", {model::InstanceId{wall(2016, 8, 9, 8, 0), false}}};
  a.recurrence = recurrence;
  return a;
}

// All day, every day from 2022-12-01 to 2022-12-07 in Tokyo; 12-03 moved to 12-04, 12-05 deleted.
inline model::Appointment allDayDailySeries() {
  model::Appointment a;
  a.provenance = model::Provenance{"/data/x.msg", "/", "1"};
  a.uid = "all-day-series";
  a.subject = "7 days, everyday";
  a.all_day = true;
  a.is_recurring = true;
  model::ResolvedTimes times;
  times.zone = model::SingleRuleZone{"Asia/Tokyo", 540, std::nullopt, std::nullopt, std::nullopt};
  times.first_day = model::CivilDate{2022, 12, 1};
  times.last_day = model::CivilDate{2022, 12, 1};
  a.resolved = times;
  model::Recurrence recurrence;
  recurrence.pattern = model::RecurrencePattern::kDaily;
  recurrence.start_date = model::CivilDate{2022, 12, 1};
  recurrence.end_minute = 24 * 60;
  recurrence.end = model::RecurrenceEnd::kByDate;
  recurrence.end_date = model::CivilDate{2022, 12, 7};
  recurrence.deleted_dates = {{2022, 12, 3}, {2022, 12, 5}};
  model::AppointmentException moved;
  moved.original_start = wall(2022, 12, 3, 0, 0);
  moved.start = wall(2022, 12, 4, 0, 0);
  moved.end = wall(2022, 12, 5, 0, 0);
  moved.resolved = model::ResolvedException{{wall(2022, 12, 3, 0, 0), true}, true, {}, {},
                                            model::CivilDate{2022, 12, 4}, model::CivilDate{2022, 12, 4}};
  recurrence.exceptions = {moved};
  recurrence.resolved = model::ResolvedRecurrence{"20221207", {model::InstanceId{wall(2022, 12, 5, 0, 0), true}}};
  a.recurrence = recurrence;
  return a;
}

}  // namespace m2z::zimbra::testing
