// Task request builders and their response readers, checked against XML written out by hand from
// soap-calendar.txt / zimbraMail.xsd (SetTaskRequest extends setAppointmentRequest) and RFC 5545's
// VTODO values (STATUS NEEDS-ACTION/IN-PROCESS/COMPLETED, PRIORITY 1/5/9).
#include <gtest/gtest.h>

#include "xml/xml.h"
#include "zimbra/client.h"
#include "zimbra/task_requests.h"

namespace m2z::zimbra {
namespace {

model::Task report() {
  model::Task task;
  task.provenance = model::Provenance{"/data/a.pst", "/Tasks", "2097188"};
  task.subject = "Quarterly report";
  task.body = "Numbers & words";
  task.start = model::CivilDate{2014, 10, 1};
  task.due = model::CivilDate{2014, 10, 31};
  task.status = model::TaskStatus::kInProgress;
  task.percent_complete = 25;
  task.importance = model::Importance::kHigh;
  // 2014-10-30T09:00:00Z = 1414659600 (date -u -d 2014-10-30T09:00:00Z +%s).
  task.reminder = model::Instant{1414659600};
  task.categories = {"Work"};
  return task;
}

TEST(SetTaskRequest, ExactBodyWithUnshiftedDates) {
  auto body = buildSetTaskRequest(report(), "15", "uid-1");
  ASSERT_TRUE(body.ok()) << body.error().describe();
  // The due date 2014-10-31 is sent as the DATE 20141031: no zone, no shift, inclusive.
  EXPECT_EQ(*body,
            "<SetTaskRequest xmlns=\"urn:zimbraMail\" l=\"15\">\n"
            "  <default ptst=\"AC\">\n"
            "    <m su=\"Quarterly report\">\n"
            "      <mp ct=\"text/plain\" content=\"Numbers &amp; words\"/>\n"
            "      <inv method=\"PUBLISH\" compNum=\"0\" rsvp=\"0\" priority=\"1\" name=\"Quarterly report\" "
            "percentComplete=\"25\" uid=\"uid-1\" status=\"INPR\" allDay=\"1\">\n"
            "        <category>Work</category>\n"
            "        <alarm action=\"DISPLAY\">\n"
            "          <trigger>\n"
            "            <abs d=\"20141030T090000Z\"/>\n"
            "          </trigger>\n"
            "          <desc>Quarterly report</desc>\n"
            "        </alarm>\n"
            "        <desc>Numbers &amp; words</desc>\n"
            "        <s d=\"20141001\"/>\n"
            "        <e d=\"20141031\"/>\n"
            "      </inv>\n"
            "    </m>\n"
            "  </default>\n"
            "</SetTaskRequest>\n");
}

TEST(SetTaskRequest, CompletedTaskIsCompAt100WithItsCompletionInstant) {
  model::Task task;
  task.provenance = model::Provenance{"/data/a.pst", "/Tasks", "1"};
  task.subject = "Done";
  task.complete = true;
  task.status = model::TaskStatus::kComplete;
  task.percent_complete = 0;  // Outlook can keep 0 on a completed task; Zimbra shows 100
  task.importance = model::Importance::kLow;
  // 2021-02-04T00:00:00Z = 1612396800.
  task.date_completed = model::Instant{1612396800};
  auto body = buildSetTaskRequest(task, "15", "u");
  ASSERT_TRUE(body.ok()) << body.error().describe();
  EXPECT_NE(body->find("priority=\"9\" name=\"Done\" percentComplete=\"100\" completed=\"20210204T000000Z\" "
                       "uid=\"u\" status=\"COMP\" allDay=\"1\""),
            std::string::npos)
      << *body;
  EXPECT_EQ(body->find("<s "), std::string::npos);
  EXPECT_EQ(body->find("<e "), std::string::npos);
}

TEST(SetTaskRequest, StatusCodes) {
  EXPECT_STREQ(taskStatusCode(model::TaskStatus::kNotStarted), "NEED");
  EXPECT_STREQ(taskStatusCode(model::TaskStatus::kInProgress), "INPR");
  EXPECT_STREQ(taskStatusCode(model::TaskStatus::kComplete), "COMP");
  EXPECT_STREQ(taskStatusCode(model::TaskStatus::kWaitingOnOthers), "WAITING");
  EXPECT_STREQ(taskStatusCode(model::TaskStatus::kDeferred), "DEFERRED");
}

TEST(SetTaskRequest, BadValuesAreErrorsNamingTheField) {
  model::Task task = report();
  task.due = model::CivilDate{2014, 2, 30};
  auto bad_date = buildSetTaskRequest(task, "15", "u");
  ASSERT_FALSE(bad_date.ok());
  EXPECT_EQ(bad_date.error().code, "request.invalid_item");
  EXPECT_NE(bad_date.error().context.find("/data/a.pst:/Tasks#2097188 field due"), std::string::npos);
  task = report();
  task.percent_complete = 101;
  EXPECT_FALSE(buildSetTaskRequest(task, "15", "u").ok());
  EXPECT_FALSE(buildSetTaskRequest(report(), "", "u").ok());
  EXPECT_FALSE(buildSetTaskRequest(report(), "15", "").ok());
}

TEST(TaskUid, StableAndDistinct) {
  EXPECT_EQ(ZimbraClient::taskUid("a.pst:1:2#5"), ZimbraClient::taskUid("a.pst:1:2#5"));
  EXPECT_NE(ZimbraClient::taskUid("a.pst:1:2#5"), ZimbraClient::taskUid("a.pst:1:2#6"));
  // "mapi2zimbra-task-" and 32 hex digits (128 bits of SHA-256).
  EXPECT_EQ(ZimbraClient::taskUid("x").size(), 17u + 32u);
}

TEST(TaskLookups, Bodies) {
  EXPECT_EQ(buildGetTaskByUidRequest("u1"), "<GetTaskRequest xmlns=\"urn:zimbraMail\" uid=\"u1\"/>\n");
  EXPECT_EQ(buildGetTaskByIdRequest("257"), "<GetTaskRequest xmlns=\"urn:zimbraMail\" id=\"257\"/>\n");
  EXPECT_EQ(buildSearchTasksRequest("15", 500, 0),
            "<SearchRequest xmlns=\"urn:zimbraMail\" limit=\"500\" offset=\"0\" types=\"task\">\n"
            "  <query>inid:15</query>\n"
            "</SearchRequest>\n");
}

TEST(TaskResponses, SetGetAndSearch) {
  auto set = xml::parse("<SetTaskResponse xmlns=\"urn:zimbraMail\" calItemId=\"300\"><default id=\"300-1\"/>"
                        "</SetTaskResponse>", "test");
  auto ref = readSetTask(*set, "15");
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(ref->id, "300");
  EXPECT_EQ(ref->invite_id, "300-1");

  auto got = xml::parse(
      "<GetTaskResponse xmlns=\"urn:zimbraMail\"><task id=\"300\" l=\"15\" uid=\"u1\"><inv type=\"task\">"
      "<comp name=\"R\" status=\"COMP\" percentComplete=\"100\" priority=\"9\" completed=\"20210204T000000Z\">"
      "<category>A</category><desc>b</desc><s d=\"20141001\"/><e d=\"20141031\"/></comp></inv></task>"
      "</GetTaskResponse>",
      "test");
  auto task = readTask(*got);
  ASSERT_TRUE(task.ok()) << task.error().describe();
  ASSERT_TRUE(task->has_value());
  const StoredTask expected{"300", "15", "u1", "R", "20141001", "20141031", "COMP", "100", "9",
                            "20210204T000000Z", {"A"}, "b"};
  EXPECT_EQ(**task, expected);
  auto none = xml::parse("<GetTaskResponse xmlns=\"urn:zimbraMail\"/>", "test");
  EXPECT_FALSE(readTask(*none)->has_value());

  auto search = xml::parse("<SearchResponse xmlns=\"urn:zimbraMail\" more=\"1\"><task id=\"1\"/><task id=\"2\"/>"
                           "</SearchResponse>", "test");
  auto page = readTaskSearch(*search);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->ids, (std::vector<std::string>{"1", "2"}));
  EXPECT_TRUE(page->more);
}

}  // namespace
}  // namespace m2z::zimbra
