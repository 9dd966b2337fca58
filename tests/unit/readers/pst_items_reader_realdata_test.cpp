// readGroupware on the real PST/OST files in ../shared/testdata/pst, checked against what
// pffexport (libpff's own exporter, pff-tools 20180714) shows for the same files.
#include "readers/pst/pst_items_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "recording_groupware_sink.h"

namespace m2z::readers::pst {
namespace {

namespace fs = std::filesystem;

const fs::path kPstDir = fs::path(M2Z_SHARED_DIR) / "testdata" / "pst";

struct Expected {
  int contacts;
  int dist_lists;
  int tasks;
  int skipped;
};

// Obtained with tests/unit/readers/pffexport_groupware_counts.py, which runs
//   pffexport -d -m items -f all -q -t <tmp> <file>
// and counts, by PidTagMessageClass (0x001A in each exported item's ItemValues.txt), the items
// exported into folders whose PidTagContainerClass (0x3613) starts with IPF.Contact or IPF.Task,
// plus (by a walk over every exported item) IPM.Contact/IPM.DistList/IPM.Task items filed
// elsewhere: only aspose-net__PersonalStorageFile1.pst has those (72 contacts in "myInbox", an
// IPF.Note folder, as MANIFEST.md section 1 says). Skipped items:
// - aspose-net__Test_part1.pst: its Contacts folder's PidTagContentCount is 21, pffexport exports
//   9 and logs "unable to retrieve item type" for the other 12 (the file is the first part of a
//   split PST; their data lies beyond its end): 12 skipped as unreadable.
// - pstreader__backup_with_rules.pst: "PersonMetadata" (IPF.Contact) holds one item that
//   pffexport reports as "Skipped item 1 out of 1 of type: IPM.AbchPerson": skipped, not a contact.
// Search folders ("To-Do Search", IPF.Task) export no items in pffexport, and none are read here.
const std::map<std::string, Expected> kExpected = {
    {"aspose-net__Outlook.pst", {1, 0, 0, 0}},
    {"aspose-net__PersonalStorageFile1.pst", {72, 0, 0, 0}},
    {"aspose-net__SampleOstFile.ost", {0, 0, 0, 0}},
    {"aspose-net__Test_part1.pst", {9, 0, 0, 12}},
    {"go-pst__32-bit.pst", {0, 0, 0, 0}},
    {"java-libpst__dist-list.pst", {1, 1, 0, 0}},
    {"java-libpst__passworded.pst", {1, 1, 0, 0}},
    {"process-pst__flags_jane_doe.pst", {0, 0, 0, 0}},
    {"pst2john__2003_high-encryption_quickquick.pst", {0, 0, 0, 0}},
    {"pstreader__Outlook98Backup.pst", {0, 0, 0, 0}},
    {"pstreader__backup_with_rules.pst", {2, 0, 0, 1}},
    {"pstreader__hughbe_Outlook.pst", {1, 1, 1, 0}},
};

struct ReadRun {
  testing::RecordingGroupwareSink sink;
  GroupwareSummary summary;
};

ReadRun readFile(const std::string& name) {
  ReadRun run;
  auto result = readGroupware((kPstDir / name).string(), run.sink);
  EXPECT_TRUE(result) << name << ": " << (result ? "" : result.error().describe());
  if (result) run.summary = *result;
  return run;
}

TEST(PstGroupwareRealDataTest, EveryItemIsAccountedFor) {
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
    EXPECT_EQ(static_cast<int>(run.sink.contacts.size()), expected->second.contacts);
    EXPECT_EQ(static_cast<int>(run.sink.dist_lists.size()), expected->second.dist_lists);
    EXPECT_EQ(static_cast<int>(run.sink.tasks.size()), expected->second.tasks);
    EXPECT_EQ(run.sink.skippedItems(), expected->second.skipped);
    EXPECT_EQ(run.summary.contacts, expected->second.contacts);
    EXPECT_EQ(run.summary.dist_lists, expected->second.dist_lists);
    EXPECT_EQ(run.summary.tasks, expected->second.tasks);
    EXPECT_EQ(run.summary.skipped, expected->second.skipped);
    EXPECT_EQ(run.summary.items_seen,
              run.summary.contacts + run.summary.dist_lists + run.summary.tasks + run.summary.skipped);
    EXPECT_TRUE(run.sink.appointments.empty());
  }
  EXPECT_EQ(files, static_cast<int>(kExpected.size()));
}

const model::Contact* byName(const std::vector<model::Contact>& contacts, const std::string& name) {
  const auto found = std::find_if(contacts.begin(), contacts.end(),
                                  [&](const model::Contact& c) { return c.display_name == name; });
  return found == contacts.end() ? nullptr : &*found;
}

// Values from pffexport's ItemValues.txt of Contact00036 (PidTagDisplayName 0x3001 and the rest as
// named) in the "myInbox" folder.
TEST(PstGroupwareRealDataTest, AsposeContactsCarryTheirFields) {
  ReadRun run = readFile("aspose-net__PersonalStorageFile1.pst");
  ASSERT_EQ(run.sink.contacts.size(), 72u);
  ASSERT_EQ(run.sink.folders.size(), 1u);
  EXPECT_EQ(run.sink.folders[0].path, "/myInbox");
  // pffexport: 60 of the 72 carry PidLidEmail1EmailAddress (0x8083); six names, twelve each.
  const auto with_email = std::count_if(run.sink.contacts.begin(), run.sink.contacts.end(),
                                        [](const model::Contact& c) { return !c.emails.empty(); });
  EXPECT_EQ(with_email, 60);
  const auto berthas = std::count_if(run.sink.contacts.begin(), run.sink.contacts.end(),
                                     [](const model::Contact& c) { return c.display_name == "Bertha A. Buell"; });
  EXPECT_EQ(berthas, 12);
  const model::Contact* bertha = byName(run.sink.contacts, "Bertha A. Buell");
  ASSERT_NE(bertha, nullptr);
  EXPECT_EQ(bertha->given_name, "Bertha");              // 0x3A06
  EXPECT_EQ(bertha->middle_name, "A.");                 // 0x3A44
  EXPECT_EQ(bertha->surname, "Buell");                  // 0x3A11
  EXPECT_EQ(bertha->company, "Awthentikz");             // 0x3A16
  EXPECT_EQ(bertha->job_title, "Social work assistant");  // 0x3A17
  EXPECT_EQ(bertha->file_as, "Buell, Bertha A.");       // 0x8005
  EXPECT_EQ(bertha->web_page, "B2BTies.com");           // 0x3A50
  ASSERT_EQ(bertha->emails.size(), 1u);
  EXPECT_EQ(bertha->emails[0].address, "BerthaABuell@armyspy.com");              // 0x8083
  EXPECT_EQ(bertha->emails[0].display_name, "Experwas (BerthaABuell@armyspy.com)");  // 0x8080
  EXPECT_EQ(bertha->emails[0].address_type, "SMTP");                             // 0x8082
  ASSERT_EQ(bertha->phones.size(), 1u);
  EXPECT_EQ(bertha->phones[0], (model::Phone{model::PhoneKind::kPrimary, "06605045265"}));  // 0x3A1A
  ASSERT_EQ(bertha->addresses.size(), 1u);
  EXPECT_EQ(bertha->addresses[0].kind, model::AddressKind::kWork);
  EXPECT_NE(bertha->addresses[0].formatted.find("Im Astenfeld 59"), std::string::npos);  // 0x801B
}

// pffexport's Contact.txt / DistributionList.txt and ItemValues.txt of the Contacts folder.
TEST(PstGroupwareRealDataTest, JavaLibpstDistListResolvesItsContact) {
  ReadRun run = readFile("java-libpst__dist-list.pst");
  ASSERT_EQ(run.sink.contacts.size(), 1u);
  const model::Contact& contact = run.sink.contacts[0];
  EXPECT_EQ(contact.display_name, "contact name 1");
  EXPECT_EQ(contact.given_name, "contact");
  EXPECT_EQ(contact.middle_name, "name");
  EXPECT_EQ(contact.surname, "1");
  EXPECT_EQ(contact.initials, "c.n.1.");
  EXPECT_EQ(contact.file_as, "1, contact name");
  ASSERT_EQ(contact.emails.size(), 1u);
  EXPECT_EQ(contact.emails[0].address, "contact1@rjohnson.id.au");
  // PidLidDistributionListMembers: member 0 wraps the contact (node id 0x00200064 in its entry
  // id), members 1 and 2 are one-offs; names and addresses as the one-off list spells them.
  ASSERT_EQ(run.sink.dist_lists.size(), 1u);
  const model::DistList& list = run.sink.dist_lists[0];
  EXPECT_EQ(list.name, "test dist list");
  ASSERT_EQ(list.members.size(), 3u);
  EXPECT_EQ(list.members[0].kind, model::DistListMemberKind::kContact);
  EXPECT_EQ(list.members[0].target_entry_id, contact.provenance.entry_id);
  EXPECT_EQ(list.members[0].target_entry_id, "2097252");
  EXPECT_EQ(list.members[0].display_name, "contact name 1");
  EXPECT_EQ(list.members[0].email, "contact1@rjohnson.id.au");
  EXPECT_EQ(list.members[1], (model::DistListMember{model::DistListMemberKind::kOneOff, "dist name 1", "SMTP",
                                                    "dist1@rjohnson.id.au", ""}));
  EXPECT_EQ(list.members[2], (model::DistListMember{model::DistListMemberKind::kOneOff, "dist name 2", "SMTP",
                                                    "dist2@rjohnson.id.au", ""}));
}

// pffexport's ItemValues.txt of the Contacts and Tasks folders' items.
TEST(PstGroupwareRealDataTest, HughbeContactListAndCompletedTask) {
  ReadRun run = readFile("pstreader__hughbe_Outlook.pst");
  ASSERT_EQ(run.sink.contacts.size(), 1u);
  const model::Contact& contact = run.sink.contacts[0];
  EXPECT_EQ(contact.display_name, "Distribution List Member");
  EXPECT_EQ(contact.given_name, "Distribution");
  EXPECT_EQ(contact.middle_name, "List");
  EXPECT_EQ(contact.surname, "Member");
  EXPECT_EQ(contact.file_as, "Member, Distribution List");
  ASSERT_EQ(contact.emails.size(), 1u);
  EXPECT_EQ(contact.emails[0], (model::ContactEmail{1, "email@gmail.com", "Distribution List Member", "SMTP"}));

  ASSERT_EQ(run.sink.dist_lists.size(), 1u);
  const model::DistList& list = run.sink.dist_lists[0];
  EXPECT_EQ(list.name, "Distribution List");  // PidLidDistributionListName 0x8053
  ASSERT_EQ(list.members.size(), 1u);
  // The member wraps node id 0x002000E4 (e4 00 20 00 at the end of its entry id).
  EXPECT_EQ(list.members[0].kind, model::DistListMemberKind::kContact);
  EXPECT_EQ(list.members[0].target_entry_id, "2097380");
  EXPECT_EQ(list.members[0].target_entry_id, contact.provenance.entry_id);
  EXPECT_EQ(list.members[0].email, "email@gmail.com");

  // Task00001: subject "Task", PidLidTaskStatus 2 (complete), PidLidPercentComplete 1.0,
  // PidLidTaskComplete true, PidLidTaskDateCompleted 2021-02-04T00:00:00Z, no start or due date,
  // PidLidTaskOwner "Unknown", PidLidTaskFRecurring false, reminder off.
  ASSERT_EQ(run.sink.tasks.size(), 1u);
  const model::Task& task = run.sink.tasks[0];
  EXPECT_EQ(task.subject, "Task");
  EXPECT_EQ(task.status, model::TaskStatus::kComplete);
  EXPECT_EQ(task.percent_complete, 100);
  EXPECT_TRUE(task.complete);
  ASSERT_TRUE(task.date_completed);
  EXPECT_EQ(model::toIsoString(*task.date_completed), "2021-02-04T00:00:00Z");
  EXPECT_FALSE(task.start);
  EXPECT_FALSE(task.due);
  EXPECT_EQ(task.owner, "Unknown");
  EXPECT_FALSE(task.is_recurring);
  EXPECT_FALSE(task.reminder);
  EXPECT_EQ(task.importance, model::Importance::kNormal);
  EXPECT_EQ(task.provenance.folder_path, "/Tasks");
}

}  // namespace
}  // namespace m2z::readers::pst
