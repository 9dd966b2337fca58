"""Issue 6, "done when": problems planted after a real migration are found, each exactly once.

A real PST (java-libpst's store: a weekly series with two exceptions, a contact and a list), a
real Exchange OST (an appointment and a mail rule) and a real Outlook iCalendar export with all-day
events (no PST sample holds an all-day appointment, MANIFEST.md) are migrated into the test server
with a state store. Then:
  (a) one all-day appointment is moved by one day on the server,
  (b) one migrated contact is deleted on the server (one no contact group refers to, so that
      nothing else changes; a contact group when there is no such contact),
  (c) a copy of the migration's audit log is cut in the middle of an entry (torn tail),
  (d) one byte of an entry's subject is changed in another copy of the log.
Every expected value below comes from the plant (which item, by how much, where the cut is),
read off the server's state and the log's bytes before anything of ours looks at them.
"""
import datetime
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from lxml import etree

import e2e_support as support

ACCOUNT = "planted@test.local"
PST = os.path.join(support.SHARED_DIR, "testdata", "pst", "java-libpst__dist-list.pst")
OST = os.path.join(support.SHARED_DIR, "testdata", "pst", "aspose-net__SampleOstFile.ost")
ICS = os.path.join(support.SHARED_DIR, "testdata", "ics", "ical4j__TZ-no-description.txt")


def run_cli(*arguments):
    return subprocess.run([support.CLI, *arguments], capture_output=True, text=True, timeout=600)


def next_day(basic_date):
    day = datetime.datetime.strptime(basic_date, "%Y%m%d").date() + datetime.timedelta(days=1)
    return day.strftime("%Y%m%d")


