"""BatchRequest (urn:zimbra), as zimbra-docs/soap.txt "batch requests" describes it:

  <BatchRequest xmlns="urn:zimbra" onerror="continue*|stop">
    <FooRequest requestId="1">...</FooRequest> ...
  </BatchRequest>
  -> <BatchResponse xmlns="urn:zimbra"> with, per sub-request, its response or a soap:Fault,
     each carrying the sub-request's requestId.

Each sub-request goes through the same steps as a request of its own (known document, auth,
target account, maintenance, schema validation, handler) with the envelope's context. The
schemas do not model BatchRequest (zimbra-schemas/README.md), so its own shape is checked here,
strictly: only the onerror attribute, only element children, each a known request, no nesting,
requestIds unique. Injected faults apply to the HTTP request as a whole: a rule naming
BatchRequest or any of its sub-requests fires once for the batch.
"""

from __future__ import annotations

import copy
from typing import List, Optional

from lxml import etree

from . import soap
from .soap import ZimbraFault

BATCH_NAME = "BatchRequest"
ONERROR_VALUES = ("continue", "stop")


def is_batch(request: soap.SoapRequest) -> bool:
    return request.namespace == soap.ZIMBRA and request.name == BATCH_NAME


def _check_shape(batch: etree._Element) -> List[etree._Element]:
    for name in batch.attrib:
        if name != "onerror":
            raise soap.invalid_request(f"BatchRequest does not take the attribute {name}")
    if batch.get("onerror", "continue") not in ONERROR_VALUES:
        raise soap.invalid_request(f"BatchRequest onerror must be continue or stop, not {batch.get('onerror')!r}")
    if (batch.text or "").strip():
        raise soap.invalid_request("BatchRequest holds text")
    subs = []
    seen = set()
    for child in batch:
        if not isinstance(child.tag, str):
            continue
        if (child.tail or "").strip():
            raise soap.invalid_request("BatchRequest holds text")
        qname = etree.QName(child)
        if qname.namespace == soap.ZIMBRA and qname.localname == BATCH_NAME:
            raise soap.invalid_request("BatchRequest cannot be nested")
        request_id = child.get("requestId")
        if request_id is not None:
            if request_id in seen:
                raise soap.invalid_request(f"requestId {request_id} occurs twice in one BatchRequest")
            seen.add(request_id)
        subs.append(child)
    if not subs:
        raise soap.invalid_request("BatchRequest holds no request")
    return subs


def _fault_element(soap_ns: str, fault: ZimbraFault, request_id: Optional[str]) -> etree._Element:
    envelope = etree.fromstring(soap.build_fault(soap_ns, fault))
    element = envelope.find(f"{{{soap_ns}}}Body/{{{soap_ns}}}Fault")
    if request_id is not None:
        element.set("requestId", request_id)
    return element


def run_batch(dispatcher, endpoint: str, request: soap.SoapRequest, progress):
    """The whole BatchRequest as one HTTP exchange: a DispatchResult."""
    from .dispatcher import DispatchResult  # circular at import time only

    subs = _check_shape(request.body)
    stop_on_error = request.body.get("onerror", "continue") == "stop"
    names = [etree.QName(sub).localname for sub in subs]
    early = dispatcher._injected_before(request, progress.account, progress.soap_ns)
    for name in names:
        if early is not None:
            break
        early = dispatcher._injected_before(_renamed(request, name), progress.account, progress.soap_ns)
    if early is not None:
        early.request_name = BATCH_NAME
        return early

    response = soap.response_element(soap.ZIMBRA, "BatchResponse")
    change = None
    for sub in subs:
        request_id = sub.get("requestId")
        body = copy.deepcopy(sub)
        # requestId is the batch's bookkeeping, not part of the request's schema type.
        body.attrib.pop("requestId", None)
        sub_request = soap.SoapRequest(request.soap_namespace, request.context, body)
        try:
            spec = dispatcher._spec_for(endpoint, sub_request)
            context = dispatcher._authorise(sub_request, spec)
            dispatcher._check_maintenance(spec, context)
            dispatcher._validate(sub_request)
            answer = spec.function(context, sub_request.body)
            if request_id is not None:
                answer.set("requestId", request_id)
            response.append(answer)
            if context.target is not None:
                progress.account = context.target.name
                change = context.target.mailbox.change
            fault_code = None
        except ZimbraFault as fault:
            response.append(_fault_element(progress.soap_ns, fault, request_id))
            fault_code = fault.code
        dispatcher.state.control.log_request(
            name=sub_request.name, namespace=sub_request.namespace, endpoint=endpoint,
            account=progress.account, fault=fault_code, http_status=200, injected="in-batch")
        if fault_code is not None and stop_on_error:
            break

    result = DispatchResult(200, soap.build_response(progress.soap_ns, response, change),
                            soap.CONTENT_TYPE[progress.soap_ns], request_name=BATCH_NAME,
                            account=progress.account)
    rule = None
    for name in [BATCH_NAME] + names:
        rule = dispatcher.state.control.take_fault(name, progress.account, after_commit=True)
        if rule is not None:
            break
    if rule is not None:
        result.drop_connection = True
        result.injected = "drop_after_commit"
    return result


def _renamed(request: soap.SoapRequest, name: str) -> soap.SoapRequest:
    """A stand-in whose .name is a sub-request's, for matching fault rules by name."""
    class _Named(soap.SoapRequest):
        @property
        def name(self) -> str:  # type: ignore[override]
            return name
    return _Named(request.soap_namespace, request.context, request.body)
