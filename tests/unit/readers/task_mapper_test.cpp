// mapTask on hand-built property bags; meanings from [MS-OXOTASK] as cited, FILETIMEs worked out
// with Python's datetime.
#include "readers/mapi/task_mapper.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "readers/mapi/property_ids.h"
#include "test_bytes.h"

namespace m2z::readers::mapi {
namespace {

using testing::fromHex;

const model::Provenance kItem{"/data/mail.pst", "/Tasks", "2097188"};

// 2024-03-01T00:00Z, 2024-03-15T00:00Z, 2024-03-14T09:30Z, 2024-03-16T23:00Z.
constexpr std::uint64_t kMarch1 = 133537248000000000ULL;
constexpr std::uint64_t kMarch15 = 133549344000000000ULL;
constexpr std::uint64_t kMarch14At0930 = 133548822000000000ULL;
constexpr std::uint64_t kMarch16At2300 = 133551036000000000ULL;
// The "no date" value 0x5AE980E0 minutes since 1601 as a FILETIME: 0x5AE980E0 * 600000000.
constexpr std::uint64_t kNoDate = 915151392000000000ULL;

void setNamed(PropertyBag& bag, const NamedProperty& property, PropertyValue value) {
  bag.setNamed(property.property_set, property.lid, std::move(value));
}
bool hasFinding(const std::vector<model::Finding>& findings, std::string_view kind) {
  return std::any_of(findings.begin(), findings.end(), [&](const model::Finding& f) { return f.kind == kind; });
}

TEST(TaskMapperTest, DatesAreCivilDatesOfTheUtcReading) {
  PropertyBag bag;
  bag.message_class = "IPM.Task";
  bag.set(kPidTagSubject.id, PropertyType::kUnicode, std::string("File taxes"));
  bag.set(kPidTagBody.id, PropertyType::kUnicode, std::string("Before the 15th"));
  setNamed(bag, kPidLidTaskStartDate, FileTime{kMarch1});
  setNamed(bag, kPidLidTaskDueDate, FileTime{kMarch15});
  setNamed(bag, kPidLidTaskStatus, std::int32_t{1});  // [MS-OXOTASK] 2.2.2.2.2: 1 = in progress
  setNamed(bag, kPidLidPercentComplete, fromHex("000000000000d03f"));  // 0.25 as a little-endian double
  bag.set(kPidTagImportance.id, PropertyType::kInteger32, std::int32_t{2});  // high
  setNamed(bag, kPidLidTaskOwner, std::string("Jane Doe"));
  std::vector<model::Finding> findings;
  auto task = mapTask(bag, kItem, findings);
  ASSERT_TRUE(task);
  EXPECT_EQ(task->subject, "File taxes");
  EXPECT_EQ(task->body, "Before the 15th");
  EXPECT_EQ(task->start, (model::CivilDate{2024, 3, 1}));
  EXPECT_EQ(task->due, (model::CivilDate{2024, 3, 15}));
  EXPECT_EQ(task->status, model::TaskStatus::kInProgress);
  EXPECT_EQ(task->percent_complete, 25);
  EXPECT_FALSE(task->complete);
  EXPECT_EQ(task->importance, model::Importance::kHigh);
  EXPECT_EQ(task->owner, "Jane Doe");
  EXPECT_TRUE(findings.empty());
}

TEST(TaskMapperTest, NoDateSentinelMeansNoDate) {
  PropertyBag bag;
  setNamed(bag, kPidLidTaskStartDate, FileTime{kNoDate});
  setNamed(bag, kPidLidTaskDueDate, FileTime{0x5AE980E0});  // the bare number as the spec prints it
  std::vector<model::Finding> findings;
  auto task = mapTask(bag, kItem, findings);
  ASSERT_TRUE(task);
  EXPECT_FALSE(task->start);
  EXPECT_FALSE(task->due);
  EXPECT_TRUE(findings.empty());
}

TEST(TaskMapperTest, NonMidnightDatesAreGuessedWithAFinding) {
  PropertyBag bag;
  setNamed(bag, kPidLidTaskStartDate, FileTime{kMarch14At0930});  // west of UTC: same day
  setNamed(bag, kPidLidTaskDueDate, FileTime{kMarch16At2300});    // UTC+1 midnight of the 17th
  std::vector<model::Finding> findings;
  auto task = mapTask(bag, kItem, findings);
  ASSERT_TRUE(task);
  EXPECT_EQ(task->start, (model::CivilDate{2024, 3, 14}));
  EXPECT_EQ(task->due, (model::CivilDate{2024, 3, 17}));
  EXPECT_TRUE(hasFinding(findings, "task.date_not_midnight"));
}

TEST(TaskMapperTest, CompleteTaskAndReminder) {
  PropertyBag bag;
  setNamed(bag, kPidLidTaskStatus, std::int32_t{2});  // complete
  setNamed(bag, kPidLidTaskComplete, true);
  setNamed(bag, kPidLidTaskDateCompleted, FileTime{kMarch15});
  setNamed(bag, kPidLidReminderSet, true);
  setNamed(bag, kPidLidReminderTime, FileTime{kMarch14At0930});
  std::vector<model::Finding> findings;
  auto task = mapTask(bag, kItem, findings);
  ASSERT_TRUE(task);
  EXPECT_EQ(task->status, model::TaskStatus::kComplete);
  EXPECT_TRUE(task->complete);
  EXPECT_EQ(task->percent_complete, 100);
  ASSERT_TRUE(task->date_completed);
  EXPECT_EQ(model::toIsoString(*task->date_completed), "2024-03-15T00:00:00Z");
  ASSERT_TRUE(task->reminder);
  EXPECT_EQ(model::toIsoString(*task->reminder), "2024-03-14T09:30:00Z");
}

TEST(TaskMapperTest, RecurringTaskKeepsItsBlobAndSaysSo) {
  PropertyBag bag;
  setNamed(bag, kPidLidTaskFRecurring, true);
  setNamed(bag, kPidLidTaskRecurrence, Binary{0x04, 0x30, 0x04, 0x30});
  std::vector<model::Finding> findings;
  auto task = mapTask(bag, kItem, findings);
  ASSERT_TRUE(task);
  EXPECT_TRUE(task->is_recurring);
  EXPECT_EQ(task->recurrence_blob, (std::vector<std::uint8_t>{0x04, 0x30, 0x04, 0x30}));
  EXPECT_TRUE(hasFinding(findings, "recurrence.not_converted"));
}

TEST(TaskMapperTest, BadValuesAreReported) {
  PropertyBag bag;
  setNamed(bag, kPidLidTaskStatus, std::int32_t{7});
  setNamed(bag, kPidLidPercentComplete, fromHex("000000000000f0bf"));  // -1.0
  setNamed(bag, kPidLidTaskStartDate, FileTime{kMarch15});
  setNamed(bag, kPidLidTaskDueDate, FileTime{kMarch1});
  std::vector<model::Finding> findings;
  auto task = mapTask(bag, kItem, findings);
  ASSERT_TRUE(task);
  EXPECT_EQ(task->status, model::TaskStatus::kNotStarted);
  EXPECT_EQ(task->percent_complete, 0);
  EXPECT_EQ(task->due, task->start);
  EXPECT_EQ(std::count_if(findings.begin(), findings.end(),
                          [](const model::Finding& f) { return f.kind == "property.bad_value"; }),
            3);
}

}  // namespace
}  // namespace m2z::readers::mapi
