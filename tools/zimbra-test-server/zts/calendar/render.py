"""Appointments rendered as Zimbra returns them (XML) and as the test API reports them (JSON)."""

from __future__ import annotations

import copy
from typing import Callable, Dict, List, Optional

from lxml import etree

from ..soap import sub
from ..timezones import TimeZoneRule, ms_to_naive
from .model import Appointment, DateTimeValue, Invite
from .recurrence import Instance

IdFormatter = Callable[[int], str]

# Component attributes Zimbra fills in when the client left them out.
_COMPONENT_DEFAULTS = {"status": "CONF", "fb": "B", "transp": "O", "class": "PUB", "seq": "0"}
# Attributes recomputed by the server rather than echoed from the request.
_SERVER_COMPONENT_ATTRS = {"calItemId", "apptId", "ciFolder", "x_uid", "uid", "fba", "d",
                           "compNum", "ex", "ridZ", "isOrg"}


# ---- shared helpers --------------------------------------------------------------------------
def free_busy_actual(invite: Invite) -> str:
    """Zimbra's "actual" free/busy (fba): what the owner's calendar really shows."""
    if invite.attrs.get("status") == "CANC" or invite.attrs.get("transp") == "T":
        return "F"
    ptst = invite.ptst or "AC"
    if ptst == "DE":
        return "F"
    if ptst in ("NE", "TE"):
        return "T"
    return invite.attrs.get("fb", "B")


def is_organizer(invite: Invite, account_name: str) -> bool:
    if "isOrg" in invite.attrs:
        return invite.attrs["isOrg"] in ("1", "true")
    organizer = (invite.organizer or {}).get("a")
    return organizer is None or organizer.lower() == account_name.lower()


def utc_stamp(ms: int, date_only: bool = False) -> str:
    value = ms_to_naive(ms)
    return value.strftime("%Y%m%d") if date_only else value.strftime("%Y%m%dT%H%M%SZ")


def _zone_id_for_response(value: DateTimeValue) -> Optional[str]:
    # Well-known zones come back under their canonical TZID, as on the server
    # ("(GMT-10.00) Hawaii" is answered as "Pacific/Honolulu").
    if not value.tz or value.is_utc:
        return None
    return value.zone.id


# ---- GetAppointmentResponse ------------------------------------------------------------------
def append_appointment(parent: etree._Element, appointment: Appointment, folder_ids: IdFormatter,
                       account_name: str) -> etree._Element:
    item_id = folder_ids(appointment.id)
    appt = sub(parent, "appt", uid=appointment.uid, id=item_id, l=folder_ids(appointment.folder_id),
               s="0", d=appointment.created_ms, rev=appointment.change, ms=appointment.change,
               f=appointment.flags, t=appointment.tags)
    _append_invite(appt, appointment, appointment.default, folder_ids, account_name)
    for exception in appointment.exceptions:
        _append_invite(appt, appointment, exception, folder_ids, account_name)
    return appt


def _append_invite(appt, appointment: Appointment, invite: Invite, ids: IdFormatter,
                   account_name: str) -> None:
    inv = sub(appt, "inv", type="appt", seq=invite.attrs.get("seq", "0"),
              id=ids(appointment.id), compNum="0",
              recurId=invite.exception_id.d if invite.exception_id else None)
    for zone in _zones_of(appointment, invite).values():
        _append_zone(inv, zone)
    comp = sub(inv, "comp")
    _set_component_attributes(comp, appointment, invite, ids, account_name)
    for category in invite.categories:
        sub(comp, "category", category)
    for comment in invite.comments:
        sub(comp, "comment", comment)
    for contact in invite.contacts:
        sub(comp, "contact", contact)
    _copy_children(comp, invite, "geo")
    for attendee in invite.attendees:
        sub(comp, "at", **_party_attributes(attendee))
    for alarm in invite.alarms:
        comp.append(copy.deepcopy(alarm.element))
    _copy_children(comp, invite, "xprop")
    if invite.description is not None:
        sub(comp, "fr", invite.description[:100])
        sub(comp, "desc", invite.description)
    if invite.description_html is not None:
        sub(comp, "descHtml", invite.description_html)
    if invite.organizer is not None:
        sub(comp, "or", **_party_attributes(invite.organizer))
    recur = _recurrence_for_response(appointment, invite)
    if recur is not None:
        comp.append(recur)
    if invite.exception_id is not None:
        _append_datetime(comp, "exceptId", invite.exception_id, with_millis=False,
                         range_type=invite.exception_id.range_type or "1")
    _append_datetime(comp, "s", invite.start)
    if invite.end is not None:
        _append_datetime(comp, "e", invite.end)
    elif invite.duration is not None:
        duration = invite.duration
        sub(comp, "dur", neg="1" if duration.negative else None, w=duration.weeks or None,
            d=duration.days or None, h=duration.hours or None, m=duration.minutes or None,
            s=duration.seconds or None)


