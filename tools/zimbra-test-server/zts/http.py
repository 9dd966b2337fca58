"""The threaded HTTP/1.1 (optionally TLS) server: SOAP endpoints plus the /test/ JSON API."""

from __future__ import annotations

import json
import socket
import ssl
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional

from . import handlers  # noqa: F401 - registers the SOAP handlers
from .dispatcher import ADMIN_ENDPOINT, USER_ENDPOINT, Dispatcher
from .test_api import ApiError, account_state, apply_control
from .uploads import UPLOAD_PATH, handle_upload

MAX_BODY_BYTES = 64 * 1024 * 1024
SOAP_PATHS = {ADMIN_ENDPOINT: ADMIN_ENDPOINT, ADMIN_ENDPOINT + "/": ADMIN_ENDPOINT,
              USER_ENDPOINT: USER_ENDPOINT, USER_ENDPOINT + "/": USER_ENDPOINT}


class ZimbraHttpServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address, state, tls_context: Optional[ssl.SSLContext]):
        self.state = state
        self.dispatcher = Dispatcher(state)
        self.tls_context = tls_context
        super().__init__(address, RequestHandler)

    def handle_error(self, request, client_address):
        # A client that hangs up or rejects the certificate is not a server bug: one line.
        error = sys.exc_info()[1]
        if isinstance(error, (ssl.SSLError, ConnectionError, socket.timeout)):
            sys.stderr.write(f"{client_address[0]} connection error: {error}\n")
        else:
            super().handle_error(request, client_address)

    def get_request(self):
        connection, address = self.socket.accept()
        # Headers and body go out as two writes; without TCP_NODELAY, Nagle holds the body until
        # the client's delayed ACK (~40 ms), which would dominate every timing taken against us.
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.tls_context is not None:
            # Handshake lazily in the worker thread, so a slow client cannot stall accept().
            connection = self.tls_context.wrap_socket(connection, server_side=True,
                                                      do_handshake_on_connect=False)
        return connection, address


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"   # keep-alive
    server_version = "ZimbraTestServer/1.0"
    timeout = 120                   # idle keep-alive connections give their thread back

    def setup(self):
        super().setup()
        if isinstance(self.connection, ssl.SSLSocket):
            self.connection.do_handshake()

    # ---- routing -------------------------------------------------------------------------
    def do_POST(self):
        started = time.monotonic()
        path = urllib.parse.urlsplit(self.path).path
        body = self._read_body()
        if body is None:
            return
        if path in SOAP_PATHS:
            self._handle_soap(SOAP_PATHS[path], body, started)
        elif path in (UPLOAD_PATH, UPLOAD_PATH + "/"):
            status, answer = handle_upload(self.server.state, urllib.parse.urlsplit(self.path).query,
                                           self.headers, body)
            self._send(status, answer, "text/plain; charset=utf-8", started, f"upload {len(body)} bytes")
        elif path == "/test/control":
            self._handle_json(lambda: apply_control(self.server.state, _json_body(body)), started)
        else:
            self._send(404, b"not found\n", "text/plain; charset=utf-8", started, "-")

    def do_GET(self):
        started = time.monotonic()
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        state = self.server.state
        if url.path == "/test/state":
            name = (query.get("account") or [""])[0]
            self._handle_json(lambda: (200, account_state(state, name)), started)
        elif url.path == "/test/requests":
            since = int((query.get("since") or ["0"])[0] or 0)
            self._handle_json(lambda: (200, {"requests": state.control.requests(since)}), started)
        elif url.path == "/test/health":
            self._handle_json(lambda: (200, {"ok": True, "mode": state.config.mode}), started)
        else:
            self._send(404, b"not found\n", "text/plain; charset=utf-8", started, "-")

    # ---- SOAP ----------------------------------------------------------------------------
    def _handle_soap(self, endpoint: str, body: bytes, started: float) -> None:
        result = self.server.dispatcher.dispatch(endpoint, body, self.headers.get("Cookie"))
        note = f"{result.request_name} account={result.account or '-'}"
        if result.fault_code:
            note += f" fault={result.fault_code}"
        if result.fault_reason:
            note += f" reason={result.fault_reason[:400]!r}"
        if result.drop_connection:
            self._log_line(started, "DROP", note)
            self._drop_connection()
            return
        self._send(result.http_status, result.body, result.content_type, started, note)

    def _drop_connection(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # ---- JSON ----------------------------------------------------------------------------
    def _handle_json(self, produce, started: float) -> None:
        try:
            status, payload = produce()
        except ApiError as error:
            status, payload = error.status, {"ok": False, "error": str(error)}
        data = json.dumps(payload, indent=1, sort_keys=False).encode("utf-8")
        self._send(status, data, "application/json; charset=utf-8", started, self.path)

    # ---- plumbing ------------------------------------------------------------------------
    def _read_body(self) -> Optional[bytes]:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._send(413, b"request too large\n", "text/plain; charset=utf-8", time.monotonic(), "-")
            return None
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes:
        parts = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline()

    def _send(self, status: int, body: bytes, content_type: str, started: float, note: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self._log_line(started, str(status), note)

    def _log_line(self, started: float, status: str, note: str) -> None:
        elapsed_ms = (time.monotonic() - started) * 1000
        sys.stderr.write(f"{self.client_address[0]} {self.command} {self.path} {status} "
                         f"{elapsed_ms:.1f}ms {note}\n")

    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        pass  # one line per request is written by _log_line

    def log_error(self, format, *args):  # noqa: A002
        sys.stderr.write(f"{self.address_string()} error: {format % args}\n")


def _json_body(body: bytes):
    try:
        return json.loads(body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ApiError(400, f"invalid JSON: {error}")


def make_tls_context(cert_file: str, key_file: str) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_file, key_file)
    return context
