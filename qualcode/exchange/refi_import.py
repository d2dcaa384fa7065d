"""REFI-QDA Project Exchange (``.qdpx``, or a bare ``.qde``) in, as a new project.

Liberal in what it accepts, because real exports demand it (see the pitfalls in
``shared/refi/SUMMARY.md``): any single ``*.qde`` at the zip root, ``sources/`` in
any case, paths with or without ``internal://`` (and files not named by GUID), an
empty ``.txt`` whose text is only in the ``.docx``, namespace variants (elements are
matched on local names), ids that are not GUIDs (mapped to stable UUIDs), hierarchy
written into code names (``A::B``), duplicate selections (merged), and NVivo for
Windows positions counted in UTF-16 code units (detected from the quoted text in a
selection's ``@name`` where there is one, else from ``origin``, and converted).
Anything that does not break the meaning is a warning in the report; everything
qualcode cannot hold (pictures, audio, video, PDF regions, graphs, links between
other things than memos) is counted in the report's ``dropped``.

Safety, checked before anything is extracted or parsed:

* XML is parsed with defusedxml: DTDs, entities and external references are refused;
* zip entries with ``..`` or absolute paths, symbolic links and encrypted entries are
  refused;
* a zip whose entries unpack to more than
  :data:`~qualcode.exchange.refi_container.MAX_UNPACKED_BYTES` in all, or with
  one entry over 1 MB that is compressed more than :data:`MAX_RATIO` times (a "zip
  bomb"), is refused; entries are read with a bound, whatever their headers claim.

Each refusal is one :class:`~qualcode.errors.InputError` naming the file. The project
is built under a hidden name beside the destination and renamed into place when it is
complete: an import, even a killed one, either completes or leaves nothing at the
destination (a killed one's hidden file is removed by the next import there).

Text is stored as every import stores it (NFC, ``\\n`` line endings, no BOM); the
selections' positions are mapped through that normalisation (a CRLF before a
selection shifts it by one), so codings cover the same characters.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from ..coding.codebook_file import MAX_CODE_DEPTH
from ..errors import InputError, QualcodeError
from ..input_files import describe_size
from ..temp_files import move_into_place, remove_stale, remove_with_companions, temporary_beside
from ..yaml_input import shown
from .refi_container import _Container

# Re-exported: the position helpers are part of what this module offers.
from .refi_positions import quote_matches, utf16_to_code_points  # noqa: F401
from .refi_qdc import _unflatten_names, check_code_tree, guid_from_id, refi_colour, split_description
from .xml_safety import child, children, local, parse_xml_bytes, validation_error

PARTICIPANT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
#: Most characters of source text one import reads (a study of a hundred two-hour
#: interviews has about 15 MB); 100 MB import in about a minute within a gigabyte.
MAX_TEXT_TOTAL = 100 * 1024 * 1024
# Selection names that are labels, not quotes of the text.


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

    def to_dict(self) -> dict:
        return dict(self.__dict__)


# --- parsed pieces -------------------------------------------------------------------------------

@dataclass
class _Coding:
    guid: str
    code: str  # code guid (normalised)
    user: str | None
    created: str | None
    notes: list[str]


@dataclass
class _Selection:
    guid: str
    name: str | None
    start: int
    end: int
    user: str | None
    created: str | None
    description: str | None
    codings: list[_Coding]
    notes: list[str]
    whole: bool = False


def _stamp(value: str | None) -> str | None:
    """xsd:dateTime to our stored form (UTC, seconds)."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _gid(raw: str | None) -> str | None:
    return guid_from_id(raw) if raw and raw.strip() else None


def _items(parent: Element, container: str, item: str) -> list[Element]:
    found = child(parent, container)
    return children(found, item) if found is not None else []


def _text_of(element: Element | None) -> str | None:
    return element.text if element is not None else None


# --- the import ----------------------------------------------------------------------------------

