"""Instances of a calendar item in a time window (for GetApptSummaries and SearchRequest).

Covers what migrated calendars use: DAI/WEE/MON/YEA rules with INTERVAL, COUNT, UNTIL, BYDAY
(with ordinals for MON/YEA), BYMONTHDAY and BYMONTH; RDATE/EXDATE; modified instances
(<except>) and cancelled ones (<cancel>).  Sub-daily frequencies expand to the first instance
only.  Times are generated as wall-clock times in the start's zone, then converted to UTC, so a
daily 9:00 meeting stays at 9:00 across a DST change as it does on the server.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from typing import Iterator, List, Optional

from .model import WEEKDAYS, Appointment, DateTimeValue, Invite, Rule

MAX_GENERATED_INSTANCES = 20000  # a safety net for rules without COUNT/UNTIL


@dataclasses.dataclass
class Instance:
    start_ms: int
    duration_ms: int
    invite: Invite
    is_exception: bool
    recurrence_id_ms: Optional[int]

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.duration_ms


def instances_in_window(appointment: Appointment, window_start_ms: int,
                        window_end_ms: int) -> List[Instance]:
    series = appointment.default
    duration = series.duration_ms()
    cancelled = {_recurrence_key(c.exception_id) for c in appointment.cancels}
    replaced = {_recurrence_key(e.exception_id): e for e in appointment.exceptions}
    instances = []
    for start_ms in _series_starts(series, window_end_ms):
        key = start_ms
        if key in cancelled or key in replaced:
            continue
        instances.append(Instance(start_ms, duration, series, False,
                                  start_ms if appointment.is_recurring else None))
    for exception in appointment.exceptions:
        instances.append(Instance(exception.start.utc_ms(), exception.duration_ms(), exception,
                                  True, _recurrence_key(exception.exception_id)))
    return sorted((i for i in instances if _overlaps(i, window_start_ms, window_end_ms)),
                  key=lambda i: i.start_ms)


def _overlaps(instance: Instance, start_ms: int, end_ms: int) -> bool:
    if instance.duration_ms <= 0:
        return start_ms <= instance.start_ms < end_ms
    return instance.start_ms < end_ms and instance.end_ms > start_ms


def _recurrence_key(value: Optional[DateTimeValue]) -> Optional[int]:
    return value.utc_ms() if value is not None else None


def _series_starts(series: Invite, window_end_ms: int) -> List[int]:
    """UTC start times of the series up to the window's end (exclusions applied)."""
    start = series.start
    if series.recurrence is None or not (series.recurrence.add_rules or series.recurrence.add_dates):
        return [start.utc_ms()]
    zone_start = start.local()
    to_utc = (lambda local: _local_to_utc(start, local))
    starts = {start.utc_ms()}
    for rule in series.recurrence.add_rules:
        for local in _rule_occurrences(rule, zone_start, start, window_end_ms, to_utc):
            starts.add(to_utc(local))
    for rdate in series.recurrence.add_dates:
        starts.add(rdate.utc_ms() if not rdate.is_date_only
                   else to_utc(dt.datetime.combine(rdate.date, zone_start.time())))
    excluded = set()
    for rule in series.recurrence.exclude_rules:
        for local in _rule_occurrences(rule, zone_start, start, window_end_ms, to_utc):
            excluded.add(to_utc(local))
    for exdate in series.recurrence.exclude_dates:
        excluded.add(exdate.utc_ms() if not exdate.is_date_only
                     else to_utc(dt.datetime.combine(exdate.date, zone_start.time())))
    return sorted(s for s in starts - excluded if s < window_end_ms)


def _local_to_utc(start: DateTimeValue, local: dt.datetime) -> int:
    if start.is_utc:
        return int((local - dt.datetime(1970, 1, 1)).total_seconds() * 1000)
    return start.zone.local_to_utc_ms(local)


