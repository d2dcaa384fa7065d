"""De-identification beyond the transcripts' text.

A real name reaches a project by more ways than the interview itself: the file's name
becomes the transcript's name ("Margaret_Thornbury_W1"), a definition or an example
quotes someone, a site or another attribute names a place, a memo or a coding's memo
mentions a person, and the event log keeps a copy of every one of those values as it
was (undo needs the old rows). :func:`field_changes` and :func:`log_changes` work out
what the name key changes in all of them; the caller writes the changes in one action.

Memos are included by default: they reach the exports (theme summaries, coded
segments, REFI-QDA notes), so a name left in one leaks through every export. A team
that keeps memos verbatim (one that discusses the key itself, say) passes
``memos=False`` and must then keep memos out of what it shares.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..store import namekey as store_key
from ..store.connection import Database
from .replace import OffsetMap, name_replacer, text_replacer

# Text a person typed or a file brought, by table. Names and ids that the project's rules
# keep to letters and digits (participant ids, wave labels, coder names) are not here.
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "codes": ("name", "definition", "inclusion", "exclusion", "example"),
    "participants": ("role", "site"),
    "participant_attributes": ("value",),
    "participant_wave_attributes": ("value",),
    "attendance": ("note",),
    "waves": ("description",),
}
MEMO_FIELDS: dict[str, tuple[str, ...]] = {"memos": ("title", "body"), "codings": ("memo",)}
NAME_FIELDS: dict[str, tuple[str, ...]] = {"transcripts": ("name", "source_name")}


@dataclass(frozen=True)
class FieldChange:
    table: str
    rowid: int
    values: dict[str, str | None]


def _texts(key: Mapping[str, str]) -> Callable[[Any], Any]:
    swap = text_replacer(key)

    def replace(value: Any) -> Any:
        return swap(value) if isinstance(value, str) and value else value
    return replace


def _changes(db: Database, fields: dict[str, tuple[str, ...]], replace: Callable[[Any], Any],
             where: str = "1") -> list[FieldChange]:
    result = []
    for table, columns in fields.items():
        for rowid, *values in store_key.rows_of(db, table, columns, where):
            new = {c: replace(v) for c, v in zip(columns, values) if replace(v) != v}
            if new:
                result.append(FieldChange(table, rowid, new))
    return result


def field_changes(db: Database, key: Mapping[str, str], *, memos: bool = True) -> list[FieldChange]:
    """Every stored value outside the transcripts' text that the key changes."""
    text, name = _texts(key), name_replacer(key)
    changes = _changes(db, NAME_FIELDS, lambda v: name(v) if isinstance(v, str) else v)
    changes += _changes(db, TEXT_FIELDS, text)
    changes += _changes(db, {"meta": ("value",)}, text, "key = 'title'")
    changes += _changes(db, {"settings": ("value",)}, text, "key = 'codebook_title'")
    if memos:
        changes += _changes(db, MEMO_FIELDS, text)
    for rowid, keywords in store_key.rows_of(db, "codes", ("keywords",), "keywords IS NOT NULL"):
        try:
            words = json.loads(keywords)
        except ValueError:
            continue  # not a list of keywords: nothing the key could be applied to
        if not isinstance(words, list):
            continue
        new = [text(w) for w in words]
        if new != words:
            changes.append(FieldChange("codes", rowid, {"keywords": json.dumps(new, ensure_ascii=False)}))
    return _merged(changes)


def _merged(changes: list[FieldChange]) -> list[FieldChange]:
    """One change per row (a code's name and its keywords are one update)."""
    by_row: dict[tuple[str, int], dict] = {}
    for change in changes:
        by_row.setdefault((change.table, change.rowid), {}).update(change.values)
    return [FieldChange(table, rowid, values) for (table, rowid), values in by_row.items()]


def _walk(value: Any, replace: Callable[[Any], Any]) -> Any:
    if isinstance(value, dict):
        return {k: _walk(v, replace) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, replace) for v in value]
    return replace(value)


def _json(text: str | None, replace: Callable[[Any], Any]) -> str | None:
    """A JSON text with the key applied to its strings (a text that is not JSON, as a text)."""
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return replace(text)
    new = _walk(data, replace)
    return text if new == data else json.dumps(new, ensure_ascii=False)


def _moved(row: dict, offsets: Mapping[int, OffsetMap]) -> dict:
    """A coding row of the log with its offsets moved as its transcript's text moved."""
    transcript_id = row.get("transcript_id")
    mapping = offsets.get(transcript_id) if isinstance(transcript_id, int) else None
    if mapping is None or not isinstance(row.get("start"), int) or not isinstance(row.get("end"), int):
        return row
    return {**row, "start": mapping(row["start"]), "end": mapping(row["end"], is_end=True)}


def log_changes(db: Database, key: Mapping[str, str], offsets: Mapping[int, OffsetMap], *,
                memos: bool = True) -> tuple[list[tuple], list[tuple]]:
    """The event log's copies, as the fields themselves change: ``(events, event_changes)``
    updates. The rows that undo replays get the key applied to their values, and codings
    their offsets moved with the text, so undo never brings a name (or a wrong span) back."""
    text, name = _texts(key), name_replacer(key)

    def described(value: Any) -> Any:
        # What the log says of an action names files too ("imported Janet_Walker_W1.txt").
        value = text(value)
        return name(value) if isinstance(value, str) else value

    events = []
    for event_id, summary, details in store_key.event_rows(db):
        new_summary, new_details = described(summary), _json(details, described)
        if (new_summary, new_details) != (summary, details):
            events.append((event_id, new_summary, new_details))
    changes = []
    for change_id, table, old, new in store_key.event_change_rows(db):
        if not memos and table == "memos":
            continue
        rows: list[str | None] = []  # the JSON of the old and the new row, rewritten
        for raw in (old, new):
            if raw is None:
                rows.append(None)
                continue
            try:
                row = json.loads(raw)
            except ValueError:
                rows.append(raw)
                continue
            if not isinstance(row, dict):
                rows.append(raw)
                continue
            skip = {"memo"} if (not memos and table == "codings") else set()
            edited = {k: (v if k in skip else _walk(v, text)) for k, v in row.items()}
            if table == "codings":
                edited = _moved(edited, offsets)
            rows.append(raw if edited == row else json.dumps(edited, ensure_ascii=False))
        if tuple(rows) != (old, new):
            changes.append((change_id, *rows))
    return events, changes


__all__ = ["FieldChange", "field_changes", "log_changes"]
