"""End to end: real PSTs from shared/testdata migrated by the CLI into the Zimbra test server.

Expected values come from pffexport (libpff's own exporter) and from zone names mapped by hand
to IANA zones, converted with Python's zoneinfo (tzdata) — never from mapi2zimbra's reader.
"""
import datetime
import glob
import os
import re
import tempfile
import unittest
import zoneinfo

from lxml import etree

import e2e_support as support
import pffexport_oracle as oracle

# Outlook's zone descriptions in these files, mapped by hand to the IANA zone they name.
ZONE_BY_DESCRIPTION = {
    "": "UTC",  # no zone on the item: mapi2zimbra writes it in UTC and says so
    "(UTC) Coordinated Universal Time": "UTC",
    "(GMT+05:00) Tashkent": "Asia/Tashkent",
    "(GMT+05:00) Islamabad, Karachi": "Asia/Karachi",
    "(GMT-06:00) Central Time (US & Canada)": "America/Chicago",
    "(UTC-08:00) Pacific Time (US & Canada)": "America/Los_Angeles",
}


def nth_weekday(year, month, week, weekday):
    """Day of month of the week-th weekday (1=Sunday..7=Saturday; week -1 = last), per
    soap-calendar.txt's <standard>/<daylight> rule description."""
    python_weekday = (weekday + 5) % 7  # Python: Monday=0 .. Sunday=6
    if week > 0:
        first = datetime.date(year, month, 1)
        offset = (python_weekday - first.weekday()) % 7
        return 1 + offset + 7 * (week - 1)
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last = next_month - datetime.timedelta(days=1)
    return last.day - ((last.weekday() - python_weekday) % 7)


def wall_to_utc(wall, tz):
    """A Zimbra <tz> definition applied to a wall time (local = UTC + offset)."""
    offset = int(tz["stdoff"])
    if tz.get("daylight") and tz.get("standard") and tz.get("dayoff") is not None:
        def transition(rule):
            day = nth_weekday(wall.year, int(rule["mon"]), int(rule["week"]), int(rule["wkday"]))
            return datetime.datetime(wall.year, int(rule["mon"]), day, int(rule["hour"]), int(rule["min"]),
                                     int(rule.get("sec", 0)))
        to_daylight, to_standard = transition(tz["daylight"]), transition(tz["standard"])
        in_daylight = (to_daylight <= wall < to_standard) if to_daylight < to_standard else not (
            to_standard <= wall < to_daylight)
        if in_daylight:
            offset = int(tz["dayoff"])
    return (wall - datetime.timedelta(minutes=offset)).replace(tzinfo=datetime.timezone.utc)


def parse_zimbra_time(value):
    if len(value) == 8:
        return datetime.datetime.strptime(value, "%Y%m%d")
    return datetime.datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S")


def pst_files_with_calendars():
    files = []
    for path in sorted(glob.glob(os.path.join(support.SHARED_DIR, "testdata", "pst", "*"))):
        items = oracle.calendar_items(path)
        if items:
            files.append((path, items))
    return files


class CalendarMigrationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.samples = pst_files_with_calendars()
        cls.accounts = ["user%d@test.local" % i for i in range(len(cls.samples))] + ["rerun@test.local"]
        cls.server = support.TestServer(cls.accounts)
        cls.audit_dir = tempfile.mkdtemp(prefix="m2z-audit-")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_samples_exist(self):
        # The shared test data has calendar items in at least these files (MANIFEST.md, section 1).
        names = {os.path.basename(path) for path, _ in self.samples}
        self.assertTrue({"pstreader__hughbe_Outlook.pst", "go-pst__32-bit.pst", "aspose-net__Test_part1.pst",
                         "java-libpst__dist-list.pst"} <= names, names)

    def test_every_calendar_item_arrives_with_its_fields(self):
        for index, (path, expected_items) in enumerate(self.samples):
            account = self.accounts[index]
            with self.subTest(pst=os.path.basename(path)):
                result = support.run_migrate(self.server, [path], account, self.audit_dir, "fields")
                recurring = [item for item in expected_items if item["recurring"]]
                single = [item for item in expected_items if not item["recurring"]]
                self.assertIn(result.returncode, (0, 2), result.stderr + result.stdout)
                self.assertIn("all accounted for: yes", result.stdout)
                self.assertRegex(result.stdout, r"items seen:\s+%d\b" % len(expected_items))
                # Recurring series are not converted yet: each is reported, none dropped silently.
                self.assertRegex(result.stdout, r"skipped:\s+%d\b" % len(recurring))
                if recurring:
                    self.assertIn("recurrence.not_converted", result.stdout)

                stored = self.server.state(account)["appointments"]
                self.assertEqual(len(stored), len(single), stored)
                unmatched = list(stored)
                for item in single:
                    zone = zoneinfo.ZoneInfo(ZONE_BY_DESCRIPTION[item["zone_description"]])
                    match = self._find(unmatched, item)
                    self.assertIsNotNone(match, "no stored appointment for %r at %s" % (item["subject"], item["start"]))
                    unmatched.remove(match)
                    invite = match["default"]
                    self.assertEqual(invite["allDay"], item["all_day"])
                    self.assertEqual(invite["name"], item["subject"])
                    if not item["all_day"]:
                        # Wall time in the item's original zone.
                        expected_start = item["start"].astimezone(zone).replace(tzinfo=None)
                        expected_end = item["end"].astimezone(zone).replace(tzinfo=None)
                        self.assertEqual(parse_zimbra_time(invite["s"]["d"]), expected_start)
                        self.assertEqual(parse_zimbra_time(invite["e"]["d"]), expected_end)
                    if item["uid"]:
                        self.assertEqual(match["uid"], item["uid"])
                    else:
                        self.assertTrue(match["uid"])

    def _find(self, stored, item):
        for candidate in stored:
            invite = candidate["default"]
            if invite["name"] != item["subject"]:
                continue
            tz = self._tz_of(invite, invite["s"])
            start = parse_zimbra_time(invite["s"]["d"])
            utc = wall_to_utc(start, tz) if tz else start.replace(tzinfo=datetime.timezone.utc)
            if item["all_day"] or utc == item["start"]:
                return candidate
        return None

    @staticmethod
    def _tz_of(invite, time_value):
        tz_id = time_value.get("tz")
        for tz in invite.get("tz", []):
            if tz["id"] == tz_id:
                return tz
        return None

    def test_rerun_creates_no_duplicates_and_changes_nothing(self):
        path = os.path.join(support.SHARED_DIR, "testdata", "pst", "pstreader__hughbe_Outlook.pst")
        first = support.run_migrate(self.server, [path], "rerun@test.local", self.audit_dir, "first")
        self.assertEqual(first.returncode, 0, first.stdout + first.stderr)
        before = self.server.state("rerun@test.local")["appointments"]
        second = support.run_migrate(self.server, [path], "rerun@test.local", self.audit_dir, "second")
        self.assertEqual(second.returncode, 0, second.stdout + second.stderr)
        self.assertRegex(second.stdout, r"created:\s+0\b")
        self.assertRegex(second.stdout, r"already there:\s+1\b")
        after = self.server.state("rerun@test.local")["appointments"]
        self.assertEqual(before, after)

    def test_audit_log_validates_and_holds_no_secret(self):
        path = os.path.join(support.SHARED_DIR, "testdata", "pst", "aspose-net__Outlook.pst")
        result = support.run_migrate(self.server, [path], self.accounts[0], self.audit_dir, "audit-check")
        log_path = re.search(r"audit log:\s+(\S+)", result.stdout).group(1)
        schema = etree.XMLSchema(etree.parse(os.path.join(support.SOURCE_DIR, "schemas", "audit.xsd")))
        document = etree.parse(log_path)
        self.assertTrue(schema.validate(document), schema.error_log)
        raw = open(log_path, "rb").read()
        self.assertNotIn(support.ADMIN_PASSWORD.encode(), raw)
        for token in document.iter("{urn:zimbra}authToken"):
            self.assertEqual(token.text, "***redacted***")
        self.assertIn(b"SetAppointmentRequest", raw)


if __name__ == "__main__":
    unittest.main()
