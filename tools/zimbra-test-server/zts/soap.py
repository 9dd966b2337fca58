"""SOAP envelopes as Zimbra speaks them: request parsing, responses, and Zimbra's fault format.

Fault format (zimbra-docs/soap.txt, "SOAP 1.2" / "SOAP 1.1"):
  <soap:Fault><soap:Code><soap:Value>soap:Sender|soap:Receiver</soap:Value></soap:Code>
    <soap:Reason><soap:Text>...</soap:Text></soap:Reason>
    <soap:Detail><Error xmlns="urn:zimbra"><Code>service.INVALID_REQUEST</Code>
      [<a n="name" t="type">value</a>]*</Error></soap:Detail></soap:Fault>
and the HTTP status of a fault is 500, as on the real server.
"""

from __future__ import annotations

import dataclasses
from typing import List, Optional, Sequence, Tuple

from lxml import etree

SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
ZIMBRA = "urn:zimbra"
ADMIN_NS = "urn:zimbraAdmin"
ACCOUNT_NS = "urn:zimbraAccount"
MAIL_NS = "urn:zimbraMail"

CONTENT_TYPE = {SOAP12: "application/soap+xml; charset=utf-8", SOAP11: "text/xml; charset=utf-8"}

# Codes Zimbra raises as the server's own fault (soap:Receiver); everything else is the
# client's (soap:Sender), as in com.zimbra.common.service.ServiceException.
RECEIVER_FAULT_CODES = {
    "service.FAILURE", "service.TEMPORARILY_UNAVAILABLE", "service.PROXY_ERROR",
    "service.RESOURCE_UNREACHABLE", "service.INTERRUPTED",
}


class ZimbraFault(Exception):
    """A Zimbra ServiceException: error code, reason text, and optional <a> arguments."""

    def __init__(self, code: str, reason: str, arguments: Sequence[Tuple[str, str, str]] = ()):
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason
        self.arguments = list(arguments)  # (name, type, value) as in <a n="" t="">value</a>

    @property
    def is_receivers_fault(self) -> bool:
        return self.code in RECEIVER_FAULT_CODES


# ---- the faults the server raises, with the reason texts Zimbra uses ----------------------
def invalid_request(detail: str) -> ZimbraFault:
    return ZimbraFault("service.INVALID_REQUEST", f"invalid request: {detail}")


def failure(detail: str) -> ZimbraFault:
    return ZimbraFault("service.FAILURE", f"system failure: {detail}")


def parse_error(detail: str) -> ZimbraFault:
    return ZimbraFault("service.PARSE_ERROR", f"parse error: {detail}")


def unknown_document(name: str) -> ZimbraFault:
    return ZimbraFault("service.UNKNOWN_DOCUMENT", f"unknown document: {name}")


def auth_required() -> ZimbraFault:
    return ZimbraFault("service.AUTH_REQUIRED", "no valid authtoken present")


def auth_expired() -> ZimbraFault:
    return ZimbraFault("service.AUTH_EXPIRED", "auth credentials have expired")


def perm_denied(detail: str) -> ZimbraFault:
    return ZimbraFault("service.PERM_DENIED", f"permission denied: {detail}")


def temporarily_unavailable(detail: str) -> ZimbraFault:
    return ZimbraFault("service.TEMPORARILY_UNAVAILABLE", f"service temporarily unavailable: {detail}")


def auth_failed(name: str) -> ZimbraFault:
    return ZimbraFault("account.AUTH_FAILED", f"authentication failed for [{name}]",
                       [("account", "STR", name)])


def no_such_account(name: str) -> ZimbraFault:
    return ZimbraFault("account.NO_SUCH_ACCOUNT", f"no such account: {name}",
                       [("account", "STR", name)])


def account_exists(name: str) -> ZimbraFault:
    return ZimbraFault("account.ACCOUNT_EXISTS", f"email address already exists: {name}",
                       [("name", "STR", name)])


