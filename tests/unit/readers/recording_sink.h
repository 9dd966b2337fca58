// An ItemSink that keeps everything it is given, for assertions.
#pragma once

#include <vector>

#include "model/item_sink.h"

namespace m2z::readers::testing {

struct RecordingSink : model::ItemSink {
  std::vector<model::SourceFolder> folders;
  std::vector<model::Appointment> appointments;
  std::vector<model::Finding> findings;

  void onFolder(const model::SourceFolder& folder) override { folders.push_back(folder); }
  void onAppointment(model::Appointment appointment) override { appointments.push_back(std::move(appointment)); }
  void onFinding(model::Finding finding) override { findings.push_back(std::move(finding)); }

  int skippedItems() const {
    int count = 0;
    for (const auto& finding : findings) count += finding.item_skipped ? 1 : 0;
    return count;
  }
};

}  // namespace m2z::readers::testing
