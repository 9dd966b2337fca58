"""urn:zimbraMail filter rule requests: GetFilterRulesRequest / ModifyFilterRulesRequest and
their outgoing-filter twins.

Modify replaces the account's whole rule set, as Zimbra's does (it rewrites the user's Sieve
script from the rules sent).  Each rule is stored as one canonical XML string (whitespace-only
text dropped), so a rule read and sent back unchanged is stored byte-identical and tests can
compare the strings.
"""

from __future__ import annotations

from typing import List

from lxml import etree

from .. import soap
from ..dispatcher import RequestContext, handler
from ..soap import MAIL_NS, first_child, response_element

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          remove_blank_text=True)


def canonical_rule(element) -> str:
    """One <filterRule> as a canonical string in urn:zimbraMail."""
    copy = etree.fromstring(etree.tostring(element), _PARSER)
    for node in copy.iter():
        if node.text is not None and node.text.strip() == "" and len(node):
            node.text = None
        if node.tail is not None and node.tail.strip() == "":
            node.tail = None
    etree.cleanup_namespaces(copy)  # drop the envelope's prefixes the rule inherited
    return etree.tostring(copy, encoding="unicode")


def rule_from_text(text: str) -> str:
    """Seeded rule XML (test API) -> canonical string; must be a urn:zimbraMail <filterRule>."""
    element = etree.fromstring(text.encode("utf-8"), _PARSER)
    if etree.QName(element).localname != "filterRule" or etree.QName(element).namespace != MAIL_NS:
        raise ValueError("a seeded rule must be a <filterRule xmlns=\"urn:zimbraMail\">")
    return canonical_rule(element)


def _rules_of(request) -> List[str]:
    container = first_child(request, "filterRules")
    if container is None:
        raise soap.invalid_request("missing <filterRules>")
    rules = []
    for rule in container:
        if not isinstance(rule.tag, str) or etree.QName(rule).localname != "filterRule":
            continue
        if not (rule.get("name") or "").strip():
            raise soap.invalid_request("a filter rule needs a name")
        if first_child(rule, "filterTests") is None:
            raise soap.invalid_request(f"filter rule {rule.get('name')!r} has no <filterTests>")
        rules.append(canonical_rule(rule))
    return rules


def _response(name: str, rules: List[str]):
    response = response_element(MAIL_NS, name)
    container = etree.SubElement(response, f"{{{MAIL_NS}}}filterRules")
    for text in rules:
        container.append(etree.fromstring(text.encode("utf-8"), _PARSER))
    return response


@handler(MAIL_NS, "GetFilterRulesRequest", uses_mailbox=True)
def get_filter_rules(ctx: RequestContext, request):
    with ctx.mailbox.lock:
        return _response("GetFilterRulesResponse", list(ctx.mailbox.filter_rules))


@handler(MAIL_NS, "ModifyFilterRulesRequest", uses_mailbox=True)
def modify_filter_rules(ctx: RequestContext, request):
    rules = _rules_of(request)
    with ctx.mailbox.lock:
        ctx.mailbox.filter_rules = rules
        ctx.mailbox.bump_change()
    return response_element(MAIL_NS, "ModifyFilterRulesResponse")


@handler(MAIL_NS, "GetOutgoingFilterRulesRequest", uses_mailbox=True)
def get_outgoing_filter_rules(ctx: RequestContext, request):
    with ctx.mailbox.lock:
        return _response("GetOutgoingFilterRulesResponse", list(ctx.mailbox.outgoing_filter_rules))


@handler(MAIL_NS, "ModifyOutgoingFilterRulesRequest", uses_mailbox=True)
def modify_outgoing_filter_rules(ctx: RequestContext, request):
    rules = _rules_of(request)
    with ctx.mailbox.lock:
        ctx.mailbox.outgoing_filter_rules = rules
        ctx.mailbox.bump_change()
    return response_element(MAIL_NS, "ModifyOutgoingFilterRulesResponse")
