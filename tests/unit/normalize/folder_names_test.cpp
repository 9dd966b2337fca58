// FolderNamePolicy against Zimbra's naming rules (zimbra-docs/soap.txt, "Names of all MailItem
// types": at most 255 characters; no ':', '/', '"', tab, CR, LF; not "." or ".."; not empty) and
// its system folders (FolderConstants: Inbox 2, Trash 3, Junk 4, Sent 5, Drafts 6, Contacts 7,
// Calendar 10, Notebook 12, Emailed Contacts 13, Chats 14, Tasks 15, Briefcase 16).
#include "normalize/folder_names.h"

#include <gtest/gtest.h>

#include <random>

#include "normalize/text_limits.h"

namespace m2z::normalize {
namespace {

const model::Provenance kWhere{"mailbox.pst", "", ""};

int count(const std::vector<model::Finding>& findings, const std::string& kind) {
  int n = 0;
  for (const auto& finding : findings) n += finding.kind == kind ? 1 : 0;
  return n;
}

TEST(SanitizeFolderName, ZimbrasRules) {
  struct Row {
    std::string in;
    std::string out;
  };
  const std::vector<Row> rows = {
      {"Team", "Team"},
      {"A/B", "A_B"},
      {"Q1: Plan", "Q1_ Plan"},
      {"\"Quoted\"", "_Quoted_"},
      {"Tab\tName", "Tab Name"},
      {"Line\r\nBreak", "Line  Break"},  // CR and LF each become a space
      {"  padded  ", "padded"},
      {"Bell\x07", "Bell"},
      {".", "_"},
      {"..", "__"},
      {"...", "..."},  // only "." and ".." are refused
      {"", "Unnamed folder"},
      {"   ", "Unnamed folder"},
      {"bad\xFFutf8", "bad\xEF\xBF\xBDutf8"},  // U+FFFD
      {std::string(300, 'a'), std::string(255, 'a')},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.in);
    const auto result = sanitizeFolderName(row.in);
    EXPECT_EQ(result.name, row.out);
    EXPECT_EQ(result.changes.empty(), row.in == row.out);
  }
}

TEST(SanitizeFolderName, LengthCountsUtf16UnitsAndNeverSplitsACharacter) {
  // U+1F4C5 (calendar emoji) is 4 bytes in UTF-8 and 2 UTF-16 units in Java: 127 of them plus
  // one 'a' is exactly 255 units; 128 of them is 256 and is cut back to 127 (254 units).
  std::string emoji;
  for (int i = 0; i < 127; ++i) emoji += "\xF0\x9F\x93\x85";
  EXPECT_EQ(sanitizeFolderName(emoji + "a").name, emoji + "a");
  EXPECT_EQ(sanitizeFolderName(emoji + "\xF0\x9F\x93\x85").name, emoji);
}

TEST(SanitizeFolderName, AnyBytesGiveANameZimbraAccepts) {
  // Property check over random byte strings (fixed seed, so every run sees the same inputs).
  std::mt19937 random(20240301);
  std::uniform_int_distribution<int> length(0, 700);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 2000; ++round) {
    std::string input(static_cast<std::size_t>(length(random)), '\0');
    for (auto& c : input) c = static_cast<char>(byte(random));
    const std::string name = sanitizeFolderName(input).name;
    ASSERT_TRUE(text::isValidUtf8(name));
    ASSERT_FALSE(name.empty());
    ASSERT_LE(text::utf16Length(name), kMaxFolderNameUtf16);
    ASSERT_EQ(name.find_first_of(":/\"\t\r\n"), std::string::npos);
    ASSERT_NE(name, ".");
    ASSERT_NE(name, "..");
    ASSERT_NE(name.front(), ' ');
    ASSERT_NE(name.back(), ' ');
    for (const char c : name) ASSERT_GE(static_cast<unsigned char>(c), 0x20);
  }
}

TEST(FolderViewOf, ContainerClasses) {
  EXPECT_EQ(folderViewOf("IPF.Appointment"), FolderView::kAppointment);
  EXPECT_EQ(folderViewOf("IPF.Appointment.Birthday"), FolderView::kAppointment);
  EXPECT_EQ(folderViewOf("IPF.Contact"), FolderView::kContact);
  EXPECT_EQ(folderViewOf("IPF.Task"), FolderView::kTask);
  EXPECT_EQ(folderViewOf("IPF.Note"), FolderView::kMessage);
  EXPECT_EQ(folderViewOf("IPF.StickyNote"), FolderView::kUnknown);
  EXPECT_EQ(folderViewOf(""), FolderView::kUnknown);
}

