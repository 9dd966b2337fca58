"""The test control side of the server: the request log and fault injection.

Fault injection is a list of rules consulted at two points of every SOAP request:
  * before the handler runs ("before commit": nothing has been stored yet), and
  * after the handler has stored its changes but before the answer is written
    ("after commit": the client sees a failure although the server did the work).
A rule matches by request name and/or target account and fires `count` times (default: once;
-1 = until cleared).  Kinds:
  http_status        answer with a bare HTTP status (e.g. 503) and no SOAP body   (before)
  soap_fault         answer with a Zimbra fault {code, reason}                    (before)
  delay              sleep `ms` milliseconds, then carry on normally               (before)
  drop_before_commit close the connection without an answer, nothing stored       (before)
  drop_after_commit  run the request, then close the connection without an answer (after)
Maintenance mode and token expiry are the two faults Zimbra itself produces for whole accounts;
they are switches rather than rules.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from typing import Dict, List, Optional

FAULT_KINDS = {"http_status", "soap_fault", "delay", "drop_before_commit", "drop_after_commit"}
BEFORE_COMMIT_KINDS = {"http_status", "soap_fault", "delay", "drop_before_commit"}


@dataclasses.dataclass
class FaultRule:
    kind: str
    request: Optional[str] = None     # e.g. "SetAppointmentRequest"; None = any request
    account: Optional[str] = None     # target account name; None = any
    count: int = 1                    # how many more times it fires; -1 = forever
    status: int = 503                 # http_status
    ms: int = 0                       # delay
    code: str = "service.TEMPORARILY_UNAVAILABLE"   # soap_fault
    reason: str = "injected fault"

    def matches(self, request: str, account: Optional[str]) -> bool:
        if self.count == 0:
            return False
        if self.request and self.request != request:
            return False
        if self.account and (account or "").lower() != self.account.lower():
            return False
        return True

    @classmethod
    def from_json(cls, data: dict) -> "FaultRule":
        kind = data.get("kind")
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {sorted(FAULT_KINDS)}")
        fields = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - fields
        if unknown:
            raise ValueError(f"unknown fault rule fields: {sorted(unknown)}")
        return cls(**data)


@dataclasses.dataclass
class LoggedRequest:
    seq: int
    name: str
    namespace: str
    endpoint: str
    account: Optional[str]
    fault: Optional[str]
    http_status: int
    injected: Optional[str] = None

    def as_json(self) -> dict:
        return {"seq": self.seq, "name": self.name, "namespace": self.namespace,
                "endpoint": self.endpoint, "account": self.account, "fault": self.fault,
                "httpStatus": self.http_status, "injected": self.injected}


class TestControl:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._requests: List[LoggedRequest] = []
            self._rules: List[FaultRule] = []
            self._maintenance: Dict[str, bool] = {}

    # ---- request log -------------------------------------------------------------------------
    def log_request(self, **fields) -> LoggedRequest:
        with self._lock:
            entry = LoggedRequest(seq=len(self._requests) + 1, **fields)
            self._requests.append(entry)
            return entry

    def requests(self, since: int = 0) -> List[dict]:
        with self._lock:
            return [r.as_json() for r in self._requests if r.seq > since]

    # ---- maintenance mode --------------------------------------------------------------------
    def set_maintenance(self, account: str, on: bool) -> None:
        with self._lock:
            self._maintenance[account.lower()] = on

    def in_maintenance(self, account: Optional[str]) -> bool:
        with self._lock:
            return bool(account) and self._maintenance.get(account.lower(), False)

    # ---- fault rules -------------------------------------------------------------------------
    def add_rules(self, rules: List[FaultRule]) -> None:
        with self._lock:
            self._rules.extend(rules)

    def clear_rules(self) -> None:
        with self._lock:
            self._rules = []

    def rules(self) -> List[dict]:
        with self._lock:
            return [dataclasses.asdict(r) for r in self._rules]

    def take_fault(self, request: str, account: Optional[str], after_commit: bool) -> Optional[FaultRule]:
        """The first matching rule for this point of the request, consuming one firing."""
        kinds = {"drop_after_commit"} if after_commit else BEFORE_COMMIT_KINDS
        with self._lock:
            for rule in self._rules:
                if rule.kind in kinds and rule.matches(request, account):
                    if rule.count > 0:
                        rule.count -= 1
                    return dataclasses.replace(rule)
        return None


def apply_delay(rule: FaultRule) -> None:
    time.sleep(max(rule.ms, 0) / 1000.0)


# ---- item edits (POST /test/control {"edit_items": [...]}) -----------------------------------
def edit_items(state, edits) -> List[str]:
    """Changes stored items behind the client's back, as a user (or a fault) might, so tests can
    plant differences for `mapi2zimbra verify` to find. Each edit is one of
      {"account": NAME, "id": ITEM_ID, "shift_days": N}  moves an appointment's default invite
                                                          (start and end) by N days
      {"account": NAME, "id": ITEM_ID, "delete": true}   deletes an appointment (or a contact)
    Raises ValueError (or KeyError for an unknown account or item) naming the bad edit."""
    import datetime as dt

    if not isinstance(edits, list):
        raise ValueError("edit_items must be a list of edit objects")
    applied = []
    for edit in edits:
        if not isinstance(edit, dict) or "account" not in edit or "id" not in edit:
            raise ValueError(f'an edit needs "account" and "id": {edit!r}')
        account = state.directory.find("name", edit["account"])
        if account is None:
            raise KeyError(f"no such account: {edit['account']}")
        mailbox = account.mailbox
        item_id = int(edit["id"])
        with mailbox.lock:
            if edit.get("delete"):
                appointment = mailbox.appointments.pop(item_id, None)
                if appointment is not None:
                    mailbox._appointment_ids_by_uid.pop(appointment.uid, None)
                elif item_id in getattr(mailbox, "contacts", {}):
                    mailbox.contacts.pop(item_id)
                else:
                    raise KeyError(f"no item {item_id} in {edit['account']}")
                mailbox.bump_change()
                applied.append(f"delete:{item_id}")
            elif "shift_days" in edit:
                appointment = mailbox.appointments.get(item_id)
                if appointment is None:
                    raise KeyError(f"no appointment {item_id} in {edit['account']}")
                days = int(edit["shift_days"])
                invite = appointment.default
                invite.start = _shifted(invite.start, days, dt)
                if invite.end is not None:
                    invite.end = _shifted(invite.end, days, dt)
                appointment.change = mailbox.bump_change()
                applied.append(f"shift:{item_id}:{days}")
            else:
                raise ValueError(f"unknown edit (give shift_days or delete): {edit!r}")
    return applied


def _shifted(value, days, dt):
    date = value.date + dt.timedelta(days=days)
    if value.is_date_only:
        text = date.strftime("%Y%m%d")
    else:
        text = date.strftime("%Y%m%d") + value.time.strftime("T%H%M%S") + ("Z" if value.is_utc else "")
    return dataclasses.replace(value, d=text, date=date)
