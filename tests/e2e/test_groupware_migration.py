"""End to end: the contacts, distribution lists and tasks of the real PSTs in shared/testdata,
migrated by the CLI into the Zimbra test server, compared with what pffexport (libpff's own
exporter, not mapi2zimbra's reader) says the files hold.

Expected values come from pffexport's text dumps: Contact.txt / DistributionList.txt / Task.txt
fields, and ItemValues.txt for the named properties ([MS-OXPROPS]) its text leaves out.
"""
import collections
import datetime
import glob
import os
import re
import shutil
import struct
import tempfile
import unittest
import urllib.request
import ssl

import e2e_support as support
import pffexport_oracle as oracle

ACCOUNT = "user1@test.local"
# [MS-OXPROPS] PSETID_Address / PSETID_Task named properties, by the id pffexport maps them to.
LID_BIRTHDAY_LOCAL = 0x80DE             # PidLidBirthdayLocal (PtypTime)
LID_DISTRIBUTION_LIST_MEMBERS = 0x8055  # PidLidDistributionListMembers (PtypMultipleBinary)
LID_TASK_STATUS = 0x8101                # PidLidTaskStatus (PtypInteger32)
LID_PERCENT_COMPLETE = 0x8102           # PidLidPercentComplete (PtypFloating64, 0.0..1.0)
LID_TASK_DUE_DATE = 0x8105              # PidLidTaskDueDate (PtypTime)
LID_TASK_COMPLETE = 0x811C              # PidLidTaskComplete (PtypBoolean)
# [MS-OXOTASK] 2.2.2.2.2 PidLidTaskStatus values -> RFC 5545 / Zimbra task status.
STATUS_CODES = {0: "NEED", 1: "INPR", 2: "COMP", 3: "WAITING", 4: "DEFERRED"}
FILETIME_EPOCH = datetime.datetime(1601, 1, 1)


