"""What pffexport (libpff's own exporter, Debian pff-tools) says a PST's calendar holds.

This is the independent side of the end-to-end tests: values come from pffexport's text
dumps, decoded here by rules taken from the specs, never from mapi2zimbra's reader.
"""
import datetime
import os
import re
import subprocess
import tempfile

# Named properties by the numeric id pffexport prints as "Maps to entry type"
# ([MS-OXPROPS]): PidLidAppointmentSubType, PidLidTimeZoneDescription, PidLidGlobalObjectId,
# PidLidRecurring.
LID_ALL_DAY = 0x8215
LID_TIME_ZONE_DESCRIPTION = 0x8234
LID_GLOBAL_OBJECT_ID = 0x0003
LID_RECURRING = 0x8223

_TIME_FORMAT = "%b %d, %Y %H:%M:%S"


def _parse_pff_time(text):
    # "Feb 04, 2021 11:00:00.000000000 UTC" -> aware datetime, seconds precision
    match = re.match(r"(\w{3} \d{2}, \d{4} \d{2}:\d{2}:\d{2})\.\d+ UTC", text.strip())
    if not match:
        return None
    return datetime.datetime.strptime(match.group(1), _TIME_FORMAT).replace(tzinfo=datetime.timezone.utc)


def _read_fields(path):
    fields = {}
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if ":" in line and line[0] not in " \t":
                key, _, value = line.partition(":")
                fields.setdefault(key.strip(), value.strip("\t\n "))
    return fields


def _read_item_values(path):
    """Entries of ItemValues.txt keyed by the named-property id they map to (or their tag)."""
    entries = {}
    current = None
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.startswith("Entry type:"):
                current = {"tag": int(line.split(":")[1], 16), "bytes": bytearray()}
                entries[current["tag"]] = current
            elif line.startswith("Value type:") and current is not None:
                current["type"] = int(line.split(":")[1], 16)
            elif line.startswith("Maps to entry type:") and current is not None:
                current["maps_to"] = int(line.split(":")[1], 16)
                entries[current["maps_to"]] = current
            elif re.match(r"0x[0-9a-f]{8}: ", line) and current is not None:
                hex_part = line[12:60]
                current["bytes"].extend(bytes.fromhex(hex_part.replace(" ", "")))
    return entries


def uid_from_global_object_id(goid):
    """[MS-OXCICAL] 2.1.3.1.1.20.26: the UID of an item from its PidLidGlobalObjectId."""
    if len(goid) < 40:
        return None
    data = goid[40:]
    if data[:8] == b"vCal-Uid" and len(data) >= 12:
        return data[12:].split(b"\x00", 1)[0].decode("ascii", errors="replace")
    clean = bytearray(goid)
    clean[16:20] = b"\x00\x00\x00\x00"  # the instance date is zeroed in the clean id
    return clean.hex().upper()


