"""Authentication and authorisation as soap.txt / soap-admin.txt describe them."""

import unittest

import soap_bodies as body
from support import (ADMIN, ADMIN_PASSWORD, ADMIN_USER, USER, USER1, USER2, USER_PASSWORD,
                     ServerTestCase)

GET_FOLDER = '<GetFolderRequest xmlns="urn:zimbraMail"/>'


class AdminAuthTest(ServerTestCase):
    def test_auth_with_name_and_password_attributes(self):
        reply = self.server.soap(ADMIN, body.admin_auth(ADMIN_USER, ADMIN_PASSWORD))
        self.assertOk(reply, "AuthResponse")
        self.assertTrue(reply.first("//admin:AuthResponse/admin:authToken").text)
        self.assertRegex(reply.first("//admin:AuthResponse/admin:lifetime").text, r"^\d+$")
        # soap.txt: every response carries <context xmlns="urn:zimbra"> with a change token.
        self.assertRegex(reply.first("/soap:Envelope/soap:Header/z:context/z:change").get("token"),
                         r"^\d+$")

    def test_auth_with_account_selector(self):
        reply = self.server.soap(ADMIN, '<AuthRequest xmlns="urn:zimbraAdmin" password="secret">'
                                        f'<account by="name">{ADMIN_USER}</account></AuthRequest>')
        self.assertOk(reply, "AuthResponse")

    def test_wrong_password_unknown_user_and_non_admin_fail(self):
        for name, password in ((ADMIN_USER, "wrong"), ("nobody@test.local", ADMIN_PASSWORD),
                               (USER1, USER_PASSWORD)):
            with self.subTest(name=name):
                reply = self.server.soap(ADMIN, body.admin_auth(name, password))
                self.assertFault(reply, "account.AUTH_FAILED")

    def test_create_get_and_delegate(self):
        admin = self.server.admin_token()
        reply = self.server.soap(ADMIN, '<CreateAccountRequest xmlns="urn:zimbraAdmin" '
                                        'name="new@test.local" password="pw1"/>', admin)
        self.assertOk(reply, "CreateAccountResponse")
        account = reply.first("//admin:account")
        self.assertEqual(account.get("name"), "new@test.local")
        self.assertTrue(account.get("id"))
        self.assertTrue(reply.first('//admin:account/admin:a[@n="zimbraMailHost"]').text)

        again = self.server.soap(ADMIN, '<CreateAccountRequest xmlns="urn:zimbraAdmin" '
                                        'name="NEW@test.local" password="pw1"/>', admin)
        self.assertFault(again, "account.ACCOUNT_EXISTS")   # names are case-insensitive
        other_domain = self.server.soap(ADMIN, '<CreateAccountRequest xmlns="urn:zimbraAdmin" '
                                               'name="x@elsewhere.example" password="pw1"/>', admin)
        self.assertFault(other_domain, "account.NO_SUCH_DOMAIN")

        got = self.server.soap(ADMIN, '<GetAccountRequest xmlns="urn:zimbraAdmin">'
                                      f'<account by="id">{account.get("id")}</account></GetAccountRequest>',
                               admin)
        self.assertOk(got, "GetAccountResponse")
        self.assertEqual(got.first("//admin:account").get("name"), "new@test.local")
        missing = self.server.soap(ADMIN, '<GetAccountRequest xmlns="urn:zimbraAdmin">'
                                          '<account by="name">ghost@test.local</account>'
                                          '</GetAccountRequest>', admin)
        self.assertFault(missing, "account.NO_SUCH_ACCOUNT")

        delegated = self.server.soap(ADMIN, '<DelegateAuthRequest xmlns="urn:zimbraAdmin" duration="600">'
                                            '<account by="name">new@test.local</account>'
                                            '</DelegateAuthRequest>', admin)
        self.assertOk(delegated, "DelegateAuthResponse")
        token = delegated.first("//admin:authToken").text
        self.assertLessEqual(int(delegated.first("//admin:lifetime").text), 600 * 1000)
        # The delegated token acts as that user: plain (unqualified) folder ids come back.
        folders = self.server.soap(USER, GET_FOLDER, token)
        self.assertOk(folders, "GetFolderResponse")
        self.assertEqual(folders.first("//mail:GetFolderResponse/mail:folder").get("id"), "1")
        # ... and it is not an admin token.
        self.assertFault(self.server.soap(ADMIN, '<GetAccountRequest xmlns="urn:zimbraAdmin">'
                                                 f'<account by="name">{USER1}</account>'
                                                 '</GetAccountRequest>', token),
                         "service.PERM_DENIED")

    def test_created_account_can_log_in(self):
        admin = self.server.admin_token()
        self.server.soap(ADMIN, '<CreateAccountRequest xmlns="urn:zimbraAdmin" '
                                'name="fresh@test.local" password="pw-fresh"/>', admin)
        self.assertTrue(self.server.user_token("fresh@test.local", "pw-fresh"))


