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

    Validated as it is parsed (see :class:`StreamValidator`). Well-formedness is decided
    by expat first, not by lxml: lxml 6.2 emits "end" events for elements a cut-off
    document never closes, so a truncated file would pass; expat refuses anything
    incomplete whatever lxml version is installed.
    """
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    broken = well_formedness_error(data)
    if broken:
        return broken
    validator = StreamValidator(schema_name)
    for start in range(0, len(data), _CHUNK):
        validator.feed(data[start:start + _CHUNK])
    return validator.close()


_CHUNK = 1 << 16


class StreamValidator:
    """Validates a document against a vendored schema as its bytes arrive, holding none
    of it: each element is dropped once checked, so memory stays flat however large the
    project (a whole tree of a project with 100,000 codings took about 270 MB).

    Feed it bytes with :meth:`feed`; :meth:`close` returns the first error, or None. After
    the first error it stops looking. The document is parsed without entities, DTDs or
    network access.
    """

    def __init__(self, schema_name: str) -> None:
        from lxml import etree

        self._syntax_error = etree.XMLSyntaxError
        self._parser = etree.XMLPullParser(events=("end",), schema=schema(schema_name), resolve_entities=False,
                                           no_network=True, load_dtd=False, huge_tree=True)
        self.error: str | None = None

    def feed(self, data: bytes) -> None:
        if self.error is not None:
            return
        try:
            self._parser.feed(data)
        except self._syntax_error as exc:
            self.error = _schema_message(exc)
            return
        self._drop_checked()

    def close(self) -> str | None:
        if self.error is None:
            try:
                self._parser.close()
            except self._syntax_error as exc:
                self.error = _schema_message(exc)
        return self.error

    def _drop_checked(self) -> None:
        for _event, element in self._parser.read_events():
            element.clear(keep_tail=True)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]


def _schema_message(exc: Exception) -> str:
    # lxml's message for a schema error carries no useful position, so the line is
    # taken from its log.
    log = getattr(exc, "error_log", None)
    entry = log.last_error if log else None
    line = entry.line if entry is not None and entry.line else (getattr(exc, "lineno", 0) or 0)
    message = entry.message if entry is not None else str(exc)
    return f"line {line}: {message}" if line else message


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
