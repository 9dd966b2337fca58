"""Checks the one-way dependencies between the libraries under src/ and that each C library is
included by its one adapter only (DEVELOPERS.md, STYLE.md): a reader never includes a Zimbra
header, the writer never includes libpff."""
import os
import re
import sys

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "src")

# Which of our libraries each library may include (itself always allowed).
ALLOWED = {
    "model": set(),
    "readers/mapi": {"model"},
    "readers/pst": {"model", "readers/mapi"},
    "readers/msg": {"model", "readers/mapi"},
    "readers/ics": {"model"},
    "readers/ews": {"model", "xml"},
    "readers/exchange-shell": {"model", "xml"},
    "readers/detect": {"model"},
    "readers/vcf": {"model"},
    "normalize": {"model"},
    "xml": {"model"},
    "zimbra": {"model", "xml"},
    "audit": {"model", "xml"},
    "report": {"model", "xml", "audit"},
    "state": {"model"},
    "pipeline": {"model", "readers/mapi", "readers/pst", "readers/msg", "readers/ics", "readers/ews", "readers/vcf",
                 "readers/exchange-shell", "readers/detect", "normalize",
                 "xml", "zimbra", "audit", "state", "report"},
}
# C library headers and the only folder allowed to include them.
ADAPTERS = {
    r"libpff[./]": "readers/pst",
    r"libolecf[./]": "readers/msg",
    r"libical/": "readers/ics",
    r"curl/": ("zimbra", "report"),  # report: SMTP for mailing user reports
    r"xercesc/": "xml",
    r"sqlite3\.h": "state",
    r"libpq": "state",
}

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)


def library_of(relative_path):
    for library in sorted(ALLOWED, key=len, reverse=True):
        if relative_path.startswith(library + "/"):
            return library
    return None


def main():
    problems = []
    for folder, _, files in os.walk(SRC):
        for name in files:
            if not name.endswith((".h", ".cpp")):
                continue
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, SRC)
            library = library_of(relative)
            if library is None:
                problems.append("%s: not in a known library" % relative)
                continue
            for included in INCLUDE.findall(open(path, encoding="utf-8").read()):
                target = library_of(included)
                if target and target != library and target not in ALLOWED[library]:
                    problems.append("%s includes %s: %s may not depend on %s" % (relative, included, library, target))
                for pattern, owner in ADAPTERS.items():
                    owners = owner if isinstance(owner, tuple) else (owner,)
                    if re.match(pattern, included) and library not in owners:
                        problems.append("%s includes %s: only %s may" % (relative, included, " or ".join(owners)))
    for problem in problems:
        print(problem)
    print("%d passed, %d failed" % (0 if problems else 1, 1 if problems else 0))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
