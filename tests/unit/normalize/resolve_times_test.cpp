// Expected values are worked out by hand from the zones' published rules (tzdata / Windows
// registry TZI values, which [MS-OXOCAL] 2.2.1.39 stores verbatim), not from our code:
//  - W. Europe Standard Time: Bias -60, DaylightBias -60, to standard last Sunday of October
//    03:00, to daylight last Sunday of March 02:00 (= Europe/Berlin since 1996).
//  - AUS Eastern Standard Time: Bias -600, DaylightBias -60, to standard first Sunday of April
//    03:00, to daylight first Sunday of October 02:00 (= Australia/Sydney since 2008).
//  - India Standard Time: Bias -330, no DST. Nepal Standard Time: Bias -345, no DST.
//  - Dateline Standard Time: Bias 720 (UTC-12). Line Islands Standard Time: Bias -840 (UTC+14).
#include "normalize/resolve_times.h"

#include <gtest/gtest.h>

#include "normalize/zone_resolution.h"

namespace m2z::normalize {
namespace {

using model::CivilDate;
using model::Instant;
using model::LocalDateTime;
using model::TimeZoneDefinition;
using model::TimeZoneRule;
using model::TransitionDate;

Instant utc(int y, int mo, int d, int h = 0, int mi = 0) { return model::fromLocal({{y, mo, d}, h, mi, 0}, 0); }

TimeZoneDefinition zone(std::string key, int bias, int daylight_bias = 0, TransitionDate to_standard = {},
                        TransitionDate to_daylight = {}) {
  TimeZoneRule rule;
  rule.year = 0;
  rule.effective = true;
  rule.bias = bias;
  rule.daylight_bias = daylight_bias;
  rule.standard_date = to_standard;
  rule.daylight_date = to_daylight;
  return TimeZoneDefinition{std::move(key), {rule}, "test"};
}

TimeZoneDefinition berlin() {
  return zone("W. Europe Standard Time", -60, -60, {10, 5, 0, 3, 0, 0}, {3, 5, 0, 2, 0, 0});
}
TimeZoneDefinition sydney() {
  return zone("AUS Eastern Standard Time", -600, -60, {4, 1, 0, 3, 0, 0}, {10, 1, 0, 2, 0, 0});
}

model::Appointment appointment(Instant start, Instant end, std::optional<TimeZoneDefinition> zone_definition,
                               bool all_day = false) {
  model::Appointment item;
  item.start = start;
  item.end = end;
  item.start_zone = std::move(zone_definition);
  item.all_day = all_day;
  return item;
}

bool hasFinding(const std::vector<model::Finding>& findings, const std::string& kind) {
  for (const auto& f : findings) {
    if (f.kind == kind) return true;
  }
  return false;
}

TEST(ResolveTimes, AllDayInBerlinStoredAsPreviousEveningUtcStaysOnItsDay) {
  // The reference case of the old tool's bug: 2014-11-01 all day in Berlin (CET, UTC+1 after
  // 26 Oct 2014) is stored as 2014-10-31T23:00Z .. 2014-11-01T23:00Z.
  auto item = appointment(utc(2014, 10, 31, 23), utc(2014, 11, 1, 23), berlin(), true);
  std::vector<model::Finding> findings;
  resolveTimes(item, findings);
  ASSERT_TRUE(item.resolved);
  EXPECT_EQ(item.resolved->first_day, (CivilDate{2014, 11, 1}));
  EXPECT_EQ(item.resolved->last_day, (CivilDate{2014, 11, 1}));  // inclusive: a one-day event
  EXPECT_EQ(item.resolved->zone.id, "Europe/Berlin");
  EXPECT_FALSE(hasFinding(findings, "all_day.start_not_midnight"));
}

TEST(ResolveTimes, TimedSummerMeetingInBerlinIsCestWallTime) {
  auto item = appointment(utc(2014, 7, 1, 8), utc(2014, 7, 1, 9, 30), berlin());
  std::vector<model::Finding> findings;
  resolveTimes(item, findings);
  EXPECT_EQ(item.resolved->start_local, (LocalDateTime{{2014, 7, 1}, 10, 0, 0}));
  EXPECT_EQ(item.resolved->end_local, (LocalDateTime{{2014, 7, 1}, 11, 30, 0}));
  EXPECT_EQ(item.resolved->zone.standard_offset_minutes, 60);
  EXPECT_EQ(item.resolved->zone.daylight_offset_minutes, 120);
  ASSERT_TRUE(item.resolved->zone.to_standard);
  EXPECT_EQ(*item.resolved->zone.to_standard, (model::TransitionRule{10, -1, 1, 3, 0, 0}));
  EXPECT_EQ(*item.resolved->zone.to_daylight, (model::TransitionRule{3, -1, 1, 2, 0, 0}));
}

TEST(ResolveTimes, BerlinSpringForwardDay) {
  // 2014-03-30: at 01:00Z clocks go 02:00 CET -> 03:00 CEST.
  auto before = appointment(utc(2014, 3, 30, 0, 30), utc(2014, 3, 30, 0, 45), berlin());
  auto after = appointment(utc(2014, 3, 30, 1, 0), utc(2014, 3, 30, 1, 30), berlin());
  std::vector<model::Finding> findings;
  resolveTimes(before, findings);
  resolveTimes(after, findings);
  EXPECT_EQ(before.resolved->start_local, (LocalDateTime{{2014, 3, 30}, 1, 30, 0}));
  EXPECT_EQ(after.resolved->start_local, (LocalDateTime{{2014, 3, 30}, 3, 0, 0}));
}

TEST(ResolveTimes, SydneySouthernHemisphereSummerAndWinter) {
  auto summer = appointment(utc(2014, 1, 15, 0), utc(2014, 1, 15, 1), sydney());
  auto winter = appointment(utc(2014, 7, 15, 0), utc(2014, 7, 15, 1), sydney());
  std::vector<model::Finding> findings;
  resolveTimes(summer, findings);
  resolveTimes(winter, findings);
  EXPECT_EQ(summer.resolved->start_local, (LocalDateTime{{2014, 1, 15}, 11, 0, 0}));  // AEDT, UTC+11
  EXPECT_EQ(winter.resolved->start_local, (LocalDateTime{{2014, 7, 15}, 10, 0, 0}));  // AEST, UTC+10
  EXPECT_EQ(summer.resolved->zone.id, "Australia/Sydney");
}

TEST(ResolveTimes, SydneyAllDayOnDaylightSavingStartDay) {
  // 2014-10-05 (first Sunday of October) starts at 00:00 AEST = 2014-10-04T14:00Z and ends at
  // 00:00 AEDT on the 6th = 2014-10-05T13:00Z: a 23-hour day.
  auto item = appointment(utc(2014, 10, 4, 14), utc(2014, 10, 5, 13), sydney(), true);
  std::vector<model::Finding> findings;
  resolveTimes(item, findings);
  EXPECT_EQ(item.resolved->first_day, (CivilDate{2014, 10, 5}));
  EXPECT_EQ(item.resolved->last_day, (CivilDate{2014, 10, 5}));
  EXPECT_FALSE(hasFinding(findings, "all_day.end_not_midnight"));
}

TEST(ResolveTimes, HalfAndQuarterHourZones) {
  auto india = appointment(utc(2014, 1, 1, 0), utc(2014, 1, 1, 1), zone("India Standard Time", -330));
  auto nepal = appointment(utc(2014, 1, 1, 0), utc(2014, 1, 1, 1), zone("Nepal Standard Time", -345));
  std::vector<model::Finding> findings;
  resolveTimes(india, findings);
  resolveTimes(nepal, findings);
  EXPECT_EQ(india.resolved->start_local, (LocalDateTime{{2014, 1, 1}, 5, 30, 0}));
  EXPECT_EQ(nepal.resolved->start_local, (LocalDateTime{{2014, 1, 1}, 5, 45, 0}));
  EXPECT_EQ(india.resolved->zone.id, "Asia/Calcutta");  // CLDR's canonical id for India
  EXPECT_FALSE(india.resolved->zone.daylight_offset_minutes);
}

TEST(ResolveTimes, ExtremeOffsetsAllDayKeepTheirDay) {
  // 2014-11-01 all day at UTC-12 starts 2014-11-01T12:00Z; at UTC+14 it starts 2014-10-31T10:00Z.
  auto minus12 = appointment(utc(2014, 11, 1, 12), utc(2014, 11, 2, 12), zone("Dateline Standard Time", 720), true);
  auto plus14 =
      appointment(utc(2014, 10, 31, 10), utc(2014, 11, 1, 10), zone("Line Islands Standard Time", -840), true);
  std::vector<model::Finding> findings;
  resolveTimes(minus12, findings);
  resolveTimes(plus14, findings);
  EXPECT_EQ(minus12.resolved->first_day, (CivilDate{2014, 11, 1}));
  EXPECT_EQ(plus14.resolved->first_day, (CivilDate{2014, 11, 1}));
  EXPECT_EQ(plus14.resolved->last_day, (CivilDate{2014, 11, 1}));
  EXPECT_TRUE(findings.empty());
}

TEST(ResolveTimes, MultiDayAllDayEventHasInclusiveLastDay) {
  // 2014-12-24 .. 2014-12-26 in Berlin (three days): exclusive end is 2014-12-27T00:00 CET.
  auto item = appointment(utc(2014, 12, 23, 23), utc(2014, 12, 26, 23), berlin(), true);
  std::vector<model::Finding> findings;
  resolveTimes(item, findings);
  EXPECT_EQ(item.resolved->first_day, (CivilDate{2014, 12, 24}));
  EXPECT_EQ(item.resolved->last_day, (CivilDate{2014, 12, 26}));
}

TEST(ResolveTimes, NoZoneMeansUtcWithFinding) {
  auto item = appointment(utc(2011, 6, 22, 5, 30), utc(2011, 6, 22, 6), std::nullopt);
  std::vector<model::Finding> findings;
  resolveTimes(item, findings);
  EXPECT_EQ(item.resolved->zone.id, "UTC");
  EXPECT_EQ(item.resolved->start_local, (LocalDateTime{{2011, 6, 22}, 5, 30, 0}));
  EXPECT_TRUE(hasFinding(findings, "zone.missing"));
}

TEST(ResolveTimes, RulesThatMatchNoIanaZoneKeepOutlooksNameAndRules) {
  // Berlin's key but DST from the first Sunday of April: not what Europe/Berlin does.
  auto odd = zone("W. Europe Standard Time", -60, -60, {10, 5, 0, 3, 0, 0}, {4, 1, 0, 2, 0, 0});
  auto item = appointment(utc(2014, 7, 1, 8), utc(2014, 7, 1, 9), odd);
  std::vector<model::Finding> findings;
  resolveTimes(item, findings);
  EXPECT_EQ(item.resolved->zone.id, "W. Europe Standard Time");
  EXPECT_TRUE(hasFinding(findings, "zone.custom"));
  EXPECT_EQ(item.resolved->start_local, (LocalDateTime{{2014, 7, 1}, 10, 0, 0}));
}

TEST(ResolveTimes, AllDayNotAtMidnightIsRepairedToNearestDayWithFinding) {
  // A source that shifted the event by an hour: 2014-11-01T01:00 local.
  auto item = appointment(utc(2014, 11, 1, 0), utc(2014, 11, 2, 0), berlin(), true);
  std::vector<model::Finding> findings;
  resolveTimes(item, findings);
  EXPECT_EQ(item.resolved->first_day, (CivilDate{2014, 11, 1}));
  EXPECT_TRUE(hasFinding(findings, "all_day.start_not_midnight"));
}

TEST(ResolveTimes, EndBeforeStartIsRecorded) {
  auto item = appointment(utc(2014, 7, 1, 9), utc(2014, 7, 1, 8), berlin());
  std::vector<model::Finding> findings;
  resolveTimes(item, findings);
  EXPECT_TRUE(hasFinding(findings, "time.end_before_start"));
  EXPECT_EQ(item.resolved->end_local, item.resolved->start_local);
}

TEST(ZoneResolution, WindowsKeysMapToCldrIanaIds) {
  EXPECT_EQ(ianaIdForWindowsKey("W. Europe Standard Time"), "Europe/Berlin");
  EXPECT_EQ(ianaIdForWindowsKey("Pacific Standard Time"), "America/Los_Angeles");
  EXPECT_EQ(ianaIdForWindowsKey("No Such Zone"), std::nullopt);
}

}  // namespace
}  // namespace m2z::normalize

