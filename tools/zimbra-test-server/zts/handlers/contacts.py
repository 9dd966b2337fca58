"""urn:zimbraMail contact requests (soap.txt "Contacts"): CreateContactRequest, GetContactsRequest.

Contacts and contact groups (attribute type=group with <m type="C|G|I" value=".."/> members)
share the mailbox's item ids.  Zimbra's limits are enforced: more than 1000 fields on one contact
is mail.CONTACT_TOO_BIG (Contact.MAX_FIELD_COUNT; group members count as fields here), a mailbox
already holding `max_contacts` contacts is mail.TOO_MANY_CONTACTS (zimbraContactMaxNumEntries,
ZTS_MAX_CONTACTS for tests).  Stricter than Zimbra on purpose: contacts go only into folders
whose view is "contact" (or Trash), so a client that puts them elsewhere finds out.
An attribute with an upload (<a n="image" aid=..>, zts/uploads.py) becomes an attachment of the
contact, answered as <a n=.. part=.. ct=.. s=.. filename=../>; <a id=..> and <vcard> are not taken.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Dict, List, Optional, Tuple

from .. import soap
from ..dispatcher import RequestContext, handler
from ..mailbox import CONTACTS_FOLDER_ID, ROOT_FOLDER_ID
from ..soap import MAIL_NS, ZimbraFault, children, first_child, response_element, sub

MAX_FIELD_COUNT = 1000
TRASH_FOLDER_ID = 3
MEMBER_TYPES = {"C", "G", "I"}


@dataclasses.dataclass
class Contact:
    id: int
    folder_id: int
    attrs: List[Tuple[str, str]]          # in the order sent
    members: List[Tuple[str, str]]        # (type, value)
    tags: Optional[str]
    created_ms: int
    change: int
    attachments: List[Tuple[str, object]] = dataclasses.field(default_factory=list)  # (attr, Upload)

    def attr(self, name: str) -> Optional[str]:
        for key, value in self.attrs:
            if key == name:
                return value
        return None

    @property
    def is_group(self) -> bool:
        return self.attr("type") == "group"

    def file_as_string(self) -> str:
        """Contact.getFileAsString: "8:text" is explicit, otherwise "Last, First"."""
        file_as = self.attr("fileAs") or ""
        if file_as.startswith("8:"):
            return file_as[2:].strip()
        last, first = self.attr("lastName") or "", self.attr("firstName") or ""
        return ", ".join(part for part in (last, first) if part)

    def as_json(self, folder_path: str) -> dict:
        return {"id": self.id, "folderId": self.folder_id, "folder": folder_path,
                "attrs": {k: v for k, v in self.attrs}, "members":
                [{"type": t, "value": v} for t, v in self.members], "tags": self.tags,
                "fileAsStr": self.file_as_string(),
                "attachments": {name: upload.as_json() for name, upload in self.attachments}}


def no_such_contact(what: str) -> ZimbraFault:
    return ZimbraFault("mail.NO_SUCH_CONTACT", f"no such contact: {what}", [("id", "IID", what)])


def contact_too_big(count: int) -> ZimbraFault:
    return ZimbraFault("mail.CONTACT_TOO_BIG",
                       f"contact has {count} fields; the limit is {MAX_FIELD_COUNT}",
                       [("limit", "NUM", str(MAX_FIELD_COUNT)), ("count", "NUM", str(count))])


def too_many_contacts(limit: int) -> ZimbraFault:
    return ZimbraFault("mail.TOO_MANY_CONTACTS", f"number of contacts cannot exceed {limit}",
                       [("limit", "NUM", str(limit))])


def contact_folder(ctx: RequestContext, folder_text: Optional[str], view: str = "contact") -> int:
    folder_id = ctx.parse_id(folder_text, "folder") if folder_text else CONTACTS_FOLDER_ID
    folder = ctx.mailbox.folder(folder_id)  # mail.NO_SUCH_FOLDER
    if folder_id == ROOT_FOLDER_ID or (folder.view != view and folder_id != TRASH_FOLDER_ID):
        raise soap.cannot_contain(str(folder_id))
    return folder_id


@handler(MAIL_NS, "CreateContactRequest", uses_mailbox=True)
def create_contact(ctx: RequestContext, request):
    spec = first_child(request, "cn")
    if spec is None:
        raise soap.invalid_request("CreateContactRequest needs <cn>")
    if first_child(spec, "vcard") is not None:
        raise soap.invalid_request("this test server does not import vCards")
    attrs: List[Tuple[str, str]] = []
    uploads: List[Tuple[str, object]] = []
    for element in children(spec, "a"):
        name = element.get("n") or ""
        if not name:
            raise soap.invalid_request("contact attribute without a name")
        if element.get("id") is not None:
            raise soap.invalid_request("this test server does not copy attachments from items (<a id>)")
        if element.get("aid") is not None:
            # FileUploadServlet.fetchUpload: the upload must belong to the caller's auth token.
            uploads.append((name, ctx.state.uploads.take(ctx.authed.id, element.get("aid"))))
            continue
        attrs.append((name, element.text or ""))
    members = [(m.get("type") or "", m.get("value") or "") for m in children(spec, "m")]
    mailbox = ctx.mailbox
    with mailbox.lock:
        folder_id = contact_folder(ctx, spec.get("l"))
        fields = len(attrs) + len(members)
        if fields > MAX_FIELD_COUNT:
            raise contact_too_big(fields)
        if len(mailbox.contacts) >= mailbox.max_contacts:
            raise too_many_contacts(mailbox.max_contacts)
        is_group = any(k == "type" and v == "group" for k, v in attrs)
        if members and not is_group:
            raise soap.invalid_request("<m> is valid only on a contact group (type=group)")
        for member_type, value in members:
            if member_type not in MEMBER_TYPES:
                raise soap.invalid_request(f"invalid contact group member type: {member_type}")
            if not value:
                raise soap.invalid_request("contact group member without a value")
            if member_type == "C" and ctx.parse_id(value, "member") not in mailbox.contacts:
                raise no_such_contact(value)
        contact = Contact(mailbox.allocate_id(), folder_id, attrs, members, spec.get("tn"),
                          int(time.time() * 1000), mailbox.bump_change(), uploads)
        mailbox.contacts[contact.id] = contact
        response = response_element(MAIL_NS, "CreateContactResponse")
        append_contact(response, ctx, contact)
    return response


@handler(MAIL_NS, "GetContactsRequest", uses_mailbox=True)
def get_contacts(ctx: RequestContext, request):
    mailbox = ctx.mailbox
    wanted = {ctx.parse_id(c.get("id"), "contact") for c in children(request, "cn")}
    with mailbox.lock:
        folder_id = None
        if request.get("l"):
            folder_id = ctx.parse_id(request.get("l"), "folder")
            mailbox.folder(folder_id)
        for item_id in wanted:
            if item_id not in mailbox.contacts:
                raise no_such_contact(str(item_id))
        response = response_element(MAIL_NS, "GetContactsResponse")
        for contact in sorted(mailbox.contacts.values(), key=lambda c: c.id):
            if folder_id is not None and contact.folder_id != folder_id:
                continue
            if wanted and contact.id not in wanted:
                continue
            append_contact(response, ctx, contact)
    return response


def append_contact(parent, ctx: RequestContext, contact: Contact):
    element = sub(parent, "cn", id=ctx.format_id(contact.id), l=ctx.format_id(contact.folder_id),
                  fileAsStr=contact.file_as_string(), rev=contact.change, d=contact.created_ms,
                  tn=contact.tags)
    for name, value in contact.attrs:
        sub(element, "a", value, n=name)
    for part, (name, upload) in enumerate(contact.attachments, start=1):
        sub(element, "a", n=name, part=str(part), ct=upload.content_type, s=str(len(upload.data)),
            filename=upload.filename)
    for member_type, value in contact.members:
        sub(element, "m", type=member_type, value=value)
    return element


def contacts_json(mailbox) -> List[Dict]:
    return [c.as_json(mailbox.path_of(c.folder_id))
            for c in sorted(mailbox.contacts.values(), key=lambda c: c.id)]