def filetime_date(raw):
    """The civil date of a PtypTime. The task dates and PidLidBirthdayLocal hold midnight of the
    user's local date stored as if it were UTC ([MS-OXOTASK] 2.2.2.2.4), so the UTC date is it."""
    ticks = struct.unpack("<Q", bytes(raw[:8]))[0]
    return (FILETIME_EPOCH + datetime.timedelta(microseconds=ticks // 10)).date()


def source_items(pst_path):
    """Every contact, distribution list and task pffexport exports from the file."""
    found = {"contact": [], "distlist": [], "task": []}
    with tempfile.TemporaryDirectory() as workdir:
        root = oracle.export(pst_path, workdir)
        for folder, _, files in os.walk(root):
            if "Attachments" in os.path.relpath(folder, root).split(os.sep):
                continue
            values = {}
            if "ItemValues.txt" in files:
                values = oracle._read_item_values(os.path.join(folder, "ItemValues.txt"))
            if "Contact.txt" in files:
                fields = oracle._read_fields(os.path.join(folder, "Contact.txt"))
                birthday = None
                if LID_BIRTHDAY_LOCAL in values:
                    birthday = filetime_date(values[LID_BIRTHDAY_LOCAL]["bytes"]).isoformat()
                found["contact"].append(contact_key(
                    fields.get("Display name", ""), fields.get("Given name", ""), fields.get("Surname", ""),
                    fields.get("Company name", ""),
                    [fields.get(f"Email address {n}", "") for n in (1, 2, 3)],
                    fields.get("Business phone number 1", ""), fields.get("Home phone number", ""),
                    fields.get("Mobile phone number", ""), birthday))
            if "DistributionList.txt" in files:
                fields = oracle._read_fields(os.path.join(folder, "DistributionList.txt"))
                members = 0
                if LID_DISTRIBUTION_LIST_MEMBERS in values:
                    # A multi-valued binary as the PST keeps it: the value count comes first.
                    members = struct.unpack("<I", bytes(values[LID_DISTRIBUTION_LIST_MEMBERS]["bytes"][:4]))[0]
                found["distlist"].append((fields.get("Name", ""), members))
            if "Task.txt" in files:
                fields = oracle._read_fields(os.path.join(folder, "Task.txt"))
                status = struct.unpack("<i", bytes(values[LID_TASK_STATUS]["bytes"][:4]))[0] \
                    if LID_TASK_STATUS in values else 0
                complete = LID_TASK_COMPLETE in values and values[LID_TASK_COMPLETE]["bytes"][:1] == b"\x01"
                percent = 0
                if LID_PERCENT_COMPLETE in values:
                    percent = round(struct.unpack("<d", bytes(values[LID_PERCENT_COMPLETE]["bytes"][:8]))[0] * 100)
                if complete or status == 2:
                    percent = 100  # Zimbra shows a completed task as done, whatever Outlook kept
                due = None
                if LID_TASK_DUE_DATE in values:
                    due = filetime_date(values[LID_TASK_DUE_DATE]["bytes"]).strftime("%Y%m%d")
                found["task"].append((fields.get("Subject", ""), "COMP" if complete else STATUS_CODES.get(status),
                                      str(percent), due))
    return found


def contact_key(display, given, surname, company, emails, work_phone, home_phone, mobile, birthday):
    """What both sides are compared on; empty fields are absent on the server."""
    smtp = tuple(sorted(e for e in emails if "@" in e))
    return (display or None, given or None, surname or None, company or None, smtp, work_phone or None,
            home_phone or None, mobile or None, birthday)


def server_contact_key(attrs):
    return contact_key(attrs.get("fullName", ""), attrs.get("firstName", ""), attrs.get("lastName", ""),
                       attrs.get("company", ""), [attrs.get(n, "") for n in ("email", "email2", "email3")],
                       attrs.get("workPhone", ""), attrs.get("homePhone", ""), attrs.get("mobilePhone", ""),
                       attrs.get("birthday"))


def soap_as_user(server, body):
    """One SOAP request as the account itself (password from the test server's default)."""
    envelope = ('<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Header>'
                '<context xmlns="urn:zimbra">%s</context></soap:Header><soap:Body>%s</soap:Body></soap:Envelope>')
    def post(header, inner):
        request = urllib.request.Request(server.base + "/service/soap", data=(envelope % (header, inner)).encode(),
                                         headers={"Content-Type": "application/soap+xml"}, method="POST")
        with urllib.request.urlopen(request, context=server.ssl_context, timeout=30) as response:
            return response.read().decode()
    auth = post("", '<AuthRequest xmlns="urn:zimbraAccount"><account by="name">%s</account>'
                    '<password>test123</password></AuthRequest>' % ACCOUNT)
    token = re.search(r"<authToken>([^<]+)</authToken>", auth).group(1)
    return post("<authToken>%s</authToken>" % token, body)


class GroupwareMigration(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(support.CLI):
            raise unittest.SkipTest("CLI not built: " + support.CLI)
        if shutil.which("pffexport") is None:
            raise unittest.SkipTest("pffexport (pff-tools) is not installed")
        cls.expected = {"contact": [], "distlist": [], "task": []}
        cls.sources = []
        for path in sorted(glob.glob(os.path.join(support.SHARED_DIR, "testdata", "pst", "*.pst"))):
            items = source_items(path)
            if any(items.values()):
                cls.sources.append(path)
                for kind, found in items.items():
                    cls.expected[kind].extend(found)
        if not cls.sources:
            raise unittest.SkipTest("no PST with contacts, lists or tasks under " + support.SHARED_DIR)
        cls.server = support.TestServer([ACCOUNT])
        cls.audit_dir = tempfile.mkdtemp(prefix="m2z-e2e-audit-")
        # The user's own contact, made before the migration: it must stay as it is.
        reply = soap_as_user(cls.server, '<CreateContactRequest xmlns="urn:zimbraMail"><cn l="7">'
                                         '<a n="firstName">Already</a><a n="lastName">There</a></cn>'
                                         '</CreateContactRequest>')
        assert "CreateContactResponse" in reply, reply
        cls.before = cls.server.state(ACCOUNT)["contacts"]
        cls.first = support.run_migrate(cls.server, cls.sources, ACCOUNT, cls.audit_dir, "first")
        cls.after_first = cls.server.state(ACCOUNT)
        cls.second = support.run_migrate(cls.server, cls.sources, ACCOUNT, cls.audit_dir, "second")
        cls.after_second = cls.server.state(ACCOUNT)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.audit_dir, ignore_errors=True)

    def migrated_contacts(self, state):
        own = {c["id"] for c in self.before}
        return [c for c in state["contacts"] if c["id"] not in own]

    def test_the_run_accounts_for_every_item(self):
        output = self.first.stdout + self.first.stderr
        self.assertIn("all accounted for: yes", output, output)
        self.assertNotIn("[failed]", output, output)

    def test_contacts_match_pffexport_field_by_field(self):
        contacts = [c for c in self.migrated_contacts(self.after_first) if c["attrs"].get("type") != "group"]
        got = collections.Counter(server_contact_key(c["attrs"]) for c in contacts)
        self.assertEqual(got, collections.Counter(self.expected["contact"]))

    def test_lists_are_groups_with_every_member(self):
        groups = [c for c in self.migrated_contacts(self.after_first) if c["attrs"].get("type") == "group"]
        got = collections.Counter((g["fileAsStr"], len(g["members"])) for g in groups)
        self.assertEqual(got, collections.Counter(self.expected["distlist"]))
        # A member that is a contact of the same file refers to the contact made from it.
        ids = {c["id"] for c in self.after_first["contacts"]}
        for group in groups:
            for member in group["members"]:
                if member["type"] == "C":
                    self.assertIn(int(member["value"].rpartition(":")[2]), ids)

    def test_tasks_match_pffexport(self):
        got = collections.Counter((t["subject"], t["status"], t["percentComplete"], t["due"])
                                  for t in self.after_first["tasks"])
        self.assertEqual(got, collections.Counter(self.expected["task"]))
        for task in self.after_first["tasks"]:
            self.assertEqual(task["folder"].split("/")[1], "Tasks")

    def test_counts_per_kind_equal_pffexport(self):
        contacts = self.migrated_contacts(self.after_first)
        self.assertEqual(len([c for c in contacts if c["attrs"].get("type") != "group"]),
                         len(self.expected["contact"]))
        self.assertEqual(len([c for c in contacts if c["attrs"].get("type") == "group"]),
                         len(self.expected["distlist"]))
        self.assertEqual(len(self.after_first["tasks"]), len(self.expected["task"]))

    def test_second_run_creates_nothing_and_duplicates_nothing(self):
        output = self.second.stdout
        self.assertRegex(output, r"\n  created:\s+0\n", output)
        self.assertEqual(self.after_second["contacts"], self.after_first["contacts"])
        self.assertEqual(self.after_second["tasks"], self.after_first["tasks"])

    def test_the_accounts_own_contacts_are_untouched(self):
        own = {c["id"]: c for c in self.after_second["contacts"]}
        for contact in self.before:
            self.assertEqual(own[contact["id"]], contact)


class LostAnswers(unittest.TestCase):
    """The server stores a contact, a group and a task but the connection drops before each
    answer: the run looks them up (fingerprint, UID) and stores nothing twice."""

    def test_dropped_answers_neither_lose_nor_duplicate(self):
        if not os.path.exists(support.CLI) or shutil.which("pffexport") is None:
            self.skipTest("CLI or pffexport missing")
        path = os.path.join(support.SHARED_DIR, "testdata", "pst", "pstreader__hughbe_Outlook.pst")
        if not os.path.exists(path):
            self.skipTest("missing " + path)
        expected = source_items(path)
        server = support.TestServer(["lost@test.local"])
        audit_dir = tempfile.mkdtemp(prefix="m2z-e2e-audit-")
        try:
            server.post_json("/test/control", {"faults": [
                {"kind": "drop_after_commit", "request": "CreateContactRequest", "count": 2},
                {"kind": "drop_after_commit", "request": "SetTaskRequest"}]})
            result = support.run_migrate(server, [path], "lost@test.local", audit_dir, "lost")
            self.assertIn("all accounted for: yes", result.stdout, result.stdout + result.stderr)
            self.assertNotIn("[failed]", result.stdout, result.stdout)
            state = server.state("lost@test.local")
            groups = [c for c in state["contacts"] if c["attrs"].get("type") == "group"]
            self.assertEqual(len(state["contacts"]) - len(groups), len(expected["contact"]))
            self.assertEqual(len(groups), len(expected["distlist"]))
            self.assertEqual(len(state["tasks"]), len(expected["task"]))
            fingerprints = [c["attrs"]["mapi2zimbraSource"] for c in state["contacts"]]
            self.assertEqual(len(fingerprints), len(set(fingerprints)))
        finally:
            server.stop()
            shutil.rmtree(audit_dir, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
