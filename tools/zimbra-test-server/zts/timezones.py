"""Time zones as Zimbra models them: a standard offset plus at most one yearly DST rule.

Two sources: the server's well-known zones (Zimbra's timezones.ics, here
zimbra-docs/timezones-test.ics, TZIDs plus their X-ZIMBRA-TZ-ALIAS names such as
"(GMT-08.00) Pacific Time (US & Canada)"), and <tz> definitions sent inside an invite.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from typing import Dict, Optional

_EPOCH = dt.datetime(1970, 1, 1)
_ICAL_WEEKDAYS = {"SU": 1, "MO": 2, "TU": 3, "WE": 4, "TH": 5, "FR": 6, "SA": 7}


@dataclasses.dataclass(frozen=True)
class Onset:
    """A yearly transition: month, then either (week, wkday) or mday, at hour:min:sec local.
    week 1..4 = n-th, -1 = last; wkday 1 = Sunday .. 7 = Saturday (soap-calendar.txt)."""
    mon: int
    hour: int = 0
    min: int = 0
    sec: int = 0
    week: Optional[int] = None
    wkday: Optional[int] = None
    mday: Optional[int] = None

    def in_year(self, year: int) -> dt.datetime:
        if self.mday is not None:
            last_day = calendar.monthrange(year, self.mon)[1]
            day = min(self.mday, last_day)
        else:
            day = _nth_weekday(year, self.mon, self.week or 1, self.wkday or 1)
        return dt.datetime(year, self.mon, day, self.hour, self.min, self.sec)

    def as_dict(self) -> dict:
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


def _nth_weekday(year: int, month: int, week: int, zimbra_wkday: int) -> int:
    python_weekday = (zimbra_wkday + 5) % 7  # Zimbra 1=Sunday; Python Monday=0
    days_in_month = calendar.monthrange(year, month)[1]
    matching = [d for d in range(1, days_in_month + 1)
                if dt.date(year, month, d).weekday() == python_weekday]
    if week < 0 or week > len(matching):
        return matching[week] if week < 0 else matching[-1]
    return matching[week - 1]


@dataclasses.dataclass(frozen=True)
class TimeZoneRule:
    id: str
    stdoff: int                        # minutes east of UTC in standard time
    dayoff: int                        # minutes east of UTC in daylight time
    standard: Optional[Onset] = None   # daylight -> standard transition
    daylight: Optional[Onset] = None   # standard -> daylight transition
    stdname: Optional[str] = None
    dayname: Optional[str] = None

    @property
    def has_dst(self) -> bool:
        return self.standard is not None and self.daylight is not None and self.stdoff != self.dayoff

    def offset_minutes_at_local(self, local: dt.datetime) -> int:
        if not self.has_dst:
            return self.stdoff
        dst_start = self.daylight.in_year(local.year)
        dst_end = self.standard.in_year(local.year)
        if dst_start < dst_end:  # northern hemisphere
            in_dst = dst_start <= local < dst_end
        else:                     # southern: DST spans the new year
            in_dst = local >= dst_start or local < dst_end
        return self.dayoff if in_dst else self.stdoff

    def local_to_utc_ms(self, local: dt.datetime) -> int:
        offset = self.offset_minutes_at_local(local)
        return naive_to_ms(local - dt.timedelta(minutes=offset))

    def offset_minutes_at_utc(self, utc_ms: int) -> int:
        standard_local = ms_to_naive(utc_ms) + dt.timedelta(minutes=self.stdoff)
        if self.offset_minutes_at_local(standard_local) == self.stdoff:
            return self.stdoff
        return self.dayoff

    def as_dict(self) -> dict:
        result = {"id": self.id, "stdoff": self.stdoff, "dayoff": self.dayoff}
        if self.stdname:
            result["stdname"] = self.stdname
        if self.dayname:
            result["dayname"] = self.dayname
        if self.standard:
            result["standard"] = self.standard.as_dict()
        if self.daylight:
            result["daylight"] = self.daylight.as_dict()
        return result


UTC = TimeZoneRule("UTC", 0, 0)


def naive_to_ms(value: dt.datetime) -> int:
    return int((value - _EPOCH).total_seconds() * 1000)


def ms_to_naive(ms: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(milliseconds=ms)


class WellKnownZones:
    """The server's time zone table: TZIDs and aliases of Zimbra's timezones.ics."""

    def __init__(self):
        self._by_name: Dict[str, TimeZoneRule] = {"UTC": UTC}

    @classmethod
    def from_ics(cls, path: Optional[str]) -> "WellKnownZones":
        table = cls()
        if path:
            with open(path, encoding="utf-8") as handle:
                table._load_ics(handle.read())
        return table

    def lookup(self, name: str) -> Optional[TimeZoneRule]:
        return self._by_name.get(name)

    def __len__(self) -> int:
        return len(self._by_name)

    def _load_ics(self, text: str) -> None:
        text = re.sub(r"\r?\n[ \t]", "", text)  # unfold continuation lines
        for block in re.findall(r"BEGIN:VTIMEZONE\n(.*?)END:VTIMEZONE", text.replace("\r", ""), re.S):
            rule, aliases = _parse_vtimezone(block)
            for name in [rule.id] + aliases:
                self._by_name.setdefault(name, rule)


def _parse_vtimezone(block: str):
    tzid = re.search(r"^TZID:(.*)$", block, re.M).group(1).strip()
    aliases = [a.strip() for a in re.findall(r"^X-ZIMBRA-TZ-ALIAS:(.*)$", block, re.M)]
    parts = dict(re.findall(r"BEGIN:(STANDARD|DAYLIGHT)\n(.*?)END:\1", block, re.S))
    standard = _parse_observance(parts.get("STANDARD", ""))
    daylight = _parse_observance(parts.get("DAYLIGHT", "")) if "DAYLIGHT" in parts else None
    stdoff = standard[0]
    if daylight is None or standard[1] is None or daylight[1] is None:
        return TimeZoneRule(tzid, stdoff, stdoff, stdname=standard[2]), aliases
    return TimeZoneRule(tzid, stdoff, daylight[0], standard[1], daylight[1],
                        standard[2], daylight[2]), aliases


def _parse_observance(text: str):
    """(offset minutes, Onset or None, name) of a STANDARD/DAYLIGHT block."""
    offset_text = re.search(r"^TZOFFSETTO:([+-])(\d\d)(\d\d)", text, re.M)
    sign = -1 if offset_text.group(1) == "-" else 1
    offset = sign * (int(offset_text.group(2)) * 60 + int(offset_text.group(3)))
    name_match = re.search(r"^TZNAME:(.*)$", text, re.M)
    name = name_match.group(1).strip() if name_match else None
    rrule = re.search(r"^RRULE:(.*)$", text, re.M)
    start = re.search(r"^DTSTART:\d{8}T(\d\d)(\d\d)(\d\d)", text, re.M)
    if not rrule or not start:
        return offset, None, name
    fields = dict(item.split("=", 1) for item in rrule.group(1).split(";") if "=" in item)
    hour, minute, second = (int(start.group(i)) for i in (1, 2, 3))
    month = int(fields.get("BYMONTH", "1"))
    if "BYDAY" in fields:
        match = re.match(r"([+-]?\d)?([A-Z]{2})", fields["BYDAY"])
        week = int(match.group(1) or 1)
        onset = Onset(month, hour, minute, second, week=week, wkday=_ICAL_WEEKDAYS[match.group(2)])
    else:
        onset = Onset(month, hour, minute, second, mday=int(fields.get("BYMONTHDAY", "1")))
    return offset, onset, name
