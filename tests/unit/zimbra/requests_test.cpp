// Request builders and response readers, checked against XML written out by hand from
// soap-calendar.txt and zimbraMail.xsd (the schema tests check the same bodies validate).
#include <gtest/gtest.h>

#include "fixtures.h"
#include "xml/xml.h"
#include "zimbra/requests.h"

namespace m2z::zimbra {
namespace {

using testing::allDayEvent;
using testing::timedMeeting;

xml::Element parsed(const std::string& text) {
  auto element = xml::parse(text, "built request");
  EXPECT_TRUE(element.ok()) << element.error().describe() << "\n" << text;
  return element.ok() ? *element : xml::Element{};
}

TEST(AdminAuthRequest, NameAndPasswordAsAttributes) {
  EXPECT_EQ(buildAdminAuthRequest("admin@test.local", "p&ss\"word"),
            "<AuthRequest xmlns=\"urn:zimbraAdmin\" name=\"admin@test.local\" password=\"p&amp;ss&quot;word\"/>\n");
}

TEST(CreateFolderRequest, CalendarViewFetchIfExists) {
  auto body = buildCreateFolderRequest("1", "Team Calendar");
  ASSERT_TRUE(body.ok()) << body.error().describe();
  EXPECT_EQ(*body,
            "<CreateFolderRequest xmlns=\"urn:zimbraMail\">\n"
            "  <folder name=\"Team Calendar\" l=\"1\" view=\"appointment\" fie=\"1\"/>\n"
            "</CreateFolderRequest>\n");
}

TEST(CreateFolderRequest, RefusesNamesZimbraRefuses) {
  // soap.txt: names may not be empty, "." or "..", longer than 255, or contain : / " TAB CR LF.
  for (const std::string& name : std::vector<std::string>{"", ".", "..", "a/b", "a:b", "a\"b", "a\tb", "a\nb", "a\rb", std::string(256, 'x')}) {
    auto body = buildCreateFolderRequest("1", name);
    ASSERT_FALSE(body.ok()) << name;
    EXPECT_EQ(body.error().code, "request.invalid_name");
  }
  EXPECT_TRUE(buildCreateFolderRequest("1", std::string(255, 'x')).ok());
  EXPECT_TRUE(buildCreateFolderRequest("1", "Kalender <Müller> & Co").ok());
  EXPECT_FALSE(buildCreateFolderRequest("", "Calendar").ok());
}

TEST(GetAppointmentRequest, ByUid) {
  EXPECT_EQ(buildGetAppointmentRequest("abc<1>"), "<GetAppointmentRequest xmlns=\"urn:zimbraMail\" uid=\"abc&lt;1&gt;\"/>\n");
}

TEST(SetAppointmentRequest, TimedMeetingInBerlin) {
  auto body = buildSetAppointmentRequest(timedMeeting(), "257", "alice@example.com");
  ASSERT_TRUE(body.ok()) << body.error().describe();
  // By hand: soap-calendar.txt SetAppointmentRequest/<default ptst>/<m> with the <inv> short form;
  // zimbraMail.xsd's sequences fix the order (msg: mp, inv, tz; inviteComponent: category, at,
  // alarm, or, s, e). Times are Berlin wall times with tz="Europe/Berlin"; the zone is
  // stdoff=60 dayoff=120 with standard = last (-1) Sunday (1) of October (10) at 03:00 and
  // daylight = last Sunday of March (3) at 02:00. The reminder is 15 minutes before the start.
  // The body's line break is an attribute character reference (&#10;).
  EXPECT_EQ(*body,
            "<SetAppointmentRequest xmlns=\"urn:zimbraMail\" l=\"257\">\n"
            "  <default ptst=\"AC\">\n"
            "    <m su=\"Team meeting\">\n"
            "      <mp ct=\"text/plain\" content=\"Agenda:&#10;1. Budget\"/>\n"
            "      <inv method=\"PUBLISH\" compNum=\"0\" rsvp=\"0\" uid=\"040000008200E00074C5B7101A82E00800000000\" "
            "name=\"Team meeting\" loc=\"Room 1\" fb=\"B\" transp=\"O\" class=\"PUB\" allDay=\"0\">\n"
            "        <category>Work</category>\n"
            "        <at a=\"bob@example.com\" d=\"Bob\" role=\"REQ\" ptst=\"AC\" rsvp=\"0\"/>\n"
            "        <at a=\"room1@example.com\" d=\"Room 1\" role=\"NON\" ptst=\"NE\" rsvp=\"0\" cutype=\"RES\"/>\n"
            "        <alarm action=\"DISPLAY\">\n"
            "          <trigger>\n"
            "            <rel m=\"15\" neg=\"1\" related=\"START\"/>\n"
            "          </trigger>\n"
            "          <desc>Team meeting</desc>\n"
            "        </alarm>\n"
            "        <or a=\"alice@example.com\" d=\"Alice\"/>\n"
            "        <s d=\"20141101T090000\" tz=\"Europe/Berlin\"/>\n"
            "        <e d=\"20141101T100000\" tz=\"Europe/Berlin\"/>\n"
            "      </inv>\n"
            "      <tz id=\"Europe/Berlin\" stdoff=\"60\" dayoff=\"120\">\n"
            "        <standard week=\"-1\" wkday=\"1\" mon=\"10\" hour=\"3\" min=\"0\" sec=\"0\"/>\n"
            "        <daylight week=\"-1\" wkday=\"1\" mon=\"3\" hour=\"2\" min=\"0\" sec=\"0\"/>\n"
            "      </tz>\n"
            "    </m>\n"
            "  </default>\n"
            "</SetAppointmentRequest>\n");
}

TEST(SetAppointmentRequest, AllDaySendsDatesAndAnInclusiveEnd) {
  auto body = buildSetAppointmentRequest(allDayEvent(), "10");
  ASSERT_TRUE(body.ok()) << body.error().describe();
  const xml::Element request = parsed(*body);
  const xml::Element* inv = request.find("inv");
  ASSERT_NE(inv, nullptr);
  EXPECT_EQ(inv->attributeOr("allDay", ""), "1");
  EXPECT_EQ(inv->attributeOr("fb", ""), "O");  // out of office
  // A one-day event on 2014-11-01: Zimbra's end is inclusive, so s and e are both 20141101,
  // date-only (8 digits, no 'T'), with no tz attribute and no <tz> definition.
  ASSERT_NE(inv->child("s"), nullptr);
  ASSERT_NE(inv->child("e"), nullptr);
  EXPECT_EQ(inv->child("s")->attributeOr("d", ""), "20141101");
  EXPECT_EQ(inv->child("e")->attributeOr("d", ""), "20141101");
  EXPECT_EQ(inv->child("s")->attribute("tz"), nullptr);
  EXPECT_EQ(inv->child("e")->attribute("tz"), nullptr);
  EXPECT_EQ(request.find("tz"), nullptr);
  EXPECT_EQ(request.find("mp")->attributeOr("content", "missing"), "");
}

TEST(SetAppointmentRequest, MultiDayAllDayEndsOnTheLastDay) {
  // 2014-12-24 to 2014-12-26 inclusive (Outlook stores the end as 2014-12-27 00:00): e=20141226.
  model::Appointment event = allDayEvent();
  event.resolved->first_day = model::CivilDate{2014, 12, 24};
  event.resolved->last_day = model::CivilDate{2014, 12, 26};
  auto body = buildSetAppointmentRequest(event, "10");
  ASSERT_TRUE(body.ok());
  const xml::Element request = parsed(*body);
  EXPECT_EQ(request.find("s")->attributeOr("d", ""), "20141224");
  EXPECT_EQ(request.find("e")->attributeOr("d", ""), "20141226");
}

TEST(SetAppointmentRequest, ZoneWithoutDaylightSavingTime) {
  model::Appointment meeting = timedMeeting();
  meeting.resolved->zone = testing::tokyo();
  auto body = buildSetAppointmentRequest(meeting, "10");
  ASSERT_TRUE(body.ok()) << body.error().describe();
  // No DST: no <standard>/<daylight>; dayoff (required by the XSD) equals stdoff = 9 * 60.
  EXPECT_NE(body->find("<tz id=\"Asia/Tokyo\" stdoff=\"540\" dayoff=\"540\"/>"), std::string::npos) << *body;
  EXPECT_NE(body->find("<s d=\"20141101T090000\" tz=\"Asia/Tokyo\"/>"), std::string::npos);
}

TEST(SetAppointmentRequest, EnumerationsAsZimbraSpellsThem) {
  // soap-calendar.txt: fb F/B/T/O, class PUB/PRI/CON, role REQ/OPT/NON, ptst NE/AC/TE/DE.
  EXPECT_STREQ(freeBusyCode(model::BusyStatus::kFree), "F");
  EXPECT_STREQ(freeBusyCode(model::BusyStatus::kTentative), "T");
  EXPECT_STREQ(freeBusyCode(model::BusyStatus::kBusy), "B");
  EXPECT_STREQ(freeBusyCode(model::BusyStatus::kOutOfOffice), "O");
  EXPECT_STREQ(freeBusyCode(model::BusyStatus::kWorkingElsewhere), "F");
  EXPECT_STREQ(classCode(model::Sensitivity::kNormal), "PUB");
  EXPECT_STREQ(classCode(model::Sensitivity::kPersonal), "PRI");
  EXPECT_STREQ(classCode(model::Sensitivity::kPrivate), "PRI");
  EXPECT_STREQ(classCode(model::Sensitivity::kConfidential), "CON");
  EXPECT_STREQ(roleCode(model::AttendeeRole::kRequired), "REQ");
  EXPECT_STREQ(roleCode(model::AttendeeRole::kOptional), "OPT");
  EXPECT_STREQ(roleCode(model::AttendeeRole::kResource), "NON");
  EXPECT_STREQ(partStatCode(model::ResponseStatus::kNotResponded), "NE");
  EXPECT_STREQ(partStatCode(model::ResponseStatus::kAccepted), "AC");
  EXPECT_STREQ(partStatCode(model::ResponseStatus::kTentative), "TE");
  EXPECT_STREQ(partStatCode(model::ResponseStatus::kDeclined), "DE");
}

TEST(SetAppointmentRequest, DefaultPartStatIsTheAccountsOwnAnswer) {
  model::Appointment meeting = timedMeeting();
  EXPECT_STREQ(defaultPartStat(meeting, "alice@example.com"), "AC");  // organiser
  EXPECT_STREQ(defaultPartStat(meeting, "BOB@example.com"), "AC");    // accepted, any case
  meeting.attendees[0].response = model::ResponseStatus::kTentative;
  EXPECT_STREQ(defaultPartStat(meeting, "bob@example.com"), "TE");
  meeting.attendees[0].response = model::ResponseStatus::kNotResponded;
  EXPECT_STREQ(defaultPartStat(meeting, "bob@example.com"), "NE");
  meeting.is_meeting = false;
  EXPECT_STREQ(defaultPartStat(meeting, "bob@example.com"), "AC");
}

TEST(SetAppointmentRequest, PrivateFreeAndNoReminderNoOrganizer) {
  model::Appointment a = timedMeeting();
  a.sensitivity = model::Sensitivity::kConfidential;
  a.busy_status = model::BusyStatus::kFree;
  a.reminder_minutes_before.reset();
  a.organizer.reset();
  a.attendees.clear();
  a.is_meeting = false;
  a.location.clear();
  auto body = buildSetAppointmentRequest(a, "10");
  ASSERT_TRUE(body.ok());
  const xml::Element request = parsed(*body);
  const xml::Element* inv = request.find("inv");
  EXPECT_EQ(inv->attributeOr("class", ""), "CON");
  EXPECT_EQ(inv->attributeOr("fb", ""), "F");
  EXPECT_EQ(inv->attributeOr("transp", ""), "T");
  EXPECT_EQ(inv->attribute("loc"), nullptr);
  EXPECT_EQ(request.find("alarm"), nullptr);
  EXPECT_EQ(request.find("or"), nullptr);
  EXPECT_EQ(request.find("at"), nullptr);
}

TEST(SetAppointmentRequest, PeopleWithoutAnAddressAreLeftOut) {
  model::Appointment a = timedMeeting();
  a.organizer = model::Person{"Ex User", "", "EX"};
  a.attendees.push_back(model::Attendee{model::Person{"No Mail", "  ", "EX"}, model::AttendeeRole::kOptional,
                                        model::ResponseStatus::kNone});
  auto body = buildSetAppointmentRequest(a, "10");
  ASSERT_TRUE(body.ok());
  const xml::Element request = parsed(*body);
  EXPECT_EQ(request.find("or"), nullptr);
  EXPECT_EQ(request.find("inv")->childrenNamed("at").size(), 2u);
}

TEST(SetAppointmentRequest, NeverAsksForInvitationsToBeSent) {
  const xml::Element request = parsed(*buildSetAppointmentRequest(timedMeeting(), "10"));
  const xml::Element* m = request.find("m");
  ASSERT_NE(m, nullptr);
  // <m><e> would be recipients of a message; none may be present. Every rsvp is 0.
  EXPECT_TRUE(m->childrenNamed("e").empty());
  EXPECT_EQ(request.find("inv")->attributeOr("rsvp", ""), "0");
  for (const xml::Element* attendee : request.find("inv")->childrenNamed("at")) {
    EXPECT_EQ(attendee->attributeOr("rsvp", ""), "0");
  }
}

TEST(SetAppointmentRequest, HostileTextStaysText) {
  const std::string hostile = "</su><inv method=\"REQUEST\"/>&amp; <![CDATA[x]]> \"quoted\" 'single'\n\ttab \x01 end";
  // U+0001 cannot be carried by XML 1.0 and becomes U+FFFD; everything else survives.
  const std::string expected = "</su><inv method=\"REQUEST\"/>&amp; <![CDATA[x]]> \"quoted\" 'single'\n\ttab \xEF\xBF\xBD end";
  model::Appointment a = timedMeeting();
  a.subject = hostile;
  a.location = hostile;
  a.body = hostile;
  a.categories = {hostile};
  a.organizer->display_name = hostile;
  auto body = buildSetAppointmentRequest(a, "10");
  ASSERT_TRUE(body.ok());
  const xml::Element request = parsed(*body);
  const xml::Element* m = request.find("m");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->attributeOr("su", ""), expected);
  EXPECT_EQ(request.find("mp")->attributeOr("content", ""), expected);
  EXPECT_EQ(m->childrenNamed("inv").size(), 1u);
  const xml::Element* inv = m->child("inv");
  EXPECT_EQ(inv->attributeOr("name", ""), expected);
  EXPECT_EQ(inv->attributeOr("loc", ""), expected);
  EXPECT_EQ(inv->attributeOr("method", ""), "PUBLISH");
  EXPECT_EQ(inv->child("category")->text, expected);
  EXPECT_EQ(inv->child("or")->attributeOr("d", ""), expected);
  EXPECT_EQ(inv->child("alarm")->child("desc")->text, expected);
}

TEST(SetAppointmentRequest, RefusesWhatCannotBeSent) {
  model::Appointment unresolved = timedMeeting();
  unresolved.resolved.reset();
  auto a = buildSetAppointmentRequest(unresolved, "10");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, "request.invalid_item");
  // The error names the file, the item and the field.
  EXPECT_NE(a.error().context.find("/data/alice.pst"), std::string::npos);
  EXPECT_NE(a.error().context.find("2097188"), std::string::npos);
  EXPECT_NE(a.error().context.find("resolved"), std::string::npos);

