"""Every request body is validated against the real schemas; lenient mode's rewrites are explicit."""

import os
import sys
import unittest

from lxml import etree

import soap_bodies as body
from support import (ADMIN, ADMIN_PASSWORD, ADMIN_USER, SCHEMAS_DIR, SERVER_DIR, USER, USER1,
                     ServerTestCase, shared_material_available)

sys.path.insert(0, SERVER_DIR)
from zts.lenient import LenientNormaliser  # noqa: E402
from zts.schemas import SchemaSet  # noqa: E402


class StrictValidationTest(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.token = self.server.user_token()

    def test_documented_child_form_of_admin_auth_is_rejected_with_the_schema_error(self):
        # soap-admin.txt shows <name>/<password> children; zimbraAdmin.xsd declares attributes.
        reply = self.server.soap(ADMIN, '<AuthRequest xmlns="urn:zimbraAdmin">'
                                        f'<name>{ADMIN_USER}</name><password>{ADMIN_PASSWORD}</password>'
                                        '</AuthRequest>')
        self.assertFault(reply, "service.INVALID_REQUEST")
        self.assertIn("{urn:zimbraAdmin}name", reply.fault_reason)
        self.assertRegex(reply.fault_reason, r"line \d+")

    def test_wrong_child_order_names_the_element(self):
        # <s> before <or> is the order of the prose docs; the XSD wants <or> first.
        xml = body.set_appointment().replace('<or a="user1@test.local" d="User One"/>', "")
        xml = xml.replace("</comp>", '<or a="user1@test.local"/></comp>')
        reply = self.server.soap(USER, xml, self.token)
        self.assertFault(reply, "service.INVALID_REQUEST")
        self.assertIn("{urn:zimbraMail}or", reply.fault_reason)
        self.assertEqual(self.server.state(USER1)["appointments"], [])

    def test_missing_required_attribute(self):
        xml = body.set_appointment().replace('<inv method="PUBLISH" compNum="0" rsvp="0">', "<inv>")
        reply = self.server.soap(USER, xml, self.token)
        self.assertFault(reply, "service.INVALID_REQUEST")
        self.assertIn("method", reply.fault_reason)

    def test_type_error_in_attribute(self):
        reply = self.server.soap(USER, '<GetApptSummariesRequest xmlns="urn:zimbraMail" s="x" e="1"/>',
                                 self.token)
        self.assertFault(reply, "service.INVALID_REQUEST")
        self.assertIn("'x'", reply.fault_reason)

    def test_malformed_xml_is_a_parse_error(self):
        status, data = self.server.request("POST", USER, b"<soap:Envelope", {})
        self.assertEqual(status, 500)
        self.assertIn(b"service.PARSE_ERROR", data)


class LenientServerTest(ServerTestCase):
    mode = "lenient"

    def test_documented_forms_are_accepted(self):
        reply = self.server.soap(ADMIN, '<AuthRequest xmlns="urn:zimbraAdmin" bugid="1">'
                                        f'<name>{ADMIN_USER}</name><password>{ADMIN_PASSWORD}</password>'
                                        '</AuthRequest>')
        self.assertOk(reply, "AuthResponse")
        token = self.server.user_token()
        # The harness's form: attributes on <inv>, children in the docs' order, <su> child.
        xml = ('<SetAppointmentRequest xmlns="urn:zimbraMail"><default ptst="AC"><m>'
               '<inv uid="lenient-1" type="event" name="Docs form" allDay="0">'
               '<s d="20240311T090000" tz="Europe/Berlin"/><e d="20240311T100000" tz="Europe/Berlin"/>'
               '<or a="user1@test.local"/></inv>'
               '<mp content-type="text/plain"><content>text</content></mp>'
               '<su>Docs form</su></m></default></SetAppointmentRequest>')
        self.assertOk(self.server.soap(USER, xml, token), "SetAppointmentResponse")
        invite = self.server.state(USER1)["appointments"][0]["default"]
        self.assertEqual((invite["name"], invite["subject"]), ("Docs form", "Docs form"))

    def test_lenient_mode_still_rejects_what_the_schema_rejects(self):
        token = self.server.user_token()
        reply = self.server.soap(USER, '<GetApptSummariesRequest xmlns="urn:zimbraMail" s="" e="1"/>',
                                 token)
        self.assertFault(reply, "service.INVALID_REQUEST")


@unittest.skipUnless(shared_material_available(), "Zimbra schemas not available")
class NormaliserTest(unittest.TestCase):
    """The lenient rewrites, one by one, without a server."""

    @classmethod
    def setUpClass(cls):
        cls.schemas = SchemaSet(SCHEMAS_DIR)
        cls.normaliser = LenientNormaliser(cls.schemas)

    def normalise(self, xml):
        element = etree.fromstring(xml)
        notes = self.normaliser.normalise(element)
        return element, notes, self.schemas.validate(element)

    def test_child_elements_become_declared_attributes(self):
        element, notes, errors = self.normalise(
            '<CreateAccountRequest xmlns="urn:zimbraAdmin"><name>a@b</name><password>p</password>'
            '</CreateAccountRequest>')
        self.assertEqual((element.get("name"), element.get("password")), ("a@b", "p"))
        self.assertEqual(errors, [])
        self.assertTrue(all(n.startswith("L1-") for n in notes))

    def test_required_defaults_and_order(self):
        element, notes, errors = self.normalise(
            '<SetAppointmentRequest xmlns="urn:zimbraMail"><default><m><inv>'
            '<tz id="X" stdoff="60"/><comp><s d="20240101T000000" tz="X"/><or a="a@b"/></comp>'
            '</inv></m></default></SetAppointmentRequest>')
        self.assertEqual(errors, [])
        ns = {"m": "urn:zimbraMail"}
        comp = element.find(".//m:comp", ns)
        self.assertEqual((comp.get("method"), comp.get("compNum"), comp.get("rsvp")), ("PUBLISH", "0", "0"))
        self.assertEqual(element.find(".//m:tz", ns).get("dayoff"), "60")
        self.assertEqual([etree.QName(c).localname for c in comp], ["or", "s"])
        self.assertEqual([etree.QName(c).localname for c in element.find(".//m:inv", ns)], ["comp", "tz"])
        self.assertTrue(any(n.startswith("L4-") for n in notes))
        self.assertTrue(any(n.startswith("L5-") for n in notes))

    def test_unknown_elements_are_not_forgiven(self):
        _, _, errors = self.normalise('<GetFolderRequest xmlns="urn:zimbraMail"><bogus/></GetFolderRequest>')
        self.assertTrue(errors)

    def test_modify_filter_rules_is_left_exactly_as_sent(self):
        xml = ('<ModifyFilterRulesRequest xmlns="urn:zimbraMail" bugid="1"><filterRules>'
               '</filterRules></ModifyFilterRulesRequest>')
        element, notes, _ = self.normalise(xml)
        self.assertEqual(notes, [])
        self.assertEqual(element.get("bugid"), "1")


@unittest.skipUnless(shared_material_available(), "Zimbra schemas not available")
class ExampleBodiesValidateInEverySchemaBuild(unittest.TestCase):
    """The request shapes the C++ client copies validate against all three schema builds."""

    def test_examples(self):
        examples = [body.admin_auth(ADMIN_USER, ADMIN_PASSWORD), body.create_folder("X"),
                    body.set_appointment(), body.all_day_appointment(),
                    body.set_appointment(uid="r", recur=body.daily_recurrence(3),
                                         except_xml=body.instance_invite("except", "r", "20240312T090000",
                                                                         "20240312T100000", "20240312T110000"))]
        root = os.path.dirname(SCHEMAS_DIR)
        for build in ("zcs8-2014a", "zcs8-2014b", "carbonio-2023"):
            schemas = SchemaSet(os.path.join(root, build))
            for xml in examples:
                with self.subTest(build=build, xml=xml[:40]):
                    self.assertEqual(schemas.validate(etree.fromstring(xml)), [])


if __name__ == "__main__":
    unittest.main()
