// VTODO (RFC 5545 3.6.2) to model::Task, and ATTACH (RFC 5545 3.8.1.1) on events and tasks.
// Expected values are worked out by hand from the iCalendar text, with the rule quoted per test.
#include <gtest/gtest.h>

#include <string>

#include "readers/ics/ics_reader.h"
#include "recording_sink.h"

namespace m2z::readers::ics {
namespace {

using model::CivilDate;
using model::Importance;
using model::TaskStatus;
using testing::RecordingSink;

std::string calendar(std::initializer_list<const char*> lines) {
  std::string text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n";
  for (const char* line : lines) text += std::string(line) + "\r\n";
  return text + "END:VCALENDAR\r\n";
}

// Berlin as Outlook 2016 exports it: CET (UTC+1), CEST (UTC+2) from the last Sunday of March to
// the last Sunday of October.
#define BERLIN_VTIMEZONE                                                                                  \
  "BEGIN:VTIMEZONE", "TZID:W. Europe Standard Time", "BEGIN:STANDARD", "DTSTART:16011028T030000",         \
      "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD", \
      "BEGIN:DAYLIGHT", "DTSTART:16010325T020000", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",              \
      "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "END:DAYLIGHT", "END:VTIMEZONE"

RecordingSink read(const std::string& text, ReadSummary* summary = nullptr, const ReadOptions& options = {}) {
  RecordingSink sink;
  auto result = readCalendarText(text, "tasks.ics", sink, options);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().describe());
  if (result.ok() && summary != nullptr) *summary = *result;
  return sink;
}

const model::Finding* findingOf(const RecordingSink& sink, const std::string& kind) {
  for (const auto& finding : sink.findings) {
    if (finding.kind == kind) return &finding;
  }
  return nullptr;
}

TEST(IcsTask, DateOnlyTaskInItsOwnFolder) {
  ReadSummary summary;
  auto sink = read(calendar({"BEGIN:VTODO", "UID:t1", "SUMMARY:File taxes", "DESCRIPTION:Forms A\\, B\\nand C",
                             "DTSTART;VALUE=DATE:20141027", "DUE;VALUE=DATE:20141031", "END:VTODO"}),
                   &summary);
  ASSERT_EQ(sink.tasks.size(), 1u);
  const auto& task = sink.tasks[0];
  EXPECT_EQ(summary.tasks_seen, 1);
  EXPECT_EQ(summary.tasks, 1);
  EXPECT_EQ(summary.skipped, 0);
  EXPECT_EQ(summary.other_components, 0);
  // The calendar folder as before, then the tasks' folder once, before the task.
  ASSERT_EQ(sink.folders.size(), 2u);
  EXPECT_EQ(sink.folders[0].path, "/Calendar");
  EXPECT_EQ(sink.folders[1].path, "/Tasks");
  EXPECT_EQ(sink.folders[1].container_class, "IPF.Task");
  EXPECT_EQ(sink.folders[1].source_file, "tasks.ics");
  EXPECT_EQ(task.provenance.folder_path, "/Tasks");
  EXPECT_EQ(task.provenance.entry_id, "VTODO 1");
  EXPECT_EQ(task.message_class, "IPM.Task");
  EXPECT_EQ(task.subject, "File taxes");
  EXPECT_EQ(task.body, "Forms A, B\nand C");  // RFC 5545 3.3.11 escapes
  // VALUE=DATE is the day itself (RFC 5545 3.3.4).
  EXPECT_EQ(task.start, (CivilDate{2014, 10, 27}));
  EXPECT_EQ(task.due, (CivilDate{2014, 10, 31}));
  EXPECT_EQ(task.status, TaskStatus::kNotStarted);
  EXPECT_EQ(task.percent_complete, 0);
  EXPECT_FALSE(task.complete);
  EXPECT_EQ(task.importance, Importance::kNormal);
  EXPECT_FALSE(task.reminder.has_value());
  EXPECT_FALSE(task.is_recurring);
  EXPECT_TRUE(sink.findings.empty());
}

TEST(IcsTask, ZonedDueIsTheDateInItsZone) {
  // DUE;TZID=Berlin 2014-10-31 00:00 is that day in Berlin, whatever UTC says (2014-10-30 23:00Z).
  auto sink = read(calendar({BERLIN_VTIMEZONE, "BEGIN:VTODO", "UID:t2",
                             "DUE;TZID=W. Europe Standard Time:20141031T000000", "END:VTODO"}));
  ASSERT_EQ(sink.tasks.size(), 1u);
  EXPECT_EQ(sink.tasks[0].due, (CivilDate{2014, 10, 31}));
  EXPECT_EQ(sink.count("task.date_zone_assumed"), 0);
}

TEST(IcsTask, UtcDueAt23ZIsReadInTheTasksZone) {
  // 2014-10-30 23:00Z is 2014-10-31 00:00 CET (UTC+1: summer time ended on 26 October 2014).
  // The task names Berlin on DTSTART: no assumption, no finding.
  auto named = read(calendar({BERLIN_VTIMEZONE, "BEGIN:VTODO", "UID:t3",
                              "DTSTART;TZID=W. Europe Standard Time:20141027T000000", "DUE:20141030T230000Z",
                              "END:VTODO"}));
  ASSERT_EQ(named.tasks.size(), 1u);
  EXPECT_EQ(named.tasks[0].start, (CivilDate{2014, 10, 27}));
  EXPECT_EQ(named.tasks[0].due, (CivilDate{2014, 10, 31}));
  EXPECT_EQ(named.count("task.date_zone_assumed"), 0);

  // Only the calendar's one VTIMEZONE says Berlin: same date, with a finding that it was assumed.
  auto assumed = read(calendar({BERLIN_VTIMEZONE, "BEGIN:VTODO", "UID:t4", "DUE:20141030T230000Z", "END:VTODO"}));
  ASSERT_EQ(assumed.tasks.size(), 1u);
  EXPECT_EQ(assumed.tasks[0].due, (CivilDate{2014, 10, 31}));
  const model::Finding* finding = findingOf(assumed, "task.date_zone_assumed");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->field, "DUE");
  EXPECT_EQ(finding->before, "2014-10-30T23:00:00Z");
  EXPECT_EQ(finding->after, "2014-10-31");

