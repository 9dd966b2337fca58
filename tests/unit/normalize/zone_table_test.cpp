// Table tests for wall times and all-day days from UTC-12 to UTC+14: half- and quarter-hour
// zones, DST change days in both hemispheres, multi-day and recurring all-day events.
//
// Every UTC instant below is the local midnight (or wall time) of the row's zone as tzdata gives
// it, computed with Python's zoneinfo, which does not use ICU:
//   datetime(2014, 3, 9, tzinfo=ZoneInfo("America/Los_Angeles")).astimezone(timezone.utc)
// and checked by hand against the zone's rule (the reasoning is in each row's comment). The
// table in docs/normalizer.md lists the same rows.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "normalize/normalizer.h"
#include "normalize/resolve_times.h"
#include "zone_fixtures.h"

namespace m2z::normalize {
namespace {

using model::CivilDate;
using model::Instant;
using model::LocalDateTime;
using testing::utc;

struct AllDayRow {
  const char* what;
  model::TimeZoneDefinition zone;
  Instant start;  // the source's PidLidAppointmentStartWhole
  Instant end;    // PidLidAppointmentEndWhole: the exclusive midnight after the last day
  CivilDate first_day;
  CivilDate last_day;  // inclusive
  bool start_is_midnight = true;
};

std::vector<AllDayRow> allDayRows() {
  using namespace testing;
  return {
      // UTC-12: 00:00 local is 12:00Z the same day.
      {"UTC-12", datelineZone(), utc(2014, 3, 9, 12), utc(2014, 3, 10, 12), {2014, 3, 9}, {2014, 3, 9}},
      {"UTC-10", hawaiiZone(), utc(2014, 3, 9, 10), utc(2014, 3, 10, 10), {2014, 3, 9}, {2014, 3, 9}},
      // US spring forward 2014-03-09 at 02:00 PST (10:00Z): the day starts at 08:00Z (UTC-8) and
      // ends at 07:00Z (UTC-7), 23 hours.
      {"Pacific spring forward", pacificZone(), utc(2014, 3, 9, 8), utc(2014, 3, 10, 7), {2014, 3, 9}, {2014, 3, 9}},
      // US fall back 2014-11-02 at 02:00 PDT (09:00Z): 07:00Z (UTC-7) to 08:00Z (UTC-8), 25 hours.
      {"Pacific fall back", pacificZone(), utc(2014, 11, 2, 7), utc(2014, 11, 3, 8), {2014, 11, 2}, {2014, 11, 2}},
      // Newfoundland UTC-3:30, DST the same day as the US: 03:30Z to 02:30Z (UTC-2:30).
      {"Newfoundland spring forward", newfoundlandZone(), utc(2014, 3, 9, 3, 30), utc(2014, 3, 10, 2, 30),
       {2014, 3, 9}, {2014, 3, 9}},
      {"UTC", utcZone(), utc(2014, 3, 30), utc(2014, 3, 31), {2014, 3, 30}, {2014, 3, 30}},
      // EU spring forward 2014-03-30 at 01:00Z: London's day runs 00:00Z (GMT) to 23:00Z (BST).
      {"London spring forward", londonZone(), utc(2014, 3, 30), utc(2014, 3, 30, 23), {2014, 3, 30}, {2014, 3, 30}},
      // EU fall back 2014-10-26 at 01:00Z: Berlin's day runs 22:00Z the day before (CEST) to 23:00Z (CET).
      {"Berlin fall back", berlinZone(), utc(2014, 10, 25, 22), utc(2014, 10, 26, 23), {2014, 10, 26},
       {2014, 10, 26}},
      // Half- and quarter-hour zones without DST: midnight is the previous day at 24:00 - offset.
      {"UTC+4:30", kabulZone(), utc(2014, 3, 8, 19, 30), utc(2014, 3, 9, 19, 30), {2014, 3, 9}, {2014, 3, 9}},
      {"UTC+5:30", indiaZone(), utc(2014, 3, 8, 18, 30), utc(2014, 3, 9, 18, 30), {2014, 3, 9}, {2014, 3, 9}},
      {"UTC+5:45", nepalZone(), utc(2014, 3, 8, 18, 15), utc(2014, 3, 9, 18, 15), {2014, 3, 9}, {2014, 3, 9}},
      {"UTC+6:30", myanmarZone(), utc(2014, 3, 8, 17, 30), utc(2014, 3, 9, 17, 30), {2014, 3, 9}, {2014, 3, 9}},
      // Southern spring forward 2014-10-05 at 02:00 ACST (16:30Z on the 4th): 14:30Z (UTC+9:30) to
      // 13:30Z (UTC+10:30).
      {"Adelaide spring forward", adelaideZone(), utc(2014, 10, 4, 14, 30), utc(2014, 10, 5, 13, 30), {2014, 10, 5},
       {2014, 10, 5}},
      // Southern fall back 2014-04-06 at 03:00 AEDT (16:00Z on the 5th): 13:00Z (UTC+11) to 14:00Z (UTC+10).
      {"Sydney fall back", sydneyZone(), utc(2014, 4, 5, 13), utc(2014, 4, 6, 14), {2014, 4, 6}, {2014, 4, 6}},
      // Lord Howe moves by half an hour on 2014-10-05 at 02:00 (15:30Z on the 4th): 13:30Z
      // (UTC+10:30) to 13:00Z (UTC+11).
      {"Lord Howe half-hour DST", lordHoweZone(), utc(2014, 10, 4, 13, 30), utc(2014, 10, 5, 13), {2014, 10, 5},
       {2014, 10, 5}},
      // Chatham spring forward 2014-09-28 at 02:45 (14:00Z on the 27th): 11:15Z (UTC+12:45) to
      // 10:15Z (UTC+13:45).
      {"Chatham spring forward", chathamZone(), utc(2014, 9, 27, 11, 15), utc(2014, 9, 28, 10, 15), {2014, 9, 28},
       {2014, 9, 28}},
      {"UTC+13", tongaZone(), utc(2014, 3, 8, 11), utc(2014, 3, 9, 11), {2014, 3, 9}, {2014, 3, 9}},
      // UTC+14: the day starts at 10:00Z the day before.
      {"UTC+14", lineIslandsZone(), utc(2014, 3, 8, 10), utc(2014, 3, 9, 10), {2014, 3, 9}, {2014, 3, 9}},
      // Multi-day across a DST change: Berlin 29-31 March 2014 (spring forward on the 30th):
      // 23:00Z on the 28th (CET) to 22:00Z on the 31st (CEST).
      {"Berlin three days over spring forward", berlinZone(), utc(2014, 3, 28, 23), utc(2014, 3, 31, 22),
       {2014, 3, 29}, {2014, 3, 31}},
      // Sydney 5-7 April 2014 over fall back: 13:00Z on the 4th (AEDT) to 14:00Z on the 7th (AEST).
      {"Sydney three days over fall back", sydneyZone(), utc(2014, 4, 4, 13), utc(2014, 4, 7, 14), {2014, 4, 5},
       {2014, 4, 7}},
      // Sao Paulo's DST started at midnight on 2014-10-19: 00:00 did not exist that day (23:59:59
      // BRT was followed by 01:00 BRST = 03:00Z). The day starts at 01:00 local, so the item
      // starts "off midnight" and still means the 19th; it ends at 00:00 BRST on the 20th = 02:00Z.
      {"Sao Paulo DST at midnight", saoPauloZone(), utc(2014, 10, 19, 3), utc(2014, 10, 20, 2), {2014, 10, 19},
       {2014, 10, 19}, false},
  };
}

TEST(ZoneTable, AllDayEventsKeepTheirDaysInEveryZone) {
  for (const auto& row : allDayRows()) {
    SCOPED_TRACE(row.what);
    model::Appointment item;
    item.start = row.start;
    item.end = row.end;
    item.all_day = true;
    item.start_zone = row.zone;
    std::vector<model::Finding> findings;
    resolveTimes(item, findings);
    ASSERT_TRUE(item.resolved);
    EXPECT_EQ(item.resolved->first_day, row.first_day);
    EXPECT_EQ(item.resolved->last_day, row.last_day);
    EXPECT_EQ(item.resolved->start_local.isMidnight(), row.start_is_midnight);
    for (const auto& finding : findings) {
      EXPECT_NE(finding.kind, "all_day.end_not_midnight");
      EXPECT_NE(finding.kind, "all_day.empty");
    }
  }
}

struct TimedRow {
  const char* what;
  model::TimeZoneDefinition zone;
  LocalDateTime january;  // 2014-01-15T12:00Z in the zone
  LocalDateTime july;     // 2014-07-15T12:00Z in the zone
};

TEST(ZoneTable, MeetingAtNoonUtcInJanuaryAndJuly) {
  using namespace testing;
  // Local = 12:00Z + offset; January is northern winter / southern summer, July the reverse.
  const std::vector<TimedRow> rows = {
      {"UTC-12", datelineZone(), {{2014, 1, 15}, 0, 0, 0}, {{2014, 7, 15}, 0, 0, 0}},
      {"UTC-10", hawaiiZone(), {{2014, 1, 15}, 2, 0, 0}, {{2014, 7, 15}, 2, 0, 0}},
      {"UTC-8/-7", pacificZone(), {{2014, 1, 15}, 4, 0, 0}, {{2014, 7, 15}, 5, 0, 0}},
      {"UTC-3:30/-2:30", newfoundlandZone(), {{2014, 1, 15}, 8, 30, 0}, {{2014, 7, 15}, 9, 30, 0}},
      {"UTC-2/-3 (southern)", saoPauloZone(), {{2014, 1, 15}, 10, 0, 0}, {{2014, 7, 15}, 9, 0, 0}},
      {"UTC", utcZone(), {{2014, 1, 15}, 12, 0, 0}, {{2014, 7, 15}, 12, 0, 0}},
      {"UTC+0/+1", londonZone(), {{2014, 1, 15}, 12, 0, 0}, {{2014, 7, 15}, 13, 0, 0}},
      {"UTC+1/+2", berlinZone(), {{2014, 1, 15}, 13, 0, 0}, {{2014, 7, 15}, 14, 0, 0}},
      {"UTC+4:30", kabulZone(), {{2014, 1, 15}, 16, 30, 0}, {{2014, 7, 15}, 16, 30, 0}},
      {"UTC+5:30", indiaZone(), {{2014, 1, 15}, 17, 30, 0}, {{2014, 7, 15}, 17, 30, 0}},
      {"UTC+5:45", nepalZone(), {{2014, 1, 15}, 17, 45, 0}, {{2014, 7, 15}, 17, 45, 0}},
      {"UTC+6:30", myanmarZone(), {{2014, 1, 15}, 18, 30, 0}, {{2014, 7, 15}, 18, 30, 0}},
      {"UTC+10:30/+9:30", adelaideZone(), {{2014, 1, 15}, 22, 30, 0}, {{2014, 7, 15}, 21, 30, 0}},
      {"UTC+11/+10", sydneyZone(), {{2014, 1, 15}, 23, 0, 0}, {{2014, 7, 15}, 22, 0, 0}},
      {"UTC+11/+10:30", lordHoweZone(), {{2014, 1, 15}, 23, 0, 0}, {{2014, 7, 15}, 22, 30, 0}},
      {"UTC+13:45/+12:45", chathamZone(), {{2014, 1, 16}, 1, 45, 0}, {{2014, 7, 16}, 0, 45, 0}},
      {"UTC+13", tongaZone(), {{2014, 1, 16}, 1, 0, 0}, {{2014, 7, 16}, 1, 0, 0}},
      {"UTC+14", lineIslandsZone(), {{2014, 1, 16}, 2, 0, 0}, {{2014, 7, 16}, 2, 0, 0}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.what);
    for (const auto& [when, expected] : {std::pair{utc(2014, 1, 15, 12), row.january},
                                         std::pair{utc(2014, 7, 15, 12), row.july}}) {
      model::Appointment item;
      item.start = when;
      item.end = Instant{when.unix_seconds + 3600};
      item.start_zone = row.zone;
      std::vector<model::Finding> findings;
      resolveTimes(item, findings);
      ASSERT_TRUE(item.resolved);
      EXPECT_EQ(item.resolved->start_local, expected);
    }
  }
}

TEST(ZoneTable, RecurringAllDaySeriesResolvesItsFirstDay) {
  // A yearly all-day series (a birthday) in Berlin whose first occurrence is 2014-05-15: local
  // midnight in CEST is 22:00Z on the 14th. The series' own days are the recurrence pass's job;
  // the item's first occurrence must be the 15th either way.
  model::Appointment item;
  item.start = utc(2014, 5, 14, 22);
  item.end = utc(2014, 5, 15, 22);
  item.all_day = true;
  item.is_recurring = true;
  item.start_zone = testing::berlinZone();
  model::Recurrence series;
  series.pattern = model::RecurrencePattern::kYearlyByDay;
  series.day_of_month = 15;
  series.month = 5;
  series.start_date = {2014, 5, 15};
  series.end = model::RecurrenceEnd::kNever;
  item.recurrence = series;
  std::vector<model::Finding> findings;
  resolveTimes(item, findings);
  ASSERT_TRUE(item.resolved);
  EXPECT_EQ(item.resolved->first_day, (CivilDate{2014, 5, 15}));
  EXPECT_EQ(item.resolved->last_day, (CivilDate{2014, 5, 15}));
  EXPECT_EQ(item.resolved->first_day, item.recurrence->start_date);
}

TEST(ZoneTable, RecurringAllDaySeriesKeepsItsDayThroughTheWholeNormalizer) {
  // The same birthday series in UTC+14 and UTC-12, through every pass (resolveRecurrence
  // included): local midnight of 2014-05-15 is 10:00Z on the 14th at UTC+14 and 12:00Z on the
  // 15th at UTC-12; the series' first day is the 15th in both.
  using testing::utc;
  for (const auto& [zone, start] : {std::pair{testing::lineIslandsZone(), utc(2014, 5, 14, 10)},
                                    std::pair{testing::datelineZone(), utc(2014, 5, 15, 12)}}) {
    SCOPED_TRACE(zone.key_name);
    model::Appointment item;
    item.start = start;
    item.end = Instant{start.unix_seconds + 86'400};
    item.all_day = true;
    item.is_recurring = true;
    item.start_zone = zone;
    model::Recurrence series;
    series.pattern = model::RecurrencePattern::kYearlyByDay;
    series.day_of_month = 15;
    series.month = 5;
    series.start_date = {2014, 5, 15};
    series.start_minute = 0;
    series.end_minute = 1440;
    series.end = model::RecurrenceEnd::kNever;
    item.recurrence = series;
    std::vector<model::Finding> findings;
    normalizeAppointment(item, findings);
    ASSERT_TRUE(item.resolved);
    EXPECT_EQ(item.resolved->first_day, (CivilDate{2014, 5, 15}));
    EXPECT_EQ(item.resolved->last_day, (CivilDate{2014, 5, 15}));
  }
}

TEST(ZoneTable, AllDayWithEndBeforeStartIsOneDayWithOneFinding) {
  // Start 2014-11-01 in Berlin (23:00Z on 31 Oct), end a day earlier: a damaged source.
  model::Appointment item;
  item.start = utc(2014, 10, 31, 23);
  item.end = utc(2014, 10, 30, 23);
  item.all_day = true;
  item.start_zone = testing::berlinZone();
  std::vector<model::Finding> findings;
  resolveTimes(item, findings);
  EXPECT_EQ(item.resolved->first_day, (CivilDate{2014, 11, 1}));
  EXPECT_EQ(item.resolved->last_day, (CivilDate{2014, 11, 1}));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, "time.end_before_start");
  EXPECT_EQ(findings[0].after, "2014-11-01");
}

TEST(ZoneTable, AllDayStoredAsUtcMidnightsInUtcPlus14KeepsTheUtcDay) {
  // A converter that wrote the day 2014-03-09 as 00:00Z..00:00Z next day: in UTC+14 that reads
  // 14:00 local, nearer the next midnight, but an exact 00:00Z means the UTC day (see
  // civilDateAtOffset), so the event stays on the 9th and the repair is reported.
  model::Appointment item;
  item.start = utc(2014, 3, 9);
  item.end = utc(2014, 3, 10);
  item.all_day = true;
  item.start_zone = testing::lineIslandsZone();
  std::vector<model::Finding> findings;
  resolveTimes(item, findings);
  EXPECT_EQ(item.resolved->first_day, (CivilDate{2014, 3, 9}));
  EXPECT_EQ(item.resolved->last_day, (CivilDate{2014, 3, 9}));
  ASSERT_FALSE(findings.empty());
  EXPECT_EQ(findings[0].kind, "all_day.start_not_midnight");
}

}  // namespace
}  // namespace m2z::normalize
