"""urn:zimbraMail task requests (soap-calendar.txt: tasks are calendar items of type VTODO):
SetTaskRequest, GetTaskRequest, and the task hits of SearchRequest types="task".

A task keeps its UID: SetTaskRequest with a UID already in the mailbox replaces that task and
keeps its id, as for appointments.  Start <s> and due <e> are kept as sent (a DATE "YYYYMMDD"
for an all-day task) and returned as they came, so a client can check nothing was shifted.
Stricter than Zimbra on purpose: tasks go only into folders whose view is "task" (or Trash).
"""

from __future__ import annotations

import copy
import dataclasses
import re
import shlex
import time
import uuid
from typing import Callable, Dict, List, Optional

from .. import soap
from ..dispatcher import RequestContext, handler
from ..mailbox import TASKS_FOLDER_ID
from ..soap import MAIL_NS, ZimbraFault, children, first_child, response_element, sub
from .contacts import contact_folder

_DATE_VALUE = re.compile(r"^\d{8}(T\d{6}Z?)?$")
STATUSES = {"NEED", "INPR", "COMP", "DEFERRED", "WAITING", "CANC"}


@dataclasses.dataclass
class Task:
    id: int
    uid: str
    folder_id: int
    attrs: Dict[str, str]              # the component's attributes as sent
    subject: str
    start: Optional[str]
    due: Optional[str]
    categories: List[str]
    description: Optional[str]
    alarms: list                       # <alarm> elements, verbatim
    created_ms: int
    change: int

    def as_json(self, folder_path: str) -> dict:
        return {"id": self.id, "uid": self.uid, "folderId": self.folder_id, "folder": folder_path,
                "subject": self.subject, "start": self.start, "due": self.due,
                "status": self.attrs.get("status"), "percentComplete": self.attrs.get("percentComplete"),
                "priority": self.attrs.get("priority"), "completed": self.attrs.get("completed"),
                "allDay": self.attrs.get("allDay") in ("1", "true"), "categories": self.categories,
                "description": self.description, "alarms": len(self.alarms)}


def no_such_task(what: str) -> ZimbraFault:
    return ZimbraFault("mail.NO_SUCH_TASK", f"no such task: {what}", [("id", "IID", what)])


def _date(component, name: str) -> Optional[str]:
    element = first_child(component, name)
    if element is None:
        return None
    value = (element.get("d") or "").strip()
    if not _DATE_VALUE.match(value):
        raise soap.invalid_request(f"task <{name} d={value!r}> is not a DATE or DATE-TIME value")
    return value


def _text(message, component) -> Optional[str]:
    desc = first_child(component, "desc")
    if desc is not None:
        return desc.text or ""
    part = first_child(message, "mp")
    if part is not None and (part.get("ct") or "text/plain") == "text/plain":
        return part.get("content") if part.get("content") is not None else (
            (first_child(part, "content").text or "") if first_child(part, "content") is not None else None)
    return None


@handler(MAIL_NS, "SetTaskRequest", uses_mailbox=True)
def set_task(ctx: RequestContext, request):
    default = first_child(request, "default")
    message = first_child(default, "m") if default is not None else None
    inv = first_child(message, "inv") if message is not None else None
    if inv is None:
        raise soap.invalid_request("SetTaskRequest needs <default><m><inv>")
    if children(request, "except") or children(request, "cancel"):
        raise soap.invalid_request("this test server stores single tasks only (no <except>/<cancel>)")
    component = first_child(inv, "comp")
    if component is None:
        component = inv
    status = component.get("status")
    if status is not None and status not in STATUSES:
        raise soap.invalid_request(f"invalid task status: {status}")
    percent = component.get("percentComplete")
    if percent is not None and (not percent.isdigit() or int(percent) > 100):
        raise soap.invalid_request(f"invalid percentComplete: {percent}")
    start, due = _date(component, "s"), _date(component, "e")
    uid = component.get("uid") or inv.get("uid") or str(uuid.uuid4())
    if len(uid.encode("utf-8")) > ctx.state.config.max_uid_bytes:
        raise soap.invalid_request(f"UID longer than {ctx.state.config.max_uid_bytes} bytes")
    mailbox = ctx.mailbox
    with mailbox.lock:
        folder_id = contact_folder(ctx, request.get("l") or str(TASKS_FOLDER_ID), view="task")
        existing = mailbox.task_by_uid(uid)
        task = Task(
            id=existing.id if existing else mailbox.allocate_id(), uid=uid, folder_id=folder_id,
            attrs=dict(component.attrib), subject=component.get("name") or message.get("su") or "",
            start=start, due=due, categories=[c.text or "" for c in children(component, "category")],
            description=_text(message, component),
            alarms=[copy.deepcopy(a) for a in children(component, "alarm")],
            created_ms=existing.created_ms if existing else int(time.time() * 1000),
            change=mailbox.bump_change())
        mailbox.store_task(task)
    item = ctx.format_id(task.id)
    response = response_element(MAIL_NS, "SetTaskResponse", calItemId=item, apptId=item)
    sub(response, "default", id=item)
    return response


