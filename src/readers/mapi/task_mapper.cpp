#include "readers/mapi/task_mapper.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <utility>

#include "model/time.h"
#include "readers/mapi/appointment_mapper.h"
#include "readers/mapi/contact_mapper.h"
#include "readers/mapi/field_reader.h"
#include "readers/mapi/property_ids.h"
#include "readers/mapi/rtf_text.h"

namespace m2z::readers::mapi {

namespace {

constexpr std::uint64_t kTicksPerMinute = 600'000'000;

bool isNoDate(std::uint64_t ticks) {
  // [MS-OXOTASK] 2.2.2.2.4 gives the sentinel as 0x5AE980E0, which is 4501-01-01 in minutes since
  // 1601; stores write it as that FILETIME, and the bare number is taken the same way.
  return ticks == kTaskNoDateMinutes || ticks / kTicksPerMinute >= kTaskNoDateMinutes;
}

// Start and due are midnight UTC of the user's local date ([MS-OXOTASK] 2.2.2.2.4, 2.2.2.2.5):
// the UTC reading's date is the date. A value that is not midnight was written the UTC way
// (local midnight converted to UTC) and is read like PidTagBirthday.
std::optional<model::CivilDate> readTaskDate(FieldReader& fields, const NamedProperty& property) {
  const auto* value = fields.get<FileTime>(property);
  if (value == nullptr || isNoDate(value->ticks)) return std::nullopt;
  const auto instant = model::instantFromFileTime(value->ticks);
  if (!instant) {
    fields.badValue(property.name, "FILETIME " + std::to_string(value->ticks), "", "out of range");
    return std::nullopt;
  }
  const UtcDateGuess guess = civilDateFromUtcMidnight(*instant);
  if (!guess.exact) {
    fields.report("task.date_not_midnight", model::Severity::kWarning, property.name, model::toIsoString(*instant),
                  guess.date.toIsoString(),
                  "should be midnight UTC of the local date; read as local midnight converted to UTC instead");
  }
  return guess.date;
}

std::optional<model::Instant> readInstant(FieldReader& fields, const NamedProperty& property) {
  const auto* value = fields.get<FileTime>(property);
  if (value == nullptr || isNoDate(value->ticks)) return std::nullopt;
  return model::instantFromFileTime(value->ticks);
}

void mapProgress(FieldReader& fields, model::Task& task) {
  if (const auto* status = fields.get<std::int32_t>(kPidLidTaskStatus)) {
    constexpr model::TaskStatus kByValue[] = {model::TaskStatus::kNotStarted, model::TaskStatus::kInProgress,
                                              model::TaskStatus::kComplete, model::TaskStatus::kWaitingOnOthers,
                                              model::TaskStatus::kDeferred};
    if (*status >= 0 && *status < 5) {
      task.status = kByValue[*status];
    } else {
      fields.badValue(kPidLidTaskStatus.name, std::to_string(*status), toString(task.status), "not a task status 0-4");
    }
  }
  if (const auto* complete = fields.get<bool>(kPidLidTaskComplete)) task.complete = *complete;
  if (task.status == model::TaskStatus::kComplete) task.complete = true;
  if (const auto* percent = fields.get<Binary>(kPidLidPercentComplete)) {
    double fraction = 0;
    if (percent->size() == sizeof fraction) {
      std::uint64_t bits = 0;
      for (std::size_t i = 0; i < 8; ++i) bits |= static_cast<std::uint64_t>((*percent)[i]) << (8 * i);
      fraction = std::bit_cast<double>(bits);
    }
    if (percent->size() != sizeof fraction || !std::isfinite(fraction) || fraction < 0.0 || fraction > 1.0) {
      fields.badValue(kPidLidPercentComplete.name, std::to_string(percent->size()) + " byte(s)", "",
                      "not a fraction between 0.0 and 1.0 ([MS-OXOTASK] 2.2.2.2.3)");
    } else {
      task.percent_complete = static_cast<int>(std::lround(fraction * 100.0));
    }
  }
  if (task.complete) task.percent_complete = 100;
  if (const auto* importance = fields.get<std::int32_t>(kPidTagImportance)) {
    constexpr model::Importance kByValue[] = {model::Importance::kLow, model::Importance::kNormal,
                                              model::Importance::kHigh};
    if (*importance >= 0 && *importance < 3) {
      task.importance = kByValue[*importance];
    } else {
      fields.badValue(kPidTagImportance.name, std::to_string(*importance), toString(task.importance),
                      "not an importance 0-2");
    }
  }
}

void mapReminder(FieldReader& fields, model::Task& task) {
  const auto* reminder_set = fields.get<bool>(kPidLidReminderSet);
  if (reminder_set == nullptr || !*reminder_set) return;
  task.reminder = readInstant(fields, kPidLidReminderTime);
  if (!task.reminder) task.reminder = readInstant(fields, kPidLidReminderSignalTime);
  if (!task.reminder) {
    fields.badValue(kPidLidReminderTime.name, "", "", "the reminder is on but has no time; it is dropped");
  }
}

void mapRecurrence(FieldReader& fields, model::Task& task) {
  const auto* recurring = fields.get<bool>(kPidLidTaskFRecurring);
  const auto* blob = fields.get<Binary>(kPidLidTaskRecurrence);
  task.is_recurring = recurring != nullptr && *recurring;
  if (!task.is_recurring) return;
  if (blob != nullptr) task.recurrence_blob = *blob;
  fields.report("recurrence.not_converted", model::Severity::kWarning, kPidLidTaskRecurrence.name,
                blob != nullptr ? std::to_string(blob->size()) + " byte(s)" : "", "",
                "task series are not converted yet: the task is carried over as its current occurrence");
}

}  // namespace

Result<model::Task> mapTask(const PropertyBag& bag, const model::Provenance& provenance,
                            std::vector<model::Finding>& findings) {
  FieldReader fields(bag, provenance, findings);
  model::Task task;
  task.provenance = provenance;
  task.message_class = bag.message_class;
  if (const auto* subject = fields.get<std::string>(kPidTagSubject)) {
    task.subject = stripSubjectMarker(*subject);
  } else {
    task.subject = fields.string(kPidTagSubjectPrefix) + stripSubjectMarker(fields.string(kPidTagNormalizedSubject));
  }
  task.body = readBody(fields);
  task.start = readTaskDate(fields, kPidLidTaskStartDate);
  task.due = readTaskDate(fields, kPidLidTaskDueDate);
  if (task.start && task.due && *task.due < *task.start) {
    fields.badValue(kPidLidTaskDueDate.name, task.due->toIsoString(), task.start->toIsoString(),
                    "the due date lies before the start date; the due date is set to the start date");
    task.due = task.start;
  }
  task.date_completed = readInstant(fields, kPidLidTaskDateCompleted);
  mapProgress(fields, task);
  mapReminder(fields, task);
  mapRecurrence(fields, task);
  task.owner = fields.string(kPidLidTaskOwner);
  task.categories = readCategories(fields);
  return task;
}

}  // namespace m2z::readers::mapi
