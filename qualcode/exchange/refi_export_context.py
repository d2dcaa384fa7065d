"""What every section builder of the REFI-QDA export writes with, and reads from.

The .qde is written as a stream by lxml's ``xmlfile``: sections and sources are opened
and closed as the builders walk the project, and each small piece (a user, a selection
with its codings, a note) is built as a little element and written at once, so the
document is never held whole. Every byte written is also fed to a validating parser
(:class:`~qualcode.exchange.xml_safety.StreamValidator`), which drops each element once
checked: the document is validated against ``Project.xsd`` as it is written.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from lxml import etree

from ..records.codes import CodeNode
from ..records.study import Coder, StudyFacts
from ..store.connection import Database
from ..store.refi import TranscriptOutline
from .refi_vocabulary import NAMESPACE, clean
from .xml_safety import StreamValidator

Attributes = Mapping[str, object | None]


def attributes(attrs: Attributes | None) -> dict[str, str]:
    """Attribute values as XML can hold them; None means "leave the attribute out"."""
    return {key: clean(str(value)) for key, value in (attrs or {}).items() if value is not None}


def element(tag: str, attrs: Attributes | None = None, text: str | None = None) -> etree._Element:
    """A small element to fill and write with :meth:`XmlOut.write`.

    Its tag has no namespace on purpose: written inside the root, which declares the
    REFI-QDA namespace as the default, it is in that namespace, and lxml writes it
    without declaring the namespace again on every piece.
    """
    built = etree.Element(tag, attributes(attrs))
    if text is not None:
        built.text = clean(text)
    return built


def sub(parent: etree._Element, tag: str, attrs: Attributes | None = None, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, tag, attributes(attrs))
    if text is not None:
        child.text = clean(text)
    return child


class _Tee:
    """A binary stream that passes what it is given to the target and the validator."""

    def __init__(self, target: IO[bytes], validator: StreamValidator) -> None:
        self.target, self.validator = target, validator

    def write(self, data: bytes) -> int:
        self.target.write(data)
        self.validator.feed(data)
        return len(data)


class XmlOut:
    """The .qde being written: open elements as ``with out.open(...)``, write pieces
    with :meth:`write`. Indented one space per level, as a person reading it expects."""

    def __init__(self, writer: Any) -> None:
        self._writer = writer  # lxml's incremental writer (it has no public type)
        self._depth = 0

    @contextlib.contextmanager
    def open(self, tag: str, attrs: Attributes | None = None) -> Iterator[None]:
        self._writer.write("\n" + " " * self._depth)
        with self._writer.element(f"{{{NAMESPACE}}}{tag}", attributes(attrs)):
            self._depth += 1
            yield
            self._depth -= 1
            self._writer.write("\n" + " " * self._depth)

    def write(self, piece: etree._Element) -> None:
        """Write a complete element (with its children) at the current depth."""
        if len(piece):
            etree.indent(piece, space=" ", level=self._depth)
        self._writer.write("\n" + " " * self._depth, piece)

    def leaf(self, tag: str, attrs: Attributes | None = None, text: str | None = None) -> None:
        self.write(element(tag, attrs, text))


@contextlib.contextmanager
def document(stream: IO[bytes], root_attrs: Attributes) -> Iterator[tuple[XmlOut, StreamValidator]]:
    """The ``Project`` element written into ``stream`` and validated as it is written;
    the validator's :meth:`~StreamValidator.close` says whether it was valid."""
    validator = StreamValidator("Project.xsd")
    with etree.xmlfile(_Tee(stream, validator), encoding="utf-8") as writer:
        writer.write_declaration()
        with writer.element(f"{{{NAMESPACE}}}Project", attributes(root_attrs), nsmap={None: NAMESPACE}):
            out = XmlOut(writer)
            out._depth = 1
            yield out, validator
            writer.write("\n")


@dataclass
class Counts:
    """What an export wrote."""

    users: int = 0
    codes: int = 0
    participants: int = 0
    sources: int = 0
    selections: int = 0
    codings: int = 0
    memos: int = 0
    waves: int = 0
    recordings: int = 0


@dataclass
class ExportContext:
    """The project as the section builders read it.

    ``coders``, ``codebook``, ``participants``, ``waves``, ``time_points`` and
    ``study_facts`` come from the project's own use cases (they are small); the rest,
    which grows with the data, is read from the store piece by piece.
    """

    db: Database
    project_guid: str
    coders: dict[int, Coder]
    codebook: list[CodeNode]
    participants: list[dict[str, Any]]
    waves: list[dict[str, Any]]
    time_points: dict[str, dict[str, str]]
    study_facts: StudyFacts
    transcripts: list[TranscriptOutline]
    out: XmlOut | None = None
    counts: Counts = field(default_factory=Counts)
    project_folder: Path = Path(".")  # what the paths of linked recordings are relative to
    missing_recordings: list[str] = field(default_factory=list)  # transcripts whose recording is gone
    recordings: list[tuple[dict[str, Any], Path]] | None = None  # (link, file), read once

    @property
    def xml(self) -> XmlOut:
        if self.out is None:
            raise RuntimeError("the document is not open")
        return self.out

    def coder_guid(self, coder_id: int | None) -> str | None:
        coder = self.coders.get(coder_id) if coder_id is not None else None
        return coder.guid if coder else None
