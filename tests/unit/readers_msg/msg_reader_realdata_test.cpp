// readMsgFile on every file of ../shared/testdata/msg. Expected values come from
// tests/unit/readers_msg/olefile_dump.py (python3-olefile, an implementation of [MS-OXMSG] that
// shares no code with ours) run on each file, and from MANIFEST.md; times are the dumped UTC
// FILETIMEs as Unix seconds (Python: calendar.timegm), recurrence patterns the dumped
// RecurrencePattern fields ([MS-OXOCAL] 2.2.1.44.1).
#include "readers/msg/msg_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include "../readers/recording_groupware_sink.h"
#include "readers/msg/msg_properties.h"
#include "readers/msg/olecf_storage.h"
#include "readers/msg/rtf_decompress.h"

namespace m2z::readers::msg {
namespace {

namespace fs = std::filesystem;
using model::RecurrencePattern;
using model::RecurrenceEnd;
using model::Weekday;

const fs::path kMsgDir = fs::path(M2Z_SHARED_DIR) / "testdata" / "msg";

struct MsgRun {
  testing::RecordingGroupwareSink sink;
  MsgReadSummary summary;
};

MsgRun read(const std::string& name) {
  MsgRun run;
  auto summary = readMsgFile((kMsgDir / name).string(), run.sink);
  EXPECT_TRUE(summary) << name << ": " << summary.error().describe();
  if (summary) run.summary = *summary;
  return run;
}

// Message class of each file (olefile_dump.py: PidTagMessageClass, 0x001A) and what it becomes.
struct Expected {
  const char* message_class;
  int appointments, contacts, dist_lists, tasks, skipped;
};
const std::map<std::string, Expected> kExpected = {
    {"aspose-net__Contact.msg", {"IPM.Contact", 0, 1, 0, 0, 0}},
    {"aspose-net__Meeting with Recurring Occurrences.msg", {"IPM.Schedule.Meeting.Request", 1, 0, 0, 0, 0}},
    {"aspose-net__NewGroup.msg", {"IPM.DistList", 0, 0, 1, 0, 0}},
    // A template with no PidLidAppointmentStartWhole nor PidTagStartDate (olefile_dump.py lists
    // neither): accounted for as skipped.
    {"aspose-net__sample.oft", {"IPM.Appointment", 0, 0, 0, 0, 1}},
    {"aspose-net__task.msg", {"IPM.Task", 0, 0, 0, 1, 0}},
    {"msgreader__7 days  everyday.msg", {"IPM.Appointment", 1, 0, 0, 0, 0}},
    {"msgreader__A black friday (w tz).msg", {"IPM.Appointment", 1, 0, 0, 0, 0}},
    {"msgreader__A daily 1.msg", {"IPM.Appointment", 1, 0, 0, 0, 0}},
    {"msgreader__A memo.msg", {"IPM.StickyNote", 0, 0, 0, 0, 1}},  // a note: not ours
    {"msgreader__A monthly 1.msg", {"IPM.Appointment", 1, 0, 0, 0, 0}},
    {"msgreader__A schedule.msg", {"IPM.Appointment", 1, 0, 0, 0, 0}},
    {"msgreader__A weekly 1.msg", {"IPM.Appointment", 1, 0, 0, 0, 0}},
    {"msgreader__Appointment sample EST.msg", {"IPM.Appointment", 1, 0, 0, 0, 0}},
    {"msgreader__Friday Lunch.msg", {"IPM.Appointment", 1, 0, 0, 0, 0}},
    {"msgreader__Lanch time  every friday  in 2023 chgs1.msg", {"IPM.Appointment", 1, 0, 0, 0, 0}},
    {"msgreader__Lanch time  every friday  in 2023 org.msg", {"IPM.Appointment", 1, 0, 0, 0, 0}},
    {"msgreader__contactAnsi.msg", {"IPM.Contact", 0, 1, 0, 0, 0}},
    {"msgreader__contactUnicode.msg", {"IPM.Contact", 0, 1, 0, 0, 0}},
    {"ruby-msg__Swetlana Novikova.msg", {"IPM.Contact", 0, 1, 0, 0, 0}},
    {"ruby-msg__contact-plain.msg", {"IPM.Contact", 0, 1, 0, 0, 0}},
    {"ruby-msg__contact-unicode.msg", {"IPM.Contact", 0, 1, 0, 0, 0}},
    {"tika__testMSG_Appointment.msg", {"IPM.Appointment", 1, 0, 0, 0, 0}},
    {"tika__testMSG_Contact.msg", {"IPM.Contact", 0, 1, 0, 0, 0}},
    {"tika__testMSG_Task.msg", {"IPM.Task", 0, 0, 0, 1, 0}},
};

TEST(MsgRealData, EveryFileIsReadAndItsMessageAccountedFor) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(kMsgDir)) {
    const std::string name = entry.path().filename().string();
    const auto expected = kExpected.find(name);
    ASSERT_NE(expected, kExpected.end()) << "no expectation for " << name;
    ++files;
    MsgRun run = read(name);
    const auto& s = run.summary;
    EXPECT_EQ(s.message_class, expected->second.message_class) << name;
    EXPECT_EQ(s.items_seen, 1) << name;
    EXPECT_EQ(s.appointments, expected->second.appointments) << name;
    EXPECT_EQ(s.contacts, expected->second.contacts) << name;
    EXPECT_EQ(s.dist_lists, expected->second.dist_lists) << name;
    EXPECT_EQ(s.tasks, expected->second.tasks) << name;
    EXPECT_EQ(s.skipped, expected->second.skipped) << name;
    EXPECT_EQ(s.appointments + s.contacts + s.dist_lists + s.tasks + s.skipped, 1) << name;
    EXPECT_EQ(run.sink.skippedItems(), s.skipped) << name;
    ASSERT_EQ(run.sink.folders.size(), 1u) << name;
    EXPECT_EQ(run.sink.folders[0].path, "/" + name);
    // Every stream of these files is readable: no property problems.
    for (const auto& finding : run.sink.findings) EXPECT_NE(finding.kind, "property.unreadable") << name << ": " << finding.field << " " << finding.why;
  }
  EXPECT_EQ(files, static_cast<int>(kExpected.size()));
}

