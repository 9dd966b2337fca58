#include "readers/ics/ics_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "normalize/normalizer.h"
#include "recording_sink.h"

namespace m2z::readers::ics {
namespace {

using model::CivilDate;
using model::LocalDateTime;
using testing::RecordingSink;

// Joins lines with CRLF, as RFC 5545 writes them.
std::string calendar(std::initializer_list<const char*> lines) {
  std::string text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n";
  for (const char* line : lines) text += std::string(line) + "\r\n";
  return text + "END:VCALENDAR\r\n";
}

// Berlin as Outlook 2016 exports it ("W. Europe Standard Time", DTSTART 1601).
#define BERLIN_VTIMEZONE                                                                                  \
  "BEGIN:VTIMEZONE", "TZID:W. Europe Standard Time", "BEGIN:STANDARD", "DTSTART:16011028T030000",         \
      "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD", \
      "BEGIN:DAYLIGHT", "DTSTART:16010325T020000", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",              \
      "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "END:DAYLIGHT", "END:VTIMEZONE"

RecordingSink read(const std::string& text, ReadSummary* summary = nullptr, const ReadOptions& options = {}) {
  RecordingSink sink;
  auto result = readCalendarText(text, "test.ics", sink, options);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().describe());
  if (result.ok() && summary != nullptr) *summary = *result;
  return sink;
}

std::string iso(model::Instant instant) { return model::toIsoString(instant); }

TEST(IcsReader, ZonedMeetingWithPeopleAlarmAndStatus) {
  ReadSummary summary;
  auto sink = read(calendar({BERLIN_VTIMEZONE, "BEGIN:VEVENT", "UID:abc-1", "SUMMARY:Planning",
                             "LOCATION:Room 1", "DESCRIPTION:Line one\\nLine two",
                             "DTSTART;TZID=W. Europe Standard Time:20140701T100000",
                             "DTEND;TZID=W. Europe Standard Time:20140701T113000", "CLASS:PRIVATE",
                             "CATEGORIES:Blue,Green", "X-MICROSOFT-CDO-BUSYSTATUS:OOF",
                             "ORGANIZER;CN=Anna Boss:mailto:anna@example.com",
                             "ATTENDEE;CN=Bob;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:bob@example.com",
                             "ATTENDEE;CN=Carl;ROLE=OPT-PARTICIPANT;PARTSTAT=DECLINED:MAILTO:carl@example.com",
                             "ATTENDEE;CUTYPE=RESOURCE;CN=Beamer:mailto:beamer@example.com",
                             "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-PT15M", "END:VALARM", "END:VEVENT"}),
                   &summary);
  ASSERT_EQ(sink.appointments.size(), 1u);
  const auto& item = sink.appointments[0];
  EXPECT_EQ(summary.events_seen, 1);
  EXPECT_EQ(summary.appointments, 1);
  EXPECT_EQ(item.uid, "abc-1");
  EXPECT_EQ(item.subject, "Planning");
  EXPECT_EQ(item.location, "Room 1");
  EXPECT_EQ(item.body, "Line one\nLine two");
  // 10:00 CEST (UTC+2) on 1 July 2014 is 08:00Z.
  EXPECT_EQ(iso(item.start), "2014-07-01T08:00:00Z");
  EXPECT_EQ(iso(item.end), "2014-07-01T09:30:00Z");
  ASSERT_TRUE(item.start_zone.has_value());
  EXPECT_EQ(item.start_zone->key_name, "W. Europe Standard Time");
  ASSERT_EQ(item.start_zone->rules.size(), 1u);
  EXPECT_EQ(item.start_zone->rules[0].bias, -60);
  EXPECT_EQ(item.start_zone->rules[0].daylight_bias, -60);
  EXPECT_EQ(item.start_zone->rules[0].standard_date, (model::TransitionDate{10, 5, 0, 3, 0, 0}));
  EXPECT_EQ(item.start_zone->rules[0].daylight_date, (model::TransitionDate{3, 5, 0, 2, 0, 0}));
  EXPECT_EQ(item.sensitivity, model::Sensitivity::kPrivate);
  EXPECT_EQ(item.categories, (std::vector<std::string>{"Blue", "Green"}));
  EXPECT_EQ(item.busy_status, model::BusyStatus::kOutOfOffice);
  ASSERT_TRUE(item.organizer.has_value());
  EXPECT_EQ(item.organizer->display_name, "Anna Boss");
  EXPECT_EQ(item.organizer->email, "anna@example.com");
  ASSERT_EQ(item.attendees.size(), 3u);
  EXPECT_EQ(item.attendees[0].person.email, "bob@example.com");
  EXPECT_EQ(item.attendees[0].role, model::AttendeeRole::kRequired);
  EXPECT_EQ(item.attendees[0].response, model::ResponseStatus::kAccepted);
  EXPECT_EQ(item.attendees[1].person.email, "carl@example.com");
  EXPECT_EQ(item.attendees[1].role, model::AttendeeRole::kOptional);
  EXPECT_EQ(item.attendees[1].response, model::ResponseStatus::kDeclined);
  EXPECT_EQ(item.attendees[2].role, model::AttendeeRole::kResource);
  EXPECT_TRUE(item.is_meeting);
  EXPECT_EQ(item.reminder_minutes_before, 15);

  // The normalizer names the zone by its IANA id and gives back the wall times of the file.
  auto copy = item;
  std::vector<model::Finding> findings;
  normalize::normalizeAppointment(copy, findings);
  ASSERT_TRUE(copy.resolved.has_value());
  EXPECT_EQ(copy.resolved->zone.id, "Europe/Berlin");
  EXPECT_EQ(copy.resolved->start_local, (LocalDateTime{{2014, 7, 1}, 10, 0, 0}));
  EXPECT_EQ(copy.resolved->end_local, (LocalDateTime{{2014, 7, 1}, 11, 30, 0}));
}

TEST(IcsReader, FloatingTimeIsReportedAndReadAsUtcByDefault) {
  auto sink = read(calendar({"BEGIN:VEVENT", "UID:f", "DTSTART:20140701T100000", "DTEND:20140701T110000",
                             "END:VEVENT"}));
  ASSERT_EQ(sink.appointments.size(), 1u);
  EXPECT_EQ(iso(sink.appointments[0].start), "2014-07-01T10:00:00Z");
  EXPECT_FALSE(sink.appointments[0].start_zone.has_value());
  EXPECT_EQ(sink.count("time.floating"), 2);  // DTSTART and DTEND
}

TEST(IcsReader, FloatingTimeInTheChosenZone) {
  // Read the zone from a calendar, then use it for floating times of another.
  auto zone_sink = read(calendar({BERLIN_VTIMEZONE, "BEGIN:VEVENT", "UID:z",
                                  "DTSTART;TZID=W. Europe Standard Time:20140101T100000", "END:VEVENT"}));
  ReadOptions options;
  options.floating_zone = zone_sink.appointments.at(0).start_zone;
  auto sink = read(calendar({"BEGIN:VEVENT", "UID:f", "DTSTART:20140701T100000", "END:VEVENT"}), nullptr, options);
  ASSERT_EQ(sink.appointments.size(), 1u);
  EXPECT_EQ(iso(sink.appointments[0].start), "2014-07-01T08:00:00Z");  // 10:00 CEST
  ASSERT_TRUE(sink.appointments[0].start_zone.has_value());
}

TEST(IcsReader, UtcTimesStayUtc) {
  auto sink = read(calendar({"BEGIN:VEVENT", "UID:u", "DTSTART:20140701T100000Z", "DURATION:PT45M", "END:VEVENT"}));
  ASSERT_EQ(sink.appointments.size(), 1u);
  EXPECT_EQ(iso(sink.appointments[0].start), "2014-07-01T10:00:00Z");
  EXPECT_EQ(iso(sink.appointments[0].end), "2014-07-01T10:45:00Z");
  EXPECT_EQ(sink.count("time.floating"), 0);
}

TEST(IcsReader, FloatingAllDayDateDoesNotShiftThroughTheNormalizer) {
  // An all-day date is a civil date: 1 January stays 1 January whatever the zones involved.
  auto sink = read(calendar({"BEGIN:VEVENT", "UID:d", "DTSTART;VALUE=DATE:20080101", "DTEND;VALUE=DATE:20080102",
                             "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE", "END:VEVENT"}));
  ASSERT_EQ(sink.appointments.size(), 1u);
  auto item = sink.appointments[0];
  EXPECT_TRUE(item.all_day);
  std::vector<model::Finding> findings;
  normalize::normalizeAppointment(item, findings);
  EXPECT_EQ(item.resolved->first_day, (CivilDate{2008, 1, 1}));
  EXPECT_EQ(item.resolved->last_day, (CivilDate{2008, 1, 1}));
}

TEST(IcsReader, AllDayInAZoneIsLocalMidnight) {
  // Outlook's CDO all-day flag on zoned midnights: 2014-11-01 00:00 CET is 2014-10-31T23:00Z.
  auto sink = read(calendar({BERLIN_VTIMEZONE, "BEGIN:VEVENT", "UID:a",
                             "DTSTART;TZID=W. Europe Standard Time:20141101T000000",
                             "DTEND;TZID=W. Europe Standard Time:20141103T000000",
                             "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE", "END:VEVENT"}));
  ASSERT_EQ(sink.appointments.size(), 1u);
  auto item = sink.appointments[0];
  EXPECT_TRUE(item.all_day);
  EXPECT_EQ(iso(item.start), "2014-10-31T23:00:00Z");
  std::vector<model::Finding> findings;
  normalize::normalizeAppointment(item, findings);
  EXPECT_EQ(item.resolved->first_day, (CivilDate{2014, 11, 1}));
  EXPECT_EQ(item.resolved->last_day, (CivilDate{2014, 11, 2}));
}

TEST(IcsReader, WeeklySeriesWithExdateAndOverride) {
  ReadSummary summary;
  auto sink = read(calendar({BERLIN_VTIMEZONE, "BEGIN:VEVENT", "UID:series", "SUMMARY:Jour fixe",
                             "DTSTART;TZID=W. Europe Standard Time:20140303T090000",
                             "DTEND;TZID=W. Europe Standard Time:20140303T100000",
                             "RRULE:FREQ=WEEKLY;UNTIL=20140428T070000Z;BYDAY=MO,WE;WKST=MO",
                             "EXDATE;TZID=W. Europe Standard Time:20140310T090000", "END:VEVENT",
                             // The override comes first in some exports; it must still join its series.
                             "BEGIN:VEVENT", "UID:series", "SUMMARY:Jour fixe (moved)",
                             "RECURRENCE-ID:20140402T070000Z",
                             "DTSTART;TZID=W. Europe Standard Time:20140403T140000",
                             "DTEND;TZID=W. Europe Standard Time:20140403T150000", "END:VEVENT"}),
                   &summary);
  EXPECT_EQ(summary.events_seen, 2);
  EXPECT_EQ(summary.appointments, 1);
  EXPECT_EQ(summary.overrides_merged, 1);
  ASSERT_EQ(sink.appointments.size(), 1u);
  const auto& item = sink.appointments[0];
  EXPECT_TRUE(item.is_recurring);
  ASSERT_TRUE(item.recurrence.has_value());
  const auto& r = *item.recurrence;
  EXPECT_EQ(r.pattern, model::RecurrencePattern::kWeekly);
  EXPECT_EQ(r.weekdays, (std::vector<model::Weekday>{model::Weekday::kMonday, model::Weekday::kWednesday}));
  EXPECT_EQ(r.first_day_of_week, model::Weekday::kMonday);
  EXPECT_EQ(r.start_date, (CivilDate{2014, 3, 3}));
  EXPECT_EQ(r.start_minute, 9 * 60);
  EXPECT_EQ(r.end_minute, 10 * 60);
  EXPECT_EQ(r.end, model::RecurrenceEnd::kByDate);
  EXPECT_EQ(r.end_date, (CivilDate{2014, 4, 28}));  // 07:00Z is 09:00 CEST on 28 April
  // Deleted: 10 March (EXDATE); modified: 2 April (07:00Z = 09:00 CEST, the instance it replaces).
  EXPECT_EQ(r.deleted_dates, (std::vector<CivilDate>{{2014, 3, 10}, {2014, 4, 2}}));
  ASSERT_EQ(r.exceptions.size(), 1u);
  EXPECT_EQ(r.exceptions[0].original_start, (LocalDateTime{{2014, 4, 2}, 9, 0, 0}));
  EXPECT_EQ(r.exceptions[0].start, (LocalDateTime{{2014, 4, 3}, 14, 0, 0}));
  EXPECT_EQ(r.exceptions[0].end, (LocalDateTime{{2014, 4, 3}, 15, 0, 0}));
  EXPECT_EQ(r.exceptions[0].subject, std::optional<std::string>("Jour fixe (moved)"));
  EXPECT_FALSE(r.exceptions[0].location.has_value());  // same as the series
}

TEST(IcsReader, MonthlyAndYearlyPatterns) {
  auto sink = read(calendar({"BEGIN:VEVENT", "UID:m1", "DTSTART:20140110T100000Z", "RRULE:FREQ=MONTHLY;COUNT=5",
                             "END:VEVENT", "BEGIN:VEVENT", "UID:m2", "DTSTART:20140114T100000Z",
                             "RRULE:FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2;INTERVAL=2", "END:VEVENT", "BEGIN:VEVENT",
                             "UID:y1", "DTSTART:20140131T100000Z", "RRULE:FREQ=YEARLY;BYMONTH=1;BYDAY=-1FR",
                             "END:VEVENT", "BEGIN:VEVENT", "UID:d1", "DTSTART:20140106T100000Z",
                             "RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", "END:VEVENT", "BEGIN:VEVENT", "UID:h",
                             "DTSTART:20140106T100000Z", "RRULE:FREQ=HOURLY;COUNT=3", "END:VEVENT"}));
  ASSERT_EQ(sink.appointments.size(), 5u);
  const auto& m1 = *sink.appointments[0].recurrence;
  EXPECT_EQ(m1.pattern, model::RecurrencePattern::kMonthlyByDay);
  EXPECT_EQ(m1.day_of_month, 10);
  EXPECT_EQ(m1.end, model::RecurrenceEnd::kAfterCount);
  EXPECT_EQ(m1.count, 5);
  const auto& m2 = *sink.appointments[1].recurrence;
  EXPECT_EQ(m2.pattern, model::RecurrencePattern::kMonthlyNth);
  EXPECT_EQ(m2.week_of_month, 2);
  EXPECT_EQ(m2.interval, 2);
  EXPECT_EQ(m2.weekdays, (std::vector<model::Weekday>{model::Weekday::kTuesday}));
  const auto& y1 = *sink.appointments[2].recurrence;
  EXPECT_EQ(y1.pattern, model::RecurrencePattern::kYearlyNth);
  EXPECT_EQ(y1.month, 1);
  EXPECT_EQ(y1.week_of_month, -1);
  const auto& d1 = *sink.appointments[3].recurrence;
  EXPECT_EQ(d1.pattern, model::RecurrencePattern::kDaily);
  EXPECT_TRUE(d1.every_weekday);
  // Hourly has no Outlook equivalent: carried as one item with a finding.
  EXPECT_TRUE(sink.appointments[4].is_recurring);
  EXPECT_FALSE(sink.appointments[4].recurrence.has_value());
  EXPECT_EQ(sink.count("recurrence.not_converted"), 1);
}

TEST(IcsReader, EveryComponentIsAccountedFor) {
  ReadSummary summary;
  auto sink = read(calendar({"BEGIN:VJOURNAL", "UID:j", "SUMMARY:Note", "END:VJOURNAL", "BEGIN:VTODO", "UID:t",
                             "SUMMARY:Task", "END:VTODO", "BEGIN:VEVENT", "UID:nostart",
                             "SUMMARY:No start", "END:VEVENT", "BEGIN:VEVENT", "UID:orphan",
                             "RECURRENCE-ID:20140101T100000Z", "DTSTART:20140102T100000Z", "END:VEVENT",
                             "BEGIN:VEVENT", "UID:att", "DTSTART:20140102T100000Z",
                             "ATTACH:http://example.com/a.pdf", "END:VEVENT"}),
                   &summary);
  EXPECT_EQ(summary.events_seen, 3);
  EXPECT_EQ(summary.other_components, 1);
  EXPECT_EQ(summary.tasks, 1);
  EXPECT_EQ(summary.skipped, 2);  // the VJOURNAL and the event without DTSTART
  EXPECT_EQ(summary.appointments, 2);
  EXPECT_EQ(sink.tasks.size(), 1u);
  EXPECT_EQ(sink.count("item.kind_not_supported_yet"), 1);
  EXPECT_EQ(sink.count("item.no_start"), 1);
  EXPECT_EQ(sink.count("recurrence.override_without_series"), 1);
  EXPECT_EQ(sink.count("attachment.url_not_fetched"), 1);
  EXPECT_EQ(sink.skippedItems(), 2);
}

TEST(IcsReader, OverrideOfAmbiguousSeriesStandsAlone) {
  // Two VEVENTs claim UID "dup" without RECURRENCE-ID: the override cannot be placed in either.
  ReadSummary summary;
  auto sink = read(calendar({"BEGIN:VEVENT", "UID:dup", "DTSTART:20140102T100000Z", "RRULE:FREQ=DAILY;COUNT=3",
                             "END:VEVENT", "BEGIN:VEVENT", "UID:dup", "DTSTART:20140102T100000Z", "END:VEVENT",
                             "BEGIN:VEVENT", "UID:dup", "RECURRENCE-ID:20140103T100000Z",
                             "DTSTART:20140103T120000Z", "END:VEVENT"}),
                   &summary);
  EXPECT_EQ(summary.events_seen, 3);
  EXPECT_EQ(summary.appointments, 3);
  EXPECT_EQ(summary.overrides_merged, 0);
  EXPECT_EQ(sink.count("recurrence.override_without_series"), 1);
}

TEST(IcsReader, LibicalErrorsBecomeFindings) {
  // An empty CLASS makes libical add X-LIC-ERROR (as in ical4j's tmeher.ics).
  auto sink = read(calendar({"BEGIN:VEVENT", "UID:e", "DTSTART:20140102T100000Z", "CLASS:", "END:VEVENT"}));
  EXPECT_EQ(sink.appointments.size(), 1u);
  EXPECT_EQ(sink.count("ics.parse_error"), 1);
}

TEST(IcsReader, RefusesWhatIsNotICalendar) {
  RecordingSink sink;
  auto result = readCalendarText("BEGIN:VCARD\r\nEND:VCARD\r\n", "card.vcf", sink);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "ics.not_icalendar");
  EXPECT_EQ(result.error().context, "card.vcf");
  auto missing = readCalendarFile("/nonexistent/file.ics", sink);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().context, "/nonexistent/file.ics");
}

TEST(IcsReader, TruncatedAndGarbageInputDoesNotCrash) {
  const std::string full = calendar({BERLIN_VTIMEZONE, "BEGIN:VEVENT", "UID:x",
                                     "DTSTART;TZID=W. Europe Standard Time:20140303T090000",
                                     "RRULE:FREQ=WEEKLY;BYDAY=MO", "END:VEVENT"});
  for (std::size_t length = 15; length < full.size(); length += 7) {
    RecordingSink sink;
    (void)readCalendarText(full.substr(0, length), "cut.ics", sink);
  }
  RecordingSink sink;
  (void)readCalendarText("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:99999999T999999\nRRULE:FREQ=;;;\nEND:VEVENT\n",
                         "bad.ics", sink);
  EXPECT_EQ(sink.appointments.size(), 0u);
}

}  // namespace
}  // namespace m2z::readers::ics