  model::Appointment backwards = timedMeeting();
  backwards.resolved->end_local = testing::at(2014, 11, 1, 8, 0);
  EXPECT_FALSE(buildSetAppointmentRequest(backwards, "10").ok());

  model::Appointment bad_date = timedMeeting();
  bad_date.resolved->start_local = testing::at(2014, 2, 30, 9, 0);
  EXPECT_FALSE(buildSetAppointmentRequest(bad_date, "10").ok());

  model::Appointment bad_hour = timedMeeting();
  bad_hour.resolved->end_local = testing::at(2014, 11, 1, 24, 0);
  EXPECT_FALSE(buildSetAppointmentRequest(bad_hour, "10").ok());

  model::Appointment half_zone = timedMeeting();
  half_zone.resolved->zone.to_daylight.reset();
  auto h = buildSetAppointmentRequest(half_zone, "10");
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.error().context.find("resolved.zone"), std::string::npos);

  model::Appointment bad_rule = timedMeeting();
  bad_rule.resolved->zone.to_standard->weekday = 0;  // Zimbra counts 1 = Sunday .. 7
  EXPECT_FALSE(buildSetAppointmentRequest(bad_rule, "10").ok());

  model::Appointment no_zone_id = timedMeeting();
  no_zone_id.resolved->zone.id.clear();
  EXPECT_FALSE(buildSetAppointmentRequest(no_zone_id, "10").ok());

  model::Appointment reversed_days = allDayEvent();
  reversed_days.resolved->last_day = model::CivilDate{2014, 10, 31};
  EXPECT_FALSE(buildSetAppointmentRequest(reversed_days, "10").ok());

  model::Appointment year_zero = allDayEvent();
  year_zero.resolved->first_day = model::CivilDate{0, 1, 1};
  EXPECT_FALSE(buildSetAppointmentRequest(year_zero, "10").ok());

  EXPECT_FALSE(buildSetAppointmentRequest(timedMeeting(), "").ok());
}

