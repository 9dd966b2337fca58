// SetAppointmentRequest for recurring series, checked against XML written out by hand from
// soap-calendar.txt (<recur><add><rule>, <except>, <cancel>, UNTIL "Date value or DateTime in UTC
// w/ trailing 'Z'"), zimbraMail.xsd's sequence orders (simpleRepeatingRule: until, count,
// interval, byday, bymonthday, bymonth, bysetpos, wkst; inviteComponent: ..., or, recur,
// exceptId, s, e) and the harness scripts Calendar/Appointments/SetAppointmentRequest/
// *Recur*/*Except*/*Cancel*.xml. recurrence_schemas_test.cpp validates the same bodies.
#include <gtest/gtest.h>

#include "recurrence_fixtures.h"
#include "xml/xml.h"
#include "zimbra/requests.h"

namespace m2z::zimbra {
namespace {

using testing::allDayDailySeries;
using testing::weeklySeries;

xml::Element parsed(const std::string& text) {
  auto element = xml::parse(text, "built request");
  EXPECT_TRUE(element.ok()) << element.error().describe() << "\n" << text;
  return element.ok() ? *element : xml::Element{};
}

const xml::Element* ruleOf(const xml::Element& request) {
  const xml::Element* defaults = request.child("default");
  return defaults != nullptr ? defaults->find("rule") : nullptr;
}

std::string ruleText(const model::Appointment& series) {
  auto body = buildSetAppointmentRequest(series, "10");
  EXPECT_TRUE(body.ok()) << body.error().describe();
  if (!body.ok()) return {};
  const auto from = body->find("<rule ");
  const auto to = body->find("</rule>");
  return from == std::string::npos || to == std::string::npos ? *body : body->substr(from, to - from + 7);
}

TEST(SetAppointmentRequestRecurrence, WeeklySeriesWithExceptionsAndACancel) {
  auto body = buildSetAppointmentRequest(weeklySeries(), "10", "alice@example.com");
  ASSERT_TRUE(body.ok()) << body.error().describe();
  // The series: every Tuesday (WEE, byday TU, interval 1, week starting Sunday), no end. Each
  // exception is a full invite with exceptId = the original 8:00 instance in the series' zone;
  // the first keeps the series' subject and reminder with its own body, the second has its own
  // subject, is out of office (fb O) and has its reminder off. The deleted 08-09 instance is a
  // <cancel> whose invite carries uid, seq 1, name, allDay, the organizer, exceptId and s.
  const std::string zone =
      "      <tz id=\"America/Los_Angeles\" stdoff=\"-480\" dayoff=\"-420\">\n"
      "        <standard week=\"1\" wkday=\"1\" mon=\"11\" hour=\"2\" min=\"0\" sec=\"0\"/>\n"
      "        <daylight week=\"2\" wkday=\"1\" mon=\"3\" hour=\"2\" min=\"0\" sec=\"0\"/>\n"
      "      </tz>\n";
  const std::string alarm =
      "        <alarm action=\"DISPLAY\">\n"
      "          <trigger>\n"
      "            <rel m=\"15\" neg=\"1\" related=\"START\"/>\n"
      "          </trigger>\n"
      "          <desc>Test appointment</desc>\n"
      "        </alarm>\n";
  EXPECT_EQ(*body,
            "<SetAppointmentRequest xmlns=\"urn:zimbraMail\" l=\"10\">\n"
            "  <default ptst=\"AC\">\n"
            "    <m su=\"Test appointment\">\n"
            "      <mp ct=\"text/plain\" content=\"Weekly\"/>\n"
            "      <inv method=\"PUBLISH\" compNum=\"0\" rsvp=\"0\" uid=\"series-uid\" name=\"Test appointment\" "
            "fb=\"B\" transp=\"O\" class=\"PUB\" allDay=\"0\">\n" +
                alarm +
                "        <or a=\"alice@example.com\" d=\"Alice\"/>\n"
                "        <recur>\n"
                "          <add>\n"
                "            <rule freq=\"WEE\">\n"
                "              <interval ival=\"1\"/>\n"
                "              <byday>\n"
                "                <wkday day=\"TU\"/>\n"
                "              </byday>\n"
                "              <wkst day=\"SU\"/>\n"
                "            </rule>\n"
                "          </add>\n"
                "        </recur>\n"
                "        <s d=\"20160802T080000\" tz=\"America/Los_Angeles\"/>\n"
                "        <e d=\"20160802T083000\" tz=\"America/Los_Angeles\"/>\n"
                "      </inv>\n" +
                zone +
                "    </m>\n"
                "  </default>\n"
                "  <except ptst=\"AC\">\n"
                "    <m su=\"Test appointment\">\n"
                "      <mp ct=\"text/plain\" content=\"This is the appointment at 9\"/>\n"
                "      <inv method=\"PUBLISH\" compNum=\"0\" rsvp=\"0\" uid=\"series-uid\" name=\"Test appointment\" "
                "fb=\"B\" transp=\"O\" class=\"PUB\" allDay=\"0\">\n" +
                alarm +
                "        <or a=\"alice@example.com\" d=\"Alice\"/>\n"
                "        <exceptId d=\"20160823T080000\" tz=\"America/Los_Angeles\"/>\n"
                "        <s d=\"20160823T090000\" tz=\"America/Los_Angeles\"/>\n"
                "        <e d=\"20160823T093000\" tz=\"America/Los_Angeles\"/>\n"
                "      </inv>\n" +
                zone +
                "    </m>\n"
                "  </except>\n"
                "  <except ptst=\"AC\">\n"
                "    <m su=\"Moved to ten\">\n"
                "      <mp ct=\"text/plain\" content=\"Weekly\"/>\n"
                "      <inv method=\"PUBLISH\" compNum=\"0\" rsvp=\"0\" uid=\"series-uid\" name=\"Moved to ten\" "
                "fb=\"O\" transp=\"O\" class=\"PUB\" allDay=\"0\">\n"
                "        <or a=\"alice@example.com\" d=\"Alice\"/>\n"
                "        <exceptId d=\"20160830T080000\" tz=\"America/Los_Angeles\"/>\n"
                "        <s d=\"20160830T100000\" tz=\"America/Los_Angeles\"/>\n"
                "        <e d=\"20160830T103000\" tz=\"America/Los_Angeles\"/>\n"
                "      </inv>\n" +
                zone +
                "    </m>\n"
                "  </except>\n"
                "  <cancel>\n"
                "    <m su=\"Test appointment\">\n"
                "      <inv method=\"CANCEL\" compNum=\"0\" rsvp=\"0\" uid=\"series-uid\" seq=\"1\" "
                "name=\"Test appointment\" allDay=\"0\">\n"
                "        <or a=\"alice@example.com\" d=\"Alice\"/>\n"
                "        <exceptId d=\"20160809T080000\" tz=\"America/Los_Angeles\"/>\n"
                "        <s d=\"20160809T080000\" tz=\"America/Los_Angeles\"/>\n"
                "      </inv>\n" +
                zone +
                "    </m>\n"
                "  </cancel>\n"
                "</SetAppointmentRequest>\n");
}

TEST(SetAppointmentRequestRecurrence, AllDaySeriesUsesDatesForUntilIdsAndDays) {
  auto body = buildSetAppointmentRequest(allDayDailySeries(), "10");
  ASSERT_TRUE(body.ok()) << body.error().describe();
  const xml::Element request = parsed(*body);
  const xml::Element* rule = ruleOf(request);
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->attributeOr("freq", ""), "DAI");
  ASSERT_NE(rule->child("until"), nullptr);
  EXPECT_EQ(rule->child("until")->attributeOr("d", ""), "20221207");  // a DATE for an all-day series
  const xml::Element* except = request.child("except");
  ASSERT_NE(except, nullptr);
  const xml::Element* exception_id = except->find("exceptId");
  ASSERT_NE(exception_id, nullptr);
  EXPECT_EQ(exception_id->attributeOr("d", ""), "20221203");
  EXPECT_EQ(exception_id->attribute("tz"), nullptr);
  // Zimbra's all-day end is inclusive: the moved one-day instance is s = e = 20221204.
  EXPECT_EQ(except->find("s")->attributeOr("d", ""), "20221204");
  EXPECT_EQ(except->find("e")->attributeOr("d", ""), "20221204");
  EXPECT_EQ(except->find("inv")->attributeOr("allDay", ""), "1");
  const xml::Element* cancel = request.child("cancel");
  ASSERT_NE(cancel, nullptr);
  EXPECT_EQ(cancel->find("exceptId")->attributeOr("d", ""), "20221205");
  EXPECT_EQ(cancel->find("inv")->attributeOr("allDay", ""), "1");
  EXPECT_EQ(request.find("tz"), nullptr);  // nothing names a zone
}

TEST(SetAppointmentRequestRecurrence, TimedExceptionOfAnAllDaySeriesSendsTheZone) {
  model::Appointment series = allDayDailySeries();
  auto& exception = series.recurrence->exceptions[0];
  exception.all_day = false;
  exception.resolved->all_day = false;
  exception.resolved->start_local = testing::wall(2022, 12, 3, 10, 0);
  exception.resolved->end_local = testing::wall(2022, 12, 3, 11, 0);
  auto body = buildSetAppointmentRequest(series, "10");
  ASSERT_TRUE(body.ok()) << body.error().describe();
  const xml::Element request = parsed(*body);
  const xml::Element* except = request.child("except");
  EXPECT_EQ(except->find("exceptId")->attributeOr("d", ""), "20221203");  // the series' DATE form
  EXPECT_EQ(except->find("s")->attributeOr("d", ""), "20221203T100000");
  EXPECT_EQ(except->find("s")->attributeOr("tz", ""), "Asia/Tokyo");
  EXPECT_EQ(except->find("inv")->attributeOr("allDay", ""), "0");
  ASSERT_NE(except->find("tz"), nullptr);
  EXPECT_EQ(except->find("tz")->attributeOr("stdoff", ""), "540");
}

TEST(SetAppointmentRequestRecurrence, RuleShapesForEachPattern) {
  model::Appointment series = weeklySeries();
  auto& rule = *series.recurrence;
  // Every 2 weeks on Monday and Thursday, weeks starting Monday, 10 occurrences.
  rule.interval = 2;
  rule.weekdays = {model::Weekday::kMonday, model::Weekday::kThursday};
  rule.first_day_of_week = model::Weekday::kMonday;
  rule.end = model::RecurrenceEnd::kAfterCount;
  rule.count = 10;
  EXPECT_EQ(ruleText(series),
            "<rule freq=\"WEE\">\n"
            "              <count num=\"10\"/>\n"
            "              <interval ival=\"2\"/>\n"
            "              <byday>\n"
            "                <wkday day=\"MO\"/>\n"
            "                <wkday day=\"TH\"/>\n"
            "              </byday>\n"
            "              <wkst day=\"MO\"/>\n"
            "            </rule>");
  // Every weekday (Outlook's daily variant), until 2016-12-27 16:00Z.
  rule = *weeklySeries().recurrence;
  rule.pattern = model::RecurrencePattern::kDaily;
  rule.every_weekday = true;
  rule.weekdays = {model::Weekday::kMonday, model::Weekday::kTuesday, model::Weekday::kWednesday,
                   model::Weekday::kThursday, model::Weekday::kFriday};
  rule.end = model::RecurrenceEnd::kByDate;
  rule.resolved->until = "20161227T160000Z";
  EXPECT_EQ(ruleText(series),
            "<rule freq=\"WEE\">\n"
            "              <until d=\"20161227T160000Z\"/>\n"
            "              <interval ival=\"1\"/>\n"
            "              <byday>\n"
            "                <wkday day=\"MO\"/>\n"
            "                <wkday day=\"TU\"/>\n"
            "                <wkday day=\"WE\"/>\n"
            "                <wkday day=\"TH\"/>\n"
            "                <wkday day=\"FR\"/>\n"
            "              </byday>\n"
            "              <wkst day=\"SU\"/>\n"
            "            </rule>");
  // Every 3 days.
  rule = *weeklySeries().recurrence;
  rule.pattern = model::RecurrencePattern::kDaily;
  rule.interval = 3;
  rule.weekdays.clear();
  EXPECT_EQ(ruleText(series),
            "<rule freq=\"DAI\">\n"
            "              <interval ival=\"3\"/>\n"
            "            </rule>");
  // The last day of every month.
  rule = *weeklySeries().recurrence;
  rule.pattern = model::RecurrencePattern::kMonthlyByDay;
  rule.day_of_month = -1;
  EXPECT_EQ(ruleText(series),
            "<rule freq=\"MON\">\n"
            "              <interval ival=\"1\"/>\n"
            "              <bymonthday modaylist=\"-1\"/>\n"
            "            </rule>");
  // The second Tuesday of every 3 months: ordwk on the one day.
  rule = *weeklySeries().recurrence;
  rule.pattern = model::RecurrencePattern::kMonthlyNth;
  rule.interval = 3;
  rule.week_of_month = 2;
  EXPECT_EQ(ruleText(series),
            "<rule freq=\"MON\">\n"
            "              <interval ival=\"3\"/>\n"
            "              <byday>\n"
            "                <wkday ordwk=\"2\" day=\"TU\"/>\n"
            "              </byday>\n"
            "            </rule>");
  // The last weekday of every month: several days need BYSETPOS ([MS-OXCICAL] 2.1.3.2.2.4
  // example "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1").
  rule.interval = 1;
  rule.week_of_month = -1;
  rule.weekdays = {model::Weekday::kMonday, model::Weekday::kTuesday, model::Weekday::kWednesday,
                   model::Weekday::kThursday, model::Weekday::kFriday};
  EXPECT_EQ(ruleText(series),
            "<rule freq=\"MON\">\n"
            "              <interval ival=\"1\"/>\n"
            "              <byday>\n"
            "                <wkday day=\"MO\"/>\n"
            "                <wkday day=\"TU\"/>\n"
            "                <wkday day=\"WE\"/>\n"
            "                <wkday day=\"TH\"/>\n"
            "                <wkday day=\"FR\"/>\n"
            "              </byday>\n"
            "              <bysetpos poslist=\"-1\"/>\n"
            "            </rule>");
  // Every year on March 26; every 2 years on the fourth Monday of March.
  rule = *weeklySeries().recurrence;
  rule.pattern = model::RecurrencePattern::kYearlyByDay;
  rule.day_of_month = 26;
  rule.month = 3;
  EXPECT_EQ(ruleText(series),
            "<rule freq=\"YEA\">\n"
            "              <interval ival=\"1\"/>\n"
            "              <bymonthday modaylist=\"26\"/>\n"
            "              <bymonth molist=\"3\"/>\n"
            "            </rule>");
  rule.pattern = model::RecurrencePattern::kYearlyNth;
  rule.interval = 2;
  rule.week_of_month = 4;
  rule.weekdays = {model::Weekday::kMonday};
  EXPECT_EQ(ruleText(series),
            "<rule freq=\"YEA\">\n"
            "              <interval ival=\"2\"/>\n"
            "              <byday>\n"
            "                <wkday ordwk=\"4\" day=\"MO\"/>\n"
            "              </byday>\n"
            "              <bymonth molist=\"3\"/>\n"
            "            </rule>");
}

TEST(SetAppointmentRequestRecurrence, ExceptionChangesAttendeesAndReminder) {
  model::Appointment series = weeklySeries();
  series.reminder_minutes_before.reset();
  auto& exception = series.recurrence->exceptions[0];
  exception.attendees = std::vector<model::Attendee>{
      model::Attendee{model::Person{"Dave", "dave@example.com", "SMTP"}, model::AttendeeRole::kOptional,
                      model::ResponseStatus::kNone}};
  exception.reminder_set = true;  // on, with no lead time of its own: Outlook's default 15
  auto body = buildSetAppointmentRequest(series, "10");
  ASSERT_TRUE(body.ok()) << body.error().describe();
  const xml::Element request = parsed(*body);
  const xml::Element* except = request.child("except");
  ASSERT_NE(except, nullptr);
  ASSERT_NE(except->find("at"), nullptr);
  EXPECT_EQ(except->find("at")->attributeOr("a", ""), "dave@example.com");
  EXPECT_EQ(except->find("at")->attributeOr("role", ""), "OPT");
  ASSERT_NE(except->find("rel"), nullptr);
  EXPECT_EQ(except->find("rel")->attributeOr("m", ""), "15");
  EXPECT_EQ(request.child("default")->find("alarm"), nullptr);
  EXPECT_EQ(request.child("default")->find("at"), nullptr);
}

TEST(SetAppointmentRequestRecurrence, UnresolvedOrImpossibleSeriesAreErrors) {
  const auto error_field = [](const model::Appointment& series) {
    auto body = buildSetAppointmentRequest(series, "10");
    EXPECT_FALSE(body.ok());
    if (body.ok()) return std::string();
    EXPECT_EQ(body.error().code, "request.invalid_item");
    EXPECT_NE(body.error().context.find("/data/dist-list.pst:/Calendar#2097348"), std::string::npos);
    return body.error().context;
  };
  model::Appointment series = weeklySeries();
  series.recurrence->resolved.reset();
  EXPECT_NE(error_field(series).find("recurrence.resolved"), std::string::npos);
  series = weeklySeries();
  series.recurrence->exceptions[1].resolved.reset();
  EXPECT_NE(error_field(series).find("recurrence.exceptions[1].resolved"), std::string::npos);
  series = weeklySeries();
  series.recurrence->weekdays.clear();
  EXPECT_NE(error_field(series).find("recurrence.weekdays"), std::string::npos);
  series = weeklySeries();
  series.recurrence->interval = 0;
  EXPECT_NE(error_field(series).find("recurrence.interval"), std::string::npos);
  series = weeklySeries();
  series.recurrence->end = model::RecurrenceEnd::kByDate;  // without a resolved UNTIL
  EXPECT_NE(error_field(series).find("recurrence.resolved.until"), std::string::npos);
  series = weeklySeries();
  series.recurrence->pattern = model::RecurrencePattern::kMonthlyByDay;
  series.recurrence->day_of_month = 32;
  EXPECT_NE(error_field(series).find("recurrence.day_of_month"), std::string::npos);
  series = weeklySeries();
  series.recurrence->exceptions[0].resolved->end_local = testing::wall(2016, 8, 23, 7, 0);
  EXPECT_NE(error_field(series).find("recurrence.exceptions[0].resolved.end_local"), std::string::npos);
  series = weeklySeries();
  series.recurrence->resolved->cancelled[0].start.date.month = 13;
  EXPECT_NE(error_field(series).find("recurrence.resolved.cancelled[0]"), std::string::npos);
}

}  // namespace
}  // namespace m2z::zimbra
