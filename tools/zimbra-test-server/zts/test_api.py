"""The JSON API under /test/ (read-back and control); see README.md for the shapes."""

from __future__ import annotations

from typing import Tuple

from .calendar.render import appointment_json
from .handlers.contacts import contacts_json
from .handlers.tasks import tasks_json
from .control import FaultRule, edit_items


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def account_state(state, account_name: str) -> dict:
    """GET /test/state?account=NAME"""
    if not account_name:
        raise ApiError(400, "missing query parameter: account")
    account = state.directory.find("name", account_name)
    if account is None:
        raise ApiError(404, f"no such account: {account_name}")
    mailbox = account.mailbox
    with mailbox.lock:
        folders = [{"id": f.id, "name": f.name, "parentId": f.parent_id,
                    "path": mailbox.path_of(f.id), "view": f.view, "uuid": f.uuid,
                    "color": f.color, "flags": f.flags}
                   for f in sorted(mailbox.folders.values(), key=lambda f: f.id)]
        appointments = [appointment_json(a, mailbox.path_of(a.folder_id), account.name)
                        for a in sorted(mailbox.appointments.values(), key=lambda a: a.id)]
        for entry in appointments:
            entry["attachments"] = [upload.as_json()
                                    for upload in mailbox.item_attachments.get(entry["id"], [])]
        contacts = contacts_json(mailbox)
        tasks = tasks_json(mailbox)
        filter_rules = list(mailbox.filter_rules)
        outgoing_filter_rules = list(mailbox.outgoing_filter_rules)
        prefs = {name: list(values) for name, values in sorted(mailbox.prefs.items())}
        change = mailbox.change
    return {"account": {"id": account.id, "name": account.name, "isAdmin": account.is_admin},
            "changeToken": change, "folders": folders, "appointments": appointments,
            "contacts": contacts, "tasks": tasks, "filterRules": filter_rules,
            "outgoingFilterRules": outgoing_filter_rules, "prefs": prefs}


def apply_control(state, payload) -> Tuple[int, dict]:
    """POST /test/control: applies each known key in a fixed order; unknown keys are errors so
    a typo in a test does not silently do nothing."""
    if not isinstance(payload, dict):
        raise ApiError(400, "control body must be a JSON object")
    known = {"reset", "maintenance", "expire_tokens", "clear_faults", "faults", "edit_items",
             "mail_settings"}
    unknown = set(payload) - known
    if unknown:
        raise ApiError(400, f"unknown control keys: {sorted(unknown)}; known: {sorted(known)}")
    applied = []
    if payload.get("reset"):
        state.reset()
        applied.append("reset")
    if "maintenance" in payload:
        applied.append(_set_maintenance(state, payload["maintenance"]))
    if payload.get("expire_tokens"):
        count = state.directory.expire_all_tokens()
        applied.append(f"expire_tokens:{count}")
    if payload.get("clear_faults"):
        state.control.clear_rules()
        applied.append("clear_faults")
    if "faults" in payload:
        rules = payload["faults"]
        if not isinstance(rules, list):
            raise ApiError(400, "faults must be a list of rule objects")
        try:
            parsed = [FaultRule.from_json(rule) for rule in rules]
        except (TypeError, ValueError) as error:
            raise ApiError(400, str(error))
        state.control.add_rules(parsed)
        applied.append(f"faults:{len(parsed)}")
    if "edit_items" in payload:
        try:
            applied += edit_items(state, payload["edit_items"])
        except KeyError as error:
            raise ApiError(404, str(error))
        except (TypeError, ValueError) as error:
            raise ApiError(400, str(error))
    if "mail_settings" in payload:
        applied.append(_seed_mail_settings(state, payload["mail_settings"]))
    return 200, {"ok": True, "applied": applied, "faults": state.control.rules()}


def _set_maintenance(state, setting) -> str:
    if not isinstance(setting, dict) or "account" not in setting:
        raise ApiError(400, 'maintenance needs {"account": NAME, "on": true|false}')
    name = setting["account"]
    if state.directory.find("name", name) is None:
        raise ApiError(404, f"no such account: {name}")
    on = bool(setting.get("on", True))
    state.control.set_maintenance(name, on)
    return f"maintenance:{name}:{'on' if on else 'off'}"


def _seed_mail_settings(state, setting) -> str:
    """{"account": NAME, "filterRules": [XML...], "outgoingFilterRules": [XML...],
    "prefs": {NAME: VALUE or [VALUES]}}: what the user already has before a migration. Rules
    replace the account's rules; prefs are checked and set as ModifyPrefs would."""
    from .handlers.filters import rule_from_text
    from .handlers.prefs import apply_prefs
    from .soap import ZimbraFault
    if not isinstance(setting, dict) or "account" not in setting:
        raise ApiError(400, 'mail_settings needs {"account": NAME, ...}')
    account = state.directory.find("name", setting["account"])
    if account is None:
        raise ApiError(404, f"no such account: {setting['account']}")
    mailbox = account.mailbox
    done = []
    try:
        with mailbox.lock:
            for key, attribute in (("filterRules", "filter_rules"), ("outgoingFilterRules", "outgoing_filter_rules")):
                if key in setting:
                    setattr(mailbox, attribute, [rule_from_text(text) for text in setting[key]])
                    done.append(f"{key}:{len(setting[key])}")
            if "prefs" in setting:
                prefs = {name: value if isinstance(value, list) else [value]
                         for name, value in setting["prefs"].items()}
                apply_prefs(mailbox, prefs)
                done.append(f"prefs:{len(prefs)}")
            mailbox.bump_change()
    except ZimbraFault as fault:
        raise ApiError(400, fault.reason)
    except (TypeError, ValueError, AttributeError) as error:
        raise ApiError(400, str(error))
    return "mail_settings:" + ",".join(done)
