"""Lenient mode: rewrite a request the way Zimbra's own parser reads it, then validate it.

The real server reads SOAP through its `Element` API, which is looser than the generated XSDs
(see zimbra-schemas/README.md, "Where these schemas are stricter than a real server").  Lenient
mode exists only for running Zimbra's QA scripts, which were written against the real server.
Each leniency below is one explicit transformation; nothing else is relaxed, and the rewritten
request must still validate against the schema.  The list is mirrored in README.md.
"""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Tuple

from lxml import etree

from .schemas import SchemaSet, TypeInfo

# (id, what it does, why the real server accepts it) - the documented list.
LENIENCIES: List[Tuple[str, str, str]] = [
    ("L1-child-to-attribute",
     "a text-only child element <x>v</x> that the type declares as attribute x becomes x=\"v\"",
     "Zimbra's Element API answers getAttribute(x) from either form (README: attribute and "
     "same-named child element are equivalent; e.g. admin AuthRequest <name>, <m><su>, "
     "<mp><content>)"),
    ("L2-attribute-to-child",
     "an attribute x that the type declares only as a text-only child element becomes <x>v</x>",
     "same equivalence, the other direction"),
    ("L3-unknown-attribute-ignored",
     "attributes the type does not declare are dropped",
     "handlers read the attributes they know by name and never look at others (the QA scripts "
     "carry their own, e.g. bugid=\"7619\", <inv type=\"event\">, <mp content-type=...>)"),
    ("L4-required-attribute-default",
     "required attributes the server treats as optional get the server's default: inv/comp "
     "@method=PUBLISH @compNum=0 @rsvp=0, calTZInfo @dayoff=@stdoff, DelegateAuthRequest "
     "@duration=3600, filter test/action @index=position",
     "README: these are use=\"required\" in the XSD only"),
    ("L5-child-order",
     "child elements are put in the order of the type's xs:sequence (stable for equal slots)",
     "README: child order does not matter to the server, except ModifyFilterRulesRequest, "
     "which is left exactly as sent"),
]

# Requests bound through JAXB on the real server: their exact form matters, so no rewriting.
EXACT_FORM_REQUESTS = {("urn:zimbraMail", "ModifyFilterRulesRequest")}

DefaultFn = Callable[[etree._Element], Optional[str]]


def _dayoff_default(element: etree._Element) -> Optional[str]:
    return element.get("stdoff")


def _position_in_parent(element: etree._Element) -> Optional[str]:
    parent = element.getparent()
    siblings = [c for c in parent if isinstance(c.tag, str)] if parent is not None else [element]
    return str(siblings.index(element))


# L4: (type name, attribute) -> the value the real server assumes when it is absent.
_COMPONENT_DEFAULTS: Dict[str, DefaultFn] = {
    "method": lambda _el: "PUBLISH",
    "compNum": lambda _el: "0",
    "rsvp": lambda _el: "0",
}
_INVITE_TYPES = ("invitationInfo", "inviteComponent", "inviteComponentCommon")


def _required_default(type_info: TypeInfo, attribute: str) -> Optional[DefaultFn]:
    if type_info.name in _INVITE_TYPES and attribute in _COMPONENT_DEFAULTS:
        return _COMPONENT_DEFAULTS[attribute]
    if type_info.name == "calTZInfo" and attribute == "dayoff":
        return _dayoff_default
    if type_info.name == "delegateAuthRequest" and attribute == "duration":
        return lambda _el: "3600"
    if attribute == "index" and type_info.name.endswith(("Test", "Action")):
        return _position_in_parent
    return None


