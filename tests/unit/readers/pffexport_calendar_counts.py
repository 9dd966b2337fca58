#!/usr/bin/env python3
"""Counts, with pffexport alone, the messages each PST/OST keeps in its calendar folders.

How the expected table in pst_reader_realdata_test.cpp was obtained:
  pffexport -d -m items -f text -q -t <tmp>/<name> <file>
With -d pffexport writes ItemValues.txt (the raw property dump) beside every exported folder and
item. A folder is a calendar folder when its PidTagContainerClass (0x3613) starts with
"IPF.Appointment"; its items are its direct child directories whose ItemValues.txt carries a
PidTagMessageClass (0x001a). PidTagContentCount (0x3602), the store's own count of the folder's
messages, is printed beside it as a cross-check.

Usage: pffexport_calendar_counts.py <dir with .pst/.ost files>
"""
import os
import subprocess
import sys
import tempfile


def parse_item_values(path):
    """Returns {entry_type: (value_type, bytes)} for set 0 of an ItemValues.txt."""
    entries = {}
    entry_type = value_type = None
    data = bytearray()
    in_value = False
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("Entry type:"):
                if entry_type is not None:
                    entries.setdefault(entry_type, (value_type, bytes(data)))
                entry_type = int(line.split()[-1], 16)
                data = bytearray()
                in_value = False
            elif line.startswith("Value type:"):
                value_type = int(line.split()[-1], 16)
            elif line.startswith("Value:"):
                in_value = True
            elif in_value and line.startswith("0x") and ":" in line:
                hex_part = line[12:12 + 48]
                data.extend(int(tok, 16) for tok in hex_part.split())
            elif not line.strip():
                in_value = False
    if entry_type is not None:
        entries.setdefault(entry_type, (value_type, bytes(data)))
    return entries


def decode_string(value_type, data):
    if value_type == 0x1F:
        return data.decode("utf-16-le", errors="replace").rstrip("\0")
    return data.decode("latin-1").rstrip("\0")


def count(export_root):
    result = []
    for dirpath, dirnames, filenames in os.walk(export_root):
        if "ItemValues.txt" not in filenames:
            continue
        values = parse_item_values(os.path.join(dirpath, "ItemValues.txt"))
        if 0x3613 not in values:
            continue
        container_class = decode_string(*values[0x3613])
        if not container_class.startswith("IPF.Appointment"):
            continue
        items = 0
        for child in dirnames:
            child_values = os.path.join(dirpath, child, "ItemValues.txt")
            if os.path.exists(child_values) and 0x001A in parse_item_values(child_values):
                items += 1
        content_count = None
        if 0x3602 in values:
            content_count = int.from_bytes(values[0x3602][1][:4], "little")
        result.append((os.path.relpath(dirpath, export_root), container_class, items, content_count))
    return sorted(result)


def main():
    source_dir = sys.argv[1]
    for name in sorted(os.listdir(source_dir)):
        if not name.lower().endswith((".pst", ".ost")):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            target = os.path.join(tmp, "x")
            subprocess.run(["pffexport", "-d", "-m", "items", "-f", "text", "-q", "-t", target,
                            os.path.join(source_dir, name)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            folders = count(target + ".export")
        total = sum(f[2] for f in folders)
        print(f"{name}: {total} item(s) in {len(folders)} calendar folder(s)")
        for path, container_class, items, content_count in folders:
            print(f"    /{path} [{container_class}] items={items} PidTagContentCount={content_count}")


if __name__ == "__main__":
    main()
