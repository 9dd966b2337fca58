// The iCalendar files of ../shared/testdata/ics read whole. Expected counts: BEGIN:VEVENT and
// RECURRENCE-ID lines counted with Python's stdlib on the unfolded text (they agree with the
// MANIFEST's libical counts); field values read from the file text by eye, as quoted per test.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "normalize/normalizer.h"
#include "readers/ics/ics_reader.h"
#include "recording_sink.h"

namespace m2z::readers::ics {
namespace {

using model::CivilDate;
using model::LocalDateTime;
using testing::RecordingSink;

std::string shared(const std::string& name) { return std::string(M2Z_SHARED_DIR) + "/testdata/ics/" + name; }

struct FileCase {
  const char* name;
  int events;     // BEGIN:VEVENT
  int overrides;  // RECURRENCE-ID
};

class IcsRealFile : public ::testing::TestWithParam<FileCase> {};

TEST_P(IcsRealFile, EveryEventIsAccountedForAndNormalizes) {
  const FileCase& file = GetParam();
  RecordingSink sink;
  auto result = readCalendarFile(shared(file.name), sink);
  ASSERT_TRUE(result.ok()) << result.error().describe();
  EXPECT_EQ(result->events_seen, file.events);
  EXPECT_EQ(result->other_components, 0);
  // Each VEVENT is a converted item, an exception merged into its series, or a skipped item.
  EXPECT_EQ(result->appointments + result->overrides_merged + result->skipped, file.events);
  EXPECT_EQ(static_cast<int>(sink.appointments.size()), result->appointments);
  EXPECT_EQ(sink.skippedItems(), result->skipped);
  EXPECT_LE(result->overrides_merged, file.overrides);
  normalize::Normalizer normalizer;
  for (auto& item : sink.appointments) {
    std::vector<model::Finding> findings;
    normalizer.normalize(item, findings);
    EXPECT_TRUE(item.resolved.has_value()) << item.provenance.describe();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Files, IcsRealFile,
    ::testing::Values(FileCase{"aspose-java__appointment.ics", 1, 0}, FileCase{"biweekly__issue115-1.ics", 1, 0},
                      FileCase{"biweekly__issue85.ics", 1, 0}, FileCase{"biweekly__outlook-2010.ics", 1, 0},
                      FileCase{"ical4j__Standup.ics", 1, 0}, FileCase{"ical4j__TZ-no-description.txt", 12, 1},
                      FileCase{"ical4j__outlook2.txt", 86, 28}, FileCase{"ical4j__timezones_outlook2.txt", 1, 0},
                      FileCase{"ical4j__tmeher.ics", 1, 0}, FileCase{"icalendar__issue_165_missing_event.ics", 1, 0},
                      FileCase{"icalendar__timezone_same_start.ics", 1, 0}, FileCase{"icalnet__Bug2959692.ics", 1, 0},
                      FileCase{"recurring-ical-events__Germany.ics", 159, 0},
                      FileCase{"recurring-ical-events__issue_27_t1.ics", 1, 0},
                      FileCase{"zimbra-soap-harness__bug48147.ics", 1, 0},
                      FileCase{"zimbra-soap-harness__bug48182.ics", 1, 0},
                      FileCase{"zimbra-soap-harness__bug9203_calendar.ics", 125, 5},
                      FileCase{"zimbra-soap-harness__webmail-widas-de.ics", 1, 0}),
    [](const ::testing::TestParamInfo<FileCase>& param_info) {
      std::string name = param_info.param.name;
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

RecordingSink readShared(const std::string& name, ReadSummary* summary = nullptr) {
  RecordingSink sink;
  auto result = readCalendarFile(shared(name), sink);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().describe());
  if (result.ok() && summary != nullptr) *summary = *result;
  return sink;
}

std::string fileText(const std::string& name) {
  std::ifstream in(shared(name), std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  // Unfold (RFC 5545 3.1) and drop CRs, so lines can be matched as written.
  std::string text = std::regex_replace(buffer.str(), std::regex("\r"), "");
  return std::regex_replace(text, std::regex("\n[ \t]"), "");
}

std::string iso(model::Instant instant) { return model::toIsoString(instant); }

TEST(IcsRealData, WindowsLiveRecurringMeeting) {
  // ical4j__timezones_outlook2.txt: DTSTART;TZID=Pacific Standard Time:20140221T150000, PST is
  // UTC-8 until 9 March 2014, so 23:00Z; DTEND 16:00 PST. RRULE WEEKLY COUNT=99 BYDAY=MO..FR WKST=SU,
  // EXDATE on the first instance, BUSYSTATUS TENTATIVE, two NEEDS-ACTION attendees.
  auto sink = readShared("ical4j__timezones_outlook2.txt");
  ASSERT_EQ(sink.appointments.size(), 1u);
  const auto& item = sink.appointments[0];
  EXPECT_EQ(item.uid, "181547ec-4781-453c-a50f-2064f46fa118");
  EXPECT_EQ(item.subject, "Rec from outlook");
  EXPECT_EQ(item.location, "\xC3\xA4\xC3\xB6\xC3\xBC\xC3\x9F_<>;\xE2\x80\x9E\xE2\x80\x99\xE2\x80\x99");  // äöüß_<>;„’’
  EXPECT_EQ(iso(item.start), "2014-02-21T23:00:00Z");
  EXPECT_EQ(iso(item.end), "2014-02-22T00:00:00Z");
  EXPECT_EQ(item.busy_status, model::BusyStatus::kTentative);
  EXPECT_EQ(item.sensitivity, model::Sensitivity::kNormal);
  ASSERT_TRUE(item.start_zone.has_value());
  EXPECT_EQ(item.start_zone->key_name, "Pacific Standard Time");
  ASSERT_EQ(item.start_zone->rules.size(), 1u);
  EXPECT_EQ(item.start_zone->rules[0].bias, 480);
  EXPECT_EQ(item.start_zone->rules[0].daylight_bias, -60);
  EXPECT_EQ(item.start_zone->rules[0].standard_date, (model::TransitionDate{11, 1, 0, 2, 0, 0}));
  EXPECT_EQ(item.start_zone->rules[0].daylight_date, (model::TransitionDate{3, 2, 0, 2, 0, 0}));
  ASSERT_TRUE(item.organizer.has_value());
  EXPECT_EQ(item.organizer->display_name, "Begenda T");
  EXPECT_EQ(item.organizer->email, "begendatest01@outlook.com");
  ASSERT_EQ(item.attendees.size(), 2u);
  EXPECT_EQ(item.attendees[0].person.email, "roxana.dragavei@web.de");
  EXPECT_EQ(item.attendees[0].response, model::ResponseStatus::kNotResponded);
  ASSERT_TRUE(item.recurrence.has_value());
  const auto& r = *item.recurrence;
  EXPECT_EQ(r.pattern, model::RecurrencePattern::kWeekly);
  EXPECT_EQ(r.weekdays.size(), 5u);
  EXPECT_EQ(r.end, model::RecurrenceEnd::kAfterCount);
  EXPECT_EQ(r.count, 99);
  EXPECT_EQ(r.first_day_of_week, model::Weekday::kSunday);
  EXPECT_EQ(r.start_minute, 15 * 60);
  EXPECT_EQ(r.end_minute, 16 * 60);
  EXPECT_EQ(r.deleted_dates, (std::vector<CivilDate>{{2014, 2, 21}}));
  // Through the normalizer the wall time is the file's again.
  auto copy = item;
  std::vector<model::Finding> findings;
  normalize::normalizeAppointment(copy, findings);
  EXPECT_EQ(copy.resolved->start_local, (LocalDateTime{{2014, 2, 21}, 15, 0, 0}));
}

TEST(IcsRealData, OutlookCalendarWithOverrides) {
  // ical4j__outlook2.txt: 86 VEVENTs, 28 of them with a RECURRENCE-ID, all of whose series are in
  // the file. The first series: weekly on Fridays from 2012-12-07 16:00 "(UTC+02:00) Athens,
  // Bucharest, Istanbul" (EET, UTC+2), overridden on RECURRENCE-ID:20130322T140000Z (= 16:00 EET)
  // by an instance 14:00Z-16:00Z.
  ReadSummary summary;
  auto sink = readShared("ical4j__outlook2.txt", &summary);
  EXPECT_EQ(summary.events_seen, 86);
  EXPECT_EQ(summary.overrides_merged, 28);
  EXPECT_EQ(summary.appointments, 58);
  EXPECT_EQ(sink.count("recurrence.override_without_series"), 0);
  const auto& series = sink.appointments.at(0);
  EXPECT_EQ(series.uid.size(), 112u);
  ASSERT_TRUE(series.start_zone.has_value());
  EXPECT_EQ(series.start_zone->key_name, "(UTC+02:00) Athens, Bucharest, Istanbul");
  EXPECT_EQ(iso(series.start), "2012-12-07T14:00:00Z");
  ASSERT_TRUE(series.recurrence.has_value());
  EXPECT_EQ(series.recurrence->pattern, model::RecurrencePattern::kWeekly);
  EXPECT_EQ(series.recurrence->weekdays, (std::vector<model::Weekday>{model::Weekday::kFriday}));
  const auto& deleted = series.recurrence->deleted_dates;
  EXPECT_NE(std::find(deleted.begin(), deleted.end(), CivilDate{2013, 1, 18}), deleted.end());  // EXDATE
  EXPECT_NE(std::find(deleted.begin(), deleted.end(), CivilDate{2013, 3, 22}), deleted.end());  // override
  const model::AppointmentException* moved = nullptr;
  for (const auto& exception : series.recurrence->exceptions) {
    if (exception.original_start == LocalDateTime{{2013, 3, 22}, 16, 0, 0}) moved = &exception;
  }
  ASSERT_NE(moved, nullptr);
  EXPECT_EQ(moved->start, (LocalDateTime{{2013, 3, 22}, 16, 0, 0}));
  EXPECT_EQ(moved->end, (LocalDateTime{{2013, 3, 22}, 18, 0, 0}));
  // The series is BUSYSTATUS:FREE too and both have a VALARM with TRIGGER:-PT30M, so the
  // exception keeps the series' values.
  EXPECT_EQ(series.busy_status, model::BusyStatus::kFree);
  EXPECT_FALSE(moved->busy_status.has_value());
  EXPECT_EQ(series.reminder_minutes_before, 30);
  EXPECT_FALSE(moved->reminder_set.has_value());
}

TEST(IcsRealData, GermanHolidaysKeepTheirDays) {
  // recurring-ical-events__Germany.ics: 159 all-day events with DTSTART;VALUE=DATE, no VTIMEZONE.
  // The expected days are the file's own DTSTART/DTEND dates (DTEND exclusive), read with a regex.
  ReadSummary summary;
  auto sink = readShared("recurring-ical-events__Germany.ics", &summary);
  ASSERT_EQ(summary.events_seen, 159);
  ASSERT_EQ(sink.appointments.size(), 159u);
  const std::string text = fileText("recurring-ical-events__Germany.ics");
  const std::regex pair("DTSTART;VALUE=DATE:(\\d{4})(\\d{2})(\\d{2})\nDTEND;VALUE=DATE:(\\d{4})(\\d{2})(\\d{2})");
  std::vector<std::pair<CivilDate, CivilDate>> expected;
  for (std::sregex_iterator it(text.begin(), text.end(), pair), end; it != end; ++it) {
    const auto& m = *it;
    expected.push_back({CivilDate{std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3])},
                        CivilDate{std::stoi(m[4]), std::stoi(m[5]), std::stoi(m[6])}.plusDays(-1)});
  }
  ASSERT_EQ(expected.size(), 159u);
  normalize::Normalizer normalizer;
  for (std::size_t i = 0; i < sink.appointments.size(); ++i) {
    auto item = sink.appointments[i];
    EXPECT_TRUE(item.all_day);
    std::vector<model::Finding> findings;
    normalizer.normalize(item, findings);
    ASSERT_TRUE(item.resolved.has_value());
    EXPECT_EQ(item.resolved->first_day, expected[i].first) << i;
    EXPECT_EQ(item.resolved->last_day, expected[i].second) << i;
  }
  EXPECT_EQ(sink.appointments[0].subject, "Germany: New Years Day");
  EXPECT_EQ(sink.appointments[0].uid, "7");
}

TEST(IcsRealData, ZimbraCalendarAccountsForEveryEvent) {
  // zimbra-soap-harness__bug9203_calendar.ics: 125 VEVENTs, 5 RECURRENCE-IDs. Two join their series;
  // VEVENTs 121-123 share a UID (...F040D280DE40C901...) that no VEVENT without RECURRENCE-ID has.
  // Nine empty "DESCRIPTION:" lines make libical add X-LIC-ERROR (as the MANIFEST counts).
  ReadSummary summary;
  auto sink = readShared("zimbra-soap-harness__bug9203_calendar.ics", &summary);
  EXPECT_EQ(summary.events_seen, 125);
  EXPECT_EQ(summary.overrides_merged, 2);
  EXPECT_EQ(summary.appointments, 123);
  EXPECT_EQ(summary.skipped, 0);
  EXPECT_EQ(sink.count("recurrence.override_without_series"), 3);
  EXPECT_EQ(sink.count("ics.parse_error"), 9);
}

TEST(IcsRealData, LongUidIsKeptVerbatim) {
  // biweekly__outlook-2010.ics: a 112-character UID (hex of a global object id), folded over lines.
  auto sink = readShared("biweekly__outlook-2010.ics");
  ASSERT_EQ(sink.appointments.size(), 1u);
  std::smatch uid;
  const std::string text = fileText("biweekly__outlook-2010.ics");
  ASSERT_TRUE(std::regex_search(text, uid, std::regex("\nUID:([^\n]*)")));
  EXPECT_EQ(sink.appointments[0].uid, uid[1].str());
  EXPECT_EQ(sink.appointments[0].uid.size(), 112u);
  EXPECT_EQ(sink.appointments[0].uid_origin, model::UidOrigin::kExternalUid);
}

TEST(IcsRealData, ExchangeCdoRequestWithEmptyClass) {
  // ical4j__tmeher.ics: TZID "Pacific Time (US & Canada)\, Tijuana" with the pre-2007 US rules
  // (1st Sunday of April to last Sunday of October); DTSTART 2004-10-11 22:30 PDT (UTC-7) is
  // 2004-10-12T05:30Z; TRIGGER -PT00H15M00S; "CLASS:" is empty (libical: X-LIC-ERROR).
  auto sink = readShared("ical4j__tmeher.ics");
  ASSERT_EQ(sink.appointments.size(), 1u);
  const auto& item = sink.appointments[0];
  EXPECT_EQ(iso(item.start), "2004-10-12T05:30:00Z");
  EXPECT_EQ(iso(item.end), "2004-10-12T07:00:00Z");  // DTEND 2004-10-12 00:00 PDT
  EXPECT_EQ(item.reminder_minutes_before, 15);
  ASSERT_TRUE(item.start_zone.has_value());
  EXPECT_EQ(item.start_zone->key_name, "Pacific Time (US & Canada), Tijuana");
  EXPECT_EQ(item.start_zone->rules.at(0).daylight_date, (model::TransitionDate{4, 1, 0, 2, 0, 0}));
  EXPECT_EQ(item.start_zone->rules.at(0).standard_date, (model::TransitionDate{10, 5, 0, 2, 0, 0}));
  EXPECT_EQ(item.body, "How about this description?\n\n--meher\n");
  EXPECT_EQ(sink.count("ics.parse_error"), 1);
}

TEST(IcsRealData, IanaTzidWithoutVtimezoneUsesSystemRules) {
  // recurring-ical-events__issue_27_t1.ics: DTSTART;TZID=Europe/Berlin:20200426T140000 but the only
  // VTIMEZONE is "W. Europe Standard Time"; 14:00 CEST (UTC+2) is 12:00Z. RRULE DAILY UNTIL
  // 20200429T000000; EXDATE 20200427T120000Z = 14:00 CEST on the 27th.
  auto sink = readShared("recurring-ical-events__issue_27_t1.ics");
  ASSERT_EQ(sink.appointments.size(), 1u);
  const auto& item = sink.appointments[0];
  EXPECT_EQ(iso(item.start), "2020-04-26T12:00:00Z");
  EXPECT_EQ(sink.count("zone.from_system_tzdata"), 1);
  ASSERT_TRUE(item.recurrence.has_value());
  EXPECT_EQ(item.recurrence->pattern, model::RecurrencePattern::kDaily);
  EXPECT_EQ(item.recurrence->end, model::RecurrenceEnd::kByDate);
  EXPECT_EQ(item.recurrence->end_date, (CivilDate{2020, 4, 29}));
  EXPECT_EQ(item.recurrence->deleted_dates, (std::vector<CivilDate>{{2020, 4, 27}}));
}

}  // namespace
}  // namespace m2z::readers::ics
