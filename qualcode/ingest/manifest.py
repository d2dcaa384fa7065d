"""Importing a whole study from a manifest CSV.

One row per transcript (or per missed interview, or per participant to register).
Columns: ``file, participant, wave, kind, date, speaker_map, status, name, labels, media``
(``media``: the recording of the file, linked as ``transcript media`` does) plus
``role, site, pseudonym`` (participant fields), ``wave:NAME`` (attributes that vary by
wave) and any other column (fixed attributes). Empty cells mean "not given" and never
erase a value already stored.

Everything is checked before anything is written, then the manifest is imported as
one transaction: one bad row fails the whole manifest with a message naming the row
and column, unless ``keep_going`` is set, in which case each row stands alone and the
failures are reported.
"""

from __future__ import annotations

import collections
import contextlib
import csv
import io
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, QualcodeError
from ..model import AttributeType, parse_speaker_map
from ..store import db as store_db
from ..store import schema
from ..store import study as store_study
from ..store import transcripts as store_tx
from .encoding import decode_bytes, normalise, read_source
from .media import media_kind, store_link
from .service import ImportResult, label_override
from .speakers import marks_interviewer

RESERVED = {"file", "participant", "wave", "kind", "date", "speaker_map", "status", "name", "note", "labels",
            "media"}
FIELDS = {"role", "site", "pseudonym"}
STATUSES = {"", "missed", "withdrawn", "interviewed", "not_yet"}


@dataclass
class ManifestRow:
    number: int  # line number in the CSV file (header is line 1)
    values: dict[str, str]

    def get(self, key: str) -> str:
        return (self.values.get(key) or "").strip()

    @property
    def participants(self) -> list[str]:
        return [p.strip() for p in self.get("participant").split(";") if p.strip()]


@dataclass
class ManifestReport:
    manifest: str
    rows: int
    results: list[ImportResult] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    participants_added: list[str] = field(default_factory=list)
    waves_added: list[str] = field(default_factory=list)

    @property
    def imported(self) -> list[ImportResult]:
        return [r for r in self.results if r.status == "imported"]

    @property
    def duplicates(self) -> list[ImportResult]:
        return [r for r in self.results if r.status == "duplicate"]

    def to_dict(self) -> dict:
        return {
            "manifest": self.manifest,
            "rows": self.rows,
            "imported": len(self.imported),
            "duplicates": len(self.duplicates),
            "failures": self.failures,
            "participants_added": self.participants_added,
            "waves_added": self.waves_added,
            "results": [r.to_dict() for r in self.results],
        }


#: Most rows a manifest may have. A large longitudinal study has a few thousand; each row
#: costs a few milliseconds (a listed file is read and hashed even when it is a duplicate),
#: and 100,000 rows of one file took three minutes and a gigabyte.
MAX_ROWS = 10_000


def read_manifest(path: Path) -> list[ManifestRow]:
    text = normalise(decode_bytes(read_source(path, "manifest"), path)[0])
    reader = csv.DictReader(io.StringIO(text))
    try:
        if not reader.fieldnames or "file" not in [f.strip() for f in reader.fieldnames]:
            raise InputError(path, "is not a manifest: it needs a header row with a 'file' column")
        rows = []
        for raw in reader:
            if None in raw:
                raise InputError(path, f"row {reader.line_num} has more cells than the header")
            values = {k.strip(): (v or "") for k, v in raw.items() if k is not None}
            if any(v.strip() for v in values.values()):
                rows.append(ManifestRow(reader.line_num, values))
                if len(rows) > MAX_ROWS:
                    raise InputError(path, f"has more than {MAX_ROWS:,} rows; split it into several manifests")
    except csv.Error as exc:
        raise InputError(path, f"row {reader.line_num} is not valid CSV ({exc})") from None
    return rows


def _fail(path: Path, row: ManifestRow, column: str, problem: str) -> QualcodeError:
    return QualcodeError(f"{path.name} row {row.number}, column {column}: {problem}")