def _copy_children(comp, invite: Invite, local_name: str) -> None:
    """Parts the server keeps verbatim (<geo>, <xprop>): echoed as they were sent."""
    for element in invite.component_element:
        if isinstance(element.tag, str) and etree.QName(element).localname == local_name:
            comp.append(copy.deepcopy(element))


def _set_component_attributes(comp, appointment: Appointment, invite: Invite, ids: IdFormatter,
                              account_name: str) -> None:
    attributes = dict(_COMPONENT_DEFAULTS)
    attributes.update({k: v for k, v in invite.attrs.items() if k not in _SERVER_COMPONENT_ATTRS})
    attributes.setdefault("method", "PUBLISH")
    attributes.setdefault("rsvp", "0")
    if invite.name is not None:
        attributes["name"] = invite.name
    attributes.update({
        "compNum": "0", "uid": appointment.uid, "x_uid": appointment.uid,
        "calItemId": ids(appointment.id), "apptId": ids(appointment.id),
        "ciFolder": ids(appointment.folder_id), "fba": free_busy_actual(invite),
        "isOrg": "1" if is_organizer(invite, account_name) else "0",
        "d": str(appointment.created_ms), "ex": "1" if invite.kind == "except" else "0",
    })
    if invite.exception_id is not None:
        attributes["ridZ"] = _recurrence_id_z(invite.exception_id)
    for key, value in attributes.items():
        comp.set(key, str(value))


def _recurrence_id_z(value: DateTimeValue) -> str:
    return value.d if value.is_date_only else utc_stamp(value.utc_ms())


def _party_attributes(party: Dict[str, str]) -> Dict[str, str]:
    attributes = dict(party)
    if "a" in attributes:
        attributes.setdefault("url", attributes["a"])
    return attributes


def _append_datetime(parent, name: str, value: DateTimeValue, with_millis: bool = True,
                     range_type: Optional[str] = None) -> None:
    element = sub(parent, name, d=value.d, tz=_zone_id_for_response(value))
    if range_type is not None:
        element.set("rangeType", range_type)
    if with_millis and not value.is_date_only:
        element.set("u", str(value.utc_ms()))


def _zones_of(appointment: Appointment, invite: Invite) -> Dict[str, TimeZoneRule]:
    """Every zone the invite's times use, keyed by the id the response shows."""
    zones: Dict[str, TimeZoneRule] = {}
    for value in (invite.start, invite.end, invite.exception_id):
        if value is not None and _zone_id_for_response(value):
            zones[value.zone.id] = value.zone
    for cancel in appointment.cancels if invite.kind == "default" else []:
        if cancel.exception_id is not None and _zone_id_for_response(cancel.exception_id):
            zones[cancel.exception_id.zone.id] = cancel.exception_id.zone
    return zones


def _append_zone(parent, zone: TimeZoneRule) -> None:
    tz = sub(parent, "tz", id=zone.id, stdoff=zone.stdoff, dayoff=zone.dayoff,
             stdname=zone.stdname, dayname=zone.dayname)
    if zone.has_dst:
        for name, onset in (("standard", zone.standard), ("daylight", zone.daylight)):
            sub(tz, name, **{k: str(v) for k, v in onset.as_dict().items()})


def _recurrence_for_response(appointment: Appointment, invite: Invite):
    """The series' <recur> as sent, plus a <cancel> per cancelled instance (Zimbra keeps
    cancellations as rules of the series' recurrence)."""
    if invite.kind != "default" or invite.recurrence_element is None:
        return None
    recur = copy.deepcopy(invite.recurrence_element)
    for cancel in appointment.cancels:
        rid = cancel.exception_id
        sub(recur, "cancel", rangeType=rid.range_type or "1", recurId=rid.d,
            tz=_zone_id_for_response(rid), ridZ=_recurrence_id_z(rid))
    return recur


