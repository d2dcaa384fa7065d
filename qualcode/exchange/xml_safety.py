"""Parsing other programs' XML safely, and validating ours against the REFI-QDA schemas.

Untrusted XML is parsed with defusedxml: DTDs, external entities and entity expansion
(the "billion laughs") are refused. Element names are matched on their local names so
that namespace variants written by real programs (``urn:QDA-XML:codebook:0:4``, typos)
still read.
"""

from __future__ import annotations

import functools
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from ..errors import InputError

SCHEMA_DIR = Path(__file__).with_name("schemas")  # QDA-XML 1.0 (MIT), as published by REFI


def parse_xml_bytes(data: bytes, path: str | Path) -> Element:
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InputError(path, f"refused: the XML declares a DTD or entities ({type(exc).__name__})") from None
    except SafeET.ParseError as exc:
        raise InputError(path, f"is not well-formed XML ({exc})") from None


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def children(element: Element, name: str) -> list[Element]:
    return [c for c in element if local(c.tag) == name]


def child(element: Element, name: str) -> Element | None:
    found = children(element, name)
    return found[0] if found else None


@functools.lru_cache(maxsize=2)
def schema(name: str):
    """The vendored XSD, compiled by libxml2 (through lxml): fast, and without the
    element-count ceiling a pure-Python validator has on a large project."""
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / name)))


def validation_errors(xml: bytes | str, schema_name: str) -> list[str]:
    """Every schema error of a document (empty when it validates).

    The document is parsed without entities, DTDs or network access; untrusted files
    have already been through :func:`parse_xml_bytes` by then.
    """
    from lxml import etree

    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        document = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed: {exc}"]
    validator = schema(schema_name)
    if validator.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in validator.error_log]