def no_such_domain(name: str) -> ZimbraFault:
    return ZimbraFault("account.NO_SUCH_DOMAIN", f"no such domain: {name}", [("name", "STR", name)])


def maintenance_mode(name: str) -> ZimbraFault:
    return ZimbraFault("account.MAINTENANCE_MODE", "account is in maintenance mode",
                       [("account", "STR", name)])


def no_such_folder(folder: str) -> ZimbraFault:
    return ZimbraFault("mail.NO_SUCH_FOLDER", f"no such folder id: {folder}",
                       [("itemId", "IID", folder)])


def no_such_folder_path(path: str) -> ZimbraFault:
    return ZimbraFault("mail.NO_SUCH_FOLDER", f"no such folder path: {path}", [("path", "STR", path)])


def already_exists(name: str) -> ZimbraFault:
    return ZimbraFault("mail.ALREADY_EXISTS", f"object with that name already exists: {name}",
                       [("name", "STR", name)])


def invalid_name(name: str, why: str) -> ZimbraFault:
    return ZimbraFault("mail.INVALID_NAME", f"invalid name: {why}", [("name", "STR", name)])


def no_such_appt(what: str) -> ZimbraFault:
    return ZimbraFault("mail.NO_SUCH_APPT", f"no such appointment: {what}", [("id", "IID", what)])


def cannot_contain(folder: str) -> ZimbraFault:
    return ZimbraFault("mail.CANNOT_CONTAIN", f"cannot put object in that folder: {folder}",
                       [("itemId", "IID", folder)])


# ---- requests ------------------------------------------------------------------------------
@dataclasses.dataclass
class HeaderContext:
    """What the client put in <soap:Header><context xmlns="urn:zimbra">."""
    auth_token: Optional[str] = None
    account_by: Optional[str] = None      # "name" or "id"
    account_value: Optional[str] = None
    element: Optional[etree._Element] = None


@dataclasses.dataclass
class SoapRequest:
    soap_namespace: str
    context: HeaderContext
    body: etree._Element                 # the single request element inside soap:Body

    @property
    def name(self) -> str:
        return etree.QName(self.body).localname

    @property
    def namespace(self) -> str:
        return etree.QName(self.body).namespace or ""


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          remove_comments=True, huge_tree=False)


