// PidLidAppointmentRecur: the blob parser on the examples of [MS-OXOCAL] section 4.1.1 and on
// blobs taken from real .msg files (testdata/recurrence, see its README line), and the conversion
// to model::Recurrence. Expected values come from the spec's own tables and from the .msg files'
// other properties (PidLidRecurrencePattern, PidLidClipStart/End, the exception attachments),
// read with testdata/recurrence/extract_msg_property.py.
#include "readers/mapi/recurrence_blob.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "test_bytes.h"

namespace m2z::readers::mapi {
namespace {

using model::CivilDate;
using model::LocalDateTime;
using model::Weekday;
using testing::fromHex;

constexpr std::string_view kProperty = "PidLidAppointmentRecur";
const model::Provenance kItem{"test.pst", "/Calendar", "42"};

std::vector<std::uint8_t> readBlob(const std::string& name) {
  const auto path = std::filesystem::path(M2Z_SOURCE_DIR) / "testdata" / "recurrence" / name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

LocalDateTime at(int y, int mo, int d, int h, int mi) { return LocalDateTime{CivilDate{y, mo, d}, h, mi, 0}; }

model::Recurrence convert(const std::vector<std::uint8_t>& blob, std::vector<model::Finding>& findings) {
  auto pattern = parseAppointmentRecurrence(blob, kProperty);
  EXPECT_TRUE(pattern.ok()) << pattern.error().describe();
  if (!pattern.ok()) return {};
  auto recurrence = toRecurrence(*pattern, kProperty, kItem, findings);
  EXPECT_TRUE(recurrence.ok()) << recurrence.error().describe();
  return recurrence.ok() ? *recurrence : model::Recurrence{};
}

// [MS-OXOCAL] 4.1.1.1 Weekly Recurrence BLOB Without Exceptions: "Beginning on Monday, March 26,
// 2007, occurs every Monday, Thursday, and Friday from 10:00 A.M. to 10:30 A.M. The recurrence
// ends after 12 occurrences."
const auto kSpecWeekly = fromHex(
    "043004300B2001000000C0210000010000000000000032000000222000000C000000000000000000000000000000"
    "8020BC0C20ADBC0C0630000009300000580200007602000000000000000000000000");

// [MS-OXOCAL] 4.1.1.2 Weekly Recurrence BLOB with Exceptions: the series of 4.1.1.1 whose
// instance of Monday 4/16/2007 10:00-10:30 moved to 11:00-11:30, with subject "Simple Recurrence
// with exceptions" and location "34/4141".
const auto kSpecWeeklyWithException = fromHex(
    "043004300B2001000000C0210000010000000000000032000000222000000C0000000000000001000000A096BC0C"
    "01000000A096BC0C8020BC0C20ADBC0C0630000009300000580200007602000001003499BC0C5299BC0CF898BC0C"
    "11002200210053696D706C6520526563757272656E6365207769746820657863657074696F6E7308000700333"
    "42F34313431000000000400000000000000000000003499BC0C5299BC0CF898BC0C2100530069006D0070006C00"
    "6500200052006500630075007200720065006E006300650020007700690074006800200065007800630065007000"
    "740069006F006E0073000700330034002F0034003100340031000000000000000000");

// [MS-OXOCAL] 4.1.1.3 Daily Recurrence BLOB with Exceptions: "Occurs every three days,
// effective 4/7/2011 until 5/4/2011 from 8:00 A.M. to 8:30 A.M. The instances on 4/19/2011 and
// 4/22/2011 were deleted."
const auto kSpecDaily = fromHex(
    "043004300A2000000000A0050000E010000000000000212000000A0000000000000002000000A0C1DC0C80D2DC0C"
    "00000000207EDC0C0016DD0C0630000009300000E0010000FE01000000000000000000000000");

// [MS-OXOCAL] 4.1.1.6 Yearly Hebrew Lunar Recurrence BLOB with Exceptions: every year on the 3rd
// of Nisan (CalendarType 0x0008 CAL_HEBREW) from 8:00 to 8:30; the second instance is tentative,
// with a reminder 60 minutes before and its own body.
const auto kSpecHebrew = fromHex(
    "043004300D200200080080750A000C0000000000000003000000232000000A0000000000000001000000207EDC0C"
    "01000000207EDC0C6074C40CDF80E95A0630000009300000E0010000FE01000001000080DC0C1E80DC0C0080DC0C"
    "24023C000000010000000000000004000000000000000000000000000000");

TEST(ParseAppointmentRecurrence, SpecWeeklyWithoutExceptionsFieldByField) {
  ASSERT_EQ(kSpecWeekly.size(), 0x50u);
  auto pattern = parseAppointmentRecurrence(kSpecWeekly, kProperty);
  ASSERT_TRUE(pattern.ok()) << pattern.error().describe();
  // The values of the table in 4.1.1.1.
  EXPECT_EQ(pattern->recur_frequency, 0x200B);
  EXPECT_EQ(pattern->pattern_type, 0x0001);
  EXPECT_EQ(pattern->calendar_type, 0x0000);
  EXPECT_EQ(pattern->first_date_time, 8640u);
  EXPECT_EQ(pattern->period, 1u);
  EXPECT_EQ(pattern->day_mask, 0x32u);  // Monday 0x02 + Thursday 0x10 + Friday 0x20
  EXPECT_EQ(pattern->end_type, 0x2022u);
  EXPECT_EQ(pattern->occurrence_count, 12u);
  EXPECT_EQ(pattern->first_dow, 0u);
  EXPECT_TRUE(pattern->deleted_instance_dates.empty());
  EXPECT_TRUE(pattern->modified_instance_dates.empty());
  EXPECT_EQ(pattern->start_date, 0x0CBC2080u);
  EXPECT_EQ(pattern->end_date, 0x0CBCAD20u);
  EXPECT_EQ(pattern->reader_version2, 0x3006u);
  EXPECT_EQ(pattern->writer_version2, 0x3009u);
  EXPECT_EQ(pattern->start_time_offset, 600u);  // 10:00
  EXPECT_EQ(pattern->end_time_offset, 630u);    // 10:30
  EXPECT_TRUE(pattern->exceptions.empty());
}

TEST(ParseAppointmentRecurrence, LocalTimesAreMinutesSince1601) {
  // 4.1.1.1's StartDate is Monday March 26, 2007; its EndDate the 12th occurrence (M/Th/F from
  // then on: 3/26 3/29 3/30 4/2 4/5 4/6 4/9 4/12 4/13 4/16 4/19 4/20).
  EXPECT_EQ(localFromMinutes(0x0CBC2080), at(2007, 3, 26, 0, 0));
  EXPECT_EQ(localFromMinutes(0x0CBCAD20), at(2007, 4, 20, 0, 0));
  // 4.1.1.1 FirstDateTime: 8640 minutes after 1601-01-01 is January 7, 1601.
  EXPECT_EQ(localFromMinutes(8640), at(1601, 1, 7, 0, 0));
  EXPECT_EQ(localFromMinutes(0), at(1601, 1, 1, 0, 0));
}

TEST(ToRecurrence, SpecWeeklyWithoutExceptions) {
  std::vector<model::Finding> findings;
  const model::Recurrence recurrence = convert(kSpecWeekly, findings);
  EXPECT_EQ(recurrence.pattern, model::RecurrencePattern::kWeekly);
  EXPECT_EQ(recurrence.interval, 1);
  EXPECT_EQ(recurrence.weekdays, (std::vector<Weekday>{Weekday::kMonday, Weekday::kThursday, Weekday::kFriday}));
  EXPECT_FALSE(recurrence.every_weekday);
  EXPECT_EQ(recurrence.first_day_of_week, Weekday::kSunday);
  EXPECT_EQ(recurrence.end, model::RecurrenceEnd::kAfterCount);
  EXPECT_EQ(recurrence.count, 12);
  EXPECT_EQ(recurrence.start_date, (CivilDate{2007, 3, 26}));
  EXPECT_EQ(recurrence.start_minute, 600);
  EXPECT_EQ(recurrence.end_minute, 630);
  EXPECT_TRUE(recurrence.deleted_dates.empty());
  EXPECT_TRUE(recurrence.exceptions.empty());
  EXPECT_TRUE(findings.empty());
}

TEST(ParseAppointmentRecurrence, SpecWeeklyWithExceptionReadsBothSubjects) {
  ASSERT_EQ(kSpecWeeklyWithException.size(), 0x106u);
  auto pattern = parseAppointmentRecurrence(kSpecWeeklyWithException, kProperty);
  ASSERT_TRUE(pattern.ok()) << pattern.error().describe();
  EXPECT_EQ(pattern->deleted_instance_dates, (std::vector<std::uint32_t>{0x0CBC96A0}));
  EXPECT_EQ(pattern->modified_instance_dates, (std::vector<std::uint32_t>{0x0CBC96A0}));
  ASSERT_EQ(pattern->exceptions.size(), 1u);
  const ExceptionInfo& info = pattern->exceptions[0];
  EXPECT_EQ(info.override_flags, kAroSubject | kAroLocation);
  EXPECT_EQ(info.start_date_time, 0x0CBC9934u);
  EXPECT_EQ(info.end_date_time, 0x0CBC9952u);
  EXPECT_EQ(info.original_start_time, 0x0CBC98F8u);
  EXPECT_EQ(info.subject, "Simple Recurrence with exceptions");
  EXPECT_EQ(info.location, "34/4141");
  EXPECT_EQ(info.wide_subject, "Simple Recurrence with exceptions");
  EXPECT_EQ(info.wide_location, "34/4141");
  EXPECT_FALSE(info.busy_status.has_value());
}

TEST(ToRecurrence, SpecWeeklyWithException) {
  std::vector<model::Finding> findings;
  const model::Recurrence recurrence = convert(kSpecWeeklyWithException, findings);
  EXPECT_EQ(recurrence.deleted_dates, (std::vector<CivilDate>{{2007, 4, 16}}));
  ASSERT_EQ(recurrence.exceptions.size(), 1u);
  const model::AppointmentException& exception = recurrence.exceptions[0];
  EXPECT_EQ(exception.original_start, at(2007, 4, 16, 10, 0));
  EXPECT_EQ(exception.start, at(2007, 4, 16, 11, 0));
  EXPECT_EQ(exception.end, at(2007, 4, 16, 11, 30));
  EXPECT_EQ(exception.subject, "Simple Recurrence with exceptions");
  EXPECT_EQ(exception.location, "34/4141");
  EXPECT_FALSE(exception.body.has_value());
  EXPECT_FALSE(exception.busy_status.has_value());
  EXPECT_FALSE(exception.all_day.has_value());
}

TEST(ToRecurrence, SpecDailyEveryThreeDaysUntilADate) {
  std::vector<model::Finding> findings;
  const model::Recurrence recurrence = convert(kSpecDaily, findings);
  EXPECT_EQ(recurrence.pattern, model::RecurrencePattern::kDaily);
  EXPECT_EQ(recurrence.interval, 3);  // Period 4320 minutes
  EXPECT_FALSE(recurrence.every_weekday);
  EXPECT_EQ(recurrence.end, model::RecurrenceEnd::kByDate);
  EXPECT_EQ(recurrence.start_date, (CivilDate{2011, 4, 7}));
  EXPECT_EQ(recurrence.end_date, (CivilDate{2011, 5, 4}));
  EXPECT_EQ(recurrence.start_minute, 8 * 60);
  EXPECT_EQ(recurrence.end_minute, 8 * 60 + 30);
  EXPECT_EQ(recurrence.deleted_dates, (std::vector<CivilDate>{{2011, 4, 19}, {2011, 4, 22}}));
  EXPECT_TRUE(recurrence.exceptions.empty());
}

TEST(ToRecurrence, HebrewCalendarIsReadButNotConverted) {
  auto pattern = parseAppointmentRecurrence(kSpecHebrew, kProperty);
  ASSERT_TRUE(pattern.ok()) << pattern.error().describe();
  EXPECT_EQ(pattern->calendar_type, 0x0008);
  ASSERT_EQ(pattern->exceptions.size(), 1u);
  // 4.1.1.6: ReminderDelta 60, BusyStatus 1 (tentative), the body in the attachment.
  EXPECT_EQ(pattern->exceptions[0].override_flags, kAroReminderDelta | kAroBusyStatus | kAroExceptionalBody);
  EXPECT_EQ(pattern->exceptions[0].reminder_delta, 60);
  EXPECT_EQ(pattern->exceptions[0].busy_status, 1u);
  std::vector<model::Finding> findings;
  auto recurrence = toRecurrence(*pattern, kProperty, kItem, findings);
  ASSERT_FALSE(recurrence.ok());
  EXPECT_EQ(recurrence.error().code, "mapi.recurrence.unsupported");
  EXPECT_NE(recurrence.error().message.find("CalendarType 0x0008"), std::string::npos);
  EXPECT_NE(recurrence.error().context.find("test.pst:/Calendar#42"), std::string::npos);
  EXPECT_NE(recurrence.error().context.find("PidLidAppointmentRecur"), std::string::npos);
}

// msgreader__A weekly 1.msg: PidLidRecurrencePattern "月曜日 ごと、16:00 から 16:30" (every Monday,
// 16:00 to 16:30); PidLidAppointmentStartWhole 2022-12-12T07:00Z = Monday 16:00 in Tokyo (UTC+9,
// PidLidTimeZoneDescription "(UTC+09:00) 大阪、札幌、東京"); PidLidClipStart and PidLidClipEnd are both
// 2022-12-11T15:00Z (local midnight of 12-12): the series has that one occurrence.
TEST(ToRecurrence, MsgWeeklyOnMonday) {
  std::vector<model::Finding> findings;
  const model::Recurrence recurrence = convert(readBlob("msgreader-a-weekly-1.bin"), findings);
  EXPECT_EQ(recurrence.pattern, model::RecurrencePattern::kWeekly);
  EXPECT_EQ(recurrence.interval, 1);
  EXPECT_EQ(recurrence.weekdays, (std::vector<Weekday>{Weekday::kMonday}));
  EXPECT_EQ(recurrence.start_date, (CivilDate{2022, 12, 12}));
  EXPECT_EQ(recurrence.start_minute, 16 * 60);
  EXPECT_EQ(recurrence.end_minute, 16 * 60 + 30);
  EXPECT_EQ(recurrence.end, model::RecurrenceEnd::kAfterCount);
  EXPECT_EQ(recurrence.count, 1);
}

// msgreader__A daily 1.msg: all-day (PidLidAppointmentSubType true) from 2022-12-11T15:00Z to
// 2022-12-12T15:00Z = Monday 12-12 in Tokyo; PidLidRecurrencePattern "月曜日から金曜日" (Monday to
// Friday): Outlook's daily "every weekday"; ClipStart = ClipEnd: one occurrence.
TEST(ToRecurrence, MsgEveryWeekdayAllDay) {
  std::vector<model::Finding> findings;
  const model::Recurrence recurrence = convert(readBlob("msgreader-a-daily-1.bin"), findings);
  EXPECT_EQ(recurrence.pattern, model::RecurrencePattern::kDaily);
  EXPECT_TRUE(recurrence.every_weekday);
  EXPECT_EQ(recurrence.weekdays, (std::vector<Weekday>{Weekday::kMonday, Weekday::kTuesday, Weekday::kWednesday,
                                                       Weekday::kThursday, Weekday::kFriday}));
  EXPECT_EQ(recurrence.interval, 1);
  EXPECT_EQ(recurrence.start_date, (CivilDate{2022, 12, 12}));
  EXPECT_EQ(recurrence.start_minute, 0);
  EXPECT_EQ(recurrence.end_minute, 24 * 60);
  EXPECT_EQ(recurrence.end, model::RecurrenceEnd::kAfterCount);
  EXPECT_EQ(recurrence.count, 1);
}

// msgreader__A monthly 1.msg: all-day on Monday 2022-12-12 (Tokyo); PidLidRecurrencePattern
// "1 か月ごとの 12 日" (day 12 of every 1 month); one occurrence.
TEST(ToRecurrence, MsgMonthlyByDay) {
  std::vector<model::Finding> findings;
  const model::Recurrence recurrence = convert(readBlob("msgreader-a-monthly-1.bin"), findings);
  EXPECT_EQ(recurrence.pattern, model::RecurrencePattern::kMonthlyByDay);
  EXPECT_EQ(recurrence.interval, 1);
  EXPECT_EQ(recurrence.day_of_month, 12);
  EXPECT_EQ(recurrence.start_date, (CivilDate{2022, 12, 12}));
  EXPECT_EQ(recurrence.start_minute, 0);
  EXPECT_EQ(recurrence.end_minute, 24 * 60);
}

// msgreader__7 days  everyday.msg ("7 days, everyday"): all-day from 2022-11-30T15:00Z (12-01 in
// Tokyo); PidLidRecurrencePattern "毎日" (every day); PidLidClipEnd 2022-12-06T15:00Z = local
// midnight of 12-07, the last day.
TEST(ToRecurrence, MsgDailyUntilADate) {
  std::vector<model::Finding> findings;
  const model::Recurrence recurrence = convert(readBlob("msgreader-7-days-everyday.bin"), findings);
  EXPECT_EQ(recurrence.pattern, model::RecurrencePattern::kDaily);
  EXPECT_FALSE(recurrence.every_weekday);
  EXPECT_EQ(recurrence.interval, 1);
  EXPECT_EQ(recurrence.start_date, (CivilDate{2022, 12, 1}));
  EXPECT_EQ(recurrence.end, model::RecurrenceEnd::kByDate);
  EXPECT_EQ(recurrence.end_date, (CivilDate{2022, 12, 7}));
  EXPECT_EQ(recurrence.start_minute, 0);
  EXPECT_EQ(recurrence.end_minute, 24 * 60);
}

// aspose-net__Meeting with Recurring Occurrences.msg: PidLidRecurrencePattern "every Monday and
// Thursday from 10:30 PM to 11:00 PM"; start 2017-01-19T17:30Z = Thursday 22:30 in Karachi
// (UTC+5); PidLidClipEnd 4500-08-31T18:59Z, Outlook's "no end".
TEST(ToRecurrence, MsgMeetingMondayAndThursdayWithoutEnd) {
  std::vector<model::Finding> findings;
  const model::Recurrence recurrence = convert(readBlob("aspose-meeting-recurring.bin"), findings);
  EXPECT_EQ(recurrence.pattern, model::RecurrencePattern::kWeekly);
  EXPECT_EQ(recurrence.weekdays, (std::vector<Weekday>{Weekday::kMonday, Weekday::kThursday}));
  EXPECT_EQ(recurrence.start_date, (CivilDate{2017, 1, 19}));
  EXPECT_EQ(recurrence.start_minute, 22 * 60 + 30);
  EXPECT_EQ(recurrence.end_minute, 23 * 60);
  EXPECT_EQ(recurrence.end, model::RecurrenceEnd::kNever);
}

// msgreader__Friday Lunch.msg: "金曜日 ごと、12:00 から 13:00" (every Friday 12:00-13:00), from
// 2023-01-06 (PidLidClipStart 2023-01-05T15:00Z) to 2023-12-31 (PidLidClipEnd
// 2023-12-30T15:00Z). Its two exception attachments: #0 "Monday Lunch" from 2023-01-09T03:00Z
// (Monday 12:00 Tokyo) to 04:00Z, replacing 2023-01-13T03:00Z (PidLidExceptionReplaceTime, Friday
// 12:00); #1 from 2023-01-20T03:00Z to 04:00Z replacing 2023-01-20T03:00Z, PidLidBusyStatus 3
// (out of office). DeletedInstanceDates, decoded by hand at the spec's offsets: A0CC3A0D
// 00F43A0D 601B3B0D = 2023-01-06, -13, -20 (the first Friday deleted, the other two replaced).
TEST(ToRecurrence, MsgFridayLunchWithTwoExceptions) {
  std::vector<model::Finding> findings;
  const model::Recurrence recurrence = convert(readBlob("msgreader-friday-lunch.bin"), findings);
  EXPECT_EQ(recurrence.pattern, model::RecurrencePattern::kWeekly);
  EXPECT_EQ(recurrence.weekdays, (std::vector<Weekday>{Weekday::kFriday}));
  EXPECT_EQ(recurrence.start_date, (CivilDate{2023, 1, 6}));
  EXPECT_EQ(recurrence.end, model::RecurrenceEnd::kByDate);
  EXPECT_EQ(recurrence.end_date, (CivilDate{2023, 12, 31}));
  EXPECT_EQ(recurrence.start_minute, 12 * 60);
  EXPECT_EQ(recurrence.end_minute, 13 * 60);
  EXPECT_EQ(recurrence.deleted_dates, (std::vector<CivilDate>{{2023, 1, 6}, {2023, 1, 13}, {2023, 1, 20}}));
  ASSERT_EQ(recurrence.exceptions.size(), 2u);
  EXPECT_EQ(recurrence.exceptions[0].original_start, at(2023, 1, 13, 12, 0));
  EXPECT_EQ(recurrence.exceptions[0].start, at(2023, 1, 9, 12, 0));
  EXPECT_EQ(recurrence.exceptions[0].end, at(2023, 1, 9, 13, 0));
  EXPECT_EQ(recurrence.exceptions[0].subject, "Monday Lunch");
  EXPECT_FALSE(recurrence.exceptions[0].busy_status.has_value());
  EXPECT_EQ(recurrence.exceptions[1].original_start, at(2023, 1, 20, 12, 0));
  EXPECT_EQ(recurrence.exceptions[1].start, at(2023, 1, 20, 12, 0));
  EXPECT_EQ(recurrence.exceptions[1].end, at(2023, 1, 20, 13, 0));
  EXPECT_FALSE(recurrence.exceptions[1].subject.has_value());
  EXPECT_EQ(recurrence.exceptions[1].busy_status, model::BusyStatus::kOutOfOffice);
}

// msgreader__Lanch time  every friday  in 2023 chgs1.msg: its exception attachment's subject is
// "Lanch time, every friday, in 2023 [rescheduled!]", from 2023-01-12T03:00Z (Thursday 12:00
// Tokyo) replacing 2023-01-13T03:00Z. DeletedInstanceDates, decoded by hand: 02000000 A0CC3A0D
// 00F43A0D = 2023-01-06 and 2023-01-13.
TEST(ToRecurrence, MsgRescheduledInstanceTakesTheUnicodeSubject) {
  std::vector<model::Finding> findings;
  const model::Recurrence recurrence = convert(readBlob("msgreader-lanch-time-chgs1.bin"), findings);
  ASSERT_EQ(recurrence.exceptions.size(), 1u);
  EXPECT_EQ(recurrence.exceptions[0].subject, "Lanch time, every friday, in 2023 [rescheduled!]");
  EXPECT_EQ(recurrence.exceptions[0].original_start, at(2023, 1, 13, 12, 0));
  EXPECT_EQ(recurrence.exceptions[0].start, at(2023, 1, 12, 12, 0));
  EXPECT_EQ(recurrence.deleted_dates, (std::vector<CivilDate>{{2023, 1, 6}, {2023, 1, 13}}));
}

// Patterns by construction, each changing one field of 4.1.1.1 ([MS-OXOCAL] 2.2.1.44.1 values).
std::vector<std::uint8_t> withPattern(std::uint16_t frequency, std::uint16_t type, std::uint32_t period,
                                      std::vector<std::uint8_t> specific, std::uint16_t calendar = 0) {
  std::vector<std::uint8_t> blob = {0x04, 0x30, 0x04, 0x30};
  const auto put16 = [&](std::uint16_t v) {
    blob.push_back(static_cast<std::uint8_t>(v));
    blob.push_back(static_cast<std::uint8_t>(v >> 8));
  };
  const auto put32 = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) blob.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  put16(frequency);
  put16(type);
  put16(calendar);
  put32(0);       // FirstDateTime
  put32(period);
  put32(0);       // SlidingFlag
  blob.insert(blob.end(), specific.begin(), specific.end());
  put32(0x2023);  // never ends
  put32(10);
  put32(1);       // FirstDOW Monday
  put32(0);
  put32(0);
  put32(0x0CBC2080);  // StartDate 2007-03-26
  put32(0x5AE980DF);
  put32(0x3006);
  put32(0x3009);
  put32(600);
  put32(630);
  put16(0);
  put32(0);
  put32(0);
  return blob;
}

Result<model::Recurrence> convertBytes(const std::vector<std::uint8_t>& blob) {
  auto pattern = parseAppointmentRecurrence(blob, kProperty);
  if (!pattern) return pattern.error();
  std::vector<model::Finding> findings;
  return toRecurrence(*pattern, kProperty, kItem, findings);
}

TEST(ToRecurrence, MonthlyNthAndYearlyPatterns) {
  // Monthly, every 2 months, on the last (N=5) Friday (mask 0x20).
  auto nth = convertBytes(withPattern(0x200C, 0x0003, 2, {0x20, 0, 0, 0, 5, 0, 0, 0}));
  ASSERT_TRUE(nth.ok()) << nth.error().describe();
  EXPECT_EQ(nth->pattern, model::RecurrencePattern::kMonthlyNth);
  EXPECT_EQ(nth->interval, 2);
  EXPECT_EQ(nth->week_of_month, -1);
  EXPECT_EQ(nth->weekdays, (std::vector<Weekday>{Weekday::kFriday}));
  EXPECT_EQ(nth->first_day_of_week, Weekday::kMonday);
  // Yearly: Period counts months (12 = every year); the month is the first occurrence's (March).
  auto yearly = convertBytes(withPattern(0x200D, 0x0002, 12, {26, 0, 0, 0}));
  ASSERT_TRUE(yearly.ok()) << yearly.error().describe();
  EXPECT_EQ(yearly->pattern, model::RecurrencePattern::kYearlyByDay);
  EXPECT_EQ(yearly->interval, 1);
  EXPECT_EQ(yearly->day_of_month, 26);
  EXPECT_EQ(yearly->month, 3);
  auto yearly_nth = convertBytes(withPattern(0x200D, 0x0003, 24, {0x02, 0, 0, 0, 4, 0, 0, 0}));
  ASSERT_TRUE(yearly_nth.ok());
  EXPECT_EQ(yearly_nth->pattern, model::RecurrencePattern::kYearlyNth);
  EXPECT_EQ(yearly_nth->interval, 2);
  EXPECT_EQ(yearly_nth->week_of_month, 4);
  EXPECT_EQ(yearly_nth->weekdays, (std::vector<Weekday>{Weekday::kMonday}));
  // "Day 31" and MonthEnd both mean the last day of the month ([MS-OXCICAL] 2.1.3.2.2.3).
  auto day31 = convertBytes(withPattern(0x200C, 0x0002, 1, {31, 0, 0, 0}));
  ASSERT_TRUE(day31.ok());
  EXPECT_EQ(day31->day_of_month, -1);
  auto month_end = convertBytes(withPattern(0x200C, 0x0004, 1, {31, 0, 0, 0}));
  ASSERT_TRUE(month_end.ok());
  EXPECT_EQ(month_end->pattern, model::RecurrencePattern::kMonthlyByDay);
  EXPECT_EQ(month_end->day_of_month, -1);
}

TEST(ToRecurrence, WhatTheModelCannotExpressIsRefused) {
  struct Case {
    std::vector<std::uint8_t> blob;
    std::string code;
  };
  const std::vector<Case> cases = {
      {withPattern(0x200C, 0x000A, 1, {5, 0, 0, 0}), "mapi.recurrence.unsupported"},   // HjMonth
      {withPattern(0x200C, 0x0002, 1, {5, 0, 0, 0}, 6), "mapi.recurrence.unsupported"},  // CAL_HIJRI
      {withPattern(0x200B, 0x0002, 1, {5, 0, 0, 0}), "mapi.recurrence.unsupported"},   // weekly by month day
      {withPattern(0x2010, 0x0000, 1440, {}), "mapi.recurrence.unsupported"},          // no such frequency
      {withPattern(0x200A, 0x0000, 90, {}), "mapi.recurrence.invalid"},                // 90 minutes
      {withPattern(0x200B, 0x0001, 1, {0, 0, 0, 0}), "mapi.recurrence.invalid"},       // no day
      {withPattern(0x200B, 0x0001, 0, {4, 0, 0, 0}), "mapi.recurrence.invalid"},       // interval 0
      {withPattern(0x200C, 0x0002, 1, {32, 0, 0, 0}), "mapi.recurrence.invalid"},      // day 32
      {withPattern(0x200C, 0x0003, 1, {4, 0, 0, 0, 6, 0, 0, 0}), "mapi.recurrence.invalid"},  // N = 6
      {withPattern(0x200D, 0x0002, 18, {5, 0, 0, 0}), "mapi.recurrence.invalid"},      // 18 months
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    auto result = convertBytes(cases[i].blob);
    ASSERT_FALSE(result.ok()) << "case " << i;
    EXPECT_EQ(result.error().code, cases[i].code) << "case " << i << ": " << result.error().describe();
  }
}

TEST(ParseAppointmentRecurrence, EveryTruncationIsAnErrorNeverACrash) {
  for (const auto* blob : {&kSpecWeekly, &kSpecWeeklyWithException, &kSpecDaily, &kSpecHebrew}) {
    for (std::size_t size = 0; size < blob->size(); ++size) {
      const std::span<const std::uint8_t> cut(blob->data(), size);
      auto result = parseAppointmentRecurrence(cut, kProperty);
      ASSERT_FALSE(result.ok()) << size;
      EXPECT_EQ(result.error().code, "mapi.blob.truncated") << size << ": " << result.error().describe();
      EXPECT_NE(result.error().message.find("PidLidAppointmentRecur"), std::string::npos);
    }
  }
}

TEST(ParseAppointmentRecurrence, HugeCountsDoNotAllocate) {
  // DeletedInstanceCount 0xFFFFFFFF in 4.1.1.1 (offset 0x26): refused before anything is reserved.
  auto blob = kSpecWeekly;
  blob[0x26] = blob[0x27] = blob[0x28] = blob[0x29] = 0xFF;
  auto result = parseAppointmentRecurrence(blob, kProperty);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("DeletedInstanceCount"), std::string::npos) << result.error().message;
  // An ExceptionCount of 0xFFFF (offset 0x46) likewise.
  blob = kSpecWeekly;
  blob[0x46] = blob[0x47] = 0xFF;
  result = parseAppointmentRecurrence(blob, kProperty);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("ExceptionCount"), std::string::npos) << result.error().message;
}