  // No zone anywhere and no floating zone: the UTC date, with the finding.
  auto utc = read(calendar({"BEGIN:VTODO", "UID:t5", "DUE:20141030T230000Z", "END:VTODO"}));
  ASSERT_EQ(utc.tasks.size(), 1u);
  EXPECT_EQ(utc.tasks[0].due, (CivilDate{2014, 10, 30}));
  EXPECT_EQ(utc.count("task.date_zone_assumed"), 1);

  // Midnight UTC is the date itself ([MS-OXOTASK] 2.2.2.2.4: midnight UTC of the local date).
  auto midnight = read(calendar({"BEGIN:VTODO", "UID:t6", "DUE:20141031T000000Z", "END:VTODO"}));
  ASSERT_EQ(midnight.tasks.size(), 1u);
  EXPECT_EQ(midnight.tasks[0].due, (CivilDate{2014, 10, 31}));
  EXPECT_EQ(midnight.count("task.date_zone_assumed"), 0);
}

TEST(IcsTask, DueBeforeStartIsSetToStart) {
  auto sink = read(calendar({"BEGIN:VTODO", "UID:t7", "DTSTART;VALUE=DATE:20141031", "DUE;VALUE=DATE:20141020",
                             "END:VTODO"}));
  ASSERT_EQ(sink.tasks.size(), 1u);
  EXPECT_EQ(sink.tasks[0].due, (CivilDate{2014, 10, 31}));
  EXPECT_EQ(sink.count("property.bad_value"), 1);
}

TEST(IcsTask, StatusPercentAndCompleted) {
  // RFC 5545 3.8.1.11 VTODO statuses to [MS-OXOTASK] 2.2.2.2.2; CANCELLED has no Outlook status.
  auto sink = read(calendar({"BEGIN:VTODO", "UID:s1", "STATUS:NEEDS-ACTION", "PERCENT-COMPLETE:0", "END:VTODO",
                             "BEGIN:VTODO", "UID:s2", "STATUS:IN-PROCESS", "PERCENT-COMPLETE:40", "END:VTODO",
                             "BEGIN:VTODO", "UID:s3", "STATUS:COMPLETED", "PERCENT-COMPLETE:80",
                             "COMPLETED:20210204T103000Z", "END:VTODO",  //
                             "BEGIN:VTODO", "UID:s4", "STATUS:CANCELLED", "END:VTODO",
                             "BEGIN:VTODO", "UID:s5", "COMPLETED:20210205T000000Z", "END:VTODO"}));
  ASSERT_EQ(sink.tasks.size(), 5u);
  EXPECT_EQ(sink.tasks[0].status, TaskStatus::kNotStarted);
  EXPECT_EQ(sink.tasks[0].percent_complete, 0);
  EXPECT_EQ(sink.tasks[1].status, TaskStatus::kInProgress);
  EXPECT_EQ(sink.tasks[1].percent_complete, 40);
  EXPECT_FALSE(sink.tasks[1].complete);
  // Completed is complete and 100 %, as the PST mapper makes it, whatever PERCENT-COMPLETE says.
  EXPECT_EQ(sink.tasks[2].status, TaskStatus::kComplete);
  EXPECT_TRUE(sink.tasks[2].complete);
  EXPECT_EQ(sink.tasks[2].percent_complete, 100);
  ASSERT_TRUE(sink.tasks[2].date_completed.has_value());
  EXPECT_EQ(model::toIsoString(*sink.tasks[2].date_completed), "2021-02-04T10:30:00Z");
  EXPECT_EQ(sink.tasks[3].status, TaskStatus::kDeferred);
  EXPECT_FALSE(sink.tasks[3].complete);
  // COMPLETED without STATUS: done.
  EXPECT_EQ(sink.tasks[4].status, TaskStatus::kComplete);
  EXPECT_EQ(sink.tasks[4].percent_complete, 100);
}

