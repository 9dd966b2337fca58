// EWS responses of ../shared/testdata/ews read whole. Expected values come from the XML text as
// shown by xmllint/grep (quoted in each test), and from the MANIFEST's per-file item counts.
#include <gtest/gtest.h>

#include <string>

#include "normalize/normalizer.h"
#include "readers/ews/ews_reader.h"
#include "recording_sink.h"

namespace m2z::readers::ews {
namespace {

using model::CivilDate;
using testing::RecordingSink;

std::string shared(const std::string& name) { return std::string(M2Z_SHARED_DIR) + "/testdata/ews/" + name; }
const std::string kGareth = "garethp-php-ews-recordings/extracted-xml/";
const std::string kDocs = "msdocs-examples/";

RecordingSink readShared(const std::string& name, ReadSummary* summary = nullptr) {
  RecordingSink sink;
  auto result = readEwsFile(shared(name), sink);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().describe());
  if (result.ok() && summary != nullptr) *summary = *result;
  // Every item is an appointment, an exception merged into its series, or skipped with a finding.
  if (result.ok()) {
    EXPECT_EQ(result->appointments + result->exceptions_merged + result->skipped, result->items_seen) << name;
    EXPECT_EQ(sink.skippedItems(), result->skipped);
  }
  return sink;
}

std::string iso(model::Instant instant) { return model::toIsoString(instant); }

struct Counts {
  const char* file;
  int calendar_items;  // top-level t:CalendarItem (the MANIFEST's cal=, less ConflictingMeetings' references)
  int other_items;     // contacts and tasks (the MANIFEST's contact= and task=)
};

class EwsRealFile : public ::testing::TestWithParam<Counts> {};

TEST_P(EwsRealFile, EveryItemIsAccountedFor) {
  ReadSummary summary;
  auto sink = readShared(GetParam().file, &summary);
  EXPECT_EQ(summary.items_seen, GetParam().calendar_items + GetParam().other_items);
  EXPECT_EQ(sink.count("item.kind_not_supported_yet"), GetParam().other_items);
  normalize::Normalizer normalizer;
  for (auto& item : sink.appointments) {
    std::vector<model::Finding> findings;
    normalizer.normalize(item, findings);
    EXPECT_TRUE(item.resolved.has_value());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Files, EwsRealFile,
    ::testing::Values(
        Counts{"garethp-php-ews-recordings/extracted-xml/APITest.testListItemChanges.02.SyncFolderItemsResponse.xml", 1, 0},
        Counts{"garethp-php-ews-recordings/extracted-xml/CalendarTest.testCalendarInternationalCharacters.04.FindItemResponse.xml", 1, 0},
        Counts{"garethp-php-ews-recordings/extracted-xml/CalendarTest.testGetCalendarItem.06.FindItemResponse.xml", 2, 0},
        Counts{"garethp-php-ews-recordings/extracted-xml/CalendarTest.testRecurringEventSupport.05.FindItemResponse.xml", 6, 0},
        Counts{"garethp-php-ews-recordings/extracted-xml/ContactsAPITest.testContactBulkOperations.03.FindItemResponse.xml", 0, 12},
        Counts{"msdocs-examples/getitem-operation-calendar-item.3.GetItemResponse.xml", 1, 0},
        Counts{"msdocs-examples/getitem-operation-task.1.GetItemResponse.xml", 0, 1},
        Counts{"msdocs-examples/getitem-operation-contact.1.GetItemResponse.xml", 0, 1},
        Counts{"msdocs-examples/getuseroofsettings-operation.1.GetUserOofSettingsResponse.xml", 0, 0},
        Counts{"msdocs-examples/how-to-get-appointments-and-meetings-by-using-ews-in-exchange.5.FindItemResponse.xml", 5, 0},
        Counts{"msdocs-examples/how-to-process-calendar-items-in-batches-in-exchange.6.GetItemResponse.xml", 3, 0},
        Counts{"msdocs-examples/recurrence-patterns-and-ews.5.FindItemResponse.xml", 5, 0},
        Counts{"viewpoint__dodgy_ews_response.xml", 1, 0}));

TEST(EwsRealData, RecurringMasterFromExchange2019) {
  // CalendarTest.testRecurringEventSupport.04: Subject "Weekly Team Meeting", Start
  // 2025-07-02T10:00:00Z, End 11:00Z, ReminderIsSet true / 15, LegacyFreeBusyStatus Busy, Location
  // "Conference Room A", TimeZone "(UTC+00:00) Monrovia, Reykjavik", WeeklyRecurrence Interval 1
  // Wednesday, NumberedRecurrence StartDate 2025-07-02Z, 4 occurrences; Organizer test.user
  // <user@test.user.com> SMTP.
  auto sink = readShared(kGareth + "CalendarTest.testRecurringEventSupport.04.GetItemResponse.xml");
  ASSERT_EQ(sink.appointments.size(), 1u);
  const auto& item = sink.appointments[0];
  EXPECT_EQ(item.subject, "Weekly Team Meeting");
  EXPECT_EQ(item.location, "Conference Room A");
  EXPECT_EQ(iso(item.start), "2025-07-02T10:00:00Z");
  EXPECT_EQ(iso(item.end), "2025-07-02T11:00:00Z");
  EXPECT_EQ(item.reminder_minutes_before, 15);
  EXPECT_EQ(item.busy_status, model::BusyStatus::kBusy);
  EXPECT_EQ(item.zone_description, "(UTC+00:00) Monrovia, Reykjavik");
  EXPECT_EQ(item.uid, "040000008200E00074C5B7101A82E008000000001AF45EF9C7EDDB01000000000000000010000000F73231FC2ADB164D941E037E14477E38");
  ASSERT_TRUE(item.organizer.has_value());
  EXPECT_EQ(item.organizer->email, "user@test.user.com");
  EXPECT_EQ(item.organizer->display_name, "test.user");
  EXPECT_TRUE(item.is_recurring);  // a RecurringMaster, although its IsRecurring says false
  ASSERT_TRUE(item.recurrence.has_value());
  EXPECT_EQ(item.recurrence->pattern, model::RecurrencePattern::kWeekly);
  EXPECT_EQ(item.recurrence->weekdays, (std::vector<model::Weekday>{model::Weekday::kWednesday}));
  EXPECT_EQ(item.recurrence->end, model::RecurrenceEnd::kAfterCount);
  EXPECT_EQ(item.recurrence->count, 4);
  EXPECT_EQ(item.recurrence->start_date, (CivilDate{2025, 7, 2}));
  EXPECT_EQ(item.recurrence->start_minute, 10 * 60);  // Monrovia is UTC+0
  EXPECT_EQ(item.recurrence->end_minute, 11 * 60);
}

TEST(EwsRealData, CalendarViewOfInstancesAndAnAllDayItem) {
  // CalendarTest.testRecurringEventSupport.05 (FindItem, calendar view): 4 Occurrences of "Weekly
  // Team Meeting" without their master, "Hey 👋🏼" all-day 2025-07-05T04:00Z..07-06T04:00Z in
  // "(UTC-05:00) Eastern Time (US & Canada)" (04:00Z is midnight EDT), Free.
  auto sink = readShared(kGareth + "CalendarTest.testRecurringEventSupport.05.FindItemResponse.xml");
  ASSERT_EQ(sink.appointments.size(), 6u);
  EXPECT_EQ(sink.count("recurrence.instance_without_series"), 4);
  auto hey = sink.appointments[2];
  EXPECT_EQ(hey.subject, "Hey \xF0\x9F\x91\x8B\xF0\x9F\x8F\xBC");
  EXPECT_TRUE(hey.all_day);
  EXPECT_EQ(hey.busy_status, model::BusyStatus::kFree);
  std::vector<model::Finding> findings;
  normalize::normalizeAppointment(hey, findings);
  EXPECT_EQ(hey.resolved->first_day, (CivilDate{2025, 7, 5}));
  EXPECT_EQ(hey.resolved->last_day, (CivilDate{2025, 7, 5}));
  EXPECT_EQ(sink.appointments[0].subject, "R\xC3\xA9union \xC3\xA9quipe - Caf\xC3\xA9 & Discusion");
}

TEST(EwsRealData, SeriesWithoutStartUsesItsFirstOccurrence) {
  // how-to-create-a-recurring-series...4: no Start/End on the master; FirstOccurrence
  // 2014-03-08T21:21:00Z..22:21:00Z; WeeklyRecurrence Saturday; 10 occurrences from 2014-03-08-08:00.
  auto sink = readShared(kDocs + "how-to-create-a-recurring-series-by-using-ews-in-exchange.4.GetItemResponse.xml");
  ASSERT_EQ(sink.appointments.size(), 1u);
  const auto& item = sink.appointments[0];
  EXPECT_EQ(item.subject, "Weekly Update Meeting");
  EXPECT_EQ(iso(item.start), "2014-03-08T21:21:00Z");
  EXPECT_EQ(iso(item.end), "2014-03-08T22:21:00Z");
  ASSERT_TRUE(item.recurrence.has_value());
  EXPECT_EQ(item.recurrence->weekdays, (std::vector<model::Weekday>{model::Weekday::kSaturday}));
  EXPECT_EQ(item.recurrence->count, 10);
  EXPECT_EQ(item.recurrence->start_date, (CivilDate{2014, 3, 8}));
}

TEST(EwsRealData, ForbiddenCharacterReferencesAreReplaced) {
  // viewpoint__dodgy_ews_response.xml: the Body holds 29 references &#x0; .. &#x1F; that XML 1.0
  // forbids (xmllint refuses the file); Subject "Invalid character".
  auto sink = readShared("viewpoint__dodgy_ews_response.xml");
  ASSERT_EQ(sink.appointments.size(), 1u);
  EXPECT_EQ(sink.appointments[0].subject, "Invalid character");
  EXPECT_EQ(sink.appointments[0].body.rfind("Invalid characters: \xEF\xBF\xBD \xEF\xBF\xBD", 0), 0u);
  ASSERT_EQ(sink.count("ews.invalid_characters"), 1);
  EXPECT_EQ(sink.findings[0].before, "29 character reference(s)");
}

TEST(EwsRealData, ContactsAndTasksAreSkippedWithAFinding) {
  ReadSummary summary;
  auto sink = readShared(kGareth + "ContactsAPITest.testContactBulkOperations.03.FindItemResponse.xml", &summary);
  EXPECT_EQ(summary.items_seen, 12);
  EXPECT_EQ(summary.skipped, 12);
  EXPECT_TRUE(sink.appointments.empty());
  EXPECT_EQ(sink.findings[0].before, "Contact");
  EXPECT_TRUE(sink.findings[0].item_skipped);
}

}  // namespace
}  // namespace m2z::readers::ews
