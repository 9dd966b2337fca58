// RTF-only bodies, ANSI strings, appointment attachments, recovered items and damaged items, read
// from the real PST/OST files in ../shared/testdata/pst. Expected values come from pffexport and
// pffinfo (pff-tools 20180714), MANIFEST.md, and values decoded by hand from pffexport's dumps.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "readers/mapi/appointment_mapper.h"
#include "readers/mapi/field_reader.h"
#include "readers/mapi/property_ids.h"
#include "readers/mapi/rtf_text.h"
#include "readers/pst/pff_handles.h"
#include "readers/pst/pff_properties.h"
#include "readers/pst/pst_items_reader.h"
#include "readers/pst/pst_reader.h"
#include "recording_groupware_sink.h"
#include "recording_sink.h"

namespace m2z::readers::pst {
namespace {

namespace fs = std::filesystem;

const fs::path kPstDir = fs::path(M2Z_SHARED_DIR) / "testdata" / "pst";

// Calls `visit` for every message of every folder below the root (not the recovered ones).
void forEachMessage(const std::string& file_name, const std::function<void(libpff_item_t*)>& visit) {
  PffFile file;
  ASSERT_EQ(libpff_file_initialize(file.out(), nullptr), 1);
  ASSERT_EQ(libpff_file_open(file.get(), (kPstDir / file_name).c_str(), LIBPFF_OPEN_READ, nullptr), 1);
  PffItem root;
  ASSERT_EQ(libpff_file_get_root_folder(file.get(), root.out(), nullptr), 1);
  std::function<void(libpff_item_t*, int)> walk = [&](libpff_item_t* folder, int depth) {
    if (depth > 64) return;
    int messages = 0;
    if (libpff_folder_get_number_of_sub_messages(folder, &messages, nullptr) == 1) {
      for (int i = 0; i < messages; ++i) {
        PffItem message;
        if (libpff_folder_get_sub_message(folder, i, message.out(), nullptr) == 1 && message) visit(message.get());
      }
    }
    int folders = 0;
    if (libpff_folder_get_number_of_sub_folders(folder, &folders, nullptr) != 1) return;
    for (int i = 0; i < folders; ++i) {
      PffItem child;
      if (libpff_folder_get_sub_folder(folder, i, child.out(), nullptr) == 1 && child) walk(child.get(), depth + 1);
    }
  };
  walk(root.get(), 0);
}

// --- RTF-only bodies ------------------------------------------------------------------------------

TEST(PstRtfBodyTest, EveryRtfOnlyMessageOfTheOstGetsItsRtf) {
  // pffexport -d -m items -f text of aspose-net__SampleOstFile.ost: 70 exported messages (outside
  // attachments) have PidTagRtfCompressed (0x1009) but no PidTagBody (0x1000) in ItemValues.txt;
  // 2 have PidTagBody. Each RTF must decompress and convert.
  int rtf_only = 0;
  int converted = 0;
  forEachMessage("aspose-net__SampleOstFile.ost", [&](libpff_item_t* message) {
    std::vector<PropertyProblem> problems;
    auto bag = readMessage(message, problems);
    if (!bag || bag->rtf_body.empty()) return;
    ++rtf_only;
    EXPECT_EQ(bag->findTagged(0x1000), nullptr);
    std::vector<model::Finding> findings;
    const model::Provenance item;
    mapi::FieldReader fields(*bag, item, findings);
    (void)mapi::readBody(fields);
    if (findings.size() == 1 && findings[0].kind == "body.from_rtf") ++converted;
  });
  EXPECT_EQ(rtf_only, 70);
  EXPECT_EQ(converted, 70);
}

TEST(PstRtfBodyTest, AppointmentBodyFromEncapsulatedHtml) {
  // The one appointment with only an RTF body: Deleted Items, "05 - test email - single meeting
  // request". Its RTF (decompressed independently, see rtf_text_test.cpp) encapsulates HTML whose
  // text is below.
  int found = 0;
  forEachMessage("aspose-net__SampleOstFile.ost", [&](libpff_item_t* message) {
    std::vector<PropertyProblem> problems;
    auto bag = readMessage(message, problems);
    if (!bag || bag->rtf_body.empty() || bag->message_class != "IPM.Appointment") return;
    ++found;
    std::vector<model::Finding> findings;
    auto appointment = mapi::mapAppointment(*bag, model::Provenance{"ost", "/Deleted Items", "x"}, findings);
    ASSERT_TRUE(appointment.ok());
    EXPECT_EQ(appointment->subject, "05 - test email - single meeting request");
    EXPECT_EQ(appointment->body,
              "When: Tuesday, September 20, 2011 2:54 AM-3:24 AM. (GMT+05:00) Islamabad, Karachi\r\n"
              "Where: meeting request\r\n"
              "\r\n"
              "*~*~*~*~*~*~*~*~*~*\r\n"
              "test email");
    bool reported = false;
    for (const auto& finding : findings) reported = reported || finding.kind == "body.from_rtf";
    EXPECT_TRUE(reported);
  });
  EXPECT_EQ(found, 1);
}

// --- ANSI strings ---------------------------------------------------------------------------------

TEST(PstAnsiTest, SubjectOfTheAnsiStoreIsDecodedFromItsBytes) {
  // pffexport -d of go-pst__32-bit.pst: PidTagSubject (0x0037, PT_STRING8) is the bytes
  // 01 0A "Updated: Olympus training for new hires" (the 0x01 marker and the prefix length + 1),
  // PidTagMessageCodepage 0x04E4 = 1252; Appointment.txt shows the subject without the marker.
  int found = 0;
  forEachMessage("go-pst__32-bit.pst", [&](libpff_item_t* message) {
    std::vector<PropertyProblem> problems;
    auto bag = readMessage(message, problems);
    if (!bag || bag->message_class != "IPM.Appointment") return;
    ++found;
    const auto* subject = bag->findTagged(0x0037);
    ASSERT_NE(subject, nullptr);
    ASSERT_TRUE(std::holds_alternative<std::string>(*subject));
    EXPECT_EQ(std::get<std::string>(*subject), "\x01\x0A" "Updated: Olympus training for new hires");
  });
  EXPECT_EQ(found, 1);
}

// --- multi-valued properties in the shared reader -------------------------------------------------

TEST(PstMultiValueTest, DistListMembersComeFromTheSharedPropertyReader) {
  // pffexport -d of java-libpst__dist-list.pst, Contacts/DistributionList00001: the value mapped
  // to 0x8055 (PidLidDistributionListMembers, PT_MV_BINARY) starts 03000000 10000000 3d000000
  // a1000000: 3 values at offsets 0x10, 0x3D, 0xA1, so the first two have 45 and 100 bytes; the
  // one mapped to 0x8054 (PidLidDistributionListOneOffMembers) has offsets 0x10, 0x80, 0xE4:
  // 112 and 100 bytes. readMessage alone (no groupware-specific step) must give them.
  int found = 0;
  forEachMessage("java-libpst__dist-list.pst", [&](libpff_item_t* message) {
    std::vector<PropertyProblem> problems;
    auto bag = readMessage(message, problems);
    if (!bag || bag->message_class != "IPM.DistList") return;
    ++found;
    const auto* members = bag->findNamed(mapi::kPidLidDistributionListMembers.property_set,
                                         mapi::kPidLidDistributionListMembers.lid);
    const auto* one_offs = bag->findNamed(mapi::kPidLidDistributionListOneOffMembers.property_set,
                                          mapi::kPidLidDistributionListOneOffMembers.lid);
    ASSERT_NE(members, nullptr);
    ASSERT_NE(one_offs, nullptr);
    const auto& member_values = std::get<std::vector<mapi::Binary>>(*members);
    const auto& one_off_values = std::get<std::vector<mapi::Binary>>(*one_offs);
    ASSERT_EQ(member_values.size(), 3u);
    ASSERT_EQ(one_off_values.size(), 3u);
    EXPECT_EQ(member_values[0].size(), 45u);
    EXPECT_EQ(member_values[1].size(), 100u);
    EXPECT_EQ(one_off_values[0].size(), 112u);
    EXPECT_EQ(one_off_values[1].size(), 100u);
  });
  EXPECT_EQ(found, 1);
}

TEST(PstMultiValueTest, MultiValuedUnicodeStringsFromTheirStoredForm) {
  // pffexport -d of pstreader__backup_with_rules.pst: three messages in Deleted Items carry the
  // string-named PT_MV_UNICODE property "EntityNamesDelayed"; split per [MS-PST] 2.3.3.4.2
  // (count, offsets, UTF-16LE values) by a few lines of Python over the dump, they hold these.
  std::vector<std::vector<std::string>> expected = {
      {"ExtractLanguage", "KeyPhraseExtraction", "ExtractLanguage1.0", "KeyPhraseExtraction2.0"},
      {"Subscription", "M2HClassifier", "ExtractLanguage", "KeyPhraseExtraction", "Subscription1.0",
       "M2HClassifier1.0", "ExtractLanguage1.0", "KeyPhraseExtraction2.0"},
      {"Subscription", "M2HClassifier", "ExtractLanguage", "KeyPhraseExtraction", "Subscription1.0",
       "M2HClassifier1.0", "ExtractLanguage1.0", "KeyPhraseExtraction2.0"}};
  std::vector<std::vector<std::string>> found;
  forEachMessage("pstreader__backup_with_rules.pst", [&](libpff_item_t* message) {
    std::vector<PropertyProblem> problems;
    auto bag = readMessage(message, problems);
    if (!bag) return;
    for (const auto& [key, value] : bag->named) {
      const auto* name = std::get_if<std::string>(&key.name);
      if (name == nullptr || *name != "EntityNamesDelayed") continue;
      ASSERT_TRUE(std::holds_alternative<std::vector<std::string>>(value));
      found.push_back(std::get<std::vector<std::string>>(value));
    }
  });
  std::sort(found.begin(), found.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(found, expected);
}

// --- appointment attachments ---------------------------------------------------------------------

std::uint64_t fnv1a64(const std::vector<std::uint8_t>& data) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (const auto byte : data) hash = (hash ^ byte) * 0x100000001b3ull;
  return hash;
}

int countKind(const std::vector<model::Finding>& findings, std::string_view kind) {
  int count = 0;
  for (const auto& finding : findings) count += finding.kind == kind ? 1 : 0;
  return count;
}

TEST(PstAttachmentTest, OstMeetingCarriesItsInvitationPdf) {
  // pffexport -m items -f all of aspose-net__SampleOstFile.ost writes
  // Calendar/Appointment00001/Attachments/1_Invitation.pdf (pffexport prefixes the index):
  // 10642 bytes, "%PDF-1.4" ... "%%EOF\n", FNV-1a-64 0xc925c01b3cee6085 (computed over that
  // exported file with a few lines of Python). Its attachment has no PidTagAttachMimeTag
  // (pffexport -d), so the type comes from ".pdf".
  testing::RecordingSink sink;
  auto summary = readCalendars((kPstDir / "aspose-net__SampleOstFile.ost").string(), sink);
  ASSERT_TRUE(summary.ok());
  ASSERT_EQ(sink.appointments.size(), 1u);
  const auto& attachments = sink.appointments[0].attachments;
  ASSERT_EQ(attachments.size(), 1u);
  EXPECT_EQ(attachments[0].name, "Invitation.pdf");
  EXPECT_EQ(attachments[0].mime_type, "application/pdf");
  EXPECT_EQ(attachments[0].size, 10642u);
  ASSERT_EQ(attachments[0].content.size(), 10642u);
  EXPECT_EQ(std::string(attachments[0].content.begin(), attachments[0].content.begin() + 8), "%PDF-1.4");
  EXPECT_EQ(fnv1a64(attachments[0].content), 0xc925c01b3cee6085ull);
}

TEST(PstAttachmentTest, ExceptionMessagesAreNotFileAttachments) {
  // java-libpst__dist-list.pst: the weekly series has 2 attachments, both embedded exception
  // appointments (pffexport: Attachments/Attachment0000{1,2}/Appointment00001), no files.
  testing::RecordingSink sink;
  auto summary = readCalendars((kPstDir / "java-libpst__dist-list.pst").string(), sink);
  ASSERT_TRUE(summary.ok());
  ASSERT_EQ(sink.appointments.size(), 1u);
  EXPECT_TRUE(sink.appointments[0].attachments.empty());
  ASSERT_TRUE(sink.appointments[0].recurrence);
}

TEST(PstAttachmentTest, AttachmentOverTheCapIsReportedNotRead) {
  testing::RecordingSink sink;
  ReadOptions options;
  options.max_attachment_bytes = 10000;  // the PDF has 10642
  auto summary = readCalendars((kPstDir / "aspose-net__SampleOstFile.ost").string(), sink, options);
  ASSERT_TRUE(summary.ok());
  ASSERT_EQ(sink.appointments.size(), 1u);
  EXPECT_TRUE(sink.appointments[0].attachments.empty());
  ASSERT_EQ(countKind(sink.findings, "attachment.not_migrated"), 1);
  for (const auto& finding : sink.findings) {
    if (finding.kind != "attachment.not_migrated") continue;
    EXPECT_EQ(finding.before, "Invitation.pdf");
    EXPECT_EQ(finding.item.folder_path, "/Calendar");
    EXPECT_NE(finding.why.find("10642"), std::string::npos);
  }
}

// --- recovered and orphan items -------------------------------------------------------------------

TEST(PstRecoverTest, RecoveredAppointmentsMatchPffexport) {
  // pffexport -m all -f all: the top level of <file>.recovered holds Appointment0000N folders
  // for 3 items of java-libpst__dist-list.pst (all "Test appointment", as MANIFEST.md says) and 1
  // of aspose-net__SampleOstFile.ost; no other file has recovered appointments, contacts,
  // distribution lists or tasks, and none has orphan items (no <file>.orphans).
  const std::map<std::string, int> recovered_appointments = {{"java-libpst__dist-list.pst", 3},
                                                             {"aspose-net__SampleOstFile.ost", 1}};
  for (const auto& entry : fs::directory_iterator(kPstDir)) {
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    testing::RecordingSink plain_sink;
    auto plain = readCalendars(entry.path().string(), plain_sink);
    testing::RecordingSink sink;
    ReadOptions options;
    options.recover = true;
    auto summary = readCalendars(entry.path().string(), sink, options);
    if (!plain.ok()) {
      EXPECT_FALSE(summary.ok());
      continue;
    }
    ASSERT_TRUE(summary.ok());
    const auto it = recovered_appointments.find(name);
    const int expected = it == recovered_appointments.end() ? 0 : it->second;
    EXPECT_EQ(summary->recovered_appointments, expected);
    EXPECT_EQ(plain->recovered_appointments, 0);
    EXPECT_EQ(countKind(sink.findings, "item.recovered"), expected);
    EXPECT_EQ(countKind(sink.findings, "item.orphan"), 0);
    int in_recovered = 0;
    for (const auto& appointment : sink.appointments) in_recovered += appointment.provenance.folder_path == "/(recovered)";
    EXPECT_EQ(in_recovered, expected);
    EXPECT_EQ(sink.appointments.size(), plain_sink.appointments.size() + static_cast<std::size_t>(expected));

    testing::RecordingGroupwareSink groupware_sink;
    auto groupware = readGroupware(entry.path().string(), groupware_sink, options);
    if (groupware.ok()) {
      EXPECT_EQ(groupware->recovered, 0);
    }
  }
}

TEST(PstRecoverTest, RecoveredCopiesKeepTheirContent) {
  testing::RecordingSink sink;
  ReadOptions options;
  options.recover = true;
  auto summary = readCalendars((kPstDir / "java-libpst__dist-list.pst").string(), sink, options);
  ASSERT_TRUE(summary.ok());
  bool announced = false;
  for (const auto& folder : sink.folders) announced = announced || folder.path == "/(recovered)";
  EXPECT_TRUE(announced);
  for (const auto& appointment : sink.appointments) {
    if (appointment.provenance.folder_path != "/(recovered)") continue;
    EXPECT_EQ(appointment.subject, "Test appointment");  // pffexport's Appointment.txt of each copy
    EXPECT_FALSE(appointment.provenance.entry_id.empty());
  }
}

// --- damaged items --------------------------------------------------------------------------------

TEST(PstDamageTest, TwelveUnreadableContactsAreSkippedAndReadingGoesOn) {
  // MANIFEST.md: aspose-net__Test_part1.pst's Contacts folder has PidTagContentCount 21;
  // pffexport exports 9 and logs "unable to read table" / "unable to retrieve record entry
  // 0x001a" for the other 12 (the file is the first part of a split PST).
  testing::RecordingGroupwareSink sink;
  auto summary = readGroupware((kPstDir / "aspose-net__Test_part1.pst").string(), sink);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->contacts, 9);
  EXPECT_EQ(summary->skipped, 12);
  int unreadable = 0;
  for (const auto& finding : sink.findings) {
    if (!finding.item_skipped) continue;
    ++unreadable;
    EXPECT_EQ(finding.kind, "item.unreadable");
    EXPECT_EQ(finding.item.source_file, (kPstDir / "aspose-net__Test_part1.pst").string());
    EXPECT_EQ(finding.item.folder_path, "/Contacts");
    EXPECT_FALSE(finding.item.entry_id.empty());
    EXPECT_FALSE(finding.field.empty());
    EXPECT_FALSE(finding.why.empty());
  }
  EXPECT_EQ(unreadable, 12);
  // The calendar of the same file is still read after the damaged contacts' folder is met (9
  // appointments, pffexport's Calendar/Appointment00001..9).
  testing::RecordingSink calendar_sink;
  auto calendars = readCalendars((kPstDir / "aspose-net__Test_part1.pst").string(), calendar_sink);
  ASSERT_TRUE(calendars.ok());
  EXPECT_EQ(calendars->appointments, 9);
}

TEST(PstDamageTest, EverySkippedItemOfEveryFileIsNamedFully) {
  // Whatever the reason an item is skipped (unreadable, not ours, kept outside a calendar), its
  // finding names the file, the folder, the item and the field it is about.
  for (const auto& entry : fs::directory_iterator(kPstDir)) {
    SCOPED_TRACE(entry.path().filename().string());
    testing::RecordingGroupwareSink sink;
    ReadOptions options;
    options.recover = true;
    (void)readCalendars(entry.path().string(), sink, options);
    (void)readGroupware(entry.path().string(), sink, options);
    for (const auto& finding : sink.findings) {
      if (!finding.item_skipped) continue;
      EXPECT_EQ(finding.item.source_file, entry.path().string()) << finding.kind;
      EXPECT_FALSE(finding.item.folder_path.empty()) << finding.kind;
      EXPECT_FALSE(finding.item.entry_id.empty()) << finding.kind;
      EXPECT_FALSE(finding.field.empty()) << finding.kind << " " << finding.why;
      EXPECT_FALSE(finding.why.empty()) << finding.kind;
    }
  }
}

}  // namespace
}  // namespace m2z::readers::pst
