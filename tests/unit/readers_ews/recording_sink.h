// An ItemSink that keeps everything it is given, for assertions.
#pragma once

#include <string>
#include <vector>

#include "model/item_sink.h"

namespace m2z::readers::testing {

struct RecordingSink : model::ItemSink {
  std::vector<model::SourceFolder> folders;
  std::vector<model::Appointment> appointments;
  std::vector<model::Finding> findings;
  std::vector<model::Contact> contacts;
  std::vector<model::DistList> dist_lists;
  std::vector<model::Task> tasks;
  std::vector<model::Rule> rules;
  std::vector<model::OofSettings> oof_settings;

  void onContact(model::Contact contact) override { contacts.push_back(std::move(contact)); }
  void onDistList(model::DistList list) override { dist_lists.push_back(std::move(list)); }
  void onTask(model::Task task) override { tasks.push_back(std::move(task)); }
  void onRule(model::Rule rule) override { rules.push_back(std::move(rule)); }
  void onOofSettings(model::OofSettings settings) override { oof_settings.push_back(std::move(settings)); }
  void onFolder(const model::SourceFolder& folder) override { folders.push_back(folder); }
  void onAppointment(model::Appointment appointment) override { appointments.push_back(std::move(appointment)); }
  void onFinding(model::Finding finding) override { findings.push_back(std::move(finding)); }

  int count(const std::string& kind) const {
    int n = 0;
    for (const auto& finding : findings) n += finding.kind == kind ? 1 : 0;
    return n;
  }
  const model::Finding* first(const std::string& kind) const {
    for (const auto& finding : findings) {
      if (finding.kind == kind) return &finding;
    }
    return nullptr;
  }
  int skippedItems() const {
    int n = 0;
    for (const auto& finding : findings) n += finding.item_skipped ? 1 : 0;
    return n;
  }
};

}  // namespace m2z::readers::testing
