"""SQL for recordings linked to transcripts, and for the turn times playing uses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..model import MEDIA_KINDS
from .connection import Database
from .db import now

if TYPE_CHECKING:
    import sqlite_utils


def create_media_table(db: Database | sqlite_utils.Database) -> None:
    """The ``media`` table (migration m010): one recording per transcript, where it is
    (relative to the project file, never copied in) and what it holds (hash, size,
    duration) to tell a changed or moved file; and ``turns.time_estimated``, set on each
    turn whose start time was estimated from its neighbours, not read from the source."""
    kinds = ", ".join(f"'{kind}'" for kind in MEDIA_KINDS)
    db.execute(
        f"""
        CREATE TABLE media (
            id INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL UNIQUE REFERENCES transcripts(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ({kinds})),
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            duration REAL,
            linked_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_media_sha ON media(sha256)")
    db.execute("ALTER TABLE turns ADD COLUMN time_estimated INTEGER NOT NULL DEFAULT 0")


MEDIA_COLUMNS = ("path", "kind", "sha256", "size", "duration", "linked_at")


def media_of(db: Database, transcript_id: int) -> dict | None:
    row = db.execute(f"SELECT {', '.join(MEDIA_COLUMNS)} FROM media WHERE transcript_id = ?",
                     [transcript_id]).fetchone()
    return dict(zip(MEDIA_COLUMNS, row)) if row else None


def all_media(db: Database) -> list[dict]:
    """Every link, with its transcript's name, in transcript name order."""
    rows = db.execute(
        f"SELECT t.name, t.id, {', '.join('m.' + c for c in MEDIA_COLUMNS)} FROM media m "
        "JOIN transcripts t ON t.id = m.transcript_id ORDER BY t.name"
    ).fetchall()
    return [dict(zip(("transcript", "transcript_id", *MEDIA_COLUMNS), r)) for r in rows]


def set_media(db: Database, transcript_id: int, *, path: str, kind: str, sha256: str, size: int,
              duration: float | None) -> None:
    """Link (or relink) a transcript's recording; one recording per transcript."""
    existing = db.execute("SELECT id FROM media WHERE transcript_id = ?", [transcript_id]).fetchone()
    if existing:
        db.execute("UPDATE media SET path = ?, kind = ?, sha256 = ?, size = ?, duration = ?, linked_at = ? "
                   "WHERE id = ?", [path, kind, sha256, size, duration, now(), existing[0]])
    else:
        db.execute("INSERT INTO media (transcript_id, path, kind, sha256, size, duration, linked_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", [transcript_id, path, kind, sha256, size, duration, now()])


def set_media_path(db: Database, transcript_id: int, path: str) -> None:
    db.execute("UPDATE media SET path = ? WHERE transcript_id = ?", [path, transcript_id])


def remove_media(db: Database, transcript_id: int) -> bool:
    return db.execute("DELETE FROM media WHERE transcript_id = ?", [transcript_id]).rowcount > 0


def turn_times(db: Database, transcript_id: int) -> list[tuple[int, float | None, float | None, bool]]:
    """(seq, start_time, end_time, estimated) of every turn, in order."""
    rows = db.execute("SELECT seq, start_time, end_time, time_estimated FROM turns "
                      "WHERE transcript_id = ? ORDER BY seq", [transcript_id]).fetchall()
    return [(seq, start, end, bool(estimated)) for seq, start, end, estimated in rows]


def estimated_seqs(db: Database, transcript_id: int) -> set[int]:
    return {seq for (seq,) in db.execute("SELECT seq FROM turns WHERE transcript_id = ? AND time_estimated = 1",
                                         [transcript_id])}


def set_turn_times(db: Database, transcript_id: int,
                   times: Iterable[tuple[int, float | None, float | None, bool]]) -> None:
    """(seq, start_time, end_time, estimated): None leaves a time as it is."""
    db.conn.executemany(
        "UPDATE turns SET start_time = coalesce(?, start_time), end_time = coalesce(?, end_time), "
        f"time_estimated = CASE WHEN ? IS NULL THEN time_estimated ELSE ? END "
        f"WHERE transcript_id = {int(transcript_id)} AND seq = ?",
        [(start, end, start, int(estimated), seq) for seq, start, end, estimated in times])
