"""End to end: real PSTs from shared/testdata migrated by the CLI into the Zimbra test server.

Expected values come from pffexport (libpff's own exporter) and from zone names mapped by hand
to IANA zones, converted with Python's zoneinfo (tzdata) — never from mapi2zimbra's reader.
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


WEEKDAY_CODES = {"Sunday": "SU", "Monday": "MO", "Tuesday": "TU", "Wednesday": "WE", "Thursday": "TH",
                 "Friday": "FR", "Saturday": "SA"}
LID_APPOINTMENT_RECUR = 0x8216
LID_EXCEPTION_REPLACE_TIME = 0x8228
TAG_BODY = 0x1000


def filetime(raw):
    """A PtypTime value ([MS-DTYP] FILETIME) as an aware UTC datetime, seconds precision."""
    ticks, = struct.unpack("<Q", bytes(raw[:8]))
    return datetime.datetime(1601, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=ticks // 10**7)


def deleted_instance_dates(blob):
    """DeletedInstanceDates of a PidLidAppointmentRecur value, read at the offsets [MS-OXOCAL]
    2.2.1.44.1 gives: 22 fixed bytes, PatternTypeSpecific (its size by PatternType, at offset 6),
    EndType, OccurrenceCount and FirstDOW, then the count and the dates (minutes since 1601 of
    local midnights)."""
    pattern_type, = struct.unpack_from("<H", blob, 6)
    specific = {0x0: 0, 0x1: 4, 0x2: 4, 0x3: 8, 0x4: 4, 0xA: 4, 0xB: 8, 0xC: 4}[pattern_type]
    offset = 22 + specific + 12
    count, = struct.unpack_from("<I", blob, offset)
    minutes = struct.unpack_from("<%dI" % count, blob, offset + 4)
    return [datetime.date(1601, 1, 1) + datetime.timedelta(days=m // 1440) for m in minutes]


def recurring_series(pst_path):
    """Each recurring item pffexport exports from the calendar: the "Recurrence pattern" line of
    its Appointment.txt, its start, the exceptions it exports as attachments (their start, end,
    PidLidExceptionReplaceTime and body) and the deleted dates of its pattern."""
    series = []
    root, _ = oracle.cached_export(pst_path)
    for folder, dirs, files in os.walk(root):
        relative = os.path.relpath(folder, root).split(os.sep)
        if "Appointment.txt" not in files or "Attachments" in relative or "Calendar" not in relative:
            continue
        fields = oracle._read_fields(os.path.join(folder, "Appointment.txt"))
        if not fields.get("Recurrence pattern"):
            continue
        values = oracle._read_item_values(os.path.join(folder, "ItemValues.txt"))
        exceptions = []
        for attachment in sorted(glob.glob(os.path.join(folder, "Attachments", "Attachment*", "Appointment*"))):
            attached = oracle._read_fields(os.path.join(attachment, "Appointment.txt"))
            attached_values = oracle._read_item_values(os.path.join(attachment, "ItemValues.txt"))
            exceptions.append({
                "start": oracle._parse_pff_time(attached["Start time"]),
                "end": oracle._parse_pff_time(attached["End time"]),
                "replaces": filetime(attached_values[LID_EXCEPTION_REPLACE_TIME]["bytes"]),
                "body": bytes(attached_values[TAG_BODY]["bytes"]).decode("utf-16-le"),
            })
        series.append({
            "subject": fields.get("Subject", ""),
            "pattern": fields["Recurrence pattern"],
            "start": oracle._parse_pff_time(fields["Start time"]),
            "last_effective": fields.get("Last effective time", ""),
            "exceptions": exceptions,
            "deleted": deleted_instance_dates(bytes(values[LID_APPOINTMENT_RECUR]["bytes"])),
        })
    return series


def pst_files_with_calendars():
    files = []
    for path in sorted(glob.glob(os.path.join(support.SHARED_DIR, "testdata", "pst", "*"))):
        items = oracle.calendar_items(path)
        if items:
            files.append((path, items))
    return files


def expected_run(path, calendar_items):
    """What one migrate run of `path` into an empty account must report, worked out from
    pffexport (calendar items, contacts, lists, tasks, strays, items it cannot open) and from
    MANIFEST.md for what pffexport cannot see (folder-associated items, rules)."""
    name = os.path.basename(path)
    found = oracle.source_inventory(path)
    strays = found["stray_appointment"]
    unreadable = found["unreadable_by_kind"]
    associated = oracle.UNREADABLE_ASSOCIATED.get(name, 0)
    rules = len(oracle.RULES.get(name, []))

    def row(created, skipped):
        return {"seen": created + skipped, "created": created, "already_present": 0, "skipped": skipped, "failed": 0}

    by_kind = {
        "appointment": row(len(calendar_items), strays + unreadable.get("appointment", 0)),
        "contact": row(found["contact"], unreadable.get("contact", 0)),
        "distlist": row(found["distlist"], 0),
        "task": row(found["task"], unreadable.get("task", 0)),
        "rule": row(rules, 0),
        # Folder-associated items and items of folders of no groupware kind.
        "item": row(0, associated + unreadable.get("item", 0)),
    }
    skipped = collections.Counter({"item.outside_calendar": strays,
                                   "item.unreadable": associated + sum(unreadable.values())})
    return {
        "by_kind": {kind: counts for kind, counts in by_kind.items() if counts["seen"]},
        "skipped": +skipped,  # drops the zero counts
        "unreadable_folders": collections.Counter({folder.rpartition("/")[2]: count
                                                   for folder, count in found["unreadable"].items()}),
        "unreadable_associated": associated,
    }


def expected_runs(paths):
    """expected_run summed over several sources migrated by one run into one empty account."""
    total = {"by_kind": {}, "skipped": collections.Counter()}
    for path in paths:
        one = expected_run(path, oracle.calendar_items(path))
        for kind, counts in one["by_kind"].items():
            row = total["by_kind"].setdefault(kind, dict.fromkeys(counts, 0))
            for column, value in counts.items():
                row[column] += value
        total["skipped"] += one["skipped"]
    return total


class CalendarMigrationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.samples = pst_files_with_calendars()
        cls.accounts = ["user%d@test.local" % i for i in range(len(cls.samples))] + [
            "rerun@test.local", "series@test.local", "audit@test.local"]
        cls.server = support.TestServer(cls.accounts)
        cls.audit_dir = tempfile.mkdtemp(prefix="m2z-audit-")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.audit_dir, ignore_errors=True)

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
                expected = expected_run(path, expected_items)
                # Exit 2 = all accounted for but some skipped: exactly when the file has items
                # that are not carried (unreadable ones, appointments outside calendars).
                self.assertEqual(result.returncode, 2 if expected["skipped"] else 0, result.stderr + result.stdout)
                self.assertIn("all accounted for: yes", result.stdout)
                self.assertNotIn("[failed]", result.stdout)
                # Every kind's row of the summary: appointments outside calendar folders (Deleted
                # Items) are reported, not migrated; recurring series arrive as series
                # (test_recurring_series_arrive_whole checks their rules and exceptions).
                self.assertEqual(support.kind_counts(result.stdout), expected["by_kind"], result.stdout)
                # Exactly these items are skipped, for exactly these reasons.
                skipped = [(kind, item) for outcome, item, kind in support.problems(result.stdout)
                           if outcome == "skipped"]
                self.assertEqual(collections.Counter(kind for kind, _ in skipped), expected["skipped"], result.stdout)
                unreadable = [item for kind, item in skipped if kind == "item.unreadable"]
                self.assertEqual(
                    collections.Counter(item.rpartition("#")[0].rpartition("/")[2] for item in unreadable
                                        if "#associated index" not in item),
                    expected["unreadable_folders"], result.stdout)
                self.assertEqual(len([item for item in unreadable if "#associated index" in item]),
                                 expected["unreadable_associated"], result.stdout)
                strays = expected["skipped"]["item.outside_calendar"]
                if strays:
                    self.assertIn("item.outside_calendar: %d" % strays, result.stdout)
                self.assertNotIn("recurrence.not_converted", result.stdout)

                stored = self.server.state(account)["appointments"]
                self.assertEqual(len(stored), len(expected_items), stored)
                unmatched = list(stored)
                for item in expected_items:
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

    def test_recurring_series_arrive_whole(self):
        # java-libpst's store has a weekly series with two exception attachments (MANIFEST.md,
        # section 1). Everything expected comes from pffexport's dump of it; the instants Zimbra
        # gives the stored times (utcMillis) are the test server's reading of the <tz> sent.
        path = os.path.join(support.SHARED_DIR, "testdata", "pst", "java-libpst__dist-list.pst")
        (series,) = recurring_series(path)
        zone = zoneinfo.ZoneInfo("America/Los_Angeles")  # "(UTC-08:00) Pacific Time (US & Canada)"
        match = re.fullmatch(r"every (\w+) from (\d+):(\d+) (AM|PM) to (\d+):(\d+) (AM|PM)", series["pattern"])
        self.assertIsNotNone(match, series["pattern"])
        weekday = WEEKDAY_CODES[match.group(1)]
        start_hour = int(match.group(2)) % 12 + (12 if match.group(4) == "PM" else 0)
        start_minute = int(match.group(3))
        self.assertTrue(series["last_effective"].startswith("Sep 01, 4500"))  # Outlook's "no end date"

        result = support.run_migrate(self.server, [path], "series@test.local", self.audit_dir, "series")
        # The file's one unreadable folder-associated item (MANIFEST.md) is skipped: exit 2.
        self.assertEqual(result.returncode, 2, result.stderr + result.stdout)
        self.assertIn("all accounted for: yes", result.stdout)
        self.assertEqual(support.kind_row(result.stdout, "appointment"),
                         {"seen": 1, "created": 1, "already_present": 0, "skipped": 0, "failed": 0})
        (stored,) = self.server.state("series@test.local")["appointments"]
        invite = stored["default"]
        self.assertEqual(invite["name"], series["subject"])
        self.assertEqual(invite["s"]["utcMillis"], int(series["start"].timestamp() * 1000))
        (rule,) = invite["recurrence"]["add"]
        self.assertEqual(rule["freq"], "WEE")
        self.assertEqual(rule["byday"], [weekday])
        self.assertEqual(rule["interval"], 1)
        self.assertIsNone(rule["count"])
        self.assertIsNone(rule["until"])

        # Each exception: replaces the instance of its PidLidExceptionReplaceTime, at its own times,
        # with its own body.
        self.assertEqual(stored["exceptionsCount"], len(series["exceptions"]))
        by_instance = {e["exceptId"]["utcMillis"]: e for e in stored["exceptions"]}
        for exception in series["exceptions"]:
            got = by_instance.get(int(exception["replaces"].timestamp() * 1000))
            self.assertIsNotNone(got, "no exception replaces %s" % exception["replaces"])
            self.assertEqual(got["s"]["utcMillis"], int(exception["start"].timestamp() * 1000))
            self.assertEqual(got["e"]["utcMillis"], int(exception["end"].timestamp() * 1000))
            self.assertEqual(got["description"], exception["body"])
            self.assertEqual(got["name"], series["subject"])
            self.assertEqual(got["exceptId"]["tz"], invite["s"]["tz"])

        # Deleted instances that no exception replaces are cancelled, at the series' time of day.
        replaced_days = {e["replaces"].astimezone(zone).date() for e in series["exceptions"]}
        cancelled = sorted(
            int(datetime.datetime.combine(day, datetime.time(start_hour, start_minute), zone).timestamp() * 1000)
            for day in series["deleted"] if day not in replaced_days)
        self.assertTrue(cancelled)
        self.assertEqual(sorted(c["exceptId"]["utcMillis"] for c in stored["cancels"]), cancelled)

    def test_rerun_creates_no_duplicates_and_changes_nothing(self):
        # hughbe_Outlook.pst holds one item of each kind (appointment, contact, list, task) and
        # one unreadable folder-associated item (MANIFEST.md): exit 2, all accounted for.
        path = os.path.join(support.SHARED_DIR, "testdata", "pst", "pstreader__hughbe_Outlook.pst")
        expected = expected_run(path, oracle.calendar_items(path))
        first = support.run_migrate(self.server, [path], "rerun@test.local", self.audit_dir, "first")
        self.assertEqual(first.returncode, 2, first.stdout + first.stderr)
        self.assertIn("all accounted for: yes", first.stdout)
        self.assertEqual(support.kind_counts(first.stdout), expected["by_kind"], first.stdout)
        before = self.server.state("rerun@test.local")
        second = support.run_migrate(self.server, [path], "rerun@test.local", self.audit_dir, "second")
        self.assertEqual(second.returncode, 2, second.stdout + second.stderr)
        self.assertIn("all accounted for: yes", second.stdout)
        # The second run creates nothing of any kind: what the first created is already there,
        # what it skipped is skipped again for the same reason.
        rerun = {kind: {"seen": row["seen"], "created": 0, "already_present": row["created"] + row["already_present"],
                        "skipped": row["skipped"], "failed": 0}
                 for kind, row in expected["by_kind"].items()}
        self.assertEqual(support.kind_counts(second.stdout), rerun, second.stdout)
        self.assertRegex(second.stdout, r"\n  created:\s+0\n")
        # And the server is left exactly as it was: appointments, contacts, groups, tasks,
        # folders, rules and preferences alike.
        after = self.server.state("rerun@test.local")
        self.assertEqual(before, after)

    def test_audit_log_validates_and_holds_no_secret(self):
        path = os.path.join(support.SHARED_DIR, "testdata", "pst", "aspose-net__Outlook.pst")
        result = support.run_migrate(self.server, [path], "audit@test.local", self.audit_dir, "audit-check")
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
