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
    EXPECT_EQ(result->appointments + result->exceptions_merged + result->skipped + result->contacts +
                  result->dist_lists + result->tasks + result->rules + result->oof_settings,
              result->items_seen)
        << name;
    EXPECT_EQ(sink.skippedItems(), result->skipped);
  }
  return sink;
}

std::string iso(model::Instant instant) { return model::toIsoString(instant); }

struct Counts {
  const char* file;
  int calendar_items;  // top-level t:CalendarItem (the MANIFEST's cal=, less ConflictingMeetings' references)
  int other_items;     // contacts, tasks, rules, OOF settings (the MANIFEST's contact=, task=, rule=, oof=)
};

class EwsRealFile : public ::testing::TestWithParam<Counts> {};

TEST_P(EwsRealFile, EveryItemIsAccountedFor) {
  ReadSummary summary;
  auto sink = readShared(GetParam().file, &summary);
  EXPECT_EQ(summary.items_seen, GetParam().calendar_items + GetParam().other_items);
  EXPECT_EQ(sink.count("item.kind_not_supported_yet"), 0);
  EXPECT_EQ(sink.contacts.size() + sink.tasks.size() + sink.rules.size() + sink.oof_settings.size(),
            static_cast<std::size_t>(GetParam().other_items));
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
        Counts{"msdocs-examples/getuseroofsettings-operation.1.GetUserOofSettingsResponse.xml", 0, 1},
        Counts{"msdocs-examples/getinboxrules-operation.1.GetInboxRulesResponse.xml", 0, 1},
        Counts{"msdocs-examples/how-to-manage-inbox-rules-by-using-ews-in-exchange.2.GetInboxRulesResponse.xml", 0, 2},
        Counts{"garethp-php-ews-recordings/extracted-xml/ContactsAPITest.testContactFieldVariations.03.GetItemResponse.xml", 0, 1},
        Counts{"garethp-php-ews-recordings/extracted-xml/ContactsAPITest.testContactFieldVariations.05.GetItemResponse.xml", 0, 1},
        Counts{"garethp-php-ews-recordings/extracted-xml/ContactsAPITest.testContactFieldVariations.07.GetItemResponse.xml", 0, 1},
        Counts{"garethp-php-ews-recordings/extracted-xml/ContactsAPITest.testInternationalContactSupport.03.GetItemResponse.xml", 0, 1},
        Counts{"garethp-php-ews-recordings/extracted-xml/ContactsAPITest.testInternationalContactSupport.05.GetItemResponse.xml", 0, 1},
        Counts{"garethp-php-ews-recordings/extracted-xml/ContactsAPITest.testInternationalContactSupport.07.GetItemResponse.xml", 0, 1},
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

TEST(EwsRealData, TwelveContactsFromFindItem) {
  // ContactsAPITest.testContactBulkOperations.03 (FindItem): 12 t:Contact, each with an ItemId;
  // grep -c '<t:Contact>' gives 12. Two carry PhoneNumbers (grep -c '<t:PhoneNumbers>' = 2).
  ReadSummary summary;
  auto sink = readShared(kGareth + "ContactsAPITest.testContactBulkOperations.03.FindItemResponse.xml", &summary);
  EXPECT_EQ(summary.items_seen, 12);
  EXPECT_EQ(summary.contacts, 12);
  EXPECT_EQ(summary.skipped, 0);
  ASSERT_EQ(sink.contacts.size(), 12u);
  int with_phones = 0;
  for (const auto& contact : sink.contacts) {
    with_phones += contact.phones.empty() ? 0 : 1;
    EXPECT_EQ(contact.provenance.folder_path, "/Contacts");
    EXPECT_FALSE(contact.display_name.empty());
  }
  EXPECT_EQ(with_phones, 2);
  // Only the contacts folder is announced: a file of contacts makes no calendar.
  ASSERT_EQ(sink.folders.size(), 1u);
  EXPECT_EQ(sink.folders[0].path, "/Contacts");
  EXPECT_EQ(sink.folders[0].container_class, "IPF.Contact");
}

TEST(EwsRealData, ContactFieldVariationsFromExchange2019) {
  // ContactsAPITest.testContactFieldVariations.05: DisplayName "Complete Test", GivenName
  // "Complete", Surname "Test", CompanyName "Test Company Inc.", EmailAddress1 complete@test.com
  // (Name="complete@test.com" RoutingType="SMTP"), HomePhone +1-555-0123, Department "Quality
  // Assurance", JobTitle "Senior Test Engineer", empty FileAs.
  auto sink = readShared(kGareth + "ContactsAPITest.testContactFieldVariations.05.GetItemResponse.xml");
  ASSERT_EQ(sink.contacts.size(), 1u);
  const auto& c = sink.contacts[0];
  EXPECT_EQ(c.message_class, "IPM.Contact");
  EXPECT_EQ(c.display_name, "Complete Test");
  EXPECT_EQ(c.given_name, "Complete");
  EXPECT_EQ(c.surname, "Test");
  EXPECT_EQ(c.company, "Test Company Inc.");
  EXPECT_EQ(c.department, "Quality Assurance");
  EXPECT_EQ(c.job_title, "Senior Test Engineer");
  EXPECT_EQ(c.file_as, "");
  ASSERT_EQ(c.emails.size(), 1u);
  EXPECT_EQ(c.emails[0], (model::ContactEmail{1, "complete@test.com", "complete@test.com", "SMTP"}));
  ASSERT_EQ(c.phones.size(), 1u);
  EXPECT_EQ(c.phones[0], (model::Phone{model::PhoneKind::kHome, "+1-555-0123"}));
  EXPECT_EQ(c.provenance.entry_id.substr(0, 12), "AAMkADk5Njk2");
}

TEST(EwsRealData, InternationalContactNames) {
  // ContactsAPITest.testInternationalContactSupport.03: Subject and DisplayName "François Müller".
  auto sink = readShared(kGareth + "ContactsAPITest.testInternationalContactSupport.03.GetItemResponse.xml");
  ASSERT_EQ(sink.contacts.size(), 1u);
  EXPECT_EQ(sink.contacts[0].display_name, "Fran\xC3\xA7ois M\xC3\xBCller");
}

TEST(EwsRealData, DocumentedContact) {
  // getitem-operation-contact.1 (Microsoft's GetItem example): FileAs SampleContact, DisplayName
  // "Tanja Plate", GivenName Tanja, Initials "T.P.", Surname Plate, CompanyName "Northwind
  // Traders", EmailAddress1 and 2 tplate@example.com, Business address 12345 67th Ave / Whittier /
  // CA / Country USA (the example writes Country, the schema CountryOrRegion), BusinessPhone
  // 5625550199, JobTitle "Project Manager".
  auto sink = readShared(kDocs + "getitem-operation-contact.1.GetItemResponse.xml");
  ASSERT_EQ(sink.contacts.size(), 1u);
  const auto& c = sink.contacts[0];
  EXPECT_EQ(c.file_as, "SampleContact");
  EXPECT_EQ(c.display_name, "Tanja Plate");
  EXPECT_EQ(c.given_name, "Tanja");
  EXPECT_EQ(c.surname, "Plate");
  EXPECT_EQ(c.initials, "T.P.");
  EXPECT_EQ(c.company, "Northwind Traders");
  EXPECT_EQ(c.job_title, "Project Manager");
  ASSERT_EQ(c.emails.size(), 2u);
  EXPECT_EQ(c.emails[1].slot, 2);
  EXPECT_EQ(c.emails[1].address, "tplate@example.com");
  ASSERT_EQ(c.addresses.size(), 1u);
  EXPECT_EQ(c.addresses[0].kind, model::AddressKind::kWork);
  EXPECT_EQ(c.addresses[0].street, "12345 67th Ave");
  EXPECT_EQ(c.addresses[0].city, "Whittier");
  EXPECT_EQ(c.addresses[0].state, "CA");
  EXPECT_EQ(c.addresses[0].country, "USA");
  ASSERT_EQ(c.phones.size(), 1u);
  EXPECT_EQ(c.phones[0], (model::Phone{model::PhoneKind::kBusiness, "5625550199"}));
}

TEST(EwsRealData, DocumentedTask) {
  // getitem-operation-task.1: Subject "Buy new shoes", Importance Normal, PercentComplete 0,
  // Status NotStarted, IsComplete false, no StartDate/DueDate.
  auto sink = readShared(kDocs + "getitem-operation-task.1.GetItemResponse.xml");
  ASSERT_EQ(sink.tasks.size(), 1u);
  const auto& t = sink.tasks[0];
  EXPECT_EQ(t.subject, "Buy new shoes");
  EXPECT_EQ(t.status, model::TaskStatus::kNotStarted);
  EXPECT_EQ(t.importance, model::Importance::kNormal);
  EXPECT_EQ(t.percent_complete, 0);
  EXPECT_FALSE(t.complete);
  EXPECT_FALSE(t.start.has_value());
  EXPECT_FALSE(t.due.has_value());
  EXPECT_EQ(t.provenance.folder_path, "/Tasks");
}

TEST(EwsRealData, DocumentedInboxRules) {
  // how-to-manage-inbox-rules.2: "Alfred" (Priority 1, IsEnabled true, FromAddresses Alfred Welker
  // EX /o=First Organization/.../cn=9a83...-Alfre, MoveToFolder by FolderId, StopProcessingRules)
  // and "Important" (Priority 2, ContainsSubjectStrings Urgent, FromAddresses Hope Gross EX,
  // MarkImportance High, StopProcessingRules).
  auto sink = readShared(kDocs + "how-to-manage-inbox-rules-by-using-ews-in-exchange.2.GetInboxRulesResponse.xml");
  ASSERT_EQ(sink.rules.size(), 2u);
  const auto& alfred = sink.rules[0];
  EXPECT_EQ(alfred.name, "Alfred");
  EXPECT_EQ(alfred.sequence, 1);
  EXPECT_TRUE(alfred.enabled);
  EXPECT_TRUE(alfred.stop_processing);
  EXPECT_EQ(alfred.provenance.entry_id, "AQAAAAAAASY=");
  ASSERT_EQ(alfred.conditions.size(), 1u);
  EXPECT_EQ(alfred.conditions[0].kind, model::RuleConditionKind::kFrom);
  EXPECT_EQ(alfred.conditions[0].values,
            (std::vector<std::string>{"/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/"
                                      "cn=Recipients/cn=9a83e6380cae41918c71e7921d960b5a-Alfre"}));
  ASSERT_EQ(alfred.actions.size(), 2u);
  EXPECT_EQ(alfred.actions[0].kind, model::RuleActionKind::kMove);
  EXPECT_EQ(alfred.actions[0].folder_path, "");  // an EWS FolderId names no path
  EXPECT_EQ(alfred.actions[1].kind, model::RuleActionKind::kStopProcessing);
  EXPECT_EQ(sink.count("rule.folder_unresolved"), 1);
  const auto& important = sink.rules[1];
  EXPECT_EQ(important.name, "Important");
  EXPECT_EQ(important.sequence, 2);
  ASSERT_EQ(important.conditions.size(), 2u);  // sorted by kind: from, then subject
  EXPECT_EQ(important.conditions[0].kind, model::RuleConditionKind::kFrom);
  EXPECT_EQ(important.conditions[1].kind, model::RuleConditionKind::kSubjectContains);
  EXPECT_EQ(important.conditions[1].values, (std::vector<std::string>{"Urgent"}));
  ASSERT_EQ(important.actions.size(), 2u);
  EXPECT_EQ(important.actions[0].kind, model::RuleActionKind::kSetImportance);
  EXPECT_EQ(important.actions[0].number, 2);  // High
  EXPECT_EQ(important.actions[1].kind, model::RuleActionKind::kStopProcessing);
}

TEST(EwsRealData, DocumentedInboxRuleOperation) {
  // getinboxrules-operation.1: "MoveInterestingToJunk", Priority 1, enabled, ContainsSubjectStrings
  // "Interesting", MoveToFolder FolderId AAMkAGYzZjZm.
  auto sink = readShared(kDocs + "getinboxrules-operation.1.GetInboxRulesResponse.xml");
  ASSERT_EQ(sink.rules.size(), 1u);
  EXPECT_EQ(sink.rules[0].name, "MoveInterestingToJunk");
  EXPECT_EQ(sink.rules[0].conditions.at(0).values, (std::vector<std::string>{"Interesting"}));
  EXPECT_EQ(sink.rules[0].condition_text, "subject-contains \"Interesting\"");
  ASSERT_NE(sink.first("rule.folder_unresolved"), nullptr);
  EXPECT_EQ(sink.first("rule.folder_unresolved")->before, "FolderId AAMkAGYzZjZm");
}

TEST(EwsRealData, DocumentedOofSettings) {
  // getuseroofsettings-operation.1 (default-namespace elements): OofState Disabled,
  // ExternalAudience All, Duration 2006-11-03T23:00:00 - 2006-11-04T23:00:00, internal "I am out
  // of office. This is my internal reply.", external "... This is my external reply.".
  auto sink = readShared(kDocs + "getuseroofsettings-operation.1.GetUserOofSettingsResponse.xml");
  ASSERT_EQ(sink.oof_settings.size(), 1u);
  const auto& oof = sink.oof_settings[0];
  EXPECT_EQ(oof.enabled, false);
  EXPECT_EQ(oof.external_audience, model::OofExternalAudience::kAll);
  EXPECT_EQ(oof.internal_reply, "I am out of office. This is my internal reply.");
  EXPECT_EQ(oof.external_reply, "I am out of office. This is my external reply.");
  // Disabled: the stored period is not in force, and says so.
  EXPECT_FALSE(oof.start.has_value());
  EXPECT_EQ(sink.count("oof.schedule_not_in_force"), 1);
}

}  // namespace
}  // namespace m2z::readers::ews
