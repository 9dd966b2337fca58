"""End to end: real PSTs migrated through a schedule of server faults, into an account that
already holds the user's own appointments.

Faults injected by the Zimbra test server: a burst of HTTP 503s, a connection dropped after the
server committed an appointment (the answer is lost), one dropped before it committed, every auth
token expiring mid-run, and a maintenance-mode window on the mailbox; the answers lost and the
refusals hit the requests of every kind the run sends (appointments, contacts and groups, tasks,
folders, mail rules). Afterwards the server must hold every source item of every kind exactly
once (appointments with their fields), and the user's own data unchanged, including an
appointment whose UID collides with a source item (never overwritten).
Expected values come from pffexport and zoneinfo (see test_calendar_migration.py).
"""
import collections
import datetime
import os
import re
import shutil
import tempfile
import threading
import time
import unittest
import urllib.request
import zoneinfo

from lxml import etree

import e2e_support as support
import pffexport_oracle as oracle
from test_calendar_migration import ZONE_BY_DESCRIPTION, expected_runs, parse_zimbra_time

ACCOUNT = "faults@test.local"
PST_DIR = os.path.join(support.SHARED_DIR, "testdata", "pst")
SOURCES = [os.path.join(PST_DIR, name) for name in (
    "aspose-net__Test_part1.pst", "pstreader__hughbe_Outlook.pst", "go-pst__32-bit.pst", "aspose-net__Outlook.pst",
    "aspose-net__SampleOstFile.ost")]
HUGHBE_UID = "040000008200E00074C5B7101A82E00800000000706B094BEDFAD601000000000000000010000000495293E317D9A94D939988920F432682"

SOAP = "http://www.w3.org/2003/05/soap-envelope"


def soap_call(server, body, account=None, token=None):
    header = '<context xmlns="urn:zimbra">%s%s</context>' % (
        "<authToken>%s</authToken>" % token if token else "",
        '<account by="name">%s</account>' % account if account else "")
    envelope = '<soap:Envelope xmlns:soap="%s"><soap:Header>%s</soap:Header><soap:Body>%s</soap:Body></soap:Envelope>' % (
        SOAP, header, body)
    request = urllib.request.Request(server.admin_url, data=envelope.encode(), method="POST",
                                     headers={"Content-Type": "application/soap+xml; charset=utf-8"})
    with urllib.request.urlopen(request, context=server.ssl_context, timeout=30) as response:
        return etree.fromstring(response.read())


def users_own_appointment(uid, subject):
    return ('<SetAppointmentRequest xmlns="urn:zimbraMail" l="10"><default ptst="AC"><m su="%s">'
            '<mp ct="text/plain" content="the user\'s own entry"/>'
            '<inv method="PUBLISH" compNum="0" rsvp="0"><comp method="PUBLISH" compNum="0" rsvp="0" uid="%s" '
            'name="%s" fb="B" transp="O" class="PUB" allDay="0"><or a="%s"/>'
            '<s d="20210204T090000Z"/><e d="20210204T100000Z"/></comp></inv></m></default>'
            '</SetAppointmentRequest>' % (subject, uid, subject, ACCOUNT))


