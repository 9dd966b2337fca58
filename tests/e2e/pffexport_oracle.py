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


def stray_appointments(pst_path):
    """Appointments pffexport exports from folders that are not calendars (e.g. Deleted Items)."""
    count = 0
    with tempfile.TemporaryDirectory() as workdir:
        root = export(pst_path, workdir)
        for folder, _, files in os.walk(root):
            relative = os.path.relpath(folder, root).split(os.sep)
            if "Appointment.txt" in files and "Attachments" not in relative and "Calendar" not in relative:
                count += 1
    return count


def calendar_items(pst_path):
    """Every item pffexport exports from a folder named Calendar (or below one)."""
    items = []
    with tempfile.TemporaryDirectory() as workdir:
        root = export(pst_path, workdir)
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