# ---- GetApptSummariesResponse / SearchResponse hits ------------------------------------------
def append_summary(parent, appointment: Appointment, instances: List[Instance], ids: IdFormatter,
                   account_name: str, for_search: bool) -> etree._Element:
    """<appt> with <inst> children; GetApptSummaries gives the default duration as d=, a search
    hit as dur= (d= is then the item date), per soap.txt and soap-calendar.txt."""
    series = appointment.default
    duration = str(series.duration_ms())
    attributes = {
        "id": ids(appointment.id), "uid": appointment.uid, "x_uid": appointment.uid,
        "invId": f"{ids(appointment.id)}-{appointment.id}", "compNum": "0",
        "l": ids(appointment.folder_id), "name": series.name, "loc": series.attrs.get("loc"),
        "status": series.attrs.get("status", "CONF"), "fb": series.attrs.get("fb", "B"),
        "fba": free_busy_actual(series), "transp": series.attrs.get("transp", "O"),
        "class": series.attrs.get("class", "PUB"), "ptst": series.ptst or "AC",
        "isOrg": "1" if is_organizer(series, account_name) else "0",
        "allDay": "1" if series.all_day else None,
        "recur": "1" if appointment.is_recurring else None,
        "hasEx": "1" if appointment.exceptions else None,
        "alarm": "1" if series.alarms else None,
        "otherAtt": "1" if series.attendees else None,
    }
    if for_search:
        attributes.update({"dur": duration, "d": appointment.created_ms, "sf": appointment.id})
    else:
        attributes["d"] = duration
    appt = sub(parent, "appt", **attributes)
    if series.organizer is not None:
        sub(appt, "or", **_party_attributes(series.organizer))
    for category in series.categories:
        sub(appt, "category", category)
    if series.description:
        sub(appt, "fr", series.description[:100])
    for instance in instances:
        _append_instance(appt, appointment, instance)
    return appt


def _append_instance(appt, appointment: Appointment, instance: Instance) -> None:
    invite = instance.invite
    inst = sub(appt, "inst", s=instance.start_ms)
    if invite.all_day:
        zone = invite.start.zone
        inst.set("tzo", str(zone.offset_minutes_at_utc(instance.start_ms) * 60000))
    if instance.recurrence_id_ms is not None:
        inst.set("ridZ", utc_stamp(instance.recurrence_id_ms, invite.all_day))
    if instance.is_exception:
        inst.set("ex", "1")
        if invite.name != appointment.default.name and invite.name is not None:
            inst.set("name", invite.name)
        if invite.attrs.get("loc") != appointment.default.attrs.get("loc"):
            inst.set("loc", invite.attrs.get("loc", ""))


# ---- /test/state JSON --------------------------------------------------------------------------
def invite_json(invite: Invite, account_name: str) -> dict:
    attrs = invite.attrs
    return {
        "name": invite.name, "subject": invite.subject, "loc": attrs.get("loc"),
        "allDay": invite.all_day, "fb": attrs.get("fb"), "transp": attrs.get("transp"),
        "class": attrs.get("class"), "status": attrs.get("status"), "seq": attrs.get("seq"),
        "ptst": invite.ptst, "isOrg": is_organizer(invite, account_name),
        "s": invite.start.as_dict(),
        "e": invite.end.as_dict() if invite.end else None,
        "dur": ({"minutes": invite.duration.total_minutes()} if invite.duration else None),
        "exceptId": invite.exception_id.as_dict() if invite.exception_id else None,
        "durationMillis": invite.duration_ms(),
        "tz": [zone.as_dict() for zone in invite.timezones.values()],
        "organizer": _party_json(invite.organizer),
        "attendees": [_party_json(a) for a in invite.attendees],
        "alarms": [alarm.as_dict() for alarm in invite.alarms],
        "categories": list(invite.categories),
        "comments": list(invite.comments),
        "description": invite.description,
        "descriptionHtml": invite.description_html,
        "recurrence": invite.recurrence.as_dict() if invite.recurrence else None,
        "attrs": dict(attrs),
        "rawMessageXml": invite.message_xml,
    }


def _party_json(party: Optional[Dict[str, str]]) -> Optional[dict]:
    if party is None:
        return None
    result = {"a": party.get("a"), "d": party.get("d")}
    for key in ("role", "ptst", "rsvp", "cutype", "sentBy"):
        if key in party:
            result[key] = party[key]
    return result


def appointment_json(appointment: Appointment, folder_path: str, account_name: str) -> dict:
    return {
        "id": appointment.id, "folderId": appointment.folder_id, "folderPath": folder_path,
        "uid": appointment.uid,
        "default": invite_json(appointment.default, account_name),
        "exceptionsCount": len(appointment.exceptions),
        "cancelsCount": len(appointment.cancels),
        "exceptions": [invite_json(e, account_name) for e in appointment.exceptions],
        "cancels": [invite_json(c, account_name) for c in appointment.cancels],
    }