def check_row(path: Path, row: ManifestRow, known_waves: set[str],
              types: Mapping[str, AttributeType] | None = None) -> None:
    """Every check that needs no writing, so a bad manifest fails before anything.
    ``types``: the project's declared attribute types, which values must fit."""
    from ..model import check_date as _check_date
    from ..model import check_pid as _check_pid

    file = row.get("file")
    kind = row.get("kind") or ("interview" if file else "")
    status = row.get("status")
    for pid in row.participants:
        try:
            _check_pid(pid)
        except QualcodeError as exc:
            raise _fail(path, row, "participant", str(exc)) from None
    if kind and kind not in schema.TRANSCRIPT_KINDS:
        raise _fail(path, row, "kind", f"{kind!r} is not one of {', '.join(schema.TRANSCRIPT_KINDS)}")
    if status not in STATUSES:
        raise _fail(path, row, "status", f"{status!r} is not one of missed, withdrawn, interviewed, not_yet")
    if status and not row.get("wave"):
        raise _fail(path, row, "wave", "a status needs the wave it applies to")
    if (status or file) and kind != "focus-group" and len(row.participants) > 1:
        raise _fail(path, row, "participant", "an interview has one participant (focus groups may list several)")
    if status and not row.participants:
        raise _fail(path, row, "participant", "a status needs the participant it applies to")
    if file:
        source = (path.parent / file)
        if source.exists() and not source.is_file():
            raise _fail(path, row, "file", f"{file} is not a regular file")
        if not source.is_file():
            raise _fail(path, row, "file", f"{file} does not exist")
    elif not row.participants:
        raise _fail(path, row, "participant", "a row without a file must name a participant")
    try:
        _check_date(row.get("date") or None, "date")
    except QualcodeError as exc:
        raise _fail(path, row, "date", str(exc)) from None
    try:
        parse_speaker_map(row.get("speaker_map"))
    except QualcodeError as exc:
        raise _fail(path, row, "speaker_map", str(exc)) from None
    if row.get("labels") and not file:
        raise _fail(path, row, "labels", "labels need a file to apply to")
    if row.get("media"):
        if not file:
            raise _fail(path, row, "media", "a recording needs the transcript file it belongs to")
        recording = path.parent / row.get("media")
        if not recording.is_file():
            raise _fail(path, row, "media", f"{row.get('media')} does not exist" if not recording.exists()
                        else f"{row.get('media')} is not a regular file")
        try:
            media_kind(recording)
        except InputError as exc:
            raise _fail(path, row, "media", exc.problem) from None
    for key, value in row.values.items():
        if key.startswith("wave:") and value.strip() and not row.get("wave"):
            raise _fail(path, row, key, "a per-wave attribute needs a wave")
        if key.startswith("wave:") and not key[5:].strip():
            raise _fail(path, row, key, "per-wave attribute name is empty")
        name = key[5:].strip() if key.startswith("wave:") else key
        declared = (types or {}).get(name)
        if declared is not None and value.strip() and (key.startswith("wave:") or key not in RESERVED):
            try:
                declared.normalise(value)
            except QualcodeError as exc:
                who = f"{row.participants[0]}: " if row.participants else ""
                raise _fail(path, row, key, f"{who}{exc}") from None


#: Above this many bytes of listed files (and with more than one CPU), files are read
#: and split into sentences in worker processes while this one stores what they
#: return, so that parsing and storing overlap. Below it, starting processes costs
#: more than it saves.
PARALLEL_MIN_BYTES = 4 * 1024 * 1024
MAX_WORKERS = 4


def _available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def _parse_source(source: tuple[str, str], with_sentences: bool):
    """Read one listed file (path, and the row's labels column), and with
    ``with_sentences`` split its turns into sentences and count its words: ``(parsed,
    extra arguments of _store_parsed, error message)``. Runs in a worker process: errors
    travel back as text (InputError cannot be unpickled)."""
    from .readers import read_transcript

    path, labels = source
    try:
        parsed = read_transcript(path, label_override(labels or None, None))
    except QualcodeError as exc:
        return None, None, str(exc)
    extra = None
    if with_sentences:  # and whatever else can be computed away from the database
        from ..nlp import sentence_spans_of_any_length, word_count

        extra = {"sentences": list(sentence_spans_of_any_length([parsed.text[t.start:t.end] for t in parsed.turns])),
                 "words": word_count(parsed.text)}
    return parsed, extra, None


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _die_with(parent: int) -> None:
    """Initializer of a worker process: it must not outlive the import that started it.

    On Linux the kernel kills it when its parent dies (``PR_SET_PDEATHSIG``); anywhere,
    a watchdog thread ends it once it has been handed to another parent. Ctrl-C is the
    parent's to handle (it stops the workers), so a worker ignores it rather than print
    a traceback of its own."""
    import signal
    import sys
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