struct Timed {
  const char* file;
  const char* subject;
  std::int64_t start, end;
  bool all_day;
  const char* zone_key;  // the key name in PidLidAppointmentTimeZoneDefinitionStartDisplay
};

TEST(MsgRealData, AppointmentSubjectsTimesAndZones) {
  const Timed cases[] = {
      // 0x820D/0x820E 2021-10-13T09:30:00Z..10:00Z; 0x825E key "Tokyo Standard Time".
      {"msgreader__A schedule.msg", "A schedule", 1634117400, 1634119200, false, "Tokyo Standard Time"},
      // 2022-12-01T15:00Z..2022-12-02T15:00Z, PidLidAppointmentSubType true.
      {"msgreader__A black friday (w tz).msg", "A black friday", 1669906800, 1669993200, true, "Tokyo Standard Time"},
      // MANIFEST: "named EST but stored with Tokyo TZ definition": the description says Tokyo,
      // while 0x825E's key (UTF-16 after the header) is "Eastern Standard Time". 13:00Z..13:30Z.
      {"msgreader__Appointment sample EST.msg", "Appointment sample EST", 1670158800, 1670160600, false,
       "Eastern Standard Time"},
      // 2017-02-28T18:30Z..19:00Z; key "Eastern Standard Time".
      {"tika__testMSG_Appointment.msg", "Quick brown fox", 1488306600, 1488308400, false, "Eastern Standard Time"},
      // The meeting request: 2017-01-19T17:30Z..18:00Z, TZ description "(UTC+05:00) Islamabad, Karachi".
      {"aspose-net__Meeting with Recurring Occurrences.msg", "Meeting with Recurring Occurrences", 1484847000,
       1484848800, false, "Pakistan Standard Time"},
  };
  for (const auto& c : cases) {
    MsgRun run = read(c.file);
    ASSERT_EQ(run.sink.appointments.size(), 1u) << c.file;
    const auto& a = run.sink.appointments[0];
    EXPECT_EQ(a.subject, c.subject) << c.file;
    EXPECT_EQ(a.start.unix_seconds, c.start) << c.file;
    EXPECT_EQ(a.end.unix_seconds, c.end) << c.file;
    EXPECT_EQ(a.all_day, c.all_day) << c.file;
    ASSERT_TRUE(a.start_zone) << c.file;
    EXPECT_EQ(a.start_zone->key_name, c.zone_key) << c.file;
    EXPECT_EQ(a.provenance.entry_id, c.file);
  }
  MsgRun schedule = read("msgreader__A schedule.msg");
  EXPECT_EQ(schedule.sink.appointments[0].location, "A place");  // PidLidLocation
  // PidLidTimeZoneDescription, non-ASCII (MANIFEST: '(UTC+09:00) 大阪、札幌、東京').
  EXPECT_EQ(schedule.sink.appointments[0].zone_description, "(UTC+09:00) 大阪、札幌、東京");
  // PidLidGlobalObjectId: 56 bytes (MANIFEST goid=56), shown as upper-case hex.
  EXPECT_EQ(schedule.sink.appointments[0].uid.size(), 112u);
}