class UserAuthTest(ServerTestCase):
    def test_account_auth_ok_and_wrong_password(self):
        self.assertTrue(self.server.user_token())
        reply = self.server.soap(USER, '<AuthRequest xmlns="urn:zimbraAccount">'
                                       f'<account by="name">{USER1}</account>'
                                       '<password>nope</password></AuthRequest>')
        self.assertFault(reply, "account.AUTH_FAILED")

    def test_mail_request_without_token_needs_auth(self):
        self.assertFault(self.server.soap(USER, GET_FOLDER), "service.AUTH_REQUIRED")
        self.assertFault(self.server.soap(USER, GET_FOLDER, "0_bogus_token"), "service.AUTH_REQUIRED")

    def test_token_in_zimbra_cookie(self):
        token = self.server.user_token()
        envelope = ('<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>'
                    f'{GET_FOLDER}</soap:Body></soap:Envelope>').encode()
        status, _ = self.server.request("POST", USER, envelope, {"Cookie": f"ZM_AUTH_TOKEN={token}"})
        self.assertEqual(status, 200)

    def test_user_token_cannot_act_for_another_account(self):
        token = self.server.user_token()
        self.assertFault(self.server.soap(USER, GET_FOLDER, token, account=USER2),
                         "service.PERM_DENIED")
        # Naming itself is fine.
        self.assertOk(self.server.soap(USER, GET_FOLDER, token, account=USER1), "GetFolderResponse")

    def test_admin_token_acts_for_named_account(self):
        admin = self.server.admin_token()
        reply = self.server.soap(ADMIN, GET_FOLDER, admin, account=USER2)
        self.assertOk(reply, "GetFolderResponse")
        user2_id = self.server.state(USER2)["account"]["id"]
        self.assertEqual(reply.first("//mail:GetFolderResponse/mail:folder").get("id"), f"{user2_id}:1")
        by_id = self.server.soap(ADMIN, GET_FOLDER, admin, account=user2_id, account_by="id")
        self.assertOk(by_id, "GetFolderResponse")
        self.assertFault(self.server.soap(ADMIN, GET_FOLDER, admin, account="ghost@test.local"),
                         "account.NO_SUCH_ACCOUNT")

    def test_user_token_cannot_call_admin_requests(self):
        token = self.server.user_token()
        reply = self.server.soap(ADMIN, '<CreateAccountRequest xmlns="urn:zimbraAdmin" '
                                        'name="x@test.local" password="p"/>', token)
        self.assertFault(reply, "service.PERM_DENIED")

    def test_unknown_request_and_admin_request_on_user_port(self):
        token = self.server.user_token()
        self.assertFault(self.server.soap(USER, '<FrobnicateRequest xmlns="urn:zimbraMail"/>', token),
                         "service.UNKNOWN_DOCUMENT")
        self.assertFault(self.server.soap(USER, '<PingRequest xmlns="urn:zimbraAdmin"/>'),
                         "service.UNKNOWN_DOCUMENT")
        self.assertOk(self.server.soap(ADMIN, '<PingRequest xmlns="urn:zimbraAdmin"/>'), "PingResponse")


if __name__ == "__main__":
    unittest.main()
