#!/usr/bin/python3
"""Independent oracle for the .msg reader tests: dumps a .msg file's properties with python3-olefile
(Debian python3-olefile), resolving named properties through __nameid_version1.0 by hand from
[MS-OXMSG] 2.2.3. Used to work out the expected values written into msg_reader_realdata_test.cpp;
it shares no code with src/readers/msg.
Usage: olefile_dump.py FILE.msg [STORAGE-PREFIX]   (e.g. "__attach_version1.0_#00000000/__substg1.0_3701000D")
PT_STRING8 values are shown in PidTagMessageCodepage, else cp1252; MSG_CODEPAGE=cp932 overrides."""
import datetime
import os
import struct
import sys
import uuid

import olefile

PS_MAPI = uuid.UUID("00020328-0000-0000-c000-000000000046")
PS_PUBLIC_STRINGS = uuid.UUID("00020329-0000-0000-c000-000000000046")


def names(ole):
    guids = ole.openstream("__nameid_version1.0/__substg1.0_00020102").read()
    entries = ole.openstream("__nameid_version1.0/__substg1.0_00030102").read()
    strings = ole.openstream("__nameid_version1.0/__substg1.0_00040102").read()
    result = {}
    for offset in range(0, len(entries) - 7, 8):
        name_or_offset, kind_index, property_index = struct.unpack_from("<IHH", entries, offset)
        guid_index = kind_index >> 1
        if guid_index == 1:
            guid = PS_MAPI
        elif guid_index == 2:
            guid = PS_PUBLIC_STRINGS
        else:
            guid = uuid.UUID(bytes_le=guids[16 * (guid_index - 3):16 * (guid_index - 2)])
        if kind_index & 1:
            length = struct.unpack_from("<I", strings, name_or_offset)[0]
            name = strings[name_or_offset + 4:name_or_offset + 4 + length].decode("utf-16-le")
        else:
            name = "0x%04X" % name_or_offset
        result[0x8000 + property_index] = "{%s}/%s" % (str(guid).upper(), name)
    return result


def main():
    ole = olefile.OleFileIO(sys.argv[1])
    prefix = sys.argv[2] + "/" if len(sys.argv) > 2 else ""
    named = names(ole)
    props = ole.openstream(prefix + "__properties_version1.0").read()
    header = 32 if not prefix else (24 if prefix.endswith("3701000D/") else 8)
    codepage = "cp1252"
    rows = []
    for offset in range(header, len(props) - 15, 16):
        tag, flags = struct.unpack_from("<II", props, offset)
        pid, ptype = tag >> 16, tag & 0xFFFF
        raw = props[offset + 8:offset + 16]
        label = named.get(pid, "0x%04X" % pid)
        if ptype == 0x0003:
            value = struct.unpack_from("<i", raw)[0]
            if pid == 0x3FFD:
                codepage = "cp%d" % value
        elif ptype == 0x0002:
            value = struct.unpack_from("<h", raw)[0]
        elif ptype == 0x000B:
            value = bool(raw[0])
        elif ptype == 0x0005:
            value = struct.unpack_from("<d", raw)[0]
        elif ptype == 0x0014:
            value = struct.unpack_from("<q", raw)[0]
        elif ptype == 0x0040:
            ticks = struct.unpack_from("<Q", raw)[0]
            value = (datetime.datetime(1601, 1, 1) + datetime.timedelta(microseconds=ticks // 10)).isoformat() + "Z"
        elif ptype == 0x000D:
            value = "<embedded storage>"
        else:
            stream = prefix + "__substg1.0_%04X%04X" % (pid, ptype)
            data = ole.openstream(stream).read() if ole.exists(stream) else b""
            if ptype == 0x001F:
                value = data.decode("utf-16-le", "replace").rstrip("\0")
            elif ptype == 0x001E:
                value = ("STRING8", data)
            elif ptype in (0x101F, 0x1102, 0x101E):
                count = len(data) // (8 if ptype == 0x1102 else 4)
                value = []
                for i in range(count):
                    item = ole.openstream("%s-%08X" % (stream, i)).read()
                    value.append(item.decode("utf-16-le").rstrip("\0") if ptype == 0x101F else item.hex())
            else:
                value = data.hex()
        rows.append((label, ptype, value))
    codepage = os.environ.get("MSG_CODEPAGE", codepage)
    for label, ptype, value in rows:
        if isinstance(value, tuple):
            value = value[1].decode(codepage, "replace").rstrip("\0")
        print("%s 0x%04X %r" % (label, ptype, value))
        if label.endswith("/0x8216"):
            print("  RecurrencePattern:", recurrence_pattern(value))



def recurrence_pattern(hex_blob):
    """The leading RecurrencePattern fields of PidLidAppointmentRecur ([MS-OXOCAL] 2.2.1.44.1)."""
    blob = bytes.fromhex(hex_blob)
    frequency, pattern_type, calendar_type, first_date_time, period, sliding = struct.unpack_from("<4xHHHIII", blob, 0)
    at = 22
    specific = None
    if pattern_type == 1:  # week: a day bit mask
        specific = struct.unpack_from("<I", blob, at)[0]
        at += 4
    elif pattern_type in (2, 4, 0xA, 0xC):  # month day
        specific = struct.unpack_from("<I", blob, at)[0]
        at += 4
    elif pattern_type in (3, 0xB):  # month nth: day mask, nth
        specific = struct.unpack_from("<II", blob, at)
        at += 8
    end_type, occurrences, first_dow, deleted = struct.unpack_from("<IIII", blob, at)
    return {"frequency": hex(frequency), "pattern_type": pattern_type, "period": period, "specific": specific,
            "end_type": hex(end_type), "occurrences": occurrences, "first_dow": first_dow,
            "deleted_instances": deleted}


if __name__ == "__main__":
    main()