TEST(FolderPath, SplitAndEscape) {
  EXPECT_EQ(splitFolderPath("/Calendar/Team"), (std::vector<std::string>{"Calendar", "Team"}));
  EXPECT_EQ(splitFolderPath("//x/"), (std::vector<std::string>{"x"}));
  EXPECT_EQ(splitFolderPath("/"), (std::vector<std::string>{}));
  EXPECT_EQ(escapeFolderName("A/B 100%"), "A%2FB 100%25");
  EXPECT_EQ(splitFolderPath("/" + escapeFolderName("A/B 100%") + "/C"), (std::vector<std::string>{"A/B 100%", "C"}));
}

TEST(FolderNamePolicy, CalendarMergesIntoZimbrasCalendar) {
  FolderNamePolicy policy;
  std::vector<model::Finding> findings;
  auto mapping = policy.map({"Calendar"}, FolderView::kAppointment, kWhere, findings);
  EXPECT_EQ(mapping.targetPath(), "/Calendar");
  EXPECT_TRUE(mapping.into_system_folder);
  EXPECT_EQ(count(findings, "folder.merged_into_system"), 1);
  // Zimbra compares names ignoring case: "calendar" is its Calendar too.
  auto lower = policy.map({"calendar"}, FolderView::kAppointment, kWhere, findings);
  EXPECT_EQ(lower.targetPath(), "/Calendar");
}

TEST(FolderNamePolicy, CalendarFolderNamedContactsDoesNotMergeIntoContacts) {
  FolderNamePolicy policy;
  std::vector<model::Finding> findings;
  auto mapping = policy.map({"Contacts"}, FolderView::kAppointment, kWhere, findings);
  EXPECT_EQ(mapping.targetPath(), "/Contacts (migrated)");
  EXPECT_FALSE(mapping.into_system_folder);
  ASSERT_EQ(count(findings, "folder.renamed_system_name"), 1);
  // And a contact folder named Contacts would merge.
  EXPECT_EQ(policy.map({"Contacts"}, FolderView::kContact, kWhere, findings).targetPath(), "/Contacts (migrated)")
      << "the same source path keeps its first mapping";
  FolderNamePolicy fresh;
  EXPECT_EQ(fresh.map({"Contacts"}, FolderView::kContact, kWhere, findings).targetPath(), "/Contacts");
}

TEST(FolderNamePolicy, NothingIsMergedIntoTrashOrJunk) {
  FolderNamePolicy policy;
  std::vector<model::Finding> findings;
  EXPECT_EQ(policy.map({"Trash"}, FolderView::kAppointment, kWhere, findings).targetPath(), "/Trash (migrated)");
  EXPECT_EQ(policy.map({"Junk", "Meetings"}, FolderView::kAppointment, kWhere, findings).targetPath(),
            "/Junk (migrated)/Meetings");
}

TEST(FolderNamePolicy, RenamePolicyWithOwnSuffix) {
  FolderNamePolicy policy({SystemFolderCollision::kRename, " (PST)"});
  std::vector<model::Finding> findings;
  EXPECT_EQ(policy.map({"Calendar"}, FolderView::kAppointment, kWhere, findings).targetPath(), "/Calendar (PST)");
  EXPECT_EQ(policy.map({"Tasks"}, FolderView::kTask, kWhere, findings).targetPath(), "/Tasks (PST)");
  EXPECT_EQ(count(findings, "folder.renamed_system_name"), 2);
}

TEST(FolderNamePolicy, SuffixesAreHeldToZimbrasRulesToo) {
  std::vector<model::Finding> findings;
  FolderNamePolicy slash({SystemFolderCollision::kRename, " / old"});
  EXPECT_EQ(slash.map({"Calendar"}, FolderView::kAppointment, kWhere, findings).targetPath(), "/Calendar _ old");
  // An empty suffix would give the system name back: the folder is numbered instead.
  FolderNamePolicy empty({SystemFolderCollision::kRename, ""});
  EXPECT_EQ(empty.map({"Calendar"}, FolderView::kAppointment, kWhere, findings).targetPath(), "/Calendar (2)");
}

