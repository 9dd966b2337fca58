"""The SOAP request pipeline, in the order the real server applies its checks:

  parse envelope -> known document for this endpoint? -> auth token -> target account
  -> maintenance mode -> schema validation (after lenient normalisation in lenient mode)
  -> handler -> response with <change token>

Injected faults (control.py) hook in before the handler and after it.
"""

from __future__ import annotations

import dataclasses
import http.cookies
import sys
import traceback
from typing import Callable, Dict, Optional, Tuple


from . import batch, soap
from .control import FaultRule, apply_delay
from .directory import Account, AuthToken
from .soap import ZimbraFault

ADMIN_ENDPOINT = "/service/admin/soap"
USER_ENDPOINT = "/service/soap"
# The admin port serves every service; the user port does not serve urn:zimbraAdmin.
NAMESPACES_BY_ENDPOINT = {
    ADMIN_ENDPOINT: {soap.ADMIN_NS, soap.ACCOUNT_NS, soap.MAIL_NS},
    USER_ENDPOINT: {soap.ACCOUNT_NS, soap.MAIL_NS},
}


@dataclasses.dataclass
class HandlerSpec:
    function: Callable
    needs_auth: bool = True
    admin_only: bool = False
    uses_mailbox: bool = False     # acts on the target account's mailbox


REGISTRY: Dict[Tuple[str, str], HandlerSpec] = {}


def handler(namespace: str, name: str, **options):
    """Registers a request handler: `fn(ctx, request_element) -> response_element`."""
    def register(function):
        REGISTRY[(namespace, name)] = HandlerSpec(function, **options)
        return function
    return register


class RequestContext:
    """Who is asking, for which account, and how item ids are written back to them."""

    def __init__(self, state, request: soap.SoapRequest, token: Optional[AuthToken],
                 authed: Optional[Account], target: Optional[Account]):
        self.state = state
        self.request = request
        self.token = token
        self.authed = authed
        self.target = target

    @property
    def mailbox(self):
        return self.target.mailbox

    def format_id(self, item_id: int) -> str:
        # Zimbra qualifies ids with the account id when the caller is not the mailbox owner
        # (an admin acting through <context><account>): "<zimbraId>:<itemId>".
        if self.authed is not None and self.target is not None and self.authed.id != self.target.id:
            return f"{self.target.id}:{item_id}"
        return str(item_id)

    def parse_id(self, text: Optional[str], what: str) -> int:
        """An item id as a client may send it: "257" or "<accountId>:257"."""
        value = (text or "").strip()
        owner, _, number = value.rpartition(":")
        if owner and self.target is not None and owner != self.target.id:
            raise soap.perm_denied(f"{what} {value} belongs to another mailbox")
        if not number.isdigit():
            raise soap.invalid_request(f"malformed item ID for {what}: {text!r}")
        return int(number)


@dataclasses.dataclass
class DispatchResult:
    http_status: int
    body: bytes
    content_type: str
    drop_connection: bool = False
    request_name: str = "-"
    account: Optional[str] = None
    fault_code: Optional[str] = None
    injected: Optional[str] = None   # which injected fault shaped this answer, if any
    fault_reason: Optional[str] = None


@dataclasses.dataclass
class _Progress:
    """How far a request got: what a fault answer and the request log can say about it."""
    request: Optional[soap.SoapRequest] = None
    soap_ns: str = soap.SOAP12
    account: Optional[str] = None