TEST(MsgRealData, RecurrencePatterns) {
  {
    // RecurFrequency 0x200A (daily), PatternType 1 with days 0x3E (Mon-Fri): "every weekday";
    // EndType 0x2022 after 1 occurrence; start 2022-12-11T15:00Z = 2022-12-12 00:00 in Tokyo.
    MsgRun run = read("msgreader__A daily 1.msg");
    ASSERT_EQ(run.sink.appointments.size(), 1u);
    const auto& r = run.sink.appointments[0].recurrence;
    ASSERT_TRUE(r);
    EXPECT_EQ(r->pattern, RecurrencePattern::kDaily);
    EXPECT_TRUE(r->every_weekday);
    EXPECT_EQ(r->weekdays, (std::vector<Weekday>{Weekday::kMonday, Weekday::kTuesday, Weekday::kWednesday,
                                                 Weekday::kThursday, Weekday::kFriday}));
    EXPECT_EQ(r->end, RecurrenceEnd::kAfterCount);
    EXPECT_EQ(r->count, 1);
    EXPECT_EQ(r->start_date, (model::CivilDate{2022, 12, 12}));
  }
  {
    // Daily (PatternType 0, Period 1440 minutes = 1 day), EndType 0x2021 (by date), 7 occurrences
    // from 2022-12-01 (Tokyo): the last is 2022-12-07.
    MsgRun run = read("msgreader__7 days  everyday.msg");
    const auto& r = run.sink.appointments.at(0).recurrence;
    ASSERT_TRUE(r);
    EXPECT_EQ(r->pattern, RecurrencePattern::kDaily);
    EXPECT_FALSE(r->every_weekday);
    EXPECT_EQ(r->interval, 1);
    EXPECT_EQ(r->end, RecurrenceEnd::kByDate);
    EXPECT_EQ(r->end_date, (model::CivilDate{2022, 12, 7}));
  }
  {
    // Weekly (0x200B), day mask 0x02: Monday; 16:00-16:30 Tokyo (07:00Z-07:30Z).
    MsgRun run = read("msgreader__A weekly 1.msg");
    const auto& r = run.sink.appointments.at(0).recurrence;
    ASSERT_TRUE(r);
    EXPECT_EQ(r->pattern, RecurrencePattern::kWeekly);
    EXPECT_EQ(r->weekdays, (std::vector<Weekday>{Weekday::kMonday}));
    EXPECT_EQ(r->start_minute, 16 * 60);
    EXPECT_EQ(r->end_minute, 16 * 60 + 30);
  }
  {
    // Monthly (0x200C), PatternType 2, day 12, every 1 month.
    MsgRun run = read("msgreader__A monthly 1.msg");
    const auto& r = run.sink.appointments.at(0).recurrence;
    ASSERT_TRUE(r);
    EXPECT_EQ(r->pattern, RecurrencePattern::kMonthlyByDay);
    EXPECT_EQ(r->day_of_month, 12);
    EXPECT_EQ(r->interval, 1);
  }
  {
    // The meeting request: weekly, mask 0x12 (Monday, Thursday), EndType 0x2023 (never).
    MsgRun run = read("aspose-net__Meeting with Recurring Occurrences.msg");
    const auto& r = run.sink.appointments.at(0).recurrence;
    ASSERT_TRUE(r);
    EXPECT_EQ(r->pattern, RecurrencePattern::kWeekly);
    EXPECT_EQ(r->weekdays, (std::vector<Weekday>{Weekday::kMonday, Weekday::kThursday}));
    EXPECT_EQ(r->end, RecurrenceEnd::kNever);
  }
}