namespace m2z::normalize {
namespace {

// US rules before 2007: DST from the first Sunday of April to the last Sunday of October at
// 02:00 local; since 2007: second Sunday of March to first Sunday of November (Energy Policy
// Act 2005). EU rules: last Sunday of March 01:00 UTC (02:00 CET) to last Sunday of October
// 01:00 UTC (03:00 CEST).
TEST(ZoneResolution, DisplayNameResolvesOnlyWhenTheOffsetInTheNameAgrees) {
  const Instant august_2004 = utc(2004, 8, 19, 18, 30);
  EXPECT_EQ(ianaIdForDisplayName("(GMT-06:00) Central Time (US & Canada)", august_2004), "America/Chicago");
  EXPECT_EQ(ianaIdForDisplayName("(GMT+05:00) Islamabad, Karachi", utc(2011, 9, 19)), "Asia/Karachi");
  EXPECT_EQ(ianaIdForDisplayName("(UTC) Coordinated Universal Time", utc(2021, 2, 4)), "Etc/UTC");
  EXPECT_EQ(ianaIdForDisplayName("(GMT+01:00) Karachi", utc(2011, 9, 19)), std::nullopt);
  EXPECT_EQ(ianaIdForDisplayName("Central Time", august_2004), std::nullopt);
  EXPECT_EQ(ianaIdForDisplayName("(GMT-06:00) Nowhere In Particular", august_2004), std::nullopt);
}

TEST(ZoneResolution, SingleRuleOfChicagoFollowsTheRulesOfTheItemsEra) {
  auto before_2007 = singleRuleZoneNear("America/Chicago", utc(2004, 8, 19));
  ASSERT_TRUE(before_2007);
  EXPECT_EQ(before_2007->standard_offset_minutes, -360);
  EXPECT_EQ(before_2007->daylight_offset_minutes, -300);
  EXPECT_EQ(*before_2007->to_daylight, (model::TransitionRule{4, 1, 1, 2, 0, 0}));
  EXPECT_EQ(*before_2007->to_standard, (model::TransitionRule{10, -1, 1, 2, 0, 0}));
  auto since_2007 = singleRuleZoneNear("America/Chicago", utc(2014, 8, 19));
  ASSERT_TRUE(since_2007);
  EXPECT_EQ(*since_2007->to_daylight, (model::TransitionRule{3, 2, 1, 2, 0, 0}));
  EXPECT_EQ(*since_2007->to_standard, (model::TransitionRule{11, 1, 1, 2, 0, 0}));
}

TEST(ZoneResolution, SingleRuleOfBerlinGivesWallTimesOfItsUtcTransitions) {
  auto berlin_rules = singleRuleZoneNear("Europe/Berlin", utc(2014, 7, 1));
  ASSERT_TRUE(berlin_rules);
  EXPECT_EQ(*berlin_rules->to_daylight, (model::TransitionRule{3, -1, 1, 2, 0, 0}));
  EXPECT_EQ(*berlin_rules->to_standard, (model::TransitionRule{10, -1, 1, 3, 0, 0}));
}

TEST(ResolveTimes, ItemWithOnlyAZoneDisplayNameGetsThatZonesWallTime) {
  // The 2004 meeting of go-pst's 32-bit.pst: 18:30Z on 19 Aug 2004 is 13:30 CDT.
  auto item = appointment(utc(2004, 8, 19, 18, 30), utc(2004, 8, 19, 19, 30), std::nullopt);
  item.zone_description = "(GMT-06:00) Central Time (US & Canada)";
  std::vector<model::Finding> findings;
  resolveTimes(item, findings);
  EXPECT_EQ(item.resolved->zone.id, "America/Chicago");
  EXPECT_EQ(item.resolved->start_local, (LocalDateTime{{2004, 8, 19}, 13, 30, 0}));
  EXPECT_TRUE(hasFinding(findings, "zone.from_display_name"));
  EXPECT_FALSE(hasFinding(findings, "zone.missing"));
}

}  // namespace
}  // namespace m2z::normalize

