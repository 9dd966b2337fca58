// PidLidAppointmentRecur blobs written by tools/pstgen against blobs Outlook wrote (extracted into
// testdata/recurrence, see testdata/README.md): the same series must give the same bytes.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "pstgen/recurrence_blob.h"

namespace m2z::pstgen {
namespace {

using model::CivilDate;
using model::Recurrence;
using model::RecurrenceEnd;
using model::RecurrencePattern;
using model::Weekday;

Bytes outlookBlob(const std::string& name) {
  std::ifstream in(std::string(M2Z_SOURCE_DIR) + "/testdata/recurrence/" + name, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Recurrence series(RecurrencePattern pattern, CivilDate start, int start_minute, int end_minute) {
  Recurrence recurrence;
  recurrence.pattern = pattern;
  recurrence.start_date = start;
  recurrence.start_minute = start_minute;
  recurrence.end_minute = end_minute;
  return recurrence;
}

// The series below are what the Outlook items say (their subjects, and the blobs as decoded by
// [MS-OXOCAL] 2.2.1.44 by hand: start day, times, pattern, end).

TEST(RecurrenceBlobTest, WeeklyOnMondayOnceIsOutlooksBlob) {
  // "A weekly 1": Mondays from 2022-12-12, 16:00-16:30, one occurrence.
  Recurrence recurrence = series(RecurrencePattern::kWeekly, {2022, 12, 12}, 960, 990);
  recurrence.weekdays = {Weekday::kMonday};
  recurrence.end = RecurrenceEnd::kAfterCount;
  recurrence.count = 1;
  auto blob = encodeAppointmentRecur(recurrence);
  ASSERT_TRUE(blob);
  EXPECT_EQ(*blob, outlookBlob("msgreader-a-weekly-1.bin"));
}

TEST(RecurrenceBlobTest, EveryWeekdayIsStoredAsAWeeklyPattern) {
  // "A daily 1": every weekday from Monday 2022-12-12, all day, one occurrence; Outlook stores it
  // as RecurFrequency daily with PatternType week and the Monday..Friday mask 0x3E.
  Recurrence recurrence = series(RecurrencePattern::kDaily, {2022, 12, 12}, 0, 1440);
  recurrence.every_weekday = true;
  recurrence.end = RecurrenceEnd::kAfterCount;
  recurrence.count = 1;
  auto blob = encodeAppointmentRecur(recurrence);
  ASSERT_TRUE(blob);
  EXPECT_EQ(*blob, outlookBlob("msgreader-a-daily-1.bin"));
}

TEST(RecurrenceBlobTest, MonthlyOnTheTwelfthIsOutlooksBlob) {
  // "A monthly 1": day 12 of every month from 2022-12-12, all day, one occurrence.
  Recurrence recurrence = series(RecurrencePattern::kMonthlyByDay, {2022, 12, 12}, 0, 1440);
  recurrence.day_of_month = 12;
  recurrence.end = RecurrenceEnd::kAfterCount;
  recurrence.count = 1;
  auto blob = encodeAppointmentRecur(recurrence);
  ASSERT_TRUE(blob);
  EXPECT_EQ(*blob, outlookBlob("msgreader-a-monthly-1.bin"));
}

TEST(RecurrenceBlobTest, DailyUntilADateIsOutlooksBlob) {
  // "7 days everyday": daily from 2022-12-01 until 2022-12-07, all day (7 occurrences).
  Recurrence recurrence = series(RecurrencePattern::kDaily, {2022, 12, 1}, 0, 1440);
  recurrence.end = RecurrenceEnd::kByDate;
  recurrence.end_date = {2022, 12, 7};
  auto blob = encodeAppointmentRecur(recurrence);
  ASSERT_TRUE(blob);
  const Bytes outlook = outlookBlob("msgreader-7-days-everyday.bin");
  // The stored property is 4 zero bytes longer than the structure; the structure itself matches.
  ASSERT_EQ(outlook.size(), blob->size() + 4);
  EXPECT_EQ(*blob, Bytes(outlook.begin(), outlook.begin() + static_cast<std::ptrdiff_t>(blob->size())));
  EXPECT_EQ(Bytes(outlook.end() - 4, outlook.end()), Bytes(4, 0));
}

TEST(RecurrenceBlobTest, EndlessWeeklyOnTwoDaysIsOutlooksBlob) {
  // Aspose's "Meeting with Recurring Occurrences": Mondays and Thursdays from Thursday 2017-01-19,
  // 22:30-23:00, no end (Outlook stores count 10 and the "no end" date 0x5AE980DF).
  Recurrence recurrence = series(RecurrencePattern::kWeekly, {2017, 1, 19}, 1350, 1380);
  recurrence.weekdays = {Weekday::kMonday, Weekday::kThursday};
  auto blob = encodeAppointmentRecur(recurrence);
  ASSERT_TRUE(blob);
  EXPECT_EQ(*blob, outlookBlob("aspose-meeting-recurring.bin"));
}

TEST(RecurrenceBlobTest, OccurrenceCountUntilADateMatchesOutlooks) {
  // "Friday Lunch": Fridays from 2023-01-06 until 2023-12-31; Outlook counted 52 occurrences.
  Recurrence recurrence = series(RecurrencePattern::kWeekly, {2023, 1, 6}, 720, 780);
  recurrence.weekdays = {Weekday::kFriday};
  const CivilDate last{2023, 12, 31};
  EXPECT_EQ(occurrenceDays(recurrence, 1000, &last).size(), 52u);
}

TEST(RecurrenceBlobTest, OccurrencesFollowThePatterns) {
  // Last Friday of each month from 2024-01-26: Feb 23, Mar 29 (calendar of 2024).
  Recurrence last_friday = series(RecurrencePattern::kMonthlyNth, {2024, 1, 26}, 600, 660);
  last_friday.weekdays = {Weekday::kFriday};
  last_friday.week_of_month = -1;
  EXPECT_EQ(occurrenceDays(last_friday, 3),
            (std::vector<CivilDate>{{2024, 1, 26}, {2024, 2, 23}, {2024, 3, 29}}));
  // Day 31 every month falls on the month's last day: Jan 31, Feb 29 (leap year), Mar 31, Apr 30.
  Recurrence month_end = series(RecurrencePattern::kMonthlyByDay, {2024, 1, 31}, 0, 1440);
  month_end.day_of_month = 31;
  EXPECT_EQ(occurrenceDays(month_end, 4),
            (std::vector<CivilDate>{{2024, 1, 31}, {2024, 2, 29}, {2024, 3, 31}, {2024, 4, 30}}));
  // Every second week on Tuesday and Thursday, weeks starting Sunday, from Tuesday 2024-03-05.
  Recurrence biweekly = series(RecurrencePattern::kWeekly, {2024, 3, 5}, 540, 600);
  biweekly.interval = 2;
  biweekly.weekdays = {Weekday::kTuesday, Weekday::kThursday};
  EXPECT_EQ(occurrenceDays(biweekly, 4),
            (std::vector<CivilDate>{{2024, 3, 5}, {2024, 3, 7}, {2024, 3, 19}, {2024, 3, 21}}));
}

TEST(RecurrenceBlobTest, ModifiedInstanceIsOutlooksBlob) {
  // "Lanch time, every friday, in 2023 chgs1", decoded by hand ([MS-OXOCAL] 2.2.1.44.1, .2, .3;
  // minutes since 1601 turned into dates): weekly on Fridays from 2023-01-06, 12:00-13:00, first
  // day of week Sunday, ending 2023-12-31 (52 occurrences). DeletedInstanceDates 2023-01-06 and
  // 2023-01-13; ModifiedInstanceDates 2023-01-12; one ExceptionInfo: 2023-01-13 12:00 moved to
  // 2023-01-12 12:00-13:00, OverrideFlags ARO_SUBJECT, subject "Lanch time, every friday, in
  // 2023 [rescheduled!]" in both the 8-bit and the Unicode copy; WriterVersion2 0x3009.
  Recurrence recurrence = series(RecurrencePattern::kWeekly, {2023, 1, 6}, 720, 780);
  recurrence.weekdays = {Weekday::kFriday};
  recurrence.end = RecurrenceEnd::kByDate;
  recurrence.end_date = {2023, 12, 31};
  recurrence.deleted_dates = {{2023, 1, 6}};  // the modified instance's original day is added by the writer
  model::AppointmentException moved;
  moved.original_start = {{2023, 1, 13}, 12, 0, 0};
  moved.start = {{2023, 1, 12}, 12, 0, 0};
  moved.end = {{2023, 1, 12}, 13, 0, 0};
  moved.subject = "Lanch time, every friday, in 2023 [rescheduled!]";
  recurrence.exceptions = {moved};
  auto blob = encodeAppointmentRecur(recurrence);
  ASSERT_TRUE(blob) << blob.error().describe();
  EXPECT_EQ(*blob, outlookBlob("msgreader-lanch-time-chgs1.bin"));
  EXPECT_EQ(storedDeletedDates(recurrence), (std::vector<CivilDate>{{2023, 1, 6}, {2023, 1, 13}}));
}

TEST(RecurrenceBlobTest, WhatCannotBeWrittenIsAnError) {
  // A modified instance must replace an occurrence: 2024-01-01 09:00 daily has none at 10:00,
  // and none on a day before the series.
  Recurrence modified = series(RecurrencePattern::kDaily, {2024, 1, 1}, 540, 600);
  modified.exceptions.emplace_back();
  EXPECT_FALSE(encodeAppointmentRecur(modified));
  modified.exceptions.front().original_start = {{2024, 1, 2}, 10, 0, 0};
  modified.exceptions.front().start = {{2024, 1, 2}, 10, 0, 0};
  modified.exceptions.front().end = {{2024, 1, 2}, 11, 0, 0};
  EXPECT_FALSE(encodeAppointmentRecur(modified));
  modified.exceptions.front().original_start = {{2024, 1, 2}, 9, 0, 0};
  EXPECT_TRUE(encodeAppointmentRecur(modified));
  modified.exceptions.front().end = {{2024, 1, 2}, 9, 0, 0};  // ends before it starts
  EXPECT_FALSE(encodeAppointmentRecur(modified));
  // Weekly on Mondays cannot start on a Tuesday.
  Recurrence misplaced = series(RecurrencePattern::kWeekly, {2024, 1, 2}, 0, 60);
  misplaced.weekdays = {Weekday::kMonday};
  EXPECT_FALSE(encodeAppointmentRecur(misplaced));
}

}  // namespace
}  // namespace m2z::pstgen
