#include "pstgen/builder.h"

namespace m2z::pstgen {

Result<std::unique_ptr<Builder>> Builder::create(const std::string& pst_path, const std::string& expected_path,
                                                 StoreOptions options, nlohmann::json header) {
  auto pst = PstWriter::create(pst_path, std::move(options));
  if (!pst) return pst.error();
  auto expected = ExpectedWriter::create(expected_path, std::move(header));
  if (!expected) return expected.error();
  return std::unique_ptr<Builder>(new Builder(std::move(*pst), std::move(*expected), pst_path));
}

Builder::Builder(std::unique_ptr<PstWriter> pst, std::unique_ptr<ExpectedWriter> expected, std::string pst_path)
    : pst_(std::move(pst)), expected_(std::move(expected)), pst_path_(std::move(pst_path)) {
  paths_[pst_->ipmSubtree()] = "";
  paths_[pst_->deletedItems()] = "/Deleted Items";
}

model::Provenance Builder::provenance(FolderId folder, Nid nid) const {
  const auto found = paths_.find(folder);
  return {pst_path_, found == paths_.end() ? "" : (found->second.empty() ? "/" : found->second), std::to_string(nid)};
}

Result<FolderId> Builder::addFolder(FolderId parent, const std::string& name, const std::string& container_class) {
  auto folder = pst_->addFolder(parent, name, container_class);
  if (!folder) return folder.error();
  const auto parent_path = paths_.find(parent);
  const std::string path = (parent_path == paths_.end() ? std::string() : parent_path->second) + "/" + name;
  paths_[*folder] = path;
  if (auto status = expected_->addFolder(path, container_class, *folder); !status) return status.error();
  return *folder;
}

Status Builder::addAppointment(FolderId folder, const AppointmentSpec& spec) {
  auto message = appointmentMessage(spec);
  if (!message) return message.error();
  auto nid = pst_->addMessage(folder, *message);
  if (!nid) return nid.error();
  return expected_->addAppointment(spec, expectedAppointment(spec, provenance(folder, *nid)));
}

Status Builder::addContact(FolderId folder, const ContactSpec& spec) {
  auto nid = pst_->addMessage(folder, contactMessage(spec));
  if (!nid) return nid.error();
  const model::Provenance where = provenance(folder, *nid);
  return expected_->addItem("contact", {{"folder", where.folder_path},
                                        {"nid", *nid},
                                        {"message_class", "IPM.Contact"},
                                        {"display_name", spec.display_name},
                                        {"given_name", spec.given_name},
                                        {"surname", spec.surname},
                                        {"company", spec.company},
                                        {"email", spec.email},
                                        {"phone", spec.phone}});
}

Status Builder::addTask(FolderId folder, const TaskSpec& spec) {
  auto nid = pst_->addMessage(folder, taskMessage(spec));
  if (!nid) return nid.error();
  const model::Provenance where = provenance(folder, *nid);
  nlohmann::json item = {{"folder", where.folder_path}, {"nid", *nid},       {"message_class", "IPM.Task"},
                         {"subject", spec.subject},     {"status", spec.status}, {"percent_complete", spec.percent_complete}};
  item["start"] = spec.start ? nlohmann::json(model::toIsoString(*spec.start)) : nlohmann::json(nullptr);
  item["due"] = spec.due ? nlohmann::json(model::toIsoString(*spec.due)) : nlohmann::json(nullptr);
  return expected_->addItem("task", std::move(item));
}

Status Builder::addDistributionList(FolderId folder, const DistributionListSpec& spec) {
  auto nid = pst_->addMessage(folder, distributionListMessage(spec));
  if (!nid) return nid.error();
  nlohmann::json members = nlohmann::json::array();
  for (const model::Person& person : spec.members) members.push_back({{"display_name", person.display_name}, {"email", person.email}});
  return expected_->addItem("distribution_list", {{"folder", provenance(folder, *nid).folder_path},
                                                  {"nid", *nid},
                                                  {"message_class", "IPM.DistList"},
                                                  {"name", spec.name},
                                                  {"members", members}});
}

Status Builder::addAssociated(FolderId folder, AssociatedKind kind, const std::string& name) {
  const Message message = associatedMessage(kind, name);
  auto nid = pst_->addMessage(folder, message);
  if (!nid) return nid.error();
  return expected_->addItem("associated", {{"folder", provenance(folder, *nid).folder_path},
                                           {"nid", *nid},
                                           {"message_class", kind == AssociatedKind::kRule
                                                                 ? "IPM.Rule.Version2.Message"
                                                                 : "IPM.Note.Rules.OofTemplate.Microsoft"},
                                           {"name", name}});
}

Status Builder::addMessage(FolderId folder, const Message& message, nlohmann::json expected) {
  auto nid = pst_->addMessage(folder, message);
  if (!nid) return nid.error();
  expected["folder"] = provenance(folder, *nid).folder_path;
  expected["nid"] = *nid;
  return expected_->addItem(message.associated ? "associated" : "message", std::move(expected));
}

Result<PstSummary> Builder::finish() {
  auto summary = pst_->finish();
  if (!summary) return summary.error();
  nlohmann::json totals = {{"file_size", summary->ndb.file_size},
                           {"blocks", summary->ndb.blocks},
                           {"nodes", summary->ndb.nodes},
                           {"messages", summary->messages},
                           {"named_properties", summary->named_properties}};
  if (auto status = expected_->finish({{"pst", totals}}); !status) return status.error();
  return summary;
}

}  // namespace m2z::pstgen