class LenientNormaliser:
    def __init__(self, schemas: SchemaSet):
        self._schemas = schemas

    def normalise(self, request: etree._Element) -> List[str]:
        """Rewrites `request` in place; returns one note per change (leniency id + where)."""
        qname = etree.QName(request)
        if (qname.namespace, qname.localname) in EXACT_FORM_REQUESTS:
            return []
        type_info = self._schemas.global_element_type((qname.namespace, qname.localname))
        notes: List[str] = []
        if type_info is not None:
            self._normalise_element(request, type_info, notes)
        return notes

    def _normalise_element(self, element, type_info: TypeInfo, notes: List[str]) -> None:
        self._children_to_attributes(element, type_info, notes)
        self._attributes_to_children(element, type_info, notes)
        self._drop_unknown_attributes(element, type_info, notes)
        self._fill_required_attributes(element, type_info, notes)
        for child in _element_children(element):
            decl = type_info.children.get(_qname(child))
            child_type = self._schemas.type_info(decl.type_ref) if decl else None
            if child_type is not None and not child_type.simple_content:
                self._normalise_element(child, child_type, notes)
            elif child_type is not None:
                self._drop_unknown_attributes(child, child_type, notes)
        if type_info.ordered:
            self._reorder_children(element, type_info, notes)

    @staticmethod
    def _children_to_attributes(element, type_info: TypeInfo, notes: List[str]) -> None:
        namespace = etree.QName(element).namespace
        for child in _element_children(element):
            child_qname = _qname(child)
            name = child_qname[1]
            if (child_qname in type_info.children or name not in type_info.attributes
                    or child_qname[0] != namespace or len(child.attrib)
                    or _element_children(child) or element.get(name) is not None):
                continue
            element.set(name, child.text or "")
            element.remove(child)
            if not _element_children(element) and not (element.text or "").strip():
                element.text = None  # only the indentation around the moved child was left
            notes.append(f"L1-child-to-attribute: <{name}> of {_describe(element)}")

    @staticmethod
    def _attributes_to_children(element, type_info: TypeInfo, notes: List[str]) -> None:
        namespace = etree.QName(element).namespace
        for name in list(element.attrib):
            if name in type_info.attributes or "}" in name:
                continue
            decl = type_info.children.get((namespace, name))
            if decl is None or not decl.is_simple:
                continue
            child = etree.SubElement(element, f"{{{namespace}}}{name}")
            child.text = element.attrib.pop(name)
            notes.append(f"L2-attribute-to-child: @{name} of {_describe(element)}")

    @staticmethod
    def _drop_unknown_attributes(element, type_info: TypeInfo, notes: List[str]) -> None:
        for name in list(element.attrib):
            if name not in type_info.attributes:
                del element.attrib[name]
                notes.append(f"L3-unknown-attribute-ignored: @{name} of {_describe(element)}")

    @staticmethod
    def _fill_required_attributes(element, type_info: TypeInfo, notes: List[str]) -> None:
        for name, decl in type_info.attributes.items():
            if not decl.required or element.get(name) is not None:
                continue
            default = _required_default(type_info, name)
            value = default(element) if default else None
            if value is not None:
                element.set(name, value)
                notes.append(f"L4-required-attribute-default: @{name}={value} on "
                             f"{_describe(element)}")

    @staticmethod
    def _reorder_children(element, type_info: TypeInfo, notes: List[str]) -> None:
        children = _element_children(element)
        unknown_slot = 1 + max((c.slot for c in type_info.children.values()), default=0)

        def slot_of(child):
            decl = type_info.children.get(_qname(child))
            return decl.slot if decl else unknown_slot

        ordered = sorted(children, key=slot_of)  # sorted() is stable: equal slots keep order
        if ordered == children:
            return
        for child in children:
            element.remove(child)
        element.extend(ordered)
        notes.append(f"L5-child-order: children of {_describe(element)}")


def _element_children(element) -> list:
    return [c for c in element if isinstance(c.tag, str)]


def _qname(element) -> Tuple[str, str]:
    qname = etree.QName(element)
    return (qname.namespace or "", qname.localname)


def _describe(element) -> str:
    return f"<{etree.QName(element).localname}> (line {element.sourceline})"