TEST(MsgRealData, ExceptionsComeFromEmbeddedMessages) {
  // Weekly on Friday (mask 0x20) 12:00-13:00 Tokyo through 2023 (EndType 0x2021); two
  // attachments with PidTagAttachMethod 5. Attachment 0's embedded message has PidTagSubject
  // "Monday Lunch", PidLidAppointmentStartWhole 2023-01-09T03:00Z (12:00 Tokyo) and replaces the
  // instance of 2023-01-13 (PidLidExceptionReplaceTime 2023-01-13T03:00Z).
  MsgRun run = read("msgreader__Friday Lunch.msg");
  ASSERT_EQ(run.sink.appointments.size(), 1u);
  const auto& a = run.sink.appointments[0];
  EXPECT_EQ(a.subject, "Friday Lunch");
  ASSERT_TRUE(a.recurrence);
  EXPECT_EQ(a.recurrence->weekdays, (std::vector<Weekday>{Weekday::kFriday}));
  EXPECT_EQ(a.recurrence->end_date, (model::CivilDate{2023, 12, 31}));
  ASSERT_EQ(a.recurrence->exceptions.size(), 2u);
  const auto first = std::find_if(a.recurrence->exceptions.begin(), a.recurrence->exceptions.end(),
                                  [](const model::AppointmentException& e) { return e.subject == "Monday Lunch"; });
  ASSERT_NE(first, a.recurrence->exceptions.end());
  EXPECT_EQ(first->start, (model::LocalDateTime{{2023, 1, 9}, 12, 0, 0}));
  EXPECT_EQ(first->original_start, (model::LocalDateTime{{2023, 1, 13}, 12, 0, 0}));

  // The same series after one change: one embedded exception, subject changed to "... [rescheduled!]".
  MsgRun changed = read("msgreader__Lanch time  every friday  in 2023 chgs1.msg");
  ASSERT_TRUE(changed.sink.appointments.at(0).recurrence);
  ASSERT_EQ(changed.sink.appointments[0].recurrence->exceptions.size(), 1u);
  EXPECT_EQ(changed.sink.appointments[0].recurrence->exceptions[0].subject,
            "Lanch time, every friday, in 2023 [rescheduled!]");
}

