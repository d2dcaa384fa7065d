"""Parsing other programs' XML safely, and validating ours against the REFI-QDA schemas.

Untrusted XML is parsed with defusedxml: DTDs, external entities and entity expansion
(the "billion laughs") are refused. Element names are matched on their local names so
that namespace variants written by real programs (``urn:QDA-XML:codebook:0:4``, typos)
still read.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from ..errors import InputError, QualcodeError

# QDA-XML 1.0 (MIT), as published by REFI; package data, so an installed wheel has them.
SCHEMAS = resources.files(__package__) / "schemas"


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

    try:
        with (SCHEMAS / name).open("rb") as handle:
            return etree.XMLSchema(etree.parse(handle))
    except FileNotFoundError:
        raise QualcodeError(f"{name}: the REFI-QDA schema is missing from this installation of "
                            "qualcode (reinstall it)") from None


def validation_error(xml: bytes | str, schema_name: str) -> str | None:
    """The first schema error of a document (None when it validates).

    Validated as it is parsed, each element dropped once read, so memory stays flat
    however large the project (a whole tree of a project with 100,000 codings took
    about 270 MB). The document is parsed without entities, DTDs or network access;
    untrusted files have already been through :func:`parse_xml_bytes` by then.
    """
    import io

    from lxml import etree

    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    # Well-formedness is decided by expat, not by lxml's iterparse events: lxml 6.2 emits
    # "end" events for elements a cut-off document never closes, so a truncated file would
    # pass. Expat refuses anything incomplete whatever lxml version is installed.
    broken = well_formedness_error(data)
    if broken:
        return broken
    events = etree.iterparse(io.BytesIO(data), events=("end",), schema=schema(schema_name),
                             resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        for _event, element in events:
            element.clear(keep_tail=True)
    except etree.XMLSyntaxError as exc:
        # lxml's message for a schema error carries no useful position, so the line is
        # taken from its log.
        entry = exc.error_log.last_error if exc.error_log else None
        line = entry.line if entry is not None and entry.line else (exc.lineno or 0)
        message = entry.message if entry is not None else str(exc)
        return f"line {line}: {message}" if line else message
    return None


def well_formedness_error(data: bytes) -> str | None:
    """Why ``data`` is not a well-formed XML document, or None.

    Expat reads the bytes without building anything (memory stays flat); a document type
    declaration is refused, so no entity can be defined, let alone expanded.
    """
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse_doctype(*_args) -> None:
        raise ValueError("the document declares a DTD")

    parser.StartDoctypeDeclHandler = refuse_doctype
    try:
        parser.Parse(data, True)
    except ValueError as exc:
        return f"refused: {exc}"
    except expat.ExpatError as exc:
        if parser.CurrentByteIndex >= len(data) or exc.code in _ENDS_EARLY:
            return "not well-formed: the document ends before its root element is closed"
        return f"line {exc.lineno}: not well-formed: {expat.ErrorString(exc.code)}"
    return None


def _early_end_codes() -> frozenset[int]:
    from xml.parsers.expat import errors

    return frozenset(errors.codes[m] for m in (errors.XML_ERROR_NO_ELEMENTS, errors.XML_ERROR_UNCLOSED_TOKEN,
                                                errors.XML_ERROR_PARTIAL_CHAR))


_ENDS_EARLY = _early_end_codes()
