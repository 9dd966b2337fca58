// resolveRecurrence: expected wall times and UTC instants worked out with Python's zoneinfo
// (tzdata), e.g. datetime(2016, 12, 27, 8, tzinfo=ZoneInfo("America/Los_Angeles")) ->
// 2016-12-27T16:00Z, never with our code; the series are the ones of the reader tests
// (java-libpst__dist-list.pst as pffexport shows it; "7 days, everyday" from msgreader).
#include "normalize/resolve_recurrence.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "normalize/resolve_times.h"
#include "zone_fixtures.h"

namespace m2z::normalize {
namespace {

using model::CivilDate;
using model::InstanceId;
using model::LocalDateTime;
using testing::utc;

LocalDateTime at(int y, int mo, int d, int h, int mi) { return LocalDateTime{CivilDate{y, mo, d}, h, mi, 0}; }

// America/Los_Angeles as a single rule: UTC-8, UTC-7 from the second Sunday of March 02:00 to the
// first Sunday of November 02:00 (weekday 1 = Sunday).
model::SingleRuleZone losAngeles() {
  return model::SingleRuleZone{"America/Los_Angeles", -480, -420, model::TransitionRule{11, 1, 1, 2, 0, 0},
                               model::TransitionRule{3, 2, 1, 2, 0, 0}};
}

// Australia/Sydney: UTC+10, UTC+11 from the first Sunday of October 02:00 to the first Sunday of
// April 03:00.
model::SingleRuleZone sydney() {
  return model::SingleRuleZone{"Australia/Sydney", 600, 660, model::TransitionRule{4, 1, 1, 3, 0, 0},
                               model::TransitionRule{10, 1, 1, 2, 0, 0}};
}

TEST(InstantOfWallTime, FollowsTheZonesRulesAndRfc5545AtTheChanges) {
  EXPECT_EQ(instantOfWallTime(losAngeles(), at(2016, 8, 30, 8, 0)), utc(2016, 8, 30, 15, 0));
  EXPECT_EQ(instantOfWallTime(losAngeles(), at(2016, 12, 27, 8, 0)), utc(2016, 12, 27, 16, 0));
  // 02:30 on 2016-03-13 does not exist: the offset before the gap (UTC-8) applies.
  EXPECT_EQ(instantOfWallTime(losAngeles(), at(2016, 3, 13, 2, 30)), utc(2016, 3, 13, 10, 30));
  // 01:30 on 2016-11-06 happens twice: the first (UTC-7).
  EXPECT_EQ(instantOfWallTime(losAngeles(), at(2016, 11, 6, 1, 30)), utc(2016, 11, 6, 8, 30));
  // Southern hemisphere: summer time spans the new year.
  EXPECT_EQ(instantOfWallTime(sydney(), at(2014, 1, 15, 10, 0)), utc(2014, 1, 14, 23, 0));
  EXPECT_EQ(instantOfWallTime(sydney(), at(2014, 7, 15, 10, 0)), utc(2014, 7, 15, 0, 0));
  // No daylight saving time.
  EXPECT_EQ(instantOfWallTime(model::SingleRuleZone{"Asia/Tokyo", 540, std::nullopt, std::nullopt, std::nullopt},
                              at(2022, 12, 7, 0, 0)),
            utc(2022, 12, 6, 15, 0));
}

// The series of java-libpst__dist-list.pst: every Tuesday 8:00-8:30 Pacific from 2016-08-02
// (15:00Z), never ending; 08-09 deleted; 08-23 moved to 9:00, 08-30 to 10:00.
model::Appointment distListSeries() {
  model::Appointment item;
  item.provenance = model::Provenance{"dist-list.pst", "/Calendar", "2097348"};
  item.start = utc(2016, 8, 2, 15, 0);
  item.end = utc(2016, 8, 2, 15, 30);
  item.start_zone = testing::pacificZone();
  item.end_zone = item.start_zone;
  item.is_recurring = true;
  model::Recurrence recurrence;
  recurrence.pattern = model::RecurrencePattern::kWeekly;
  recurrence.weekdays = {model::Weekday::kTuesday};
  recurrence.start_date = CivilDate{2016, 8, 2};
  recurrence.start_minute = 8 * 60;
  recurrence.end_minute = 8 * 60 + 30;
  recurrence.deleted_dates = {{2016, 8, 9}, {2016, 8, 23}, {2016, 8, 30}};
  model::AppointmentException first;
  first.original_start = at(2016, 8, 23, 8, 0);
  first.start = at(2016, 8, 23, 9, 0);
  first.end = at(2016, 8, 23, 9, 30);
  model::AppointmentException second;
  second.original_start = at(2016, 8, 30, 8, 0);
  second.start = at(2016, 8, 30, 10, 0);
  second.end = at(2016, 8, 30, 10, 30);
  recurrence.exceptions = {first, second};
  item.recurrence = recurrence;
  return item;
}

std::vector<model::Finding> resolve(model::Appointment& item) {
  std::vector<model::Finding> findings;
  resolveTimes(item, findings);
  resolveRecurrence(item, findings);
  return findings;
}

long countKind(const std::vector<model::Finding>& findings, const std::string& kind) {
  return std::count_if(findings.begin(), findings.end(), [&](const auto& f) { return f.kind == kind; });
}

TEST(ResolveRecurrence, WeeklySeriesInLosAngeles) {
  model::Appointment item = distListSeries();
  const auto findings = resolve(item);
  ASSERT_TRUE(item.resolved && item.recurrence && item.recurrence->resolved);
  EXPECT_EQ(item.resolved->zone.id, "America/Los_Angeles");
  EXPECT_EQ(item.resolved->start_local, at(2016, 8, 2, 8, 0));
  EXPECT_EQ(item.resolved->end_local, at(2016, 8, 2, 8, 30));
  EXPECT_EQ(item.recurrence->resolved->until, "");  // never ends
  // 08-23 and 08-30 are replaced by exceptions; only 08-09 is cancelled, at the series' time.
  EXPECT_EQ(item.recurrence->resolved->cancelled, (std::vector<InstanceId>{{at(2016, 8, 9, 8, 0), false}}));
  const auto& first = item.recurrence->exceptions[0].resolved;
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->id, (InstanceId{at(2016, 8, 23, 8, 0), false}));
  EXPECT_FALSE(first->all_day);
  EXPECT_EQ(first->start_local, at(2016, 8, 23, 9, 0));
  EXPECT_EQ(first->end_local, at(2016, 8, 23, 9, 30));
  EXPECT_EQ(item.recurrence->exceptions[1].resolved->id, (InstanceId{at(2016, 8, 30, 8, 0), false}));
  for (const auto& finding : findings) {
    EXPECT_NE(finding.kind.rfind("recurrence.", 0), 0u) << finding.kind << ": " << finding.why;
  }
}

TEST(ResolveRecurrence, UntilIsTheLastPossibleStartInUtc) {
  model::Appointment item = distListSeries();
  item.recurrence->end = model::RecurrenceEnd::kByDate;
  item.recurrence->end_date = CivilDate{2016, 12, 27};  // a Tuesday, after the change to PST
  resolve(item);
  EXPECT_EQ(item.recurrence->resolved->until, "20161227T160000Z");
  item.recurrence->end_date = CivilDate{2016, 8, 31};  // summer: UTC-7
  resolve(item);
  EXPECT_EQ(item.recurrence->resolved->until, "20160831T150000Z");
}

// "7 days, everyday" (msgreader): all day, every day from 2022-12-01 to 2022-12-07 in Tokyo
// (UTC+9: stored as 2022-11-30T15:00Z .. 2022-12-01T15:00Z).
model::Appointment tokyoAllDaySeries() {
  model::Appointment item;
  item.provenance = model::Provenance{"x.msg", "/", "1"};
  item.start = utc(2022, 11, 30, 15, 0);
  item.end = utc(2022, 12, 1, 15, 0);
  item.all_day = true;
  item.start_zone = testing::windowsZone("Tokyo Standard Time", -540);
  item.is_recurring = true;
  model::Recurrence recurrence;
  recurrence.pattern = model::RecurrencePattern::kDaily;
  recurrence.start_date = CivilDate{2022, 12, 1};
  recurrence.start_minute = 0;
  recurrence.end_minute = 24 * 60;
  recurrence.end = model::RecurrenceEnd::kByDate;
  recurrence.end_date = CivilDate{2022, 12, 7};
  item.recurrence = recurrence;
  return item;
}

TEST(ResolveRecurrence, AllDaySeriesUsesDatesThroughout) {
  model::Appointment item = tokyoAllDaySeries();
  // 12-03 moved to 12-04 (midnight to midnight); 12-05 deleted.
  model::AppointmentException moved;
  moved.original_start = at(2022, 12, 3, 0, 0);
  moved.start = at(2022, 12, 4, 0, 0);
  moved.end = at(2022, 12, 5, 0, 0);
  item.recurrence->exceptions = {moved};
  item.recurrence->deleted_dates = {{2022, 12, 3}, {2022, 12, 5}};
  const auto findings = resolve(item);
  EXPECT_EQ(item.resolved->first_day, (CivilDate{2022, 12, 1}));
  EXPECT_EQ(item.resolved->last_day, (CivilDate{2022, 12, 1}));  // inclusive: one day
  // An all-day series ends by DATE (soap-calendar.txt: UNTIL is a date or a UTC date-time).
  EXPECT_EQ(item.recurrence->resolved->until, "20221207");
  EXPECT_EQ(item.recurrence->resolved->cancelled, (std::vector<InstanceId>{{at(2022, 12, 5, 0, 0), true}}));
  const auto& exception = item.recurrence->exceptions[0].resolved;
  ASSERT_TRUE(exception.has_value());
  EXPECT_EQ(exception->id, (InstanceId{at(2022, 12, 3, 0, 0), true}));
  EXPECT_TRUE(exception->all_day);
  EXPECT_EQ(exception->first_day, (CivilDate{2022, 12, 4}));
  EXPECT_EQ(exception->last_day, (CivilDate{2022, 12, 4}));
  EXPECT_EQ(countKind(findings, "all_day.exception_not_midnight"), 0);
}

TEST(ResolveRecurrence, TimedExceptionOfAnAllDaySeriesKeepsItsTimes) {
  model::Appointment item = tokyoAllDaySeries();
  model::AppointmentException timed;
  timed.original_start = at(2022, 12, 2, 0, 0);
  timed.start = at(2022, 12, 2, 10, 0);
  timed.end = at(2022, 12, 2, 11, 0);
  timed.all_day = false;
  item.recurrence->exceptions = {timed};
  resolve(item);
  const auto& exception = item.recurrence->exceptions[0].resolved;
  EXPECT_EQ(exception->id, (InstanceId{at(2022, 12, 2, 0, 0), true}));  // the series' form
  EXPECT_FALSE(exception->all_day);
  EXPECT_EQ(exception->start_local, at(2022, 12, 2, 10, 0));
  EXPECT_EQ(exception->end_local, at(2022, 12, 2, 11, 0));
}

TEST(ResolveRecurrence, PatternStartWinsOverTheItemsTimesAndSaysSo) {
  model::Appointment item = distListSeries();
  item.start = utc(2016, 8, 2, 16, 0);  // 9:00 local, not the pattern's 8:00
  item.end = utc(2016, 8, 2, 16, 30);
  const auto findings = resolve(item);
  EXPECT_EQ(item.resolved->start_local, at(2016, 8, 2, 8, 0));
  EXPECT_EQ(item.resolved->end_local, at(2016, 8, 2, 8, 30));
  EXPECT_EQ(countKind(findings, "recurrence.start_from_pattern"), 1);
}

TEST(ResolveRecurrence, ApproximationsAndRepairsAreFindings) {
  model::Appointment item = distListSeries();
  item.recurrence->pattern = model::RecurrencePattern::kMonthlyByDay;
  item.recurrence->day_of_month = 30;
  item.recurrence->end = model::RecurrenceEnd::kByDate;
  item.recurrence->end_date = CivilDate{2016, 7, 1};  // before the first instance
  item.recurrence->exceptions[0].original_start = at(2016, 8, 23, 7, 0);  // not the series' time
  auto findings = resolve(item);
  EXPECT_EQ(countKind(findings, "recurrence.month_day_approximated"), 1);
  EXPECT_EQ(countKind(findings, "recurrence.ends_before_start"), 1);
  EXPECT_EQ(countKind(findings, "recurrence.exception_off_pattern"), 1);
  for (const auto& finding : findings) {
    EXPECT_EQ(finding.item.entry_id, "2097348");
    EXPECT_FALSE(finding.item_skipped);
  }
  // The last day of the month (Outlook's "day 31") is exact, and so is yearly February 28.
  item = distListSeries();
  item.recurrence->pattern = model::RecurrencePattern::kMonthlyByDay;
  item.recurrence->day_of_month = -1;
  findings = resolve(item);
  EXPECT_EQ(countKind(findings, "recurrence.month_day_approximated"), 0);
  item.recurrence->pattern = model::RecurrencePattern::kYearlyByDay;
  item.recurrence->month = 2;
  item.recurrence->day_of_month = 29;
  findings = resolve(item);
  EXPECT_EQ(countKind(findings, "recurrence.month_day_approximated"), 1);
}

TEST(ResolveRecurrence, SingleItemsAreLeftAlone) {
  model::Appointment item = distListSeries();
  item.recurrence.reset();
  item.is_recurring = false;
  const auto findings = resolve(item);
  EXPECT_FALSE(item.recurrence.has_value());
  EXPECT_EQ(item.resolved->start_local, at(2016, 8, 2, 8, 0));
}

}  // namespace
}  // namespace m2z::normalize