TEST(IcsTask, PriorityToImportance) {
  // RFC 5545 3.8.1.9: 1-4 high, 5 medium, 6-9 low, 0 undefined. X-MICROSOFT-CDO-IMPORTANCE
  // (0 high, 1 normal, 2 low) is Exchange's own and wins.
  auto sink = read(calendar({"BEGIN:VTODO", "UID:p1", "PRIORITY:1", "END:VTODO",  //
                             "BEGIN:VTODO", "UID:p4", "PRIORITY:4", "END:VTODO",  //
                             "BEGIN:VTODO", "UID:p5", "PRIORITY:5", "END:VTODO",  //
                             "BEGIN:VTODO", "UID:p0", "PRIORITY:0", "END:VTODO",  //
                             "BEGIN:VTODO", "UID:p6", "PRIORITY:6", "END:VTODO",  //
                             "BEGIN:VTODO", "UID:p9", "PRIORITY:9", "END:VTODO",  //
                             "BEGIN:VTODO", "UID:px", "PRIORITY:1", "X-MICROSOFT-CDO-IMPORTANCE:2", "END:VTODO"}));
  ASSERT_EQ(sink.tasks.size(), 7u);
  EXPECT_EQ(sink.tasks[0].importance, Importance::kHigh);
  EXPECT_EQ(sink.tasks[1].importance, Importance::kHigh);
  EXPECT_EQ(sink.tasks[2].importance, Importance::kNormal);
  EXPECT_EQ(sink.tasks[3].importance, Importance::kNormal);
  EXPECT_EQ(sink.tasks[4].importance, Importance::kLow);
  EXPECT_EQ(sink.tasks[5].importance, Importance::kLow);
  EXPECT_EQ(sink.tasks[6].importance, Importance::kLow);
}

TEST(IcsTask, AlarmsBecomeReminderTimes) {
  // RFC 5545 3.8.6.3: a relative trigger counts from DTSTART, or from DUE with RELATED=END.
  // DTSTART 2014-10-27 09:00 CET (UTC+1) = 08:00Z; -PT15M = 07:45Z.
  // DUE 2014-10-31 17:00 CET = 16:00Z; RELATED=END -PT1H = 15:00Z.
  // An absolute trigger is UTC as written. No DTSTART for a relative trigger: no reminder.
  auto sink = read(calendar({BERLIN_VTIMEZONE, "BEGIN:VTODO", "UID:a1",
                             "DTSTART;TZID=W. Europe Standard Time:20141027T090000", "BEGIN:VALARM",
                             "ACTION:DISPLAY", "TRIGGER:-PT15M", "END:VALARM", "END:VTODO",  //
                             "BEGIN:VTODO", "UID:a2", "DUE;TZID=W. Europe Standard Time:20141031T170000",
                             "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER;RELATED=END:-PT1H", "END:VALARM",
                             "END:VTODO",  //
                             "BEGIN:VTODO", "UID:a3", "BEGIN:VALARM", "ACTION:DISPLAY",
                             "TRIGGER;VALUE=DATE-TIME:20141030T080000Z", "END:VALARM", "END:VTODO",  //
                             "BEGIN:VTODO", "UID:a4", "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-PT15M",
                             "END:VALARM", "END:VTODO"}));
  ASSERT_EQ(sink.tasks.size(), 4u);
  ASSERT_TRUE(sink.tasks[0].reminder.has_value());
  EXPECT_EQ(model::toIsoString(*sink.tasks[0].reminder), "2014-10-27T07:45:00Z");
  ASSERT_TRUE(sink.tasks[1].reminder.has_value());
  EXPECT_EQ(model::toIsoString(*sink.tasks[1].reminder), "2014-10-31T15:00:00Z");
  ASSERT_TRUE(sink.tasks[2].reminder.has_value());
  EXPECT_EQ(model::toIsoString(*sink.tasks[2].reminder), "2014-10-30T08:00:00Z");
  EXPECT_FALSE(sink.tasks[3].reminder.has_value());
  EXPECT_EQ(sink.count("reminder.unanchored"), 1);
}

