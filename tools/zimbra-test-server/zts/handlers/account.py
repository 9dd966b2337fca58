"""urn:zimbraAccount requests (soap.txt): AuthRequest for mailbox users."""

from __future__ import annotations

from typing import Optional

from .. import soap
from ..directory import USER_TOKEN_LIFETIME_MS, Account
from ..dispatcher import RequestContext, handler
from ..soap import ACCOUNT_NS, child_text, first_child, response_element, sub


@handler(ACCOUNT_NS, "AuthRequest", needs_auth=False)
def account_auth(ctx: RequestContext, request):
    """<account by="name|id"> + <password> logs in.  An <authToken> instead of a password
    validates that token; with verifyAccount="1" the token must belong to the named account
    (soap.txt), otherwise service.AUTH_REQUIRED."""
    directory = ctx.state.directory
    selector = first_child(request, "account")
    token_element = first_child(request, "authToken")
    password = child_text(request, "password")
    if token_element is not None and password is None:
        token = directory.resolve_token((token_element.text or "").strip())
        if token_element.get("verifyAccount") in ("1", "true"):
            if selector is None:
                raise soap.invalid_request("verifyAccount=\"1\" needs <account>")
            named = _selected(ctx, selector)
            if named is None or named.id != token.account_id:
                raise soap.auth_required()
    else:
        if selector is None:
            raise soap.invalid_request("AuthRequest needs <account> and <password>")
        named = _selected(ctx, selector)
        name = named.name if named else (selector.text or "").strip()
        account = directory.authenticate(name, password, need_admin=False)
        token = directory.issue_token(account, is_admin=False, lifetime_ms=USER_TOKEN_LIFETIME_MS)
    ctx.target = directory.by_id(token.account_id)  # its mailbox supplies the <change token>
    response = response_element(ACCOUNT_NS, "AuthResponse")
    sub(response, "authToken", token.value)
    sub(response, "lifetime", str(token.lifetime_left_ms()))
    return response


def _selected(ctx: RequestContext, selector) -> Optional[Account]:
    by, value = selector.get("by", "name"), (selector.text or "").strip()
    if by not in ("name", "id"):
        raise soap.invalid_request(f"unsupported account selector by=\"{by}\"")
    return ctx.state.directory.find(by, value)
