// Readers stream what they find into an ItemSink one item at a time, so memory stays bounded
// whatever the size of the source.
#pragma once

#include <string>

#include "model/appointment.h"
#include "model/contact.h"
#include "model/finding.h"
#include "model/oof.h"
#include "model/rule.h"
#include "model/task.h"

namespace m2z::model {

// A folder of the source that holds items of the kind being read.
struct SourceFolder {
  std::string path;             // "/"-separated, relative to the store's top, e.g. "/Calendar/Team"
  std::string container_class;  // "IPF.Appointment", ...
  std::string source_file;
  int item_count = -1;          // items in the folder as the source reports them; -1 unknown
};

class ItemSink {
 public:
  virtual ~ItemSink() = default;
  virtual void onFolder(const SourceFolder& folder) = 0;
  virtual void onAppointment(Appointment appointment) = 0;
  // Contacts, distribution lists and tasks; sinks that do not carry them over ignore them.
  virtual void onContact(Contact /*contact*/) {}
  virtual void onDistList(DistList /*dist_list*/) {}
  virtual void onTask(Task /*task*/) {}
  // Mail rules and out-of-office settings; sinks that do not carry them over ignore them.
  virtual void onRule(Rule /*rule*/) {}
  virtual void onOofSettings(OofSettings /*settings*/) {}
  // A finding about the source. When finding.item_skipped is set, it stands for one source item
  // that is not carried over, so that the item is still accounted for.
  virtual void onFinding(Finding finding) = 0;
};

}  // namespace m2z::model