class PlantedProblems(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = support.TestServer([ACCOUNT])
        cls.workdir = tempfile.mkdtemp(prefix="m2z-planted-")
        cls.audit_dir = os.path.join(cls.workdir, "audit")
        cls.state = os.path.join(cls.workdir, "state.sqlite")
        cls.sources = [PST, OST, ICS]
        migrated = support.run_migrate(cls.server, cls.sources, ACCOUNT, cls.audit_dir, "migrate",
                                       extra=["--state", cls.state])
        if migrated.returncode not in (0, 2):
            raise AssertionError("migrate failed: " + migrated.stdout + migrated.stderr)
        cls.log_path = re.search(r"audit log:\s+(\S+)", migrated.stdout).group(1)
        cls.migration_skipped = sorted(re.findall(r"\[skipped\] (\S.*?): ", migrated.stdout))
        state = cls.server.state(ACCOUNT)
        cls.before = state["appointments"]
        cls.contacts_before = state["contacts"]
        cls.rules_before = state["filterRules"]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.workdir, ignore_errors=True)

    def verify(self, run_id):
        password_file = os.path.join(self.server.workdir, "admin-password")
        return run_cli("verify", "--account", ACCOUNT, "--server", self.server.admin_url,
                       "--admin-user", support.ADMIN_USER, "--admin-password-file", password_file,
                       "--ca-file", self.server.cert, "--schemas", support.SCHEMAS,
                       "--audit-dir", self.audit_dir, "--run-id", run_id, "--state", self.state,
                       *self.sources)

    @classmethod
    def kind_of(cls, contact):
        return "distlist" if contact["attrs"].get("type") == "group" else "contact"

    def expected_counts(self):
        """Every migrated item on the server, per kind, as verify should count its matches."""
        counts = {"appointment": len(self.before)}
        if self.rules_before:
            counts["rule"] = len(self.rules_before)
        for contact in self.contacts_before:
            counts[self.kind_of(contact)] = counts.get(self.kind_of(contact), 0) + 1
        return counts

    def test_1_untouched_migration_verifies_clean(self):
        result = self.verify("clean")
        report = json.loads(result.stdout)
        matches = {kind: row["match"] for kind, row in report["counts"].items() if row["match"]}
        self.assertEqual(matches, self.expected_counts())
        # Nothing but what the migration itself left out (its "[skipped] file:folder#entry" lines).
        skipped = sorted("%s:%s#%s" % (i["source"]["file"], i["source"]["folder"], i["source"]["entryId"])
                         for i in report["items"])
        self.assertEqual(skipped, self.migration_skipped)
        self.assertEqual({i["outcome"] for i in report["items"]}, {"skipped"} if skipped else set())
        self.assertEqual(result.returncode, 2 if skipped else 0, result.stdout + result.stderr)

    def test_2_verify_finds_exactly_the_shifted_and_the_deleted_item(self):
        all_day = [a for a in self.before if a["default"]["allDay"] and a["default"]["recurrence"] is None]
        self.assertTrue(all_day, "the iCalendar export has single all-day events (MANIFEST.md)")
        shifted = all_day[0]
        # Group members name contacts by (account-qualified) id: "<account id>:258".
        referenced = {m["value"].rpartition(":")[2] for c in self.contacts_before for m in c["members"]
                      if m["type"] == "C"}
        plain = [c for c in self.contacts_before if self.kind_of(c) == "contact" and str(c["id"]) not in referenced]
        self.assertTrue(self.contacts_before, "java-libpst's store has a contact and a list (MANIFEST.md)")
        deleted = (plain or [c for c in self.contacts_before if self.kind_of(c) == "distlist"])[0]
        planted = self.server.post_json("/test/control", {"edit_items": [
            {"account": ACCOUNT, "id": shifted["id"], "shift_days": 1},
            {"account": ACCOUNT, "id": deleted["id"], "delete": True}]})
        self.assertEqual(planted["applied"], ["shift:%d:1" % shifted["id"], "delete:%d" % deleted["id"]])

        result = self.verify("planted")
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        report = json.loads(result.stdout)
        # Both sides of the shifted item's dates as the server held them before the plant; the
        # deleted contact is known by the source fingerprint the migration gave it.
        old_start, old_end = shifted["default"]["s"]["d"], shifted["default"]["e"]["d"]
        deleted_kind = self.kind_of(deleted)
        expected = {
            ("appointment", shifted["uid"], "mismatch"): [
                {"field": "start", "source": old_start, "target": next_day(old_start)},
                {"field": "end", "source": old_end, "target": next_day(old_end)}],
            (deleted_kind, deleted["attrs"]["mapi2zimbraSource"], "missing"): [],
        }
        found = {(item["kind"], item["uid"], item["outcome"]): item["fields"] for item in report["items"]
                 if item["outcome"] != "skipped"}
        self.maxDiff = None
        self.assertEqual(found, expected)
        counts = self.expected_counts()
        want = {kind: {"match": n, "mismatch": 0, "missing": 0, "extra": 0, "error": 0} for kind, n in counts.items()}
        want["appointment"]["match"] -= 1
        want["appointment"]["mismatch"] = 1
        want[deleted_kind]["match"] -= 1
        want[deleted_kind]["missing"] = 1
        got = {kind: {k: v for k, v in row.items() if k != "skipped"} for kind, row in report["counts"].items()
               if any(v for k, v in row.items() if k != "skipped")}
        self.assertEqual(got, want)
        # Besides, only what the migration itself left out.
        skipped = sorted("%s:%s#%s" % (i["source"]["file"], i["source"]["folder"], i["source"]["entryId"])
                         for i in report["items"] if i["outcome"] == "skipped")
        self.assertEqual(skipped, self.migration_skipped)
        self.assertFalse(report["allMatch"])

        # The verify log is an ordinary audit log (schemas/audit.xsd) without the admin password.
        schema = etree.XMLSchema(etree.parse(os.path.join(support.SOURCE_DIR, "schemas", "audit.xsd")))
        self.assertTrue(schema.validate(etree.parse(report["auditLog"])), schema.error_log)
        with open(report["auditLog"], "rb") as handle:
            self.assertNotIn(support.ADMIN_PASSWORD.encode(), handle.read())

        # The verify log says the same, and `audit scan` lists exactly those two for the user.
        scan = run_cli("audit", "scan", report["auditLog"], "--format", "json")
        flags = [(f["flag"], f["source"]["entryId"]) for f in json.loads(scan.stdout) if f["userRelevant"]]
        mismatch_entry = next(i["source"]["entryId"] for i in report["items"] if i["outcome"] == "mismatch")
        missing_entry = next(i["source"]["entryId"] for i in report["items"] if i["outcome"] == "missing")
        self.assertEqual(sorted(flags), sorted([("verify-mismatch", mismatch_entry), ("verify-missing", missing_entry)]))

    def test_3_torn_tail_is_tolerated_and_reported(self):
        with open(self.log_path, "rb") as handle:
            raw = handle.read()
        # Cut in the middle of the last entry's start tag: a crash while writing it.
        start = raw.rindex(b"<entry ")
        record_start = start - 2  # a record begins with the two spaces before its start tag
        cut = start + 40
        cut_seq = int(re.match(rb'<entry seq="(\d+)"', raw[start:]).group(1))
        torn = os.path.join(self.workdir, "torn.xml")
        with open(torn, "wb") as handle:
            handle.write(raw[:cut])

        chain = run_cli("audit", "verify-chain", torn)
        self.assertEqual(chain.returncode, 0, chain.stdout + chain.stderr)
        self.assertIn("intact: %d records" % (cut_seq - 1), chain.stdout)
        self.assertIn("not closed", chain.stdout)
        self.assertIn("%d torn bytes at the end" % (cut - record_start), chain.stdout)

        scan = run_cli("audit", "scan", torn, "--format", "json")
        incomplete = [f["reason"] for f in json.loads(scan.stdout) if f["flag"] == "run-incomplete"]
        self.assertTrue(any("no summary" in reason for reason in incomplete), incomplete)
        self.assertTrue(any("torn record of %d bytes" % (cut - record_start) in reason for reason in incomplete),
                        incomplete)

    def test_4_one_edited_byte_breaks_the_chain_at_that_entry(self):
        with open(self.log_path, "rb") as handle:
            raw = bytearray(handle.read())
        # The first subject inside an entry's item summary; change its first letter.
        position = raw.index(b"<subject>", raw.index(b"<entry ")) + len(b"<subject>")
        edited_seq = int(re.findall(rb'<entry seq="(\d+)"', bytes(raw[:position]))[-1])
        raw[position] = ord("X") if raw[position] != ord("X") else ord("Y")
        edited = os.path.join(self.workdir, "edited.xml")
        with open(edited, "wb") as handle:
            handle.write(bytes(raw))

        chain = run_cli("audit", "verify-chain", edited)
        self.assertEqual(chain.returncode, 1, chain.stdout + chain.stderr)
        self.assertIn("broken at seq %d:" % edited_seq, chain.stdout)
        self.assertIn("edited", chain.stdout)
        # The untouched original is intact and closed.
        original = run_cli("audit", "verify-chain", self.log_path)
        self.assertEqual(original.returncode, 0, original.stdout)
        self.assertIn("closed", original.stdout)


if __name__ == "__main__":
    unittest.main()