TEST(MsgRealData, Contacts) {
  struct Case {
    const char* file;
    const char* display_name;  // PidTagDisplayName 0x3001
    const char* given;         // 0x3A06
    const char* surname;       // 0x3A11
    const char* file_as;       // PidLidFileUnder
    const char* email;         // PidLidEmail1EmailAddress
  };
  const Case cases[] = {
      {"tika__testMSG_Contact.msg", "Dr Quick Brown Fox Jr", "Quick", "Fox", "Fox, Quick Brown", "quickbrown@gmail.com"},
      {"aspose-net__Contact.msg", "FirstName LastName", "FirstName", "LastName", "LastName, FirstName",
       "user@domain.com"},
      {"msgreader__contactUnicode.msg", "Mr. イグザンプル ドット コム 殿", "コム", "イグザンプル",
       "イグザンプル, コム ドット", "test@example.com"},
      // The ANSI copy of the same contact: PT_STRING8 values in code page 932 (MSG_CODEPAGE=cp932
      // olefile_dump.py gives the Unicode copy's text), though PidTagInternetCodepage says 50220.
      {"msgreader__contactAnsi.msg", "Mr. イグザンプル ドット コム 殿", "コム", "イグザンプル",
       "イグザンプル, コム ドット", "test@example.com"},
      // ANSI, PidTagInternetCodepage 20866, ASCII text.
      {"ruby-msg__Swetlana Novikova.msg", "Swetlana Novikova", "Swetlana", "Novikova", "Novikova, Swetlana",
       "support@scalabium.com"},
      {"ruby-msg__contact-plain.msg", "(full name) A completely bogus contact", "(full name) A", "contact",
       "(file as) contact, A completely bogus", "email@emailland.com"},
      {"ruby-msg__contact-unicode.msg", "(full name) A completely bogus contact", "(full name) A", "contact",
       "(file as) contact, A completely bogus", "email@emailland.com"},
  };
  for (const auto& c : cases) {
    MsgRun run = read(c.file);
    ASSERT_EQ(run.sink.contacts.size(), 1u) << c.file;
    const auto& contact = run.sink.contacts[0];
    EXPECT_EQ(contact.display_name, c.display_name) << c.file;
    EXPECT_EQ(contact.given_name, c.given) << c.file;
    EXPECT_EQ(contact.surname, c.surname) << c.file;
    EXPECT_EQ(contact.file_as, c.file_as) << c.file;
    ASSERT_FALSE(contact.emails.empty()) << c.file;
    EXPECT_EQ(contact.emails[0].address, c.email) << c.file;
  }
  MsgRun tika = read("tika__testMSG_Contact.msg");
  EXPECT_EQ(tika.sink.contacts[0].company, "Fence Co");  // PidTagCompanyName
}

TEST(MsgRealData, DistributionListMembersFromMultiValuedBinaries) {
  // PidLidDistributionListOneOffMembers (0x800F1102 in this file) holds two One-Off EntryIDs,
  // "User2 (user2@gmail.com)" / user2@gmail.com first, then User1.
  MsgRun run = read("aspose-net__NewGroup.msg");
  ASSERT_EQ(run.sink.dist_lists.size(), 1u);
  const auto& list = run.sink.dist_lists[0];
  EXPECT_EQ(list.name, "NewGroup");
  ASSERT_EQ(list.members.size(), 2u);
  EXPECT_EQ(list.members[0].email, "user2@gmail.com");
  EXPECT_EQ(list.members[1].email, "user1@gmail.com");
}

TEST(MsgRealData, Tasks) {
  // PidLidTaskStatus 1 (in progress), PidLidTaskDueDate 2017-03-10T00:00Z, PidLidTaskStartDate
  // 2017-02-19T00:00Z (midnight UTC of the local day, [MS-OXOTASK] 2.2.2.2.4).
  MsgRun tika = read("tika__testMSG_Task.msg");
  ASSERT_EQ(tika.sink.tasks.size(), 1u);
  EXPECT_EQ(tika.sink.tasks[0].subject, "Must jump over the lazy dog");
  EXPECT_EQ(tika.sink.tasks[0].status, model::TaskStatus::kInProgress);
  EXPECT_EQ(tika.sink.tasks[0].due, (model::CivilDate{2017, 3, 10}));
  EXPECT_EQ(tika.sink.tasks[0].start, (model::CivilDate{2017, 2, 19}));
  EXPECT_EQ(tika.sink.tasks[0].percent_complete, 0);  // PidLidPercentComplete 0.0

  MsgRun aspose = read("aspose-net__task.msg");
  ASSERT_EQ(aspose.sink.tasks.size(), 1u);
  EXPECT_EQ(aspose.sink.tasks[0].subject, "TASK-34759");
  EXPECT_EQ(aspose.sink.tasks[0].status, model::TaskStatus::kInProgress);
  EXPECT_FALSE(aspose.sink.tasks[0].due);  // no PidLidTaskDueDate in the file
}

