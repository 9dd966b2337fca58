"""End to end: batch runs on the state store, under kill -9.

- Three `worker` processes share one PostgreSQL state with 50 planned accounts; one is killed
  with SIGKILL mid-run. Every account must end done, and the test server must hold exactly the
  source items of each account, of every kind (appointments, contacts, lists, tasks, rules):
  nothing missing, nothing twice.
- `migrate --state` is killed with SIGKILL at 20 seeded random moments; a re-run must converge
  to exactly the source, of every kind, and `status` must count right.
Expected item counts come from pffexport (tests/e2e/pffexport_oracle.py) and, for what pffexport
cannot see (folder-associated items, rules), MANIFEST.md; never from our reader.
"""
import json
import os
import random
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import e2e_support as support
import pffexport_oracle as oracle
import postgres_support
from test_calendar_migration import expected_runs

PST_DIR = os.path.join(support.SHARED_DIR, "testdata", "pst")
SOURCES = [os.path.join(PST_DIR, name) for name in (
    "aspose-net__Test_part1.pst", "pstreader__hughbe_Outlook.pst", "java-libpst__dist-list.pst",
    "go-pst__32-bit.pst", "aspose-net__Outlook.pst", "aspose-net__SampleOstFile.ost")]
WORKER_ACCOUNTS = 50
KILL_SEEDS = 20
KINDS = ("appointment", "contact", "distlist", "task", "rule")


def expected_of(sources):
    """What migrating `sources` into an empty account ends with: every item of every kind that
    is carried (a recurring series as one appointment), by kind; and the run's totals of
    items carried and skipped (unreadable, outside calendars), as `status` counts them."""
    run = expected_runs(sources)
    held = {kind: run["by_kind"].get(kind, {}).get("created", 0) for kind in KINDS}
    return {"held": held,
            "carried": sum(row["created"] for row in run["by_kind"].values()),
            "skipped": sum(row["skipped"] for row in run["by_kind"].values())}


EXPECTED = {path: expected_of([path]) for path in SOURCES}


def server_options(server, password_file):
    return ["--server", server.admin_url, "--admin-user", support.ADMIN_USER,
            "--admin-password-file", password_file, "--ca-file", server.cert,
            "--schemas", support.SCHEMAS, "--no-progress", "--max-requests-per-second", "0"]


class BatchRunTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.workdir = tempfile.mkdtemp(prefix="m2z-batch-")
        accounts = ["w%d@test.local" % i for i in range(WORKER_ACCOUNTS)]
        accounts += ["k%d@test.local" % i for i in range(KILL_SEEDS)] + ["ctrlc@test.local"]
        cls.server = support.TestServer(accounts)
        cls.password_file = os.path.join(cls.workdir, "admin-password")
        with open(cls.password_file, "w") as handle:
            handle.write(support.ADMIN_PASSWORD + "\n")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.workdir, ignore_errors=True)

    def cli(self, *arguments, timeout=300):
        return subprocess.run([support.CLI, *arguments], capture_output=True, text=True, timeout=timeout)

    def assert_server_holds_exactly(self, account, expected):
        """Every kind: as many items as the source carries, each once (appointments and tasks
        by UID, contacts and groups by their source fingerprint, rules by name)."""
        held = support.inventory(self.server.state(account))
        for kind in KINDS:
            self.assertEqual(len(held[kind]), len(set(held[kind])),
                             "duplicate %s in %s: %s" % (kind, account, held[kind]))
            self.assertNotIn("", held[kind], "a %s in %s without its source key" % (kind, account))
        self.assertEqual({kind: len(held[kind]) for kind in KINDS}, expected["held"], account)

    def items_on_server(self, account):
        state = self.server.state(account)
        return len(state["appointments"]) + len(state["contacts"]) + len(state["tasks"]) + len(state["filterRules"])

    def assert_status_counts(self, items, expected, context):
        self.assertEqual(items["pending"], 0, context)
        self.assertEqual(items["failed"], 0, context)
        self.assertEqual(items["created"] + items["already_present"], expected["carried"], context)
        self.assertEqual(items["skipped"], expected["skipped"], context)

    def test_three_workers_on_postgresql_survive_one_killed(self):
        postgres = postgres_support.PostgresServer()
        try:
            state = postgres.url()
            plan = os.path.join(self.workdir, "plan.csv")
            expected = {}
            with open(plan, "w") as handle:
                handle.write("account,sources,target\n")
                for i in range(WORKER_ACCOUNTS):
                    source = SOURCES[i % len(SOURCES)]
                    handle.write("acct%02d,%s,w%d@test.local\n" % (i, source, i))
                    expected["w%d@test.local" % i] = EXPECTED[source]
            planned = self.cli("plan", plan, "--state", state)
            self.assertEqual(planned.returncode, 0, planned.stderr)
            self.assertIn("50 added", planned.stdout)

            audit_dir = os.path.join(self.workdir, "audit-workers")
            workers = [subprocess.Popen([support.CLI, "worker", "--state", state, "--lease-seconds", "5",
                                         "--worker-id", "w%d" % n, "--audit-dir", audit_dir,
                                         *server_options(self.server, self.password_file)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                       for n in range(3)]
            # Kill the first worker once it has finished at least one account, i.e. mid-run.
            deadline = time.time() + 120
            while time.time() < deadline:
                status = json.loads(self.cli("status", "--state", state, "--json").stdout)
                if any(a["status"] == "done" and a["worker"] == "" for a in status) and \
                        any(a["status"] in ("writing", "reading") and a["worker"] == "w0" for a in status):
                    break
                time.sleep(0.05)
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait()
            for worker in workers[1:]:
                _, errors = worker.communicate(timeout=600)
                self.assertEqual(worker.returncode, 0, errors)

            status = json.loads(self.cli("status", "--state", state, "--json").stdout)
            self.assertEqual(len(status), WORKER_ACCOUNTS)
            # The killed worker's account was taken over by another worker once its lease expired.
            self.assertTrue(any(a["attempts"] >= 2 for a in status), status)
            for account in status:
                self.assertEqual(account["status"], "done", account)
                self.assert_status_counts(account["items"], expected[account["target"]], account)
            for target, counts in expected.items():
                self.assert_server_holds_exactly(target, counts)
        finally:
            postgres.stop()

    def test_kill_at_random_points_then_rerun_converges(self):
        sources = [SOURCES[0], SOURCES[1], SOURCES[2]]
        expected = expected_of(sources)
        total = sum(expected["held"].values())
        partial_runs = 0
        for seed in range(KILL_SEEDS):
            with self.subTest(seed=seed):
                account = "k%d@test.local" % seed
                state = os.path.join(self.workdir, "kill-%d.sqlite" % seed)
                rng = random.Random(seed)
                # Kill once the server holds a seeded number of this run's items (of any kind),
                # plus a seeded delay of up to 30 ms: the kill lands between or inside requests,
                # whatever the machine's speed (0 items: before the first create, e.g.
                # mid-authentication).
                wanted = rng.randint(0, total - 1)
                extra_delay = rng.uniform(0, 0.03)
                process = subprocess.Popen(self.migrate_command(account, sources, state, "killed-%d" % seed),
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                deadline = time.time() + 60
                while process.poll() is None and time.time() < deadline:
                    if self.items_on_server(account) >= wanted:
                        break
                    time.sleep(0.002)
                time.sleep(extra_delay)
                process.send_signal(signal.SIGKILL)
                process.wait()
                after_kill = self.items_on_server(account)
                partial_runs += 0 < after_kill < total
                rerun = self.run_migrate(account, sources, state, "rerun-%d" % seed)
                # Exit 2: all accounted for, with the sources' unreadable items skipped.
                self.assertEqual(rerun.returncode, 2, rerun.stdout + rerun.stderr)
                self.assertIn("all accounted for: yes", rerun.stdout)
                self.assert_server_holds_exactly(account, expected)
                status = json.loads(self.cli("status", "--state", state, "--json").stdout)
                self.assertEqual(len(status), 1)
                self.assert_status_counts(status[0]["items"], expected, status)
        # The kills must really have landed mid-run for this test to mean anything.
        self.assertGreaterEqual(partial_runs, KILL_SEEDS // 2)

    def test_ctrl_c_stops_after_the_current_item_and_a_rerun_resumes(self):
        sources = [SOURCES[0], SOURCES[1], SOURCES[2]]
        expected = expected_of(sources)
        account = "ctrlc@test.local"
        self.server.post_json("/test/control", {"faults": [{"kind": "delay", "ms": 150, "account": account,
                                                            "request": "SetAppointmentRequest", "count": -1}]})
        state = os.path.join(self.workdir, "ctrl-c.sqlite")
        process = subprocess.Popen(self.migrate_command(account, sources, state, "interrupted"),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        while time.time() < deadline and len(self.server.state(account)["appointments"]) < 2:
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)
        output, errors = process.communicate(timeout=60)
        self.server.post_json("/test/control", {"clear_faults": True})
        # Stopped early, said so, and left no item in doubt: what was sent was recorded.
        self.assertEqual(process.returncode, 1, output + errors)
        self.assertIn("STOPPED EARLY", output)
        self.assertIn("all accounted for: yes", output)
        status = json.loads(self.cli("status", "--state", state, "--json").stdout)
        self.assertEqual(status[0]["items"]["pending"], 0, status)
        done_before = status[0]["items"]["created"]
        self.assertGreater(done_before, 0)
        self.assertLess(done_before, expected["carried"])
        rerun = self.run_migrate(account, sources, state, "resumed")
        self.assertEqual(rerun.returncode, 2, rerun.stdout + rerun.stderr)
        self.assertIn("all accounted for: yes", rerun.stdout)
        self.assert_server_holds_exactly(account, expected)
        items = json.loads(self.cli("status", "--state", state, "--json").stdout)[0]["items"]
        self.assert_status_counts(items, expected, items)

    def migrate_command(self, account, sources, state, run_id):
        command = [support.CLI, "migrate", "--account", account, "--state", state, "--run-id", run_id,
                   "--audit-dir", os.path.join(self.workdir, "audit-kill"),
                   *server_options(self.server, self.password_file)]
        for source in sources:
            command += ["--source", source]
        return command

    def run_migrate(self, account, sources, state, run_id):
        return subprocess.run(self.migrate_command(account, sources, state, run_id), capture_output=True, text=True,
                              timeout=300)


if __name__ == "__main__":
    unittest.main()
