"""urn:zimbraMail folder requests (soap.txt): CreateFolderRequest, GetFolderRequest."""

from __future__ import annotations

from typing import Optional

from .. import soap
from ..dispatcher import RequestContext, handler
from ..mailbox import ROOT_FOLDER_ID, Folder, Mailbox
from ..soap import MAIL_NS, first_child, response_element, sub


@handler(MAIL_NS, "CreateFolderRequest", uses_mailbox=True)
def create_folder(ctx: RequestContext, request):
    spec = first_child(request, "folder")
    mailbox = ctx.mailbox
    name = spec.get("name")
    fetch_if_exists = spec.get("fie") in ("1", "true")
    view = spec.get("view") or ""
    with mailbox.lock:
        if spec.get("l") is not None:
            parent_id = ctx.parse_id(spec.get("l"), "parent folder")
            folder = mailbox.create_folder(parent_id, name, view, fetch_if_exists,
                                           spec.get("color"), spec.get("f") or "")
        else:
            folder = _create_by_path(mailbox, name, view, fetch_if_exists, spec)
    response = response_element(MAIL_NS, "CreateFolderResponse")
    append_folder(response, ctx, folder, depth=0)
    return response


def _create_by_path(mailbox: Mailbox, path: Optional[str], view: str, fetch_if_exists: bool, spec):
    """soap.txt: "if l is unset, name is the full path of the new folder"; missing folders
    along the path are created, as the server does."""
    parts = [p for p in (path or "").split("/") if p != ""]
    if not parts:
        raise soap.invalid_name(path or "", "name must not be empty")
    parent_id = ROOT_FOLDER_ID
    for part in parts[:-1]:
        existing = mailbox.child_named(parent_id, part)
        parent_id = (existing or mailbox.create_folder(parent_id, part, "", False)).id
    return mailbox.create_folder(parent_id, parts[-1], view, fetch_if_exists,
                                 spec.get("color"), spec.get("f") or "")


@handler(MAIL_NS, "GetFolderRequest", uses_mailbox=True)
def get_folder(ctx: RequestContext, request):
    mailbox = ctx.mailbox
    base = first_child(request, "folder")
    depth = int(request.get("depth")) if request.get("depth") is not None else -1
    view = request.get("view")
    with mailbox.lock:
        base_folder = _base_folder(ctx, mailbox, base)
        response = response_element(MAIL_NS, "GetFolderResponse")
        append_folder(response, ctx, base_folder, depth, view)
    return response


def _base_folder(ctx: RequestContext, mailbox: Mailbox, spec) -> Folder:
    if spec is None:
        return mailbox.folder(ROOT_FOLDER_ID)
    base_id = ROOT_FOLDER_ID
    if spec.get("uuid"):
        match = [f for f in mailbox.folders.values() if f.uuid == spec.get("uuid")]
        if not match:
            raise soap.no_such_folder(spec.get("uuid"))
        base_id = match[0].id
    elif spec.get("l"):
        base_id = mailbox.folder(ctx.parse_id(spec.get("l"), "folder")).id
    if spec.get("path"):
        return mailbox.folder_by_path(spec.get("path"), base_id)
    return mailbox.folder(base_id)


def append_folder(parent, ctx: RequestContext, folder: Folder, depth: int,
                  view: Optional[str] = None):
    """<folder> with the attributes Zimbra returns, and subfolders down to `depth`
    (-1 = all).  With a view filter, only folders of that view and their ancestors appear."""
    mailbox = ctx.mailbox
    is_root = folder.parent_id is None
    count = mailbox.item_count(folder.id)
    element = sub(parent, "folder", id=ctx.format_id(folder.id), uuid=folder.uuid,
                  name=folder.name, absFolderPath=mailbox.path_of(folder.id),
                  l=None if is_root else ctx.format_id(folder.parent_id),
                  luuid=None if is_root else mailbox.folders[folder.parent_id].uuid,
                  f=folder.flags or None, color=folder.color, view=folder.view or None,
                  rev=folder.change, ms=folder.change, n=count or None)
    if depth != 0:
        for child in mailbox.subfolders(folder.id):
            if view is None or _has_view(mailbox, child, view):
                append_folder(element, ctx, child, depth - 1, view)
    return element


def _has_view(mailbox: Mailbox, folder: Folder, view: str) -> bool:
    return any(f.view == view for f in mailbox.walk(folder.id))
