"""urn:zimbraAccount preference requests: GetPrefsRequest / ModifyPrefsRequest, with the checks
Zimbra's attribute manager applies to the out-of-office preferences."""

from __future__ import annotations

import datetime
import re
from typing import Dict, List

from .. import soap
from ..dispatcher import RequestContext, handler
from ..soap import ACCOUNT_NS, ZimbraFault, children, response_element, sub

BOOLEAN_PREFS = {
    "zimbraPrefOutOfOfficeReplyEnabled",
    "zimbraPrefOutOfOfficeExternalReplyEnabled",
    "zimbraPrefOutOfOfficeSuppressExternalReply",
}
DATE_PREFS = {"zimbraPrefOutOfOfficeFromDate", "zimbraPrefOutOfOfficeUntilDate"}
# zimbra-attrs.xml: zimbraPrefExternalSendersType (ALL, ALLNOTINAB; INAB and INSD since 8.5).
ENUM_PREFS = {"zimbraPrefExternalSendersType": {"ALL", "ALLNOTINAB", "INAB", "INSD"}}
GENERALIZED_TIME = re.compile(r"^\d{14}Z$")


def invalid_attr_value(name: str, value: str, why: str) -> ZimbraFault:
    return ZimbraFault("account.INVALID_ATTR_VALUE", f"{name} must be {why}, not {value!r}")


def checked(name: str, value: str) -> str:
    """Zimbra's checks for the preferences this server knows; other zimbraPref* values pass."""
    if not name.startswith("zimbraPref"):
        raise soap.invalid_request(f"pref name must start with zimbraPref: {name}")
    if name in BOOLEAN_PREFS and value not in ("TRUE", "FALSE"):
        raise invalid_attr_value(name, value, "TRUE or FALSE")
    if name in DATE_PREFS:
        if not GENERALIZED_TIME.match(value):
            raise invalid_attr_value(name, value, "a generalized time yyyyMMddHHmmssZ")
        try:
            datetime.datetime.strptime(value, "%Y%m%d%H%M%SZ")
        except ValueError:
            raise invalid_attr_value(name, value, "a valid date and time")
    if name in ENUM_PREFS and value not in ENUM_PREFS[name]:
        raise invalid_attr_value(name, value, "one of " + ", ".join(sorted(ENUM_PREFS[name])))
    return value


def apply_prefs(mailbox, updates: Dict[str, List[str]]) -> None:
    """Sets each named pref to its values (an empty value removes it), after checking them all,
    and the from/until order, so that a refused request changes nothing."""
    merged = {name: list(values) for name, values in mailbox.prefs.items()}
    for name, values in updates.items():
        for value in values:
            checked(name, value)
        kept = [v for v in values if v != ""]
        if kept:
            merged[name] = kept
        else:
            merged.pop(name, None)
    start = merged.get("zimbraPrefOutOfOfficeFromDate", [None])[0]
    until = merged.get("zimbraPrefOutOfOfficeUntilDate", [None])[0]
    if start and until and until < start:
        raise invalid_attr_value("zimbraPrefOutOfOfficeUntilDate", until,
                                 "later than zimbraPrefOutOfOfficeFromDate")
    mailbox.prefs = merged


@handler(ACCOUNT_NS, "GetPrefsRequest", uses_mailbox=True)
def get_prefs(ctx: RequestContext, request):
    wanted = [p.get("name") for p in children(request, "pref") if p.get("name")]
    response = response_element(ACCOUNT_NS, "GetPrefsResponse")
    with ctx.mailbox.lock:
        prefs = ctx.mailbox.prefs
        names = wanted if wanted else sorted(prefs)
        for name in names:
            for value in prefs.get(name, []):
                sub(response, "pref", value, name=name)
    return response


@handler(ACCOUNT_NS, "ModifyPrefsRequest", uses_mailbox=True)
def modify_prefs(ctx: RequestContext, request):
    updates: Dict[str, List[str]] = {}
    for pref in children(request, "pref"):
        name = pref.get("name") or ""
        updates.setdefault(name, []).append(pref.text or "")
    with ctx.mailbox.lock:
        apply_prefs(ctx.mailbox, updates)
        ctx.mailbox.bump_change()
    return response_element(ACCOUNT_NS, "ModifyPrefsResponse")
