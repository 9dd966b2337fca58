// UIDs Zimbra cannot store, their stable short stand-ins, and the per-account registry.
// Expected short UIDs are "m2z-sha256-" + SHA-256 of the original's bytes, computed with coreutils:
//   printf 'x%.0s' $(seq 300) | sha256sum
//     -> 0d4e2ca9e9cbced7a7a5380eb29e1a3783b9b6d0db72de36a1051038e1c1fbc7
//   (printf 'x%.0s' $(seq 300); printf '\n2') | sha256sum
//     -> 38f822aa9e5ac22d896a712262c4e4db7338f504df68640b24a4602c82be4684
#include "normalize/uid_policy.h"

#include <gtest/gtest.h>

#include "normalize/normalizer.h"

namespace m2z::normalize {
namespace {

const std::string kLongUid(300, 'x');
const std::string kLongUidShort = "m2z-sha256-0d4e2ca9e9cbced7a7a5380eb29e1a3783b9b6d0db72de36a1051038e1c1fbc7";
const std::string kLongUidSecond = "m2z-sha256-38f822aa9e5ac22d896a712262c4e4db7338f504df68640b24a4602c82be4684";

model::Appointment withUid(std::string uid, std::string folder = "/Calendar", std::string entry = "1") {
  model::Appointment item;
  item.uid = std::move(uid);
  item.uid_origin = model::UidOrigin::kExternalUid;
  item.subject = "Review";
  item.provenance = {"mailbox.pst", std::move(folder), std::move(entry)};
  return item;
}

int count(const std::vector<model::Finding>& findings, const std::string& kind) {
  int n = 0;
  for (const auto& finding : findings) n += finding.kind == kind ? 1 : 0;
  return n;
}

TEST(UidProblem, AcceptsWhatZimbraStores) {
  EXPECT_EQ(uidProblem("040000008200E00074C5B7101A82E00800000000"), std::nullopt);
  EXPECT_EQ(uidProblem(std::string(255, 'a')), std::nullopt);  // exactly the limit
  EXPECT_EQ(uidProblem("Grüße-中文-uid"), std::nullopt);        // 2- and 3-byte UTF-8 fit MySQL utf8
}

TEST(UidProblem, RefusesWhatZimbraCannotStore) {
  EXPECT_NE(uidProblem(std::string(256, 'a')), std::nullopt);  // one byte over VARCHAR(255)
  EXPECT_NE(uidProblem("abc\x01" "def"), std::nullopt);         // control character: not XML 1.0
  EXPECT_NE(uidProblem("tab\there"), std::nullopt);
  EXPECT_NE(uidProblem("bad\xC3\x28utf8"), std::nullopt);       // 0xC3 not followed by a continuation byte
  EXPECT_NE(uidProblem("overlong\xC0\xAF"), std::nullopt);      // overlong '/'
  EXPECT_NE(uidProblem("emoji\xF0\x9F\x98\x80"), std::nullopt);  // U+1F600: 4-byte UTF-8
  // 128 three-byte characters are 384 bytes (but only 128 characters): still over 255 bytes.
  std::string cjk;
  for (int i = 0; i < 128; ++i) cjk += "中";
  EXPECT_NE(uidProblem(cjk), std::nullopt);
}

TEST(ShortenUid, ReplacesALongUidByItsDigestAndKeepsTheOriginal) {
  auto item = withUid(kLongUid);
  std::vector<model::Finding> findings;
  shortenUid(item, findings);
  EXPECT_EQ(item.uid, kLongUidShort);
  EXPECT_EQ(item.original_uid, kLongUid);
  EXPECT_EQ(uidProblem(item.uid), std::nullopt);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].kind, "uid.shortened");
  EXPECT_EQ(findings[0].after, kLongUidShort);
}

