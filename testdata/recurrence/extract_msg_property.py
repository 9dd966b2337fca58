#!/usr/bin/python3
"""Prints or saves one named property of an Outlook .msg file, without olefile.

Usage: extract_msg_property.py FILE.msg ID [--attachment N] [OUT]
  ID in hex: a PSETID_Appointment long id (8216 = PidLidAppointmentRecur, 8232 =
  PidLidRecurrencePattern) or a tag id below 0x8000 (0037 = PidTagSubject). --attachment N reads
  attachment N's embedded message. Binary values go to OUT (or are printed as hex); times,
  integers and strings are printed. Test-data tool only: [MS-CFB] compound file + [MS-OXMSG] 2.2.3 named
  property mapping, read as the specs describe them.
"""
import struct
import sys

FREESECT, ENDOFCHAIN = 0xFFFFFFFF, 0xFFFFFFFE
PSETID_APPOINTMENT = bytes.fromhex("0220060000000000C000000000000046")


class CompoundFile:
    def __init__(self, data):
        self.data = data
        if data[:8] != bytes.fromhex("D0CF11E0A1B11AE1"):
            raise ValueError("not a compound file")
        self.sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
        self.mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
        dir_start, = struct.unpack_from("<I", data, 0x30)
        self.mini_cutoff, = struct.unpack_from("<I", data, 0x38)
        minifat_start, minifat_count, difat_start, difat_count = struct.unpack_from("<IIII", data, 0x3C)
        difat = list(struct.unpack_from("<109I", data, 0x4C))
        sector = difat_start
        for _ in range(difat_count):
            entries = struct.unpack_from("<%dI" % (self.sector_size // 4), self._sector(sector))
            difat.extend(entries[:-1])
            sector = entries[-1]
        self.fat = []
        for fat_sector in difat:
            if fat_sector in (FREESECT, ENDOFCHAIN):
                continue
            self.fat.extend(struct.unpack_from("<%dI" % (self.sector_size // 4), self._sector(fat_sector)))
        directory = self._chain(dir_start)
        self.entries = []
        for offset in range(0, len(directory), 128):
            raw = directory[offset:offset + 128]
            name_len, = struct.unpack_from("<H", raw, 0x40)
            name = raw[:max(name_len - 2, 0)].decode("utf-16-le")
            kind = raw[0x42]
            left, right, child = struct.unpack_from("<III", raw, 0x44)
            start, = struct.unpack_from("<I", raw, 0x74)
            size, = struct.unpack_from("<Q", raw, 0x78)
            self.entries.append({"name": name, "type": kind, "left": left, "right": right, "child": child,
                                 "start": start, "size": size})
        root = self.entries[0]
        self.mini_stream = self._chain(root["start"])[:root["size"]]
        self.minifat = []
        if minifat_count:
            raw = self._chain(minifat_start)
            self.minifat = list(struct.unpack_from("<%dI" % (len(raw) // 4), raw))

    def _sector(self, index):
        start = (index + 1) * self.sector_size
        return self.data[start:start + self.sector_size]

    def _chain(self, start):
        out, sector, seen = bytearray(), start, set()
        while sector not in (ENDOFCHAIN, FREESECT) and sector not in seen:
            seen.add(sector)
            out += self._sector(sector)
            sector = self.fat[sector]
        return bytes(out)

    def _mini_chain(self, start, size):
        out, sector = bytearray(), start
        while sector not in (ENDOFCHAIN, FREESECT) and len(out) < size:
            offset = sector * self.mini_size
            out += self.mini_stream[offset:offset + self.mini_size]
            sector = self.minifat[sector]
        return bytes(out[:size])

    def children(self, index):
        """The entries of a storage, by name (a red-black tree walked in order)."""
        result, stack = {}, [self.entries[index]["child"]]
        while stack:
            node = stack.pop()
            if node == FREESECT or node >= len(self.entries):
                continue
            entry = self.entries[node]
            result[entry["name"]] = node
            stack += [entry["left"], entry["right"]]
        return result

    def stream(self, index):
        entry = self.entries[index]
        if entry["size"] < self.mini_cutoff:
            return self._mini_chain(entry["start"], entry["size"])
        return self._chain(entry["start"])[:entry["size"]]


def property_id_for_lid(cfb, lid):
    top = cfb.children(0)
    nameid = cfb.children(top["__nameid_version1.0"])
    guids = cfb.stream(nameid["__substg1.0_00020102"])
    entries = cfb.stream(nameid["__substg1.0_00030102"])
    for offset in range(0, len(entries), 8):
        name_or_offset, index_and_kind, property_index = struct.unpack_from("<IHH", entries, offset)
        if index_and_kind & 1:
            continue  # a string-named property
        guid_index = index_and_kind >> 1
        if guid_index < 3:
            continue
        guid = guids[(guid_index - 3) * 16:(guid_index - 2) * 16]
        if guid == PSETID_APPOINTMENT and name_or_offset == lid:
            return 0x8000 + property_index
    return None


def fixed_properties(cfb, storage_index, header_size):
    """Fixed-size values of the __properties_version1.0 stream ([MS-OXMSG] 2.4.2): tag -> 8 bytes."""
    children = cfb.children(storage_index)
    raw = cfb.stream(children["__properties_version1.0"])
    values = {}
    for offset in range(header_size, len(raw) - 15, 16):
        tag, _flags = struct.unpack_from("<II", raw, offset)
        values[tag] = raw[offset + 8:offset + 16]
    return values


def describe_fixed(tag, value):
    kind = tag & 0xFFFF
    if kind == 0x0040:
        import datetime
        ticks, = struct.unpack("<Q", value)
        return (datetime.datetime(1601, 1, 1) + datetime.timedelta(microseconds=ticks // 10)).isoformat() + "Z"
    if kind == 0x0003:
        return str(struct.unpack_from("<i", value)[0])
    if kind == 0x000B:
        return str(value[0] != 0)
    return value.hex()


def main():
    path, lid = sys.argv[1], int(sys.argv[2], 16)
    cfb = CompoundFile(open(path, "rb").read())
    storage, header = 0, 32
    if len(sys.argv) > 4 and sys.argv[3] == "--attachment":
        # the embedded message of attachment N: __attach_version1.0_#N / __substg1.0_3701000D
        top = cfb.children(0)
        attachment = cfb.children(top["__attach_version1.0_#%08X" % int(sys.argv[4])])
        storage, header = attachment["__substg1.0_3701000D"], 24
        del sys.argv[3:5]
    property_id = property_id_for_lid(cfb, lid) if lid >= 0x8000 else lid
    if property_id is None:
        sys.exit("no property with LID 0x%04X" % lid)
    if lid < 0x8000:
        property_id = lid  # a tagged property, e.g. 0037 = PidTagSubject
    top = cfb.children(storage)
    for tag, value in fixed_properties(cfb, storage, header).items():
        if tag >> 16 == property_id and tag & 0xFFFF in (0x0002, 0x0003, 0x000B, 0x0014, 0x0040):
            print(describe_fixed(tag, value))
            return
    for type_code, is_text in (("0102", False), ("001F", True), ("001E", True)):
        name = "__substg1.0_%04X%s" % (property_id, type_code)
        if name in top:
            value = cfb.stream(top[name])
            if is_text:
                print(value.decode("utf-16-le" if type_code == "001F" else "cp1252").rstrip("\x00"))
            elif len(sys.argv) > 3:
                open(sys.argv[3], "wb").write(value)
            else:
                print(value.hex())
            return
    sys.exit("property 0x%04X has no binary or string value stream" % property_id)


if __name__ == "__main__":
    main()