TEST(ResponseReaders, ReadWhatTheServerSends) {
  // Shapes from soap-calendar.txt (SetAppointmentResponse, GetAppointmentResponse) and
  // zimbraMail.xsd (createFolderResponse holds a <folder id l ...>).
  auto token = readAuthToken(parsed("<AuthResponse xmlns=\"urn:zimbraAdmin\"><authToken> 0_tok </authToken>"
                                    "<lifetime>1</lifetime></AuthResponse>"));
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(*token, "0_tok");
  EXPECT_FALSE(readAuthToken(parsed("<AuthResponse xmlns=\"urn:zimbraAdmin\"/>")).ok());

  auto folder = readCreatedFolder(parsed("<CreateFolderResponse xmlns=\"urn:zimbraMail\">"
                                         "<folder id=\"257\" uuid=\"u\" name=\"Cal\" l=\"1\" view=\"appointment\"/></CreateFolderResponse>"));
  ASSERT_TRUE(folder.ok());
  EXPECT_EQ(*folder, (ItemRef{"257", "1", "", std::nullopt}));
  EXPECT_FALSE(readCreatedFolder(parsed("<CreateFolderResponse xmlns=\"urn:zimbraMail\"/>")).ok());

  auto found = readFoundAppointment(parsed("<GetAppointmentResponse xmlns=\"urn:zimbraMail\">"
                                           "<appt uid=\"x\" id=\"300\" l=\"10\"><inv id=\"301\"/></appt></GetAppointmentResponse>"));
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, (ItemRef{"300", "10", "301", std::nullopt}));
  // The stored invite's subject, all-day flag and times come back too, so a caller can tell
  // whether the copy on the target still matches the source (soap-calendar.txt's <comp> shape).
  auto with_component = readFoundAppointment(parsed(
      "<GetAppointmentResponse xmlns=\"urn:zimbraMail\"><appt uid=\"x\" id=\"300\" l=\"10\"><inv id=\"301\">"
      "<comp name=\"Team\" allDay=\"0\"><s d=\"20141101T090000\" tz=\"Europe/Berlin\"/>"
      "<e d=\"20141101T100000\" tz=\"Europe/Berlin\"/></comp></inv></appt></GetAppointmentResponse>"));
  ASSERT_TRUE(with_component.ok());
  ASSERT_TRUE(with_component->has_value());
  EXPECT_EQ((**with_component).stored,
            (StoredAppointment{"Team", false, "20141101T090000", "Europe/Berlin", "20141101T100000"}));
  auto none = readFoundAppointment(parsed("<GetAppointmentResponse xmlns=\"urn:zimbraMail\"/>"));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  auto set = readSetAppointment(parsed("<SetAppointmentResponse xmlns=\"urn:zimbraMail\" calItemId=\"320\">"
                                       "<default id=\"321\"/></SetAppointmentResponse>"),
                                "10");
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(*set, (ItemRef{"320", "10", "321", std::nullopt}));
  auto old_server = readSetAppointment(parsed("<SetAppointmentResponse xmlns=\"urn:zimbraMail\" apptId=\"5\"/>"), "10");
  ASSERT_TRUE(old_server.ok());
  EXPECT_EQ(old_server->id, "5");
  EXPECT_FALSE(readSetAppointment(parsed("<SetAppointmentResponse xmlns=\"urn:zimbraMail\"/>"), "10").ok());
  EXPECT_FALSE(readSetAppointment(parsed("<GetAppointmentResponse xmlns=\"urn:zimbraMail\"/>"), "10").ok());
}

}  // namespace
}  // namespace m2z::zimbra
