"""Starts the Zimbra SOAP test server over HTTPS and runs the mapi2zimbra CLI against it."""
import json
import os
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