class _Sources:
    """The listed files' parsed contents, in manifest order.

    Serially, each file is read when its row is stored. With workers, up to a few
    files per worker are read ahead in other processes (bounded, so memory does not
    grow with the manifest) while this process stores the rows before them. Workers
    die with this process however it ends, and are stopped and reaped when the import
    ends early (an error, Ctrl-C).
    """

    def __init__(self, folder: Path, rows: list[ManifestRow], workers: int) -> None:
        self.sources = [(str(folder / row.get("file")), row.get("labels")) for row in rows]
        self.position = 0
        self.pending: collections.deque = collections.deque()
        self.executor = None
        if workers > 0 and self.sources:
            import concurrent.futures
            import multiprocessing

            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self.executor = concurrent.futures.ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context(method),
                initializer=_die_with, initargs=(os.getpid(),),
            )
            self.lookahead = 3 * workers
            self._fill()

    def _fill(self) -> None:
        while len(self.pending) < self.lookahead and self.position + len(self.pending) < len(self.sources):
            source = self.sources[self.position + len(self.pending)]
            assert self.executor is not None  # (only filled when there are workers)
            self.pending.append(self.executor.submit(_parse_source, source, True))

    def next(self):
        from concurrent.futures.process import BrokenProcessPool

        if self.executor is None:
            source = self.sources[self.position]
            self.position += 1
            return _parse_source(source, False)
        future = self.pending.popleft()
        path, _labels = self.sources[self.position]
        self.position += 1
        try:
            self._fill()  # a broken pool refuses new work too
            return future.result()
        except BrokenProcessPool:
            raise InputError(path, "could not be read: the process reading it stopped "
                                   "(out of memory?); nothing was imported") from None

    def close(self, stop: bool = False) -> None:
        """Wait for the workers to finish, or with ``stop`` end them at once; either
        way every worker process is reaped."""
        executor, self.executor = self.executor, None
        if executor is None:
            return
        processes = list((getattr(executor, "_processes", None) or {}).values())
        if stop:
            for process in processes:
                with contextlib.suppress(Exception):
                    process.terminate()
        executor.shutdown(wait=True, cancel_futures=True)
        for process in processes:
            process.join(timeout=5)

    def __enter__(self) -> _Sources:
        return self

    def __exit__(self, kind: type | None, *exc: object) -> None:
        self.close(stop=kind is not None)


def _choose_workers(folder: Path, rows: list[ManifestRow], workers: int | None) -> int:
    if workers is not None:
        return max(0, workers)
    cpus = _available_cpus()
    if cpus < 2:
        return 0
    total = 0
    for row in rows:
        with contextlib.suppress(OSError):
            total += (folder / row.get("file")).stat().st_size
    # As many workers as CPUs: storing waits for them part of the time, so one more
    # process than CPUs keeps every CPU busy (measured: 2 workers beat 1 on 2 CPUs).
    return min(MAX_WORKERS, cpus) if total >= PARALLEL_MIN_BYTES else 0


#: SQLite's page cache while a manifest is imported: a study's turns, sentences and
#: index (some 20 MB per million words) stay in memory until the import commits.
IMPORT_CACHE_KIB = 64 * 1024


def import_manifest(project, path: Path, *, keep_going: bool = False, progress=None,
                    workers: int | None = None) -> ManifestReport:
    """Import a manifest as one action. ``workers``: processes that read and split files
    ahead of storing (None: chosen from the CPUs and the size of the files; 0: none)."""
    db = project.db
    rows = read_manifest(path)
    report = ManifestReport(manifest=path.name, rows=len(rows))
    known_waves = {w["label"] for w in store_study.list_waves(db)}
    types = store_study.attribute_types(db)
    good_rows = []
    for row in rows:
        try:
            check_row(path, row, known_waves, types)
            good_rows.append(row)
        except QualcodeError as exc:
            if not keep_going:
                raise
            report.failures.append(str(exc))
    file_rows = [r for r in good_rows if r.get("file")]
    total_files = len(file_rows)
    done = 0
    # Workers start before the transaction does, so no process is forked holding it.
    with _Sources(path.parent, file_rows, _choose_workers(path.parent, file_rows, workers)) as sources, \
            store_db.page_cache(db, IMPORT_CACHE_KIB), \
            project.action("manifest.import", f"imported manifest {path.name}", undoable=False):
        for row in good_rows:
            source = sources.next() if row.get("file") else None
            try:
                with store_db.write(db):  # a savepoint: with keep_going, a row stands alone
                    result = _apply_row(project, path, row, report, source)
                if result is not None:
                    report.results.append(result)
            except QualcodeError as exc:
                message = str(exc)
                if not message.startswith(f"{path.name} row"):
                    message = f"{path.name} row {row.number}: {message}"
                if not keep_going:
                    raise QualcodeError(message) from None
                report.failures.append(message)
            if row.get("file"):
                done += 1
                if progress:
                    progress(done, total_files, row.get("file"))
    return report


