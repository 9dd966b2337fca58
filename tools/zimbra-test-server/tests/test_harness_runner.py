"""The QA-script runner's own pieces: ${...} expressions and t:select semantics."""

import os
import sys
import tempfile
import unittest

from lxml import etree

from support import SERVER_DIR

sys.path.insert(0, SERVER_DIR)
from harness.properties import Properties  # noqa: E402
from harness.script import scan_script  # noqa: E402
from harness.select import check_selects  # noqa: E402

T = "urn:zimbraTestHarness"
RESPONSE = etree.fromstring(
    '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>'
    '<GetApptSummariesResponse xmlns="urn:zimbraMail">'
    '<appt id="257" d="3600000"><inst s="100"/><inst s="200"/></appt>'
    '<appt id="258" d="60000"><inst s="300"/></appt>'
    '</GetApptSummariesResponse></soap:Body></soap:Envelope>')


def selects(xml):
    root = etree.fromstring(f'<t:response xmlns:t="{T}">{xml}</t:response>')
    return [c for c in root if isinstance(c.tag, str)]


class ExpressionTest(unittest.TestCase):
    def test_nested_time_expressions(self):
        properties = Properties({"start": "1263830400000"})   # 2010-01-18T16:00:00Z
        self.assertEqual(properties.resolve("${TIME(-8h)[${start}]}"), "1263801600000")
        self.assertEqual(properties.resolve("${ICALTIME(+1d)(+2h)[${start}]}"), "20100119T180000")
        self.assertEqual(properties.resolve("${CURRDATE[${start}]}"), "20100118")
        self.assertEqual(properties.resolve("${TIME[${start}]}"), "1263830400000")

    def test_counter_and_undefined_properties(self):
        properties = Properties()
        self.assertEqual(properties.resolve("a${COUNTER}b${COUNTER}"), "a1b2")
        self.assertEqual(properties.resolve("x${not.defined}y"), "x${not.defined}y")
        properties.set("p", "v")
        self.assertEqual(properties.resolve("${p}${COUNTER}"), "v3")


class SelectTest(unittest.TestCase):
    def check(self, xml, properties=None):
        return check_selects(selects(xml), RESPONSE, properties or Properties())

    def test_match_is_a_whole_value_regex(self):
        self.assertTrue(self.check('<t:select path="//mail:appt" attr="d" match="3600000"/>').passed)
        self.assertFalse(self.check('<t:select path="//mail:appt" attr="d" match="36"/>').passed)
        self.assertTrue(self.check('<t:select path="//mail:appt" attr="d" match="36.*"/>').passed)

    def test_emptyset(self):
        self.assertTrue(self.check('<t:select path="//mail:inst" attr="s" match="150" emptyset="1"/>').passed)
        self.assertFalse(self.check('<t:select path="//mail:inst" attr="s" match="200" emptyset="1"/>').passed)

    def test_nested_selects_need_one_node_passing_all(self):
        passing = ('<t:select path="//mail:appt"><t:select attr="d" match="60000"/>'
                   '<t:select path="mail:inst" attr="s" match="300"/></t:select>')
        failing = ('<t:select path="//mail:appt"><t:select attr="d" match="60000"/>'
                   '<t:select path="mail:inst" attr="s" match="100"/></t:select>')
        self.assertTrue(self.check(passing).passed)
        self.assertFalse(self.check(failing).passed)

    def test_set_stores_the_value(self):
        properties = Properties()
        self.check('<t:select path="//mail:appt" attr="id" set="appt.id"/>', properties)
        self.assertEqual(properties.get("appt.id"), "257")

    def test_missing_node_fails(self):
        self.assertFalse(self.check('<t:select path="//mail:nothing"/>').passed)


class ScanTest(unittest.TestCase):
    def test_scan_reports_requests_and_unsupported_steps(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "s.xml")
            with open(path, "w") as handle:
                handle.write(f'<t:tests xmlns:t="{T}"><t:test_case testcaseid="x"><t:test><t:request>'
                             '<SendMsgRequest xmlns="urn:zimbraMail"/></t:request></t:test>'
                             '<t:resttest/></t:test_case></t:tests>')
            needs = scan_script(path)
            self.assertEqual(needs.requests, {("urn:zimbraMail", "SendMsgRequest")})
            missing = needs.missing(set())
            self.assertIn("request SendMsgRequest (urn:zimbraMail)", missing)
            self.assertIn("harness step t:resttest", missing)


if __name__ == "__main__":
    unittest.main()
