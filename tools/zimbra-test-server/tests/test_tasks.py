"""Tasks: SetTaskRequest keeps the UID and the dates as sent; GetTaskRequest; SearchRequest."""

import unittest
from xml.sax.saxutils import quoteattr

import soap_bodies as body
from support import USER, USER1, ServerTestCase


def set_task(uid="task-1", folder="15", name="Report", start="20141001", due="20141031",
             status="INPR", percent="50", priority="1"):
    dates = (f'<s d="{start}"/>' if start else "") + (f'<e d="{due}"/>' if due else "")
    return (f'<SetTaskRequest xmlns="urn:zimbraMail" l={quoteattr(folder)}><default ptst="AC">'
            f'<m su={quoteattr(name)}><mp ct="text/plain" content="the body"/>'
            f'<inv method="PUBLISH" compNum="0" rsvp="0" priority="{priority}" name={quoteattr(name)} '
            f'percentComplete="{percent}" uid={quoteattr(uid)} status="{status}" allDay="1">'
            f'<category>Work</category><desc>the body</desc>{dates}</inv></m></default></SetTaskRequest>')


class TaskTest(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.token = self.server.user_token()

    def soap(self, xml):
        return self.server.soap(USER, xml, self.token)

    def test_set_then_get_by_uid_keeps_dates_status_and_body(self):
        reply = self.soap(set_task())
        self.assertOk(reply, "SetTaskResponse")
        self.assertEqual(reply.response.get("calItemId"), "257")
        got = self.soap('<GetTaskRequest xmlns="urn:zimbraMail" uid="task-1"/>')
        self.assertOk(got, "GetTaskResponse")
        comp = got.first("//mail:task/mail:inv/mail:comp")
        self.assertEqual((comp.get("name"), comp.get("status"), comp.get("percentComplete"), comp.get("priority")),
                         ("Report", "INPR", "50", "1"))
        # The DATE values come back exactly as sent: nothing shifted through a zone.
        self.assertEqual(got.first("//mail:comp/mail:s").get("d"), "20141001")
        self.assertEqual(got.first("//mail:comp/mail:e").get("d"), "20141031")
        self.assertEqual(got.first("//mail:comp/mail:desc").text, "the body")
        state = self.server.state(USER1)["tasks"]
        self.assertEqual([(t["id"], t["uid"], t["due"], t["folder"]) for t in state],
                         [(257, "task-1", "20141031", "/Tasks")])

    def test_same_uid_replaces_and_keeps_the_id(self):
        self.soap(set_task())
        reply = self.soap(set_task(name="Report v2"))
        self.assertEqual(reply.response.get("calItemId"), "257")
        self.assertEqual([t["subject"] for t in self.server.state(USER1)["tasks"]], ["Report v2"])

    def test_missing_task_is_no_such_task(self):
        self.assertFault(self.soap('<GetTaskRequest xmlns="urn:zimbraMail" uid="nope"/>'), "mail.NO_SUCH_TASK")

    def test_tasks_only_in_task_folders_and_valid_values(self):
        self.assertFault(self.soap(set_task(folder="7")), "mail.CANNOT_CONTAIN")
        self.assertFault(self.soap(set_task(status="DONE")), "service.INVALID_REQUEST")
        self.assertFault(self.soap(set_task(percent="150")), "service.INVALID_REQUEST")
        self.assertFault(self.soap(set_task(due="2014-10-31")), "service.INVALID_REQUEST")

    def test_search_types_task_by_folder(self):
        created = self.soap(body.create_folder("Work", parent="15", view="task"))
        folder = created.first("//mail:folder").get("id")
        self.soap(set_task(uid="a"))
        self.soap(set_task(uid="b", folder=folder, start=None, due=None))
        reply = self.soap('<SearchRequest xmlns="urn:zimbraMail" types="task" limit="10">'
                          f'<query>inid:{folder}</query></SearchRequest>')
        self.assertOk(reply, "SearchResponse")
        self.assertEqual([t.get("uid") for t in reply.xpath("//mail:task")], ["b"])
        everything = self.soap('<SearchRequest xmlns="urn:zimbraMail" types="task"><query>report</query>'
                               '</SearchRequest>')
        self.assertEqual([t.get("uid") for t in everything.xpath("//mail:task")], ["a", "b"])
        appointments = self.soap('<SearchRequest xmlns="urn:zimbraMail" types="appointment">'
                                 '<query>report</query></SearchRequest>')
        self.assertEqual(appointments.xpath("//mail:task"), [])


if __name__ == "__main__":
    unittest.main()
