// Writes items into a PST and their expected values into the expected-items file in one step,
// so the two can never disagree about which items exist.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "pstgen/calendar_items.h"
#include "pstgen/expected_items.h"
#include "pstgen/pst_writer.h"

namespace m2z::pstgen {

class Builder {
 public:
  [[nodiscard]] static Result<std::unique_ptr<Builder>> create(const std::string& pst_path, const std::string& expected_path,
                                                               StoreOptions options, nlohmann::json header);

  FolderId ipmSubtree() const { return pst_->ipmSubtree(); }
  [[nodiscard]] Result<FolderId> addFolder(FolderId parent, const std::string& name, const std::string& container_class);
  [[nodiscard]] Status addAppointment(FolderId folder, const AppointmentSpec& spec);
  [[nodiscard]] Status addContact(FolderId folder, const ContactSpec& spec);
  [[nodiscard]] Status addTask(FolderId folder, const TaskSpec& spec);
  [[nodiscard]] Status addDistributionList(FolderId folder, const DistributionListSpec& spec);
  [[nodiscard]] Status addAssociated(FolderId folder, AssociatedKind kind, const std::string& name);
  // A message given property by property; `expected` describes it in the expected-items file.
  [[nodiscard]] Status addMessage(FolderId folder, const Message& message, nlohmann::json expected);
  [[nodiscard]] Result<PstSummary> finish();

 private:
  Builder(std::unique_ptr<PstWriter> pst, std::unique_ptr<ExpectedWriter> expected, std::string pst_path);
  model::Provenance provenance(FolderId folder, Nid nid) const;

  std::unique_ptr<PstWriter> pst_;
  std::unique_ptr<ExpectedWriter> expected_;
  std::string pst_path_;
  std::map<FolderId, std::string> paths_;  // folder path relative to the IPM subtree, "/A/B"
};

}  // namespace m2z::pstgen
