"""REFI-QDA out: the ``Sources``, and the internal files they point to.

Each kind of source is one :class:`SourceKind`: how many there are, how to write their
elements into ``<Sources>``, and which files go into the ``.qdpx`` beside the ``.qde``.
Transcripts are one kind; their recordings are another (:mod:`.refi_export_media`).

A transcript is a TextSource with ``plainTextPath="internal://<GUID>.txt"``. Each
distinct coded range is one PlainTextSelection (positions in code points of the stored
text, end exclusive; the quoted text in ``@name``) holding one Coding per coding, with
``creatingUser`` and ``creationDateTime``; a coding's own memo and its mark as an
exemplar quote are notes (written by :mod:`.refi_export_notes`) that the Coding refers
to. The wave, kind and date of a transcript are VariableValues of the source.

One transcript's text and codings are read at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from lxml import etree

from ..store import refi as store_refi
from ..store import transcripts as store_transcripts
from ..store.refi import CodingRow, TranscriptOutline
from .refi_export_context import ExportContext, element, sub
from .refi_export_media import count_media, media_files, write_media_sources
from .refi_export_study import source_variable_guid, used_source_variables, value_element
from .refi_summaries import summaries_by_source
from .refi_vocabulary import quote, stable_guid, xml_datetime


@dataclass(frozen=True)
class SourceKind:
    """One kind of source: how many the project has, their elements, their files."""

    count: Callable[[ExportContext], int]
    write: Callable[[ExportContext], None]
    files: Callable[[ExportContext], Iterator[tuple[str, bytes | Path]]]  # a Path is copied as it is


def coding_memo_note_guid(ctx: ExportContext, coding_guid: str) -> str:
    return stable_guid(ctx.project_guid, "coding-memo", coding_guid)


def exemplar_note_guid(ctx: ExportContext, coding_guid: str) -> str:
    return stable_guid(ctx.project_guid, "exemplar", coding_guid)


def _selection(ctx: ExportContext, source_guid: str, text: str, rows: list[CodingRow],
               notes_of: dict[int, list[str]]) -> etree._Element:
    """One coded range with its codings; its user and time are those of its first coding."""
    start, end = rows[0].start, rows[0].end
    first = min(rows, key=lambda r: r.created or "")
    selection = element("PlainTextSelection", {
        "guid": stable_guid(ctx.project_guid, "selection", source_guid, start, end),
        "name": quote(text[start:end]), "startPosition": start, "endPosition": end,
        "creatingUser": ctx.coder_guid(first.coder_id), "creationDateTime": xml_datetime(first.created),
    })
    for row in rows:
        coding = sub(selection, "Coding", {"guid": row.guid, "creatingUser": ctx.coder_guid(row.coder_id),
                                           "creationDateTime": xml_datetime(row.created)})
        sub(coding, "CodeRef", {"targetGUID": row.code_guid})
        if row.memo:
            sub(coding, "NoteRef", {"targetGUID": coding_memo_note_guid(ctx, row.guid)})
        if row.exemplar:
            sub(coding, "NoteRef", {"targetGUID": exemplar_note_guid(ctx, row.guid)})
        for guid in notes_of.get(row.id, []):
            sub(coding, "NoteRef", {"targetGUID": guid})
    return selection


def _text_source(ctx: ExportContext, t: TranscriptOutline, wave_labels: dict[int, str],
                 source_keys: list[str], summary_notes: dict[int, list[str]]) -> None:
    out = ctx.xml
    text = store_transcripts.transcript_text(ctx.db, t.id)
    with out.open("TextSource", {"guid": t.guid, "name": t.name, "plainTextPath": f"internal://{t.guid}.txt",
                                 "creatingUser": ctx.coder_guid(t.imported_by),
                                 "creationDateTime": xml_datetime(t.imported_at)}):
        notes_of = store_refi.memo_guids_on_codings_of(ctx.db, t.id)
        codings = store_refi.codings_of_transcript(ctx.db, t.id)
        for _range, group in groupby(codings, key=lambda row: (row.start, row.end)):
            rows = list(group)
            out.write(_selection(ctx, t.guid, text, rows, notes_of))
            ctx.counts.selections += 1
            ctx.counts.codings += len(rows)
        for guid in store_refi.memo_guids_linked_to(ctx.db, "transcript_id", t.id):
            out.leaf("NoteRef", {"targetGUID": guid})
        for guid in summary_notes.get(t.id, []):
            out.leaf("NoteRef", {"targetGUID": guid})
        if t.wave_id in wave_labels:
            out.write(value_element(source_variable_guid(ctx, "wave"), wave_labels[t.wave_id]))
        if "kind" in source_keys:
            out.write(value_element(source_variable_guid(ctx, "kind"), t.kind))
        if t.date:
            out.write(value_element(source_variable_guid(ctx, "date"), t.date, "Date"))


def _write_text_sources(ctx: ExportContext) -> None:
    wave_labels = {w["id"]: w["label"] for w in ctx.waves}
    source_keys = used_source_variables(ctx)
    summary_notes = summaries_by_source(ctx)
    for t in ctx.transcripts:
        _text_source(ctx, t, wave_labels, source_keys, summary_notes)
    ctx.counts.sources += len(ctx.transcripts)


def _text_files(ctx: ExportContext) -> Iterator[tuple[str, bytes]]:
    for t in ctx.transcripts:
        yield f"sources/{t.guid}.txt", store_transcripts.transcript_text(ctx.db, t.id).encode("utf-8")


TEXT_SOURCES = SourceKind(count=lambda ctx: len(ctx.transcripts), write=_write_text_sources, files=_text_files)
MEDIA_SOURCES = SourceKind(count=count_media, write=write_media_sources, files=media_files)
SOURCE_KINDS: tuple[SourceKind, ...] = (TEXT_SOURCES, MEDIA_SOURCES)


def write_sources(ctx: ExportContext) -> None:
    if not any(kind.count(ctx) for kind in SOURCE_KINDS):
        return
    with ctx.xml.open("Sources"):
        for kind in SOURCE_KINDS:
            kind.write(ctx)


def internal_files(ctx: ExportContext) -> Iterator[tuple[str, bytes | Path]]:
    """(path in the .qdpx, bytes) of every file the sources point to."""
    for kind in SOURCE_KINDS:
        yield from kind.files(ctx)