def _apply_row(project, path: Path, row: ManifestRow, report: ManifestReport,
               source=None) -> ImportResult | None:
    db = project.db
    wave = row.get("wave") or None
    if wave and not store_study.wave_exists(db, wave):
        store_study.add_wave(db, wave)
        report.waves_added.append(wave)
    wave_id = store_study.wave_row(db, wave)["id"] if wave else None
    fields = {k: row.get(k) for k in FIELDS if row.get(k)}
    types = store_study.attribute_types(db)

    def stored(key: str, value: str) -> str:
        """The value as its declared type writes it (checked already by check_row)."""
        declared = types.get(key)
        return declared.normalise(value) if declared is not None else value

    attributes = {
        k: stored(k, v.strip()) for k, v in row.values.items()
        if k not in RESERVED and k not in FIELDS and not k.startswith("wave:") and v.strip()
    }
    wave_attributes = {
        k[5:].strip(): stored(k[5:].strip(), v.strip()) for k, v in row.values.items()
        if k.startswith("wave:") and v.strip()
    }
    for pid in row.participants:
        if not store_study.participant_exists(db, pid):
            store_study.add_participant(db, pid)
            report.participants_added.append(pid)
        participant_id = store_study.participant_row(db, pid)["id"]
        # Attributes in a focus-group row would be ambiguous: they belong to people.
        if len(row.participants) == 1:
            if fields:
                store_study.update_participant(db, pid, **fields)
            for key, value in attributes.items():
                store_study.set_attribute(db, participant_id, key, value)
            if wave_attributes:
                if wave_id is None:  # (the store would refuse an attribute of no wave)
                    raise _fail(path, row, "wave", "wave: columns need the wave they apply to")
                for key, value in wave_attributes.items():
                    store_study.set_wave_attribute(db, participant_id, wave_id, key, value)
        if row.get("status") and wave_id:
            store_study.set_attendance(db, participant_id, wave_id, row.get("status"), row.get("note") or None)
    file = row.get("file")
    if not file:
        return None
    parsed, extra, error = source if source is not None else _parse_source(
        (str(path.parent / file), row.get("labels")), False)
    if error is not None:
        raise _fail(path, row, "file", error)
    kind = row.get("kind") or "interview"
    participant = row.participants[0] if kind != "focus-group" and row.participants else None
    speaker_map = parse_speaker_map(row.get("speaker_map"))
    for label, pid in speaker_map.items():
        if not marks_interviewer(pid) and not store_study.participant_exists(db, pid):
            raise _fail(path, row, "speaker_map",
                        f"{label}={pid}: no participant with id {pid!r} (list them in the "
                        "participant column or register them in an earlier row)")
    result = project.store_parsed(
        parsed, participant=participant, wave=wave, kind=kind,
        speaker_map=speaker_map, date=row.get("date") or None,
        name=row.get("name") or Path(file).stem, **(extra or {}),
    )
    if row.get("media") and result.status == "imported":
        transcript_id = store_tx.transcript_row(db, result.name)["id"]
        store_link(db, transcript_id, path.parent / row.get("media"), project.path.resolve().parent)
    return result


def preview_manifest(project, path: Path) -> list:
    """Each row's file as it would be imported (an ImportPreview), or the row's problem
    (a message); nothing is written."""
    rows = read_manifest(path)
    known_waves = {w["label"] for w in store_study.list_waves(project.db)}
    types = store_study.attribute_types(project.db)
    previews: list = []
    for row in rows:
        try:
            check_row(path, row, known_waves, types)
            if not row.get("file"):
                continue
            kind = row.get("kind") or "interview"
            participant = row.participants[0] if kind != "focus-group" and row.participants else None
            previews.append(project.preview_import(
                path.parent / row.get("file"), participant=participant, kind=kind,
                speaker_map=parse_speaker_map(row.get("speaker_map")), labels=row.get("labels") or None,
            ))
        except QualcodeError as exc:
            message = str(exc)
            previews.append(message if message.startswith(f"{path.name} row") else
                            f"{path.name} row {row.number}: {message}")
    return previews
