"""`t:select` checks on a SOAP response.

  path      XPath (prefixes admin:, mail:, acct:, zimbra:, soap:), relative to the enclosing
            select's node when nested; absent = the enclosing node itself
  attr      compare this attribute instead of the node's text
  match     a regular expression the whole value must match (Java's String.matches, which is
            why the scripts write ".*x.*" for "contains x")
  contains  the value contains this text;  equals  the value is exactly this text
  count     the number of selected nodes
  emptyset  "1": nothing may be selected (after attr/match filtering); "0": something must be
  set       store the first selected value in a property
A select with nested selects passes when one of its nodes passes all of them.
"""

from __future__ import annotations

import dataclasses
import re
from typing import List, Optional, Tuple

from lxml import etree

from .properties import Properties

T = "urn:zimbraTestHarness"
NAMESPACES = {"admin": "urn:zimbraAdmin", "mail": "urn:zimbraMail", "acct": "urn:zimbraAccount",
              "zimbra": "urn:zimbra", "soap": "http://www.w3.org/2003/05/soap-envelope"}
SUPPORTED_ATTRIBUTES = {"path", "attr", "match", "contains", "equals", "count", "emptyset", "set"}


@dataclasses.dataclass
class SelectOutcome:
    passed: bool
    problems: List[str]


def unsupported_select_attributes(select: etree._Element) -> List[str]:
    return sorted(set(select.attrib) - SUPPORTED_ATTRIBUTES)


def check_selects(selects: List[etree._Element], node, properties: Properties) -> SelectOutcome:
    problems: List[str] = []
    for select in selects:
        problems.extend(_check_one(select, node, properties))
    return SelectOutcome(not problems, problems)


def _check_one(select: etree._Element, node, properties: Properties) -> List[str]:
    resolve = properties.resolve
    path = resolve(select.get("path"))
    attr = resolve(select.get("attr"))
    describe = f"select path={path!r}" + (f" attr={attr!r}" if attr else "")
    try:
        nodes = node.xpath(path, namespaces=NAMESPACES) if path else [node]
    except etree.XPathError as error:
        return [f"{describe}: bad XPath ({error})"]
    if not isinstance(nodes, list):
        nodes = [nodes]
    candidates = _values(nodes, attr)
    candidates = _filter(candidates, select, resolve)
    if isinstance(candidates, str):
        return [f"{describe}: {candidates}"]
    if select.get("count") is not None:
        wanted = int(resolve(select.get("count")))
        if len(candidates) != wanted:
            return [f"{describe}: {len(candidates)} nodes, expected {wanted}"]
    emptyset = select.get("emptyset")
    if emptyset == "1":
        return [] if not candidates else [f"{describe}: expected nothing, found "
                                          f"{[v for _, v in candidates][:3]}"]
    if not candidates:
        seen = [v for _, v in _values(nodes, attr)][:3]
        expectation = _expectation(select, resolve)
        return [f"{describe}: nothing matched{expectation} (saw {seen if nodes else 'no nodes'})"]
    nested = [c for c in select if isinstance(c.tag, str) and c.tag == f"{{{T}}}select"]
    chosen: Optional[Tuple[object, str]] = candidates[0]
    if nested:
        chosen, problems = _first_passing(candidates, nested, properties)
        if chosen is None:
            return [f"{describe}: no node passed the nested checks: {problems}"]
    if select.get("set"):
        properties.set(select.get("set"), chosen[1])
    return []


def _values(nodes, attr: Optional[str]) -> List[Tuple[object, str]]:
    values = []
    for node in nodes:
        if isinstance(node, str):  # an XPath string result
            values.append((node, str(node)))
        elif attr:
            if node.get(attr) is not None:
                values.append((node, node.get(attr)))
        else:
            values.append((node, "".join(node.itertext()) if len(node) == 0 else (node.text or "")))
    return values


def _filter(candidates, select, resolve):
    match = select.get("match")
    if match is not None:
        try:
            pattern = re.compile(resolve(match))
        except re.error as error:
            return f"bad regular expression {match!r} ({error})"
        candidates = [(n, v) for n, v in candidates if pattern.fullmatch(v)]
    if select.get("contains") is not None:
        needle = resolve(select.get("contains"))
        candidates = [(n, v) for n, v in candidates if needle in v]
    if select.get("equals") is not None:
        expected = resolve(select.get("equals"))
        candidates = [(n, v) for n, v in candidates if v == expected]
    return candidates


def _expectation(select, resolve) -> str:
    for key in ("match", "contains", "equals"):
        if select.get(key) is not None:
            return f" {key}={resolve(select.get(key))!r}"
    return ""


def _first_passing(candidates, nested, properties: Properties):
    problems: List[str] = []
    for candidate in candidates:
        node = candidate[0]
        if isinstance(node, str):
            continue
        outcome = check_selects(nested, node, properties)
        if outcome.passed:
            return candidate, []
        problems = outcome.problems
    return None, problems
