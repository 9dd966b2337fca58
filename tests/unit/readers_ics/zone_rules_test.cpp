#include "readers/ics/zone_rules.h"

#include <gtest/gtest.h>

namespace m2z::readers::ics {
namespace {

using model::CivilDate;
using model::LocalDateTime;

// US Pacific since 2007 as Outlook writes it: standard (UTC-8) from the 1st Sunday of November at
// 02:00 daylight time, daylight (UTC-7) from the 2nd Sunday of March at 02:00 standard time.
std::vector<Observance> pacific() {
  Observance standard{false, {{1601, 11, 4}, 2, 0, 0}, -420, -480, model::TransitionDate{11, 1, 0, 2, 0, 0}, {}};
  Observance daylight{true, {{1601, 3, 11}, 2, 0, 0}, -480, -420, model::TransitionDate{3, 2, 0, 2, 0, 0}, {}};
  return {standard, daylight};
}

TEST(ZoneRules, ObservancesBecomeOneWindowsRule) {
  const auto zone = definitionFromObservances("Pacific Standard Time", pacific());
  ASSERT_EQ(zone.rules.size(), 1u);
  EXPECT_EQ(zone.key_name, "Pacific Standard Time");
  EXPECT_EQ(zone.rules[0].bias, 480);            // UTC = local + 480 minutes
  EXPECT_EQ(zone.rules[0].daylight_bias, -60);   // one hour less in summer
  EXPECT_EQ(zone.rules[0].standard_date, (model::TransitionDate{11, 1, 0, 2, 0, 0}));
  EXPECT_EQ(zone.rules[0].daylight_date, (model::TransitionDate{3, 2, 0, 2, 0, 0}));
}

TEST(ZoneRules, OffsetsAroundTheTransitionsOf2014) {
  // 2014: DST from Sunday 9 March 02:00 PST to Sunday 2 November 02:00 PDT.
  const auto zone = definitionFromObservances("Pacific Standard Time", pacific());
  EXPECT_EQ(offsetForLocal(zone, LocalDateTime{{2014, 3, 9}, 1, 59, 0}), -480);
  EXPECT_EQ(offsetForLocal(zone, LocalDateTime{{2014, 3, 9}, 3, 0, 0}), -420);
  EXPECT_EQ(offsetForLocal(zone, LocalDateTime{{2014, 7, 1}, 12, 0, 0}), -420);
  EXPECT_EQ(offsetForLocal(zone, LocalDateTime{{2014, 11, 2}, 1, 30, 0}), -420);  // the repeated hour: daylight
  EXPECT_EQ(offsetForLocal(zone, LocalDateTime{{2014, 11, 2}, 2, 0, 0}), -480);
  // 2014-03-09T10:00Z is 03:00 PDT (just after the switch at 10:00Z = 02:00 PST).
  EXPECT_EQ(offsetForInstant(zone, model::fromLocal(LocalDateTime{{2014, 3, 9}, 10, 0, 0}, 0)), -420);
  EXPECT_EQ(offsetForInstant(zone, model::fromLocal(LocalDateTime{{2014, 3, 9}, 9, 59, 0}, 0)), -480);
  // 2014-11-02T09:00Z is 01:00 PST again (the switch is at 02:00 PDT = 09:00Z).
  EXPECT_EQ(offsetForInstant(zone, model::fromLocal(LocalDateTime{{2014, 11, 2}, 8, 59, 0}, 0)), -420);
  EXPECT_EQ(offsetForInstant(zone, model::fromLocal(LocalDateTime{{2014, 11, 2}, 9, 0, 0}, 0)), -480);
}

TEST(ZoneRules, SouthernHemisphere) {
  // Sydney since 2008: AEDT (UTC+11) from the 1st Sunday of October 02:00 to the 1st Sunday of
  // April 03:00.
  Observance standard{false, {{2008, 4, 6}, 3, 0, 0}, 660, 600, model::TransitionDate{4, 1, 0, 3, 0, 0}, {}};
  Observance daylight{true, {{2008, 10, 5}, 2, 0, 0}, 600, 660, model::TransitionDate{10, 1, 0, 2, 0, 0}, {}};
  const auto zone = definitionFromObservances("AUS Eastern Standard Time", {standard, daylight});
  EXPECT_EQ(offsetForLocal(zone, LocalDateTime{{2014, 1, 15}, 9, 0, 0}), 660);
  EXPECT_EQ(offsetForLocal(zone, LocalDateTime{{2014, 7, 15}, 9, 0, 0}), 600);
}

TEST(ZoneRules, StandardOnlyZoneHasNoDaylightTime) {
  // "India Standard Time" as Outlook 2010 writes it: one STANDARD block, +05:30.
  Observance standard{false, {{1601, 1, 1}, 0, 0, 0}, 330, 330, std::nullopt, {}};
  const auto zone = definitionFromObservances("India Standard Time", {standard});
  ASSERT_EQ(zone.rules.size(), 1u);
  EXPECT_FALSE(zone.rules[0].observesDaylightTime());
  EXPECT_EQ(zone.rules[0].bias, -330);
  EXPECT_EQ(offsetForLocal(zone, LocalDateTime{{2011, 5, 9}, 5, 30, 0}), 330);
}

TEST(ZoneRules, RulesChangingOverTheYearsAreKeptPerYear) {
  // US Pacific before 2007: daylight from the 1st Sunday of April to the last Sunday of October.
  auto observances = pacific();
  observances[0].start.date.year = 2007;
  observances[1].start.date.year = 2007;
  observances.push_back({false, {{1601, 10, 28}, 2, 0, 0}, -420, -480, model::TransitionDate{10, 5, 0, 2, 0, 0}, {}});
  observances.push_back({true, {{1601, 4, 1}, 2, 0, 0}, -480, -420, model::TransitionDate{4, 1, 0, 2, 0, 0}, {}});
  const auto zone = definitionFromObservances("Pacific Standard Time", observances);
  ASSERT_EQ(zone.rules.size(), 2u);
  EXPECT_EQ(zone.rules[0].year, 1601);
  EXPECT_EQ(zone.rules[1].year, 2007);
  // 2006-10-29 is the last Sunday of October: still PDT on the 28th, PST from the 29th 02:00.
  EXPECT_EQ(offsetForLocal(zone, LocalDateTime{{2006, 10, 28}, 12, 0, 0}), -420);
  EXPECT_EQ(offsetForLocal(zone, LocalDateTime{{2006, 10, 30}, 12, 0, 0}), -480);
  EXPECT_EQ(offsetForLocal(zone, LocalDateTime{{2014, 10, 30}, 12, 0, 0}), -420);  // 2007 rule: until 2 November
}

}  // namespace
}  // namespace m2z::readers::ics
