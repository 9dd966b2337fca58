#!/usr/bin/env python3
"""Counts, with pffexport alone, the contacts, distribution lists and tasks each PST/OST keeps.

How the expected table in pst_items_reader_realdata_test.cpp was obtained:
  pffexport -d -m items -f all -q -t <tmp>/<name> <file>
With -d pffexport writes ItemValues.txt (the raw property dump) beside every exported folder and
item. A folder is a contact folder when its PidTagContainerClass (0x3613) starts with
"IPF.Contact", a task folder when it starts with "IPF.Task". Its items are its direct child
directories whose ItemValues.txt carries a PidTagMessageClass (0x001a); they are counted by
that class: IPM.Contact*, IPM.DistList*, IPM.Task*, other. PidTagContentCount (0x3602) is
printed beside it as a cross-check.

Usage: pffexport_groupware_counts.py <dir with .pst/.ost files> [existing export dir]
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pffexport_calendar_counts import decode_string, parse_item_values  # noqa: E402


def kind_of(message_class):
    lower = message_class.lower()
    for prefix, kind in (("ipm.contact", "contacts"), ("ipm.distlist", "distlists"), ("ipm.task", "tasks")):
        if lower == prefix or lower.startswith(prefix + "."):
            return kind
    return "other"


def count(export_root):
    result = []
    for dirpath, dirnames, filenames in os.walk(export_root):
        if "ItemValues.txt" not in filenames:
            continue
        values = parse_item_values(os.path.join(dirpath, "ItemValues.txt"))
        if 0x3613 not in values:
            continue
        container_class = decode_string(*values[0x3613])
        if not container_class.lower().startswith(("ipf.contact", "ipf.task")):
            continue
        kinds = {"contacts": 0, "distlists": 0, "tasks": 0, "other": 0}
        for child in dirnames:
            child_values = os.path.join(dirpath, child, "ItemValues.txt")
            if not os.path.exists(child_values):
                continue
            item = parse_item_values(child_values)
            if 0x001A in item:
                kinds[kind_of(decode_string(*item[0x001A]))] += 1
        content_count = None
        if 0x3602 in values:
            content_count = int.from_bytes(values[0x3602][1][:4], "little")
        result.append((os.path.relpath(dirpath, export_root), container_class, kinds, content_count))
    return sorted(result, key=lambda r: r[0])


def report(name, folders):
    totals = {"contacts": 0, "distlists": 0, "tasks": 0, "other": 0}
    for _, _, kinds, _ in folders:
        for key, value in kinds.items():
            totals[key] += value
    print(f"{name}: {len(folders)} folder(s) {totals}")
    for path, container_class, kinds, content_count in folders:
        print(f"    /{path} [{container_class}] {kinds} PidTagContentCount={content_count}")


def main():
    source_dir = sys.argv[1]
    existing = sys.argv[2] if len(sys.argv) > 2 else None
    for name in sorted(os.listdir(source_dir)):
        if not name.lower().endswith((".pst", ".ost")):
            continue
        if existing:
            report(name, count(os.path.join(existing, name + ".export")))
            continue
        with tempfile.TemporaryDirectory() as tmp:
            target = os.path.join(tmp, "x")
            subprocess.run(["pffexport", "-d", "-m", "items", "-f", "all", "-q", "-t", target,
                            os.path.join(source_dir, name)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            report(name, count(target + ".export"))


if __name__ == "__main__":
    main()
