"""One account's mailbox: the folder tree and calendar items, with Zimbra's id rules.

Item ids are shared by all item types of a mailbox, as in Zimbra: the system folders have fixed
ids below 257 and every item the user creates (folder, appointment) takes the next id from 257.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import uuid
from typing import Dict, Iterator, List, Optional

from . import soap

FIRST_USER_ITEM_ID = 257
ROOT_FOLDER_ID = 1
CALENDAR_FOLDER_ID = 10
MAX_NAME_LENGTH = 255

# Zimbra's system folders present in every new mailbox: id -> (name, default view).
SYSTEM_FOLDERS = {
    1: ("USER_ROOT", ""),
    2: ("Inbox", "message"),
    3: ("Trash", ""),
    4: ("Junk", "message"),
    5: ("Sent", "message"),
    6: ("Drafts", "message"),
    7: ("Contacts", "contact"),
    10: ("Calendar", "appointment"),
    13: ("Emailed Contacts", "contact"),
    14: ("Chats", "message"),
    15: ("Tasks", "task"),
    16: ("Briefcase", "document"),
}

CONTACTS_FOLDER_ID = 7
TASKS_FOLDER_ID = 15
# Zimbra's zimbraContactMaxNumEntries (default 10000): contacts a mailbox may hold; beyond it
# CreateContact fails with mail.TOO_MANY_CONTACTS. ZTS_MAX_CONTACTS overrides it for tests.
DEFAULT_MAX_CONTACTS = 10000

# soap.txt: "{default-type} = ... same as <SearchRequest>'s {types}".
FOLDER_VIEWS = {"", "conversation", "message", "contact", "appointment", "task", "wiki",
                "document", "search folder", "remote folder", "chat", "voice"}

# The default class of service's values for the out-of-office preferences of a new account.
DEFAULT_PREFS = {
    "zimbraPrefOutOfOfficeReplyEnabled": ["FALSE"],
    "zimbraPrefOutOfOfficeExternalReplyEnabled": ["FALSE"],
    "zimbraPrefOutOfOfficeSuppressExternalReply": ["FALSE"],
    "zimbraPrefExternalSendersType": ["ALL"],
}

# soap.txt, "Names of all MailItem types": characters a name may not contain.
FORBIDDEN_NAME_CHARACTERS = (":", "/", '"', "\t", "\r", "\n")


@dataclasses.dataclass
class Folder:
    id: int
    name: str
    parent_id: Optional[int]
    view: str
    uuid: str
    change: int
    color: Optional[str] = None
    flags: str = ""


class Mailbox:
    def __init__(self, account_id: str):
        self.account_id = account_id
        self.lock = threading.RLock()
        self._next_id = FIRST_USER_ITEM_ID
        self.change = 1
        self.folders: Dict[int, Folder] = {}
        self.appointments: Dict[int, object] = {}      # id -> calendar.Appointment
        self._appointment_ids_by_uid: Dict[str, int] = {}
        # Filter rules (handlers/filters.py): canonical <filterRule> XML strings, in order.
        self.filter_rules: List[str] = []
        self.outgoing_filter_rules: List[str] = []
        # Account preferences (handlers/prefs.py): name -> values, with the COS defaults of a new
        # account for the out-of-office preferences.
        self.prefs: Dict[str, List[str]] = {name: list(values) for name, values in DEFAULT_PREFS.items()}
        self.contacts: Dict[int, object] = {}          # id -> handlers.contacts.Contact
        self.tasks: Dict[int, object] = {}             # id -> handlers.tasks.Task
        self._task_ids_by_uid: Dict[str, int] = {}
        # Uploads attached to calendar items (<m><attach aid>): item id -> [uploads.Upload].
        self.item_attachments: Dict[int, List[object]] = {}
        self.max_contacts = int(os.environ.get("ZTS_MAX_CONTACTS") or DEFAULT_MAX_CONTACTS)
        for folder_id, (name, view) in SYSTEM_FOLDERS.items():
            parent = None if folder_id == ROOT_FOLDER_ID else ROOT_FOLDER_ID
            self.folders[folder_id] = Folder(folder_id, name, parent, view, str(uuid.uuid4()), 1)

    # ---- ids and change tokens -----------------------------------------------------------
    def allocate_id(self) -> int:
        with self.lock:
            item_id = self._next_id
            self._next_id += 1
            return item_id

    def bump_change(self) -> int:
        with self.lock:
            self.change += 1
            return self.change

    # ---- folders -------------------------------------------------------------------------
    def folder(self, folder_id: int) -> Folder:
        folder = self.folders.get(folder_id)
        if folder is None:
            raise soap.no_such_folder(str(folder_id))
        return folder

    def subfolders(self, parent_id: int) -> List[Folder]:
        return sorted((f for f in self.folders.values() if f.parent_id == parent_id),
                      key=lambda f: f.id)

    def path_of(self, folder_id: int) -> str:
        parts = []
        folder = self.folders[folder_id]
        while folder.parent_id is not None:
            parts.append(folder.name)
            folder = self.folders[folder.parent_id]
        return "/" + "/".join(reversed(parts))

    def child_named(self, parent_id: int, name: str) -> Optional[Folder]:
        # Zimbra compares item names case-insensitively within a folder.
        wanted = name.lower()
        for folder in self.folders.values():
            if folder.parent_id == parent_id and folder.name.lower() == wanted:
                return folder
        return None

    def folder_by_path(self, path: str, base_id: int = ROOT_FOLDER_ID) -> Folder:
        folder = self.folder(base_id)
        for part in [p for p in path.split("/") if p]:
            child = self.child_named(folder.id, part)
            if child is None:
                raise soap.no_such_folder_path(path)
            folder = child
        return folder

    def create_folder(self, parent_id: int, name: str, view: str, fetch_if_exists: bool,
                      color: Optional[str] = None, flags: str = "") -> Folder:
        """CreateFolder semantics: mail.NO_SUCH_FOLDER, mail.INVALID_NAME, mail.ALREADY_EXISTS
        (or the existing folder with fie="1")."""
        name = validated_item_name(name)
        if view not in FOLDER_VIEWS:
            raise soap.invalid_request(f"unknown folder view: {view}")
        with self.lock:
            self.folder(parent_id)
            existing = self.child_named(parent_id, name)
            if existing is not None:
                if fetch_if_exists:
                    return existing
                raise soap.already_exists(name)
            folder = Folder(self.allocate_id(), name, parent_id, view, str(uuid.uuid4()),
                            self.bump_change(), color, flags)
            self.folders[folder.id] = folder
            return folder

    def walk(self, folder_id: int, depth: int = -1) -> Iterator[Folder]:
        yield self.folders[folder_id]
        if depth == 0:
            return
        for child in self.subfolders(folder_id):
            yield from self.walk(child.id, depth - 1)

    def item_count(self, folder_id: int) -> int:
        return sum(1 for items in (self.appointments, self.contacts, self.tasks)
                   for item in items.values() if item.folder_id == folder_id)

    # ---- calendar items ------------------------------------------------------------------
    def appointment_by_uid(self, uid: str):
        with self.lock:
            item_id = self._appointment_ids_by_uid.get(uid)
            return self.appointments.get(item_id) if item_id is not None else None

    def store_appointment(self, appointment) -> None:
        """Adds or replaces a calendar item; a replaced item keeps its id (SetAppointment on
        an existing UID replaces the whole item in Zimbra)."""
        with self.lock:
            self.appointments[appointment.id] = appointment
            self._appointment_ids_by_uid[appointment.uid] = appointment.id


    # ---- tasks ---------------------------------------------------------------------------
    def task_by_uid(self, uid: str):
        with self.lock:
            item_id = self._task_ids_by_uid.get(uid)
            return self.tasks.get(item_id) if item_id is not None else None

    def store_task(self, task) -> None:
        """Adds or replaces a task; a replaced task keeps its id, as calendar items do."""
        with self.lock:
            self.tasks[task.id] = task
            self._task_ids_by_uid[task.uid] = task.id


def validated_item_name(name: Optional[str]) -> str:
    """Applies soap.txt's rules for MailItem names; returns the name as the server stores it."""
    if name is None or name == "":
        raise soap.invalid_name("", "name must not be empty")
    for character in FORBIDDEN_NAME_CHARACTERS:
        if character in name:
            raise soap.invalid_name(name, f"name contains invalid character {character!r}")
    if name in (".", ".."):
        raise soap.invalid_name(name, f"name may not be {name!r}")
    if len(name) > MAX_NAME_LENGTH:
        raise soap.invalid_name(name, f"name is longer than {MAX_NAME_LENGTH} characters")
    # "the server removes trailing whitespace and characters below 0x20 from item names"
    cleaned = "".join(ch for ch in name if ord(ch) >= 0x20).rstrip()
    if cleaned == "":
        raise soap.invalid_name(name, "name must not be empty")
    return cleaned
