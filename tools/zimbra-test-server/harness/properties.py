"""`t:property` values and the `${...}` expressions of the QA scripts.

Expressions are resolved innermost first, so `${TIME(-8h)[${appt.start.gmt}]}` first becomes
`${TIME(-8h)[1263830400000]}` and then a number.  Supported:
  ${name}                       a property (left as written when undefined, like the harness)
  ${COUNTER}                    1, 2, 3, ... for this run
  ${TIME}[(±Nu)...][[base]]     milliseconds since 1970 (now, or base), plus offsets
  ${ICALTIME...}                the same instant as YYYYMMDDTHHMMSS in UTC (scripts append Z)
  ${CURRDATE...}                the same instant as YYYYMMDD (UTC)
  ${GENTIME...}                 the same instant as YYYYMMDDHHMMSSZ (LDAP generalized time)
Offsets are (+N|-N) with unit s, m, h, d or w; several may follow one another.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import time
from typing import Dict, Optional

_INNERMOST = re.compile(r"\$\{([^${}]*)\}")
_TIME_FUNCTION = re.compile(r"^(TIME|ICALTIME|CURRDATE|GENTIME)((?:\((?:[+-]\d+[smhdw])?\))*)"
                            r"(?:\[(-?\d+)\])?$")
_OFFSET = re.compile(r"\(([+-]\d+)([smhdw])\)")
_UNDEFINED_MARK = "$\u2060{"  # "${" with a word joiner, restored after resolution
_UNIT_MS = {"s": 1000, "m": 60000, "h": 3600000, "d": 86400000, "w": 7 * 86400000}
_FORMATS = {"ICALTIME": "%Y%m%dT%H%M%S", "CURRDATE": "%Y%m%d", "GENTIME": "%Y%m%d%H%M%SZ"}


class Properties:
    def __init__(self, initial: Optional[Dict[str, str]] = None, counter=None):
        self._values: Dict[str, str] = dict(initial or {})
        self._counter = counter if counter is not None else itertools.count(1)

    def set(self, name: str, value: str) -> None:
        self._values[name] = value

    def get(self, name: str) -> Optional[str]:
        return self._values.get(name)

    def resolve(self, text: Optional[str]) -> Optional[str]:
        if text is None or "${" not in text:
            return text
        for _ in range(100):  # nesting depth guard
            changed = _INNERMOST.sub(self._replace, text)
            if changed == text:
                break
            text = changed
        return text.replace(_UNDEFINED_MARK, "${")

    def _replace(self, match: re.Match) -> str:
        expression = match.group(1)
        if expression == "COUNTER":
            return str(next(self._counter))
        function = _TIME_FUNCTION.match(expression)
        if function:
            return _evaluate_time(*function.groups())
        value = self._values.get(expression)
        # An undefined property stays as written; the mark keeps it from matching again.
        return value if value is not None else _UNDEFINED_MARK + expression + "}"


def _evaluate_time(name: str, offsets: str, base: Optional[str]) -> str:
    millis = int(base) if base is not None else int(time.time() * 1000)
    for amount, unit in _OFFSET.findall(offsets or ""):
        millis += int(amount) * _UNIT_MS[unit]
    if name == "TIME":
        return str(millis)
    instant = dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=millis)
    return instant.strftime(_FORMATS[name])
