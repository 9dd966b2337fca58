// readCalendars on the real PST/OST files in ../shared/testdata/pst, checked against what
// pffexport (libpff's own exporter, pff-tools 20180714) shows for the same files.
#include "readers/pst/pst_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include "recording_sink.h"

namespace m2z::readers::pst {
namespace {

namespace fs = std::filesystem;

const fs::path kPstDir = fs::path(M2Z_SHARED_DIR) / "testdata" / "pst";

struct Expected {
  int calendar_folders;
  int calendar_items;
};

// Obtained with tests/unit/readers/pffexport_calendar_counts.py, which runs
//   pffexport -d -m items -f text -q -t <tmp> <file>
// and counts, for each exported folder whose PidTagContainerClass (0x3613, from pffexport's
// ItemValues.txt dump) starts with IPF.Appointment, the messages exported directly into it. For
// every folder that count also equals the folder's own PidTagContentCount (0x3602). pffexport
// does not export folder-associated items, and neither do we count them.
const std::map<std::string, Expected> kExpected = {
    {"aspose-net__Outlook.pst", {1, 1}},
    {"aspose-net__PersonalStorageFile1.pst", {0, 0}},
    {"aspose-net__SampleOstFile.ost", {1, 1}},
    {"aspose-net__Test_part1.pst", {1, 9}},
    {"go-pst__32-bit.pst", {1, 1}},
    {"java-libpst__dist-list.pst", {1, 1}},
    {"java-libpst__passworded.pst", {1, 0}},
    {"process-pst__flags_jane_doe.pst", {0, 0}},
    {"pst2john__2003_high-encryption_quickquick.pst", {0, 0}},
    {"pstreader__Outlook98Backup.pst", {0, 0}},
    {"pstreader__backup_with_rules.pst", {1, 0}},
    {"pstreader__hughbe_Outlook.pst", {1, 1}},
};

struct ReadRun {
  testing::RecordingSink sink;
  ReadSummary summary;
};

ReadRun readFile(const std::string& name) {
  ReadRun run;
  auto result = readCalendars((kPstDir / name).string(), run.sink);
  EXPECT_TRUE(result) << name << ": " << (result ? "" : result.error().describe());
  if (result) run.summary = *result;
  return run;
}

std::int64_t utc(int year, unsigned month, unsigned day, int hour, int minute) {
  using namespace std::chrono;
  const sys_days date = year_month_day{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  return duration_cast<seconds>(date.time_since_epoch()).count() + hour * 3600 + minute * 60;
}

TEST(PstRealDataTest, EveryCalendarItemIsAccountedFor) {
  ASSERT_TRUE(fs::is_directory(kPstDir)) << kPstDir;
  int files = 0;
  for (const auto& entry : fs::directory_iterator(kPstDir)) {
    const std::string name = entry.path().filename().string();
    const std::string extension = entry.path().extension().string();
    if (extension != ".pst" && extension != ".ost") continue;
    ++files;
    SCOPED_TRACE(name);
    const auto expected = kExpected.find(name);
    ASSERT_NE(expected, kExpected.end()) << "new test file: add its pffexport counts to kExpected";
    ReadRun run = readFile(name);
    EXPECT_EQ(run.summary.calendar_folders, expected->second.calendar_folders);
    EXPECT_EQ(static_cast<int>(run.sink.folders.size()), expected->second.calendar_folders);
    EXPECT_EQ(run.summary.items_seen, expected->second.calendar_items);
    EXPECT_EQ(run.summary.appointments + run.summary.skipped, expected->second.calendar_items);
    // The summary and the stream agree: one onAppointment or one skipping Finding per item.
    EXPECT_EQ(static_cast<int>(run.sink.appointments.size()), run.summary.appointments);
    EXPECT_EQ(run.sink.skippedItems(), run.summary.skipped + run.summary.stray_appointments);
    // pffexport puts 4 Appointment items of aspose-net__SampleOstFile.ost under
    // "Root - Mailbox/IPM_SUBTREE/Deleted Items" and none outside calendars in the other files.
    EXPECT_EQ(run.summary.stray_appointments, name == "aspose-net__SampleOstFile.ost" ? 4 : 0);
    for (const auto& finding : run.sink.findings) {
      EXPECT_EQ(finding.item.source_file, (kPstDir / name).string());
      if (finding.item_skipped) {
        EXPECT_FALSE(finding.item.entry_id.empty());
      }
    }
  }
  EXPECT_EQ(files, static_cast<int>(kExpected.size()));
}

// pffexport's Calendar/Appointment00001/Appointment.txt for this file: Subject "Appointment",
// Start time Feb 04, 2021 11:00:00 UTC, End time Feb 04, 2021 11:30:00 UTC (30 minutes, so not
// an all-day event: [MS-OXOCAL] 2.2.1.9 requires all-day events to last whole days). Its log
// names the item "identifier: 2097316" in "Top of Personal Folders/Calendar".
TEST(PstRealDataTest, HughbeAppointment) {
  ReadRun run = readFile("pstreader__hughbe_Outlook.pst");
  ASSERT_EQ(run.sink.folders.size(), 1u);
  EXPECT_EQ(run.sink.folders[0].path, "/Calendar");
  EXPECT_EQ(run.sink.folders[0].container_class, "IPF.Appointment");
  ASSERT_EQ(run.sink.appointments.size(), 1u);
  const auto& appointment = run.sink.appointments[0];
  EXPECT_EQ(appointment.subject, "Appointment");
  EXPECT_EQ(appointment.start.unix_seconds, utc(2021, 2, 4, 11, 0));
  EXPECT_EQ(appointment.end.unix_seconds, utc(2021, 2, 4, 11, 30));
  EXPECT_FALSE(appointment.all_day);
  EXPECT_EQ(appointment.message_class, "IPM.Appointment");
  EXPECT_EQ(appointment.provenance.folder_path, "/Calendar");
  EXPECT_EQ(appointment.provenance.entry_id, "2097316");
}

// java-libpst's test store holds one weekly recurring appointment. What
// `pffexport -m items -f all -d` shows for it ("identifier: 2097348" in
// "Top of Personal Folders/Calendar"):
//   Appointment.txt: Subject "Test appointment"; Start time Aug 02, 2016 15:00 UTC, End time
//   15:30 UTC; Recurrence pattern "every Tuesday from 8:00 AM to 8:30 AM"; First effective time
//   Aug 02, 2016 07:00 UTC (local midnight, UTC-7); Last effective time Sep 01, 4500 (no end).
//   ItemValues.txt: PidLidTimeZoneDescription "(UTC-08:00) Pacific Time (US & Canada)",
//   PidLidAppointmentTimeZoneDefinitionRecur with key "Pacific Standard Time".
//   Attachments 1 and 2 (PidTagAttachmentFlags 0x2, afException) embed appointments from
//   Aug 23, 2016 16:00-16:30 UTC and Aug 30, 2016 17:00-17:30 UTC (9:00 and 10:00 local), whose
//   PidLidExceptionReplaceTime (0x8228) is 2016-08-23 and 2016-08-30 15:00 UTC (8:00 local) and
//   whose bodies (0x1000) are "This is the appointment at 9\r\n" and "This is the one at 10\r\n".
// The pattern's DeletedInstanceDates, decoded by hand from the same dump ("03000000 805c070d
// 40ab070d a0d2070d"), are 2016-08-09, -23 and -30: the first deleted, the other two replaced.
TEST(PstRealDataTest, WeeklySeriesWithItsExceptions) {
  ReadRun run = readFile("java-libpst__dist-list.pst");
  ASSERT_EQ(run.sink.appointments.size(), 1u);
  EXPECT_EQ(run.sink.skippedItems(), 0);
  const auto& series = run.sink.appointments[0];
  EXPECT_EQ(series.subject, "Test appointment");
  EXPECT_EQ(series.provenance.entry_id, "2097348");
  EXPECT_EQ(series.start.unix_seconds, utc(2016, 8, 2, 15, 0));
  EXPECT_TRUE(series.is_recurring);
  ASSERT_TRUE(series.start_zone.has_value());
  EXPECT_EQ(series.start_zone->key_name, "Pacific Standard Time");
  EXPECT_EQ(series.start_zone->source_property, "PidLidAppointmentTimeZoneDefinitionRecur");
  ASSERT_TRUE(series.recurrence.has_value());
  const model::Recurrence& recurrence = *series.recurrence;
  EXPECT_EQ(recurrence.pattern, model::RecurrencePattern::kWeekly);
  EXPECT_EQ(recurrence.interval, 1);
  EXPECT_EQ(recurrence.weekdays, (std::vector<model::Weekday>{model::Weekday::kTuesday}));
  EXPECT_EQ(recurrence.start_date, (model::CivilDate{2016, 8, 2}));
  EXPECT_EQ(recurrence.start_minute, 8 * 60);
  EXPECT_EQ(recurrence.end_minute, 8 * 60 + 30);
  EXPECT_EQ(recurrence.end, model::RecurrenceEnd::kNever);
  EXPECT_EQ(recurrence.deleted_dates,
            (std::vector<model::CivilDate>{{2016, 8, 9}, {2016, 8, 23}, {2016, 8, 30}}));
  ASSERT_EQ(recurrence.exceptions.size(), 2u);
  const auto local = [](int d, int h, int mi) { return model::LocalDateTime{model::CivilDate{2016, 8, d}, h, mi, 0}; };
  EXPECT_EQ(recurrence.exceptions[0].original_start, local(23, 8, 0));
  EXPECT_EQ(recurrence.exceptions[0].start, local(23, 9, 0));
  EXPECT_EQ(recurrence.exceptions[0].end, local(23, 9, 30));
  EXPECT_EQ(recurrence.exceptions[0].body, "This is the appointment at 9\r\n");
  EXPECT_EQ(recurrence.exceptions[1].original_start, local(30, 8, 0));
  EXPECT_EQ(recurrence.exceptions[1].start, local(30, 10, 0));
  EXPECT_EQ(recurrence.exceptions[1].end, local(30, 10, 30));
  EXPECT_EQ(recurrence.exceptions[1].body, "This is the one at 10\r\n");
  for (const auto& finding : run.sink.findings) {
    EXPECT_NE(finding.kind.rfind("recurrence.", 0), 0u) << finding.kind << ": " << finding.why;
  }
}

// An ANSI (Outlook 97-2002) store. pffexport's Appointment.txt: Subject "Updated: Olympus
// training for new hires" (stored as 01 0A "Updated: ..." per its ItemValues.txt dump), Start
// Aug 19, 2004 18:30 UTC, End 19:30 UTC, Sent representing name Cyndy Foulkrod (ItemValues.txt:
// 0x0042 "Cyndy Foulkrod", 0x0064 "EX"). Its RecipientsItemValues.txt
// lists 7 rows: Cyndy Foulkrod with PidTagRecipientFlags 0x3 (recipOrganizer), then Patty
// Fukasawa, Barb Tentinger, Zeeshan Farooq as To (PidTagRecipientType 1) and John Harrison, Al
// Senzamici, Vince Raso as CC (2), all of address type EX.
TEST(PstRealDataTest, AnsiStoreMeeting) {
  ReadRun run = readFile("go-pst__32-bit.pst");
  ASSERT_EQ(run.sink.appointments.size(), 1u);
  const auto& appointment = run.sink.appointments[0];
  EXPECT_EQ(appointment.subject, "Updated: Olympus training for new hires");
  EXPECT_EQ(appointment.start.unix_seconds, utc(2004, 8, 19, 18, 30));
  EXPECT_EQ(appointment.end.unix_seconds, utc(2004, 8, 19, 19, 30));
  ASSERT_TRUE(appointment.organizer);
  EXPECT_EQ(appointment.organizer->display_name, "Cyndy Foulkrod");
  EXPECT_EQ(appointment.organizer->address_type, "EX");
  std::vector<std::string> required;
  std::vector<std::string> optional;
  for (const auto& attendee : appointment.attendees) {
    EXPECT_EQ(attendee.person.address_type, "EX");
    (attendee.role == model::AttendeeRole::kRequired ? required : optional).push_back(attendee.person.display_name);
  }
  EXPECT_EQ(required, (std::vector<std::string>{"Patty Fukasawa", "Barb Tentinger", "Zeeshan Farooq"}));
  EXPECT_EQ(optional, (std::vector<std::string>{"John Harrison", "Al Senzamici", "Vince Raso"}));
  // PidLidTimeZoneDescription as testdata/MANIFEST.md lists it for this file.
  EXPECT_EQ(appointment.zone_description, "(GMT-06:00) Central Time (US & Canada)");
}

// An Exchange OST: pffexport puts its calendar at "Root - Mailbox/IPM_SUBTREE/Calendar", with one
// appointment whose Appointment.txt gives Subject "05 - test email - single meeting request".
TEST(PstRealDataTest, OstCalendarPathIsBelowTheIpmSubtree) {
  ReadRun run = readFile("aspose-net__SampleOstFile.ost");
  ASSERT_EQ(run.sink.folders.size(), 1u);
  EXPECT_EQ(run.sink.folders[0].path, "/Calendar");
  ASSERT_EQ(run.sink.appointments.size(), 1u);
  EXPECT_EQ(run.sink.appointments[0].subject, "05 - test email - single meeting request");
}

TEST(PstRealDataTest, TruncatedCopiesAreErrorsNotCrashes) {
  const fs::path source = kPstDir / "pstreader__hughbe_Outlook.pst";
  std::ifstream in(source, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(bytes.size(), 271360u);
  const fs::path dir = fs::temp_directory_path() / ("m2z_pst_truncated_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  // Cut inside the header, after the header but before the B-trees, and inside the data.
  for (const std::size_t length : {std::size_t{100}, std::size_t{1024}, std::size_t{65536}, std::size_t{131072}}) {
    SCOPED_TRACE(length);
    const fs::path copy = dir / ("truncated_" + std::to_string(length) + ".pst");
    std::ofstream(copy, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(length));
    testing::RecordingSink sink;
    auto result = readCalendars(copy.string(), sink);
    ASSERT_FALSE(result);
    EXPECT_TRUE(result.error().code == "pst.open" || result.error().code == "pst.read") << result.error().describe();
    EXPECT_EQ(result.error().context, copy.string());
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace m2z::readers::pst

namespace m2z::readers::pst {
namespace {

// testdata/pstgen/sample.pst was written by tools/pstgen from sample-description.json, whose
// subject "Réunion – 会議 🎉" has a character outside the BMP (U+1F389, a UTF-16 surrogate pair).
// libpff's own UTF-8 accessor (libuna 20180714) turns that pair into U+1EF8A.
TEST(PstGroundTruth, SubjectWithACharacterOutsideTheBmpSurvives) {
  testing::RecordingSink sink;
  auto summary = readCalendars(std::string(M2Z_SOURCE_DIR) + "/testdata/pstgen/sample.pst", sink);
  ASSERT_TRUE(summary) << summary.error().describe();
  bool found = false;
  for (const auto& appointment : sink.appointments) {
    if (appointment.subject.find("Réunion") != std::string::npos) {
      EXPECT_EQ(appointment.subject, "Réunion – 会議 \xF0\x9F\x8E\x89");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace m2z::readers::pst
