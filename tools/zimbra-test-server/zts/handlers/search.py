"""SearchRequest over calendar items (soap.txt "SearchRequest", appointment results).

The test server stores no messages, so only types="appointment" and "task" can match (tasks:
handlers/tasks.py).  The
query language is the subset a migration check needs:
  in:PATH | in:"PATH WITH SPACES"   items in that folder (path from the root, / optional)
  inid:ID                            items in the folder with that id
  is:anywhere                        all folders, Trash and Junk included
  item:ID                            that item
  WORD | "PHRASE"                    case-insensitive text in subject, location, description,
                                     categories, organizer or attendees
  -TERM / NOT TERM                   negation
Any other operator is a mail.QUERY_PARSE_ERROR naming it.
"""

from __future__ import annotations

import re
import shlex
from typing import Callable, List, Optional

from .. import soap
from ..calendar.model import Appointment
from ..calendar.recurrence import instances_in_window
from ..calendar.render import append_summary
from ..dispatcher import RequestContext, handler
from ..soap import MAIL_NS, ZimbraFault, child_text, response_element
from .calendar import JUNK_FOLDER_ID, TRASH_FOLDER_ID, parse_millis
from .tasks import append_task_hit, task_hits

CALENDAR_TYPES = {"appointment"}
KNOWN_TYPES = {"conversation", "message", "contact", "appointment", "task", "wiki", "document",
               "note", "chat", "briefcase"}
Predicate = Callable[[Appointment], bool]


@handler(MAIL_NS, "SearchRequest", uses_mailbox=True)
def search(ctx: RequestContext, request):
    types = {t.strip() for t in (request.get("types") or "conversation").split(",") if t.strip()}
    unknown = types - KNOWN_TYPES
    if unknown:
        raise soap.invalid_request(f"unknown search types: {', '.join(sorted(unknown))}")
    limit = int(request.get("limit") or 10)
    offset = int(request.get("offset") or 0)
    window = _expansion_window(request)
    response = response_element(MAIL_NS, "SearchResponse", sortBy=request.get("sortBy") or "dateDesc",
                                offset=offset)
    hits: List[tuple] = []
    if types & CALENDAR_TYPES:
        hits = _appointment_hits(ctx, child_text(request, "query") or "", window)
    if "task" in types:
        hits += [(task, None) for task in task_hits(ctx, child_text(request, "query") or "")]
    page = hits[offset:offset + min(max(limit, 1), 1000)]
    for appointment, instances in page:
        if instances is None:  # a task
            append_task_hit(response, ctx, appointment)
            continue
        append_summary(response, appointment, instances, ctx.format_id, ctx.target.name,
                       for_search=True)
    response.set("more", "1" if offset + len(page) < len(hits) else "0")
    return response


def _expansion_window(request) -> Optional[tuple]:
    start, end = request.get("calExpandInstStart"), request.get("calExpandInstEnd")
    if start is None or end is None:
        return None
    return parse_millis(start, "calExpandInstStart"), parse_millis(end, "calExpandInstEnd")


def _appointment_hits(ctx: RequestContext, query: str, window: Optional[tuple]) -> List[tuple]:
    mailbox = ctx.mailbox
    with mailbox.lock:
        predicate, anywhere = _compile_query(ctx, query)
        hits = []
        for appointment in sorted(mailbox.appointments.values(), key=lambda a: a.id):
            if not anywhere and appointment.folder_id in (TRASH_FOLDER_ID, JUNK_FOLDER_ID):
                continue
            if not predicate(appointment):
                continue
            instances = []
            if window is not None:
                # "Calendar Items that have no instances within that range are COMPLETELY
                # EXCLUDED from the results"
                instances = instances_in_window(appointment, *window)
                if not instances:
                    continue
            hits.append((appointment, instances))
    return hits


def _compile_query(ctx: RequestContext, query: str):
    try:
        tokens = shlex.split(query.replace("(", " ").replace(")", " "))
    except ValueError as error:
        raise _query_error(query, str(error))
    predicates: List[Predicate] = []
    anywhere = False
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
            anywhere = True
            continue
        predicate = _term_predicate(ctx, term, query)
        predicates.append((lambda p: (lambda a: not p(a)))(predicate) if negated else predicate)
        if term.lower().startswith(("in:", "inid:")) and _names_trash_or_junk(ctx, term):
            anywhere = True
    return (lambda appointment: all(p(appointment) for p in predicates)), anywhere


def _term_predicate(ctx: RequestContext, term: str, query: str) -> Predicate:
    operator, colon, value = term.partition(":")
    if not colon or re.search(r"\s", operator):
        needle = term.lower()
        return lambda appointment: needle in _searchable_text(appointment)
    operator = operator.lower()
    if operator == "in":
        try:
            folder = ctx.mailbox.folder_by_path(value)
        except ZimbraFault:
            raise soap.no_such_folder_path(value)
        return lambda appointment: appointment.folder_id == folder.id
    if operator == "inid":
        folder_id = ctx.parse_id(value, "inid")
        return lambda appointment: appointment.folder_id == folder_id
    if operator == "item":
        item_id = ctx.parse_id(value, "item")
        return lambda appointment: appointment.id == item_id
    raise _query_error(query, f"operator {operator}: is not supported by the test server")


def _names_trash_or_junk(ctx: RequestContext, term: str) -> bool:
    operator, _, value = term.partition(":")
    try:
        if operator.lower() == "inid":
            return ctx.parse_id(value, "inid") in (TRASH_FOLDER_ID, JUNK_FOLDER_ID)
        return ctx.mailbox.folder_by_path(value).id in (TRASH_FOLDER_ID, JUNK_FOLDER_ID)
    except ZimbraFault:
        return False


def _searchable_text(appointment: Appointment) -> str:
    invite = appointment.default
    parts = [invite.name or "", invite.subject or "", invite.attrs.get("loc", ""),
             invite.description or "", " ".join(invite.categories)]
    for party in [invite.organizer or {}] + invite.attendees:
        parts.extend([party.get("a", ""), party.get("d", "")])
    return "\n".join(parts).lower()


def _query_error(query: str, detail: str) -> ZimbraFault:
    return ZimbraFault("mail.QUERY_PARSE_ERROR", f"Couldn't parse query: {query} ({detail})",
                       [("query", "STR", query)])
