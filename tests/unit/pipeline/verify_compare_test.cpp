// compareAppointment and the StoredAppointment read-back, with hand-made values: the expected
// differences are the fields each test changes on one side, nothing else.
#include <gtest/gtest.h>

#include "pipeline/verify.h"
#include "xml/xml.h"
#include "zimbra/contact_requests.h"
#include "zimbra/requests.h"
#include "zimbra/task_requests.h"

namespace m2z::pipeline {
namespace {

// A timed meeting on 2024-03-01 09:00-10:00 in Europe/Berlin (UTC+1, CEST +2 from the last
// Sunday of March at 02:00, back the last Sunday of October at 03:00).
model::Appointment timedMeeting() {
  model::Appointment item;
  item.provenance = {"alice.pst", "/Calendar", "2097188"};
  item.uid = "040000008200E00074C5B7101A82E008-1";
  item.subject = "Budget review";
  item.location = "Room 4";
  item.body = "Agenda:\r\n  1. numbers\n\n2. plans  ";
  item.organizer = model::Person{"Bob", "Bob@Example.org", "SMTP"};
  item.attendees.push_back({model::Person{"Carol", "carol@example.org", "SMTP"}, model::AttendeeRole::kRequired,
                            model::ResponseStatus::kAccepted});
  item.attendees.push_back({model::Person{"Dave", "/o=Org/cn=dave", "EX"}, model::AttendeeRole::kOptional,
                            model::ResponseStatus::kNone});
  item.reminder_minutes_before = 15;
  item.busy_status = model::BusyStatus::kTentative;
  item.sensitivity = model::Sensitivity::kPrivate;
  item.categories = {"Red", "Blue"};
  model::ResolvedTimes times;
  times.zone.id = "Europe/Berlin";
  times.zone.standard_offset_minutes = 60;
  times.zone.daylight_offset_minutes = 120;
  times.zone.to_daylight = model::TransitionRule{3, -1, 1, 2, 0, 0};
  times.zone.to_standard = model::TransitionRule{10, -1, 1, 3, 0, 0};
  times.start_local = {{2024, 3, 1}, 9, 0, 0};
  times.end_local = {{2024, 3, 1}, 10, 0, 0};
  item.resolved = times;
  return item;
}

// What the server holds when it kept every field as sent: organizer and attendees only with
// SMTP addresses (the writer leaves Dave out), Zimbra's codes for tentative (T) and private (PRI).
zimbra::StoredAppointment storedAsSent() {
  zimbra::StoredAppointment stored;
  stored.subject = "Budget review";
  stored.location = "Room 4";
  stored.start = "20240301T090000";
  stored.start_tz = "Europe/Berlin";
  stored.end = "20240301T100000";
  stored.start_tz_offsets = "60/120";
  stored.organizer = "bob@example.org";
  stored.attendees = {"carol@example.org"};
  stored.reminder_minutes_before = 15;
  stored.free_busy = "T";
  stored.class_code = "PRI";
  stored.categories = {"Blue", "Red"};
  stored.body = "Agenda: 1. numbers 2. plans";
  return stored;
}

TEST(VerifyCompare, IdenticalCopyMatches) {
  EXPECT_TRUE(compareAppointment(timedMeeting(), storedAsSent()).empty());
}

TEST(VerifyCompare, StartMovedByAnHourIsTheOnlyDifference) {
  auto stored = storedAsSent();
  stored.start = "20240301T100000";
  const auto differences = compareAppointment(timedMeeting(), stored);
  ASSERT_EQ(differences.size(), 1u);
  EXPECT_EQ(differences[0], (FieldDifference{"start", "20240301T090000", "20240301T100000"}));
}

TEST(VerifyCompare, ZoneUnderAnotherNameWithTheSameOffsetsMatches) {
  auto stored = storedAsSent();
  stored.start_tz = "(GMT+01.00) Amsterdam / Berlin / Bern / Rome / Stockholm / Vienna";
  EXPECT_TRUE(compareAppointment(timedMeeting(), stored).empty());
  stored.start_tz = "Europe/London";
  stored.start_tz_offsets = "0/60";
  const auto differences = compareAppointment(timedMeeting(), stored);
  ASSERT_EQ(differences.size(), 1u);
  EXPECT_EQ(differences[0], (FieldDifference{"zone", "Europe/Berlin", "Europe/London"}));
}

TEST(VerifyCompare, AllDayDatesAreInclusiveAndShiftedDayIsReported) {
  // A two-day all-day event on 1-2 November 2014: Zimbra holds s=20141101, e=20141102 (its end
  // date is inclusive, soap-calendar.txt).
  model::Appointment item;
  item.subject = "Offsite";
  item.all_day = true;
  model::ResolvedTimes times;
  times.first_day = {2014, 11, 1};
  times.last_day = {2014, 11, 2};
  item.resolved = times;
  zimbra::StoredAppointment stored;
  stored.subject = "Offsite";
  stored.all_day = true;
  stored.start = "20141101";
  stored.end = "20141102";
  EXPECT_TRUE(compareAppointment(item, stored).empty());

  stored.start = "20141102";
  stored.end = "20141103";
  const auto differences = compareAppointment(item, stored);
  ASSERT_EQ(differences.size(), 2u);
  EXPECT_EQ(differences[0], (FieldDifference{"start", "20141101", "20141102"}));
  EXPECT_EQ(differences[1], (FieldDifference{"end", "20141102", "20141103"}));
}

TEST(VerifyCompare, EveryOtherFieldIsCompared) {
  auto stored = storedAsSent();
  stored.subject = "Budget";
  stored.location = "";
  stored.all_day = true;
  stored.organizer = "eve@example.org";
  stored.attendees = {"carol@example.org", "mallory@example.org"};
  stored.reminder_minutes_before.reset();
  stored.class_code = "PUB";
  stored.free_busy = "B";
  stored.categories = {"Red"};
  stored.body = "Agenda";
  stored.recurrence_rule = "freq=DAI;interval=1";
  stored.exceptions = 1;
  std::vector<std::string> fields;
  for (const auto& difference : compareAppointment(timedMeeting(), stored)) fields.push_back(difference.field);
  const std::vector<std::string> expected = {"subject",   "location", "all-day", "recurrence", "exceptions",
                                             "organizer", "attendees", "reminder", "class",     "free-busy",
                                             "categories", "body"};
  EXPECT_EQ(fields, expected);
}

TEST(VerifyCompare, AbsentClassAndFreeBusyAreTheServerDefaults) {
  auto item = timedMeeting();
  item.busy_status = model::BusyStatus::kBusy;
  item.sensitivity = model::Sensitivity::kNormal;
  auto stored = storedAsSent();
  stored.free_busy.clear();
  stored.class_code.clear();
  EXPECT_TRUE(compareAppointment(item, stored).empty());
}

TEST(VerifyCompare, RecurrenceRuleFromTheModel) {
  model::Appointment item;
  EXPECT_EQ(recurrenceRuleText(item), "");
  model::Recurrence weekdays;
  weekdays.pattern = model::RecurrencePattern::kDaily;
  weekdays.every_weekday = true;  // [MS-OXCICAL] 2.1.3.2.2.1: a weekly rule
  weekdays.end = model::RecurrenceEnd::kAfterCount;
  weekdays.count = 10;
  item.recurrence = weekdays;
  EXPECT_EQ(recurrenceRuleText(item), "freq=WEE;interval=1;count=10");
  model::Recurrence monthly;
  monthly.pattern = model::RecurrencePattern::kMonthlyByDay;
  monthly.interval = 2;
  monthly.end = model::RecurrenceEnd::kByDate;
  monthly.resolved = model::ResolvedRecurrence{"20241231T080000Z", {}};
  item.recurrence = monthly;
  EXPECT_EQ(recurrenceRuleText(item), "freq=MON;interval=2;until=20241231T080000Z");
}

TEST(VerifyCompare, NormalizedTextCollapsesWhitespace) {
  EXPECT_EQ(normalizedText("  a\r\n\tb  c \n"), "a b c");
  EXPECT_EQ(normalizedText(""), "");
  EXPECT_EQ(normalizedText(" \n "), "");
}

// Jane Doe as Zimbra holds her after the migration: ContactConstants names (firstName,
// lastName, fullName, email, company, birthday as yyyy-MM-dd, notes) and our fingerprint.
TEST(VerifyCompare, ContactAttributesComparedByName) {
  model::Contact jane;
  jane.given_name = "Jane";
  jane.surname = "Doe";
  jane.display_name = "Jane Doe";
  jane.emails.push_back({1, "jane@example.org", "Jane Doe (jane@example.org)", "SMTP"});
  jane.company = "Example Ltd";
  jane.birthday = model::CivilDate{1980, 2, 29};
  jane.notes = "met at the fair";
  zimbra::StoredContact stored;
  stored.id = "300";
  stored.attrs = {{"firstName", "Jane"},        {"lastName", "Doe"},           {"fullName", "Jane Doe"},
                  {"email", "jane@example.org"}, {"company", "Example Ltd"},     {"birthday", "1980-02-29"},
                  {"notes", "met at the fair"}, {"mapi2zimbraSource", "fp-1"}, {"fileAsStr", "Doe, Jane"}};
  // fileAsStr is the server's own addition: not the source's business.
  EXPECT_TRUE(compareContact(jane, "fp-1", stored).empty());

  stored.attrs["email"] = "jane@example.com";
  stored.attrs.erase("birthday");
  const auto differences = compareContact(jane, "fp-1", stored);
  ASSERT_EQ(differences.size(), 2u);
  EXPECT_EQ(differences[0], (FieldDifference{"birthday", "1980-02-29", ""}));
  EXPECT_EQ(differences[1], (FieldDifference{"email", "jane@example.org", "jane@example.com"}));
}

// A task due 2014-10-31, half done, high importance: Zimbra's codes INPR, priority 1.
TEST(VerifyCompare, TaskFields) {
  model::Task task;
  task.subject = "Report";
  task.due = model::CivilDate{2014, 10, 31};
  task.status = model::TaskStatus::kInProgress;
  task.percent_complete = 50;
  task.importance = model::Importance::kHigh;
  task.body = "first draft\n";
  zimbra::StoredTask stored;
  stored.subject = "Report";
  stored.due = "20141031";
  stored.status = "INPR";
  stored.percent = "50";
  stored.priority = "1";
  stored.body = "first draft";
  EXPECT_TRUE(compareTask(task, stored).empty());

  // Marked complete in the source: expected COMP and 100% whatever the percent said.
  task.complete = true;
  stored.due = "20141101";
  std::vector<std::string> fields;
  for (const auto& difference : compareTask(task, stored)) fields.push_back(difference.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"status", "percent", "due"}));
}