TEST(ShortenUid, LeavesAStorableUidAlone) {
  auto item = withUid("ordinary-uid@example.com");
  std::vector<model::Finding> findings;
  shortenUid(item, findings);
  EXPECT_EQ(item.uid, "ordinary-uid@example.com");
  EXPECT_TRUE(item.original_uid.empty());
  EXPECT_TRUE(findings.empty());
}

TEST(ShortenUid, SameOriginalGivesTheSameUidForSeriesExceptionsAndLaterUpdatesInEveryRun) {
  // The series (with an exception inside it, which travels under the series' UID) in run 1, and
  // in run 2 a later update of the same meeting from another file: different subject, times,
  // folder and entry id, same original UID.
  auto series = withUid(kLongUid, "/Calendar", "100");
  series.recurrence = model::Recurrence{};
  series.recurrence->exceptions.push_back(model::AppointmentException{});
  auto update = withUid(kLongUid, "/Archive/Calendar", "7");
  update.provenance.source_file = "other.pst";
  update.subject = "Review (moved)";
  update.start = model::Instant{1'400'000'000};

  std::vector<model::Finding> findings;
  Normalizer run1;
  run1.normalize(series, findings);
  Normalizer run2;
  run2.normalize(update, findings);
  EXPECT_EQ(series.uid, kLongUidShort);
  EXPECT_EQ(update.uid, kLongUidShort);
  EXPECT_EQ(series.original_uid, update.original_uid);
}

TEST(UidRegistry, ShortenedUidCollidingWithAnotherItemsUidGetsItsOwn) {
  // An item whose own UID happens to be the short UID of another item's long UID (say, a file
  // exported by this tool and imported again): the second must not overwrite the first.
  Normalizer normalizer;
  std::vector<model::Finding> findings;
  auto first = withUid(kLongUidShort, "/Calendar", "1");
  auto second = withUid(kLongUid, "/Calendar", "2");
  EXPECT_TRUE(normalizer.normalize(first, findings));
  EXPECT_TRUE(normalizer.normalize(second, findings));
  EXPECT_EQ(first.uid, kLongUidShort);
  EXPECT_EQ(second.uid, kLongUidSecond);  // SHA-256 of the original + "\n2"
  EXPECT_EQ(second.original_uid, kLongUid);
  EXPECT_EQ(count(findings, "uid.collision"), 1);
  EXPECT_EQ(count(findings, "item.duplicate"), 0);
}

TEST(UidRegistry, SameUidInOneFolderIsADuplicateAndInAnotherFolderAlreadyUsed) {
  Normalizer normalizer;
  std::vector<model::Finding> findings;
  auto a = withUid("meeting-1", "/Calendar", "1");
  auto b = withUid("meeting-1", "/Calendar", "2");
  auto c = withUid("meeting-1", "/Calendar/Team", "3");
  normalizer.normalize(a, findings);
  normalizer.normalize(b, findings);
  normalizer.normalize(c, findings);
  EXPECT_EQ(count(findings, "item.duplicate"), 1);
  EXPECT_EQ(count(findings, "uid.already_used"), 1);
  EXPECT_EQ(count(findings, "uid.collision"), 0);
  // Nothing is dropped: every item keeps its UID and is still to be written.
  EXPECT_EQ(b.uid, "meeting-1");
  EXPECT_EQ(normalizer.uids().size(), 1u);
}

TEST(UidRegistry, ClaimOutcomes) {
  UidRegistry registry;
  const model::Provenance here{"a.pst", "/Calendar", "1"};
  const model::Provenance there{"a.pst", "/Other", "2"};
  EXPECT_EQ(registry.claim("u", "u", here).outcome, UidRegistry::Outcome::kNew);
  auto again = registry.claim("u", "u", there);
  EXPECT_EQ(again.outcome, UidRegistry::Outcome::kSameOriginal);
  EXPECT_FALSE(again.same_folder);
  EXPECT_EQ(again.first_item, here.describe());
  EXPECT_EQ(registry.claim("u", "something else", here).outcome, UidRegistry::Outcome::kCollision);
}

}  // namespace
}  // namespace m2z::normalize
