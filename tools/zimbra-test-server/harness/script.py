"""Scanning a QA script for what it needs, and running it against the test server.

Execution model (a subset of Zimbra's SOAP harness, enough for the scripts it runs):
  * top-level t:property, t:test_case and t:include run in document order;
  * t:test sends its t:request (admin namespace to /service/admin/soap, everything else to
    /service/soap) with a <context> carrying the property `authToken`, or the test's
    t:requestContext; then checks its t:response selects;
  * a failed test marked required="true" ends its test case; depends="id" skips a test whose
    dependency failed (counted as a failure of the test case);
  * test cases with hostCount > 1 (need a second server) or type="deprecated" are skipped;
  * t:delay and delay attributes are ignored: the server answers synchronously.
"""

from __future__ import annotations

import copy
import dataclasses
import http.client
import os
from typing import List, Optional, Set, Tuple

from lxml import etree

from .properties import Properties
from .select import check_selects, unsupported_select_attributes

T = "urn:zimbraTestHarness"
ADMIN_NS = "urn:zimbraAdmin"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
# Harness elements the runner understands; anything else makes a script "skipped".
SUPPORTED_STEPS = {"tests", "property", "test_case", "objective", "steps", "Steps", "test",
                   "request", "requestContext", "response", "select", "include", "delay"}
_PARSER = etree.XMLParser(remove_comments=True, resolve_entities=False, no_network=True)


# ---- scanning --------------------------------------------------------------------------------
@dataclasses.dataclass
class ScriptNeeds:
    requests: Set[Tuple[str, str]]        # (namespace, local name) of every request sent
    steps: Set[str]                       # t:* elements used
    select_attributes: Set[str]           # unsupported t:select attributes
    problems: List[str]                   # unreadable includes etc.

    def missing(self, implemented: Set[Tuple[str, str]]) -> List[str]:
        reasons = [f"request {name} ({ns or 'no namespace'})"
                   for ns, name in sorted(self.requests - implemented, key=lambda r: r[1])]
        reasons += [f"harness step t:{s}" for s in sorted(self.steps - SUPPORTED_STEPS)]
        reasons += [f"t:select attribute {a}" for a in sorted(self.select_attributes)]
        return reasons + self.problems


def load_script(path: str) -> etree._Element:
    return etree.parse(path, _PARSER).getroot()


def scan_script(path: str) -> ScriptNeeds:
    needs = ScriptNeeds(set(), set(), set(), [])
    _scan_file(path, needs, seen=set())
    return needs


def _scan_file(path: str, needs: ScriptNeeds, seen: Set[str]) -> None:
    if path in seen:
        return
    seen.add(path)
    try:
        root = load_script(path)
    except (OSError, etree.XMLSyntaxError) as error:
        needs.problems.append(f"unreadable {os.path.basename(path)}: {error}")
        return
    for element in root.iter():
        if not isinstance(element.tag, str) or not element.tag.startswith(f"{{{T}}}"):
            continue
        local = etree.QName(element).localname
        needs.steps.add(local)
        if local == "request":
            for request in element:
                if isinstance(request.tag, str):
                    qname = etree.QName(request)
                    needs.requests.add((qname.namespace or "", qname.localname))
        elif local == "select":
            needs.select_attributes.update(unsupported_select_attributes(element))
        elif local == "include":
            included = os.path.join(os.path.dirname(path), element.get("filename", ""))
            _scan_file(included, needs, seen)


# ---- results ---------------------------------------------------------------------------------
@dataclasses.dataclass
class TestCaseResult:
    id: str
    status: str                       # "pass" | "fail" | "skipped"
    problems: List[str] = dataclasses.field(default_factory=list)
    tests_run: int = 0
    type: str = ""                    # the test_case type: "always" marks set-up cases

    @property
    def is_setup(self) -> bool:
        return self.type == "always"


@dataclasses.dataclass
class ScriptResult:
    path: str
    status: str                       # "pass" | "fail" | "skipped"
    reasons: List[str] = dataclasses.field(default_factory=list)
    cases: List[TestCaseResult] = dataclasses.field(default_factory=list)

    @classmethod
    def from_cases(cls, path: str, cases: List[TestCaseResult]) -> "ScriptResult":
        """Passed when every test case that ran passed; skipped when nothing but set-up
        ("always") cases could run, since then nothing of the script was tested."""
        if any(c.status == "fail" for c in cases):
            return cls(path, "fail", [], cases)
        tested = [c for c in cases if c.status == "pass" and not c.is_setup]
        if not tested:
            reasons = sorted({p for c in cases if c.status == "skipped" for p in c.problems})
            return cls(path, "skipped", [f"test cases skipped: {', '.join(reasons) or 'none ran'}"],
                       cases)
        return cls(path, "pass", [], cases)