def _rule_occurrences(rule: Rule, dtstart: dt.datetime, start: DateTimeValue,
                      window_end_ms: int, to_utc) -> Iterator[dt.datetime]:
    """Local start times produced by one RRULE, DTSTART included (it counts as the first)."""
    until_ms = _until_ms(rule, start)
    produced = 0
    for period in range(MAX_GENERATED_INSTANCES):
        candidates = sorted(c for c in _period_candidates(rule, dtstart, period) if c >= dtstart)
        if period == 0 and dtstart not in candidates:
            candidates = [dtstart] + candidates
        for local in candidates:
            utc = to_utc(local)
            if until_ms is not None and utc > until_ms:
                return
            if rule.count is not None and produced >= rule.count:
                return
            if utc >= window_end_ms and rule.count is None:
                return
            produced += 1
            yield local
        if rule.freq not in ("DAI", "WEE", "MON", "YEA"):
            return
        if produced >= MAX_GENERATED_INSTANCES:
            return


def _until_ms(rule: Rule, start: DateTimeValue) -> Optional[int]:
    if rule.until is None:
        return None
    if rule.until.is_date_only:
        # An UNTIL date includes the whole day in the series' zone.
        end_of_day = dt.datetime.combine(rule.until.date, dt.time(23, 59, 59))
        return _local_to_utc(start, end_of_day)
    return rule.until.utc_ms()


def _period_candidates(rule: Rule, dtstart: dt.datetime, period: int) -> List[dt.datetime]:
    time = dtstart.time()
    step = rule.interval * period
    if rule.freq == "DAI":
        day = dtstart.date() + dt.timedelta(days=step)
        return [dt.datetime.combine(day, time)] if _day_allowed(rule, day) else []
    if rule.freq == "WEE":
        week_start = dtstart.date() - dt.timedelta(days=dtstart.weekday()) + dt.timedelta(weeks=step)
        weekdays = [WEEKDAYS.index(d) for _, d in rule.by_day] or [dtstart.weekday()]
        return [dt.datetime.combine(week_start + dt.timedelta(days=w), time)
                for w in sorted(set(weekdays))]
    if rule.freq == "MON":
        month_index = dtstart.month - 1 + step
        year, month = dtstart.year + month_index // 12, month_index % 12 + 1
        if rule.by_month and month not in rule.by_month:
            return []
        return [dt.datetime.combine(day, time) for day in _days_in_month(rule, dtstart, year, month)]
    if rule.freq == "YEA":
        year = dtstart.year + step
        months = rule.by_month or [dtstart.month]
        return [dt.datetime.combine(day, time) for month in months
                for day in _days_in_month(rule, dtstart, year, month)]
    return []  # SEC/MIN/HOU: only DTSTART (see module docstring)


def _day_allowed(rule: Rule, day: dt.date) -> bool:
    if rule.by_month and day.month not in rule.by_month:
        return False
    if rule.by_day and WEEKDAYS[day.weekday()] not in {d for _, d in rule.by_day}:
        return False
    if rule.by_month_day and day.day not in _resolve_month_days(rule.by_month_day, day.year, day.month):
        return False
    return True


def _days_in_month(rule: Rule, dtstart: dt.datetime, year: int, month: int) -> List[dt.date]:
    length = calendar.monthrange(year, month)[1]
    if rule.by_day:
        days = []
        for ordinal, weekday in rule.by_day:
            matching = [dt.date(year, month, d) for d in range(1, length + 1)
                        if dt.date(year, month, d).weekday() == WEEKDAYS.index(weekday)]
            if ordinal is None:
                days.extend(matching)
            elif -len(matching) <= ordinal <= len(matching) and ordinal != 0:
                days.append(matching[ordinal - 1 if ordinal > 0 else ordinal])
        if rule.by_month_day:
            allowed = _resolve_month_days(rule.by_month_day, year, month)
            days = [d for d in days if d.day in allowed]
        return sorted(set(days))
    month_days = (_resolve_month_days(rule.by_month_day, year, month) if rule.by_month_day
                  else [dtstart.day])
    return [dt.date(year, month, d) for d in sorted(set(month_days)) if 1 <= d <= length]


def _resolve_month_days(values: List[int], year: int, month: int) -> List[int]:
    length = calendar.monthrange(year, month)[1]
    return [v if v > 0 else length + 1 + v for v in values if v != 0]