TEST(ParseAppointmentRecurrence, WrongVersionOrUnknownPatternTypeIsInvalid) {
  auto blob = kSpecWeekly;
  blob[0] = 0x05;
  auto result = parseAppointmentRecurrence(blob, kProperty);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "mapi.blob.invalid");
  blob = kSpecWeekly;
  blob[6] = 0x07;  // PatternType 7: its PatternTypeSpecific size is unknown
  result = parseAppointmentRecurrence(blob, kProperty);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "mapi.blob.invalid");
  EXPECT_NE(result.error().message.find("PatternType"), std::string::npos);
}

TEST(ParseAppointmentRecurrence, ArbitraryBytesNeverCrash) {
  // A fixed pseudo-random walk over lengths and contents (deterministic: same run every time).
  std::uint32_t state = 12345;
  for (int round = 0; round < 2000; ++round) {
    auto blob = kSpecWeeklyWithException;
    for (int flips = 0; flips < 4; ++flips) {
      state = state * 1103515245u + 12345u;
      blob[(state >> 8) % blob.size()] = static_cast<std::uint8_t>(state >> 24);
    }
    state = state * 1103515245u + 12345u;
    blob.resize((state >> 8) % (blob.size() + 1));
    auto pattern = parseAppointmentRecurrence(blob, kProperty);
    if (pattern) {
      std::vector<model::Finding> findings;
      (void)toRecurrence(*pattern, kProperty, kItem, findings);
    }
  }
}

}  // namespace
}  // namespace m2z::readers::mapi
