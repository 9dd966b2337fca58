"""The parsed form of an appointment and the rules that turn <m><inv> XML into it.

Rules enforced here, each from Zimbra's own notes (zimbra-docs/soap-calendar.txt):
  * DATETIME is YYYYMMDD['T'HHMMSS['Z']]; "if DATETIME has a time component then it must either
    be specified in UTC (trailing 'Z') or else the tz= MUST be specified" -> INVALID_REQUEST.
  * a tz= must name a <tz> defined in the invite or a zone the server knows -> INVALID_REQUEST.
  * the UID is stored in a VARCHAR(255) column: a longer UTF-8 UID fails the database write, which
    Zimbra reports as service.FAILURE.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
import uuid
from typing import Dict, List, Optional

from lxml import etree

from .. import soap
from ..soap import children, first_child
from ..timezones import UTC, Onset, TimeZoneRule, WellKnownZones, naive_to_ms

_DATETIME = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$")
RECURRENCE_FREQUENCIES = {"SEC", "MIN", "HOU", "DAI", "WEE", "MON", "YEA"}
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]   # Python weekday() order


@dataclasses.dataclass
class ParseContext:
    """What invite parsing needs to know about the server."""
    zones: WellKnownZones
    max_uid_bytes: int


class TimeZoneScope:
    """The zones an invite may reference: its own <tz> definitions, then the well-known ones."""

    def __init__(self, zones: WellKnownZones, definitions: Dict[str, TimeZoneRule]):
        self._zones = zones
        self.definitions = definitions

    def resolve(self, tz_id: str, where: str) -> TimeZoneRule:
        rule = self.definitions.get(tz_id) or self._zones.lookup(tz_id)
        if rule is None:
            raise soap.invalid_request(
                f"unknown time zone \"{tz_id}\" in {where}: it is neither defined by a <tz> in "
                f"the invite nor a zone known to the server")
        return rule


@dataclasses.dataclass
class DateTimeValue:
    """A DATETIME element (<s>, <e>, <exceptId>, <until>, <dtval><s>) as sent."""
    d: str
    tz: Optional[str]
    date: dt.date
    time: Optional[dt.time]
    is_utc: bool
    zone: TimeZoneRule               # resolved zone (UTC for 'Z' and for floating dates)
    range_type: Optional[str] = None

    @property
    def is_date_only(self) -> bool:
        return self.time is None

    def local(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.time or dt.time(0, 0))

    def utc_ms(self) -> int:
        if self.is_utc:
            return naive_to_ms(self.local())
        return self.zone.local_to_utc_ms(self.local())

    def as_dict(self) -> dict:
        result = {"d": self.d, "tz": self.tz}
        if self.range_type is not None:
            result["rangeType"] = self.range_type
        if not self.is_date_only:
            result["utcMillis"] = self.utc_ms()
        return result


def parse_datetime(element: etree._Element, scope: TimeZoneScope, where: str,
                   require_utc_time: bool = False) -> DateTimeValue:
    d = element.get("d")
    if d is None:
        raise soap.invalid_request(f"missing attribute d on {where}")
    match = _DATETIME.match(d)
    if not match:
        raise soap.invalid_request(f"invalid DATETIME d=\"{d}\" on {where} "
                                   f"(expected YYYYMMDD['T'HHMMSS['Z']])")
    year, month, day, hour, minute, second, zulu = match.groups()
    try:
        date = dt.date(int(year), int(month), int(day))
        time = dt.time(int(hour), int(minute), int(second)) if hour is not None else None
    except ValueError as error:
        raise soap.invalid_request(f"invalid DATETIME d=\"{d}\" on {where}: {error}")
    tz_id = element.get("tz")
    is_utc = zulu is not None
    if time is not None and not is_utc and (require_utc_time or not tz_id):
        needed = "a trailing Z" if require_utc_time else "a trailing Z or a tz attribute"
        raise soap.invalid_request(
            f"DATETIME d=\"{d}\" on {where} has a time but no {needed}; a time must be in "
            f"UTC or the tz MUST be specified")
    zone = UTC
    if tz_id:
        resolved = scope.resolve(tz_id, where)
        zone = UTC if is_utc else resolved
    return DateTimeValue(d, tz_id, date, time, is_utc, zone, element.get("rangeType"))


@dataclasses.dataclass
class Duration:
    negative: bool = False
    weeks: int = 0
    days: int = 0
    hours: int = 0
    minutes: int = 0
    seconds: int = 0

    @classmethod
    def from_element(cls, element: etree._Element) -> "Duration":
        def number(name):
            return int(element.get(name, "0") or 0)
        return cls(element.get("neg") in ("1", "true"), number("w"), number("d"), number("h"),
                   number("m"), number("s"))

    def total_minutes(self) -> float:
        total = (self.weeks * 7 * 1440 + self.days * 1440 + self.hours * 60 + self.minutes
                 + self.seconds / 60)
        return -total if self.negative else total

    def millis(self) -> int:
        return int(round(self.total_minutes() * 60000))


@dataclasses.dataclass
class Alarm:
    action: str
    relative: Optional[Duration]
    related: Optional[str]
    absolute: Optional[str]
    description: Optional[str]
    summary: Optional[str]
    element: etree._Element

    def as_dict(self) -> dict:
        minutes = self.relative.total_minutes() if self.relative else None
        if minutes is not None and float(minutes).is_integer():
            minutes = int(minutes)
        return {"action": self.action, "relMinutes": minutes,
                "related": (self.related or "START") if self.relative else None,
                "abs": self.absolute, "desc": self.description, "summary": self.summary}


@dataclasses.dataclass
class Rule:
    """One <rule> of a recurrence (RRULE)."""
    freq: str
    interval: int = 1
    count: Optional[int] = None
    until: Optional[DateTimeValue] = None
    by_day: List[tuple] = dataclasses.field(default_factory=list)   # (ordinal or None, "MO")
    by_month_day: List[int] = dataclasses.field(default_factory=list)
    by_month: List[int] = dataclasses.field(default_factory=list)

    def as_dict(self) -> dict:
        return {"freq": self.freq, "interval": self.interval, "count": self.count,
                "until": self.until.d if self.until else None,
                "byday": [(f"{o}" if o else "") + d for o, d in self.by_day],
                "bymonthday": self.by_month_day, "bymonth": self.by_month}


@dataclasses.dataclass
class Recurrence:
    add_rules: List[Rule] = dataclasses.field(default_factory=list)
    add_dates: List[DateTimeValue] = dataclasses.field(default_factory=list)
    exclude_rules: List[Rule] = dataclasses.field(default_factory=list)
    exclude_dates: List[DateTimeValue] = dataclasses.field(default_factory=list)

    def as_dict(self) -> dict:
        return {"add": [r.as_dict() for r in self.add_rules],
                "rdates": [d.d for d in self.add_dates],
                "exclude": [r.as_dict() for r in self.exclude_rules],
                "exdates": [d.d for d in self.exclude_dates]}


@dataclasses.dataclass
class Invite:
    """One VEVENT: the series (default), an exception, or a cancelled instance."""
    kind: str                                  # "default" | "except" | "cancel"
    uid: str
    attrs: Dict[str, str]                      # the <comp> attributes as sent
    start: DateTimeValue
    end: Optional[DateTimeValue]
    duration: Optional[Duration]
    exception_id: Optional[DateTimeValue]
    organizer: Optional[Dict[str, str]]
    attendees: List[Dict[str, str]]
    alarms: List[Alarm]
    categories: List[str]
    comments: List[str]
    contacts: List[str]
    description: Optional[str]
    description_html: Optional[str]
    recurrence: Optional[Recurrence]
    recurrence_element: Optional[etree._Element]
    timezones: Dict[str, TimeZoneRule]         # zones defined in the request
    referenced_zones: Dict[str, TimeZoneRule]  # every zone its DATETIMEs use, by tz id
    ptst: Optional[str]
    subject: Optional[str]
    component_element: etree._Element          # a copy of <comp> (or <inv> in the short form)
    message_xml: str                           # the request's <m>, verbatim

    @property
    def all_day(self) -> bool:
        return self.attrs.get("allDay") in ("1", "true")

    @property
    def name(self) -> Optional[str]:
        return self.attrs.get("name", self.subject)

    def duration_ms(self) -> int:
        if self.end is not None:
            if self.all_day or self.start.is_date_only:
                # Zimbra's all-day end date is inclusive: <e d="20240101"/> ends that same day.
                days = (self.end.date - self.start.date).days + 1
                return max(days, 0) * 86400000
            return self.end.utc_ms() - self.start.utc_ms()
        if self.duration is not None:
            return self.duration.millis()
        return 86400000 if self.all_day else 0


@dataclasses.dataclass
class Appointment:
    id: int
    uid: str
    folder_id: int
    default: Invite
    exceptions: List[Invite]
    cancels: List[Invite]
    created_ms: int
    change: int
    flags: Optional[str] = None
    tags: Optional[str] = None

    @property
    def is_recurring(self) -> bool:
        return self.default.recurrence is not None and bool(
            self.default.recurrence.add_rules or self.default.recurrence.add_dates)


# ---- parsing ---------------------------------------------------------------------------------
def parse_timezone_definition(element: etree._Element) -> TimeZoneRule:
    def onset(child_name: str) -> Optional[Onset]:
        child = first_child(element, child_name)
        if child is None:
            return None
        def number(name, default=None):
            value = child.get(name)
            return int(value) if value not in (None, "") else default
        return Onset(number("mon", 1), number("hour", 0), number("min", 0), number("sec", 0),
                     week=number("week"), wkday=number("wkday"), mday=number("mday"))

    tz_id = element.get("id")
    if not tz_id:
        raise soap.invalid_request("<tz> without id")
    try:
        stdoff = int(element.get("stdoff", "0"))
        dayoff = int(element.get("dayoff", element.get("stdoff", "0")))
    except ValueError:
        raise soap.invalid_request(f"<tz id=\"{tz_id}\"> has a non-numeric offset")
    standard, daylight = onset("standard"), onset("daylight")
    if (standard is None) != (daylight is None):
        raise soap.invalid_request(f"<tz id=\"{tz_id}\">: if DST is used, both <standard> and "
                                   f"<daylight> must be present")
    return TimeZoneRule(tz_id, stdoff, dayoff, standard, daylight,
                        element.get("stdname"), element.get("dayname"))


def parse_invite(message: etree._Element, kind: str, context: ParseContext,
                 series_uid: Optional[str] = None, ptst: Optional[str] = None) -> Invite:
    """Parses <m> of <default>, <except> or <cancel> (form 1 of soap-calendar.txt: XML <inv>)."""
    inv = first_child(message, "inv")
    if inv is None:
        raise soap.invalid_request(
            f"<{kind}><m> has no <inv>; this test server implements the XML invite form only "
            f"(no raw MIME import)")
    component = first_child(inv, "comp")
    if component is None:
        component = inv   # the short form: <inv> carries the component's attributes itself
    definitions = {}
    for tz_element in children(message, "tz") + children(inv, "tz"):
        rule = parse_timezone_definition(tz_element)
        definitions[rule.id] = rule
    scope = TimeZoneScope(context.zones, definitions)
    uid = _invite_uid(component, inv, kind, series_uid, context.max_uid_bytes)
    start_element = first_child(component, "s")
    if start_element is None:
        raise soap.invalid_request(f"<{kind}> invite has no start time <s>")
    start = parse_datetime(start_element, scope, f"<{kind}> <s>")
    end = _optional_datetime(component, "e", scope, kind)
    duration_element = first_child(component, "dur")
    duration = Duration.from_element(duration_element) if duration_element is not None else None
    exception_id = _optional_datetime(component, "exceptId", scope, kind)
    if kind in ("except", "cancel") and exception_id is None:
        raise soap.invalid_request(f"<{kind}> invite needs <exceptId> (the RECURRENCE-ID)")
    if end is not None and not (start.is_date_only or end.is_date_only) \
            and end.utc_ms() < start.utc_ms():
        raise soap.invalid_request(f"<{kind}> invite ends ({end.d}) before it starts ({start.d})")
    recurrence_element = first_child(component, "recur")
    recurrence = (parse_recurrence(recurrence_element, scope, kind)
                  if recurrence_element is not None else None)
    referenced = {v.tz: v.zone for v in (start, end, exception_id) if v is not None and v.tz}
    return Invite(
        kind=kind, uid=uid, attrs=dict(component.attrib), start=start, end=end,
        duration=duration, exception_id=exception_id,
        organizer=_party(first_child(component, "or")),
        attendees=[_party(a) for a in children(component, "at")],
        alarms=[_parse_alarm(a) for a in children(component, "alarm")],
        categories=[c.text or "" for c in children(component, "category")],
        comments=[c.text or "" for c in children(component, "comment")],
        contacts=[c.text or "" for c in children(component, "contact")],
        description=_text_of(component, "desc") or _mime_text(message, "text/plain"),
        description_html=_text_of(component, "descHtml") or _mime_text(message, "text/html"),
        recurrence=recurrence,
        recurrence_element=copy.deepcopy(recurrence_element) if recurrence_element is not None else None,
        timezones=definitions, referenced_zones=referenced, ptst=ptst,
        subject=message.get("su"), component_element=copy.deepcopy(component),
        message_xml=etree.tostring(message, encoding="unicode"))


def _invite_uid(component, inv, kind: str, series_uid: Optional[str], max_uid_bytes: int) -> str:
    uid = component.get("uid") or inv.get("uid") or series_uid or str(uuid.uuid4())
    if series_uid is not None:
        uid = series_uid  # exceptions and cancellations belong to the series' UID
    size = len(uid.encode("utf-8"))
    if size > max_uid_bytes:
        raise soap.failure(
            f"unable to store calendar item: UID is {size} bytes, the mail_item UID column holds "
            f"at most {max_uid_bytes}")
    return uid


def _optional_datetime(component, name: str, scope: TimeZoneScope, kind: str):
    element = first_child(component, name)
    return parse_datetime(element, scope, f"<{kind}> <{name}>") if element is not None else None


def _party(element) -> Optional[Dict[str, str]]:
    if element is None:
        return None
    party = dict(element.attrib)
    # Zimbra answers with both forms of the address; accept either on input.
    if "a" not in party and "url" in party:
        party["a"] = party["url"]
    return party


def _parse_alarm(element) -> Alarm:
    trigger = first_child(element, "trigger")
    relative_element = first_child(trigger, "rel") if trigger is not None else None
    absolute_element = first_child(trigger, "abs") if trigger is not None else None
    return Alarm(
        action=element.get("action", ""),
        relative=Duration.from_element(relative_element) if relative_element is not None else None,
        related=relative_element.get("related") if relative_element is not None else None,
        absolute=absolute_element.get("d") if absolute_element is not None else None,
        description=_text_of(element, "desc"),
        summary=_text_of(element, "summary"),
        element=copy.deepcopy(element))


def _text_of(element, name: str) -> Optional[str]:
    child = first_child(element, name)
    return child.text if child is not None and child.text is not None else None


def _mime_text(message, content_type: str) -> Optional[str]:
    """The content of the first <mp ct="..."> of that type (nested multiparts included)."""
    for part in message.iter(f"{{{soap.MAIL_NS}}}mp"):
        if (part.get("ct") or "").lower() == content_type and part.get("content") is not None:
            return part.get("content")
    return None


def parse_recurrence(element, scope: TimeZoneScope, kind: str) -> Recurrence:
    recurrence = Recurrence()
    _collect_recurrence(element, scope, kind, recurrence, exclude=False)
    return recurrence


def _collect_recurrence(element, scope, kind, recurrence: Recurrence, exclude: bool) -> None:
    for child in element:
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        if local in ("add", "exclude"):
            _collect_recurrence(child, scope, kind, recurrence, exclude=(local == "exclude"))
        elif local == "rule":
            (recurrence.exclude_rules if exclude else recurrence.add_rules).append(
                _parse_rule(child, scope, kind))
        elif local == "dates":
            for dtval in children(child, "dtval"):
                start = first_child(dtval, "s")
                if start is None:
                    continue
                if child.get("tz") and start.get("tz") is None:
                    start = copy.copy(start)
                    start.set("tz", child.get("tz"))
                value = parse_datetime(start, scope, f"<{kind}> <recur><dates>")
                (recurrence.exclude_dates if exclude else recurrence.add_dates).append(value)


def _parse_rule(element, scope: TimeZoneScope, kind: str) -> Rule:
    freq = element.get("freq", "")
    if freq not in RECURRENCE_FREQUENCIES:
        raise soap.invalid_request(f"<rule freq=\"{freq}\"> in <{kind}>: freq must be one of "
                                   f"{', '.join(sorted(RECURRENCE_FREQUENCIES))}")
    rule = Rule(freq)
    interval = first_child(element, "interval")
    if interval is not None:
        rule.interval = max(1, _int(interval.get("ival"), "interval ival"))
    count = first_child(element, "count")
    if count is not None:
        rule.count = _int(count.get("num"), "count num")
    until = first_child(element, "until")
    if until is not None:
        # "UNTIL *MUST* be Date value or DateTime in UTC w/ trailing 'Z'"
        rule.until = parse_datetime(until, scope, f"<{kind}> <rule><until>", require_utc_time=True)
    by_day = first_child(element, "byday")
    if by_day is not None:
        for wkday in children(by_day, "wkday"):
            day = (wkday.get("day") or "").upper()
            if day not in WEEKDAYS:
                raise soap.invalid_request(f"<wkday day=\"{day}\"> is not a weekday")
            ordinal = wkday.get("ordwk")
            rule.by_day.append((_int(ordinal, "ordwk") if ordinal else None, day))
    month_day = first_child(element, "bymonthday")
    if month_day is not None:
        rule.by_month_day = _int_list(month_day.get("modaylist"), "modaylist")
    month = first_child(element, "bymonth")
    if month is not None:
        rule.by_month = _int_list(month.get("molist"), "molist")
    return rule


def _int(text: Optional[str], what: str) -> int:
    try:
        return int((text or "").strip().lstrip("+"))
    except ValueError:
        raise soap.invalid_request(f"{what} is not a number: {text!r}")


def _int_list(text: Optional[str], what: str) -> List[int]:
    return [_int(part, what) for part in (text or "").split(",") if part.strip()]
