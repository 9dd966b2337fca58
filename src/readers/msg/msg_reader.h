// The Outlook .msg / .oft reader: one message from an OLE compound file ([MS-OXMSG]), mapped by
// the same code as PST items (readers/mapi). Built on libolecf; nothing outside readers/msg sees it.
#pragma once

#include <string>

#include "model/item_sink.h"
#include "model/result.h"

namespace m2z::readers::msg {

struct MsgReadSummary {
  std::string message_class;  // PidTagMessageClass of the file's message
  int items_seen = 0;         // 1 once the message was read; accounted for below
  int appointments = 0;       // handed to onAppointment
  int contacts = 0;           // handed to onContact
  int dist_lists = 0;         // handed to onDistList
  int tasks = 0;              // handed to onTask
  int skipped = 0;            // reported through a Finding with item_skipped set
};

// Reads the message of a .msg or .oft file into `sink`: onFolder once (path "/<file name>"), then
// by message class onAppointment (IPM.Appointment*, IPM.Schedule.Meeting.*), onContact
// (IPM.Contact*), onDistList (IPM.DistList*) or onTask (IPM.Task*); any other class, and a
// message the mapping cannot convert, is a Finding with item_skipped set. Entry ids are the file
// name. Properties that cannot be read become Findings naming the stream. Fails only when the
// file is not a compound file or its top-level property stream cannot be read.
[[nodiscard]] Result<MsgReadSummary> readMsgFile(const std::string& path, model::ItemSink& sink);

}  // namespace m2z::readers::msg
