"""Preferences: GetPrefs/ModifyPrefs with Zimbra's checks on the out-of-office preferences."""

import unittest

from support import USER, USER1, ServerTestCase

ACCOUNT = 'xmlns="urn:zimbraAccount"'


def modify(prefs):
    body = "".join(f'<pref name="{name}">{value}</pref>' for name, value in prefs)
    return f"<ModifyPrefsRequest {ACCOUNT}>{body}</ModifyPrefsRequest>"


class PrefsTest(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.token = self.server.user_token()

    def get(self, *names):
        body = "".join(f'<pref name="{n}"/>' for n in names)
        reply = self.server.soap(USER, f"<GetPrefsRequest {ACCOUNT}>{body}</GetPrefsRequest>", self.token)
        self.assertOk(reply, "GetPrefsResponse")
        return {p.get("name"): p.text for p in reply.xpath("//acct:pref")}

    def test_new_account_has_oof_off(self):
        # A new Zimbra account's class of service: no out-of-office reply.
        self.assertEqual(self.get("zimbraPrefOutOfOfficeReplyEnabled", "zimbraPrefOutOfOfficeReply"),
                         {"zimbraPrefOutOfOfficeReplyEnabled": "FALSE"})

    def test_modify_then_get(self):
        reply = self.server.soap(USER, modify([("zimbraPrefOutOfOfficeReplyEnabled", "TRUE"),
                                               ("zimbraPrefOutOfOfficeReply", "Away &amp; back Monday"),
                                               ("zimbraPrefOutOfOfficeFromDate", "20240102080000Z"),
                                               ("zimbraPrefOutOfOfficeUntilDate", "20240105170000Z")]), self.token)
        self.assertOk(reply, "ModifyPrefsResponse")
        self.assertEqual(self.get("zimbraPrefOutOfOfficeReplyEnabled", "zimbraPrefOutOfOfficeReply",
                                  "zimbraPrefOutOfOfficeUntilDate"),
                         {"zimbraPrefOutOfOfficeReplyEnabled": "TRUE",
                          "zimbraPrefOutOfOfficeReply": "Away & back Monday",
                          "zimbraPrefOutOfOfficeUntilDate": "20240105170000Z"})
        self.assertEqual(self.server.state(USER1)["prefs"]["zimbraPrefOutOfOfficeReply"], ["Away & back Monday"])

    def test_invalid_values_are_refused_and_change_nothing(self):
        for name, value in [("zimbraPrefOutOfOfficeReplyEnabled", "yes"),
                            ("zimbraPrefOutOfOfficeFromDate", "2024-01-02"),
                            ("zimbraPrefOutOfOfficeFromDate", "20241302000000Z"),
                            ("zimbraPrefExternalSendersType", "SOME")]:
            reply = self.server.soap(USER, modify([("zimbraPrefOutOfOfficeReply", "x"), (name, value)]), self.token)
            self.assertFault(reply, "account.INVALID_ATTR_VALUE")
        reply = self.server.soap(USER, modify([("zimbraPrefOutOfOfficeFromDate", "20240105000000Z"),
                                               ("zimbraPrefOutOfOfficeUntilDate", "20240101000000Z")]), self.token)
        self.assertFault(reply, "account.INVALID_ATTR_VALUE")
        self.assertFault(self.server.soap(USER, modify([("zimbraMailQuota", "1")]), self.token),
                         "service.INVALID_REQUEST")
        self.assertNotIn("zimbraPrefOutOfOfficeReply", self.server.state(USER1)["prefs"])

    def test_seeded_prefs(self):
        status, body = self.server.control({"mail_settings": {"account": USER1, "prefs": {
            "zimbraPrefOutOfOfficeReplyEnabled": "TRUE", "zimbraPrefOutOfOfficeReply": "Mine"}}})
        self.assertEqual(status, 200, body)
        self.assertEqual(self.get("zimbraPrefOutOfOfficeReply"), {"zimbraPrefOutOfOfficeReply": "Mine"})
        status, _ = self.server.control({"mail_settings": {"account": USER1, "prefs": {
            "zimbraPrefOutOfOfficeReplyEnabled": "maybe"}}})
        self.assertEqual(status, 400)


if __name__ == "__main__":
    unittest.main()
