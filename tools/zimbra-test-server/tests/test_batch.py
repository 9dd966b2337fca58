"""BatchRequest (soap.txt "batch requests"): sub-requests dispatched through the same handlers,
answers and faults tagged with their requestId, onerror=continue|stop, a strictly checked batch
shape, and injected faults applying to the HTTP request as a whole."""

import unittest

import soap_bodies as body
from support import USER, USER1, ServerTestCase


def batch(*subs, onerror=None):
    attribute = f' onerror="{onerror}"' if onerror else ""
    tagged = "".join(sub.replace(">", f' requestId="{i}">', 1).replace('/ requestId', ' requestId')
                     for i, sub in enumerate(subs, start=1))
    return f'<BatchRequest xmlns="urn:zimbra"{attribute}>{tagged}</BatchRequest>'


def get_appt(uid):
    return f'<GetAppointmentRequest xmlns="urn:zimbraMail" uid="{uid}"></GetAppointmentRequest>'


class BatchTest(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.token = self.server.user_token()

    def soap(self, xml):
        return self.server.soap(USER, xml, self.token)

    def test_each_sub_request_is_answered_with_its_request_id(self):
        reply = self.soap(batch(body.set_appointment(uid="b-1"), get_appt("b-1"), get_appt("absent")))
        self.assertEqual(reply.status, 200, reply.body)
        answers = reply.xpath("//z:BatchResponse/*")
        self.assertEqual([a.get("requestId") for a in answers], ["1", "2", "3"])
        self.assertEqual(answers[0].tag, "{urn:zimbraMail}SetAppointmentResponse")
        # The appointment set by request 1 is what request 2 finds: they run in order.
        self.assertEqual(answers[1].tag, "{urn:zimbraMail}GetAppointmentResponse")
        self.assertEqual(reply.xpath("//mail:GetAppointmentResponse/mail:appt/@uid"), ["b-1"])
        self.assertEqual(answers[2].tag, "{http://www.w3.org/2003/05/soap-envelope}Fault")
        self.assertEqual(answers[2].xpath(".//z:Code/text()", namespaces={"z": "urn:zimbra"}),
                         ["mail.NO_SUCH_APPT"])
        self.assertEqual(len(self.server.state(USER1)["appointments"]), 1)

    def test_onerror_stop_skips_what_follows_a_fault(self):
        reply = self.soap(batch(get_appt("absent"), body.set_appointment(uid="b-2"), onerror="stop"))
        answers = reply.xpath("//z:BatchResponse/*")
        self.assertEqual([a.get("requestId") for a in answers], ["1"])
        self.assertEqual(self.server.state(USER1)["appointments"], [])

    def test_an_invalid_sub_request_faults_alone(self):
        bad = '<GetAppointmentRequest xmlns="urn:zimbraMail" bogus="1"></GetAppointmentRequest>'
        reply = self.soap(batch(bad, body.set_appointment(uid="b-3")))
        answers = reply.xpath("//z:BatchResponse/*")
        self.assertEqual(answers[0].xpath(".//z:Code/text()", namespaces={"z": "urn:zimbra"}),
                         ["service.INVALID_REQUEST"])
        self.assertEqual(answers[1].tag, "{urn:zimbraMail}SetAppointmentResponse")

    def test_batch_shape_is_checked_strictly(self):
        self.assertFault(self.soap('<BatchRequest xmlns="urn:zimbra" onerror="maybe">'
                                   + get_appt("x") + "</BatchRequest>"), "service.INVALID_REQUEST")
        self.assertFault(self.soap('<BatchRequest xmlns="urn:zimbra" size="2">'
                                   + get_appt("x") + "</BatchRequest>"), "service.INVALID_REQUEST")
        self.assertFault(self.soap('<BatchRequest xmlns="urn:zimbra"/>'), "service.INVALID_REQUEST")
        self.assertFault(self.soap(f'<BatchRequest xmlns="urn:zimbra">{batch(get_appt("x"))}</BatchRequest>'),
                         "service.INVALID_REQUEST")
        twice = get_appt("x").replace(">", ' requestId="1">', 1)
        self.assertFault(self.soap(f'<BatchRequest xmlns="urn:zimbra">{twice}{twice}</BatchRequest>'),
                         "service.INVALID_REQUEST")

    def test_injected_503_applies_to_the_whole_batch_once(self):
        self.server.control({"faults": [{"kind": "http_status", "status": 503, "count": 1,
                                         "request": "SetAppointmentRequest"}]})
        xml = batch(body.set_appointment(uid="b-4"), get_appt("b-4"))
        self.assertEqual(self.soap(xml).status, 503)
        self.assertEqual(self.server.state(USER1)["appointments"], [])
        self.assertEqual(self.soap(xml).status, 200)
        self.assertEqual(len(self.server.state(USER1)["appointments"]), 1)

    def test_maintenance_faults_each_mailbox_sub_request(self):
        self.server.control({"maintenance": {"account": USER1, "on": True}})
        reply = self.soap(batch(get_appt("x"), get_appt("y")))
        codes = reply.xpath("//z:BatchResponse/soap:Fault//z:Code/text()")
        self.assertEqual(codes, ["account.MAINTENANCE_MODE", "account.MAINTENANCE_MODE"])


if __name__ == "__main__":
    unittest.main()