class FaultScheduleTest(unittest.TestCase):
    def setUp(self):
        self.server = support.TestServer([ACCOUNT])
        self.workdir = tempfile.mkdtemp(prefix="m2z-faults-")

    def tearDown(self):
        self.server.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def test_faults_neither_lose_nor_duplicate_nor_touch_the_users_data(self):
        auth = soap_call(self.server, '<AuthRequest xmlns="urn:zimbraAdmin" name="%s" password="%s"/>' % (
            support.ADMIN_USER, support.ADMIN_PASSWORD))
        token = auth.find(".//{urn:zimbraAdmin}authToken").text
        soap_call(self.server, users_own_appointment("users-own-dentist-1", "Dentist"), ACCOUNT, token)
        soap_call(self.server, users_own_appointment(HUGHBE_UID, "My own copy"), ACCOUNT, token)
        state_before = self.server.state(ACCOUNT)
        before = {a["uid"]: a for a in state_before["appointments"]}
        self.assertEqual(len(before), 2)

        self.server.post_json("/test/control", {"faults": [
            {"kind": "http_status", "status": 503, "count": 3, "request": "SetAppointmentRequest"},
            {"kind": "drop_after_commit", "request": "SetAppointmentRequest", "count": 1},
            {"kind": "drop_before_commit", "request": "GetAppointmentRequest", "count": 1},
            {"kind": "soap_fault", "code": "service.TEMPORARILY_UNAVAILABLE", "reason": "busy", "count": 1,
             "request": "SetAppointmentRequest"},
            # The same faults on the other kinds' requests: lost answers after the server stored
            # a contact, a group or contact, a task, a folder and the rule set; refusals before.
            {"kind": "http_status", "status": 503, "count": 2, "request": "CreateContactRequest"},
            {"kind": "drop_after_commit", "request": "CreateContactRequest", "count": 2},
            {"kind": "drop_before_commit", "request": "GetContactsRequest", "count": 1},
            {"kind": "soap_fault", "code": "service.TEMPORARILY_UNAVAILABLE", "reason": "busy", "count": 1,
             "request": "GetTaskRequest"},
            {"kind": "drop_after_commit", "request": "SetTaskRequest", "count": 1},
            {"kind": "drop_after_commit", "request": "CreateFolderRequest", "count": 1},
            {"kind": "http_status", "status": 503, "count": 1, "request": "GetFilterRulesRequest"},
            {"kind": "drop_after_commit", "request": "ModifyFilterRulesRequest", "count": 1},
        ]})
        # Mid-run: every token expires, then the mailbox goes into maintenance for a while.
        timers = [threading.Timer(0.3, lambda: self.server.post_json("/test/control", {"expire_tokens": True})),
                  threading.Timer(0.6, lambda: self.server.post_json(
                      "/test/control", {"maintenance": {"account": ACCOUNT, "on": True}})),
                  threading.Timer(2.5, lambda: self.server.post_json(
                      "/test/control", {"maintenance": {"account": ACCOUNT, "on": False}}))]
        for timer in timers:
            timer.start()
        result = support.run_migrate(self.server, SOURCES, ACCOUNT, os.path.join(self.workdir, "audit"), "faults",
                                     extra=("--max-requests-per-second", "20", "--retry-base-delay-ms", "50",
                                            "--retry-max-wait", "60"))
        for timer in timers:
            timer.join()
        # Every fault of the schedule really fired (a rule's count drops to 0 once it has).
        left = self.server.post_json("/test/control", {})["faults"]
        self.assertEqual([f for f in left if f["count"] != 0], [], left)
        # Exit 2: everything accounted for, and the items of the sources that cannot be carried
        # (unreadable, outside calendars) skipped, exactly as pffexport and MANIFEST.md say.
        expected_run = expected_runs(SOURCES)
        self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
        self.assertIn("all accounted for: yes", result.stdout)
        self.assertNotIn("[failed]", result.stdout)
        skipped = collections.Counter(kind for outcome, _, kind in support.problems(result.stdout)
                                      if outcome == "skipped")
        self.assertEqual(skipped, expected_run["skipped"], result.stdout)
        by_kind = expected_run["by_kind"]
        # The source item whose UID the user already has is not created again, only reported.
        by_kind["appointment"]["created"] -= 1
        by_kind["appointment"]["already_present"] += 1
        self.assertEqual(support.kind_counts(result.stdout), by_kind, result.stdout)

        expected = [item for path in SOURCES for item in oracle.calendar_items(path)]
        state = self.server.state(ACCOUNT)
        stored = state["appointments"]
        uids = [a["uid"] for a in stored]
        self.assertEqual(len(uids), len(set(uids)), "an appointment was created twice")
        # Every source item once, plus the user's two; the colliding one was not created again.
        self.assertEqual(len(stored), len(expected) + 2 - 1)
        self.assertRegex(result.stdout, r"already there:\s+1\b")
        # The user's copy under the same UID differs from the source: kept, and reported.
        self.assertIn("item.differs_on_target: 1", result.stdout)

        # Every other kind: exactly the source's items, none twice, whatever answers were lost.
        held = support.inventory(state)
        for kind in ("contact", "distlist", "task"):
            self.assertEqual(len(held[kind]), by_kind[kind]["created"], "%s: %s" % (kind, held[kind]))
            self.assertEqual(len(held[kind]), len(set(held[kind])), "a %s was created twice" % kind)
            self.assertNotIn("", held[kind], "a %s without its source fingerprint or UID" % kind)
        self.assertEqual(held["rule"], sorted(name for path in SOURCES
                                              for name in oracle.RULES.get(os.path.basename(path), [])))
        folders = [f["path"] for f in state["folders"]]
        self.assertEqual(len(folders), len(set(folders)), "a folder was created twice: %s" % folders)
        # No source holds out-of-office settings (MANIFEST.md): the preferences are as they were.
        self.assertEqual(state["prefs"], state_before["prefs"])

        after = {a["uid"]: a for a in stored}
        for uid, appointment in before.items():
            self.assertEqual(after[uid], appointment, "the user's own appointment %s changed" % uid)

        by_subject_and_start = {}
        for appointment in stored:
            invite = appointment["default"]
            by_subject_and_start.setdefault((invite["name"], invite["s"].get("utcMillis")), []).append(invite)
        for item in expected:
            if item["uid"] == HUGHBE_UID:
                continue
            millis = int(item["start"].timestamp() * 1000)
            matches = by_subject_and_start.get((item["subject"], millis), [])
            self.assertTrue(matches, "missing: %r at %s" % (item["subject"], item["start"]))
            zone = zoneinfo.ZoneInfo(ZONE_BY_DESCRIPTION[item["zone_description"]])
            wall = item["start"].astimezone(zone).replace(tzinfo=None)
            self.assertIn(wall, [parse_zimbra_time(m["s"]["d"]) for m in matches])
            self.assertTrue(all(m["allDay"] == item["all_day"] for m in matches))

        # Auditors see the faults and the retries.
        log_path = re.search(r"audit log:\s+(\S+)", result.stdout).group(1)
        log = open(log_path, encoding="utf-8").read()
        self.assertIn('willRetry="true"', log)
        self.assertIn('faultCode="account.MAINTENANCE_MODE"', log)
        self.assertIn('httpStatus="503"', log)


if __name__ == "__main__":
    unittest.main()
