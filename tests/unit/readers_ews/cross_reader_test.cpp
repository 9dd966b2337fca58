// The same meeting exported to iCalendar by Outlook and fetched over EWS must come out of the
// normalizer as the same item, field by field (testdata/cross_reader, see testdata/README.md).
#include <gtest/gtest.h>

#include <string>

#include "normalize/normalizer.h"
#include "readers/ews/ews_reader.h"
#include "readers/ics/ics_reader.h"
#include "recording_sink.h"

namespace m2z::readers {
namespace {

using model::CivilDate;
using model::LocalDateTime;

std::string testdata(const std::string& name) { return std::string(M2Z_SOURCE_DIR) + "/testdata/cross_reader/" + name; }

std::vector<model::Appointment> normalized(std::vector<model::Appointment> items) {
  normalize::Normalizer normalizer;
  for (auto& item : items) {
    std::vector<model::Finding> findings;
    EXPECT_TRUE(normalizer.normalize(item, findings)) << item.provenance.describe();
  }
  return items;
}

void expectSameItem(const model::Appointment& ics, const model::Appointment& ews) {
  // Provenance, message class and the zone's display name differ by container; everything a
  // writer sends must not.
  EXPECT_EQ(ics.uid, ews.uid);
  EXPECT_EQ(ics.uid_origin, ews.uid_origin);
  EXPECT_EQ(ics.subject, ews.subject);
  EXPECT_EQ(ics.location, ews.location);
  EXPECT_EQ(ics.body, ews.body);
  EXPECT_EQ(ics.start, ews.start);
  EXPECT_EQ(ics.end, ews.end);
  EXPECT_EQ(ics.all_day, ews.all_day);
  ASSERT_EQ(ics.start_zone.has_value(), ews.start_zone.has_value());
  if (ics.start_zone) {
    EXPECT_EQ(ics.start_zone->key_name, ews.start_zone->key_name);
    EXPECT_EQ(ics.start_zone->rules, ews.start_zone->rules);
  }
  EXPECT_EQ(ics.organizer, ews.organizer);
  EXPECT_EQ(ics.attendees, ews.attendees);
  EXPECT_EQ(ics.reminder_minutes_before, ews.reminder_minutes_before);
  EXPECT_EQ(ics.busy_status, ews.busy_status);
  EXPECT_EQ(ics.sensitivity, ews.sensitivity);
  EXPECT_EQ(ics.categories, ews.categories);
  EXPECT_EQ(ics.is_meeting, ews.is_meeting);
  EXPECT_EQ(ics.is_recurring, ews.is_recurring);
  EXPECT_EQ(ics.recurrence, ews.recurrence);  // pattern, exceptions and what the normalizer resolved
  EXPECT_EQ(ics.resolved, ews.resolved);
  EXPECT_EQ(ics.original_uid, ews.original_uid);
}

TEST(CrossReader, IcsAndEwsGiveTheSameNormalizedItems) {
  testing::RecordingSink ics_sink;
  auto ics_result = ics::readCalendarFile(testdata("meeting.ics"), ics_sink);
  ASSERT_TRUE(ics_result.ok()) << ics_result.error().describe();
  testing::RecordingSink ews_sink;
  auto ews_result = ews::readEwsFile(testdata("meeting.xml"), ews_sink);
  ASSERT_TRUE(ews_result.ok()) << ews_result.error().describe();
  ASSERT_EQ(ics_sink.appointments.size(), 2u);
  ASSERT_EQ(ews_sink.appointments.size(), 2u);
  EXPECT_EQ(ics_result->overrides_merged, 1);
  EXPECT_EQ(ews_result->exceptions_merged, 1);

  const auto ics_items = normalized(ics_sink.appointments);
  const auto ews_items = normalized(ews_sink.appointments);
  for (std::size_t i = 0; i < ics_items.size(); ++i) {
    SCOPED_TRACE(ics_items[i].subject);
    expectSameItem(ics_items[i], ews_items[i]);
  }

  // And both are what the files say: 10 Tuesdays from 5 March 2024, 10:00-11:00 Berlin time,
  // 19 March deleted, 9 April moved to 10 April 14:00-15:00 (CEST after 31 March).
  const auto& series = ics_items[0];
  ASSERT_TRUE(series.resolved.has_value());
  EXPECT_EQ(series.resolved->zone.id, "Europe/Berlin");
  EXPECT_EQ(series.resolved->start_local, (LocalDateTime{{2024, 3, 5}, 10, 0, 0}));
  ASSERT_TRUE(series.recurrence.has_value());
  EXPECT_EQ(series.recurrence->count, 10);
  EXPECT_EQ(series.recurrence->weekdays, (std::vector<model::Weekday>{model::Weekday::kTuesday}));
  EXPECT_EQ(series.recurrence->deleted_dates, (std::vector<CivilDate>{{2024, 3, 19}, {2024, 4, 9}}));
  ASSERT_EQ(series.recurrence->exceptions.size(), 1u);
  const auto& moved = series.recurrence->exceptions[0];
  EXPECT_EQ(moved.original_start, (LocalDateTime{{2024, 4, 9}, 10, 0, 0}));
  EXPECT_EQ(moved.start, (LocalDateTime{{2024, 4, 10}, 14, 0, 0}));
  EXPECT_EQ(moved.subject, std::optional<std::string>("Quarterly planning (moved)"));
  ASSERT_TRUE(series.recurrence->resolved.has_value());
  ASSERT_EQ(series.recurrence->resolved->cancelled.size(), 1u);
  EXPECT_EQ(series.recurrence->resolved->cancelled[0].start, (LocalDateTime{{2024, 3, 19}, 10, 0, 0}));

  const auto& fair = ics_items[1];
  EXPECT_TRUE(fair.all_day);
  EXPECT_EQ(fair.resolved->first_day, (CivilDate{2024, 3, 15}));
  EXPECT_EQ(fair.resolved->last_day, (CivilDate{2024, 3, 16}));
  EXPECT_EQ(fair.busy_status, model::BusyStatus::kOutOfOffice);
}

}  // namespace
}  // namespace m2z::readers