TEST(FolderNamePolicy, SystemNamesCountOnlyAtTheTop) {
  FolderNamePolicy policy;
  std::vector<model::Finding> findings;
  EXPECT_EQ(policy.map({"Projects", "Calendar"}, FolderView::kAppointment, kWhere, findings).targetPath(),
            "/Projects/Calendar");
  EXPECT_TRUE(findings.empty());
}

TEST(FolderNamePolicy, ParentsAboveACalendarMergeByName) {
  // "/Inbox/Meetings": a calendar below the mail Inbox; the Inbox only holds the folder.
  FolderNamePolicy policy;
  std::vector<model::Finding> findings;
  auto mapping = policy.map({"Inbox", "Meetings"}, FolderView::kAppointment, kWhere, findings);
  EXPECT_EQ(mapping.targetPath(), "/Inbox/Meetings");
  EXPECT_TRUE(mapping.into_system_folder);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, "folder.merged_into_system");
  EXPECT_EQ(findings[0].item.folder_path, "/Inbox");
}

TEST(FolderNamePolicy, NamesThatBecomeEqualGetNumbers) {
  FolderNamePolicy policy;
  std::vector<model::Finding> findings;
  EXPECT_EQ(policy.map({"A/B"}, FolderView::kAppointment, kWhere, findings).targetPath(), "/A_B");
  EXPECT_EQ(policy.map({"A:B"}, FolderView::kAppointment, kWhere, findings).targetPath(), "/A_B (2)");
  EXPECT_EQ(policy.map({"A\"B"}, FolderView::kAppointment, kWhere, findings).targetPath(), "/A_B (3)");
  // Case and accents: MySQL's utf8_general_ci sees these as the same name.
  EXPECT_EQ(policy.map({"Team"}, FolderView::kAppointment, kWhere, findings).targetPath(), "/Team");
  EXPECT_EQ(policy.map({"team"}, FolderView::kAppointment, kWhere, findings).targetPath(), "/team (2)");
  EXPECT_EQ(policy.map({"Caf\xC3\xA9"}, FolderView::kAppointment, kWhere, findings).targetPath(), "/Caf\xC3\xA9");
  EXPECT_EQ(policy.map({"Cafe"}, FolderView::kAppointment, kWhere, findings).targetPath(), "/Cafe (2)");
  EXPECT_EQ(count(findings, "folder.renamed_duplicate"), 4);
  // Mapping a path again gives the same answer and no new findings.
  const auto before = findings.size();
  EXPECT_EQ(policy.map({"A:B"}, FolderView::kAppointment, kWhere, findings).targetPath(), "/A_B (2)");
  EXPECT_EQ(findings.size(), before);
}

TEST(FolderNamePolicy, RenamedSystemNameAvoidsAnExistingFolderOfThatName) {
  FolderNamePolicy policy;
  std::vector<model::Finding> findings;
  EXPECT_EQ(policy.map({"Contacts (migrated)"}, FolderView::kAppointment, kWhere, findings).targetPath(),
            "/Contacts (migrated)");
  EXPECT_EQ(policy.map({"Contacts"}, FolderView::kAppointment, kWhere, findings).targetPath(),
            "/Contacts (migrated) (2)");
}

TEST(FolderNamePolicy, NumberedLongNamesStayWithin255) {
  // Two 300-character names that differ only after character 255 are the same name once cut.
  FolderNamePolicy policy;
  std::vector<model::Finding> findings;
  const std::string first = std::string(300, 'a');
  const std::string second = std::string(299, 'a') + "b";
  EXPECT_EQ(policy.map({first}, FolderView::kAppointment, kWhere, findings).target[0], std::string(255, 'a'));
  EXPECT_EQ(policy.map({second}, FolderView::kAppointment, kWhere, findings).target[0],
            std::string(251, 'a') + " (2)");
}

TEST(FolderNamePolicy, ItemsAtTheTopOfTheStoreGoToTheFolderOfTheirKind) {
  FolderNamePolicy policy;
  std::vector<model::Finding> findings;
  auto mapping = policy.map({}, FolderView::kAppointment, kWhere, findings);
  EXPECT_EQ(mapping.targetPath(), "/Calendar");
  EXPECT_EQ(count(findings, "folder.store_top"), 1);
}

}  // namespace
}  // namespace m2z::normalize
