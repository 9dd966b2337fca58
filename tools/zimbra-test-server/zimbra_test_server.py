#!/usr/bin/python3
"""Zimbra SOAP test server for mapi2zimbra's tests (see README.md beside this file).

  /usr/bin/python3 zimbra_test_server.py --host 127.0.0.1 --port 0 --port-file F \\
      [--tls-cert C --tls-key K] [--schemas DIR] --admin-user admin@test.local \\
      --admin-password secret --account user1@test.local[:password] [--account ...] \\
      [--mode strict|lenient] [--max-uid-bytes 255]
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from zts.http import ZimbraHttpServer, make_tls_context  # noqa: E402
from zts.state import (DEFAULT_SCHEMA_FOLDER, DEFAULT_USER_PASSWORD, ServerConfig,  # noqa: E402
                       ServerState, default_shared_dir)


def parse_arguments(argv):
    shared = default_shared_dir()
    parser = argparse.ArgumentParser(description="Zimbra SOAP test server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--port-file", help="written with the port number once listening")
    parser.add_argument("--tls-cert", help="PEM certificate; with --tls-key serves HTTPS")
    parser.add_argument("--tls-key", help="PEM private key")
    parser.add_argument("--schemas", default=os.path.join(shared, "zimbra-schemas", DEFAULT_SCHEMA_FOLDER),
                        help="folder with zimbraAdmin.xsd, zimbraMail.xsd, zimbraAccount.xsd, zimbra.xsd")
    parser.add_argument("--timezones", default=os.path.join(shared, "zimbra-docs", "timezones-test.ics"),
                        help="Zimbra's time zone table (timezones.ics)")
    parser.add_argument("--admin-user", default="admin@test.local")
    parser.add_argument("--admin-password", default="secret")
    parser.add_argument("--account", action="append", default=[], metavar="NAME[:PASSWORD]",
                        help=f"mailbox account to create at start (password default "
                             f"{DEFAULT_USER_PASSWORD!r}); repeatable")
    parser.add_argument("--mode", choices=("strict", "lenient"), default="strict",
                        help="strict: request bodies must validate as sent; lenient: normalise "
                             "them as the real server parses them first (README: leniencies)")
    parser.add_argument("--max-uid-bytes", type=int, default=255)
    parser.add_argument("--mail-host", default="localhost", help="value of zimbraMailHost")
    arguments = parser.parse_args(argv)
    if bool(arguments.tls_cert) != bool(arguments.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    return arguments


def build_config(arguments) -> ServerConfig:
    accounts = []
    for spec in arguments.account:
        name, _, password = spec.partition(":")
        accounts.append((name, password or DEFAULT_USER_PASSWORD))
    timezones = arguments.timezones if os.path.isfile(arguments.timezones) else None
    if timezones is None:
        sys.stderr.write(f"warning: no time zone table at {arguments.timezones}; only UTC and "
                         f"zones defined in requests are known\n")
    return ServerConfig(admin_user=arguments.admin_user, admin_password=arguments.admin_password,
                        accounts=accounts, schemas_dir=arguments.schemas,
                        timezones_file=timezones, mode=arguments.mode,
                        max_uid_bytes=arguments.max_uid_bytes, mail_host=arguments.mail_host)


def write_port_file(path: str, port: int) -> None:
    # Write then rename, so a test polling for the file never reads it half-written.
    temporary = f"{path}.tmp{os.getpid()}"
    with open(temporary, "w", encoding="ascii") as handle:
        handle.write(f"{port}\n")
    os.replace(temporary, path)


def main(argv=None) -> int:
    arguments = parse_arguments(argv)
    state = ServerState(build_config(arguments))
    tls = make_tls_context(arguments.tls_cert, arguments.tls_key) if arguments.tls_cert else None
    server = ZimbraHttpServer((arguments.host, arguments.port), state, tls)
    port = server.server_address[1]
    stop = threading.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda *_: stop.set())
    worker = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              name="http", daemon=True)
    worker.start()
    scheme = "https" if tls else "http"
    sys.stderr.write(f"zimbra-test-server: {scheme}://{arguments.host}:{port} mode={arguments.mode} "
                     f"schemas={arguments.schemas} zones={len(state.zones)}\n")
    if arguments.port_file:
        write_port_file(arguments.port_file, port)
    while not stop.wait(0.5):
        pass
    sys.stderr.write("zimbra-test-server: shutting down\n")
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
