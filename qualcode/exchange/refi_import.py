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
* a zip whose entries unpack to more than :data:`MAX_UNPACKED_BYTES` in all, or with
  one entry over 1 MB that is compressed more than :data:`MAX_RATIO` times (a "zip
  bomb"), is refused; entries are read with a bound, whatever their headers claim.

Each refusal is one :class:`~qualcode.errors.InputError` naming the file, and the
destination project is removed: an import either completes or leaves nothing.

Text is stored as every import stores it (NFC, ``\\n`` line endings, no BOM); the
selections' positions are mapped through that normalisation (a CRLF before a
selection shifts it by one), so codings cover the same characters.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import hashlib
import re
import stat
import unicodedata
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element

from ..errors import InputError, QualcodeError
from ..store import codes as store_codes
from ..store import memos as store_memos
from ..store import study as store_study
from ..store import schema
from .refi_export import (CODING_MEMO_MARK, MEMO_TYPE_PREFIX, SOURCE_VARIABLE_MARK, WAVE_ATTRIBUTE_MARK,
                          WAVE_MARK)
from .refi_qdc import _unflatten_names, guid_from_id, refi_colour, split_description
from .xml_safety import child, children, local, parse_xml_bytes, validation_errors

#: Sum of the uncompressed sizes of a .qdpx's entries we accept (documented limit).
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
#: An entry larger than 1 MB compressed more than this many times is a zip bomb;
#: real text and XML compress 3 to 20 times.
MAX_RATIO = 200
MAX_ENTRIES = 50_000
MAX_QDE_BYTES = 256 * 1024 * 1024
MAX_SOURCE_BYTES = 256 * 1024 * 1024

TEXT_EXTENSIONS = (".txt", ".docx", ".doc", ".rtf", ".odt", ".pdf")
PARTICIPANT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
# Selection names that are labels, not quotes of the text.
_NOT_A_QUOTE = re.compile(r"^(line:\s*\d+|quotation\s+\d+:\d+|\d+:\d+.*|\s*)$", re.IGNORECASE)


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


# --- the container ----------------------------------------------------------------------------