TEST(IcsTask, OwnerCategoriesClassAndRecurrence) {
  auto sink = read(calendar({"BEGIN:VTODO", "UID:o1", "ORGANIZER;CN=Anna Boss:mailto:anna@example.com",
                             "CATEGORIES:Blue,Green", "CATEGORIES:Red", "CLASS:PRIVATE",
                             "DTSTART;VALUE=DATE:20141103", "RRULE:FREQ=WEEKLY;BYDAY=MO", "END:VTODO",  //
                             "BEGIN:VTODO", "UID:o2", "ORGANIZER:mailto:bob@example.com", "END:VTODO"}));
  ASSERT_EQ(sink.tasks.size(), 2u);
  EXPECT_EQ(sink.tasks[0].owner, "Anna Boss");
  EXPECT_EQ(sink.tasks[1].owner, "bob@example.com");
  EXPECT_EQ(sink.tasks[0].categories, (std::vector<std::string>{"Blue", "Green", "Red"}));
  EXPECT_EQ(sink.count("task.sensitivity_not_carried"), 1);
  // The model keeps no task series: the task stays, marked recurring, and the rule is in the finding.
  EXPECT_TRUE(sink.tasks[0].is_recurring);
  EXPECT_FALSE(sink.tasks[1].is_recurring);
  const model::Finding* finding = findingOf(sink, "task.recurrence_not_converted");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->field, "RRULE");
  EXPECT_EQ(finding->before, "FREQ=WEEKLY;BYDAY=MO");
  EXPECT_FALSE(finding->item_skipped);
}

TEST(IcsAttach, InlineAttachmentIsDecoded) {
  // "SGVsbG8sIHdvcmxkIQ==" is base64 (RFC 4648 4) for the 13 bytes "Hello, world!".
  auto sink = read(calendar({"BEGIN:VEVENT", "UID:e1", "DTSTART:20140102T100000Z",
                             "ATTACH;ENCODING=BASE64;VALUE=BINARY;FMTTYPE=text/plain;X-FILENAME=hello.txt:"
                             "SGVsbG8sIHdvcmxkIQ==",
                             "ATTACH;ENCODING=BASE64;VALUE=BINARY:AAEC", "END:VEVENT"}));
  ASSERT_EQ(sink.appointments.size(), 1u);
  const auto& attachments = sink.appointments[0].attachments;
  ASSERT_EQ(attachments.size(), 2u);
  EXPECT_EQ(attachments[0].name, "hello.txt");
  EXPECT_EQ(attachments[0].mime_type, "text/plain");
  EXPECT_EQ(attachments[0].size, 13u);
  const std::string hello = "Hello, world!";
  EXPECT_EQ(attachments[0].content, std::vector<std::uint8_t>(hello.begin(), hello.end()));
  // No name, no FMTTYPE: a numbered name and the generic type; "AAEC" is the bytes 00 01 02.
  EXPECT_EQ(attachments[1].name, "attachment 2");
  EXPECT_EQ(attachments[1].mime_type, "application/octet-stream");
  EXPECT_EQ(attachments[1].content, (std::vector<std::uint8_t>{0, 1, 2}));
  EXPECT_TRUE(sink.findings.empty());
}

TEST(IcsAttach, LinksLargeAndBadAttachmentsAreFindings) {
  ReadOptions options;
  options.max_attachment_bytes = 12;  // "Hello, world!" is 13 bytes
  auto sink = read(calendar({"BEGIN:VEVENT", "UID:e2", "DTSTART:20140102T100000Z",
                             "ATTACH;FMTTYPE=application/pdf:https://files.example.com/a.pdf",
                             "ATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=big.txt:SGVsbG8sIHdvcmxkIQ==",
                             "ATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=bad.bin:@@@@",
                             "ATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=ok.bin:AAEC", "END:VEVENT"}),
                   nullptr, options);
  ASSERT_EQ(sink.appointments.size(), 1u);
  ASSERT_EQ(sink.appointments[0].attachments.size(), 1u);
  EXPECT_EQ(sink.appointments[0].attachments[0].name, "ok.bin");
  const model::Finding* url = findingOf(sink, "attachment.url_not_fetched");
  ASSERT_NE(url, nullptr);
  EXPECT_EQ(url->before, "https://files.example.com/a.pdf");
  EXPECT_EQ(sink.count("attachment.too_large"), 1);
  EXPECT_EQ(sink.count("attachment.unreadable"), 1);
}

