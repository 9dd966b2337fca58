// EWS t:Contact, t:DistributionList and t:Task elements as model items, with a Finding for every
// field that is not carried over.
#pragma once

#include <optional>
#include <vector>

#include "model/contact.h"
#include "model/finding.h"
#include "model/task.h"
#include "xml/xml.h"

namespace m2z::readers::ews {

struct ItemOptions {
  // The mailbox owner's UTC offset in minutes, when known: it turns all-day values (birthdays, task
  // dates) into civil dates exactly instead of by the nearest-midnight rule.
  std::optional<int> user_offset_minutes;
};

model::Contact convertContact(const xml::Element& element, const model::Provenance& item, const ItemOptions& options,
                              std::vector<model::Finding>& findings);
model::DistList convertDistList(const xml::Element& element, const model::Provenance& item,
                                std::vector<model::Finding>& findings);
model::Task convertTask(const xml::Element& element, const model::Provenance& item, const ItemOptions& options,
                        std::vector<model::Finding>& findings);

}  // namespace m2z::readers::ews
