"""Reading a REFI-QDA ``.qde`` as a stream of small pieces, with limits per element.

The document is never held whole. :class:`QdeStream` reads it in chunks and hands the
reader one *unit* at a time, as soon as the unit is complete; once the reader is done
with it, the unit is cleared and dropped. Units are:

* each child of the sections that hold many things (``Users``, ``Variables``,
  ``Cases``, ``Sources``, ``Notes``, ``Links``, ``Sets``, ``Graphs``): a user, a case,
  a source, a note...;
* the other children of ``Project`` as a whole (``CodeBook``, ``Description``, the
  project's ``NoteRef``s);
* inside a source, each ``PlainTextSelection`` with its codings, so that a source with
  a million selections is never held whole either.

Checked as the bytes arrive, so that nothing a hostile file does grows without bound:

* no DTD, hence no entity (expat refuses a document type declaration; lxml is told not
  to load DTDs, resolve entities or touch the network);
* well-formedness, decided by expat, which refuses a document cut short (lxml 6.2 would
  report end events for elements a truncated document never closes);
* per element: no run of more than :data:`MAX_TOKEN_BYTES` without a ``<`` (so no text,
  attribute value or tag larger than that is ever buffered); at most
  :data:`MAX_HELD_ELEMENTS` elements held at once (a unit larger than that is refused);
  nesting at most :data:`MAX_DEPTH` levels, and codes at most ``MAX_CODE_DEPTH``.

On the first pass the bytes also go to a validating parser
(:class:`~qualcode.exchange.xml_safety.StreamValidator`), whose verdict the import
reports as a warning: real programs' files often do not validate and are read leniently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol
from xml.parsers import expat

from lxml import etree

from ..coding.codebook_file import MAX_CODE_DEPTH
from ..errors import InputError
from ..input_files import describe_size
from .xml_safety import StreamValidator, local

#: Bytes read from the document at a time.
CHUNK_BYTES = 1 << 16
#: Longest run of bytes without a ``<``: the largest text, attribute value or tag. A
#: source's text may be written into the document (``PlainTextContent``), escaped, so this
#: is well above the 20 MB a transcript may hold.
MAX_TOKEN_BYTES = 64 * 1024 * 1024
#: Elements of one unit (a code book, a case, a note, one selection...) held at once.
MAX_HELD_ELEMENTS = 500_000
#: Nesting of elements, codes included (codes are refused deeper than MAX_CODE_DEPTH).
MAX_DEPTH = MAX_CODE_DEPTH + 20

#: Sections whose children are read one at a time.
SECTIONS = frozenset({"Users", "Variables", "Cases", "Sources", "Notes", "Links", "Sets", "Graphs"})

class Readable(Protocol):
    def read(self, size: int, /) -> bytes: ...


Opener = Callable[[], AbstractContextManager[Readable]]


class Unit:
    """One complete piece of the document: ``section`` is the child of ``Project`` it is
    in (or is), ``element`` the piece itself (lxml, matched on local names)."""

    __slots__ = ("element", "section")

    def __init__(self, section: str, element: Any) -> None:
        self.section, self.element = section, element

    @property
    def kind(self) -> str:
        return local(self.element.tag)


class QdeStream:
    """The ``.qde`` of a container, read as units. ``label`` names the document in
    errors of XML (``x.qdpx:project.qde``), ``path`` the file in refusals of what it holds."""

    def __init__(self, open_stream: Opener, label: str | Path, path: Path) -> None:
        self.open_stream, self.label, self.path = open_stream, label, path
        self.root_attributes: dict[str, str] = {}
        self.validation_error: str | None = None

    def _refuse(self, problem: str) -> InputError:
        return InputError(self.label, problem)

    def _too_much(self, problem: str) -> InputError:
        return InputError(self.path, problem)

    def units(self, *, check: bool = False, until: str | None = None) -> Iterator[Unit]:
        """Every unit in document order. ``check``: also decide well-formedness and
        validate against ``Project.xsd`` (the first pass). ``until``: stop after the
        section of that name."""
        walker = _Walker(self)
        expat_parser = _strict_parser() if check else None
        validator = StreamValidator("Project.xsd") if check else None
        parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False, no_network=True,
                                     load_dtd=False, huge_tree=True, remove_comments=True, remove_pis=True)
        run = 0  # bytes since the last "<"
        with self.open_stream() as stream:
            while chunk := stream.read(CHUNK_BYTES):
                run = self._check_runs(chunk, run)
                if expat_parser is not None:
                    self._expat(expat_parser, chunk, final=False)
                if validator is not None:
                    validator.feed(chunk)
                try:
                    parser.feed(chunk)
                except etree.XMLSyntaxError as exc:
                    # A limit of ours met before libxml2's own (nesting) is the one to name.
                    yield from walker.read(parser.read_events())
                    raise self._refuse(f"is not well-formed XML ({exc})") from None
                yield from walker.read(parser.read_events())
                if walker.finished_section == until and until is not None:
                    return
        if expat_parser is not None:
            self._expat(expat_parser, b"", final=True)
        if validator is not None:
            self.validation_error = validator.close()
        try:
            parser.close()
        except etree.XMLSyntaxError as exc:
            raise self._refuse(f"is not well-formed XML ({exc})") from None
        yield from walker.read(parser.read_events())
        if not walker.saw_root:
            raise self._refuse("is not well-formed XML (no root element)")

    def _check_runs(self, chunk: bytes, run: int) -> int:
        """Refuse a run of more than MAX_TOKEN_BYTES bytes without a ``<``; ``run`` is the
        length of the run the previous chunks ended with, and the one this chunk ends
        with is returned."""
        first = chunk.find(b"<")
        if first < 0:
            run += len(chunk)
        else:
            run += first
            last = chunk.rfind(b"<")
            if last - first > MAX_TOKEN_BYTES:  # only then can a run inside the chunk be too long
                at = first
                while at < last:
                    following = chunk.find(b"<", at + 1)
                    run, at = max(run, following - at - 1), following
        if run > MAX_TOKEN_BYTES:
            raise self._too_much(f"refused: it holds a text, attribute or tag of more than "
                                 f"{describe_size(MAX_TOKEN_BYTES)}")
        return run if first < 0 else len(chunk) - 1 - chunk.rfind(b"<")

    def _expat(self, parser: Any, chunk: bytes, *, final: bool) -> None:
        try:
            parser.Parse(chunk, final)
        except _DoctypeDeclared:
            raise self._refuse("refused: the XML declares a DTD or entities") from None
        except expat.ExpatError as exc:
            if final:
                raise self._refuse("is not well-formed XML (the document ends before its root element "
                                   "is closed)") from None
            raise self._refuse(f"is not well-formed XML (line {exc.lineno}: "
                               f"{expat.ErrorString(exc.code)})") from None


class _DoctypeDeclared(Exception):
    pass


def _strict_parser() -> Any:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse_doctype(*_args: object) -> None:
        raise _DoctypeDeclared

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    return parser


class _Walker:
    """Turns lxml's start and end events into units, with the limits on depth and on
    elements held, and drops each unit once the reader has had it."""

    def __init__(self, stream: QdeStream) -> None:
        self.stream = stream
        self.path: list[str] = []  # local names of the open elements, the root first
        self.code_depth = 0
        self.held = 0  # elements started since the last unit was dropped
        self.saw_root = False
        self.finished_section: str | None = None

    def read(self, events: Iterator[tuple[str, Any]]) -> Iterator[Unit]:
        for event, element in events:
            if event == "start":
                self._start(element)
                continue
            name = self.path.pop()
            if name == "Code":
                self.code_depth -= 1
            if self._is_unit(name):
                yield Unit(self.path[1] if len(self.path) > 1 else name, element)
                self._drop(element)
            elif len(self.path) == 1:
                self.finished_section = name
                self._drop(element)

    def _start(self, element: Any) -> None:
        name = local(element.tag) if isinstance(element.tag, str) else ""
        if not self.path:
            if name != "Project":
                raise self.stream._refuse(f"is not a REFI-QDA project (root element {name}, expected Project)")
            self.saw_root = True
            self.stream.root_attributes = dict(element.attrib)
        self.path.append(name)
        self.held += 1
        if name == "Code":
            self.code_depth += 1
            if self.code_depth > MAX_CODE_DEPTH:
                raise self.stream._too_much(f"codes are nested more than {MAX_CODE_DEPTH} levels deep")
        if len(self.path) > MAX_DEPTH:
            raise self.stream._too_much(f"refused: its elements are nested more than {MAX_DEPTH} levels deep")
        if self.held > MAX_HELD_ELEMENTS:
            unit = self.path[2] if len(self.path) > 2 and self.path[1] in SECTIONS else self.path[-1]
            raise self.stream._too_much(f"refused: a {unit} element holds more than {MAX_HELD_ELEMENTS:,} elements")

    def _is_unit(self, name: str) -> bool:
        """Whether the element just ended (``name``, with ``self.path`` its ancestors) is
        a unit."""
        depth = len(self.path)  # of the ancestors: 1 for a child of Project
        if depth == 1:
            return name not in SECTIONS
        if depth == 2:
            return self.path[1] in SECTIONS
        return name == "PlainTextSelection" and self.path[1] == "Sources"

    def _drop(self, element: Any) -> None:
        element.clear(keep_tail=False)
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
        self.held = 0