TEST(IcsAttach, TaskAttachmentsAreAccountedFor) {
  // model::Task has no attachments: the content is named in a finding instead.
  auto sink = read(calendar({"BEGIN:VTODO", "UID:t", "SUMMARY:With file",
                             "ATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=a.txt:AAEC", "END:VTODO"}));
  ASSERT_EQ(sink.tasks.size(), 1u);
  const model::Finding* finding = findingOf(sink, "attachment.not_carried");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->field, "ATTACH a.txt");
  EXPECT_EQ(finding->before, "3 bytes");
}

TEST(IcsTask, OutlookStyleExport) {
  // testdata/ics/outlook-tasks.ics, written by hand in Outlook 2016's iCalendar shape.
  RecordingSink sink;
  auto result = readCalendarFile(std::string(M2Z_SOURCE_DIR) + "/testdata/ics/outlook-tasks.ics", sink);
  ASSERT_TRUE(result.ok()) << result.error().describe();
  EXPECT_EQ(result->tasks_seen, 3);
  EXPECT_EQ(result->tasks, 3);
  EXPECT_EQ(result->events_seen, 0);
  ASSERT_EQ(sink.tasks.size(), 3u);

  const auto& budget = sink.tasks[1];
  EXPECT_EQ(budget.subject, "Budget 2015 vorbereiten");
  EXPECT_EQ(budget.body, "Collect the figures from all teams.\nSend them to Anna.\n");
  EXPECT_EQ(budget.start, (CivilDate{2014, 10, 27}));
  EXPECT_EQ(budget.due, (CivilDate{2014, 10, 31}));  // TZID="W. Europe Standard Time":20141031T000000
  EXPECT_EQ(budget.status, TaskStatus::kInProgress);
  EXPECT_EQ(budget.percent_complete, 50);
  EXPECT_EQ(budget.importance, Importance::kHigh);  // PRIORITY:1, X-MICROSOFT-CDO-IMPORTANCE:0
  EXPECT_EQ(budget.owner, "Anna Boss");
  EXPECT_EQ(budget.categories, (std::vector<std::string>{"Budget", "Finance"}));
  // -PT15H from 2014-10-27 00:00 CET (2014-10-26T23:00Z) is 2014-10-26T08:00Z.
  ASSERT_TRUE(budget.reminder.has_value());
  EXPECT_EQ(model::toIsoString(*budget.reminder), "2014-10-26T08:00:00Z");

  const auto& weekly = sink.tasks[2];
  EXPECT_EQ(weekly.subject, "Weekly report");
  EXPECT_EQ(weekly.due, (CivilDate{2014, 11, 3}));
  EXPECT_EQ(weekly.importance, Importance::kLow);
  EXPECT_TRUE(weekly.is_recurring);

  EXPECT_EQ(sink.count("task.recurrence_not_converted"), 1);
  EXPECT_EQ(sink.count("task.sensitivity_not_carried"), 1);
  EXPECT_EQ(sink.count("attachment.not_carried"), 1);  // agenda.txt on the budget task
  EXPECT_EQ(sink.count("task.date_zone_assumed"), 0);
  EXPECT_EQ(sink.count("ics.parse_error"), 0);
}

TEST(IcsTask, TruncatedTasksDoNotCrash) {
  const std::string full = calendar({BERLIN_VTIMEZONE, "BEGIN:VTODO", "UID:x",
                                     "DUE;TZID=W. Europe Standard Time:20141031T000000", "PRIORITY:1",
                                     "ATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=a.txt:SGVsbG8sIHdvcmxkIQ==",
                                     "BEGIN:VALARM", "TRIGGER;RELATED=END:-PT1H", "END:VALARM", "END:VTODO"});
  for (std::size_t length = 15; length < full.size(); length += 3) {
    RecordingSink sink;
    (void)readCalendarText(full.substr(0, length), "cut.ics", sink);
    EXPECT_LE(sink.tasks.size(), 1u);
  }
}

}  // namespace
}  // namespace m2z::readers::ics
