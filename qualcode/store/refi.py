"""The queries of the REFI-QDA project exchange.

Out: the project read in the pieces the .qde writer walks, one transcript (and its
codings) at a time, so that the export holds no more than one transcript in memory.

In: the writes an import makes beyond those of other imports.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from .connection import Database
from .db import new_guid, now

# --- out -------------------------------------------------------------------------------


class TranscriptOutline(NamedTuple):
    """A transcript without its text."""

    id: int
    guid: str
    name: str
    kind: str
    wave_id: int | None
    participant_id: int | None
    date: str | None
    imported_at: str | None
    imported_by: int | None


class CodingRow(NamedTuple):
    id: int
    guid: str
    code_guid: str
    coder_id: int
    start: int
    end: int
    memo: str | None
    created: str | None
    exemplar: int


class MemoRow(NamedTuple):
    id: int
    guid: str
    type: str
    title: str
    body: str
    author_guid: str | None
    created: str | None
    updated: str | None


class CodingNote(NamedTuple):
    """A coding's own memo or exemplar mark, which the export writes as notes."""

    guid: str
    memo: str | None
    exemplar: int
    coder_guid: str
    created: str | None


# The memo_links column of each kind of thing a memo can be linked to.
LINK_COLUMNS = ("code_id", "coding_id", "participant_id", "transcript_id", "wave_id")
_GUID_TABLES = {"code_id": "codes", "participant_id": "participants", "wave_id": "waves",
                "transcript_id": "transcripts"}


def transcript_outlines(db: Database) -> list[TranscriptOutline]:
    """Every transcript without its text, in id order."""
    return [TranscriptOutline(*row) for row in db.execute(
        "SELECT id, guid, name, kind, wave_id, participant_id, date, imported_at, imported_by "
        "FROM transcripts ORDER BY id")]


def codings_of_transcript(db: Database, transcript_id: int) -> Iterator[CodingRow]:
    """A transcript's codings in text order (start, end, then id)."""
    for row in db.execute(
        "SELECT c.id, c.guid, k.guid, c.coder_id, c.start, c.end, c.memo, c.created, c.exemplar "
        "FROM codings c JOIN codes k ON k.id = c.code_id WHERE c.transcript_id = ? "
        "ORDER BY c.start, c.end, c.id", [transcript_id]
    ):
        yield CodingRow(*row)


def memo_guids_linked_to(db: Database, column: str, target_id: int) -> list[str]:
    """The GUIDs of the memos linked to one code, transcript, participant or wave, in the
    order the links were made."""
    if column not in LINK_COLUMNS:
        raise ValueError(f"{column!r} is not a memo link column")
    return [guid for (guid,) in db.execute(
        f"SELECT m.guid FROM memo_links l JOIN memos m ON m.id = l.memo_id WHERE l.{column} = ? "
        "ORDER BY l.id", [target_id])]


def memo_guids_on_codings_of(db: Database, transcript_id: int) -> dict[int, list[str]]:
    """{coding id: GUIDs of the memos linked to it} for one transcript's codings."""
    result: dict[int, list[str]] = {}
    for coding_id, guid in db.execute(
        "SELECT l.coding_id, m.guid FROM memo_links l JOIN memos m ON m.id = l.memo_id "
        "JOIN codings c ON c.id = l.coding_id WHERE c.transcript_id = ? ORDER BY l.id", [transcript_id]
    ):
        result.setdefault(coding_id, []).append(guid)
    return result


def memos(db: Database) -> Iterator[MemoRow]:
    """Every memo with its author's GUID, in id order."""
    for row in db.execute(
        "SELECT m.id, m.guid, m.type, m.title, m.body, a.guid, m.created, m.updated "
        "FROM memos m LEFT JOIN coders a ON a.id = m.author_id ORDER BY m.id"
    ):
        yield MemoRow(*row)


