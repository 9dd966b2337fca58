#include "zimbra/task_requests.h"

#include "zimbra/soap.h"

namespace m2z::zimbra {

namespace {

using Attributes = xml::XmlWriter::Attributes;

Error invalid(const model::Task& task, std::string_view field, std::string message) {
  return Error{"request.invalid_item", std::move(message), task.provenance.describe() + " field " + std::string(field)};
}

bool validDate(const model::CivilDate& date) { return date.year >= 1 && date.year <= 9999 && date.isValid(); }

std::string utcStamp(model::Instant instant) { return model::toLocal(instant, 0).toBasicString() + "Z"; }

Error unexpected(const xml::Element& body, std::string message) {
  return Error{"soap.unexpected", std::move(message), body.name.empty() ? "response" : body.name};
}

}  // namespace

const char* taskStatusCode(model::TaskStatus status) {
  switch (status) {
    case model::TaskStatus::kNotStarted: return "NEED";
    case model::TaskStatus::kInProgress: return "INPR";
    case model::TaskStatus::kComplete: return "COMP";
    case model::TaskStatus::kWaitingOnOthers: return "WAITING";
    case model::TaskStatus::kDeferred: return "DEFERRED";
  }
  return "NEED";
}

const char* taskPriorityCode(model::Importance importance) {
  // iCalendar PRIORITY: 1 highest, 5 normal, 9 lowest; Zimbra's task list shows these three.
  switch (importance) {
    case model::Importance::kHigh: return "1";
    case model::Importance::kNormal: return "5";
    case model::Importance::kLow: return "9";
  }
  return "5";
}

Result<std::string> buildSetTaskRequest(const model::Task& task, std::string_view folder_id, std::string_view uid) {
  if (folder_id.empty()) return invalid(task, "folder", "no target folder id given");
  if (uid.empty()) return invalid(task, "uid", "no UID given for the task");
  if (task.start && !validDate(*task.start)) return invalid(task, "start", "the start date is not a valid date");
  if (task.due && !validDate(*task.due)) return invalid(task, "due", "the due date is not a valid date");
  if (task.percent_complete < 0 || task.percent_complete > 100) {
    return invalid(task, "percent_complete", "percent complete " + std::to_string(task.percent_complete) +
                                                 " is outside 0..100");
  }
  // A completed task is 100% done whatever the source's percent says (Outlook keeps both).
  const bool done = task.complete || task.status == model::TaskStatus::kComplete;
  const model::TaskStatus status = done ? model::TaskStatus::kComplete : task.status;
  const int percent = done ? 100 : task.percent_complete;

  xml::XmlWriter writer;
  writer.open("SetTaskRequest", {{"xmlns", std::string(kMailNamespace)}, {"l", std::string(folder_id)}});
  writer.open("default", {{"ptst", "AC"}});
  writer.open("m", {{"su", task.subject}});
  writer.empty("mp", {{"ct", "text/plain"}, {"content", task.body}});
  Attributes invite{{"method", "PUBLISH"}, {"compNum", "0"}, {"rsvp", "0"}};
  invite.emplace_back("priority", taskPriorityCode(task.importance));
  invite.emplace_back("name", task.subject);
  invite.emplace_back("percentComplete", std::to_string(percent));
  if (done && task.date_completed) invite.emplace_back("completed", utcStamp(*task.date_completed));
  invite.emplace_back("uid", std::string(uid));
  invite.emplace_back("status", taskStatusCode(status));
  // Outlook tasks carry dates, not times: all-day, so the server never reads them in a zone.
  invite.emplace_back("allDay", "1");
  writer.open("inv", invite);
  // inviteComponent's sequence: category, ..., alarm, ..., desc, ..., s, e.
  for (const std::string& category : task.categories) {
    if (!category.empty()) writer.textElement("category", category);
  }
  if (task.reminder) {
    writer.open("alarm", {{"action", "DISPLAY"}});
    writer.open("trigger").empty("abs", {{"d", utcStamp(*task.reminder)}}).close();
    writer.textElement("desc", task.subject);
    writer.close();
  }
  if (!task.body.empty()) writer.textElement("desc", task.body);
  // The civil dates as they are: no zone, no shift (the source keeps the user's local date).
  if (task.start) writer.empty("s", {{"d", task.start->toBasicString()}});
  if (task.due) writer.empty("e", {{"d", task.due->toBasicString()}});
  writer.close();  // inv
  writer.close();  // m
  writer.close();  // default
  writer.close();  // SetTaskRequest
  return writer.release();
}

std::string buildGetTaskByUidRequest(std::string_view uid) {
  xml::XmlWriter writer;
  writer.empty("GetTaskRequest", {{"xmlns", std::string(kMailNamespace)}, {"uid", std::string(uid)}});
  return writer.release();
}

std::string buildGetTaskByIdRequest(std::string_view id) {
  xml::XmlWriter writer;
  writer.empty("GetTaskRequest", {{"xmlns", std::string(kMailNamespace)}, {"id", std::string(id)}});
  return writer.release();
}

std::string buildSearchTasksRequest(std::string_view folder_id, int limit, int offset) {
  xml::XmlWriter writer;
  writer.open("SearchRequest", {{"xmlns", std::string(kMailNamespace)},
                                {"limit", std::to_string(limit)},
                                {"offset", std::to_string(offset)},
                                {"types", "task"}});
  writer.textElement("query", "inid:" + std::string(folder_id));
  writer.close();
  return writer.release();
}

Result<ItemRef> readSetTask(const xml::Element& set_task_response, std::string_view folder_id) {
  if (set_task_response.name != "SetTaskResponse") return unexpected(set_task_response, "expected SetTaskResponse");
  const std::string* id = set_task_response.attribute("calItemId");
  if (id == nullptr || id->empty()) id = set_task_response.attribute("apptId");
  if (id == nullptr || id->empty()) return unexpected(set_task_response, "SetTaskResponse carries no calItemId");
  ItemRef created{*id, std::string(folder_id), "", std::nullopt};
  if (const xml::Element* default_invite = set_task_response.child("default")) {
    created.invite_id = default_invite->attributeOr("id", "");
  }
  return created;
}

Result<std::optional<StoredTask>> readTask(const xml::Element& get_task_response) {
  if (get_task_response.name != "GetTaskResponse") return unexpected(get_task_response, "expected GetTaskResponse");
  const xml::Element* task = get_task_response.child("task");
  if (task == nullptr) return std::optional<StoredTask>{};
  StoredTask stored;
  stored.id = task->attributeOr("id", "");
  if (stored.id.empty()) return unexpected(get_task_response, "GetTaskResponse <task> has no id");
  stored.folder_id = task->attributeOr("l", "");
  stored.uid = task->attributeOr("uid", "");
  const xml::Element* invite = task->child("inv");
  // Zimbra nests the component in <inv><comp>; the short form puts it on <inv> itself.
  const xml::Element* component = invite != nullptr && invite->child("comp") != nullptr ? invite->child("comp") : invite;
  if (component != nullptr) {
    if (stored.uid.empty()) stored.uid = component->attributeOr("uid", "");
    stored.subject = component->attributeOr("name", "");
    stored.status = component->attributeOr("status", "");
    stored.percent = component->attributeOr("percentComplete", "");
    stored.priority = component->attributeOr("priority", "");
    stored.completed = component->attributeOr("completed", "");
    if (const xml::Element* start = component->child("s")) stored.start = start->attributeOr("d", "");
    if (const xml::Element* due = component->child("e")) stored.due = due->attributeOr("d", "");
    for (const xml::Element* category : component->childrenNamed("category")) stored.categories.push_back(category->text);
    if (const xml::Element* desc = component->child("desc")) stored.body = desc->text;
  }
  return std::optional<StoredTask>{std::move(stored)};
}

Result<TaskSearchPage> readTaskSearch(const xml::Element& search_response) {
  if (search_response.name != "SearchResponse") return unexpected(search_response, "expected SearchResponse");
  TaskSearchPage page;
  for (const xml::Element* hit : search_response.childrenNamed("task")) {
    const std::string id = hit->attributeOr("id", "");
    if (id.empty()) return unexpected(search_response, "a <task> in SearchResponse has no id");
    page.ids.push_back(id);
  }
  const std::string more = search_response.attributeOr("more", "0");
  page.more = more == "1" || more == "true";
  return page;
}

}  // namespace m2z::zimbra
