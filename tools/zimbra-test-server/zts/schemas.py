"""Zimbra's generated XSDs: offline loading, request validation, and a content-model view.

Two uses:
  * `SchemaSet.validate(element)` checks one SOAP request element against the schema of its
    namespace (each request is a global element there) and returns lxml's error lines.
  * `SchemaSet.type_of_global(...)` / `TypeInfo` describe which attributes and child elements a
    type declares, in which order; the lenient normaliser (`lenient.py`) needs that to turn the
    real server's looser parsing into something the schema accepts.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import threading
from typing import Dict, List, Optional, Tuple, Union

from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"

# The request namespaces we validate, and the XSD file that defines each one.
SCHEMA_FILE_BY_NAMESPACE = {
    "urn:zimbraAdmin": "zimbraAdmin.xsd",
    "urn:zimbraMail": "zimbraMail.xsd",
    "urn:zimbraAccount": "zimbraAccount.xsd",
}

QName = Tuple[str, str]  # (namespace, local name)


class LocalOnlyResolver(etree.Resolver):
    """Resolves xs:import/xs:include schemaLocations inside the schema folder, and nothing else.

    The XSDs import `zimbra.xsd` by a relative name; a schema set must never be fetched over the
    network, so anything that is not a file of the folder is refused.
    """

    def __init__(self, folder: str):
        super().__init__()
        self._folder = os.path.realpath(folder)

    def resolve(self, url, pubid, context):
        name = os.path.basename(url or "")
        candidate = os.path.realpath(os.path.join(self._folder, name))
        if os.path.dirname(candidate) == self._folder and os.path.isfile(candidate):
            return self.resolve_filename(candidate, context)
        raise etree.XMLSchemaParseError(f"schema location outside {self._folder}: {url}")


@dataclasses.dataclass(frozen=True)
class InlineType:
    """An anonymous xs:complexType declared inside an element.  Equal for the same node: lxml
    hands out one proxy per node while a reference to it lives (the cache keeps one)."""
    schema_path: str
    node: object


TypeRef = Union[QName, InlineType, None]   # a named complex type, an inline one, or simple


@dataclasses.dataclass
class ChildDecl:
    """A child element a type allows: where it goes in the order, and its type."""
    name: QName
    slot: int                      # position in the content model; equal slots may interleave
    type_ref: TypeRef
    is_simple: bool                # text-only content (xs:string, an enumeration, ...)


@dataclasses.dataclass
class AttrDecl:
    name: str
    required: bool


@dataclasses.dataclass
class TypeInfo:
    """The flattened content model of one complex type (extension bases merged in)."""
    name: str
    attributes: Dict[str, AttrDecl]
    children: Dict[QName, ChildDecl]
    ordered: bool                  # False for xs:all: any order is valid
    allows_foreign_elements: bool  # xs:any namespace="##other"
    simple_content: bool

    def child_named(self, local_name: str) -> Optional[ChildDecl]:
        for qname, decl in self.children.items():
            if qname[1] == local_name:
                return decl
        return None


class _SchemaDoc:
    """One parsed XSD file and its global declarations."""

    def __init__(self, path: str):
        self.path = path
        self.tree = etree.parse(path)
        root = self.tree.getroot()
        self.target_namespace = root.get("targetNamespace", "")
        self.nsmap = {k: v for k, v in root.nsmap.items()}
        self.complex_types = {el.get("name"): el for el in root.findall(f"{{{XS}}}complexType")}
        self.simple_types = {el.get("name"): el for el in root.findall(f"{{{XS}}}simpleType")}
        self.elements = {el.get("name"): el for el in root.findall(f"{{{XS}}}element")}

    def qname(self, prefixed: str) -> QName:
        prefix, _, local = prefixed.rpartition(":")
        return (self.nsmap.get(prefix or None, ""), local)


class SchemaSet:
    """The XSDs of one schema folder (e.g. `zcs8-2014a`)."""

    def __init__(self, folder: str):
        self.folder = folder
        self._validators: Dict[str, etree.XMLSchema] = {}
        self._docs: Dict[str, _SchemaDoc] = {}
        self._type_cache: Dict[object, TypeInfo] = {}
        # lxml validators are not safe to share between threads while validating.
        self._validate_lock = threading.Lock()
        self._model_lock = threading.RLock()
        self._load()

    # ---- loading -------------------------------------------------------------------------
    def _load(self) -> None:
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        parser.resolvers.add(LocalOnlyResolver(self.folder))
        for namespace, filename in SCHEMA_FILE_BY_NAMESPACE.items():
            path = os.path.join(self.folder, filename)
            if not os.path.isfile(path):
                raise FileNotFoundError(f"schema file missing: {path}")
            self._validators[namespace] = etree.XMLSchema(etree.parse(path, parser))
        for filename in sorted(os.listdir(self.folder)):
            if filename.endswith(".xsd"):
                doc = _SchemaDoc(os.path.join(self.folder, filename))
                self._docs.setdefault(doc.target_namespace, doc)

    # ---- validation ----------------------------------------------------------------------
    def validates_namespace(self, namespace: str) -> bool:
        return namespace in self._validators

    def validate(self, element: etree._Element) -> List[str]:
        """Errors of `element` against its namespace's schema, as 'line N: message' strings."""
        validator = self._validators[etree.QName(element).namespace]
        # Validate a standalone copy: the request is a global element of the XSD, and the copy
        # keeps the source line numbers of the original envelope.
        document = etree.ElementTree(_detached_copy(element))
        with self._validate_lock:
            ok = validator.validate(document)
            errors = [] if ok else [f"line {e.line}: {e.message}" for e in validator.error_log]
        return errors

    # ---- content model -------------------------------------------------------------------
    def global_element_type(self, name: QName) -> Optional[TypeInfo]:
        doc = self._docs.get(name[0])
        decl = doc.elements.get(name[1]) if doc else None
        if decl is None:
            return None
        return self._type_of_element_decl(doc, decl)

    def type_info(self, type_ref: TypeRef) -> Optional[TypeInfo]:
        """TypeInfo for a ChildDecl.type_ref; None for simple types."""
        if type_ref is None:
            return None
        with self._model_lock:
            if type_ref in self._type_cache:
                return self._type_cache[type_ref]
            info = self._build_type_info(type_ref)
            self._type_cache[type_ref] = info
            return info

    def _type_of_element_decl(self, doc: _SchemaDoc, decl) -> Optional[TypeInfo]:
        return self.type_info(self._element_type_ref(doc, decl))

    @staticmethod
    def _element_type_ref(doc: _SchemaDoc, decl) -> TypeRef:
        if decl.get("type"):
            qname = doc.qname(decl.get("type"))
            return None if qname[0] == XS else qname
        inline = decl.find(f"{{{XS}}}complexType")
        return InlineType(doc.path, inline) if inline is not None else None

    def _is_simple_type(self, doc: _SchemaDoc, decl) -> bool:
        if decl.find(f"{{{XS}}}complexType") is not None:
            return False
        type_name = decl.get("type")
        if not type_name:
            return decl.find(f"{{{XS}}}simpleType") is not None
        namespace, local = doc.qname(type_name)
        if namespace == XS:
            return True
        other = self._docs.get(namespace)
        return bool(other and local in other.simple_types)

    def _build_type_info(self, type_ref: TypeRef) -> Optional[TypeInfo]:
        if isinstance(type_ref, InlineType):
            doc = next(d for d in self._docs.values() if d.path == type_ref.schema_path)
            node, name = type_ref.node, "(anonymous)"
        else:
            doc = self._docs.get(type_ref[0])
            node = doc.complex_types.get(type_ref[1]) if doc else None
            name = type_ref[1]
        if node is None:
            return None
        info = TypeInfo(name=name, attributes={}, children={}, ordered=True,
                        allows_foreign_elements=False, simple_content=False)
        self._merge_type_node(doc, node, info)
        return info

    def _merge_type_node(self, doc: _SchemaDoc, node, info: TypeInfo) -> None:
        for child in node:
            tag = etree.QName(child).localname if isinstance(child.tag, str) else None
            if tag in ("complexContent", "simpleContent"):
                info.simple_content = tag == "simpleContent"
                for derivation in child:
                    if not isinstance(derivation.tag, str):
                        continue
                    base = doc.qname(derivation.get("base", ""))
                    if base[0] != XS:
                        base_info = self.type_info(base)
                        if base_info:
                            info.attributes.update(base_info.attributes)
                            info.children.update(base_info.children)
                            info.ordered = base_info.ordered
                            info.allows_foreign_elements |= base_info.allows_foreign_elements
                    self._merge_type_node(doc, derivation, info)
            elif tag in ("sequence", "choice", "all"):
                next_slot = 1 + max((c.slot for c in info.children.values()), default=-1)
                if tag == "all" and len(child):
                    info.ordered = False
                self._walk_particle(doc, child, info, next_slot, same_slot=(tag != "sequence"))
            elif tag == "attribute":
                info.attributes[child.get("name")] = AttrDecl(
                    child.get("name"), child.get("use") == "required")

    def _walk_particle(self, doc: _SchemaDoc, particle, info: TypeInfo, slot: int,
                       same_slot: bool) -> int:
        """Adds the particle's elements to `info`; returns the next free slot."""
        for item in particle:
            if not isinstance(item.tag, str):
                continue
            tag = etree.QName(item).localname
            if tag == "element":
                self._add_child(doc, item, info, slot)
                if not same_slot:
                    slot += 1
            elif tag in ("sequence", "choice", "all"):
                end = self._walk_particle(doc, item, info, slot, same_slot or tag != "sequence")
                if not same_slot:
                    slot = end if tag == "sequence" else slot + 1
            elif tag == "any":
                if item.get("namespace") == "##other":
                    info.allows_foreign_elements = True
        return slot + (1 if same_slot else 0)

    def _add_child(self, doc: _SchemaDoc, decl, info: TypeInfo, slot: int) -> None:
        if decl.get("ref"):
            qname = doc.qname(decl.get("ref"))
            target_doc = self._docs.get(qname[0])
            target = target_doc.elements.get(qname[1]) if target_doc else None
            if target is None:
                return
            type_ref = self._element_type_ref(target_doc, target)
            simple = self._is_simple_type(target_doc, target)
        else:
            qname = (doc.target_namespace, decl.get("name"))
            type_ref = self._element_type_ref(doc, decl)
            simple = self._is_simple_type(doc, decl)
        info.children[qname] = ChildDecl(qname, slot, type_ref, simple)


def _detached_copy(element: etree._Element) -> etree._Element:
    return copy.deepcopy(element)
