"""A private PostgreSQL server on loopback for one test run (Debian's postgresql package).

initdb refuses to run as root, so as root the server runs as the `postgres` system user in a
temporary folder it owns; trust authentication is used because it listens on 127.0.0.1 only
and lives for the test alone.
"""
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile


def _binaries():
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if all(os.access(os.path.join(folder, tool), os.X_OK) for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    raise RuntimeError("PostgreSQL server binaries not found: apt-get install postgresql")


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    def __init__(self):
        self.bin = _binaries()
        self.dir = tempfile.mkdtemp(prefix="m2z-pg-e2e-")
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
        os.chmod(self.dir, 0o700)
        self._run([os.path.join(self.bin, "initdb"), "-D", os.path.join(self.dir, "data"), "-U", "m2z",
                   "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
        self.port = _free_port()
        options = ("-c listen_addresses=127.0.0.1 -p %d -c unix_socket_directories=%s -c fsync=off "
                   "-c full_page_writes=off -c max_connections=60" % (self.port, self.dir))
        self._run([os.path.join(self.bin, "pg_ctl"), "-D", os.path.join(self.dir, "data"), "-l",
                   os.path.join(self.dir, "server.log"), "-w", "-t", "30", "-o", options, "start"])
        self.running = True
        self._run([os.path.join(self.bin, "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "m2z",
                   "-d", "postgres", "-c", "CREATE DATABASE m2z"])

    def _run(self, command):
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--"] + command
        subprocess.run(command, check=True, cwd="/", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)

    def url(self):
        return "postgresql://m2z@127.0.0.1:%d/m2z" % self.port

    def stop(self):
        if self.running:
            try:
                self._run([os.path.join(self.bin, "pg_ctl"), "-D", os.path.join(self.dir, "data"), "-m", "immediate",
                           "-w", "stop"])
            finally:
                self.running = False
        shutil.rmtree(self.dir, ignore_errors=True)