def import_qdpx(source: str | Path, dest: str | Path, *, coder: str | None = None) -> dict:
    """Create the project ``dest`` from a REFI-QDA ``.qdpx`` (or bare ``.qde``); returns
    the report (counts, dropped, warnings, checks). Nothing is made at ``dest`` unless
    the import completes."""
    from ..context import ProjectContext
    from ..ingest.service import TranscriptService
    from ..store import study as store_study
    from ..store import untrusted
    from ..study.service import StudyService
    from .refi_import_writer import _Writer  # it builds on this module's types

    source, dest = Path(source), Path(dest)
    if dest.exists() or dest.is_symlink():
        raise QualcodeError(f"{dest.name}: already exists; choose a new project file")
    if not dest.parent.is_dir():
        raise QualcodeError(f"{dest.name}: folder {dest.parent} does not exist")
    container = _Container(source)
    try:
        root = parse_xml_bytes(container.qde, f"{source.name}:{container.qde_name}" if container.archive else source)
        if local(root.tag) != "Project":
            raise InputError(source, f"is not a REFI-QDA project (root element {local(root.tag)}, expected Project)")
        report = Report(source=str(source), project=str(dest), origin=root.get("origin") or "")
        error = validation_error(container.qde, "Project.xsd")
        if error:
            report.warnings.append(f"{container.qde_name} does not validate against Project.xsd "
                                   f"(first error: {error[:200]}); read leniently")
        plan = _Reader(root, container, report).read()
        title = root.get("name") or source.stem
        # The plan holds all that is needed now: the document's tree (the larger) goes
        # before the project is written.
        del root
    finally:
        container.close()
    # Built under a hidden name and renamed into place at the end: a killed import
    # leaves no project at dest (only the hidden file, which the next import removes).
    remove_stale(dest, "importing")
    tmp = temporary_beside(dest, "importing")
    tmp.unlink()  # the project file is made by create_project_file
    db = None
    try:
        db = store_study.create_project_file(tmp, title)  # cleans up after itself
        untrusted.honour_interrupts(db.conn)
        # The writer stores sources as an import does, through the transcripts service.
        ctx = ProjectContext(db, tmp)
        _Writer(TranscriptService(ctx, StudyService(ctx)), plan, report, coder).write()
        db.close()
        db = None
        try:
            move_into_place(tmp, dest)
        except FileExistsError:
            raise QualcodeError(f"{dest.name}: was created by something else during the import; "
                                "nothing was written there") from None
    except BaseException:
        if db is not None:
            with contextlib.suppress(Exception):
                db.close()
        remove_with_companions(tmp)
        raise
    remove_with_companions(tmp)  # the -wal and -shm of the closed connection, if any
    return report.to_dict()


