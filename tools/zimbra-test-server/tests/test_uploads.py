"""FileUploadServlet (/service/upload): the auth cookie, the size limit, Zimbra's answer format,
and the uploads CreateContact (<a n="image" aid>) and SetAppointment (<m><attach aid>) use."""

import hashlib
import json
import os
import re
import unittest

import soap_bodies as body
from support import ADMIN, USER, USER1, ServerTestCase

LIMIT = 1000  # ZTS_UPLOAD_MAX_BYTES for this server


def upload(server, data: bytes, token, filename="photo.jpg", content_type="image/jpeg",
           fmt="raw,extended", cookie="ZM_AUTH_TOKEN"):
    headers = {"Content-Type": content_type,
               "Content-Disposition": f'attachment; filename="{filename}"'}
    if token:
        headers["Cookie"] = f"{cookie}={token}"
    return server.request("POST", f"/service/upload?fmt={fmt}", data, headers)


def extended_answer(answer: bytes):
    """200,'null',[{...}] -> (200, [{...}])"""
    match = re.fullmatch(rb"(\d+),'null',(\[.*\])", answer.strip())
    assert match, answer
    return int(match.group(1)), json.loads(match.group(2))


def create_contact_with_image(aid: str) -> str:
    return ('<CreateContactRequest xmlns="urn:zimbraMail"><cn l="7"><a n="firstName">Jane</a>'
            f'<a n="image" aid="{aid}"/></cn></CreateContactRequest>')


class UploadTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        os.environ["ZTS_UPLOAD_MAX_BYTES"] = str(LIMIT)
        try:
            super().setUpClass()
        finally:
            del os.environ["ZTS_UPLOAD_MAX_BYTES"]

    def setUp(self):
        super().setUp()
        self.token = self.server.user_token()

    def test_extended_answer_lists_the_upload(self):
        status, answer = upload(self.server, b"hello", self.token)
        self.assertEqual(status, 200)
        code, files = extended_answer(answer)
        self.assertEqual(code, 200)
        self.assertEqual(len(files), 1)
        self.assertEqual((files[0]["ct"], files[0]["filename"], files[0]["s"]), ("image/jpeg", "photo.jpg", 5))
        self.assertTrue(files[0]["aid"])

    def test_rfc5987_filename_wins_over_the_ascii_one(self):
        headers = {"Content-Type": "text/plain", "Cookie": f"ZM_AUTH_TOKEN={self.token}",
                   "Content-Disposition": "attachment; filename=\"Pr_sentation.txt\"; "
                                          "filename*=UTF-8''Pr%C3%A4sentation.txt"}
        status, answer = self.server.request("POST", "/service/upload?fmt=raw,extended", b"x", headers)
        self.assertEqual(status, 200)
        self.assertEqual(extended_answer(answer)[1][0]["filename"], "Präsentation.txt")

    def test_raw_answer_is_status_request_id_and_aid(self):
        status, answer = upload(self.server, b"hello", self.token, fmt="raw")
        self.assertEqual(status, 200)
        self.assertRegex(answer.decode(), r"^200,'null','[^']+'$")

    def test_without_a_valid_cookie_nothing_is_kept(self):
        self.assertEqual(upload(self.server, b"hello", None)[0], 401)
        self.assertEqual(upload(self.server, b"hello", "not-a-token")[0], 401)

    def test_over_the_limit_is_413(self):
        status, answer = upload(self.server, b"x" * (LIMIT + 1), self.token)
        self.assertEqual(status, 413)
        self.assertEqual(answer, b"413,'null'")
        self.assertEqual(upload(self.server, b"x" * LIMIT, self.token)[0], 200)

    def test_contact_image_resolves_the_upload_once(self):
        _, files = extended_answer(upload(self.server, b"hello", self.token)[1])
        aid = files[0]["aid"]
        reply = self.server.soap(USER, create_contact_with_image(aid), self.token)
        self.assertOk(reply, "CreateContactResponse")
        image = self.server.state(USER1)["contacts"][0]["attachments"]["image"]
        # sha256 of b"hello", from `printf hello | sha256sum`.
        self.assertEqual(image, {"name": "photo.jpg", "contentType": "image/jpeg", "size": 5,
                                 "sha256": "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"})
        # Used uploads are gone.
        again = self.server.soap(USER, create_contact_with_image(aid), self.token)
        self.assertFault(again, "mail.NO_SUCH_UPLOAD")

    def test_unknown_aid_is_no_such_upload(self):
        reply = self.server.soap(USER, create_contact_with_image("nope"), self.token)
        self.assertFault(reply, "mail.NO_SUCH_UPLOAD")

    def test_another_accounts_upload_is_not_found(self):
        _, files = extended_answer(upload(self.server, b"hello", self.server.user_token("user2@test.local"))[1])
        reply = self.server.soap(USER, create_contact_with_image(files[0]["aid"]), self.token)
        self.assertFault(reply, "mail.NO_SUCH_UPLOAD")

    def test_admin_upload_is_used_when_acting_for_the_account(self):
        admin = self.server.admin_token()
        status, answer = upload(self.server, b"abc", admin, filename="a.txt", content_type="text/plain",
                                cookie="ZM_ADMIN_AUTH_TOKEN")
        self.assertEqual(status, 200)
        aid = extended_answer(answer)[1][0]["aid"]
        reply = self.server.soap(ADMIN, body.set_appointment().replace(
            '<mp ct="text/plain" content="Agenda: budget"/>',
            f'<mp ct="text/plain" content="Agenda: budget"/><attach aid="{aid}"/>'), admin, account=USER1)
        self.assertOk(reply, "SetAppointmentResponse")
        attachments = self.server.state(USER1)["appointments"][0]["attachments"]
        self.assertEqual(attachments, [{"name": "a.txt", "contentType": "text/plain", "size": 3,
                                        "sha256": hashlib.sha256(b"abc").hexdigest()}])

    def test_injected_status_and_the_request_log(self):
        self.server.control({"faults": [{"kind": "http_status", "request": "FileUpload", "status": 503}]})
        self.assertEqual(upload(self.server, b"hello", self.token)[0], 503)
        self.assertEqual(upload(self.server, b"hello", self.token)[0], 200)
        _, log = self.server.get_json("/test/requests")
        uploads = [r for r in log["requests"] if r["name"] == "FileUpload"]
        self.assertEqual([r["http_status"] if "http_status" in r else r.get("httpStatus") for r in uploads],
                         [503, 200])


if __name__ == "__main__":
    unittest.main()
