// An ItemSink that keeps the contacts, distribution lists and tasks it is given, for assertions.
#pragma once

#include <vector>

#include "recording_sink.h"

namespace m2z::readers::testing {

struct RecordingGroupwareSink : RecordingSink {
  std::vector<model::Contact> contacts;
  std::vector<model::DistList> dist_lists;
  std::vector<model::Task> tasks;

  void onContact(model::Contact contact) override { contacts.push_back(std::move(contact)); }
  void onDistList(model::DistList dist_list) override { dist_lists.push_back(std::move(dist_list)); }
  void onTask(model::Task task) override { tasks.push_back(std::move(task)); }
};

}  // namespace m2z::readers::testing
