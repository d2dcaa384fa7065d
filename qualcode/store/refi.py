"""The queries of the REFI-QDA exchange: the whole project read out in the shapes the
.qdpx writer walks, and the few writes an import makes beyond those of other imports."""

from __future__ import annotations

from .connection import Database

# Tables whose rows an import finds again by GUID.
_BY_GUID = ("participants", "waves", "codes")


def ids_by_guid(db: Database, table: str) -> dict[str, int]:
    """Row ids by GUID of participants, waves or codes."""
    if table not in _BY_GUID:
        raise ValueError(f"{table!r} is not one of {_BY_GUID}")
    return {r[0]: r[1] for r in db.execute(f"SELECT guid, id FROM {table}")}


def memo_link_targets(db: Database) -> list[tuple[int, str, int]]:
    """Every memo link as (memo id, what it links to, that thing's row id), in order."""
    return [(r[0], r[1], r[2]) for r in db.execute(
        "SELECT memo_id, CASE WHEN code_id IS NOT NULL THEN 'code' WHEN coding_id IS NOT NULL "
        "THEN 'coding' WHEN participant_id IS NOT NULL THEN 'participant' WHEN transcript_id "
        "IS NOT NULL THEN 'transcript' ELSE 'wave' END, "
        "coalesce(code_id, coding_id, participant_id, transcript_id, wave_id) "
        "FROM memo_links ORDER BY id")]


def linked_memo_ids(db: Database) -> set[int]:
    return {r[0] for r in db.execute("SELECT DISTINCT memo_id FROM memo_links")}


def transcripts(db: Database) -> list[dict]:
    """Every transcript with its text, in id order."""
    keys = ("id", "guid", "name", "kind", "wave_id", "participant_id", "date", "text", "imported_at",
            "imported_by")
    return [dict(zip(keys, row)) for row in db.execute(
        "SELECT id, guid, name, kind, wave_id, participant_id, date, text, imported_at, imported_by "
        "FROM transcripts ORDER BY id")]


def codings(db: Database) -> list[tuple]:
    """Every coding as (id, guid, transcript id, code guid, coder id, start, end, memo,
    created, exemplar), in transcript and text order."""
    return db.execute(
        "SELECT c.id, c.guid, c.transcript_id, k.guid, c.coder_id, c.start, c.end, c.memo, c.created, "
        "c.exemplar "
        "FROM codings c JOIN codes k ON k.id = c.code_id ORDER BY c.transcript_id, c.start, c.end, c.id"
    ).fetchall()


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
