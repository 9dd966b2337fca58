// Values Zimbra cannot store or would change on its own. Limits and their sources:
//  - appointment times: MySQL DATETIME 1000-01-01..9999-12-31 (MySQL manual, "The DATE, DATETIME,
//    and TIMESTAMP Types"); Zimbra's "no end" is 9999-02-01 (DbMailItem MAX_DATE =
//    new GregorianCalendar(9999, 1, 1): months count from 0, so 1 is February).
//  - subject: DbMailItem.MAX_SUBJECT_LENGTH = 1024 (Java chars, i.e. UTF-16 code units).
#include "normalize/check_values.h"

#include <gtest/gtest.h>

#include "normalize/normalizer.h"

namespace m2z::normalize {
namespace {

model::Instant utc(int y, int mo, int d, int h = 0) { return model::fromLocal({{y, mo, d}, h, 0, 0}, 0); }

model::Appointment item(model::Instant start, model::Instant end, std::string subject = "Planning") {
  model::Appointment appointment;
  appointment.start = start;
  appointment.end = end;
  appointment.subject = std::move(subject);
  appointment.provenance = {"mailbox.pst", "/Calendar", "1"};
  return appointment;
}

std::vector<model::Finding> check(model::Appointment& appointment) {
  std::vector<model::Finding> findings;
  checkValues(appointment, findings);
  return findings;
}

const model::Finding* find(const std::vector<model::Finding>& findings, const std::string& kind) {
  for (const auto& finding : findings) {
    if (finding.kind == kind) return &finding;
  }
  return nullptr;
}

TEST(CheckValues, StorableRangeBoundaries) {
  // The constants are the instants they claim to be.
  EXPECT_EQ(model::toIsoString(kFirstStorableInstant), "1000-01-01T00:00:00Z");
  EXPECT_EQ(model::toIsoString(kEndOfStorableInstants), "9999-02-01T00:00:00Z");

  auto first = item(kFirstStorableInstant, utc(1000, 1, 1, 1));
  EXPECT_EQ(find(check(first), "time.out_of_range"), nullptr);

  auto too_early = item(model::Instant{kFirstStorableInstant.unix_seconds - 60}, utc(1000, 1, 1, 1));
  auto findings = check(too_early);
  const auto* finding = find(findings, "time.out_of_range");
  ASSERT_NE(finding, nullptr);
  EXPECT_TRUE(finding->item_skipped);
  EXPECT_EQ(finding->severity, model::Severity::kError);
  EXPECT_EQ(finding->field, "start");

  auto ends_at_zimbras_forever = item(utc(9999, 1, 31), kEndOfStorableInstants);
  findings = check(ends_at_zimbras_forever);
  ASSERT_NE(find(findings, "time.out_of_range"), nullptr);
  EXPECT_EQ(find(findings, "time.out_of_range")->field, "end");
}

TEST(CheckValues, OutOfRangeItemIsNotCarriedOver) {
  Normalizer normalizer;
  auto appointment = item(utc(999, 12, 31), utc(1000, 1, 2));
  appointment.uid = "series-1";
  appointment.uid_origin = model::UidOrigin::kExternalUid;
  std::vector<model::Finding> findings;
  EXPECT_FALSE(normalizer.normalize(appointment, findings));
  // It never reaches Zimbra, so a later item with its UID is no duplicate of it.
  auto later = item(utc(2014, 7, 1, 8), utc(2014, 7, 1, 9));
  later.uid = "series-1";
  later.uid_origin = model::UidOrigin::kExternalUid;
  findings.clear();
  EXPECT_TRUE(normalizer.normalize(later, findings));
  for (const auto& finding : findings) {
    EXPECT_NE(finding.kind, "item.duplicate");
    EXPECT_NE(finding.kind, "uid.already_used");
  }
}

TEST(CheckValues, PlaceholderDatesAreReportedAndKept) {
  // 1899-12-30 is the OLE Automation date zero; 1601-01-01 is FILETIME zero.
  for (const auto& start : {utc(1899, 12, 30), utc(1601, 1, 1, 1), utc(2101, 1, 1), utc(4500, 8, 31)}) {
    SCOPED_TRACE(model::toIsoString(start));
    auto appointment = item(start, model::Instant{start.unix_seconds + 3600});
    auto findings = check(appointment);
    ASSERT_NE(find(findings, "time.implausible_date"), nullptr);
    EXPECT_FALSE(find(findings, "time.implausible_date")->item_skipped);
    EXPECT_EQ(appointment.start, start);
  }
  for (const auto& start : {utc(1900, 1, 1), utc(2100, 12, 31, 23)}) {
    auto appointment = item(start, model::Instant{start.unix_seconds + 3600});
    EXPECT_EQ(find(check(appointment), "time.implausible_date"), nullptr);
  }
}

TEST(CheckValues, EmptySubjectIsKeptEmptyAndReported) {
  auto appointment = item(utc(2014, 7, 1, 8), utc(2014, 7, 1, 9), "");
  auto findings = check(appointment);
  ASSERT_NE(find(findings, "value.subject_empty"), nullptr);
  EXPECT_EQ(find(findings, "value.subject_empty")->severity, model::Severity::kInfo);
  EXPECT_EQ(appointment.subject, "");
}

TEST(CheckValues, SubjectIsCutToZimbrasLimitInUtf16Units) {
  auto exact = item(utc(2014, 7, 1, 8), utc(2014, 7, 1, 9), std::string(1024, 'x'));
  EXPECT_TRUE(check(exact).empty());
  EXPECT_EQ(exact.subject.size(), 1024u);

  auto over = item(utc(2014, 7, 1, 8), utc(2014, 7, 1, 9), std::string(1025, 'x'));
  auto findings = check(over);
  ASSERT_NE(find(findings, "value.subject_truncated"), nullptr);
  EXPECT_EQ(over.subject, std::string(1024, 'x'));
  EXPECT_EQ(find(findings, "value.subject_truncated")->before, std::string(1025, 'x'));

  // 600 emoji (U+1F4C5) are 1200 UTF-16 units: 512 of them fit in 1024.
  std::string emoji;
  for (int i = 0; i < 600; ++i) emoji += "\xF0\x9F\x93\x85";
  auto wide = item(utc(2014, 7, 1, 8), utc(2014, 7, 1, 9), emoji);
  check(wide);
  EXPECT_EQ(wide.subject.size(), 512u * 4);
}

TEST(CheckValues, LocationOverTheLimitIsCut) {
  auto appointment = item(utc(2014, 7, 1, 8), utc(2014, 7, 1, 9));
  appointment.location = std::string(kMaxLocationUtf16 + 1, 'r');
  auto findings = check(appointment);
  ASSERT_NE(find(findings, "value.location_truncated"), nullptr);
  EXPECT_EQ(appointment.location.size(), kMaxLocationUtf16);
}

TEST(CheckValues, ControlCharactersAreRemovedFromSubjectAndLocation) {
  auto appointment = item(utc(2014, 7, 1, 8), utc(2014, 7, 1, 9), "Team\x01 meeting\x7F");
  appointment.location = "Room\x0B 4";
  auto findings = check(appointment);
  EXPECT_EQ(appointment.subject, "Team meeting");
  EXPECT_EQ(appointment.location, "Room 4");
  int repaired = 0;
  for (const auto& finding : findings) repaired += finding.kind == "value.text_repaired" ? 1 : 0;
  EXPECT_EQ(repaired, 2);
}

TEST(CheckValues, EndlessSeriesIsReportedOnce) {
  auto endless = item(utc(2014, 7, 1, 8), utc(2014, 7, 1, 9));
  endless.is_recurring = true;
  endless.recurrence = model::Recurrence{};
  endless.recurrence->end = model::RecurrenceEnd::kNever;
  auto findings = check(endless);
  ASSERT_NE(find(findings, "recurrence.endless"), nullptr);
  EXPECT_EQ(find(findings, "recurrence.endless")->severity, model::Severity::kInfo);

  auto counted = item(utc(2014, 7, 1, 8), utc(2014, 7, 1, 9));
  counted.recurrence = model::Recurrence{};
  counted.recurrence->end = model::RecurrenceEnd::kAfterCount;
  counted.recurrence->count = 10;
  EXPECT_EQ(find(check(counted), "recurrence.endless"), nullptr);
}

TEST(CheckValues, OrdinaryItemHasNoFindings) {
  auto appointment = item(utc(2014, 7, 1, 8), utc(2014, 7, 1, 9), "Planning");
  appointment.location = "Room 4";
  EXPECT_TRUE(check(appointment).empty());
}

}  // namespace
}  // namespace m2z::normalize
