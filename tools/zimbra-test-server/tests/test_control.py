"""The /test/ JSON API: maintenance mode, token expiry, request log and injected faults."""

import http.client
import time
import unittest

import soap_bodies as body
from support import ADMIN, USER, USER1, USER2, ServerTestCase


class ControlTest(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.token = self.server.user_token()

    def test_maintenance_mode_faults_mail_requests_of_that_account_only(self):
        status, answer = self.server.control({"maintenance": {"account": USER1, "on": True}})
        self.assertEqual((status, answer["ok"]), (200, True))
        reply = self.server.soap(USER, body.create_folder("X"), self.token)
        self.assertFault(reply, "account.MAINTENANCE_MODE")
        other = self.server.user_token(USER2)
        self.assertOk(self.server.soap(USER, body.create_folder("X"), other), "CreateFolderResponse")
        # Admin on behalf of the account hits it too.
        admin = self.server.admin_token()
        self.assertFault(self.server.soap(ADMIN, body.set_appointment(), admin, account=USER1),
                         "account.MAINTENANCE_MODE")
        self.server.control({"maintenance": {"account": USER1, "on": False}})
        self.assertOk(self.server.soap(USER, body.create_folder("X"), self.token), "CreateFolderResponse")

    def test_expired_tokens(self):
        self.server.control({"expire_tokens": True})
        reply = self.server.soap(USER, '<GetFolderRequest xmlns="urn:zimbraMail"/>', self.token)
        self.assertFault(reply, "service.AUTH_EXPIRED")
        fresh = self.server.user_token()
        self.assertOk(self.server.soap(USER, '<GetFolderRequest xmlns="urn:zimbraMail"/>', fresh),
                      "GetFolderResponse")

    def test_request_log_lists_names_accounts_and_faults(self):
        self.server.soap(USER, body.create_folder("A"), self.token)
        self.server.soap(USER, body.create_folder("A"), self.token)
        status, log = self.server.get_json("/test/requests")
        self.assertEqual(status, 200)
        entries = [(r["name"], r["account"], r["fault"]) for r in log["requests"]]
        self.assertEqual(entries, [("AuthRequest", USER1, None),
                                   ("CreateFolderRequest", USER1, None),
                                   ("CreateFolderRequest", USER1, "mail.ALREADY_EXISTS")])
        status, tail = self.server.get_json(f"/test/requests?since={log['requests'][1]['seq']}")
        self.assertEqual(len(tail["requests"]), 1)

    def test_reset_restores_the_initial_state(self):
        self.server.soap(USER, body.create_folder("A"), self.token)
        self.server.control({"reset": True})
        self.assertEqual(len(self.server.state(USER1)["folders"]), 12)
        # Tokens of the old directory are gone.
        self.assertFault(self.server.soap(USER, '<GetFolderRequest xmlns="urn:zimbraMail"/>', self.token),
                         "service.AUTH_REQUIRED")

    def test_bad_control_requests(self):
        status, answer = self.server.control({"maintenence": {}})
        self.assertEqual(status, 400)
        self.assertFalse(answer["ok"])
        status, _ = self.server.control({"maintenance": {"account": "ghost@test.local"}})
        self.assertEqual(status, 404)
        status, _ = self.server.get_json("/test/state?account=ghost@test.local")
        self.assertEqual(status, 404)

    def test_injected_http_503_burst(self):
        self.server.control({"faults": [{"kind": "http_status", "status": 503, "count": 2,
                                         "request": "SetAppointmentRequest"}]})
        statuses = [self.server.soap(USER, body.set_appointment(), self.token).status for _ in range(3)]
        self.assertEqual(statuses, [503, 503, 200])

    def test_injected_soap_fault(self):
        self.server.control({"faults": [{"kind": "soap_fault", "code": "service.TEMPORARILY_UNAVAILABLE"}]})
        reply = self.server.soap(USER, body.create_folder("A"), self.token)
        self.assertFault(reply, "service.TEMPORARILY_UNAVAILABLE", sender=False)

    def test_drop_before_commit_stores_nothing(self):
        self.server.control({"faults": [{"kind": "drop_before_commit", "request": "SetAppointmentRequest"}]})
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self._one_shot(body.set_appointment())
        self.assertEqual(self.server.state(USER1)["appointments"], [])

    def test_drop_after_commit_stores_but_does_not_answer(self):
        self.server.control({"faults": [{"kind": "drop_after_commit", "request": "SetAppointmentRequest"}]})
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            self._one_shot(body.set_appointment())
        self.assertEqual(len(self.server.state(USER1)["appointments"]), 1)
        status, log = self.server.get_json("/test/requests")
        self.assertEqual(log["requests"][-1]["injected"], "drop_after_commit")

    def test_delay(self):
        self.server.control({"faults": [{"kind": "delay", "ms": 300}]})
        started = time.monotonic()
        self.assertOk(self.server.soap(USER, body.create_folder("A"), self.token), "CreateFolderResponse")
        self.assertGreaterEqual(time.monotonic() - started, 0.3)

    def _one_shot(self, xml):
        connection = self.server.connection(fresh=True)
        envelope = ('<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Header>'
                    f'<context xmlns="urn:zimbra"><authToken>{self.token}</authToken></context>'
                    f'</soap:Header><soap:Body>{xml}</soap:Body></soap:Envelope>')
        try:
            connection.request("POST", USER, body=envelope.encode())
            return connection.getresponse().read()
        finally:
            connection.close()


if __name__ == "__main__":
    unittest.main()
