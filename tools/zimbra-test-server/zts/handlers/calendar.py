"""urn:zimbraMail calendar requests (soap-calendar.txt): SetAppointment, GetAppointment,
GetApptSummaries."""

from __future__ import annotations

import re
import time
from typing import List, Optional

from .. import soap
from ..calendar.model import Appointment, ParseContext, parse_invite
from ..calendar.recurrence import instances_in_window
from ..calendar.render import append_appointment, append_summary
from ..dispatcher import RequestContext, handler
from ..mailbox import CALENDAR_FOLDER_ID, ROOT_FOLDER_ID
from ..soap import MAIL_NS, children, first_child, response_element, sub

# Folders GetApptSummaries leaves out unless asked for one explicitly (soap-calendar.txt:
# "otherwise, searches all folders but trash and spam").
TRASH_FOLDER_ID, JUNK_FOLDER_ID = 3, 4
_XSD_LONG = re.compile(r"^[+-]?\d+$")


@handler(MAIL_NS, "SetAppointmentRequest", uses_mailbox=True)
def set_appointment(ctx: RequestContext, request):
    mailbox = ctx.mailbox
    default = first_child(request, "default")
    if default is None or first_child(default, "m") is None:
        raise soap.invalid_request("SetAppointmentRequest needs <default><m> (this test server "
                                   "does not store exception-only calendar items)")
    parse_context = ParseContext(ctx.state.zones, ctx.state.config.max_uid_bytes)
    series = parse_invite(first_child(default, "m"), "default", parse_context,
                          ptst=default.get("ptst"))
    exceptions = [parse_invite(_message(e, "except"), "except", parse_context, series.uid,
                               e.get("ptst")) for e in children(request, "except")]
    cancels = [parse_invite(_message(c, "cancel"), "cancel", parse_context, series.uid,
                            c.get("ptst")) for c in children(request, "cancel")]
    attachments = _uploaded_attachments(ctx, first_child(default, "m"))
    with mailbox.lock:
        folder_id = _target_folder(ctx, request.get("l"))
        existing = mailbox.appointment_by_uid(series.uid)
        # Zimbra replaces a calendar item that has the same UID and keeps its id.
        item_id = existing.id if existing else mailbox.allocate_id()
        appointment = Appointment(
            id=item_id, uid=series.uid, folder_id=folder_id, default=series,
            exceptions=exceptions, cancels=cancels,
            created_ms=existing.created_ms if existing else int(time.time() * 1000),
            change=mailbox.bump_change(), flags=request.get("f"),
            tags=request.get("t") or request.get("tn"))
        mailbox.store_appointment(appointment)
        mailbox.item_attachments[item_id] = attachments
    item = ctx.format_id(item_id)
    response = response_element(MAIL_NS, "SetAppointmentResponse", calItemId=item, apptId=item)
    sub(response, "default", id=item)
    for exception in exceptions:
        sub(response, "except", recurId=exception.exception_id.d, id=item)
    return response


def _uploaded_attachments(ctx: RequestContext, message) -> list:
    """The uploads <m><attach aid="id1,id2"> names, taken from the caller's uploads
    (mail.NO_SUCH_UPLOAD for an unknown one); attachments of other items are not taken."""
    attach = first_child(message, "attach")
    if attach is None:
        return []
    if len(attach):
        raise soap.invalid_request("this test server attaches uploads only (<attach aid>)")
    aids = [aid.strip() for aid in (attach.get("aid") or "").split(",") if aid.strip()]
    return [ctx.state.uploads.take(ctx.authed.id, aid) for aid in aids]


def _message(element, kind: str):
    message = first_child(element, "m")
    if message is None:
        raise soap.invalid_request(f"<{kind}> needs an <m>")
    return message


def _target_folder(ctx: RequestContext, folder_text: Optional[str]) -> int:
    folder_id = ctx.parse_id(folder_text, "folder") if folder_text else CALENDAR_FOLDER_ID
    ctx.mailbox.folder(folder_id)  # mail.NO_SUCH_FOLDER
    if folder_id == ROOT_FOLDER_ID:
        raise soap.cannot_contain(str(folder_id))
    return folder_id


@handler(MAIL_NS, "GetAppointmentRequest", uses_mailbox=True)
def get_appointment(ctx: RequestContext, request):
    item_text, uid = request.get("id"), request.get("uid")
    if (item_text is None) == (uid is None):
        raise soap.invalid_request("GetAppointmentRequest needs exactly one of id and uid")
    mailbox = ctx.mailbox
    with mailbox.lock:
        if uid is not None:
            appointment = mailbox.appointment_by_uid(uid)
        else:
            appointment = mailbox.appointments.get(ctx.parse_id(item_text, "appointment"))
        if appointment is None:
            raise soap.no_such_appt(uid if uid is not None else item_text)
        response = response_element(MAIL_NS, "GetAppointmentResponse")
        append_appointment(response, appointment, ctx.format_id, ctx.target.name)
    return response


@handler(MAIL_NS, "GetApptSummariesRequest", uses_mailbox=True)
def get_appt_summaries(ctx: RequestContext, request):
    start = parse_millis(request.get("s"), "s")
    end = parse_millis(request.get("e"), "e")
    mailbox = ctx.mailbox
    response = response_element(MAIL_NS, "GetApptSummariesResponse")
    with mailbox.lock:
        folder_ids = calendar_scope(ctx, request.get("l"))
        for appointment in sorted(mailbox.appointments.values(), key=lambda a: a.id):
            if appointment.folder_id not in folder_ids:
                continue
            instances = instances_in_window(appointment, start, end)
            if instances:
                append_summary(response, appointment, instances, ctx.format_id, ctx.target.name,
                               for_search=False)
    return response


def calendar_scope(ctx: RequestContext, folder_text: Optional[str]) -> List[int]:
    if folder_text:
        folder_id = ctx.parse_id(folder_text, "folder")
        ctx.mailbox.folder(folder_id)
        return [folder_id]
    return [f for f in ctx.mailbox.folders if f not in (TRASH_FOLDER_ID, JUNK_FOLDER_ID)]


def parse_millis(text: Optional[str], name: str) -> int:
    """Milliseconds from an xs:long attribute (schema-validated already; checked again so the
    handler stands on its own)."""
    value = (text or "").strip()
    if not _XSD_LONG.match(value):
        raise soap.invalid_request(f"attribute {name} must be milliseconds since 1970: {text!r}")
    return int(value)
