"""REFI-QDA out: recordings, as ``AudioSource``/``VideoSource`` with their transcript.

A transcript with a recording linked is written twice over, as the standard allows: its
``TextSource`` (with the codings, at the characters they cover) and an ``AudioSource`` or
``VideoSource`` whose ``Transcript`` points to the same text file and ties it to the
recording with ``SyncPoint``s: one at the start of each turn whose time came from the
source (``position`` in code points of the text, ``timeStamp`` in milliseconds), and one
at its end where the end time is known. Estimated times are not written: a program that
reads the file interpolates between sync points itself.

The recording goes into the ``.qdpx`` as ``sources/<GUID>.<ext>`` (``internal://``); a
recording whose file is missing is left out and said so in the export's report.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..store import media as store_media
from ..store import transcripts as store_transcripts
from .refi_export_context import ExportContext, element, sub
from .refi_vocabulary import stable_guid, xml_datetime


def _media_rows(ctx: ExportContext) -> list[tuple[dict, Path]]:
    """(link, file) of each linked recording whose file is there, in transcript order."""
    if ctx.recordings is None:
        folder = ctx.project_folder
        rows = []
        for row in store_media.all_media(ctx.db):
            file = Path(row["path"]) if Path(row["path"]).is_absolute() else folder / row["path"]
            if file.is_file():
                rows.append((row, file))
            else:
                ctx.missing_recordings.append(row["transcript"])
        ctx.recordings = rows
    return ctx.recordings


def recording_guid(ctx: ExportContext, transcript_guid: str) -> str:
    return stable_guid(ctx.project_guid, "recording", transcript_guid)


def _internal_name(ctx: ExportContext, transcript_guid: str, file: Path) -> str:
    return f"{recording_guid(ctx, transcript_guid)}{file.suffix.lower()}"


def sync_points(ctx: ExportContext, transcript_guid: str, transcript_id: int) -> list[tuple[str, int, int]]:
    """(guid, position, milliseconds) of a transcript's known turn times, by position."""
    points: dict[int, int] = {}
    for turn in store_transcripts.turns_of(ctx.db, transcript_id):
        if turn["time_estimated"]:
            continue
        if turn["start_time"] is not None:
            points.setdefault(turn["start"], round(turn["start_time"] * 1000))
        if turn["end_time"] is not None and turn["end"] > turn["start"]:
            points.setdefault(turn["end"], round(turn["end_time"] * 1000))
    return [(stable_guid(ctx.project_guid, "sync", transcript_guid, position), position, ms)
            for position, ms in sorted(points.items())]


def write_media_sources(ctx: ExportContext) -> None:
    outlines = {t.id: t for t in ctx.transcripts}
    for row, file in _media_rows(ctx):
        t = outlines.get(row["transcript_id"])
        if t is None:
            continue
        tag = "VideoSource" if row["kind"] == "video" else "AudioSource"
        source = element(tag, {"guid": recording_guid(ctx, t.guid), "name": file.name,
                               "path": f"internal://{_internal_name(ctx, t.guid, file)}",
                               "creationDateTime": xml_datetime(row["linked_at"])})
        transcript = sub(source, "Transcript", {
            "guid": stable_guid(ctx.project_guid, "recording-transcript", t.guid), "name": t.name,
            "plainTextPath": f"internal://{t.guid}.txt"})
        for guid, position, ms in sync_points(ctx, t.guid, t.id):
            sub(transcript, "SyncPoint", {"guid": guid, "position": position, "timeStamp": ms})
        ctx.xml.write(source)
        ctx.counts.sources += 1
        ctx.counts.recordings += 1


def count_media(ctx: ExportContext) -> int:
    return len(_media_rows(ctx))


def media_files(ctx: ExportContext) -> Iterator[tuple[str, Path]]:
    outlines = {t.id: t for t in ctx.transcripts}
    for row, file in _media_rows(ctx):
        t = outlines.get(row["transcript_id"])
        if t is not None:
            yield f"sources/{_internal_name(ctx, t.guid, file)}", file
