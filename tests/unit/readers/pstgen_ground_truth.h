// Field-by-field comparison of what our PST readers made of a pstgen mailbox with pstgen's
// expected-items file (the independent side: pstgen links the model only, not our readers).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/appointment.h"
#include "model/contact.h"
#include "model/task.h"

namespace m2z::readers::testing {

inline nlohmann::json loadJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

inline std::string text(const nlohmann::json& object, const char* key) {
  return object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : std::string();
}

template <typename Item>
std::map<std::string, const Item*> byEntryId(const std::vector<Item>& items) {
  std::map<std::string, const Item*> out;
  for (const Item& item : items) out[item.provenance.entry_id] = &item;
  return out;
}

inline std::string nidOf(const nlohmann::json& item) { return std::to_string(item["nid"].get<long long>()); }

// The series pattern as pstgen describes it ([MS-OXOCAL] 2.2.1.44 fields by meaning), its deleted
// days and its modified instances.
inline void compareRecurrence(const model::Recurrence& read, const nlohmann::json& expected) {
  EXPECT_EQ(model::toString(read.pattern), text(expected, "pattern"));
  EXPECT_EQ(read.interval, expected["interval"].get<int>());
  EXPECT_EQ(read.start_date.toIsoString(), text(expected, "start_date"));
  EXPECT_EQ(read.start_minute, expected["start_minute"].get<int>());
  EXPECT_EQ(read.end_minute, expected["end_minute"].get<int>());
  const std::string end = text(expected, "end");
  if (end == "count") {
    EXPECT_EQ(read.end, model::RecurrenceEnd::kAfterCount);
    EXPECT_EQ(read.count, expected["count"].get<int>());
  } else if (end == "date") {
    EXPECT_EQ(read.end, model::RecurrenceEnd::kByDate);
    EXPECT_EQ(read.end_date.toIsoString(), text(expected, "end_date"));
  } else {
    EXPECT_EQ(read.end, model::RecurrenceEnd::kNever);
  }
  std::set<std::string> read_deleted;
  for (const auto& day : read.deleted_dates) read_deleted.insert(day.toIsoString());
  std::set<std::string> expected_deleted;
  for (const auto& day : expected["deleted_dates"]) expected_deleted.insert(day.get<std::string>());
  EXPECT_EQ(read_deleted, expected_deleted);

  const nlohmann::json exceptions = expected.contains("exceptions") ? expected["exceptions"] : nlohmann::json::array();
  ASSERT_EQ(read.exceptions.size(), exceptions.size());
  for (std::size_t i = 0; i < exceptions.size(); ++i) {
    const model::AppointmentException& got = read.exceptions[i];
    const nlohmann::json& want = exceptions[i];
    SCOPED_TRACE("exception " + std::to_string(i));
    EXPECT_EQ(got.original_start.toIsoString(), text(want, "original_start"));
    EXPECT_EQ(got.start.toIsoString(), text(want, "start"));
    EXPECT_EQ(got.end.toIsoString(), text(want, "end"));
    EXPECT_EQ(got.subject.value_or("(series)"), want["subject"].is_null() ? "(series)" : text(want, "subject"));
    EXPECT_EQ(got.location.value_or("(series)"), want["location"].is_null() ? "(series)" : text(want, "location"));
    EXPECT_EQ(got.busy_status ? model::toString(*got.busy_status) : "(series)",
              want["busy_status"].is_null() ? "(series)" : text(want, "busy_status"));
    if (want["all_day"].is_null()) {
      EXPECT_FALSE(got.all_day.value_or(false));
    } else {
      EXPECT_EQ(got.all_day.value_or(false), want["all_day"].get<bool>());
    }
  }
}

// Every appointment pstgen described against what our reader made of it; returns how many were
// compared. Categories (PidNameKeywords, multi-valued strings) are read from the raw value, since
// libpff's multi-value accessor returns none (docs/pstgen.md, "Categories").
inline int compareAppointments(const std::vector<model::Appointment>& appointments, const nlohmann::json& expected) {
  const auto by_entry = byEntryId(appointments);
  int compared = 0;
  for (const auto& item : expected["items"]) {
    if (text(item, "kind") != "appointment") continue;
    const std::string nid = nidOf(item);
    SCOPED_TRACE("nid " + nid + " \"" + text(item, "subject") + "\"");
    const auto found = by_entry.find(nid);
    if (found == by_entry.end()) {
      ADD_FAILURE() << "our reader did not produce this appointment";
      continue;
    }
    const model::Appointment& read = *found->second;
    ++compared;
    EXPECT_EQ(read.provenance.folder_path, text(item, "folder"));
    EXPECT_EQ(read.message_class, text(item, "message_class"));
    EXPECT_EQ(read.subject, text(item, "subject"));
    EXPECT_EQ(read.location, text(item, "location"));
    // pstgen's expected file spells out literal bodies only; its generated large bodies are given
    // by length and prefix.
    if (item.contains("body")) {
      EXPECT_EQ(read.body, text(item, "body"));
    } else if (item.contains("body_prefix")) {
      EXPECT_EQ(read.body.substr(0, text(item, "body_prefix").size()), text(item, "body_prefix"));
    }
    EXPECT_EQ(model::toIsoString(read.start), text(item, "start"));
    EXPECT_EQ(model::toIsoString(read.end), text(item, "end"));
    EXPECT_EQ(read.all_day, item["all_day"].get<bool>());
    EXPECT_EQ(read.uid, text(item, "uid"));
    EXPECT_EQ(model::toString(read.uid_origin), text(item, "uid_origin"));
    EXPECT_EQ(model::toString(read.busy_status), text(item, "busy_status"));
    EXPECT_EQ(model::toString(read.sensitivity), text(item, "sensitivity"));
    EXPECT_EQ(read.zone_description, text(item, "zone_description"));
    EXPECT_EQ(read.start_zone ? read.start_zone->key_name : "(none)",
              item["start_zone"].is_null() ? "(none)" : text(item["start_zone"], "key_name"));
    EXPECT_EQ(read.categories, item["categories"].get<std::vector<std::string>>());
    EXPECT_EQ(read.is_meeting, item["is_meeting"].get<bool>());
    EXPECT_EQ(read.is_recurring, item["is_recurring"].get<bool>());
    if (item["reminder_minutes_before"].is_null()) {
      EXPECT_FALSE(read.reminder_minutes_before);
    } else {
      EXPECT_EQ(read.reminder_minutes_before, item["reminder_minutes_before"].get<int>());
    }
    EXPECT_EQ(read.organizer ? read.organizer->email : "(none)",
              item["organizer"].is_null() ? "(none)" : text(item["organizer"], "email"));
    std::multiset<std::string> expected_attendees;
    for (const auto& attendee : item["attendees"]) {
      expected_attendees.insert(text(attendee, "email") + "/" + text(attendee, "role") + "/" + text(attendee, "response"));
    }
    std::multiset<std::string> read_attendees;
    for (const auto& attendee : read.attendees) {
      read_attendees.insert(attendee.person.email + "/" + model::toString(attendee.role) + "/" +
                            model::toString(attendee.response));
    }
    EXPECT_EQ(read_attendees, expected_attendees);
    if (!item["recurrence"].is_null()) {
      if (read.recurrence) {
        compareRecurrence(*read.recurrence, item["recurrence"]);
      } else {
        ADD_FAILURE() << "the series came back without its recurrence";
      }
    }
  }
  return compared;
}

// "2027-06-03T00:00:00Z" -> "2027-06-03": pstgen stores task dates as UTC midnights, the
// day a task date names ([MS-OXOTASK] 2.2.2.2.4).
inline std::string dayOf(const nlohmann::json& value) {
  return value.is_null() ? std::string("(none)") : value.get<std::string>().substr(0, 10);
}

inline int compareContacts(const std::vector<model::Contact>& contacts, const nlohmann::json& expected) {
  const auto by_entry = byEntryId(contacts);
  int compared = 0;
  for (const auto& item : expected["items"]) {
    if (text(item, "kind") != "contact") continue;
    SCOPED_TRACE("contact nid " + nidOf(item) + " \"" + text(item, "display_name") + "\"");
    const auto found = by_entry.find(nidOf(item));
    if (found == by_entry.end()) {
      ADD_FAILURE() << "our reader did not produce this contact";
      continue;
    }
    const model::Contact& read = *found->second;
    ++compared;
    EXPECT_EQ(read.provenance.folder_path, text(item, "folder"));
    EXPECT_EQ(read.message_class, text(item, "message_class"));
    EXPECT_EQ(read.display_name, text(item, "display_name"));
    EXPECT_EQ(read.given_name, text(item, "given_name"));
    EXPECT_EQ(read.surname, text(item, "surname"));
    EXPECT_EQ(read.company, text(item, "company"));
    // pstgen files every contact as "Surname, Given" (PidLidFileUnder).
    EXPECT_EQ(read.file_as, text(item, "surname") + ", " + text(item, "given_name"));
    if (text(item, "email").empty()) {
      EXPECT_TRUE(read.emails.empty());
    } else {
      EXPECT_EQ(read.emails.size(), 1u);
      if (!read.emails.empty()) {
        EXPECT_EQ(read.emails[0].slot, 1);
        EXPECT_EQ(read.emails[0].address, text(item, "email"));
        EXPECT_EQ(read.emails[0].address_type, "SMTP");
      }
    }
    if (text(item, "phone").empty()) {
      EXPECT_TRUE(read.phones.empty());
    } else {
      // Written as PidTagBusinessTelephoneNumber.
      EXPECT_EQ(read.phones.size(), 1u);
      if (!read.phones.empty()) {
        EXPECT_EQ(read.phones[0].kind, model::PhoneKind::kBusiness);
        EXPECT_EQ(read.phones[0].number, text(item, "phone"));
      }
    }
  }
  return compared;
}

inline int compareDistLists(const std::vector<model::DistList>& lists, const nlohmann::json& expected) {
  const auto by_entry = byEntryId(lists);
  int compared = 0;
  for (const auto& item : expected["items"]) {
    if (text(item, "kind") != "distribution_list") continue;
    SCOPED_TRACE("list nid " + nidOf(item) + " \"" + text(item, "name") + "\"");
    const auto found = by_entry.find(nidOf(item));
    if (found == by_entry.end()) {
      ADD_FAILURE() << "our reader did not produce this distribution list";
      continue;
    }
    const model::DistList& read = *found->second;
    ++compared;
    EXPECT_EQ(read.provenance.folder_path, text(item, "folder"));
    EXPECT_EQ(read.message_class, text(item, "message_class"));
    EXPECT_EQ(read.name, text(item, "name"));
    EXPECT_EQ(read.members.size(), item["members"].size());
    for (std::size_t i = 0; i < read.members.size() && i < item["members"].size(); ++i) {
      // Members are one-off EntryIDs ([MS-OXCDATA] 2.2.5.1), in the order written.
      EXPECT_EQ(read.members[i].kind, model::DistListMemberKind::kOneOff);
      EXPECT_EQ(read.members[i].display_name, text(item["members"][i], "display_name"));
      EXPECT_EQ(read.members[i].email, text(item["members"][i], "email"));
    }
  }
  return compared;
}

inline int compareTasks(const std::vector<model::Task>& tasks, const nlohmann::json& expected) {
  const auto by_entry = byEntryId(tasks);
  int compared = 0;
  for (const auto& item : expected["items"]) {
    if (text(item, "kind") != "task") continue;
    SCOPED_TRACE("task nid " + nidOf(item) + " \"" + text(item, "subject") + "\"");
    const auto found = by_entry.find(nidOf(item));
    if (found == by_entry.end()) {
      ADD_FAILURE() << "our reader did not produce this task";
      continue;
    }
    const model::Task& read = *found->second;
    ++compared;
    EXPECT_EQ(read.provenance.folder_path, text(item, "folder"));
    EXPECT_EQ(read.message_class, text(item, "message_class"));
    EXPECT_EQ(read.subject, text(item, "subject"));
    // PidLidTaskStatus 0, 1, 2 ([MS-OXOTASK] 2.2.2.2.2); PidLidPercentComplete a fraction.
    static const model::TaskStatus kStatuses[] = {model::TaskStatus::kNotStarted, model::TaskStatus::kInProgress,
                                                  model::TaskStatus::kComplete};
    EXPECT_EQ(read.status, kStatuses[item["status"].get<int>()]);
    EXPECT_EQ(read.percent_complete, static_cast<int>(std::lround(item["percent_complete"].get<double>() * 100)));
    EXPECT_EQ(read.complete, item["status"].get<int>() == 2);
    EXPECT_EQ(read.start ? read.start->toIsoString() : "(none)", dayOf(item["start"]));
    EXPECT_EQ(read.due ? read.due->toIsoString() : "(none)", dayOf(item["due"]));
  }
  return compared;
}

}  // namespace m2z::readers::testing
