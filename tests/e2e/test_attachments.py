"""Appointment attachments and contact photos reach the server through /service/upload.

Expected sizes and sha256 come from pffexport's own export of each file (libpff, independent of
our reader): the OST's calendar appointment carries Invitation.pdf (10642 bytes per pffexport),
and testdata/attachments/contact-photo.pst's contact carries ContactPicture.jpg.
"""
import glob
import hashlib
import os
import shutil
import subprocess
import tempfile
import unittest

import e2e_support as support

OST = os.path.join(support.SHARED_DIR, "testdata", "pst", "aspose-net__SampleOstFile.ost")
PHOTO_PST = os.path.join(support.SOURCE_DIR, "testdata", "attachments", "contact-photo.pst")
ACCOUNT = "files@test.local"


def exported_files(pst_path, pattern):
    """(name, size, sha256) of the files pffexport writes for `pattern` under its export."""
    workdir = tempfile.mkdtemp(prefix="m2z-e2e-pff-")
    try:
        target = os.path.join(workdir, "x")
        subprocess.run(["pffexport", "-m", "items", "-f", "text", "-q", "-t", target, pst_path],
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        found = []
        for path in sorted(glob.glob(os.path.join(target + ".export", pattern))):
            data = open(path, "rb").read()
            # pffexport prefixes each attachment with its index: "1_Invitation.pdf".
            name = os.path.basename(path).split("_", 1)[1]
            found.append((name, len(data), hashlib.sha256(data).hexdigest()))
        return found
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def audit_text(audit_dir):
    text = ""
    for path in glob.glob(os.path.join(audit_dir, "**", "*"), recursive=True):
        if os.path.isfile(path):
            text += open(path, "rb").read().decode("utf-8", "replace")
    return text


@unittest.skipUnless(shutil.which("pffexport"), "pffexport (libpff-tools) is not installed")
class AttachmentsReachTheServer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = support.TestServer([ACCOUNT])
        cls.audit_dir = tempfile.mkdtemp(prefix="m2z-e2e-audit-")
        cls.result = support.run_migrate(cls.server, [OST, PHOTO_PST], ACCOUNT, cls.audit_dir, "files")
        cls.state = cls.server.state(ACCOUNT)
        cls.audit = audit_text(cls.audit_dir)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.audit_dir, ignore_errors=True)

    def test_the_run_accounts_for_every_item_and_fails_none(self):
        # 2: finished with items needing attention (the OST's Deleted Items appointments and
        # two folder-associated items libpff cannot open), none of them about attachments.
        output = self.result.stdout + self.result.stderr
        self.assertIn(self.result.returncode, (0, 2), output)
        self.assertIn("all accounted for: yes", self.result.stdout, output)
        self.assertEqual([p for p in support.problems(self.result.stdout) if p[0] == "failed"], [], output)

    def test_the_appointment_holds_the_pdf_pffexport_exports(self):
        expected = exported_files(OST, "*/IPM_SUBTREE/Calendar/Appointment*/Attachments/*")
        self.assertEqual([(name, size) for name, size, _ in expected], [("Invitation.pdf", 10642)])
        held = [(a["name"], a["size"], a["sha256"])
                for appointment in self.state["appointments"] for a in appointment["attachments"]
                if appointment["folderPath"].endswith("/Calendar")]
        self.assertEqual(held, expected)

    def test_the_contact_holds_the_photo_pffexport_exports(self):
        expected = exported_files(PHOTO_PST, "*/Contacts/Contact*/Attachments/*")
        self.assertEqual(len(expected), 1)
        _, size, sha256 = expected[0]
        photos = [c["attachments"]["image"] for c in self.state["contacts"] if "image" in c["attachments"]]
        self.assertEqual([(p["size"], p["sha256"]) for p in photos], [(size, sha256)])
        self.assertEqual(photos[0]["contentType"], "image/jpeg")

    def test_no_photo_is_reported_as_left_behind(self):
        self.assertNotIn("contact.photo_not_migrated", self.audit + self.result.stdout)
        self.assertNotIn("attachment.upload_failed", self.audit + self.result.stdout)

    def test_the_audit_records_uploads_without_content_or_secrets(self):
        self.assertIn("FileUpload", self.audit)
        expected = exported_files(OST, "*/IPM_SUBTREE/Calendar/Appointment*/Attachments/*")
        self.assertIn(expected[0][2], self.audit)  # the sha256 of Invitation.pdf
        self.assertNotIn(support.ADMIN_PASSWORD, self.audit)
        # The PDF's own bytes (its header line) are not in the log.
        self.assertNotIn("%PDF-", self.audit)


@unittest.skipUnless(shutil.which("pffexport"), "pffexport (libpff-tools) is not installed")
class TooLargeForTheServer(unittest.TestCase):
    def test_the_appointment_is_created_without_it_and_the_file_is_named(self):
        os.environ["ZTS_UPLOAD_MAX_BYTES"] = "10000"  # below Invitation.pdf's 10642 bytes
        try:
            server = support.TestServer(["small@test.local"])
        finally:
            del os.environ["ZTS_UPLOAD_MAX_BYTES"]
        audit_dir = tempfile.mkdtemp(prefix="m2z-e2e-audit-")
        try:
            result = support.run_migrate(server, [OST], "small@test.local", audit_dir, "small")
            state = server.state("small@test.local")
            calendar = [a for a in state["appointments"] if a["folderPath"].endswith("/Calendar")]
            self.assertTrue(calendar, result.stdout + result.stderr)
            self.assertTrue(all(a["attachments"] == [] for a in state["appointments"]))
            audit = audit_text(audit_dir)
            self.assertIn("attachment.too_large", audit + result.stdout)
            self.assertIn("Invitation.pdf", audit)
        finally:
            server.stop()
            shutil.rmtree(audit_dir, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