def export(pst_path, workdir):
    target = os.path.join(workdir, "x")
    subprocess.run(["pffexport", "-m", "items", "-f", "text", "-q", "-d", "-t", target, pst_path],
                   check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return target + ".export"


_EXPORTS = {}


def cached_export(pst_path):
    """One pffexport run per file and process (with its log), kept until the process exits:
    several questions are asked of the same files, and pffexport takes seconds on the larger ones."""
    if pst_path not in _EXPORTS:
        workdir = tempfile.TemporaryDirectory(prefix="m2z-pffexport-")
        target = os.path.join(workdir.name, "x")
        log = os.path.join(workdir.name, "log.txt")
        subprocess.run(["pffexport", "-m", "items", "-f", "text", "-q", "-d", "-t", target, "-l", log, pst_path],
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _EXPORTS[pst_path] = (workdir, target + ".export", log)
    _, root, log = _EXPORTS[pst_path]
    return root, log


def stray_appointments(pst_path):
    """Appointments pffexport exports from folders that are not calendars (e.g. Deleted Items)."""
    return source_inventory(pst_path)["stray_appointment"]


def calendar_items(pst_path):
    """Every item pffexport exports from a folder named Calendar (or below one)."""
    items = []
    root, _ = cached_export(pst_path)
    for folder, dirs, files in os.walk(root):
        if "Appointment.txt" not in files:
            continue
        relative = os.path.relpath(folder, root).split(os.sep)
        if "Attachments" in relative or "Calendar" not in relative:
            continue
        fields = _read_fields(os.path.join(folder, "Appointment.txt"))
        values = {}
        if "ItemValues.txt" in files:
            values = _read_item_values(os.path.join(folder, "ItemValues.txt"))
        all_day = LID_ALL_DAY in values and values[LID_ALL_DAY]["bytes"][:1] == b"\x01"
        zone = ""
        if LID_TIME_ZONE_DESCRIPTION in values:
            raw = bytes(values[LID_TIME_ZONE_DESCRIPTION]["bytes"])
            zone = (raw.decode("utf-16-le", errors="replace") if values[LID_TIME_ZONE_DESCRIPTION].get("type") == 0x1F
                    else raw.decode("cp1252", errors="replace")).rstrip("\x00")
        uid = None
        if LID_GLOBAL_OBJECT_ID in values:
            uid = uid_from_global_object_id(bytes(values[LID_GLOBAL_OBJECT_ID]["bytes"]))
        recurring = bool(fields.get("Recurrence pattern")) or (
            LID_RECURRING in values and values[LID_RECURRING]["bytes"][:1] == b"\x01")
        items.append({
            "folder": "/".join(relative[:-1]),
            "subject": fields.get("Subject", ""),
            "start": _parse_pff_time(fields.get("Start time", "")),
            "end": _parse_pff_time(fields.get("End time", "")),
            "all_day": all_day,
            "zone_description": zone,
            "uid": uid,
            "recurring": recurring,
        })
    return items


# --- Items of every kind, and the items libpff cannot open ---------------------------------------

# Folder-associated items (rules, views, reminders) libpff cannot open, per file. pffexport never
# exports associated contents, so these counts come from the libpff walker in
# ../shared/testdata/MANIFEST.md ("FAI items that cannot be opened: SampleOstFile.ost (2, in a
# pooled search folder), flags_jane_doe.pst (2), dist-list.pst (1, Reminders), hughbe_Outlook.pst (1)").
UNREADABLE_ASSOCIATED = {
    "aspose-net__SampleOstFile.ost": 2,
    "process-pst__flags_jane_doe.pst": 2,
    "java-libpst__dist-list.pst": 1,
    "pstreader__hughbe_Outlook.pst": 1,
}

# Mail rules held in folder-associated items, per file (MANIFEST.md; pffexport cannot see them):
# SampleOstFile.ost has the server-side "Junk E-mail Rule" (IPM.ExtendedRule.Message) and an
# IPM.RuleOrganizer whose rules stream is empty (66 B).
RULES = {
    "aspose-net__SampleOstFile.ost": ["Junk E-mail Rule"],
}

# The kind of the items a folder holds, by the folder's standard name (the unreadable items have
# no message class to tell it: libpff cannot read their property table).
_KIND_OF_FOLDER = {"Calendar": "appointment", "Contacts": "contact", "Tasks": "task"}


def _unreadable_from_log(log_path, root):
    """{folder path below root: count} of the items pffexport's log says it could not open
    ("Unable to retrieve type of item N out of M."): each belongs to the folder the log was last
    working in."""
    unreadable = {}
    folder = ""
    pending_parent = None
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            line = line.rstrip("\n")
            match = re.match(r"Processing folder: \d+ \(identifier: \d+\) in path: (.*?)/?$", line)
            if match:
                pending_parent = match.group(1)
                continue
            match = re.match(r"Saving folder with name: (.*) as: ", line)
            if match and pending_parent is not None:
                folder = pending_parent + "/" + match.group(1)
                pending_parent = None
                continue
            match = re.match(r"Processing \w+: \d+ \(identifier: \d+\) in path: (.*?)/?$", line)
            if match:
                folder = match.group(1)
                continue
            if re.match(r"Unable to retrieve type of item \d+ out of \d+\.", line):
                path = os.path.relpath(folder, root) if folder else ""
                unreadable[path] = unreadable.get(path, 0) + 1
    return unreadable


def source_inventory(pst_path):
    """What pffexport finds in a file, by kind: counts of exported contacts, distribution lists,
    tasks and appointments outside calendar folders, and the items it could not open, by folder
    path and by the kind their folder holds."""
    found = {"contact": 0, "distlist": 0, "task": 0, "stray_appointment": 0, "unreadable": {},
             "unreadable_by_kind": {}}
    root, log = cached_export(pst_path)
    for folder, _, files in os.walk(root):
        relative = os.path.relpath(folder, root).split(os.sep)
        if "Attachments" in relative:
            continue
        found["contact"] += "Contact.txt" in files
        found["distlist"] += "DistributionList.txt" in files
        found["task"] += "Task.txt" in files
        found["stray_appointment"] += "Appointment.txt" in files and "Calendar" not in relative
    if os.path.exists(log):
        found["unreadable"] = _unreadable_from_log(log, root)
    for path, count in found["unreadable"].items():
        kind = _KIND_OF_FOLDER.get(path.rsplit("/", 1)[-1], "item")
        found["unreadable_by_kind"][kind] = found["unreadable_by_kind"].get(kind, 0) + count
    return found
