#include "normalize/ensure_uid.h"

#include <gtest/gtest.h>

namespace m2z::normalize {
namespace {

TEST(EnsureUid, KeepsAnExistingUid) {
  model::Appointment item;
  item.uid = "abc";
  std::vector<model::Finding> findings;
  ensureUid(item, findings);
  EXPECT_EQ(item.uid, "abc");
  EXPECT_TRUE(findings.empty());
}

TEST(EnsureUid, DerivesTheSameUidFromTheSameSourceIdentityWhereverTheFileLives) {
  model::Appointment a;
  a.provenance = {"/data/one/mailbox.pst", "/Calendar", "2097188"};
  model::Appointment b;
  b.provenance = {"/elsewhere/mailbox.pst", "/Calendar", "2097188"};
  std::vector<model::Finding> findings;
  ensureUid(a, findings);
  ensureUid(b, findings);
  EXPECT_EQ(a.uid, b.uid);
  // "m2z-" + first 32 hex digits of SHA-256("mailbox.pst\n/Calendar\n2097188"), computed with
  // `printf 'mailbox.pst\n/Calendar\n2097188' | sha256sum`.
  EXPECT_EQ(a.uid, "m2z-" + std::string("25b74b857ec78884658ab2466af653a2"));
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].kind, "uid.generated");
}

TEST(EnsureUid, DifferentEntriesGetDifferentUids) {
  model::Appointment a;
  a.provenance = {"mailbox.pst", "/Calendar", "1"};
  model::Appointment b;
  b.provenance = {"mailbox.pst", "/Calendar", "2"};
  std::vector<model::Finding> findings;
  ensureUid(a, findings);
  ensureUid(b, findings);
  EXPECT_NE(a.uid, b.uid);
}

}  // namespace
}  // namespace m2z::normalize
