"""Folders: Zimbra's system folder ids, user ids from 257, fie, and the MailItem name rules."""

import unittest

import soap_bodies as body
from support import USER, USER1, ServerTestCase

# Zimbra's system folders (Mailbox.ID_FOLDER_*), as listed in the task and Zimbra's sources.
SYSTEM_FOLDERS = {1: "USER_ROOT", 2: "Inbox", 3: "Trash", 4: "Junk", 5: "Sent", 6: "Drafts",
                  7: "Contacts", 10: "Calendar", 13: "Emailed Contacts", 14: "Chats", 15: "Tasks",
                  16: "Briefcase"}


class FolderTest(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.token = self.server.user_token()

    def create(self, *args, **kwargs):
        return self.server.soap(USER, body.create_folder(*args, **kwargs), self.token)

    def test_system_folders_exist_with_their_ids(self):
        reply = self.server.soap(USER, '<GetFolderRequest xmlns="urn:zimbraMail"/>', self.token)
        self.assertOk(reply, "GetFolderResponse")
        root = reply.first("//mail:GetFolderResponse/mail:folder")
        self.assertEqual(root.get("id"), "1")
        found = {int(f.get("id")): f.get("name") for f in reply.xpath("//mail:folder")}
        self.assertEqual(found, SYSTEM_FOLDERS)
        calendar = reply.first('//mail:folder[@id="10"]')
        self.assertEqual((calendar.get("view"), calendar.get("absFolderPath"), calendar.get("l")),
                         ("appointment", "/Calendar", "1"))
        state_ids = {f["id"] for f in self.server.state(USER1)["folders"]}
        self.assertEqual(state_ids, set(SYSTEM_FOLDERS))

    def test_user_folders_start_at_257_and_increase(self):
        first = self.create("Migrated")
        self.assertOk(first, "CreateFolderResponse")
        folder = first.first("//mail:CreateFolderResponse/mail:folder")
        self.assertEqual((folder.get("id"), folder.get("name"), folder.get("l"), folder.get("view")),
                         ("257", "Migrated", "1", "appointment"))
        second = self.create("Sub", parent="257")
        self.assertEqual(second.first("//mail:folder").get("id"), "258")
        self.assertEqual(second.first("//mail:folder").get("absFolderPath"), "/Migrated/Sub")
        state = {f["id"]: f for f in self.server.state(USER1)["folders"]}
        self.assertEqual((state[258]["parentId"], state[258]["path"], state[258]["view"]),
                         (257, "/Migrated/Sub", "appointment"))

    def test_duplicate_name_fails_unless_fie(self):
        self.create("Team")
        self.assertFault(self.create("Team"), "mail.ALREADY_EXISTS")
        self.assertFault(self.create("team"), "mail.ALREADY_EXISTS")   # case-insensitive
        again = self.create("Team", fie=True)
        self.assertOk(again, "CreateFolderResponse")
        self.assertEqual(again.first("//mail:folder").get("id"), "257")
        # A system folder name under the root is taken too.
        self.assertFault(self.create("Calendar"), "mail.ALREADY_EXISTS")
        self.assertEqual(self.create("Calendar", fie=True).first("//mail:folder").get("id"), "10")

    def test_invalid_names(self):
        for name in ("a/b", "a:b", 'a"b', "a\tb", "a\rb", "a\nb", ".", "..", "", "x" * 256):
            with self.subTest(name=name):
                self.assertFault(self.create(name), "mail.INVALID_NAME")
        self.assertOk(self.create("x" * 255), "CreateFolderResponse")

    def test_unknown_parent(self):
        self.assertFault(self.create("Orphan", parent="999"), "mail.NO_SUCH_FOLDER")

    def test_name_as_full_path_without_parent(self):
        reply = self.create("/Archive/2024", parent=None)
        self.assertOk(reply, "CreateFolderResponse")
        self.assertEqual(reply.first("//mail:folder").get("absFolderPath"), "/Archive/2024")
        paths = {f["path"] for f in self.server.state(USER1)["folders"]}
        self.assertTrue({"/Archive", "/Archive/2024"} <= paths)

    def test_get_folder_subtree_by_path(self):
        self.create("Migrated")
        self.create("Sub", parent="257")
        reply = self.server.soap(USER, '<GetFolderRequest xmlns="urn:zimbraMail">'
                                       '<folder path="/Migrated"/></GetFolderRequest>', self.token)
        self.assertEqual([f.get("name") for f in reply.xpath("//mail:folder")], ["Migrated", "Sub"])


if __name__ == "__main__":
    unittest.main()
