// SOAP bodies for tasks (SetTaskRequest, GetTaskRequest, SearchRequest types="task") built from
// model values, and the reading of their responses: pure functions, testable without a server.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"
#include "model/task.h"
#include "xml/xml.h"
#include "zimbra/requests.h"

namespace m2z::zimbra {

// What the server holds of one task (GetTaskResponse <task><inv><comp>).
struct StoredTask {
  std::string id;
  std::string folder_id;
  std::string uid;
  std::string subject;
  std::string start;      // <s d>: "YYYYMMDD" for an all-day task, as sent
  std::string due;        // <e d>
  std::string status;     // NEED, INPR, COMP, DEFERRED, WAITING
  std::string percent;    // percentComplete
  std::string priority;   // 1, 5, 9
  std::string completed;  // YYYYMMDDTHHMMSSZ
  std::vector<std::string> categories;
  std::string body;       // <desc>, else the text/plain <mp content>
  bool operator==(const StoredTask&) const = default;
};

// The Zimbra spellings of the model's task values.
const char* taskStatusCode(model::TaskStatus status);  // NEED, INPR, COMP, WAITING, DEFERRED
const char* taskPriorityCode(model::Importance importance);  // 1 high, 5 normal, 9 low

// <SetTaskRequest l=folder><default ptst="AC"><m su><mp/><inv .../></m></default>: stores the task
// without sending anything, keeping `uid` (a task has no UID in the source; the caller derives a
// stable one) so a re-run finds it with GetTaskRequest. Start and due are all-day DATE values sent
// as the source's civil dates, never shifted through a zone: a task due 2014-10-31 is <e
// d="20141031"/> (Zimbra's task due date, like its all-day end, is inclusive). Status, percent,
// priority, the completion instant (UTC), a reminder (an absolute DISPLAY alarm), categories and
// the body travel too. A recurring task is stored as its single next occurrence (the model keeps
// only the raw rule); the caller reports that.
// Errors (code "request.invalid_item", context = provenance + field): no folder, no uid, invalid
// dates, percent outside 0..100.
[[nodiscard]] Result<std::string> buildSetTaskRequest(const model::Task& task, std::string_view folder_id,
                                                      std::string_view uid);

// <GetTaskRequest uid=".."/> and <GetTaskRequest id=".."/>.
std::string buildGetTaskByUidRequest(std::string_view uid);
std::string buildGetTaskByIdRequest(std::string_view id);
// <SearchRequest types="task" query="inid:FOLDER" limit offset>: the ids of a folder's tasks.
std::string buildSearchTasksRequest(std::string_view folder_id, int limit, int offset);

// Response readers; errors have code "soap.unexpected".
[[nodiscard]] Result<ItemRef> readSetTask(const xml::Element& set_task_response, std::string_view folder_id);
// nullopt when the response holds no <task>.
[[nodiscard]] Result<std::optional<StoredTask>> readTask(const xml::Element& get_task_response);
struct TaskSearchPage {
  std::vector<std::string> ids;
  bool more = false;
};
[[nodiscard]] Result<TaskSearchPage> readTaskSearch(const xml::Element& search_response);

}  // namespace m2z::zimbra