class Dispatcher:
    def __init__(self, state):
        self.state = state

    def dispatch(self, endpoint: str, data: bytes, cookie_header: Optional[str] = None) -> DispatchResult:
        progress = _Progress()
        try:
            result = self._run_pipeline(endpoint, data, cookie_header, progress)
        except ZimbraFault as fault:
            result = self._fault_result(progress, fault)
        except Exception as error:  # a bug in a handler: report it as Zimbra would
            traceback.print_exc(file=sys.stderr)
            result = self._fault_result(progress, soap.failure(f"{type(error).__name__}: {error}"))
        return self._logged(endpoint, progress.request, result)

    def _run_pipeline(self, endpoint: str, data: bytes, cookie_header: Optional[str],
                      progress: "_Progress") -> DispatchResult:
        request = progress.request = soap.parse_envelope(data)
        progress.soap_ns = request.soap_namespace
        if not request.context.auth_token:
            request.context.auth_token = _token_from_cookie(cookie_header, endpoint)
        if batch.is_batch(request):
            progress.account = self._hint_account(request)
            return batch.run_batch(self, endpoint, request, progress)
        spec = self._spec_for(endpoint, request)
        progress.account = self._hint_account(request)
        early = self._injected_before(request, progress.account, progress.soap_ns)
        if early is not None:
            return early
        context = self._authorise(request, spec)
        self._check_maintenance(spec, context)
        self._validate(request)
        response = spec.function(context, request.body)
        # Auth handlers name their account only now; it supplies the <change token>.
        progress.account = context.target.name if context.target else progress.account
        change = context.target.mailbox.change if context.target else None
        result = DispatchResult(200, soap.build_response(progress.soap_ns, response, change),
                                soap.CONTENT_TYPE[progress.soap_ns], request_name=request.name,
                                account=progress.account)
        if self.state.control.take_fault(request.name, progress.account, after_commit=True):
            result.drop_connection = True
            result.injected = "drop_after_commit"
        return result

    # ---- pipeline steps ----------------------------------------------------------------------
    @staticmethod
    def _spec_for(endpoint: str, request: soap.SoapRequest) -> HandlerSpec:
        spec = REGISTRY.get((request.namespace, request.name))
        if spec is None or request.namespace not in NAMESPACES_BY_ENDPOINT[endpoint]:
            raise soap.unknown_document(f"{{{request.namespace}}}{request.name}")
        return spec

    def _hint_account(self, request: soap.SoapRequest) -> Optional[str]:
        """Best guess of the target account before authentication (for injected faults)."""
        ctx = request.context
        if ctx.account_value:
            account = self.state.directory.find(ctx.account_by or "name", ctx.account_value)
            return account.name if account else ctx.account_value
        try:
            token = self.state.directory.resolve_token(ctx.auth_token)
        except ZimbraFault:
            return None
        account = self.state.directory.by_id(token.account_id)
        return account.name if account else None

    def _injected_before(self, request, target_name, soap_ns) -> Optional[DispatchResult]:
        rule: Optional[FaultRule] = self.state.control.take_fault(request.name, target_name,
                                                                  after_commit=False)
        if rule is None:
            return None
        if rule.kind == "delay":
            apply_delay(rule)
            return None
        base = dict(request_name=request.name, account=target_name, injected=rule.kind)
        if rule.kind == "http_status":
            body = f"injected HTTP {rule.status}\n".encode()
            return DispatchResult(rule.status, body, "text/plain; charset=utf-8",
                                  fault_code=f"http {rule.status}", **base)
        if rule.kind == "soap_fault":
            fault = ZimbraFault(rule.code, rule.reason)
            return DispatchResult(500, soap.build_fault(soap_ns, fault), soap.CONTENT_TYPE[soap_ns],
                                  fault_code=rule.code, **base)
        return DispatchResult(0, b"", "", drop_connection=True, fault_code="dropped", **base)

    def _authorise(self, request: soap.SoapRequest, spec: HandlerSpec) -> RequestContext:
        directory = self.state.directory
        if not spec.needs_auth:
            return RequestContext(self.state, request, None, None, None)
        token = directory.resolve_token(request.context.auth_token)
        authed = directory.by_id(token.account_id)
        if authed is None:
            raise soap.auth_required()
        if spec.admin_only and not token.is_admin:
            raise soap.perm_denied("need admin token")
        target = self._target_account(request.context, token, authed)
        return RequestContext(self.state, request, token, authed, target)

    def _target_account(self, context: soap.HeaderContext, token: AuthToken, authed: Account) -> Account:
        if not context.account_value:
            return authed
        by = context.account_by or "name"
        if by not in ("name", "id"):
            raise soap.invalid_request(f"unsupported <account by=\"{by}\"> in the SOAP context")
        target = self.state.directory.find(by, context.account_value)
        if target is not None and target.id == authed.id:
            return authed
        if not token.is_admin:
            # Only admins may act on another mailbox; do not reveal whether it exists.
            raise soap.perm_denied(f"can not access account {context.account_value}")
        if target is None:
            raise soap.no_such_account(context.account_value)
        return target

    def _check_maintenance(self, spec: HandlerSpec, context: RequestContext) -> None:
        if spec.uses_mailbox and context.target is not None \
                and self.state.control.in_maintenance(context.target.name):
            raise soap.maintenance_mode(context.target.name)

    def _validate(self, request: soap.SoapRequest) -> None:
        schemas = self.state.schemas
        if not schemas.validates_namespace(request.namespace):
            return
        notes = self.state.normaliser.normalise(request.body) if self.state.lenient else []
        errors = schemas.validate(request.body)
        if errors:
            applied = f" (after lenient rewrites: {'; '.join(notes)})" if notes else ""
            raise soap.invalid_request(
                f"{request.name} does not validate against the {request.namespace} schema: "
                + "; ".join(errors) + applied)

    # ---- results ------------------------------------------------------------------------------
    @staticmethod
    def _fault_result(progress: "_Progress", fault: ZimbraFault) -> DispatchResult:
        soap_ns = progress.soap_ns
        return DispatchResult(500, soap.build_fault(soap_ns, fault), soap.CONTENT_TYPE[soap_ns],
                              request_name=progress.request.name if progress.request else "-",
                              account=progress.account, fault_code=fault.code,
                              fault_reason=fault.reason)

    def _logged(self, endpoint: str, request, result: DispatchResult) -> DispatchResult:
        self.state.control.log_request(
            name=result.request_name,
            namespace=request.namespace if request else "",
            endpoint=endpoint, account=result.account, fault=result.fault_code,
            http_status=result.http_status, injected=result.injected)
        return result


def _token_from_cookie(cookie_header: Optional[str], endpoint: str) -> Optional[str]:
    """Zimbra also takes the token from its cookie (ZM_ADMIN_AUTH_TOKEN on the admin port,
    ZM_AUTH_TOKEN on the user port) when the SOAP context carries none."""
    if not cookie_header:
        return None
    cookies = http.cookies.SimpleCookie()
    try:
        cookies.load(cookie_header)
    except http.cookies.CookieError:
        return None
    names = ("ZM_ADMIN_AUTH_TOKEN", "ZM_AUTH_TOKEN") if endpoint == ADMIN_ENDPOINT else ("ZM_AUTH_TOKEN",)
    for name in names:
        if name in cookies:
            return cookies[name].value
    return None