class _Reader:
    """Everything in the .qde that qualcode can hold, as plain data; the rest counted."""

    def __init__(self, root: Element, container: _Container, report: Report):
        self.root, self.container, self.report = root, container, report
        origin = (root.get("origin") or "").lower()
        self.nvivo_windows = "nvivo" in origin and "mac" not in origin
        self.ours = origin.startswith("qualcode")
        self.seen: dict[str, set[str]] = defaultdict(set)  # GUIDs met so far, by kind
        self.text_total = 0  # characters of source text read so far

    def _count_text(self, kind: str, name: str, text: str | bytes | None) -> None:
        """Refuse a source or note longer than a transcript may be, or a project of more
        text than an import holds within a gigabyte (the text of every source is held
        until the project is written, and storing a 20 MB source takes ~400 MB at its
        peak). Called with the bytes before they are decoded, and with the text."""
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

    def _unique(self, kind: str, guid: str, name: str | None) -> str:
        """``guid``, or a new one when another element of this kind already has it (the
        file is inconsistent; references to the GUID go to the first)."""
        if guid in self.seen[kind]:
            self.report.warnings.append(f"{kind} {shown(name or '')}: guid {guid} is used twice; given a new one")
            guid = str(uuid.uuid4())
        self.seen[kind].add(guid)
        return guid

    def read(self) -> dict:
        root, report = self.root, self.report
        plan: dict = {"project_user": _gid(root.get("creatingUserGUID")), "ours": self.ours,
                      "nvivo_windows": self.nvivo_windows}
        users = {}
        for user in _items(root, "Users", "User"):
            guid = _gid(user.get("guid"))
            if guid in users:
                report.warnings.append(f"user {shown(user.get('name') or '')}: guid {guid} is used twice; "
                                       f"its work is {users[guid]}'s")
            elif guid:
                users[guid] = (user.get("name") or user.get("id") or f"user {guid[:8]}").strip()
        plan["users"] = users
        plan["codes"], plan["code_notes"] = self._codes()
        plan["variables"] = self._variables()
        plan["cases"] = self._cases()
        plan["sources"] = self._sources()
        plan["notes"] = self._notes()
        plan["links"] = self._links()
        plan["sets"] = self._sets()
        graphs = child(root, "Graphs")
        if graphs is not None:
            report.drop("graphs", len(children(graphs, "Graph")))
        plan["project_notes"] = [_gid(n.get("targetGUID")) for n in children(root, "NoteRef")]
        known = {"Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets", "Graphs",
                 "Description", "NoteRef"}
        for element in root:
            if isinstance(element.tag, str) and local(element.tag) not in known:
                report.drop(f"unknown elements ({local(element.tag)})", 1)
        if _text_of(child(root, "Description")):
            report.drop("project description", 1)
        return plan

    # codes ------------------------------------------------------------------------------
    def _codes(self) -> tuple[list[dict], dict[str, list[str]]]:
        codebook = child(self.root, "CodeBook")
        codes = child(codebook, "Codes") if codebook is not None else None
        notes: dict[str, list[str]] = defaultdict(list)
        if codes is None:
            return [], notes
        warned = [0]

        def node(element: Element, depth: int = 1) -> dict | None:
            if depth > MAX_CODE_DEPTH:
                raise InputError(self.container.path, f"codes are nested more than {MAX_CODE_DEPTH} levels deep")
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
            for ref in children(element, "NoteRef"):
                notes[guid].append(_gid(ref.get("targetGUID")))
            result["children"] = [n for n in (node(c, depth + 1) for c in children(element, "Code")) if n]
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
    def _variables(self) -> dict[str, dict]:
        result = {}
        for var in _items(self.root, "Variables", "Variable"):
            guid = _gid(var.get("guid"))
            if guid:
                result[guid] = {"name": (var.get("name") or "").strip(), "type": var.get("typeOfVariable"),
                                "description": _text_of(child(var, "Description")) or ""}
        return result

    def _values(self, element: Element) -> list[tuple[str, str | None]]:
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

    def _cases(self) -> list[dict]:
        cases = []
        for case in _items(self.root, "Cases", "Case"):
            guid = _gid(case.get("guid"))
            if not guid:
                self.report.drop("cases without guid", 1)
                continue
            guid = self._unique("case", guid, case.get("name"))
            self.report.drop("case codings (CodeRef on a case)", len(children(case, "CodeRef")))
            self.report.drop("case selection references", len(children(case, "SelectionRef")))
            cases.append({"guid": guid, "name": (case.get("name") or "").strip(),
                          "description": _text_of(child(case, "Description")),
                          "values": self._values(case),
                          "sources": [_gid(s.get("targetGUID")) for s in children(case, "SourceRef")]})
        return cases

    # sources ------------------------------------------------------------------------------------
    def _sources(self) -> list[dict]:
        report = self.report
        result = []
        sources = child(self.root, "Sources")
        if sources is None:
            return result
        for element in sources:
            kind = local(element.tag)
            if kind == "TextSource":
                source = self._text_source(element, element.get("name"))
                if source:
                    result.append(source)
            elif kind == "PDFSource":
                report.drop("PDF region selections", len(children(element, "PDFSelection")))
                report.drop("PDF codings (whole document)", len(children(element, "Coding")))
                representation = child(element, "Representation")
                name = element.get("name") or "PDF"
                if representation is not None:
                    source = self._text_source(representation, name, pdf=True)
                    if source:
                        result.append(source)
                else:
                    report.drop("PDF sources without a text representation", 1)
            elif kind == "PictureSource":
                report.drop("picture sources", 1)
                report.drop("picture selections", len(children(element, "PictureSelection")))
            elif kind in ("AudioSource", "VideoSource"):
                noun = kind[:-6].lower()
                report.drop(f"{noun} sources", 1)
                report.drop(f"{noun} selections", len(children(element, f"{kind[:-6]}Selection")))
                transcripts = children(element, "Transcript")
                report.drop(f"{noun} transcripts (synchronised text)", len(transcripts))
                report.drop(f"{noun} transcript selections",
                            sum(len(children(t, "TranscriptSelection")) for t in transcripts))
            else:
                report.drop(f"unknown source elements ({kind})", 1)
        return result

    def _text_source(self, element: Element, name: str | None, pdf: bool = False) -> dict | None:
        report = self.report
        guid = _gid(element.get("guid"))
        if not guid:
            report.drop("text sources without guid", 1)
            return None
        guid = self._unique("source", guid, name)
        label = (name or "").strip()
        raw, fmt, encoding, warnings = None, "text", None, []
        data, base = self.container.read(element.get("plainTextPath"))
        self._count_text("source", label or base, data)
        content = child(element, "PlainTextContent")
        if data is not None:
            from ..ingest.encoding import decode_text

            try:
                if self.ours:  # written by us: UTF-8, exactly the stored text
                    raw, encoding = data.decode("utf-8"), "utf-8"
                elif data:
                    raw, encoding, notes = decode_text(data, base)
                    warnings.extend(notes)
                else:
                    raw, encoding = "", "utf-8"
            except UnicodeDecodeError:
                warnings.append("its text is not UTF-8; text not read")
            except InputError as exc:
                warnings.append(f"{exc.problem}; text not read")
        elif content is not None:
            raw = content.text or ""
        if not label:
            label = base or guid
        docx_turns = None
        if raw is None or not raw.strip():
            rich, rich_base = self.container.read(element.get("richTextPath"))
            if rich is not None and rich_base.lower().endswith(".docx"):
                from ..ingest.docx import read_docx

                try:
                    parsed = read_docx(rich, rich_base)
                except InputError as exc:
                    warnings.append(f"{rich_base}: {exc.problem}")
                else:
                    if parsed.text.strip():
                        warnings.append(f"the plain text is empty; text taken from {rich_base} "
                                        "(positions may not match it)")
                        raw, fmt, docx_turns = parsed.text, "docx", parsed.turns
        self._count_text("source", label, raw)
        missing = raw is None
        if missing:
            raw = ""
            if data is None:
                where = element.get("plainTextPath") or element.get("richTextPath")
                warnings.append(f"its text ({where or 'no path given'}) is not in the file")
        elif not raw.strip():
            warnings.append("its text is empty")
        selections = []
        for sel in children(element, "PlainTextSelection"):
            try:
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            except (TypeError, ValueError):
                report.drop("selections with invalid positions", 1)
                continue
            selections.append(_Selection(
                guid=_gid(sel.get("guid")) or str(uuid.uuid4()), name=sel.get("name"), start=start, end=end,
                user=_gid(sel.get("creatingUser")), created=_stamp(sel.get("creationDateTime")),
                description=_text_of(child(sel, "Description")),
                codings=self._codings(sel), notes=[_gid(n.get("targetGUID")) for n in children(sel, "NoteRef")]))
        whole = self._codings(element)
        if whole:
            selections.append(_Selection(guid=str(uuid.uuid4()), name=None, start=0, end=-1, user=None,
                                         created=None, description=None, codings=whole, notes=[], whole=True))
        return {"guid": guid, "name": label, "base": base or label, "raw": raw, "format": fmt,
                "encoding": encoding, "missing": missing, "pdf": pdf, "docx_turns": docx_turns,
                "user": _gid(element.get("creatingUser")), "created": _stamp(element.get("creationDateTime")),
                "description": _text_of(child(element, "Description")),
                "selections": selections, "notes": [_gid(n.get("targetGUID")) for n in children(element, "NoteRef")],
                "values": self._values(element), "warnings": warnings}

    def _codings(self, element: Element) -> list[_Coding]:
        result = []
        for coding in children(element, "Coding"):
            ref = child(coding, "CodeRef")
            if ref is None or not ref.get("targetGUID"):
                self.report.drop("codings without a code reference", 1)
                continue
            result.append(_Coding(guid=_gid(coding.get("guid")) or str(uuid.uuid4()),
                                  code=guid_from_id(ref.get("targetGUID")), user=_gid(coding.get("creatingUser")),
                                  created=_stamp(coding.get("creationDateTime")),
                                  notes=[_gid(n.get("targetGUID")) for n in children(coding, "NoteRef")]))
        return result

    # notes, links, sets ----------------------------------------------------------------------
    def _notes(self) -> dict[str, dict]:
        notes = {}
        for note in _items(self.root, "Notes", "Note"):
            guid = _gid(note.get("guid"))
            if not guid:
                self.report.drop("notes without guid", 1)
                continue
            guid = self._unique("note", guid, note.get("name"))
            content = child(note, "PlainTextContent")
            body = content.text if content is not None else None
            if body is None and note.get("plainTextPath"):
                data, base = self.container.read(note.get("plainTextPath"))
                self._count_text("note", note.get("name") or base, data)
                if data is not None:
                    from ..ingest.encoding import decode_bytes

                    try:
                        body = decode_bytes(data, base)[0] if data else ""
                    except InputError as exc:
                        self.report.warnings.append(f"note {note.get('name')!r}: {exc.problem}")
                else:
                    self.report.warnings.append(f"note {note.get('name')!r}: its text "
                                                f"({note.get('plainTextPath')}) is not in the file")
            self._count_text("note", note.get("name") or "", body)
            self.report.drop("selections inside notes", len(children(note, "PlainTextSelection")))
            notes[guid] = {"guid": guid, "title": " ".join((note.get("name") or "").split()),
                           "body": (body or "").replace("\r\n", "\n"),
                           "description": _text_of(child(note, "Description")),
                           "user": _gid(note.get("creatingUser")), "created": _stamp(note.get("creationDateTime")),
                           "updated": _stamp(note.get("modifiedDateTime")),
                           "notes": [_gid(n.get("targetGUID")) for n in children(note, "NoteRef")]}
        return notes

    def _links(self) -> list[tuple[str, str, str]]:
        links = []
        for link in _items(self.root, "Links", "Link"):
            links.append((_gid(link.get("originGUID")), _gid(link.get("targetGUID")), link.get("name") or ""))
        return links

    def _sets(self) -> list[dict]:
        sets = []
        for element in _items(self.root, "Sets", "Set"):
            sets.append({"guid": self._unique("set", _gid(element.get("guid")) or str(uuid.uuid4()),
                                              element.get("name")),
                         "name": (element.get("name") or "").strip(),
                         "description": _text_of(child(element, "Description")) or "",
                         "codes": len(children(element, "MemberCode")),
                         "notes": len(children(element, "MemberNote")),
                         "sources": [_gid(s.get("targetGUID")) for s in children(element, "MemberSource")]})
        return sets
