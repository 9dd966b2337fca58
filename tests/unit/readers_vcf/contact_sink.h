// An ItemSink that keeps the contacts, lists and findings it is given, for assertions.
#pragma once

#include <string>
#include <vector>

#include "model/item_sink.h"

namespace m2z::readers::vcf::testing {

struct ContactSink : model::ItemSink {
  std::vector<model::SourceFolder> folders;
  std::vector<model::Contact> contacts;
  std::vector<model::DistList> lists;
  std::vector<model::Finding> findings;

  void onFolder(const model::SourceFolder& folder) override { folders.push_back(folder); }
  void onAppointment(model::Appointment) override {}
  void onContact(model::Contact contact) override { contacts.push_back(std::move(contact)); }
  void onDistList(model::DistList list) override { lists.push_back(std::move(list)); }
  void onFinding(model::Finding finding) override { findings.push_back(std::move(finding)); }

  const model::Finding* find(const std::string& kind) const {
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

// The number a contact keeps for `kind`, or "" when it has none.
inline std::string phone(const model::Contact& contact, model::PhoneKind kind) {
  for (const auto& p : contact.phones) {
    if (p.kind == kind) return p.number;
  }
  return {};
}

inline const model::PostalAddress* address(const model::Contact& contact, model::AddressKind kind) {
  for (const auto& a : contact.addresses) {
    if (a.kind == kind) return &a;
  }
  return nullptr;
}

}  // namespace m2z::readers::vcf::testing
