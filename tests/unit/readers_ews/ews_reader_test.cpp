#include "readers/ews/ews_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "readers/ews/ews_zone.h"
#include "recording_sink.h"

namespace m2z::readers::ews {
namespace {

using model::CivilDate;
using testing::RecordingSink;

std::string response(const std::string& items) {
  return R"(<?xml version="1.0" encoding="utf-8"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
<m:GetItemResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"
                   xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
<m:ResponseMessages><m:GetItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>
<m:Items>)" + items + R"(</m:Items></m:GetItemResponseMessage></m:ResponseMessages></m:GetItemResponse></s:Body></s:Envelope>)";
}

RecordingSink read(const std::string& text, ReadSummary* summary = nullptr) {
  RecordingSink sink;
  auto result = readEwsText(text, "test.xml", sink);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().describe());
  if (result.ok() && summary != nullptr) *summary = *result;
  return sink;
}

std::string item(const std::string& body) {
  return "<t:CalendarItem><t:ItemId Id=\"id1\"/><t:Subject>S</t:Subject>"
         "<t:Start>2014-03-04T17:00:00Z</t:Start><t:End>2014-03-04T18:00:00Z</t:End>" +
         body + "</t:CalendarItem>";
}

TEST(EwsZone, Durations) {
  EXPECT_EQ(durationMinutes("PT8H"), 480);
  EXPECT_EQ(durationMinutes("-PT1H"), -60);
  EXPECT_EQ(durationMinutes("PT5H30M"), 330);
  EXPECT_EQ(durationMinutes("PT0M"), 0);
  EXPECT_EQ(durationMinutes("P1D"), 1440);
  EXPECT_FALSE(durationMinutes("8H").has_value());
  EXPECT_FALSE(durationMinutes("PT").has_value() && *durationMinutes("PT") != 0);
  EXPECT_FALSE(durationMinutes("PT99999999H").has_value());
}

