"""urn:zimbraAdmin requests (soap-admin.txt): Ping, Auth, CreateAccount, GetAccount, DelegateAuth."""

from __future__ import annotations

from typing import Dict, List, Optional

from .. import soap
from ..directory import (ADMIN_TOKEN_LIFETIME_MS, DELEGATED_TOKEN_DEFAULT_SECONDS, Account)
from ..dispatcher import RequestContext, handler
from ..soap import ADMIN_NS, child_text, children, first_child, response_element, sub


@handler(ADMIN_NS, "PingRequest", needs_auth=False)
def ping(ctx: RequestContext, request):
    return response_element(ADMIN_NS, "PingResponse")


@handler(ADMIN_NS, "AuthRequest", needs_auth=False)
def admin_auth(ctx: RequestContext, request):
    """name/password as attributes (the schema's form) or <account by="name|id"> + password;
    an <authToken> alone re-validates a token.  Only admin accounts may log in here."""
    directory = ctx.state.directory
    token_text = child_text(request, "authToken")
    account_element = first_child(request, "account")
    name = request.get("name")
    if name is None and account_element is not None:
        name = _account_name(ctx, account_element)
    if name is None and token_text:
        token = directory.resolve_token(token_text.strip())
        if not token.is_admin:
            raise soap.auth_failed("(auth token)")
    else:
        if not name:
            raise soap.invalid_request("AuthRequest needs name or <account>")
        account = directory.authenticate(name, request.get("password"), need_admin=True)
        token = directory.issue_token(account, is_admin=True, lifetime_ms=ADMIN_TOKEN_LIFETIME_MS)
    ctx.target = directory.by_id(token.account_id)  # its mailbox supplies the <change token>
    response = response_element(ADMIN_NS, "AuthResponse")
    sub(response, "authToken", token.value)
    sub(response, "lifetime", str(token.lifetime_left_ms()))
    return response


def _account_name(ctx: RequestContext, selector) -> str:
    by, value = selector.get("by", "name"), (selector.text or "").strip()
    if by == "id":
        account = ctx.state.directory.find("id", value)
        return account.name if account else value
    return value


@handler(ADMIN_NS, "CreateAccountRequest", admin_only=True)
def create_account(ctx: RequestContext, request):
    attrs: Dict[str, List[str]] = {}
    for a in children(request, "a"):
        attrs.setdefault(a.get("n"), []).append(a.text or "")
    is_admin = [v.upper() for v in attrs.get("zimbraIsAdminAccount", [])] == ["TRUE"]
    account = ctx.state.directory.create_account(request.get("name", ""), request.get("password"),
                                                 is_admin=is_admin, attrs=attrs)
    response = response_element(ADMIN_NS, "CreateAccountResponse")
    _append_account(response, account)
    return response


@handler(ADMIN_NS, "GetAccountRequest", admin_only=True)
def get_account(ctx: RequestContext, request):
    account = _selected_account(ctx, first_child(request, "account"))
    wanted = {a.strip() for a in (request.get("attrs") or "").split(",") if a.strip()}
    response = response_element(ADMIN_NS, "GetAccountResponse")
    _append_account(response, account, wanted or None)
    return response


@handler(ADMIN_NS, "DelegateAuthRequest", admin_only=True)
def delegate_auth(ctx: RequestContext, request):
    """A token valid for the named account, recorded as issued by the calling admin."""
    account = _selected_account(ctx, first_child(request, "account"))
    seconds = int(request.get("duration") or DELEGATED_TOKEN_DEFAULT_SECONDS)
    if seconds <= 0:
        raise soap.invalid_request(f"duration must be positive: {seconds}")
    token = ctx.state.directory.issue_token(account, is_admin=False, lifetime_ms=seconds * 1000,
                                            delegated_by=ctx.authed.id)
    response = response_element(ADMIN_NS, "DelegateAuthResponse")
    sub(response, "authToken", token.value)
    sub(response, "lifetime", str(token.lifetime_left_ms()))
    return response


def _selected_account(ctx: RequestContext, selector) -> Account:
    if selector is None:
        raise soap.invalid_request("missing <account>")
    by, value = selector.get("by", "name"), (selector.text or "").strip()
    if by not in ("name", "id"):
        raise soap.invalid_request(f"unsupported account selector by=\"{by}\"")
    account = ctx.state.directory.find(by, value)
    if account is None:
        raise soap.no_such_account(value)
    return account


def _append_account(parent, account: Account, wanted: Optional[set] = None) -> None:
    element = sub(parent, "account", name=account.name, id=account.id)
    attrs = {"zimbraId": [account.id], "mail": [account.name],
             "uid": [account.name.partition("@")[0]]}
    attrs.update(account.attrs)
    for name in sorted(attrs):
        if wanted is None or name in wanted:
            for value in attrs[name]:
                sub(element, "a", value, n=name)