def parse_envelope(data: bytes) -> SoapRequest:
    """Parses a SOAP 1.2 or 1.1 envelope; anything malformed is service.PARSE_ERROR."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise parse_error(str(error))
    if root.getroottree().docinfo.doctype:
        # The real server refuses DOCTYPEs (no external entities in SOAP).
        raise parse_error("DOCTYPE is not allowed")
    envelope = etree.QName(root)
    if envelope.localname != "Envelope" or envelope.namespace not in (SOAP12, SOAP11):
        raise parse_error("document is not a SOAP envelope")
    soap_ns = envelope.namespace
    header = root.find(f"{{{soap_ns}}}Header")
    body = root.find(f"{{{soap_ns}}}Body")
    if body is None:
        raise parse_error("SOAP envelope has no Body")
    requests = [child for child in body if isinstance(child.tag, str)]
    if len(requests) != 1:
        raise invalid_request(f"soap:Body must hold exactly one request, found {len(requests)}")
    return SoapRequest(soap_ns, _parse_context(header), requests[0])


def _parse_context(header: Optional[etree._Element]) -> HeaderContext:
    context = HeaderContext()
    if header is None:
        return context
    element = header.find(f"{{{ZIMBRA}}}context")
    if element is None:
        return context
    context.element = element
    token = element.find(f"{{{ZIMBRA}}}authToken")
    if token is not None and (token.text or "").strip():
        context.auth_token = token.text.strip()
    account = element.find(f"{{{ZIMBRA}}}account")
    if account is not None:
        context.account_by = account.get("by", "name")
        context.account_value = (account.text or "").strip()
    return context


# ---- responses -----------------------------------------------------------------------------
def _envelope(soap_ns: str, change_token: Optional[int]) -> Tuple[etree._Element, etree._Element]:
    envelope = etree.Element(f"{{{soap_ns}}}Envelope", nsmap={"soap": soap_ns})
    header = etree.SubElement(envelope, f"{{{soap_ns}}}Header")
    context = etree.SubElement(header, f"{{{ZIMBRA}}}context", nsmap={None: ZIMBRA})
    if change_token is not None:
        etree.SubElement(context, f"{{{ZIMBRA}}}change", token=str(change_token))
    body = etree.SubElement(envelope, f"{{{soap_ns}}}Body")
    return envelope, body


def build_response(soap_ns: str, response: etree._Element, change_token: Optional[int]) -> bytes:
    envelope, body = _envelope(soap_ns, change_token)
    body.append(response)
    return etree.tostring(envelope, xml_declaration=False, encoding="utf-8")


def build_fault(soap_ns: str, fault: ZimbraFault, change_token: Optional[int] = None) -> bytes:
    envelope, body = _envelope(soap_ns, change_token)
    s = lambda local: f"{{{soap_ns}}}{local}"  # noqa: E731 - tiny tag helper
    element = etree.SubElement(body, s("Fault"))
    if soap_ns == SOAP12:
        code = etree.SubElement(element, s("Code"))
        value = "soap:Receiver" if fault.is_receivers_fault else "soap:Sender"
        etree.SubElement(code, s("Value")).text = value
        reason = etree.SubElement(element, s("Reason"))
        etree.SubElement(reason, s("Text")).text = fault.reason
        detail = etree.SubElement(element, s("Detail"))
    else:
        # Element names as in soap.txt's SOAP 1.1 example (soap:faultcode, soap:detail).
        value = "soap:Server" if fault.is_receivers_fault else "soap:Client"
        etree.SubElement(element, s("faultcode")).text = value
        etree.SubElement(element, s("faultstring")).text = fault.reason
        detail = etree.SubElement(element, s("detail"))
    error = etree.SubElement(detail, f"{{{ZIMBRA}}}Error", nsmap={None: ZIMBRA})
    etree.SubElement(error, f"{{{ZIMBRA}}}Code").text = fault.code
    for name, type_, text in fault.arguments:
        etree.SubElement(error, f"{{{ZIMBRA}}}a", n=name, t=type_).text = text
    return etree.tostring(envelope, xml_declaration=False, encoding="utf-8")


def response_element(namespace: str, name: str, **attributes) -> etree._Element:
    """A <FooResponse xmlns="..."> element with string attributes."""
    element = etree.Element(f"{{{namespace}}}{name}", nsmap={None: namespace})
    for key, value in attributes.items():
        if value is not None:
            element.set(key, str(value))
    return element


def sub(parent: etree._Element, local: str, text: Optional[str] = None, **attributes) -> etree._Element:
    """A child in the parent's namespace, with optional text and string attributes."""
    namespace = etree.QName(parent).namespace
    child = etree.SubElement(parent, f"{{{namespace}}}{local}" if namespace else local)
    for key, value in attributes.items():
        if value is not None:
            child.set(key, str(value))
    if text is not None:
        child.text = text
    return child


def child_text(element: etree._Element, local: str) -> Optional[str]:
    """Text of the first child named `local` in the element's namespace, or None."""
    namespace = etree.QName(element).namespace
    child = element.find(f"{{{namespace}}}{local}" if namespace else local)
    return None if child is None else (child.text or "")


def children(element: etree._Element, local: str) -> List[etree._Element]:
    namespace = etree.QName(element).namespace
    return element.findall(f"{{{namespace}}}{local}" if namespace else local)


def first_child(element: etree._Element, local: str) -> Optional[etree._Element]:
    namespace = etree.QName(element).namespace
    return element.find(f"{{{namespace}}}{local}" if namespace else local)
