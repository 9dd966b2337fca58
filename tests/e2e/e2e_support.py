"""Starts the Zimbra SOAP test server over HTTPS and runs the mapi2zimbra CLI against it."""
import json
import os
import re
import shutil
import ssl
import subprocess
import tempfile
import time
import urllib.request

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED_DIR = os.environ.get("M2Z_SHARED_DIR", os.path.join(os.path.dirname(SOURCE_DIR), "shared"))
CLI = os.environ.get("M2Z_CLI", os.path.join(SOURCE_DIR, "build", "dev", "tools", "mapi2zimbra", "mapi2zimbra"))
SERVER_DIR = os.path.join(SOURCE_DIR, "tools", "zimbra-test-server")
SCHEMAS = os.path.join(SHARED_DIR, "zimbra-schemas", "zcs8-2014a")
ADMIN_USER = "admin@test.local"
ADMIN_PASSWORD = "e2e-admin-password-do-not-log"


class TestServer:
    """One test server on a free loopback port, with its own self-signed certificate."""

    def __init__(self, accounts):
        self.workdir = tempfile.mkdtemp(prefix="m2z-e2e-")
        subprocess.run([os.path.join(SERVER_DIR, "make-test-cert.sh"), self.workdir], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.cert = os.path.join(self.workdir, "test-server.crt")
        port_file = os.path.join(self.workdir, "port")
        command = ["/usr/bin/python3", os.path.join(SERVER_DIR, "zimbra_test_server.py"),
                   "--host", "127.0.0.1", "--port", "0", "--port-file", port_file,
                   "--tls-cert", self.cert, "--tls-key", os.path.join(self.workdir, "test-server.key"),
                   "--schemas", SCHEMAS, "--admin-user", ADMIN_USER, "--admin-password", ADMIN_PASSWORD]
        for account in accounts:
            command += ["--account", account]
        self.log = open(os.path.join(self.workdir, "server.log"), "w")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while time.time() < deadline:
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            if self.process.poll() is not None:
                raise RuntimeError("test server exited: " + open(os.path.join(self.workdir, "server.log")).read())
            time.sleep(0.05)
        else:
            raise RuntimeError("test server did not start")
        self.port = int(open(port_file).read().strip())
        self.base = "https://127.0.0.1:%d" % self.port
        self.admin_url = self.base + "/service/admin/soap"
        self.ssl_context = ssl.create_default_context(cafile=self.cert)

    def get_json(self, path):
        with urllib.request.urlopen(self.base + path, context=self.ssl_context, timeout=30) as response:
            return json.load(response)

    def post_json(self, path, payload):
        request = urllib.request.Request(self.base + path, data=json.dumps(payload).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, context=self.ssl_context, timeout=30) as response:
            return json.load(response)

    def state(self, account):
        return self.get_json("/test/state?account=" + urllib.request.quote(account))

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


def run_migrate(server, sources, account, audit_dir, run_id, extra=()):
    password_file = os.path.join(server.workdir, "admin-password")
    with open(password_file, "w") as handle:
        handle.write(ADMIN_PASSWORD + "\n")
    command = [CLI, "migrate", "--account", account, "--server", server.admin_url,
               "--admin-user", ADMIN_USER, "--admin-password-file", password_file,
               "--ca-file", server.cert, "--schemas", SCHEMAS, "--audit-dir", audit_dir,
               "--run-id", run_id, "--no-progress", *extra]
    for source in sources:
        command += ["--source", source]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


# --- The multi-kind summary and the server's state per kind -------------------------------------

KIND_COLUMNS = ("seen", "created", "already_present", "skipped", "failed")


def kind_counts(stdout):
    """The "by kind (seen/created/already there/skipped/failed):" table of a migrate summary, as
    {kind: {"seen": n, ...}}; a kind the run never met has no row."""
    counts = {}
    lines = stdout.splitlines()
    if "by kind (seen/created/already there/skipped/failed):" not in lines:
        return counts
    start = lines.index("by kind (seen/created/already there/skipped/failed):") + 1
    for line in lines[start:]:
        match = re.fullmatch(r"  ([\w.-]+): (\d+)/(\d+)/(\d+)/(\d+)/(\d+)", line)
        if not match:
            break
        counts[match.group(1)] = dict(zip(KIND_COLUMNS, (int(n) for n in match.groups()[1:])))
    return counts


def kind_row(stdout, kind):
    """One row of the by-kind table; all zero when the run met no item of that kind."""
    return kind_counts(stdout).get(kind, dict.fromkeys(KIND_COLUMNS, 0))


def problems(stdout):
    """The "items needing attention:" lines as (outcome, item, reason) tuples."""
    found = []
    for line in stdout.splitlines():
        match = re.fullmatch(r"  \[(\w+)\] (.+?#.+?)(?: \".*\")?: ([\w.]+): (.*)", line)
        if match:
            found.append((match.group(1), match.group(2), match.group(3)))
    return found


def rule_names(state):
    """The names of the account's incoming filter rules (the test server keeps them as XML)."""
    names = []
    for rule in state["filterRules"]:
        match = re.search(r'\bname="([^"]*)"', rule)
        names.append(match.group(1) if match else rule)
    return names


def inventory(state):
    """What an account holds per kind, keyed so that a duplicate shows: appointments and tasks by
    UID, contacts and groups by the mapi2zimbraSource fingerprint the migration stamps on them,
    rules by name. Each value is a sorted list, so two copies of one key stay visible."""
    contacts = [c for c in state["contacts"] if c["attrs"].get("type") != "group"]
    groups = [c for c in state["contacts"] if c["attrs"].get("type") == "group"]
    return {
        "appointment": sorted(a["uid"] for a in state["appointments"]),
        "contact": sorted(c["attrs"].get("mapi2zimbraSource", "") for c in contacts),
        "distlist": sorted(g["attrs"].get("mapi2zimbraSource", "") for g in groups),
        "task": sorted(t["uid"] for t in state["tasks"]),
        "rule": sorted(rule_names(state)),
    }
