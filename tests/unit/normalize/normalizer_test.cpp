// The normalizer as the pipeline runs it: every pass, in order, each reporting once.
#include "normalize/normalizer.h"

#include <gtest/gtest.h>

namespace m2z::normalize {
namespace {

std::vector<std::string> kinds(const std::vector<model::Finding>& findings) {
  std::vector<std::string> result;
  for (const auto& finding : findings) result.push_back(finding.kind);
  return result;
}

TEST(NormalizeAppointment, RunsEveryPassOnceInOrder) {
  model::Appointment item;
  item.provenance = {"mailbox.pst", "/Calendar", "1"};
  item.uid = std::string(300, 'x');
  item.uid_origin = model::UidOrigin::kExternalUid;
  item.start = model::fromLocal({{2014, 7, 1}, 8, 0, 0}, 0);
  item.end = model::fromLocal({{2014, 7, 1}, 9, 0, 0}, 0);
  item.attendees.push_back({model::Person{"Dave", "dave@example..com", "SMTP"}});
  item.attendees.push_back({model::Person{"Eve", "", "EX"}});
  std::vector<model::Finding> findings;
  normalizeAppointment(item, findings);
  // The invalid address is reported once, as invalid (not also as "no SMTP address"); Eve, who
  // has no address at all, once as "no SMTP address".
  EXPECT_EQ(kinds(findings), (std::vector<std::string>{"uid.shortened", "zone.missing", "person.no_smtp_address",
                                                       "person.invalid_email", "value.subject_empty"}));
  ASSERT_TRUE(item.resolved);
}

TEST(Normalizer, MapsFoldersFromTheReadersPaths) {
  Normalizer normalizer;
  std::vector<model::Finding> findings;
  // A folder named "A/B" as the reader would escape it (escapeFolderName), below Calendar.
  const model::SourceFolder folder{"/Calendar/A%2FB", "IPF.Appointment", "mailbox.pst", 3};
  EXPECT_EQ(normalizer.mapFolder(folder, findings).targetPath(), "/Calendar/A_B");
  model::Provenance item{"mailbox.pst", "/Calendar/A%2FB", "7"};
  EXPECT_EQ(normalizer.mapFolderPath(item, findings).targetPath(), "/Calendar/A_B");
  EXPECT_EQ(kinds(findings), (std::vector<std::string>{"folder.merged_into_system", "folder.name_sanitized"}));
}

}  // namespace
}  // namespace m2z::normalize