TEST(EwsReader, Exchange2007MeetingTimeZoneBecomesRules) {
  // US Pacific as Exchange 2007 writes it ([MS-OXWSCORE] MeetingTimeZone): BaseOffset PT8H,
  // standard on the first Sunday of November 02:00, daylight -PT1H on the second Sunday of March.
  auto sink = read(response(item(R"(<t:MeetingTimeZone TimeZoneName="Pacific Standard Time">
      <t:BaseOffset>PT8H</t:BaseOffset>
      <t:Standard TimeZoneName="Standard"><t:Offset>PT0M</t:Offset><t:RelativeYearlyRecurrence>
        <t:DaysOfWeek>Sunday</t:DaysOfWeek><t:DayOfWeekIndex>First</t:DayOfWeekIndex><t:Month>November</t:Month>
      </t:RelativeYearlyRecurrence><t:Time>02:00:00</t:Time></t:Standard>
      <t:Daylight TimeZoneName="Daylight"><t:Offset>-PT1H</t:Offset><t:RelativeYearlyRecurrence>
        <t:DaysOfWeek>Sunday</t:DaysOfWeek><t:DayOfWeekIndex>Second</t:DayOfWeekIndex><t:Month>March</t:Month>
      </t:RelativeYearlyRecurrence><t:Time>02:00:00</t:Time></t:Daylight></t:MeetingTimeZone>)")));
  ASSERT_EQ(sink.appointments.size(), 1u);
  const auto& zone = sink.appointments[0].start_zone;
  ASSERT_TRUE(zone.has_value());
  EXPECT_EQ(zone->key_name, "Pacific Standard Time");
  ASSERT_EQ(zone->rules.size(), 1u);
  EXPECT_EQ(zone->rules[0].bias, 480);
  EXPECT_EQ(zone->rules[0].daylight_bias, -60);
  EXPECT_EQ(zone->rules[0].standard_date, (model::TransitionDate{11, 1, 0, 2, 0, 0}));
  EXPECT_EQ(zone->rules[0].daylight_date, (model::TransitionDate{3, 2, 0, 2, 0, 0}));
  // 2014-03-04T17:00Z is 09:00 PST (DST starts 9 March).
  EXPECT_EQ(offsetAt(*zone, sink.appointments[0].start), -480);
}

TEST(EwsReader, RecurrencePatternsAndRanges) {
  auto sink = read(response(
      item("<t:Recurrence><t:RelativeMonthlyRecurrence><t:Interval>2</t:Interval><t:DaysOfWeek>Tuesday</t:DaysOfWeek>"
           "<t:DayOfWeekIndex>Last</t:DayOfWeekIndex></t:RelativeMonthlyRecurrence><t:EndDateRecurrence>"
           "<t:StartDate>2014-03-04Z</t:StartDate><t:EndDate>2014-12-31Z</t:EndDate></t:EndDateRecurrence>"
           "</t:Recurrence>") +
      item("<t:Recurrence><t:AbsoluteYearlyRecurrence><t:DayOfMonth>4</t:DayOfMonth><t:Month>March</t:Month>"
           "</t:AbsoluteYearlyRecurrence><t:NoEndRecurrence><t:StartDate>2014-03-04Z</t:StartDate>"
           "</t:NoEndRecurrence></t:Recurrence>") +
      item("<t:Recurrence><t:DailyRecurrence><t:Interval>3</t:Interval></t:DailyRecurrence><t:NumberedRecurrence>"
           "<t:StartDate>2014-03-04Z</t:StartDate><t:NumberOfOccurrences>7</t:NumberOfOccurrences>"
           "</t:NumberedRecurrence></t:Recurrence>") +
      item("<t:Recurrence><t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Weekday</t:DaysOfWeek>"
           "</t:WeeklyRecurrence><t:NoEndRecurrence><t:StartDate>2014-03-04Z</t:StartDate></t:NoEndRecurrence>"
           "</t:Recurrence>") +
      item("<t:Recurrence><t:DailyRegeneration><t:Interval>3</t:Interval></t:DailyRegeneration><t:NoEndRecurrence>"
           "<t:StartDate>2014-03-04Z</t:StartDate></t:NoEndRecurrence></t:Recurrence>")));
  ASSERT_EQ(sink.appointments.size(), 5u);
  const auto& monthly = *sink.appointments[0].recurrence;
  EXPECT_EQ(monthly.pattern, model::RecurrencePattern::kMonthlyNth);
  EXPECT_EQ(monthly.interval, 2);
  EXPECT_EQ(monthly.week_of_month, -1);
  EXPECT_EQ(monthly.end, model::RecurrenceEnd::kByDate);
  EXPECT_EQ(monthly.end_date, (CivilDate{2014, 12, 31}));
  const auto& yearly = *sink.appointments[1].recurrence;
  EXPECT_EQ(yearly.pattern, model::RecurrencePattern::kYearlyByDay);
  EXPECT_EQ(yearly.month, 3);
  EXPECT_EQ(yearly.day_of_month, 4);
  EXPECT_EQ(yearly.end, model::RecurrenceEnd::kNever);
  const auto& daily = *sink.appointments[2].recurrence;
  EXPECT_EQ(daily.pattern, model::RecurrencePattern::kDaily);
  EXPECT_EQ(daily.interval, 3);
  EXPECT_EQ(daily.count, 7);
  EXPECT_EQ(sink.appointments[3].recurrence->weekdays.size(), 5u);
  EXPECT_FALSE(sink.appointments[4].recurrence.has_value());
  EXPECT_EQ(sink.count("recurrence.not_converted"), 1);
}

TEST(EwsReader, FieldsOfAMeeting) {
  auto sink = read(response(item(R"(<t:Sensitivity>Confidential</t:Sensitivity>
      <t:Body BodyType="HTML">&lt;html&gt;&lt;body&gt;&lt;p&gt;Hello&amp;amp;bye&lt;/p&gt;&lt;/body&gt;&lt;/html&gt;</t:Body>
      <t:Categories><t:String>Red</t:String><t:String>Blue</t:String></t:Categories>
      <t:ReminderIsSet>false</t:ReminderIsSet><t:ReminderMinutesBeforeStart>15</t:ReminderMinutesBeforeStart>
      <t:HasAttachments>true</t:HasAttachments><t:LegacyFreeBusyStatus>WorkingElsewhere</t:LegacyFreeBusyStatus>
      <t:Resources><t:Attendee><t:Mailbox><t:Name>Room</t:Name><t:EmailAddress>room@example.com</t:EmailAddress>
      </t:Mailbox><t:ResponseType>Accept</t:ResponseType></t:Attendee></t:Resources>
      <t:CalendarItemType>Single</t:CalendarItemType>)")));
  ASSERT_EQ(sink.appointments.size(), 1u);
  const auto& a = sink.appointments[0];
  EXPECT_EQ(a.sensitivity, model::Sensitivity::kConfidential);
  EXPECT_EQ(a.body, "Hello&bye");
  EXPECT_EQ(a.categories, (std::vector<std::string>{"Red", "Blue"}));
  EXPECT_FALSE(a.reminder_minutes_before.has_value());  // ReminderIsSet false
  EXPECT_EQ(a.busy_status, model::BusyStatus::kWorkingElsewhere);
  ASSERT_EQ(a.attendees.size(), 1u);
  EXPECT_EQ(a.attendees[0].role, model::AttendeeRole::kResource);
  EXPECT_EQ(a.attendees[0].person.address_type, "SMTP");
  EXPECT_EQ(sink.count("attachment.not_carried"), 1);
}

TEST(EwsReader, BadInput) {
  RecordingSink sink;
  auto not_xml = readEwsText("BEGIN:VCALENDAR", "x.ics", sink);
  ASSERT_FALSE(not_xml.ok());
  EXPECT_EQ(not_xml.error().code, "ews.not_xml");
  EXPECT_EQ(not_xml.error().context, "x.ics");
  ReadSummary summary;
  auto bad = read(response("<t:CalendarItem><t:ItemId Id=\"a\"/><t:Start>yesterday</t:Start></t:CalendarItem>"),
                  &summary);
  EXPECT_EQ(summary.items_seen, 1);
  EXPECT_EQ(summary.skipped, 1);
  EXPECT_EQ(bad.count("item.no_start"), 1);
  // Truncations of a valid response never crash.
  const std::string full = response(item("<t:Recurrence><t:WeeklyRecurrence><t:DaysOfWeek>Monday</t:DaysOfWeek>"
                                         "</t:WeeklyRecurrence></t:Recurrence>"));
  for (std::size_t length = 0; length < full.size(); length += 13) {
    RecordingSink cut;
    (void)readEwsText(full.substr(0, length), "cut.xml", cut);
  }
}

}  // namespace
}  // namespace m2z::readers::ews
