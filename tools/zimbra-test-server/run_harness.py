#!/usr/bin/python3
"""Runs Zimbra's QA scripts (zimbra-soap-harness) against the test server in lenient mode.

Every script is scanned first: one that sends a request the server does not implement, or uses
a harness step this runner does not support, is reported as skipped with the reason.  The others
run; a script passes when each of its test cases passes.  The last line is exactly
"N passed, M failed, K skipped" (scripts).  The exit code is 0 whatever the scripts' results
(this is a report); it is non-zero only when the runner itself breaks.
"""

from __future__ import annotations

import argparse
import glob
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from typing import Dict, List

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from harness.properties import Properties  # noqa: E402
from harness.script import ScriptResult, ScriptRunner, SoapClient, scan_script  # noqa: E402
from zts import handlers  # noqa: E402,F401 - fills the registry
from zts.dispatcher import REGISTRY  # noqa: E402
from zts.state import default_shared_dir  # noqa: E402

ADMIN_USER, ADMIN_PASSWORD = "admin@test.local", "test123"
DEFAULT_PASSWORD = "test123"


def global_properties(host: str) -> Dict[str, str]:
    """What the harness's global.properties provides, for this server."""
    return {
        "admin.user": ADMIN_USER, "admin.password": ADMIN_PASSWORD,
        "defaultdomain.name": "test.local", "defaultpassword.value": DEFAULT_PASSWORD,
        "zimbraServer.name": host, "server.zimbraAdmin": host, "server.zimbraAccount": host,
        "globals.root": "1", "globals.inbox": "2", "globals.trash": "3", "globals.spam": "4",
        "globals.sent": "5", "globals.drafts": "6", "globals.contacts": "7",
        "globals.calendar": "10", "globals.autocontacts": "13", "globals.chats": "14",
        "globals.tasks": "15", "globals.briefcase": "16", "globals.true": "TRUE",
        "globals.false": "FALSE",
    }


class ServerProcess:
    def __init__(self, shared_dir: str, log_path: str):
        self.workdir = tempfile.mkdtemp(prefix="zts-harness-")
        port_file = os.path.join(self.workdir, "port")
        self._log = open(log_path, "w")
        self.process = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(HERE, "zimbra_test_server.py"), "--host", "127.0.0.1",
             "--port", "0", "--port-file", port_file, "--mode", "lenient",
             "--admin-user", ADMIN_USER, "--admin-password", ADMIN_PASSWORD,
             "--schemas", os.path.join(shared_dir, "zimbra-schemas", "zcs8-2014a"),
             "--timezones", os.path.join(shared_dir, "zimbra-docs", "timezones-test.ics")],
            stdout=self._log, stderr=self._log)
        deadline = time.monotonic() + 30
        while not os.path.exists(port_file):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"test server did not start; see {log_path}")
            time.sleep(0.05)
        with open(port_file) as handle:
            self.port = int(handle.read())

    def reset(self) -> None:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/test/control",
                                         data=json.dumps({"reset": True}).encode(), method="POST")
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)
        self._log.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


def run_scripts(scripts: List[str], root: str, server: ServerProcess, verbose: bool) -> List[ScriptResult]:
    implemented = set(REGISTRY)
    counter = itertools.count(1)
    results = []
    for path in scripts:
        relative = os.path.relpath(path, root)
        missing = scan_script(path).missing(implemented)
        if missing:
            results.append(ScriptResult(relative, "skipped", missing))
            continue
        server.reset()
        client = SoapClient("127.0.0.1", server.port)
        try:
            cases = ScriptRunner(client, Properties(global_properties("localhost"), counter)).run(path)
        finally:
            client.close()
        results.append(ScriptResult.from_cases(relative, cases))
        if verbose:
            print_script(results[-1], verbose=True)
    return results


def print_script(result: ScriptResult, verbose: bool) -> None:
    label = {"pass": "PASS", "fail": "FAIL", "skipped": "SKIP"}[result.status]
    if result.status == "skipped" and not result.cases:
        print(f"{label} {result.path}: uses {', '.join(result.reasons)}")
        return
    if result.status == "skipped":
        print(f"{label} {result.path}: {', '.join(result.reasons)}")
        return
    counts = {s: sum(1 for c in result.cases if c.status == s) for s in ("pass", "fail", "skipped")}
    print(f"{label} {result.path}: test cases {counts['pass']} passed, {counts['fail']} failed, "
          f"{counts['skipped']} skipped")
    for case in result.cases:
        if case.status == "fail" or verbose:
            print(f"    {case.status:7} {case.id}")
            for problem in case.problems[:4] if case.status == "fail" else case.problems:
                print(f"        {problem}")


def main(argv=None) -> int:
    shared = default_shared_dir()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--harness-dir", default=os.path.join(shared, "zimbra-soap-harness"))
    parser.add_argument("--only", action="append", default=[],
                        help="run only scripts whose path contains this text (repeatable)")
    parser.add_argument("--hide-skipped", action="store_true",
                        help="do not list the scripts that were not run")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--server-log", default=os.path.join(tempfile.gettempdir(), "zts-harness-server.log"))
    parser.add_argument("--json", help="also write the results to this JSON file")
    arguments = parser.parse_args(argv)

    root = arguments.harness_dir
    scripts = sorted(glob.glob(os.path.join(root, "**", "*.xml"), recursive=True))
    if arguments.only:
        scripts = [s for s in scripts if any(o in s for o in arguments.only)]
    if not scripts:
        print(f"no QA scripts found under {root}")
        print("0 passed, 0 failed, 0 skipped")
        return 0
    server = ServerProcess(shared, arguments.server_log)
    try:
        results = run_scripts(scripts, root, server, arguments.verbose)
    finally:
        server.stop()

    ran = [r for r in results if r.cases]
    not_run = [r for r in results if not r.cases]
    if not arguments.verbose:
        for result in ran:
            print_script(result, verbose=False)
    if not arguments.hide_skipped:
        print(f"-- {len(not_run)} scripts not run: they use requests or harness steps the "
              f"server/runner does not implement --")
        for result in not_run:
            print_script(result, verbose=False)
    skipped = [r for r in results if r.status == "skipped"]
    if arguments.json:
        with open(arguments.json, "w") as handle:
            json.dump([r.__dict__ | {"cases": [c.__dict__ for c in r.cases]} for r in results],
                      handle, indent=1)
    passed = sum(r.status == "pass" for r in results)
    failed = sum(r.status == "fail" for r in results)
    print(f"{passed} passed, {failed} failed, {len(skipped)} skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
