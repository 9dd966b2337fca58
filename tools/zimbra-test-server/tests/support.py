"""Test helpers: run the server as a subprocess (as the C++ tests do) and talk SOAP/JSON to it."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
from typing import Optional, Tuple

from lxml import etree

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER_DIR = os.path.dirname(HERE)
SERVER_SCRIPT = os.path.join(SERVER_DIR, "zimbra_test_server.py")
CERT_SCRIPT = os.path.join(SERVER_DIR, "make-test-cert.sh")
PYTHON = "/usr/bin/python3"

sys.path.insert(0, SERVER_DIR)
from zts.state import default_shared_dir  # noqa: E402

SHARED_DIR = default_shared_dir()
SCHEMAS_DIR = os.path.join(SHARED_DIR, "zimbra-schemas", "zcs8-2014a")

SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
NS = {"soap": SOAP12, "soap11": SOAP11, "z": "urn:zimbra", "admin": "urn:zimbraAdmin",
      "acct": "urn:zimbraAccount", "mail": "urn:zimbraMail"}

ADMIN = "/service/admin/soap"
USER = "/service/soap"
ADMIN_USER, ADMIN_PASSWORD = "admin@test.local", "secret"
USER1, USER2, USER_PASSWORD = "user1@test.local", "user2@test.local", "pw-user"


def shared_material_available() -> bool:
    return os.path.isfile(os.path.join(SCHEMAS_DIR, "zimbraMail.xsd"))


class SoapReply:
    def __init__(self, status: int, body: bytes):
        self.status = status
        self.body = body
        self.root = etree.fromstring(body) if body.strip().startswith(b"<") else None

    def xpath(self, path: str):
        return self.root.xpath(path, namespaces=NS)

    def first(self, path: str):
        found = self.xpath(path)
        return found[0] if found else None

    @property
    def fault_code(self) -> Optional[str]:
        code = self.first("//z:Error/z:Code")
        return code.text if code is not None else None

    @property
    def fault_reason(self) -> Optional[str]:
        reason = self.first("//soap:Fault/soap:Reason/soap:Text")
        return reason.text if reason is not None else None

    @property
    def response(self):
        return self.first("/soap:Envelope/soap:Body/*")


class TestServer:
    """The server on a free port in a subprocess; HTTPS when `tls` is set."""

    def __init__(self, tls: bool = False, mode: str = "strict", extra_args=()):
        self.tls = tls
        self.workdir = tempfile.mkdtemp(prefix="zts-test-")
        self.port_file = os.path.join(self.workdir, "port")
        self.cert = None
        arguments = [PYTHON, SERVER_SCRIPT, "--host", "127.0.0.1", "--port", "0",
                     "--port-file", self.port_file, "--admin-user", ADMIN_USER,
                     "--admin-password", ADMIN_PASSWORD,
                     "--account", f"{USER1}:{USER_PASSWORD}", "--account", f"{USER2}:{USER_PASSWORD}",
                     "--mode", mode, *extra_args]
        if tls:
            subprocess.run(["sh", CERT_SCRIPT, self.workdir], check=True, stdout=subprocess.DEVNULL)
            self.cert = os.path.join(self.workdir, "test-server.crt")
            arguments += ["--tls-cert", self.cert, "--tls-key", os.path.join(self.workdir, "test-server.key")]
        self.log_path = os.path.join(self.workdir, "server.log")
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(arguments, stdout=self._log, stderr=self._log)
        self.port = self._wait_for_port()
        self._connection = None

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if os.path.exists(self.port_file):
                with open(self.port_file) as handle:
                    return int(handle.read())
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{open(self.log_path).read()}")
            time.sleep(0.05)
        raise RuntimeError("server did not write its port file")

    def stop(self) -> int:
        if self._connection is not None:
            self._connection.close()
        self.process.terminate()
        code = self.process.wait(timeout=10)
        self._log.close()
        shutil.rmtree(self.workdir, ignore_errors=True)
        return code

    # ---- HTTP ----------------------------------------------------------------------------
    def connection(self, fresh: bool = False) -> http.client.HTTPConnection:
        if fresh or self._connection is None:
            if self.tls:
                context = ssl.create_default_context(cafile=self.cert)
                connection = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=30,
                                                         context=context)
            else:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            if fresh:
                return connection
            self._connection = connection
        return self._connection

    def request(self, method: str, path: str, body: bytes = b"", headers=None) -> Tuple[int, bytes]:
        headers = dict(headers or {})
        for attempt in range(2):
            connection = self.connection()
            try:
                connection.request(method, path, body=body, headers=headers)
                reply = connection.getresponse()
                return reply.status, reply.read()
            except (http.client.HTTPException, ConnectionError):
                self._connection.close()
                self._connection = None
                if attempt:
                    raise

    def soap(self, endpoint: str, body_xml: str, token: Optional[str] = None,
             account: Optional[str] = None, account_by: str = "name",
             soap_ns: str = SOAP12) -> SoapReply:
        header = ""
        if token or account:
            parts = [f"<authToken>{token}</authToken>" if token else ""]
            if account:
                parts.append(f'<account by="{account_by}">{account}</account>')
            header = f'<soap:Header><context xmlns="urn:zimbra">{"".join(parts)}</context></soap:Header>'
        envelope = (f'<soap:Envelope xmlns:soap="{soap_ns}">{header}'
                    f"<soap:Body>{body_xml}</soap:Body></soap:Envelope>")
        content_type = "application/soap+xml" if soap_ns == SOAP12 else "text/xml"
        status, data = self.request("POST", endpoint, envelope.encode("utf-8"),
                                    {"Content-Type": content_type})
        return SoapReply(status, data)

    def get_json(self, path: str):
        status, data = self.request("GET", path)
        return status, json.loads(data)

    def control(self, payload: dict):
        status, data = self.request("POST", "/test/control", json.dumps(payload).encode(),
                                    {"Content-Type": "application/json"})
        return status, json.loads(data)

    def state(self, account: str) -> dict:
        status, data = self.get_json(f"/test/state?account={account}")
        assert status == 200, data
        return data

    # ---- SOAP shortcuts --------------------------------------------------------------------
    def admin_token(self) -> str:
        reply = self.soap(ADMIN, f'<AuthRequest xmlns="urn:zimbraAdmin" name="{ADMIN_USER}" '
                                 f'password="{ADMIN_PASSWORD}"/>')
        assert reply.status == 200, reply.body
        return reply.first("//admin:authToken").text

    def user_token(self, name: str = USER1, password: str = USER_PASSWORD) -> str:
        reply = self.soap(USER, '<AuthRequest xmlns="urn:zimbraAccount">'
                                f'<account by="name">{name}</account>'
                                f"<password>{password}</password></AuthRequest>")
        assert reply.status == 200, reply.body
        return reply.first("//acct:authToken").text


class ServerTestCase(unittest.TestCase):
    """One server per test class; every test starts from the server's initial state."""
    tls = False
    mode = "strict"
    extra_args = ()
    server: TestServer

    @classmethod
    def setUpClass(cls):
        if not shared_material_available():
            raise unittest.SkipTest(f"Zimbra schemas not found under {SHARED_DIR}")
        cls.server = TestServer(tls=cls.tls, mode=cls.mode, extra_args=cls.extra_args)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        status, _ = self.server.control({"reset": True})
        self.assertEqual(status, 200)

    # ---- assertions ------------------------------------------------------------------------
    def assertFault(self, reply: SoapReply, code: str, sender: bool = True):
        """Zimbra's fault format (soap.txt): HTTP 500, soap:Fault with Code/Value, Reason/Text
        and Detail/Error(urn:zimbra)/Code."""
        self.assertEqual(reply.status, 500, reply.body)
        self.assertEqual(reply.fault_code, code, reply.body)
        value = reply.first("//soap:Fault/soap:Code/soap:Value")
        self.assertEqual(value.text, "soap:Sender" if sender else "soap:Receiver")
        self.assertTrue(reply.fault_reason)

    def assertOk(self, reply: SoapReply, response_name: str):
        self.assertEqual(reply.status, 200, reply.body)
        self.assertEqual(etree.QName(reply.response).localname, response_name, reply.body)
