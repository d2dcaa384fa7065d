"""REFI-QDA and the summary grid: each summary is a ``Note``, read back by our import.

Out: the note holds the summary's text; its ``Description`` carries our mark and, as
JSON, the cell (row, wave, theme, and what kind each is) and the GUIDs of the codings
it cites. The sources it is about (the transcripts of its participant, or of its
case's participants, at its wave) refer to it with ``NoteRef``; a participant's summary
is also linked to the participant's ``Case`` (the schema has no NoteRef on a case); a
summary about no source is a note of the project as a whole.

In: a note carrying our mark becomes a summary again when its cell can be placed (the
participant or site, the wave and the code are in the project), else it is kept as a
plain memo with a warning; any other note stays a memo.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from ..store import study as store_study
from ..store import summaries as store
from .refi_export_context import ExportContext, element, sub
from .refi_vocabulary import stable_guid, xml_datetime

SUMMARY_MARK = "qualcode summary: "


def _all(ctx: ExportContext) -> list[Any]:
    return store.summaries_by_ids(ctx.db, store.summary_ids(ctx.db))


def write_summary_notes(ctx: ExportContext) -> None:
    authors = store.summary_authors(ctx.db)
    cited = store.cited_coding_guids(ctx.db)
    for summary in _all(ctx):
        cell = {"row": summary.row, "row_kind": summary.row_kind, "wave": summary.wave,
                "theme": summary.theme, "theme_kind": summary.theme_kind, "cites": cited.get(summary.id, [])}
        note = element("Note", {"guid": summary.guid,
                                "name": f"Summary: {summary.row} at {summary.wave}, {summary.theme}",
                                "creatingUser": authors.get(summary.id),
                                "creationDateTime": xml_datetime(summary.created),
                                "modifiedDateTime": xml_datetime(summary.updated)})
        sub(note, "Description", text=SUMMARY_MARK + json.dumps(cell, ensure_ascii=False))
        sub(note, "PlainTextContent", text=summary.body)
        ctx.xml.write(note)


def summaries_by_source(ctx: ExportContext) -> dict[int, list[str]]:
    """Summary GUIDs by the transcript id of each source they are about."""
    result: dict[int, list[str]] = defaultdict(list)
    for guid, transcript_id in store.summary_sources(ctx.db):
        result[transcript_id].append(guid)
    return result


def summaries_without_source(ctx: ExportContext) -> list[str]:
    placed = {guid for guid, _t in store.summary_sources(ctx.db)}
    return [s.guid for s in _all(ctx) if s.guid not in placed]


def summary_case_links(ctx: ExportContext) -> list[tuple[str, str, str]]:
    """(link GUID, note GUID, case GUID) of each participant's summary."""
    people = store.participant_guids(ctx.db)
    return [(stable_guid(ctx.project_guid, "summary-link", s.guid), s.guid, people[s.row])
            for s in _all(ctx) if s.row_kind == "participant" and s.row in people]


def read_summary(db: Any, note: dict, warnings: list[str], author_id: int | None) -> bool:
    """Write the note as a summary when it carries our mark and its cell can be placed;
    False (with a warning when it carried the mark) to keep it as a memo."""
    description = (note.get("description") or "").strip()
    if not description.startswith(SUMMARY_MARK):
        return False
    title = note.get("title") or note["guid"]
    try:
        cell = json.loads(description[len(SUMMARY_MARK):])
        row, wave, theme = str(cell["row"]), str(cell["wave"]), str(cell["theme"])
        case, dimension = cell.get("row_kind") == "case", cell.get("theme_kind") == "dimension"
    except (ValueError, KeyError, TypeError):
        warnings.append(f"summary note {title!r}: its description is not readable; kept as a memo")
        return False
    participant_id = None if case else store_study.participant_id(db, row)
    wave_id = store_study.wave_id(db, wave)
    code_id = None if dimension else store.live_code_id(db, theme)
    if (case and not store.site_exists(db, row)) or (not case and participant_id is None) \
            or wave_id is None or (not dimension and code_id is None) \
            or not (note.get("body") or "").strip():
        warnings.append(f"summary note {title!r}: {row} at {wave} under {theme!r} is not in the project; "
                        "kept as a memo")
        return False
    if store.find_summary(db, participant_id, row if case else None, wave_id, code_id,
                          theme if dimension else None) is not None:
        warnings.append(f"summary note {title!r}: the cell already has a summary; kept as a memo")
        return False
    summary_id = store.insert_summary(db, participant_id, row if case else None, wave_id, code_id,
                                      theme if dimension else None, note["body"].strip(), author_id,
                                      guid=note["guid"])
    store.replace_citations(db, summary_id, store.coding_ids_by_guid(db, [str(g) for g in cell.get("cites") or []]))
    return True