// A GetAppointmentResponse shaped as soap-calendar.txt shows it: the series' invite, then one
// modified instance (recurId). Each stored field below is read off this text by hand.
TEST(StoredAppointmentReadBack, ReadsTheFieldsVerifyCompares) {
  const char* response = R"xml(<GetAppointmentResponse xmlns="urn:zimbraMail">
  <appt id="260" l="257" uid="u-1">
    <inv id="260" compNum="0">
      <tz id="Europe/Berlin" stdoff="60" dayoff="120"/>
      <comp name="Weekly" loc="Room 4" fb="T" class="PRI" allDay="0">
        <category>Red</category><category>Blue</category>
        <at a="carol@example.org" role="REQ"/><at a="dave@example.org" role="OPT"/>
        <alarm action="DISPLAY"><trigger><rel neg="1" h="1" m="30" related="START"/></trigger></alarm>
        <desc>Agenda text</desc>
        <or a="bob@example.org"/>
        <recur><add><rule freq="WEE"><count num="10"/><interval ival="2"/></rule></add></recur>
        <s d="20240301T090000" tz="Europe/Berlin"/>
        <e d="20240301T100000" tz="Europe/Berlin"/>
      </comp>
    </inv>
    <inv id="261" compNum="0" recurId="20240308T090000">
      <comp name="Weekly (moved)"><s d="20240308T110000" tz="Europe/Berlin"/></comp>
    </inv>
  </appt>
</GetAppointmentResponse>)xml";
  auto body = xml::parse(response, "test");
  ASSERT_TRUE(body) << body.error().describe();
  auto found = zimbra::readFoundAppointment(*body);
  ASSERT_TRUE(found) << found.error().describe();
  ASSERT_TRUE(found->has_value());
  ASSERT_TRUE((*found)->stored.has_value());
  const zimbra::StoredAppointment& stored = *(*found)->stored;
  EXPECT_EQ((*found)->id, "260");
  EXPECT_EQ(stored.subject, "Weekly");
  EXPECT_EQ(stored.location, "Room 4");
  EXPECT_EQ(stored.free_busy, "T");
  EXPECT_EQ(stored.class_code, "PRI");
  EXPECT_EQ(stored.categories, (std::vector<std::string>{"Red", "Blue"}));
  EXPECT_EQ(stored.attendees, (std::vector<std::string>{"carol@example.org", "dave@example.org"}));
  EXPECT_EQ(stored.reminder_minutes_before, 90);  // 1 h 30 min, neg="1": before the start
  EXPECT_EQ(stored.body, "Agenda text");
  EXPECT_EQ(stored.organizer, "bob@example.org");
  EXPECT_EQ(stored.recurrence_rule, "freq=WEE;interval=2;count=10");
  EXPECT_EQ(stored.exceptions, 1);
  EXPECT_EQ(stored.start, "20240301T090000");
  EXPECT_EQ(stored.start_tz, "Europe/Berlin");
  EXPECT_EQ(stored.start_tz_offsets, "60/120");
  EXPECT_EQ(stored.end, "20240301T100000");
}

}  // namespace
}  // namespace m2z::pipeline
