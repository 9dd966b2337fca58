"""Contacts and contact groups: CreateContactRequest, GetContactsRequest, Zimbra's limits."""

import os
import unittest
from xml.sax.saxutils import escape, quoteattr

import soap_bodies as body
from support import USER, USER1, ServerTestCase


def create_contact(attrs, folder="7", members=(), tags=None):
    cn = f"l={quoteattr(folder)}" + (f" tn={quoteattr(tags)}" if tags else "")
    parts = "".join(f"<a n={quoteattr(n)}>{escape(v)}</a>" for n, v in attrs)
    parts += "".join(f"<m type={quoteattr(t)} value={quoteattr(v)}/>" for t, v in members)
    return f'<CreateContactRequest xmlns="urn:zimbraMail"><cn {cn}>{parts}</cn></CreateContactRequest>'


def get_contacts(folder=None):
    folder_attribute = f" l={quoteattr(folder)}" if folder else ""
    return f'<GetContactsRequest xmlns="urn:zimbraMail"{folder_attribute}/>'


class ContactTest(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.token = self.server.user_token()

    def soap(self, xml):
        return self.server.soap(USER, xml, self.token)

    def test_contact_round_trip_keeps_attributes_and_gets_ids_from_257(self):
        reply = self.soap(create_contact([("firstName", "Jane"), ("lastName", "Doe"),
                                          ("email", "jane@example.com"), ("birthday", "1980-02-29")],
                                         tags="Family"))
        self.assertOk(reply, "CreateContactResponse")
        cn = reply.first("//mail:cn")
        # The first user item of a fresh mailbox is 257; "Last, First" is Zimbra's default file-as.
        self.assertEqual((cn.get("id"), cn.get("l"), cn.get("fileAsStr")), ("257", "7", "Doe, Jane"))
        got = self.soap(get_contacts("7"))
        self.assertOk(got, "GetContactsResponse")
        attrs = {a.get("n"): a.text for a in got.xpath("//mail:cn/mail:a")}
        self.assertEqual(attrs, {"firstName": "Jane", "lastName": "Doe", "email": "jane@example.com",
                                 "birthday": "1980-02-29"})
        state = self.server.state(USER1)["contacts"]
        self.assertEqual(len(state), 1)
        self.assertEqual((state[0]["id"], state[0]["folder"], state[0]["tags"]), (257, "/Contacts", "Family"))

    def test_group_members_inline_and_contact_refs(self):
        self.soap(create_contact([("fullName", "Bob")]))
        reply = self.soap(create_contact([("type", "group"), ("fileAs", "8:Team"), ("nickname", "Team")],
                                         members=[("C", "257"), ("I", '"Ann" <ann@example.com>')]))
        self.assertOk(reply, "CreateContactResponse")
        self.assertEqual(reply.first("//mail:cn").get("fileAsStr"), "Team")
        got = self.soap(get_contacts())
        members = [(m.get("type"), m.get("value")) for m in got.xpath('//mail:cn[@id="258"]/mail:m')]
        self.assertEqual(members, [("C", "257"), ("I", '"Ann" <ann@example.com>')])

    def test_member_of_a_contact_that_is_not_there_is_refused(self):
        reply = self.soap(create_contact([("type", "group")], members=[("C", "999")]))
        self.assertFault(reply, "mail.NO_SUCH_CONTACT")

    def test_members_need_a_group(self):
        self.assertFault(self.soap(create_contact([("fullName", "x")], members=[("I", "a@b.c")])),
                         "service.INVALID_REQUEST")

    def test_more_than_1000_fields_is_contact_too_big(self):
        attrs = [(f"custom{i}", "v") for i in range(1001)]
        self.assertFault(self.soap(create_contact(attrs)), "mail.CONTACT_TOO_BIG")
        self.assertOk(self.soap(create_contact(attrs[:1000])), "CreateContactResponse")

    def test_contacts_only_in_contact_folders(self):
        self.assertFault(self.soap(create_contact([("fullName", "x")], folder="10")), "mail.CANNOT_CONTAIN")
        self.assertFault(self.soap(create_contact([("fullName", "x")], folder="999")), "mail.NO_SUCH_FOLDER")
        created = self.server.soap(USER, body.create_folder("Friends", parent="7", view="contact"), self.token)
        folder = created.first("//mail:folder").get("id")
        self.assertOk(self.soap(create_contact([("fullName", "x")], folder=folder)), "CreateContactResponse")
        self.assertEqual(len(self.soap(get_contacts(folder)).xpath("//mail:cn")), 1)
        self.assertEqual(len(self.soap(get_contacts("7")).xpath("//mail:cn")), 0)

    def test_uploads_are_not_taken(self):
        xml = ('<CreateContactRequest xmlns="urn:zimbraMail"><cn l="7"><a n="image" aid="x"/></cn>'
               '</CreateContactRequest>')
        self.assertFault(self.soap(xml), "mail.NO_SUCH_UPLOAD")


class TooManyContactsTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        os.environ["ZTS_MAX_CONTACTS"] = "2"
        try:
            super().setUpClass()
        finally:
            del os.environ["ZTS_MAX_CONTACTS"]

    def test_the_mailbox_limit_is_too_many_contacts(self):
        token = self.server.user_token()
        for name in ("a", "b"):
            self.assertOk(self.server.soap(USER, create_contact([("fullName", name)]), token),
                          "CreateContactResponse")
        self.assertFault(self.server.soap(USER, create_contact([("fullName", "c")]), token),
                         "mail.TOO_MANY_CONTACTS")


if __name__ == "__main__":
    unittest.main()