// Every PidTagRtfCompressed of these files (olefile_dump.py lists 0x1009 in 19 of them) gives
// as many bytes as its header's RAWSIZE says, starting "{\rtf1" as RTF does ([MSFT-RTF]).
TEST(MsgRealData, CompressedRtfBodiesDecompressToTheirRawSize) {
  int bodies = 0;
  for (const auto& entry : fs::directory_iterator(kMsgDir)) {
    const std::string name = entry.path().filename().string();
    OleError error;
    OleFile file;
    ASSERT_EQ(libolecf_file_initialize(file.out(), error.out()), 1);
    ASSERT_EQ(libolecf_file_open(file.get(), entry.path().c_str(), LIBOLECF_OPEN_READ, error.out()), 1) << name;
    OleItem root_item;
    ASSERT_EQ(libolecf_file_get_root_item(file.get(), root_item.out(), error.out()), 1) << name;
    OleStorage root(std::move(root_item));
    auto stored = root.readStream("__substg1.0_10090102", std::size_t{1} << 24);
    ASSERT_TRUE(stored) << name;
    if (!*stored) continue;
    ++bodies;
    const auto& bytes = **stored;
    ASSERT_GE(bytes.size(), 16u) << name;
    const std::size_t raw_size = bytes[4] | bytes[5] << 8 | bytes[6] << 16 | static_cast<std::size_t>(bytes[7]) << 24;
    auto rtf = decompressRtf(bytes, std::size_t{1} << 24);
    ASSERT_TRUE(rtf) << name << ": " << rtf.error().describe();
    EXPECT_EQ(rtf->size(), raw_size) << name;
    EXPECT_EQ(rtf->rfind("{\\rtf1", 0), 0u) << name;
  }
  EXPECT_EQ(bodies, 19);
}

// Damaged copies of every file (cut short, or with bytes overwritten through the directory and
// the property streams): each read ends with a summary or an Error naming the file, never a
// crash; a summary still accounts for the one message.
TEST(MsgRealData, DamagedCopiesNeverCrash) {
  const fs::path scratch = fs::temp_directory_path() / ("m2z_msg_damaged_" + std::to_string(::getpid()));
  fs::create_directories(scratch);
  for (const auto& entry : fs::directory_iterator(kMsgDir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string original((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<std::string> variants;
    for (std::size_t cut : {std::size_t{512}, std::size_t{1536}, original.size() / 2, original.size() - 1}) {
      variants.push_back(original.substr(0, cut));
    }
    for (std::size_t step : {std::size_t{97}, std::size_t{509}}) {
      std::string damaged = original;
      for (std::size_t at = 512; at < damaged.size(); at += step) damaged[at] = static_cast<char>(damaged[at] ^ 0x5A);
      variants.push_back(damaged);
    }
    for (std::size_t i = 0; i < variants.size(); ++i) {
      const fs::path path = scratch / ("v" + std::to_string(i) + ".msg");
      std::ofstream(path, std::ios::binary) << variants[i];
      testing::RecordingGroupwareSink sink;
      auto result = readMsgFile(path.string(), sink);
      if (!result) {
        EXPECT_NE(result.error().context.find(path.string()), std::string::npos) << result.error().describe();
        continue;
      }
      EXPECT_EQ(result->items_seen, 1);
      EXPECT_EQ(result->appointments + result->contacts + result->dist_lists + result->tasks + result->skipped, 1)
          << entry.path().filename() << " variant " << i;
    }
  }
  fs::remove_all(scratch);
}

TEST(MsgRealData, NotAMsgFileIsAnErrorNamingIt) {
  testing::RecordingGroupwareSink sink;
  const std::string path = (fs::path(M2Z_SHARED_DIR) / "testdata" / "MANIFEST.md").string();
  auto result = readMsgFile(path, sink);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, "msg.open");
  EXPECT_EQ(result.error().context, path);
  EXPECT_TRUE(sink.folders.empty());
}

}  // namespace
}  // namespace m2z::readers::msg