@handler(MAIL_NS, "GetTaskRequest", uses_mailbox=True)
def get_task(ctx: RequestContext, request):
    item_text, uid = request.get("id"), request.get("uid")
    if (item_text is None) == (uid is None):
        raise soap.invalid_request("GetTaskRequest needs exactly one of id and uid")
    mailbox = ctx.mailbox
    with mailbox.lock:
        if uid is not None:
            task = mailbox.task_by_uid(uid)
        else:
            task = mailbox.tasks.get(ctx.parse_id(item_text, "task"))
        if task is None:
            raise no_such_task(uid if uid is not None else item_text)
        response = response_element(MAIL_NS, "GetTaskResponse")
        append_task(response, ctx, task)
    return response


def append_task(parent, ctx: RequestContext, task: Task):
    """<task><inv><comp> as Zimbra's ToXML writes a calendar item."""
    ids = ctx.format_id
    element = sub(parent, "task", uid=task.uid, id=ids(task.id), l=ids(task.folder_id),
                  d=task.created_ms, rev=task.change, ms=task.change)
    inv = sub(element, "inv", type="task", id=ids(task.id), compNum="0", seq="0")
    attributes = {k: v for k, v in task.attrs.items()}
    attributes.update({"uid": task.uid, "x_uid": task.uid, "calItemId": ids(task.id),
                       "ciFolder": ids(task.folder_id), "compNum": "0", "name": task.subject})
    comp = sub(inv, "comp")
    for key, value in attributes.items():
        comp.set(key, str(value))
    for category in task.categories:
        sub(comp, "category", category)
    for alarm in task.alarms:
        comp.append(copy.deepcopy(alarm))
    if task.description is not None:
        sub(comp, "fr", task.description[:100])
        sub(comp, "desc", task.description)
    if task.start is not None:
        sub(comp, "s", d=task.start)
    if task.due is not None:
        sub(comp, "e", d=task.due)
    return element


# ---- SearchRequest types="task" ----------------------------------------------------------------
def task_hits(ctx: RequestContext, query: str) -> List[Task]:
    """The tasks a query matches: in:PATH, inid:ID, item:ID, is:anywhere, words in the subject,
    description or categories, each negatable with "-" or NOT."""
    try:
        tokens = shlex.split(query.replace("(", " ").replace(")", " "))
    except ValueError as error:
        raise _query_error(query, str(error))
    predicates: List[Callable[[Task], bool]] = []
    negate_next = False
    for token in tokens:
        if token.upper() == "NOT":
            negate_next = True
            continue
        if token.upper() in ("AND", "OR"):
            if token.upper() == "OR":
                raise _query_error(query, "OR is not supported by the test server")
            continue
        negated = negate_next or (token.startswith("-") and len(token) > 1)
        negate_next = False
        term = token[1:] if token.startswith("-") else token
        if term.lower() == "is:anywhere":
            continue
        predicate = _term(ctx, term, query)
        predicates.append((lambda p: (lambda t: not p(t)))(predicate) if negated else predicate)
    mailbox = ctx.mailbox
    with mailbox.lock:
        return [t for t in sorted(mailbox.tasks.values(), key=lambda t: t.id)
                if all(p(t) for p in predicates)]


def _term(ctx: RequestContext, term: str, query: str) -> Callable[[Task], bool]:
    operator, colon, value = term.partition(":")
    if not colon or re.search(r"\s", operator):
        needle = term.lower()
        return lambda t: needle in "\n".join([t.subject, t.description or "", " ".join(t.categories)]).lower()
    operator = operator.lower()
    if operator == "in":
        try:
            folder = ctx.mailbox.folder_by_path(value)
        except ZimbraFault:
            raise soap.no_such_folder_path(value)
        return lambda t: t.folder_id == folder.id
    if operator == "inid":
        folder_id = ctx.parse_id(value, "inid")
        return lambda t: t.folder_id == folder_id
    if operator == "item":
        item_id = ctx.parse_id(value, "item")
        return lambda t: t.id == item_id
    raise _query_error(query, f"operator {operator}: is not supported by the test server")


def append_task_hit(parent, ctx: RequestContext, task: Task):
    ids = ctx.format_id
    return sub(parent, "task", id=ids(task.id), uid=task.uid, l=ids(task.folder_id), name=task.subject,
               status=task.attrs.get("status"), percentComplete=task.attrs.get("percentComplete"),
               priority=task.attrs.get("priority"), allDay=task.attrs.get("allDay"),
               invId=f"{ids(task.id)}-{task.id}", compNum="0", d=task.created_ms)


def _query_error(query: str, detail: str) -> ZimbraFault:
    return ZimbraFault("mail.QUERY_PARSE_ERROR", f"Couldn't parse query: {query} ({detail})",
                       [("query", "STR", query)])


def tasks_json(mailbox) -> List[Dict]:
    return [t.as_json(mailbox.path_of(t.folder_id))
            for t in sorted(mailbox.tasks.values(), key=lambda t: t.id)]
