"""End to end: --batch-size (issue 5, "Speed").

A real PST migrated with --batch-size 10 must leave the server exactly as --batch-size 1 does
(the same items, the same content, each once), with the look-ups and creates going out as
BatchRequests; a re-run finds everything already there. Expected counts come from pffexport
(pffexport_oracle via test_calendar_migration.expected_runs), never from our reader.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import e2e_support as support
from test_calendar_migration import expected_runs

PST_DIR = os.path.join(support.SHARED_DIR, "testdata", "pst")
PST = os.path.join(PST_DIR, "aspose-net__Test_part1.pst")
PARALLEL_SOURCES = [os.path.join(PST_DIR, name) for name in (
    "aspose-net__Test_part1.pst", "pstreader__hughbe_Outlook.pst", "java-libpst__dist-list.pst",
    "go-pst__32-bit.pst", "aspose-net__Outlook.pst")]
PARALLEL_ACCOUNTS = 6
KINDS = ("appointment", "contact", "distlist", "task", "rule")
# Item ids and change numbers are the server's own bookkeeping, different per account.
VOLATILE = {"id", "invId", "calItemId", "rev", "ms", "modified", "md", "folderId", "compNum"}


def without_ids(value):
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    if isinstance(value, str):
        # The test server keeps raw XML as lxml serialises it, with whatever namespace
        # declarations were in scope (soap: for a lone request, none inside a batch): not content.
        return re.sub(r' xmlns:\w+="[^"]*"', "", value)
    return value


class BatchSpeedTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = support.TestServer(["one@test.local", "ten@test.local", "drop@test.local", "kill@test.local"] +
                                        ["p%d@test.local" % i for i in range(PARALLEL_ACCOUNTS)])
        cls.audit_dir = tempfile.mkdtemp(prefix="m2z-batch-speed-")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.audit_dir, ignore_errors=True)

    def requests_named(self, name):
        return [r for r in self.server.get_json("/test/requests")["requests"] if r["name"] == name]

    def test_batch_size_10_leaves_the_same_server_state_as_1(self):
        before = len(self.requests_named("BatchRequest"))
        one = support.run_migrate(self.server, [PST], "one@test.local", self.audit_dir, "one",
                                  ["--batch-size", "1"])
        self.assertIn(one.returncode, (0, 2), one.stderr)
        self.assertEqual(len(self.requests_named("BatchRequest")), before)  # size 1: as before
        ten = support.run_migrate(self.server, [PST], "ten@test.local", self.audit_dir, "ten",
                                  ["--batch-size", "10"])
        self.assertIn(ten.returncode, (0, 2), ten.stderr)
        self.assertGreater(len(self.requests_named("BatchRequest")), before)

        expected = expected_runs([PST])["by_kind"]
        self.assertEqual(support.kind_counts(one.stdout), support.kind_counts(ten.stdout))
        self.assertEqual(support.kind_row(ten.stdout, "appointment")["created"],
                         expected["appointment"]["created"])
        state_one = self.server.state("one@test.local")
        state_ten = self.server.state("ten@test.local")
        held_one, held_ten = support.inventory(state_one), support.inventory(state_ten)
        for kind in KINDS:
            self.assertEqual(held_ten[kind], held_one[kind], kind)
            self.assertEqual(len(held_ten[kind]), len(set(held_ten[kind])), "duplicate " + kind)
        by_uid = lambda state: sorted((without_ids(a) for a in state["appointments"]), key=lambda a: a["uid"])
        self.assertEqual(by_uid(state_ten), by_uid(state_one))

        # A re-run finds every appointment by UID in batches and creates nothing.
        again = support.run_migrate(self.server, [PST], "ten@test.local", self.audit_dir, "ten-again",
                                    ["--batch-size", "10"])
        self.assertIn(again.returncode, (0, 2), again.stderr)
        self.assertEqual(support.kind_row(again.stdout, "appointment")["created"], 0)
        self.assertEqual(support.inventory(self.server.state("ten@test.local")), held_ten)

    def expected_appointments(self):
        return expected_runs([PST])["by_kind"]["appointment"]["created"]

    def assert_appointments_once(self, account):
        uids = support.inventory(self.server.state(account))["appointment"]
        self.assertEqual(len(uids), len(set(uids)), "duplicate appointment in " + account)
        self.assertEqual(len(uids), self.expected_appointments(), account)

    def test_answer_of_a_committed_batch_lost_leaves_no_duplicates(self):
        # The server stores the first batch of creates, then drops the connection: the client
        # looks each of its items up by UID instead of sending the batch again.
        self.server.post_json("/test/control", {"faults": [{"kind": "drop_after_commit", "count": 1,
                                                            "request": "SetAppointmentRequest"}]})
        workdir = tempfile.mkdtemp(prefix="m2z-drop-")
        try:
            run = support.run_migrate(self.server, [PST], "drop@test.local", self.audit_dir, "drop",
                                      ["--batch-size", "10", "--state", os.path.join(workdir, "s.sqlite")])
            self.assertIn(run.returncode, (0, 2), run.stdout + run.stderr)
            self.assertEqual(support.kind_row(run.stdout, "appointment")["failed"], 0, run.stdout)
            injected = [r for r in self.server.get_json("/test/requests")["requests"]
                        if r.get("injected") == "drop_after_commit"]
            self.assertEqual([r["name"] for r in injected], ["BatchRequest"])
            self.assert_appointments_once("drop@test.local")
        finally:
            self.server.post_json("/test/control", {"clear_faults": True})
            shutil.rmtree(workdir, ignore_errors=True)

    def test_killed_mid_batch_resumes_from_pending_without_duplicates(self):
        # The batch of creates is held 3 s before the server touches it; the process is killed
        # then, with its items recorded pending. The re-run looks them up and creates each once.
        self.server.post_json("/test/control", {"faults": [{"kind": "delay", "ms": 3000, "count": 1,
                                                            "request": "SetAppointmentRequest"}]})
        workdir = tempfile.mkdtemp(prefix="m2z-kill-")
        try:
            state = os.path.join(workdir, "s.sqlite")
            password_file = os.path.join(self.server.workdir, "admin-password")
            with open(password_file, "w") as handle:
                handle.write(support.ADMIN_PASSWORD + "\n")
            command = [support.CLI, "migrate", "--account", "kill@test.local", "--source", PST,
                       "--server", self.server.admin_url, "--admin-user", support.ADMIN_USER,
                       "--admin-password-file", password_file, "--ca-file", self.server.cert,
                       "--schemas", support.SCHEMAS, "--audit-dir", self.audit_dir, "--no-progress",
                       "--batch-size", "10", "--state", state]
            seen_before = len(self.server.get_json("/test/requests")["requests"])
            process = subprocess.Popen(command + ["--run-id", "killed"], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
            deadline = time.time() + 60
            while time.time() < deadline:
                log = self.server.get_json("/test/requests")["requests"][seen_before:]
                if any(r["name"] == "GetAppointmentRequest" and r.get("injected") == "in-batch" for r in log):
                    break
                time.sleep(0.05)
            time.sleep(1.0)  # inside the 3 s hold of the create batch
            process.send_signal(signal.SIGKILL)
            process.wait()
            status = json.loads(subprocess.run([support.CLI, "status", "--state", state, "--json"],
                                               capture_output=True, text=True, timeout=60).stdout)
            self.assertGreater(status[0]["items"]["pending"], 0, status)
            rerun = subprocess.run(command + ["--run-id", "resumed"], capture_output=True, text=True, timeout=600)
            self.assertIn(rerun.returncode, (0, 2), rerun.stdout + rerun.stderr)
            self.assert_appointments_once("kill@test.local")
        finally:
            self.server.post_json("/test/control", {"clear_faults": True})
            shutil.rmtree(workdir, ignore_errors=True)

    def test_batch_size_out_of_range_is_a_usage_error(self):
        run = support.run_migrate(self.server, [PST], "one@test.local", self.audit_dir, "bad",
                                  ["--batch-size", "0"])
        self.assertEqual(run.returncode, 64)
        self.assertIn("--batch-size", run.stderr)

    def test_parallel_3_works_every_account_once(self):
        workdir = tempfile.mkdtemp(prefix="m2z-parallel-")
        try:
            state = os.path.join(workdir, "state.sqlite")
            plan = os.path.join(workdir, "plan.csv")
            expected = {}
            with open(plan, "w") as handle:
                handle.write("account,sources,target\n")
                for i in range(PARALLEL_ACCOUNTS):
                    source = PARALLEL_SOURCES[i % len(PARALLEL_SOURCES)]
                    handle.write("par%d,%s,p%d@test.local\n" % (i, source, i))
                    # What one run leaves in an empty account, from pffexport (not our reader).
                    by_kind = expected_runs([source])["by_kind"]
                    expected["p%d@test.local" % i] = {kind: by_kind.get(kind, {}).get("created", 0)
                                                      for kind in KINDS}
            planned = subprocess.run([support.CLI, "plan", plan, "--state", state],
                                     capture_output=True, text=True, timeout=120)
            self.assertEqual(planned.returncode, 0, planned.stderr)
            password_file = os.path.join(workdir, "admin-password")
            with open(password_file, "w") as handle:
                handle.write(support.ADMIN_PASSWORD + "\n")
            run = subprocess.run([support.CLI, "run", "--state", state, "--parallel", "3", "--batch-size", "10",
                                  "--audit-dir", os.path.join(workdir, "audit"), "--server", self.server.admin_url,
                                  "--admin-user", support.ADMIN_USER, "--admin-password-file", password_file,
                                  "--ca-file", self.server.cert, "--schemas", support.SCHEMAS, "--no-progress",
                                  "--max-requests-per-second", "0"],
                                 capture_output=True, text=True, timeout=600)
            self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
            self.assertIn("accounts: %d done, 0 failed, 0 paused" % PARALLEL_ACCOUNTS, run.stdout)
            status = json.loads(subprocess.run([support.CLI, "status", "--state", state, "--json"],
                                               capture_output=True, text=True, timeout=60).stdout)
            self.assertEqual(len(status), PARALLEL_ACCOUNTS)
            for account in status:
                self.assertEqual(account["status"], "done", account)
                self.assertEqual(account["attempts"], 1, account)  # never taken twice
            for target, counts in expected.items():
                held = support.inventory(self.server.state(target))
                for kind in KINDS:
                    self.assertEqual(len(held[kind]), len(set(held[kind])), "duplicate %s in %s" % (kind, target))
                self.assertEqual({kind: len(held[kind]) for kind in KINDS}, counts, target)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    def test_parallel_out_of_range_is_a_usage_error(self):
        run = subprocess.run([support.CLI, "run", "--parallel", "0", "--server", self.server.admin_url,
                              "--admin-user", support.ADMIN_USER], capture_output=True, text=True, timeout=60)
        self.assertEqual(run.returncode, 64)
        self.assertIn("--parallel", run.stderr)


if __name__ == "__main__":
    unittest.main()
