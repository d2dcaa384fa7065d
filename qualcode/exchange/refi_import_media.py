"""REFI-QDA in: ``AudioSource``/``VideoSource`` with their transcripts and sync points.

Each ``Transcript`` of a recording is read as a text source is (its text from
``plainTextPath`` or ``PlainTextContent``). When its text is that of a ``TextSource``
already imported (as qualcode writes it: the codings on the TextSource, the recording
beside it), the recording is attached to that transcript; otherwise the transcript is
imported on its own. Either way its ``SyncPoint``s give the turns their times (see
:func:`qualcode.ingest.media.times_from_sync_points`) and the recording is linked:

* ``internal://`` (inside the .qdpx): copied out to a ``<project> recordings`` folder
  beside the new project (qualcode never keeps a recording inside the project file);
* ``relative://`` or a plain relative path: relative to the .qdpx's folder;
* ``absolute://``, ``file://`` or an absolute path: as it is.

A recording that cannot be found is a warning of the report; its transcript is imported.
Selections of the recording itself and of the synchronised text are counted as dropped.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..ingest import media as ingest_media
from ..store import media as store_media
from ..store import transcripts as store_tx
from .refi_positions import _TextMap
from .xml_safety import children, local

if TYPE_CHECKING:
    from .refi_import_reader import _Reader
    from .refi_import_writer import _Writer

_SCHEME = re.compile(r"^(internal|relative|absolute|file):/*", re.IGNORECASE)


def media_sources(reader: _Reader, element) -> Iterator[dict]:
    """The transcripts of one AudioSource or VideoSource, as text sources with the
    recording and the sync points attached."""
    kind = local(element.tag)
    noun = kind[:-6].lower()
    report = reader.report
    report.drop(f"{noun} selections", len(children(element, f"{kind[:-6]}Selection")))
    report.drop(f"{noun} codings (whole recording)", len(children(element, "Coding")))
    transcripts = children(element, "Transcript")
    report.drop(f"{noun} transcript selections", sum(len(children(t, "TranscriptSelection")) for t in transcripts))
    recording = {"kind": noun, "name": element.get("name") or "", "guid": element.get("guid"),
                 "path": element.get("path") or element.get("currentPath")}
    if not transcripts:
        report.drop(f"{noun} sources without a transcript", 1)
    for transcript in transcripts:
        source = reader._text_source(transcript, transcript.get("name") or element.get("name"), [])
        if source is None:
            continue
        points = []
        for point in children(transcript, "SyncPoint"):
            try:
                points.append((int(point.get("position") or ""), int(point.get("timeStamp") or "") / 1000))
            except ValueError:
                report.drop("sync points without a position or time", 1)
        source["recording"], source["sync"] = recording, points
        yield source


def text_sha(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def attach_recording(writer: _Writer, source: dict, tid: int) -> None:
    """Time the turns of transcript ``tid`` from the source's sync points, and link its
    recording (found as the module docstring says)."""
    db = writer.db
    mapping = _TextMap(source["raw"])
    points = [(mapping.start(position), seconds) for position, seconds in source["sync"]]
    turns = [(t["seq"], t["start"], t["end"]) for t in store_tx.turns_of(db, tid)]
    store_media.set_turn_times(db, tid, ingest_media.times_from_sync_points(turns, points))
    recording = source["recording"]
    file = _find_recording(writer, recording, tid)
    name = source["name"]
    if file is None:
        writer.report.warnings.append(f"source {name!r}: its recording {recording['path'] or recording['name']!r} "
                                      "is not in the file or beside it; link it with `transcript media`")
        return
    try:
        kind = ingest_media.media_kind(file)
    except InputError:  # an extension we do not know: the element's own kind says
        kind = "video" if recording["kind"] == "video" else "audio"
    project_folder = Path(writer.project.path).resolve().parent
    store_media.set_media(db, tid, path=ingest_media.stored_path(file, project_folder), kind=kind,
                          sha256=ingest_media.file_sha256(file), size=file.stat().st_size,
                          duration=ingest_media.probe_duration(file))
    writer.recordings += 1


def _find_recording(writer: _Writer, recording: dict, tid: int) -> Path | None:
    reference = (recording["path"] or "").strip()
    if not reference:
        return None
    container = writer.container
    if container is None:
        return None
    scheme = _SCHEME.match(reference)
    if scheme and scheme.group(1).lower() == "internal":
        dest = Path(writer.report.project)
        folder = dest.parent / f"{dest.stem} recordings"
        base = reference[scheme.end():].replace("\\", "/").rsplit("/", 1)[-1]
        suffix = Path(base).suffix.lower() if re.fullmatch(r"\.[A-Za-z0-9]{1,5}", Path(base).suffix) else ""
        stem = re.sub(r"[^\w.\- ]+", "_", Path(recording["name"] or base).stem).strip(". ") or f"recording-{tid}"
        folder.mkdir(exist_ok=True)
        target, n = folder / f"{stem}{suffix}", 2
        while target.exists():
            target, n = folder / f"{stem} ({n}){suffix}", n + 1
        if container.extract(reference, target):
            writer.extracted.append(target)
            return target
        if not any(folder.iterdir()):
            folder.rmdir()
        return None
    rest = reference[scheme.end():] if scheme else reference
    if scheme and scheme.group(1).lower() in ("absolute", "file"):
        rest = "/" + rest if not re.match(r"^[A-Za-z]:", rest) else rest
    path = Path(rest)
    if not path.is_absolute():
        path = Path(container.path).resolve().parent / path
    return path if path.is_file() else None