namespace m2z::normalize {
namespace {

TEST(ResolveTimes, EndZoneWithTheSameRuleInForceIsNotReportedAsDifferent) {
  // Outlook may write start and end TZDEFINITIONs whose year-stamped rule lists differ only in
  // which rule carries the "effective" flag; the rule in force for the item is what counts.
  auto item = appointment(utc(2011, 9, 19, 22), utc(2011, 9, 19, 23), berlin());
  item.end_zone = berlin();
  item.end_zone->rules.front().effective = false;
  std::vector<model::Finding> findings;
  resolveTimes(item, findings);
  EXPECT_FALSE(hasFinding(findings, "zone.end_differs"));
  item.end_zone = sydney();
  findings.clear();
  resolveTimes(item, findings);
  EXPECT_TRUE(hasFinding(findings, "zone.end_differs"));
}

}  // namespace
}  // namespace m2z::normalize

namespace m2z::normalize {
namespace {

TEST(ResolveTimes, FloatingAllDayDatesNeedNoZoneAndAreNotFlaggedAsGuessed) {
  // Germany.ics: DTSTART;VALUE=DATE:20080101 / DTEND;VALUE=DATE:20080102, no VTIMEZONE.
  auto item = appointment(utc(2008, 1, 1), utc(2008, 1, 2), std::nullopt, true);
  std::vector<model::Finding> findings;
  resolveTimes(item, findings);
  EXPECT_EQ(item.resolved->first_day, (CivilDate{2008, 1, 1}));
  EXPECT_EQ(item.resolved->last_day, (CivilDate{2008, 1, 1}));
  EXPECT_TRUE(hasFinding(findings, "zone.none_all_day"));
  EXPECT_FALSE(hasFinding(findings, "zone.missing"));
  // Not on midnights: the days are a guess after all.
  auto shifted = appointment(utc(2008, 1, 1, 5), utc(2008, 1, 2, 5), std::nullopt, true);
  findings.clear();
  resolveTimes(shifted, findings);
  EXPECT_TRUE(hasFinding(findings, "zone.missing"));
}

}  // namespace
}  // namespace m2z::normalize