class _Container:
    """The .qde bytes and a way to read the files it refers to."""

    def __init__(self, path: Path):
        self.path = path
        self.archive: zipfile.ZipFile | None = None
        self.by_name: dict[str, zipfile.ZipInfo] = {}
        self.by_base: dict[str, zipfile.ZipInfo] = {}
        self.folder: Path | None = None
        try:
            with open(path, "rb") as handle:
                magic = handle.read(4)
        except FileNotFoundError:
            raise InputError(path, "does not exist") from None
        except IsADirectoryError:
            raise InputError(path, "is a folder, not a .qdpx or .qde file") from None
        except OSError as exc:
            raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
        if magic.startswith(b"PK"):
            self._open_zip()
        else:
            size = path.stat().st_size
            if size == 0:
                raise InputError(path, "is empty")
            if size > MAX_QDE_BYTES:
                raise InputError(path, f"is larger than {MAX_QDE_BYTES // 2**20} MB")
            self.qde_name = path.name
            self.qde = path.read_bytes()
            for candidate in path.parent.iterdir():
                if candidate.is_dir() and candidate.name.lower() == "sources":
                    self.folder = candidate
                    break

    def _open_zip(self) -> None:
        path = self.path
        try:
            archive = zipfile.ZipFile(path)
            infos = archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
            raise InputError(path, f"is a damaged zip archive ({exc})") from None
        if len(infos) > MAX_ENTRIES:
            raise InputError(path, f"refused: it has {len(infos)} entries (more than {MAX_ENTRIES})")
        total = 0
        for info in infos:
            name = info.filename
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
                raise InputError(path, f"refused: zip entry {name!r} has an absolute path")
            if ".." in parts:
                raise InputError(path, f"refused: zip entry {name!r} points outside the archive ('..')")
            mode = info.external_attr >> 16
            if info.create_system == 3 and stat.S_ISLNK(mode):
                raise InputError(path, f"refused: zip entry {name!r} is a symbolic link")
            if info.flag_bits & 0x1:
                raise InputError(path, f"refused: zip entry {name!r} is encrypted")
            total += info.file_size
            if total > MAX_UNPACKED_BYTES:
                raise InputError(path, f"refused: it unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB "
                                       "(a zip bomb?)")
            if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise InputError(path, f"refused: zip entry {name!r} is compressed "
                                       f"{info.file_size // max(info.compress_size, 1)} times (a zip bomb?)")
        self.archive = archive
        for info in infos:
            if info.is_dir():
                continue
            self.by_name.setdefault(info.filename.lower(), info)
            base = info.filename.rsplit("/", 1)[-1].lower()
            in_sources = info.filename.lower().startswith("sources/")
            if in_sources or base not in self.by_base:
                self.by_base[base] = info
        qdes = [i for i in infos if "/" not in i.filename.strip("/") and i.filename.lower().endswith(".qde")]
        if not qdes:
            raise InputError(path, "is not a REFI-QDA project: no .qde file at the root of the zip")
        if len(qdes) > 1:
            named = [i for i in qdes if i.filename.lower() == "project.qde"]
            if len(named) != 1:
                raise InputError(path, f"has {len(qdes)} .qde files at its root "
                                       f"({', '.join(i.filename for i in qdes)}); expected one")
            qdes = named
        self.qde_name = qdes[0].filename
        if qdes[0].file_size > MAX_QDE_BYTES:
            raise InputError(path, f"refused: {self.qde_name} is larger than {MAX_QDE_BYTES // 2**20} MB")
        self.qde = self._read_member(qdes[0], MAX_QDE_BYTES)

    def _read_member(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        """An entry's bytes, read with a bound whatever its header says."""
        try:
            with self.archive.open(info) as handle:
                data = handle.read(min(info.file_size, limit) + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise InputError(self.path, f"zip entry {info.filename!r} cannot be read ({exc})") from None
        if len(data) > min(info.file_size, limit):
            raise InputError(self.path, f"refused: zip entry {info.filename!r} is larger than its header says")
        return data

    def read(self, reference: str | None) -> tuple[bytes | None, str]:
        """The bytes of a referenced file (``internal://X.txt``, ``X.txt``, ...) and its
        base name; None when it is not in the container."""
        if not reference:
            return None, ""
        ref = reference.strip().replace("\\", "/")
        scheme = re.match(r"^(internal|relative|absolute|file):/*", ref, re.IGNORECASE)
        rest = ref[scheme.end():] if scheme else ref
        base = rest.rsplit("/", 1)[-1]
        if not base or base in (".", ".."):
            return None, base
        if self.archive is not None:
            info = self.by_name.get(rest.lower()) or self.by_name.get(f"sources/{base}".lower()) \
                or self.by_base.get(base.lower())
            if info is None:
                return None, base
            return self._read_member(info, MAX_SOURCE_BYTES), base
        if self.folder is not None:
            for candidate in self.folder.iterdir():
                if candidate.name.lower() == base.lower() and candidate.is_file() and not candidate.is_symlink():
                    if candidate.stat().st_size > MAX_SOURCE_BYTES:
                        return None, base
                    return candidate.read_bytes(), base
        return None, base

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()


# --- text and positions -------------------------------------------------------------------------

class _TextMap:
    """Normalised text (NFC, \\n, no BOM) and the map from positions in the raw text."""

    def __init__(self, raw: str):
        self.raw = raw
        if "\r" not in raw and not raw.startswith("\ufeff") and unicodedata.is_normalized("NFC", raw):
            self.text, self.raw_bounds, self.text_bounds = raw, None, None
            return
        pieces, raw_bounds, text_bounds = [], [0], [0]
        i, n, pos = 0, len(raw), 0
        if raw.startswith("\ufeff"):
            i = 1
            raw_bounds.append(1)
            text_bounds.append(0)
        while i < n:
            ch = raw[i]
            if ch == "\r":
                j = i + 2 if raw[i + 1:i + 2] == "\n" else i + 1
                piece = "\n"
            else:
                j = i + 1
                while j < n and unicodedata.combining(raw[j]):
                    j += 1
                piece = unicodedata.normalize("NFC", raw[i:j]) if j - i > 1 or ord(ch) > 0x7F else ch
            pieces.append(piece)
            pos += len(piece)
            i = j
            raw_bounds.append(i)
            text_bounds.append(pos)
        self.text = "".join(pieces)
        self.raw_bounds, self.text_bounds = raw_bounds, text_bounds

    def start(self, p: int) -> int:
        if self.raw_bounds is None:
            return p
        k = bisect.bisect_right(self.raw_bounds, p) - 1
        return self.text_bounds[max(k, 0)]

    def end(self, p: int) -> int:
        if self.raw_bounds is None:
            return p
        k = bisect.bisect_left(self.raw_bounds, p)
        return self.text_bounds[min(k, len(self.text_bounds) - 1)]


def utf16_to_code_points(raw: str):
    """A function from UTF-16 code-unit offsets in ``raw`` to code-point offsets."""
    astral_units = []
    for k, i in enumerate(i for i, ch in enumerate(raw) if ord(ch) > 0xFFFF):
        astral_units.append(i + k)
    if not astral_units:
        return lambda u: u
    return lambda u: u - bisect.bisect_left(astral_units, u)


def _squash(text: str) -> str:
    return " ".join(text.split())


def quote_matches(name: str, text: str) -> bool:
    """Whether a selection's quoted ``@name`` (perhaps cut short with "…") is ``text``."""
    q, s = _squash(name), _squash(text)
    if q.endswith(("…", "...")):
        q = q.rstrip(".…").rstrip()
        return bool(q) and s.startswith(q)
    return q == s


def _is_quote(name: str | None) -> bool:
    return bool(name) and not _NOT_A_QUOTE.match(name) and len(name.strip()) >= 3


def _on_boundary(text: str, start: int, end: int) -> int:
    score = 0
    if start == 0 or (0 < start <= len(text) and not text[start - 1].isalnum()):
        score += 1
    if end >= len(text) or (0 <= end < len(text) and not text[end].isalnum()):
        score += 1
    return score


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
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


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
    the report (counts, dropped, warnings, checks). On any failure ``dest`` is removed."""
    from ..project import Project

    source, dest = Path(source), Path(dest)
    if dest.exists():
        raise QualcodeError(f"{dest.name}: already exists; choose a new project file")
    container = _Container(source)
    try:
        root = parse_xml_bytes(container.qde, f"{source.name}:{container.qde_name}" if container.archive else source)
        if local(root.tag) != "Project":
            raise InputError(source, f"is not a REFI-QDA project (root element {local(root.tag)}, expected Project)")
        report = Report(source=str(source), project=str(dest), origin=root.get("origin") or "")
        errors = validation_errors(container.qde, "Project.xsd")
        if errors:
            report.warnings.append(f"{container.qde_name} does not validate against Project.xsd "
                                   f"({len(errors)} errors; first: {errors[0][:200]}); read leniently")
        plan = _Reader(root, container, report).read()
    finally:
        container.close()
    project = Project.create(dest, title=root.get("name") or source.stem)  # cleans up after itself
    try:
        _Writer(project, plan, report, coder).write()
        project.close()
        project = None
    except BaseException:
        if project is not None:
            with contextlib.suppress(Exception):
                project.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                Path(str(dest) + suffix).unlink()
        raise
    return report.to_dict()


class _Reader:
    """Everything in the .qde that qualcode can hold, as plain data; the rest counted."""

    def __init__(self, root: Element, container: _Container, report: Report):
        self.root, self.container, self.report = root, container, report
        origin = (root.get("origin") or "").lower()
        self.nvivo_windows = "nvivo" in origin and "mac" not in origin
        self.ours = origin.startswith("qualcode")

    def read(self) -> dict:
        root, report = self.root, self.report
        plan: dict = {"project_user": _gid(root.get("creatingUserGUID")), "ours": self.ours,
                      "nvivo_windows": self.nvivo_windows}
        users = {}
        for user in _items(root, "Users", "User"):
            guid = _gid(user.get("guid"))
            if guid:
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

        def node(element: Element) -> dict | None:
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
            result["children"] = [n for n in (node(c) for c in children(element, "Code")) if n]
            if not result["codable"] and result["children"]:
                result["category"] = True
            return result

        nodes = [n for n in (node(c) for c in children(codes, "Code")) if n]
        if warned[0]:
            self.report.warnings.append(f"{warned[0]} code ids are not GUIDs; stored as stable UUIDs derived from them")
        nodes = _unflatten_names(nodes, self.report.warnings)
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
        label = (name or "").strip()
        raw, fmt, encoding, warnings = None, "text", None, []
        data, base = self.container.read(element.get("plainTextPath"))
        content = child(element, "PlainTextContent")
        if data is not None:
            from ..ingest.encoding import decode_bytes

            try:
                if self.ours:  # written by us: UTF-8, exactly the stored text
                    raw, encoding = data.decode("utf-8"), "utf-8"
                else:
                    raw, encoding = decode_bytes(data, base) if data else ("", "utf-8")
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
            content = child(note, "PlainTextContent")
            body = content.text if content is not None else None
            if body is None and note.get("plainTextPath"):
                data, base = self.container.read(note.get("plainTextPath"))
                if data is not None:
                    from ..ingest.encoding import decode_bytes

                    try:
                        body = decode_bytes(data, base)[0] if data else ""
                    except InputError as exc:
                        self.report.warnings.append(f"note {note.get('name')!r}: {exc.problem}")
                else:
                    self.report.warnings.append(f"note {note.get('name')!r}: its text "
                                                f"({note.get('plainTextPath')}) is not in the file")
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
            sets.append({"guid": _gid(element.get("guid")) or str(uuid.uuid4()),
                         "name": (element.get("name") or "").strip(),
                         "description": _text_of(child(element, "Description")) or "",
                         "codes": len(children(element, "MemberCode")),
                         "notes": len(children(element, "MemberNote")),
                         "sources": [_gid(s.get("targetGUID")) for s in children(element, "MemberSource")]})
        return sets


class _Writer:
    """The plan into a new project, in one action."""

    def __init__(self, project, plan: dict, report: Report, coder: str | None):
        self.project, self.plan, self.report = project, plan, report
        self.db = project.db
        self.coder = coder
        self.ours, self.nvivo_windows = plan["ours"], plan["nvivo_windows"]

    def write(self) -> None:
        plan, report = self.plan, self.report
        users = plan["users"]
        first = users.get(plan["project_user"]) or next(iter(users.values()), None)
        self.project.coder = self.coder or first or self.project.coder
        with self.project.action("refi.import", f"imported REFI-QDA project {Path(report.source).name}",
                                 undoable=False):
            self._coders()
            self._waves()
            self._participants()
            self._codes()
            self._sources()
            self._memos()
        report.counts = {k: v for k, v in store_study.counts(self.db).items()
                         if k not in ("turns", "sentences")}
        report.counts["selections"] = self.n_selections

    # coders -----------------------------------------------------------------------------
    def _coders(self) -> None:
        self.coder_ids: dict[str, int] = {}
        taken: set[str] = set()
        for guid, name in self.plan["users"].items():
            unique = name or f"user {guid[:8]}"
            n = 2
            while unique in taken:
                unique = f"{name} ({n})"
                n += 1
            taken.add(unique)
            self.coder_ids[guid] = store_study.coder_id(self.db, unique, guid=guid)
        self.default_coder = store_study.coder_id(self.db, self.project.coder)

    def _coder(self, *guids: str | None) -> int:
        for guid in guids:
            if not guid:
                continue
            if guid not in self.coder_ids:
                self.report.warnings.append(f"user {guid} is not in Users; kept as coder 'user {guid[:8]}'")
                self.coder_ids[guid] = store_study.coder_id(self.db, f"user {guid[:8]}", guid=guid)
            return self.coder_ids[guid]
        if self.coder:  # chosen by the person importing
            return self.default_coder
        return self.coder_ids.get(self.plan["project_user"]) or self.default_coder

    # waves ---------------------------------------------------------------------------------
    def _waves(self) -> None:
        plan, report = self.plan, self.report
        variables = plan["variables"]
        self.source_fields: dict[str, str] = {}  # variable guid -> wave / kind / date
        for guid, var in variables.items():
            if var["description"].startswith(SOURCE_VARIABLE_MARK):
                self.source_fields[guid] = var["description"][len(SOURCE_VARIABLE_MARK):].strip()
            elif var["name"].casefold() == "wave":
                self.source_fields[guid] = "wave"
        self.wave_sets: set[str] = set()
        labels_in_sources = set()
        for source in plan["sources"]:
            for guid, value in source["values"]:
                if self.source_fields.get(guid) == "wave" and value:
                    labels_in_sources.add(value)
        ordered = []
        for s in plan["sets"]:
            if s["description"].startswith(WAVE_MARK) or (s["name"] in labels_in_sources and not s["codes"]):
                head, _sep, description = s["description"].partition("\ndescription: ")
                info = dict(re.findall(r"^(order|start|end): (.*)$", head, re.MULTILINE))
                if _sep:
                    info["description"] = description
                ordered.append((s, info))
                self.wave_sets.add(s["guid"])
        self.wave_guid: dict[str, str] = {}
        for s, info in ordered:
            if s["name"] in self.wave_guid or not s["name"]:
                continue
            order = int(info["order"]) if info.get("order", "").lstrip("-").isdigit() else None
            store_study.add_wave(self.db, s["name"], ordinal=order, start_date=info.get("start"),
                                 end_date=info.get("end"), description=info.get("description"), guid=s["guid"])
            self.wave_guid[s["name"]] = s["guid"]
        for label in sorted(labels_in_sources - set(self.wave_guid)):
            store_study.add_wave(self.db, label)
            self.wave_guid[label] = store_study.wave_row(self.db, label)["guid"]
        other = [s for s in plan["sets"] if s["guid"] not in self.wave_sets]
        report.drop("sets of codes (code groups)", sum(1 for s in other if s["codes"]))
        report.drop("sets of sources (document groups)", sum(1 for s in other if s["sources"] and not s["codes"]))
        report.drop("empty sets", sum(1 for s in other if not s["sources"] and not s["codes"] and not s["notes"]))
        report.drop("sets of notes", sum(1 for s in other if s["notes"] and not s["codes"] and not s["sources"]))

    # participants -------------------------------------------------------------------------
    def _participants(self) -> None:
        plan, report = self.plan, self.report
        variables = plan["variables"]
        self.participant_of_source: dict[str, str] = {}
        self.case_pid: dict[str, str] = {}
        cases_of_source: dict[str, list[str]] = defaultdict(list)
        taken: set[str] = set()
        renamed = 0
        for case in plan["cases"]:
            name = case["name"] or case["guid"][:8]
            pid = name if PARTICIPANT_ID.match(name) else (
                re.sub(r"[^A-Za-z0-9_.\-]+", "_", name).strip("_.-")[:64] or f"case-{case['guid'][:8]}")
            if not pid[0].isalnum():
                pid = f"c{pid}"[:64]
            base, n = pid, 2
            while pid in taken:
                pid = f"{base[:60]}-{n}"
                n += 1
            taken.add(pid)
            if pid != name:
                renamed += 1
            fields, attributes, by_wave = {}, {}, []
            for guid, value in case["values"]:
                var = variables.get(guid)
                if var is None:
                    report.drop("case values of unknown variables", 1)
                    continue
                desc = var["description"]
                if desc.startswith(WAVE_ATTRIBUTE_MARK):
                    info = dict(re.findall(r"^(attribute|wave): (.*)$", desc, re.MULTILINE))
                    if "attribute" in info and info.get("wave") in self.wave_guid:
                        by_wave.append((info["wave"], info["attribute"], value))
                        continue
                key = var["name"] or guid[:8]
                if key.casefold() in ("pseudonym", "role", "site") and key == key.lower():
                    fields[key] = value
                else:
                    attributes[key] = value
            participant_id = store_study.add_participant(self.db, pid, guid=case["guid"], **fields)
            for key, value in attributes.items():
                store_study.set_attribute(self.db, participant_id, key, value)
            for wave, key, value in by_wave:
                store_study.set_wave_attribute(self.db, participant_id,
                                               store_study.wave_row(self.db, wave)["id"], key, value)
            if case["description"]:
                store_study.set_attribute(self.db, participant_id, "description", case["description"].strip())
            self.case_pid[case["guid"]] = pid
            for source in case["sources"]:
                cases_of_source[source].append(pid)
        if renamed:
            report.warnings.append(f"{renamed} case names are not valid participant ids; made valid "
                                   "(letters, digits, '-', '_', '.')")
        for source, pids in cases_of_source.items():
            if len(pids) == 1:
                self.participant_of_source[source] = pids[0]

    # codes ----------------------------------------------------------------------------------
    def _codes(self) -> None:
        from ..coding.codebook import check_name, clean_fields

        self.code_ids: dict[str, int] = {}
        renamed = []
        used_guids: set[str] = set()

        def insert(node: dict, parent_id: int | None, parent_name: str | None) -> None:
            name = check_name(node["name"])[:200]
            if store_codes.name_is_live(self.db, name):
                candidate = f"{name} ({parent_name})" if parent_name else name
                n = 2
                while store_codes.name_is_live(self.db, candidate):
                    candidate = f"{name} ({parent_name or 'top'} {n})"
                    n += 1
                renamed.append(f"{name} -> {candidate}")
                name = candidate
            fields = {k: node[k] for k in ("definition", "inclusion", "exclusion", "example", "colour",
                                           "stage", "in_vivo", "keywords", "codable") if k in node}
            if node.get("category"):
                fields["category"] = True
            guid = node["guid"]
            if guid in used_guids:
                self.report.warnings.append(f"code {name!r}: guid {guid} is used twice; given a new one")
                guid = str(uuid.uuid4())
            used_guids.add(guid)
            code_id = store_codes.insert_code(self.db, name, parent_id, clean_fields(fields), guid=guid)
            self.code_ids.setdefault(node["guid"], code_id)
            for sub in node["children"]:
                insert(sub, code_id, name)

        for node in self.plan["codes"]:
            insert(node, None, None)
        if renamed:
            self.report.warnings.append(f"{len(renamed)} code names occur more than once; renamed: "
                                        + "; ".join(renamed[:10]) + (" ..." if len(renamed) > 10 else ""))

    # sources, selections, codings ----------------------------------------------------------------
    def _sources(self) -> None:
        from ..ingest.model import ParsedTranscript, ParsedTurn
        from ..ingest.text import find_turns

        plan, report = self.plan, self.report
        self.transcript_ids: dict[str, int] = {}
        self.transcript_names: dict[str, str] = {}
        self.selection_codings: dict[str, list[int]] = {}
        self.coding_ids: dict[str, int] = {}
        self.pending_memo_links: list[tuple[str, str, int]] = []  # (note guid, column, target id)
        self.selection_comments: list[tuple[str, str, int | None, list[int], str | None, str | None]] = []
        self.n_selections = 0
        names: set[str] = set()
        shas: set[str] = set()
        missing_text = placed = dup_selections = dup_codings = outside = 0
        mismatched, checked = [], 0
        for source in plan["sources"]:
            name = source["name"]
            if not self.ours and not source["pdf"]:
                for ext in TEXT_EXTENSIONS:
                    if name.lower().endswith(ext) and len(name) > len(ext):
                        name = name[: -len(ext)]
                        break
            name = " ".join(name.split()) or source["guid"][:8]
            base, n = name, 2
            while name in names:
                name = f"{base} ({n})"
                n += 1
            names.add(name)
            for warning in source["warnings"]:
                report.warnings.append(f"source {source['name']!r}: {warning}")
            raw = source["raw"]
            if source["missing"]:
                missing_text += 1
            mapping = _TextMap(raw)
            text = mapping.text
            if source["docx_turns"] is not None:
                turns = list(source["docx_turns"])
            else:
                turns = find_turns(text)
            if not turns and text.strip():
                turns = [ParsedTurn(None, 0, len(text))]
            data = raw.encode("utf-8", "surrogatepass")
            sha = hashlib.sha256(data).hexdigest()
            if sha in shas:
                sha = hashlib.sha256(source["guid"].encode() + b":" + data).hexdigest()
            shas.add(sha)
            kind, date, wave = ("document" if source["pdf"] else "interview"), None, None
            for guid, value in source["values"]:
                field_ = self.source_fields.get(guid)
                if field_ == "wave":
                    wave = value
                elif field_ == "kind" and value in schema.TRANSCRIPT_KINDS:
                    kind = value
                elif field_ == "date":
                    date = value
                else:
                    report.drop("source variable values (qualcode keeps attributes on participants)", 1)
            participant = self.participant_of_source.get(source["guid"])
            parsed = ParsedTranscript(text=text, turns=turns, source_name=source["base"], sha256=sha,
                                      format=source["format"], encoding=source["encoding"])
            try:
                result = self.project._store_parsed(parsed, participant=participant, wave=wave, kind=kind,
                                                    speaker_map={}, date=date, name=name)
            except QualcodeError as exc:
                if date is None:
                    raise
                report.warnings.append(f"source {name!r}: {exc}; date not kept")
                result = self.project._store_parsed(parsed, participant=participant, wave=wave, kind=kind,
                                                    speaker_map={}, date=None, name=name)
            row = self.db.execute("SELECT id FROM transcripts WHERE name = ?", [result.name]).fetchone()
            tid = row[0]
            self.db.execute("UPDATE transcripts SET guid = ? WHERE id = ?", [source["guid"], tid])
            if source["created"]:
                self.db.execute("UPDATE transcripts SET imported_at = ? WHERE id = ?", [source["created"], tid])
            if source["user"] in self.coder_ids:
                self.db.execute("UPDATE transcripts SET imported_by = ? WHERE id = ?",
                                [self.coder_ids[source["user"]], tid])
            self.transcript_ids[source["guid"]] = tid
            self.transcript_names[source["guid"]] = name
            for note in source["notes"]:
                self.pending_memo_links.append((note, "transcript_id", tid))
            if source["description"] and source["description"].strip():
                self.selection_comments.append((f"Description of {name}", source["description"], tid, [],
                                                source["user"], source["created"]))
            # positions -------------------------------------------------------------------
            selections = source["selections"]
            if not selections:
                continue
            if source["missing"] or not raw:
                n_codings = sum(len(s.codings) for s in selections)
                report.drop("selections on sources whose text is missing", len(selections))
                report.drop("codings on sources whose text is missing", n_codings)
                for sel in selections:
                    if sel.description:
                        self.selection_comments.append((f"Comment on {name} {sel.start}-{sel.end}",
                                                        _comment_body(sel), tid, [], sel.user, sel.created))
                continue
            convert = self._position_mode(source, raw, selections)
            seen: dict[tuple[int, int], list[int]] = {}
            for sel in selections:
                if sel.whole:
                    start, end = 0, len(text)
                else:
                    a, b = convert(sel.start), convert(sel.end)
                    if a > b:
                        a, b = b, a
                    if a < 0 or b > len(raw):
                        outside += 1
                    a, b = max(0, min(a, len(raw))), max(0, min(b, len(raw)))
                    start, end = mapping.start(a), mapping.end(b)
                    if _is_quote(sel.name):
                        checked += 1
                        if not quote_matches(sel.name, text[start:end]):
                            mismatched.append(f"{name} {sel.start}-{sel.end}")
                if end <= start:
                    report.drop("empty selections", 1)
                    continue
                key = (start, end)
                if key in seen:
                    dup_selections += 1
                else:
                    self.n_selections += 1
                    seen[key] = []
                ids = seen[key]
                if not sel.codings:
                    report.drop("selections without codings (qualcode keeps only coded text)", 1)
                for coding in sel.codings:
                    code_id = self.code_ids.get(coding.code)
                    if code_id is None:
                        report.drop("codings of codes not in the codebook", 1)
                        continue
                    coder_id = self._coder(coding.user, sel.user, source["user"])
                    existing = store_codes.find_coding(self.db, tid, code_id, coder_id, start, end)
                    if existing:
                        dup_codings += 1
                        coding_id = existing
                    else:
                        guid = coding.guid
                        if guid in self.coding_ids:
                            guid = str(uuid.uuid4())
                        coding_id = store_codes.insert_coding(self.db, tid, code_id, coder_id, start, end,
                                                              guid=guid, created=coding.created or sel.created)
                        placed += 1
                        ids.append(coding_id)
                    self.coding_ids.setdefault(coding.guid, coding_id)
                    for note in coding.notes:
                        self.pending_memo_links.append((note, "coding_id", coding_id))
                self.selection_codings[sel.guid] = ids or self.selection_codings.get(sel.guid, [])
                for note in sel.notes:
                    if ids:
                        for coding_id in ids:
                            self.pending_memo_links.append((note, "coding_id", coding_id))
                    else:
                        self.pending_memo_links.append((note, "transcript_id", tid))
                if sel.description and sel.description.strip():
                    self.selection_comments.append((f"Comment on {name} {start}-{end}",
                                                    _comment_body(sel, text[start:end]),
                                                    tid, list(ids), sel.user, sel.created))
        if missing_text:
            report.warnings.append(f"the text of {missing_text} source(s) is not in the file (a bare .qde, or "
                                   "files missing from sources/): they are imported empty and their "
                                   "selections are not kept")
        if outside:
            report.warnings.append(f"{outside} selections run outside their source's text; cut to fit")
        if dup_selections:
            report.warnings.append(f"{dup_selections} duplicate selections (same range) merged")
        if dup_codings:
            report.warnings.append(f"{dup_codings} duplicate codings (same code, coder and range) merged")
        report.checks["quoted selections checked"] = checked
        report.checks["quoted selections matching the text"] = checked - len(mismatched)
        if mismatched:
            report.warnings.append(f"{len(mismatched)} of {checked} selections quote other text than they "
                                   f"cover: {', '.join(mismatched[:5])}{' ...' if len(mismatched) > 5 else ''}")
        report.checks["codings placed"] = placed

    def _position_mode(self, source: dict, raw: str, selections: list[_Selection]):
        """Code points (the standard) or UTF-16 code units (NVivo for Windows)?"""
        points = lambda p: p  # noqa: E731
        utf16 = utf16_to_code_points(raw)
        if self.ours or utf16(len(raw) * 2) == len(raw) * 2:  # ours, or nothing outside the BMP
            return points
        quoted = [s for s in selections if _is_quote(s.name) and not s.whole]
        spans = [s for s in selections if not s.whole]
        if quoted:
            score = {label: sum(quote_matches(s.name, raw[convert(s.start):convert(s.end)]) for s in quoted)
                     for label, convert in (("points", points), ("utf16", utf16))}
            chosen = "utf16" if score["utf16"] > score["points"] or (
                score["utf16"] == score["points"] and self.nvivo_windows) else "points"
            how = "quoted text" if score["utf16"] != score["points"] else "origin"
        elif self.nvivo_windows:
            chosen, how = "utf16", "origin"
        else:
            # Neither quotes nor a telling origin: only a clear majority of selections
            # that start and end on word boundaries under UTF-16 counting overrides the
            # standard's code points.
            score = {label: sum(_on_boundary(raw, convert(s.start), convert(s.end)) for s in spans)
                     for label, convert in (("points", points), ("utf16", utf16))}
            chosen = "utf16" if len(spans) >= 5 and score["utf16"] > 1.5 * score["points"] else "points"
            how = "word boundaries"
        if chosen == "utf16":
            self.report.warnings.append(f"source {source['name']!r}: positions are counted in UTF-16 code units "
                                        f"(judged by {how}); converted to characters")
            return utf16
        return points

    # memos ------------------------------------------------------------------------------------
    def _memos(self) -> None:
        plan, report = self.plan, self.report
        notes = plan["notes"]
        coding_memo_notes = {g for g, n in notes.items() if (n["description"] or "").strip() == CODING_MEMO_MARK}
        links: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for note, column, target in self.pending_memo_links:
            if note in notes:
                links[note].append((column, target))
            else:
                report.drop("references to notes that are not in the file", 1)
        for code_guid, refs in plan["code_notes"].items():
            for note in refs:
                if code_guid in self.code_ids:
                    links[note].append(("code_id", self.code_ids[code_guid]))
        participant_ids = dict(self.db.execute("SELECT guid, id FROM participants"))
        wave_ids = dict(self.db.execute("SELECT guid, id FROM waves"))
        targets = {**{g: ("participant_id", i) for g, i in participant_ids.items()},
                   **{g: ("wave_id", i) for g, i in wave_ids.items()},
                   **{g: ("transcript_id", i) for g, i in self.transcript_ids.items()},
                   **{g: ("code_id", i) for g, i in self.code_ids.items()}}
        for origin, target, _name in plan["links"]:
            if origin in notes and target in targets:
                links[origin].append(targets[target])
            elif origin in notes and target in self.selection_codings and self.selection_codings[target]:
                links[origin].extend(("coding_id", c) for c in self.selection_codings[target])
            else:
                report.drop("links (other than from a memo to something qualcode keeps)", 1)
        for note_guid in coding_memo_notes:
            note = notes[note_guid]
            codings = [t for c, t in links.get(note_guid, []) if c == "coding_id"]
            for coding_id in codings:
                self.db.execute("UPDATE codings SET memo = ? WHERE id = ?", [note["body"] or None, coding_id])
        used_guids = set()
        n_memos = 0
        for guid, note in notes.items():
            if guid in coding_memo_notes:
                continue
            type_ = None
            desc = (note["description"] or "").strip()
            body = note["body"]
            if desc.startswith(MEMO_TYPE_PREFIX) and desc[len(MEMO_TYPE_PREFIX):] in schema.MEMO_TYPES:
                type_ = desc[len(MEMO_TYPE_PREFIX):]
            elif desc:
                body = f"{desc}\n\n{body}" if body else desc
            note_links = list(dict.fromkeys(links.get(guid, [])))
            if type_ is None:
                columns = {c for c, _ in note_links}
                type_ = ("code" if "code_id" in columns else "segment" if "coding_id" in columns
                         else "participant" if "participant_id" in columns
                         else "transcript" if "transcript_id" in columns else "project")
            title = note["title"] or _title_from(body) or "Note"
            author = self._coder(note["user"]) if note["user"] else None
            memo_id = store_memos.insert_memo(self.db, type_, title, body, author,
                                              guid=guid if guid not in used_guids else None, created=note["created"])
            used_guids.add(guid)
            if note["updated"]:
                self.db.execute("UPDATE memos SET updated = ? WHERE id = ?", [note["updated"], memo_id])
            for column, target in note_links:
                store_memos.add_link(self.db, memo_id, column, target)
            n_memos += 1
        for title, body, tid, coding_ids, user, created in self.selection_comments:
            memo_id = store_memos.insert_memo(self.db, "segment", title, body,
                                              self._coder(user) if user else None, created=created)
            if coding_ids:
                for coding_id in coding_ids:
                    store_memos.add_link(self.db, memo_id, "coding_id", coding_id)
            elif tid is not None:
                store_memos.add_link(self.db, memo_id, "transcript_id", tid)
            n_memos += 1
        if self.selection_comments:
            report.warnings.append(f"{len(self.selection_comments)} selection or source descriptions "
                                   "(comments) kept as segment memos")


def _title_from(body: str) -> str:
    line = next((l for l in body.splitlines() if l.strip()), "")
    line = " ".join(line.split())
    return line[:60] + ("…" if len(line) > 60 else "")


def _comment_body(sel: _Selection, covered: str | None = None) -> str:
    body = (sel.description or "").strip()
    if covered is None and sel.name and _is_quote(sel.name):
        covered = sel.name
    if covered:
        body += f"\n\nOn: {covered}"
    return body
