"""HTTPS with a generated certificate, keep-alive, SOAP 1.1, fault format, options, shutdown."""

import os
import shutil
import signal
import ssl
import subprocess
import unittest
import urllib.error
import urllib.request

from lxml import etree

import soap_bodies as body
from support import (ADMIN, ADMIN_PASSWORD, ADMIN_USER, SCHEMAS_DIR, SERVER_DIR, SOAP11, USER,
                     ServerTestCase, TestServer, shared_material_available)


class HttpsTest(ServerTestCase):
    tls = True

    def test_client_verifying_against_the_generated_cert_talks_soap(self):
        token = self.server.user_token()
        reply = self.server.soap(USER, body.create_folder("Over TLS"), token)
        self.assertOk(reply, "CreateFolderResponse")

    def test_keep_alive_reuses_one_connection(self):
        connection = self.server.connection(fresh=True)
        try:
            for _ in range(3):
                connection.request("GET", "/test/health")
                reply = connection.getresponse()
                reply.read()
                self.assertEqual(reply.status, 200)
                self.assertNotEqual(reply.getheader("Connection"), "close")
            self.assertIsNotNone(connection.sock)
        finally:
            connection.close()

    def test_certificate_names_localhost_and_127_0_0_1(self):
        for host in ("127.0.0.1", "localhost"):
            context = ssl.create_default_context(cafile=self.server.cert)
            with urllib.request.urlopen(f"https://{host}:{self.server.port}/test/health",
                                        context=context, timeout=10) as answer:
                self.assertEqual(answer.status, 200)

    def test_unverified_client_is_refused_by_default_trust(self):
        context = ssl.create_default_context()   # system CAs only
        with self.assertRaises(urllib.error.URLError):
            urllib.request.urlopen(f"https://127.0.0.1:{self.server.port}/test/health",
                                   context=context, timeout=10)


class FaultFormatTest(ServerTestCase):
    def test_soap12_fault_shape(self):
        reply = self.server.soap(USER, '<GetFolderRequest xmlns="urn:zimbraMail"/>')
        self.assertEqual(reply.status, 500)
        self.assertEqual(reply.first("//soap:Fault/soap:Code/soap:Value").text, "soap:Sender")
        self.assertTrue(reply.first("//soap:Fault/soap:Reason/soap:Text").text)
        self.assertEqual(reply.first("//soap:Fault/soap:Detail/z:Error/z:Code").text,
                         "service.AUTH_REQUIRED")

    def test_soap11_request_gets_soap11_answers(self):
        reply = self.server.soap(ADMIN, body.admin_auth(ADMIN_USER, ADMIN_PASSWORD), soap_ns=SOAP11)
        self.assertEqual(reply.status, 200)
        self.assertEqual(etree.QName(reply.root).namespace, SOAP11)
        fault = self.server.soap(ADMIN, body.admin_auth(ADMIN_USER, "bad"), soap_ns=SOAP11)
        self.assertEqual(fault.status, 500)
        self.assertEqual(fault.first("//soap11:Fault/soap11:faultcode").text, "soap:Client")
        self.assertEqual(fault.first("//soap11:Fault/soap11:detail/z:Error/z:Code").text,
                         "account.AUTH_FAILED")


@unittest.skipUnless(shared_material_available(), "Zimbra schemas not available")
class ResponsesValidateTest(ServerTestCase):
    """The server's own answers are checked against the response elements of the same XSDs."""

    def test_responses(self):
        import sys
        sys.path.insert(0, SERVER_DIR)
        from zts.schemas import SchemaSet
        schemas = SchemaSet(SCHEMAS_DIR)
        token = self.server.user_token()
        replies = [
            self.server.soap(ADMIN, body.admin_auth(ADMIN_USER, ADMIN_PASSWORD)),
            self.server.soap(USER, body.create_folder("Valid"), token),
            self.server.soap(USER, '<GetFolderRequest xmlns="urn:zimbraMail"/>', token),
            self.server.soap(USER, body.set_appointment(), token),
            self.server.soap(USER, '<GetAppointmentRequest xmlns="urn:zimbraMail" uid="m2z-uid-0001"/>',
                             token),
        ]
        for reply in replies:
            with self.subTest(response=etree.QName(reply.response).localname):
                self.assertEqual(schemas.validate(reply.response), [])


class OptionsAndShutdownTest(unittest.TestCase):
    def test_max_uid_bytes_option_and_clean_sigterm(self):
        if not shared_material_available():
            self.skipTest("Zimbra schemas not available")
        server = TestServer(extra_args=("--max-uid-bytes", "10"))
        try:
            token = server.user_token()
            self.assertEqual(server.soap(USER, body.set_appointment(uid="0123456789"), token).status, 200)
            reply = server.soap(USER, body.set_appointment(uid="0123456789a"), token)
            self.assertEqual(reply.fault_code, "service.FAILURE")
        finally:
            server._connection and server._connection.close()
            server.process.send_signal(signal.SIGTERM)
            code = server.process.wait(timeout=10)
            server._log.close()
        self.assertEqual(code, 0)
        with open(server.log_path) as log:
            lines = log.read()
        shutil.rmtree(server.workdir, ignore_errors=True)
        self.assertIn("SetAppointmentRequest", lines)   # one log line per request
        self.assertIn("shutting down", lines)

    def test_bad_tls_arguments_are_refused(self):
        result = subprocess.run(["/usr/bin/python3", os.path.join(SERVER_DIR, "zimbra_test_server.py"),
                                 "--tls-cert", "only-cert.pem"], capture_output=True, timeout=30)
        self.assertNotEqual(result.returncode, 0)


if __name__ == "__main__":
    unittest.main()
