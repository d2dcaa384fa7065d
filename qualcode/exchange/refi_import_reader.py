"""REFI-QDA in: what a ``.qde`` holds that qualcode can keep, read in two passes.

The document is read as a stream of units (:mod:`.refi_import_stream`), never whole:

1. :meth:`_Reader.read` goes through the whole document once, checks it (well-formed,
   no DTD, limits per element; validated against ``Project.xsd`` for the report) and
   keeps what is small and needed before any source is written: users, the code book,
   variables, cases, links, sets, what each note is, and the variable values of each
   source (for its wave). Selections and the notes' texts are passed over.
2. :meth:`_Reader.sources` reads ``<Sources>`` again and gives one source at a time,
   with its text (read from the container then) and its selections and codings, for
   the writer to store before the next is read;
3. :meth:`_Reader.notes` reads ``<Notes>`` again, one note at a time, once every
   reference to notes is known (the first pass kept only what each note is).

Anything qualcode cannot hold is counted in the report's ``dropped``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..input_files import describe_size
from ..records.exchange import RefiImportReport
from ..yaml_input import shown
from .refi_container import _Container
from .refi_import_media import media_sources
from .refi_import_stream import QdeStream, Unit
from .refi_qdc import _unflatten_names, check_code_tree, guid_from_id, refi_colour, split_description
from .refi_vocabulary import CODING_MEMO_MARK, EXEMPLAR_MARK, STUDY_MARK, stored_datetime
from .xml_safety import child, children, local

#: Most characters of source text and notes one import reads: it bounds how long an
#: import takes (about a minute for 100 MB); memory does not grow with it, as one source
#: is held at a time.
MAX_TEXT_TOTAL = 100 * 1024 * 1024
#: Selections of one source held until the source is stored (a source's variable values,
#: which the schema puts after its selections, say which wave it belongs to).
MAX_SELECTIONS_PER_SOURCE = 250_000

Element = Any  # an lxml element (matched on local names)


@dataclass
class Report:
    source: str
    project: str
    origin: str = ""
    counts: dict = field(default_factory=dict)
    dropped: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    checks: dict = field(default_factory=dict)

    def drop(self, what: str, n: int = 1) -> None:
        if n:
            self.dropped[what] = self.dropped.get(what, 0) + n

    def record(self) -> RefiImportReport:
        """The finished report, as the faces are given it."""
        return RefiImportReport(self.source, self.project, self.origin, dict(self.counts),
                                dict(self.dropped), tuple(self.warnings), dict(self.checks))


@dataclass(slots=True)
class _Coding:
    guid: str
    code: str  # code guid (normalised)
    user: str | None
    created: str | None
    notes: list[str | None]


@dataclass(slots=True)
class _Selection:
    guid: str
    name: str | None
    start: int
    end: int
    user: str | None
    created: str | None
    description: str | None
    codings: list[_Coding]
    notes: list[str | None]
    whole: bool = False


def note_kind(note: dict) -> str:
    """What a note is to our import: a ``memo``, or one of the marks our export writes
    for what REFI-QDA has no field for (a coding's own ``coding`` memo, an ``exemplar``
    quote, the ``study`` facts)."""
    description = (note["description"] or "").strip()
    return {CODING_MEMO_MARK: "coding", EXEMPLAR_MARK: "exemplar", STUDY_MARK: "study"}.get(description, "memo")


def _gid(raw: str | None) -> str | None:
    return guid_from_id(raw) if raw and raw.strip() else None


def _text_of(element: Element | None) -> str | None:
    return element.text if element is not None else None


def _refs(element: Element, name: str = "NoteRef") -> list[str | None]:
    """The GUIDs an element's references (NoteRef, SourceRef...) point to; None for a
    reference without a target (counted as a dangling reference when it is resolved)."""
    return [_gid(ref.get("targetGUID")) for ref in children(element, name)]


_KNOWN_AT_TOP = {"Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets", "Graphs",
                 "Description", "NoteRef"}
#: The element each section holds, as the schema names it.
_ITEM = {"Users": "User", "Variables": "Variable", "Cases": "Case", "Notes": "Note", "Links": "Link",
         "Sets": "Set", "Graphs": "Graph"}


class _Reader:
    """Everything in the .qde that qualcode can hold, as plain data; the rest counted."""

    def __init__(self, stream: QdeStream, container: _Container, report: Report):
        self.stream, self.container, self.report = stream, container, report
        self.seen: dict[str, set[str]] = defaultdict(set)  # GUIDs met so far, by kind
        self.text_total = 0  # characters of source text read so far

    @property
    def origin(self) -> str:
        return self.stream.root_attributes.get("origin") or ""

    @property
    def ours(self) -> bool:
        return self.origin.lower().startswith("qualcode")

    @property
    def nvivo_windows(self) -> bool:
        origin = self.origin.lower()
        return "nvivo" in origin and "mac" not in origin

    def _count_text(self, kind: str, name: str, text: str | bytes | None) -> None:
        """Refuse a source or note longer than a transcript may be, or a project of more
        text than :data:`MAX_TEXT_TOTAL`. Called with the bytes before they are decoded,
        and with the text."""
        from ..ingest.encoding import MAX_SOURCE_BYTES

        if not text:
            return
        if len(text) > MAX_SOURCE_BYTES:
            raise InputError(self.container.path, f"{kind} {shown(name)} holds more text than a transcript "
                                                  f"may have ({describe_size(MAX_SOURCE_BYTES)})")
        if isinstance(text, str):
            self.text_total += len(text)
        if self.text_total > MAX_TEXT_TOTAL:
            raise InputError(self.container.path, f"holds more than {describe_size(MAX_TEXT_TOTAL)} of text in its "
                                                  "sources and notes; import it in parts")

    def _unique(self, kind: str, guid: str, name: str | None, *, again: bool = False) -> str:
        """``guid``, or a new one when another element of this kind already has it (the
        file is inconsistent; references to the GUID go to the first). The new one is
        the same on every pass over the document (``again``: a later pass, which does
        not warn again)."""
        seen = self.seen[f"{kind} again" if again else kind]
        if guid in seen:
            if not again:
                self.report.warnings.append(f"{kind} {shown(name or '')}: guid {guid} is used twice; given a new one")
            original, n = guid, 2
            while guid in seen:
                guid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"qualcode:refi-import:{kind}:{original}:{n}"))
                n += 1
        seen.add(guid)
        return guid

    # the first pass ------------------------------------------------------------------------
    def read(self) -> dict:
        """The plan: everything but the sources' selections and texts (see :meth:`sources`)."""
        plan: dict = {"users": {}, "codes": [], "code_notes": {}, "variables": {}, "cases": [],
                      "note_guids": set(), "study_notes": [], "links": [], "sets": [],
                      "source_values": []}
        for unit in self.stream.units(check=True):
            if unit.section == "Sources":
                self._source_values(unit, plan["source_values"])
            elif unit.section in _ITEM:
                if unit.kind == _ITEM[unit.section]:
                    self._item(unit, plan)
            else:
                self._top(unit, plan)
        self.report.origin = self.origin
        plan.update(project_user=_gid(self.stream.root_attributes.get("creatingUserGUID")), ours=self.ours,
                    nvivo_windows=self.nvivo_windows)
        return plan

    def _item(self, unit: Unit, plan: dict) -> None:
        element, section = unit.element, unit.section
        if section == "Users":
            self._user(element, plan["users"])
        elif section == "Variables":
            guid = _gid(element.get("guid"))
            if guid:
                plan["variables"][guid] = {"name": (element.get("name") or "").strip(),
                                           "type": element.get("typeOfVariable"),
                                           "description": _text_of(child(element, "Description")) or ""}
        elif section == "Cases":
            case = self._case(element)
            if case:
                plan["cases"].append(case)
        elif section == "Notes":
            note = self._note(element)
            if note:  # the notes themselves are read again when they are written (:meth:`notes`)
                plan["note_guids"].add(note["guid"])
                if note_kind(note) == "study":
                    plan["study_notes"].append(note)
        elif section == "Links":
            plan["links"].append((_gid(element.get("originGUID")), _gid(element.get("targetGUID")),
                                  element.get("name") or ""))
        elif section == "Sets":
            plan["sets"].append(self._set(element))
        elif section == "Graphs":
            self.report.drop("graphs", 1)

    def _top(self, unit: Unit, plan: dict) -> None:
        """A child of ``Project`` that is not a section of many things. The project's own
        NoteRefs need no reading: a note linked to nothing is a project memo anyway."""
        kind = unit.kind
        if kind == "CodeBook":
            plan["codes"], plan["code_notes"] = self._codes(unit.element)
        elif kind == "Description":
            if unit.element.text:
                self.report.drop("project description", 1)
        elif kind not in _KNOWN_AT_TOP:
            self.report.drop(f"unknown elements ({kind})", 1)

    def _user(self, user: Element, users: dict[str, str]) -> None:
        guid = _gid(user.get("guid"))
        if guid in users:
            self.report.warnings.append(f"user {shown(user.get('name') or '')}: guid {guid} is used twice; "
                                        f"its work is {users[guid]}'s")
        elif guid:
            users[guid] = (user.get("name") or user.get("id") or f"user {guid[:8]}").strip()

    def _source_values(self, unit: Unit, values: list[list[tuple[str | None, str | None]]]) -> None:
        """The variable values of a text source (or a PDF's text): the waves they name are
        made before any source is stored."""
        if unit.kind == "TextSource":
            values.append(self._values(unit.element))
        elif unit.kind == "PDFSource":
            representation = child(unit.element, "Representation")
            if representation is not None:
                values.append(self._values(representation))

    # codes ------------------------------------------------------------------------------
    def _codes(self, codebook: Element) -> tuple[list[dict], dict[str, list[str | None]]]:
        codes = child(codebook, "Codes")
        notes: dict[str, list[str | None]] = defaultdict(list)
        if codes is None:
            return [], notes
        warned = [0]

        def node(element: Element) -> dict | None:
            # Nesting is bounded by the stream (MAX_CODE_DEPTH), so recursion is.
            raw_id, name = element.get("guid"), " ".join((element.get("name") or "").split())
            if not raw_id and not name:
                self.report.drop("codes without guid or name", 1)
                return None
            guid = guid_from_id(raw_id or f"name:{name}")
            if raw_id and guid != raw_id.strip().strip("{}").lower():
                warned[0] += 1
            result = {"name": name or f"code {guid[:8]}", "guid": guid,
                      "codable": (element.get("isCodable") or "true").strip().lower() in ("true", "1")}
            raw_colour = (element.get("color") or "").strip()
            colour = refi_colour(raw_colour)
            if colour:
                result["colour"] = colour
            elif raw_colour:
                self.report.warnings.append(f"code {name!r}: colour {raw_colour!r} is not #RRGGBB; not kept")
            result.update(split_description(_text_of(child(element, "Description"))))
            notes[guid].extend(_refs(element))
            result["children"] = [n for n in (node(c) for c in children(element, "Code")) if n]
            if not result["codable"] and result["children"]:
                result["category"] = True
            return result

        nodes = [n for n in (node(c) for c in children(codes, "Code")) if n]
        if warned[0]:
            self.report.warnings.append(f"{warned[0]} code ids are not GUIDs; stored as stable UUIDs derived from them")
        nodes = _unflatten_names(nodes, self.report.warnings)
        check_code_tree(nodes, self.container.path)
        return nodes, notes

    # variables and cases -------------------------------------------------------------------
    def _values(self, element: Element) -> list[tuple[str | None, str | None]]:
        values = []
        for vv in children(element, "VariableValue"):
            ref = child(vv, "VariableRef")
            if ref is None:
                continue
            value = None
            for v in vv:
                if local(v.tag).endswith("Value") and local(v.tag) != "VariableValue":
                    value = v.text or ""
                    if not self.ours:
                        value = value.strip()
            values.append((_gid(ref.get("targetGUID")), value if value != "" else None))
        return values

    def _case(self, case: Element) -> dict | None:
        guid = _gid(case.get("guid"))
        if not guid:
            self.report.drop("cases without guid", 1)
            return None
        guid = self._unique("case", guid, case.get("name"))
        self.report.drop("case codings (CodeRef on a case)", len(children(case, "CodeRef")))
        self.report.drop("case selection references", len(children(case, "SelectionRef")))
        return {"guid": guid, "name": (case.get("name") or "").strip(),
                "description": _text_of(child(case, "Description")), "values": self._values(case),
                "sources": _refs(case, "SourceRef")}

    # notes and sets -----------------------------------------------------------------------
    def _note_body(self, note: Element, *, again: bool = False) -> str | None:
        content = child(note, "PlainTextContent")
        body = content.text if content is not None else None
        if body is None and note.get("plainTextPath"):
            data, base = self.container.read(note.get("plainTextPath"))
            if not again:
                self._count_text("note", note.get("name") or base, data)
            problem = None
            if data is not None:
                from ..ingest.encoding import decode_bytes

                try:
                    body = decode_bytes(data, base)[0] if data else ""
                except InputError as exc:
                    problem = exc.problem
            else:
                problem = f"its text ({note.get('plainTextPath')}) is not in the file"
            if problem and not again:
                self.report.warnings.append(f"note {note.get('name')!r}: {problem}")
        return body

    def notes(self) -> Iterator[dict]:
        """The notes, read again one at a time as they are written (the first pass kept
        only what each is, see :func:`note_kind`)."""
        for unit in self.stream.units(until="Notes"):
            if unit.section == "Notes" and unit.kind == "Note":
                note = self._note(unit.element, again=True)
                if note:
                    yield note

    def _note(self, note: Element, *, again: bool = False) -> dict | None:
        guid = _gid(note.get("guid"))
        if not guid:
            if not again:
                self.report.drop("notes without guid", 1)
            return None
        guid = self._unique("note", guid, note.get("name"), again=again)
        body = self._note_body(note, again=again)
        if not again:
            self._count_text("note", note.get("name") or "", body)
            self.report.drop("selections inside notes", len(children(note, "PlainTextSelection")))
        return {"guid": guid, "title": " ".join((note.get("name") or "").split()),
                "body": (body or "").replace("\r\n", "\n"), "description": _text_of(child(note, "Description")),
                "user": _gid(note.get("creatingUser")), "created": stored_datetime(note.get("creationDateTime")),
                "updated": stored_datetime(note.get("modifiedDateTime")), "notes": _refs(note)}

    def _set(self, element: Element) -> dict:
        return {"guid": self._unique("set", _gid(element.get("guid")) or str(uuid.uuid4()), element.get("name")),
                "name": (element.get("name") or "").strip(),
                "description": _text_of(child(element, "Description")) or "",
                "codes": len(children(element, "MemberCode")), "notes": len(children(element, "MemberNote")),
                "sources": _refs(element, "MemberSource")}

    # the second pass: sources -------------------------------------------------------------------
    def sources(self) -> Iterator[dict]:
        """Each text source (and the text of each PDF, and each transcript of a recording)
        with its text, selections and codings, one at a time; what qualcode cannot hold is
        counted as it passes."""
        selections: list[_Selection] = []
        for unit in self.stream.units(until="Sources"):
            if unit.section != "Sources":
                continue
            if unit.kind == "PlainTextSelection":
                self._selection(unit.element, selections)
                continue
            if unit.kind in ("AudioSource", "VideoSource"):
                yield from media_sources(self, unit.element)
                selections = []
                continue
            source = self._source(unit.element, selections)
            selections = []
            if source:
                yield source

    def _selection(self, sel: Element, selections: list[_Selection]) -> None:
        try:
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
        except (TypeError, ValueError):
            self.report.drop("selections with invalid positions", 1)
            return
        if len(selections) >= MAX_SELECTIONS_PER_SOURCE:
            raise InputError(self.container.path, f"refused: a source holds more than "
                                                  f"{MAX_SELECTIONS_PER_SOURCE:,} selections")
        selections.append(_Selection(
            guid=_gid(sel.get("guid")) or str(uuid.uuid4()), name=sel.get("name"), start=start, end=end,
            user=_gid(sel.get("creatingUser")), created=stored_datetime(sel.get("creationDateTime")),
            description=_text_of(child(sel, "Description")), codings=self._codings(sel), notes=_refs(sel)))

    def _source(self, element: Element, selections: list[_Selection]) -> dict | None:
        report, kind = self.report, local(element.tag)
        if kind == "TextSource":
            return self._text_source(element, element.get("name"), selections)
        if kind == "PDFSource":
            report.drop("PDF region selections", len(children(element, "PDFSelection")))
            report.drop("PDF codings (whole document)", len(children(element, "Coding")))
            representation = child(element, "Representation")
            if representation is not None:
                return self._text_source(representation, element.get("name") or "PDF", selections, pdf=True)
            report.drop("PDF sources without a text representation", 1)
        elif kind == "PictureSource":
            report.drop("picture sources", 1)
            report.drop("picture selections", len(children(element, "PictureSelection")))
        else:
            report.drop(f"unknown source elements ({kind})", 1)
        return None

    def _decoded(self, data: bytes, base: str, warnings: list[str]) -> tuple[str | None, str | None]:
        """The text of a source's file and its encoding (None when it cannot be read)."""
        from ..ingest.encoding import decode_text

        try:
            if self.ours:  # written by us: UTF-8, exactly the stored text
                return data.decode("utf-8"), "utf-8"
            if data:
                raw, encoding, notes = decode_text(data, base)
                warnings.extend(notes)
                return raw, encoding
            return "", "utf-8"
        except UnicodeDecodeError:
            warnings.append("its text is not UTF-8; text not read")
        except InputError as exc:
            warnings.append(f"{exc.problem}; text not read")
        return None, None

    def _from_docx(self, element: Element, warnings: list[str]) -> tuple[str, list] | None:
        """The text and turns of a source's rich text, when its plain text is empty."""
        rich, rich_base = self.container.read(element.get("richTextPath"))
        if rich is None or not rich_base.lower().endswith(".docx"):
            return None
        from ..ingest.docx import read_docx

        try:
            parsed = read_docx(rich, rich_base)
        except InputError as exc:
            warnings.append(f"{rich_base}: {exc.problem}")
            return None
        if not parsed.text.strip():
            return None
        warnings.append(f"the plain text is empty; text taken from {rich_base} (positions may not match it)")
        return parsed.text, parsed.turns

    def _text_source(self, element: Element, name: str | None, selections: list[_Selection],
                     pdf: bool = False) -> dict | None:
        guid = _gid(element.get("guid"))
        if not guid:
            self.report.drop("text sources without guid", 1)
            return None
        guid = self._unique("source", guid, name)
        label = (name or "").strip()
        raw: str | None = None
        encoding: str | None = None
        warnings: list[str] = []
        fmt = "text"
        data, base = self.container.read(element.get("plainTextPath"))
        self._count_text("source", label or base, data)
        if data is not None:
            raw, encoding = self._decoded(data, base, warnings)
        elif (content := child(element, "PlainTextContent")) is not None:
            raw = content.text or ""
        found = data is not None
        del data  # the decoded text is enough from here
        label = label or base or guid
        docx_turns = None
        if raw is None or not raw.strip():
            rich = self._from_docx(element, warnings)
            if rich is not None:
                (raw, docx_turns), fmt = rich, "docx"
        self._count_text("source", label, raw)
        missing = raw is None
        if raw is None:
            raw = ""
            if not found:
                where = element.get("plainTextPath") or element.get("richTextPath")
                warnings.append(f"its text ({where or 'no path given'}) is not in the file")
        elif not raw.strip():
            warnings.append("its text is empty")
        whole = self._codings(element)
        if whole:
            selections.append(_Selection(guid=str(uuid.uuid4()), name=None, start=0, end=-1, user=None,
                                         created=None, description=None, codings=whole, notes=[], whole=True))
        return {"guid": guid, "name": label, "base": base or label, "raw": raw, "format": fmt,
                "text_path": (element.get("plainTextPath") or "").strip().lower() or None,
                "encoding": encoding, "missing": missing, "pdf": pdf, "docx_turns": docx_turns,
                "user": _gid(element.get("creatingUser")),
                "created": stored_datetime(element.get("creationDateTime")),
                "description": _text_of(child(element, "Description")), "selections": selections,
                "notes": _refs(element), "values": self._values(element), "warnings": warnings}

    def _codings(self, element: Element) -> list[_Coding]:
        result = []
        for coding in children(element, "Coding"):
            ref = child(coding, "CodeRef")
            target = ref.get("targetGUID") if ref is not None else None
            if not target:
                self.report.drop("codings without a code reference", 1)
                continue
            result.append(_Coding(guid=_gid(coding.get("guid")) or str(uuid.uuid4()),
                                  code=guid_from_id(target), user=_gid(coding.get("creatingUser")),
                                  created=stored_datetime(coding.get("creationDateTime")), notes=_refs(coding)))
        return result
