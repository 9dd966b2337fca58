// Items without a source UID that are the same appointment twice in one folder.
#include "normalize/duplicates.h"

#include <gtest/gtest.h>

namespace m2z::normalize {
namespace {

model::Appointment item(std::string folder, std::string entry, std::string subject, std::int64_t start) {
  model::Appointment appointment;
  appointment.provenance = {"mailbox.pst", std::move(folder), std::move(entry)};
  appointment.subject = std::move(subject);
  appointment.start = model::Instant{start};
  appointment.end = model::Instant{start + 3600};
  return appointment;
}

TEST(DuplicateDetector, SameSubjectStartAndEndInOneFolderIsReportedNotDropped) {
  DuplicateDetector detector;
  std::vector<model::Finding> findings;
  detector.check(item("/Calendar", "1", "Dentist", 1'400'000'000), findings);
  detector.check(item("/Calendar", "2", "Dentist", 1'400'000'000), findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, "item.duplicate");
  EXPECT_EQ(findings[0].item.entry_id, "2");
  EXPECT_EQ(findings[0].after, "mailbox.pst:/Calendar#1");
  EXPECT_FALSE(findings[0].item_skipped);
}

TEST(DuplicateDetector, DifferentFolderSubjectOrTimeIsNoDuplicate) {
  DuplicateDetector detector;
  std::vector<model::Finding> findings;
  detector.check(item("/Calendar", "1", "Dentist", 1'400'000'000), findings);
  detector.check(item("/Calendar/Family", "2", "Dentist", 1'400'000'000), findings);
  detector.check(item("/Calendar", "3", "Dentist ", 1'400'000'000), findings);
  detector.check(item("/Calendar", "4", "Dentist", 1'400'000'060), findings);
  EXPECT_TRUE(findings.empty());
  EXPECT_EQ(detector.size(), 4u);
}

TEST(DuplicateDetector, ItemsWithASourceUidAreLeftToTheUidRegistry) {
  DuplicateDetector detector;
  std::vector<model::Finding> findings;
  auto a = item("/Calendar", "1", "Dentist", 1'400'000'000);
  a.uid = "u";
  a.uid_origin = model::UidOrigin::kExternalUid;
  auto b = a;
  b.provenance.entry_id = "2";
  detector.check(a, findings);
  detector.check(b, findings);
  EXPECT_TRUE(findings.empty());
}

}  // namespace
}  // namespace m2z::normalize
