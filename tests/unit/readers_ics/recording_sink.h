// An ItemSink that keeps everything it is given, for assertions.
#pragma once

#include <string>
#include <vector>

#include "model/item_sink.h"

namespace m2z::readers::testing {

struct RecordingSink : model::ItemSink {
  std::vector<model::SourceFolder> folders;
  std::vector<model::Appointment> appointments;
  std::vector<model::Task> tasks;
  std::vector<model::Finding> findings;

  void onFolder(const model::SourceFolder& folder) override { folders.push_back(folder); }
  void onAppointment(model::Appointment appointment) override { appointments.push_back(std::move(appointment)); }
  void onTask(model::Task task) override { tasks.push_back(std::move(task)); }
  void onFinding(model::Finding finding) override { findings.push_back(std::move(finding)); }

  int count(const std::string& kind) const {
    int n = 0;
    for (const auto& finding : findings) n += finding.kind == kind ? 1 : 0;
    return n;
  }
  int skippedItems() const {
    int n = 0;
    for (const auto& finding : findings) n += finding.item_skipped ? 1 : 0;
    return n;
  }
};

}  // namespace m2z::readers::testing