def coding_notes(db: Database) -> Iterator[CodingNote]:
    """Codings with a memo of their own or marked as exemplar quotes, in text order."""
    for row in db.execute(
        "SELECT c.guid, c.memo, c.exemplar, d.guid, c.created FROM codings c "
        "JOIN coders d ON d.id = c.coder_id WHERE (c.memo IS NOT NULL AND c.memo != '') OR c.exemplar "
        "ORDER BY c.transcript_id, c.start, c.end, c.id"
    ):
        yield CodingNote(*row)


def has_memos(db: Database) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM memos)").fetchone()[0] == 1


def has_coding_notes(db: Database) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM codings WHERE (memo IS NOT NULL AND memo != '') "
                      "OR exemplar)").fetchone()[0] == 1


def memo_links_to(db: Database, column: str) -> Iterator[tuple[str, str]]:
    """(memo GUID, target GUID) of the links to participants, waves, codes or transcripts:
    grouped by target, the targets in the order of their first link, each target's links
    in the order they were made."""
    table = _GUID_TABLES[column]
    yield from db.execute(
        f"SELECT m.guid, t.guid FROM memo_links l JOIN memos m ON m.id = l.memo_id "
        f"JOIN {table} t ON t.id = l.{column} "
        f"ORDER BY (SELECT min(first.id) FROM memo_links first WHERE first.{column} = l.{column}), l.id")


def unlinked_memo_guids(db: Database) -> Iterator[str]:
    """The memos linked to nothing (they belong to the project as a whole), in id order."""
    for (guid,) in db.execute(
        "SELECT guid FROM memos WHERE id NOT IN (SELECT memo_id FROM memo_links) ORDER BY id"
    ):
        yield guid


# --- in: the rows an import writes beyond those of other imports ----------------------------

# Tables whose rows an import finds again by GUID.
_BY_GUID = ("participants", "waves", "codes")


def ids_by_guid(db: Database, table: str) -> dict[str, int]:
    """Row ids by GUID of participants, waves or codes."""
    if table not in _BY_GUID:
        raise ValueError(f"{table!r} is not one of {_BY_GUID}")
    return {r[0]: r[1] for r in db.execute(f"SELECT guid, id FROM {table}")}


def keep_source_identity(db: Database, name: str, guid: str, imported_at: str | None,
                         imported_by: int | None) -> int:
    """Give the transcript just stored as ``name`` the GUID, time and user the source
    had in the other program; returns its row id."""
    transcript_id = int(db.execute("SELECT id FROM transcripts WHERE name = ?", [name]).fetchone()[0])
    db.execute("UPDATE transcripts SET guid = ? WHERE id = ?", [guid, transcript_id])
    if imported_at:
        db.execute("UPDATE transcripts SET imported_at = ? WHERE id = ?", [imported_at, transcript_id])
    if imported_by is not None:
        db.execute("UPDATE transcripts SET imported_by = ? WHERE id = ?", [imported_by, transcript_id])
    return transcript_id


def set_memo_updated(db: Database, memo_id: int, updated: str) -> None:
    db.execute("UPDATE memos SET updated = ? WHERE id = ?", [updated, memo_id])


def place_coding(db: Database, transcript_id: int, code_id: int, coder_id: int, start: int, end: int,
                 guid: str, created: str | None) -> tuple[int, bool]:
    """Insert a coding, or find the one of the same identity (transcript, code, coder,
    range); returns (its id, whether it is new). A GUID already taken by another coding
    of the import is replaced by a new one."""
    found = db.execute("SELECT id FROM codings WHERE transcript_id = ? AND code_id = ? AND coder_id = ? "
                       "AND start = ? AND end = ?", [transcript_id, code_id, coder_id, start, end]).fetchone()
    if found:
        return int(found[0]), False
    if db.execute("SELECT 1 FROM codings WHERE guid = ?", [guid]).fetchone():
        guid = new_guid()
    cursor = db.execute(
        "INSERT INTO codings (guid, transcript_id, code_id, coder_id, start, end, created) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)", [guid, transcript_id, code_id, coder_id, start, end, created or now()])
    return int(cursor.lastrowid or 0), True
