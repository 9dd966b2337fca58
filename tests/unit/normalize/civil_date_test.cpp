// civilDateOf for values that mean a day: birthdays, anniversaries, task dates, all-day bounds.
//
// Each row's local reading was computed with Python's zoneinfo (tzdata, independent of ICU):
//   datetime(2014, 11, 30, 23, tzinfo=timezone.utc).astimezone(ZoneInfo("Europe/Berlin"))
//   -> 2014-12-01 00:00 +01:00
// and the expected day follows from the rule written in civil_date.h: a local midnight is its
// day; else an exact 00:00Z is the UTC day; else the nearest local midnight's day.
#include "normalize/civil_date.h"

#include <gtest/gtest.h>

#include <vector>

#include "zone_fixtures.h"

namespace m2z::normalize {
namespace {

using model::CivilDate;
using testing::utc;

struct Row {
  const char* what;
  model::Instant instant;
  const char* zone;
  CivilDate expected;
};

TEST(CivilDateOf, BirthdaysAnniversariesAndTaskDates) {
  const std::vector<Row> rows = {
      // PidTagBirthday as Outlook writes it: local midnight converted to UTC.
      {"birthday stored as 23:00Z the day before in Berlin (CET, local 00:00)", utc(2014, 11, 30, 23),
       "Europe/Berlin", {2014, 12, 1}},
      {"birthday in 1980, Germany's first DST summer (CEST, local 00:00)", utc(1980, 5, 14, 22), "Europe/Berlin",
       {1980, 5, 15}},
      {"birthday in London summer time (BST, local 00:00)", utc(2014, 6, 14, 23), "Europe/London", {2014, 6, 15}},
      // The same birthday written as 00:00Z by a tool that treats dates as UTC: 01:00 in Berlin,
      // 19:00 the day before in New York, 14:00 the same day in Kiritimati (where the nearest
      // midnight alone would give the next day); an exact 00:00Z means the UTC day in all three.
      {"birthday stored as 00:00Z, read in Berlin (local 01:00)", utc(2014, 12, 1), "Europe/Berlin", {2014, 12, 1}},
      {"birthday stored as 00:00Z, read in New York (local 19:00 the day before)", utc(2014, 12, 1),
       "America/New_York", {2014, 12, 1}},
      {"birthday stored as 00:00Z, read at UTC+14 (local 14:00)", utc(2014, 12, 1), "Pacific/Kiritimati",
       {2014, 12, 1}},
      // Local midnights at the extremes and in odd offsets.
      {"UTC+14 local midnight is 10:00Z the day before", utc(2014, 11, 30, 10), "Pacific/Kiritimati", {2014, 12, 1}},
      {"UTC-12 local midnight is 12:00Z the same day", utc(2014, 12, 1, 12), "Etc/GMT+12", {2014, 12, 1}},
      {"UTC+5:45 local midnight", utc(2014, 11, 30, 18, 15), "Asia/Kathmandu", {2014, 12, 1}},
      {"UTC+5:30 local midnight", utc(2014, 11, 30, 18, 30), "Asia/Kolkata", {2014, 12, 1}},
      {"UTC+10:30 (Adelaide summer) local midnight", utc(2014, 11, 30, 13, 30), "Australia/Adelaide",
       {2014, 12, 1}},
      {"UTC+13:45 (Chatham summer) local midnight", utc(2014, 11, 30, 10, 15), "Pacific/Chatham", {2014, 12, 1}},
      {"UTC-3:30 (Newfoundland winter) local midnight", utc(2014, 12, 1, 3, 30), "America/St_Johns", {2014, 12, 1}},
      // DST change days in both hemispheres.
      {"Sydney 2014-10-05, DST starts at 02:00: the day begins 14:00Z the day before (AEST)", utc(2014, 10, 4, 14),
       "Australia/Sydney", {2014, 10, 5}},
      {"Sydney 2014-10-06 begins 13:00Z the day before (AEDT)", utc(2014, 10, 5, 13), "Australia/Sydney",
       {2014, 10, 6}},
      {"Sao Paulo 2014-10-19: DST began at 00:00, so the day begins at 01:00 BRST = 03:00Z", utc(2014, 10, 19, 3),
       "America/Sao_Paulo", {2014, 10, 19}},
      // Samoa skipped 2011-12-30 (UTC-10 -> UTC+14): midnight of the 31st is 10:00Z on the 30th.
      {"Apia: the day after 2011-12-29 is 2011-12-31", utc(2011, 12, 30, 10), "Pacific/Apia", {2011, 12, 31}},
      {"Apia: 2011-12-29 at UTC-10", utc(2011, 12, 29, 10), "Pacific/Apia", {2011, 12, 29}},
      // Task dates ([MS-OXOTASK] 2.2.2.2.5): PidLidTaskDueDate is the local date at 00:00 with no
      // zone conversion; PidLidTaskDateCompleted is local midnight converted to UTC.
      {"task due date 2014-12-01 stored as 00:00Z, user in Los Angeles", utc(2014, 12, 1), "America/Los_Angeles",
       {2014, 12, 1}},
      {"task completed 2014-12-01 stored as 08:00Z (00:00 PST)", utc(2014, 12, 1, 8), "America/Los_Angeles",
       {2014, 12, 1}},
      // A value hours off any midnight: the nearest local midnight (07:00 EDT -> the same day).
      {"anniversary stored at 11:00Z, read in New York (local 07:00)", utc(2014, 5, 15, 11), "America/New_York",
       {2014, 5, 15}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.what);
    auto day = civilDateOf(row.instant, row.zone);
    ASSERT_TRUE(day) << day.error().describe();
    EXPECT_EQ(*day, row.expected);
  }
}

TEST(CivilDateOf, TakesAnOutlookZoneDefinitionToo) {
  // W. Europe Standard Time (CET in winter): 23:00Z on 30 Nov is local midnight of 1 Dec.
  auto day = civilDateOf(utc(2014, 11, 30, 23), testing::berlinZone());
  ASSERT_TRUE(day);
  EXPECT_EQ(*day, (CivilDate{2014, 12, 1}));
}

TEST(CivilDateOf, UnknownZoneIsAnError) {
  auto day = civilDateOf(utc(2014, 12, 1), std::string("No/Such_Zone"));
  ASSERT_FALSE(day);
  EXPECT_EQ(day.error().code, "zone.unknown");
}

TEST(CivilDateAtOffset, RulesInOrder) {
  // Local midnight wins over everything: 00:00Z at offset 0 is both rules 1 and 2.
  EXPECT_EQ(civilDateAtOffset(utc(2014, 12, 1), 0), (CivilDate{2014, 12, 1}));
  // 12:00 local (offset +12 at 00:00Z) is neither midnight; 00:00Z makes it the UTC day.
  EXPECT_EQ(civilDateAtOffset(utc(2014, 12, 1), 720), (CivilDate{2014, 12, 1}));
  // 11:59 local rounds down, 12:00 local rounds up, when the instant is not 00:00Z.
  EXPECT_EQ(civilDateAtOffset(utc(2014, 12, 1, 10, 59), 60), (CivilDate{2014, 12, 1}));
  EXPECT_EQ(civilDateAtOffset(utc(2014, 12, 1, 11, 0), 60), (CivilDate{2014, 12, 2}));
}

}  // namespace
}  // namespace m2z::normalize