# ---- running ---------------------------------------------------------------------------------
class SoapClient:
    """Posts envelopes to the server over one keep-alive connection."""

    def __init__(self, host: str, port: int):
        self._host, self._port = host, port
        self._connection: Optional[http.client.HTTPConnection] = None

    def post(self, path: str, envelope: bytes) -> Tuple[int, bytes]:
        for attempt in range(2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection(self._host, self._port, timeout=60)
            try:
                self._connection.request("POST", path, body=envelope,
                                         headers={"Content-Type": "application/soap+xml; charset=utf-8"})
                reply = self._connection.getresponse()
                return reply.status, reply.read()
            except (http.client.HTTPException, ConnectionError):
                self._connection.close()
                self._connection = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()


class ScriptRunner:
    def __init__(self, client: SoapClient, properties: Properties):
        self.client = client
        self.properties = properties
        self.cases: List[TestCaseResult] = []

    def run(self, path: str) -> List[TestCaseResult]:
        self._run_children(load_script(path), os.path.dirname(path), case=None)
        return self.cases

    # ---- structure -----------------------------------------------------------------------
    def _run_children(self, parent, directory: str, case: Optional["_CaseState"]) -> None:
        for element in parent:
            if not isinstance(element.tag, str) or not element.tag.startswith(f"{{{T}}}"):
                continue
            local = etree.QName(element).localname
            if local == "property":
                self.properties.set(element.get("name"), self.properties.resolve(element.get("value", "")))
            elif local == "include":
                included = os.path.join(directory, element.get("filename", ""))
                self._run_children(load_script(included), os.path.dirname(included), case)
            elif local == "test_case" and case is None:
                self._run_case(element, directory)
            elif local == "test" and case is not None and not case.aborted:
                self._run_test(element, case)

    def _run_case(self, element, directory: str) -> None:
        case_id = element.get("testcaseid", "(unnamed)")
        case_type = element.get("type", "")
        skip = _skip_reason(element)
        if skip:
            self.cases.append(TestCaseResult(case_id, "skipped", [skip], type=case_type))
            return
        state = _CaseState(case_id)
        self._run_children(element, directory, state)
        status = "fail" if state.problems else "pass"
        self.cases.append(TestCaseResult(case_id, status, state.problems, state.tests_run, case_type))

    # ---- one test ------------------------------------------------------------------------
    def _run_test(self, test, case: "_CaseState") -> None:
        test_id = test.get("id")
        label = test_id or f"test {case.tests_run + 1}"
        failed_dependencies = [d for d in _ids(test.get("depends")) if d in case.failed_ids]
        case.tests_run += 1
        if failed_dependencies:
            self._fail(case, test, label, [f"depends on failed {', '.join(failed_dependencies)}"])
            return
        request = _child(test, "request")
        elements = [c for c in request if isinstance(c.tag, str)] if request is not None else []
        if not elements:
            return
        soap_request = elements[0]
        status, body = self._send(soap_request, _child(test, "requestContext"))
        try:
            response = etree.fromstring(body)
        except etree.XMLSyntaxError:
            self._fail(case, test, label, [f"HTTP {status}: answer is not XML: {body[:120]!r}"])
            return
        checks = _child(test, "response")
        selects = [s for s in checks if isinstance(s.tag, str) and s.tag == f"{{{T}}}select"] \
            if checks is not None else []
        outcome = check_selects(selects, response, self.properties)
        if not outcome.passed:
            fault = response.find(".//{urn:zimbra}Code")
            detail = f" (server answered fault {fault.text})" if fault is not None else ""
            self._fail(case, test, label, [p + detail for p in outcome.problems])

    def _fail(self, case: "_CaseState", test, label: str, problems: List[str]) -> None:
        case.problems.extend(f"{label}: {p}" for p in problems)
        if test.get("id"):
            case.failed_ids.add(test.get("id"))
        if (test.get("required") or "").lower() == "true":
            case.aborted = True

    def _send(self, request, request_context) -> Tuple[int, bytes]:
        resolved = self._resolved_copy(request)
        envelope = etree.Element(f"{{{SOAP12}}}Envelope", nsmap={"soap": SOAP12})
        header = etree.SubElement(envelope, f"{{{SOAP12}}}Header")
        context = etree.SubElement(header, "{urn:zimbra}context", nsmap={None: "urn:zimbra"})
        if request_context is not None:
            for child in self._resolved_copy(request_context):
                if isinstance(child.tag, str):
                    context.append(_in_namespace(child, "urn:zimbra"))
        token = self.properties.get("authToken")
        if token and context.find("{urn:zimbra}authToken") is None:
            etree.SubElement(context, "{urn:zimbra}authToken").text = token
        body = etree.SubElement(envelope, f"{{{SOAP12}}}Body")
        body.append(resolved)
        endpoint = "/service/admin/soap" if etree.QName(resolved).namespace == ADMIN_NS else "/service/soap"
        return self.client.post(endpoint, etree.tostring(envelope, encoding="utf-8"))

    def _resolved_copy(self, element):
        """A copy with ${...} resolved in every attribute value and text node."""
        resolved = copy.deepcopy(element)
        for node in resolved.iter():
            if not isinstance(node.tag, str):
                continue
            node.text = self.properties.resolve(node.text)
            node.tail = self.properties.resolve(node.tail)
            for key, value in node.attrib.items():
                node.set(key, self.properties.resolve(value))
        return resolved


@dataclasses.dataclass
class _CaseState:
    id: str
    problems: List[str] = dataclasses.field(default_factory=list)
    failed_ids: Set[str] = dataclasses.field(default_factory=set)
    aborted: bool = False
    tests_run: int = 0


def _skip_reason(test_case) -> Optional[str]:
    hosts = test_case.get("hostCount")
    if hosts and hosts.isdigit() and int(hosts) > 1:
        return f"needs {hosts} servers (hostCount)"
    if test_case.get("type") == "deprecated":
        return "type=deprecated"
    return None


def _ids(text: Optional[str]) -> List[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _child(element, local: str):
    return element.find(f"{{{T}}}{local}")


def _in_namespace(element, namespace: str):
    """requestContext children are written without a namespace; the header wants urn:zimbra."""
    if etree.QName(element).namespace:
        return element
    copy_ = etree.Element(f"{{{namespace}}}{element.tag}", attrib=dict(element.attrib))
    copy_.text = element.text
    for child in element:
        if isinstance(child.tag, str):
            copy_.append(_in_namespace(child, namespace))
    return copy_
